"""Routes a repository's site redirects: a link to one is not broken (where it lands is the site's business).

The sources are read from `vercel.json`/`now.json` (`redirects[].source`), `netlify.toml`
(`[[redirects]] from`), `_redirects` files (first column), and the `source:`/`from:` strings
and Astro `redirects: {'/old': …}` keys of a Next.js, Docusaurus or Astro config file and the
local modules it imports (a bounded depth). Parameters (`:slug`, `:path*`, `:path+`, `*`,
`[slug]`, `[...slug]`, `[[...slug]]`) are matched segment by segment: no pattern of the
repository is ever run as a regular expression.
"""

from __future__ import annotations

import json
import posixpath
import re
import tomllib
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from doclint.workspace import Workspace

if TYPE_CHECKING:
    from doclint.context import Context

_JSON_FILES = frozenset({"vercel.json", "now.json"})
_CONFIG_STEMS = ("next.config.", "docusaurus.config.", "astro.config.")
_SCRIPT_EXTENSIONS = (".ts", ".js", ".mjs", ".cjs", ".mts", ".cts", ".tsx", ".jsx")
_SKIPPED = frozenset({"node_modules", "dist", "build"})
_IMPORT_DEPTH = 3
_SOURCE_STRING = re.compile(r"""\b(?:source|from)\s*:\s*(['"`])(/[^'"`\s]*)\1""")
_ASTRO_REDIRECTS = re.compile(r"\bredirects\s*:\s*\{")
_KEY = re.compile(r"""(['"])(/[^'"\s]*)\1\s*:""")
_IMPORT = re.compile(r"""(?:\bfrom\s+|\bimport\s*\(\s*|\brequire\s*\(\s*)(['"])(\.{1,2}/[^'"]+)\1""")


@dataclass(frozen=True)
class Redirects:
    files: tuple[str, ...]  # every file read for them: a doc relying on them depends on these
    sources: tuple[tuple[str, ...], ...]  # each source route, split into segments


_RUNS: WeakKeyDictionary[Workspace, Redirects] = WeakKeyDictionary()


def redirected(ws: Context, target: str) -> bool:
    """Whether the site route `target` (`/old/page`) is one the repository's site redirects."""
    if not target.startswith("/"):
        return False
    run = ws.shared  # per run: a doc's context answers with the run's workspace
    if run not in _RUNS:
        _RUNS[run] = _read(run)
    found = _RUNS[run]
    tree = ws.trees[0]
    for path in found.files:  # noted in the doc's context, so its cache entry and lock see them
        ws.consult(tree, path)
    wanted = _segments(target.split("#", 1)[0].split("?", 1)[0])
    return any(_matches(source, wanted) for source in found.sources)


def _read(ws: Workspace) -> Redirects:
    tree = ws.trees[0]
    files: list[str] = []
    sources: list[str] = []
    for path in sorted(tree.files):
        if any(part in _SKIPPED for part in path.split("/")):
            continue
        name = path.rsplit("/", 1)[-1]
        if name in _JSON_FILES:
            files.append(path)
            sources += _json_sources(tree.read_text(path) or "")
        elif name == "netlify.toml":
            files.append(path)
            sources += _netlify_sources(tree.read_text(path) or "")
        elif name == "_redirects":
            files.append(path)
            sources += [line.split()[0] for line in (tree.read_text(path) or "").splitlines()
                        if line.strip().startswith("/")]
        elif name.startswith(_CONFIG_STEMS) and name.endswith(_SCRIPT_EXTENSIONS):
            seen: list[str] = []
            _config_sources(ws, path, _IMPORT_DEPTH, seen, sources)
            files += seen
    split = (_segments(s) for s in dict.fromkeys(sources))
    # A source that opens with a parameter (`/*  /index.html  200`, a header's `/:path*`) is a
    # fallback for every route, not a page that moved: it would hide every broken link.
    return Redirects(tuple(dict.fromkeys(files)), tuple(s for s in split if s and not _parameter(s[0])))


def _json_sources(text: str) -> list[str]:
    try:
        data = json.loads(text)
    except ValueError:
        return []
    entries = data.get("redirects") if isinstance(data, dict) else None
    return [e["source"] for e in entries or () if isinstance(e, dict) and isinstance(e.get("source"), str)
            and e["source"].startswith("/")] if isinstance(entries, list) else []


def _netlify_sources(text: str) -> list[str]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return []
    entries = data.get("redirects")
    return [e["from"] for e in entries if isinstance(e, dict) and isinstance(e.get("from"), str)
            and e["from"].startswith("/")] if isinstance(entries, list) else []


def _config_sources(ws: Workspace, path: str, depth: int, seen: list[str], sources: list[str]) -> None:
    """The redirect sources of a config file and of the local modules it imports, `depth` deep."""
    if path in seen:
        return
    seen.append(path)
    text = ws.trees[0].read_text(path) or ""
    sources += [m.group(2) for m in _SOURCE_STRING.finditer(text)]
    for block in _ASTRO_REDIRECTS.finditer(text):
        sources += [m.group(2) for m in _KEY.finditer(_braced(text, block.end()))]
    if depth == 0:
        return
    for match in _IMPORT.finditer(text):
        module = _module(ws, posixpath.normpath(posixpath.join(posixpath.dirname(path), match.group(2))))
        if module is not None:
            _config_sources(ws, module, depth - 1, seen, sources)


def _braced(text: str, start: int) -> str:
    """The text of the object literal opened just before `start`, up to its closing brace."""
    depth = 1
    for at in range(start, len(text)):
        depth += {"{": 1, "}": -1}.get(text[at], 0)
        if depth == 0:
            return text[start:at]
    return text[start:]


def _module(ws: Workspace, written: str) -> str | None:
    """The file an import of `./lib/x` names: as written, with a script extension, or its index."""
    if written.startswith("../"):
        return None  # outside the root
    tree = ws.trees[0]
    stem = written
    for extension in _SCRIPT_EXTENSIONS:  # `./x.js` in TypeScript names `x.ts`
        if written.endswith(extension):
            stem = written[: -len(extension)]
            break
    candidates = [written, *(stem + e for e in _SCRIPT_EXTENSIONS), *(f"{written}/index{e}" for e in _SCRIPT_EXTENSIONS)]
    return next((c for c in candidates if tree.is_file(c)), None)


def _segments(route: str) -> tuple[str, ...]:
    return tuple(part for part in route.split("/") if part)


def _parameter(segment: str) -> bool:
    return segment.startswith((":", "[", "*", "("))


def _matches(source: tuple[str, ...], wanted: tuple[str, ...]) -> bool:
    """Whether a route's segments fit a source's, its parameters taking one segment (`:slug`,
    `[slug]`), one or more (`:p+`, `[...p]`) or any number (`:p*`, `[[...p]]`, `*`)."""

    @cache
    def fits(at: int, into: int) -> bool:  # source[at:] against wanted[into:], each pair once
        if at == len(source):
            return into == len(wanted)
        name = re.sub(r"\(.*\)$", "", source[at])  # `:id(\\d+)`: the constraint is not read, the parameter is
        if name == "*" or name.startswith(":") and name.endswith("*") or name.startswith("[[..."):
            return any(fits(at + 1, rest) for rest in range(into, len(wanted) + 1))
        if name.startswith(":") and name.endswith("+") or name.startswith("[..."):
            return any(fits(at + 1, rest) for rest in range(into + 1, len(wanted) + 1))
        if into == len(wanted):
            return False
        one = name.startswith(":") or name.startswith("[") and name.endswith("]")
        return (one or name == wanted[into]) and fits(at + 1, into + 1)

    return fits(0, 0)
