"""The packages of a monorepo: the folders a path written from a package's own root starts in.

A doc at the top of a monorepo writes `src/core/x.ts` for `apps/desktop/src/core/x.ts`. The
folders such paths are read from are the ones the repository itself declares: its workspace
packages (package.json `workspaces`, as a list or as `{packages: [...]}`; pnpm-workspace.yaml
`packages:`) and the roots its TypeScript config names (tsconfig `baseUrl`, the folders
`paths` map to, project `references`). A TypeScript root maps import specifiers, so only
source files are read from it (a design doc's `compiler/x.md` is not `src/compiler/x.md`
because `@/*` maps to `src/*`). Test fixtures declared as packages are left out: they are
made-up projects, not the code a doc describes.
"""

from __future__ import annotations

import json
import posixpath
import re
from dataclasses import dataclass
from typing import Protocol

from doclint.globs import GlobError, GlobSet
from doclint.tsindex import SOURCE_EXTENSIONS

PACKAGE_MANIFESTS = ("package.json", "pnpm-workspace.yaml")
TSCONFIGS = ("tsconfig.json", "tsconfig.base.json")
# Folders whose packages are test inputs (`packages/x/test/fixtures/app`), never a doc's subject.
_TEST_FOLDERS = frozenset({"test", "tests", "__tests__", "fixtures", "fixture", "__fixtures__", "test-fixtures"})
_PNPM_LIST = re.compile(r"packages\s*:\s*(?P<inline>\[.*\])?\s*(?:#.*)?$")
_PNPM_ITEM = re.compile(r"\s+-\s*['\"]?(?P<pattern>[^'\"#]+?)['\"]?\s*(?:#.*)?$")
_JSONC_COMMENT = re.compile(r'"(?:[^"\\]|\\.)*"|//[^\n]*|/\*.*?\*/', re.DOTALL)
_JSONC_TRAILING_COMMA = re.compile(r'"(?:[^"\\]|\\.)*"|,(?=\s*[}\]])')


class Tree(Protocol):
    dirs: set[str]

    def is_dir(self, path: str) -> bool: ...

    def is_file(self, path: str) -> bool: ...

    def read_text(self, path: str) -> str | None: ...


@dataclass(frozen=True)
class Packages:
    """The package roots of a tree (folders, never the root itself), the TypeScript module roots,
    and the files that said so."""

    roots: tuple[str, ...] = ()
    module_roots: tuple[str, ...] = ()
    manifests: tuple[str, ...] = ()

    def for_path(self, path: str) -> tuple[str, ...]:
        """The roots a path may be written from: module roots too when it names a source file."""
        if path.endswith(SOURCE_EXTENSIONS):
            return tuple(dict.fromkeys((*self.roots, *self.module_roots)))
        return self.roots

    def containing(self, path: str, roots: tuple[str, ...]) -> str | None:
        """The innermost of `roots` that `path` (a file or folder) is inside, if any."""
        inside = [r for r in roots if path == r or path.startswith(r + "/")]
        return max(inside, key=len) if inside else None


def workspace_patterns(tree: Tree) -> list[str]:
    """The package folder patterns a JavaScript monorepo lists, as written (`!x` excludes)."""
    patterns: list[str] = []
    data = _json(tree.read_text("package.json"))
    workspaces = data.get("workspaces") if isinstance(data, dict) else None
    if isinstance(workspaces, dict):
        workspaces = workspaces.get("packages")
    if isinstance(workspaces, list):
        patterns.extend(w for w in workspaces if isinstance(w, str))
    pnpm = tree.read_text("pnpm-workspace.yaml")
    listing = False
    for line in (pnpm or "").splitlines():
        top = _PNPM_LIST.match(line)
        if top is not None:
            listing = top["inline"] is None
            if top["inline"]:  # packages: ['a/*', 'b']
                patterns.extend(p.strip().strip("'\"") for p in top["inline"][1:-1].split(",") if p.strip())
            continue
        item = _PNPM_ITEM.match(line)
        if listing and item:
            patterns.append(item["pattern"])
        elif listing and line.strip() and not line.lstrip().startswith("#") and not line.startswith((" ", "\t")):
            listing = False
    return patterns


def find_packages(tree: Tree) -> Packages:
    """Every package root the tree's manifests and TypeScript configs declare."""
    manifests = [m for m in PACKAGE_MANIFESTS if tree.is_file(m)]
    packages = _expand(workspace_patterns(tree), tree)
    modules: list[str] = []
    for folder in ["", *packages]:
        for name in TSCONFIGS:
            config = posixpath.join(folder, name)
            if tree.is_file(config):
                manifests.append(config)
                modules.extend(_tsconfig_roots(tree.read_text(config), folder))

    def kept(folders: list[str]) -> tuple[str, ...]:
        return tuple(dict.fromkeys(f for f in folders if f and tree.is_dir(f)
                                   and not _TEST_FOLDERS.intersection(f.split("/"))))

    return Packages(kept(packages), kept(modules), tuple(manifests))


def _expand(patterns: list[str], tree: Tree) -> list[str]:
    """The folders holding a package.json that the workspace patterns match, exclusions applied."""
    wanted: list[str] = []
    unwanted: list[str] = []
    for pattern in patterns:
        negated = pattern.startswith("!")
        pattern = pattern.removeprefix("!").strip().removeprefix("./").rstrip("/")
        if not pattern or pattern.startswith(("/", "..")) or "\\" in pattern:
            continue
        (unwanted if negated else wanted).append(pattern)
    try:
        include, exclude = GlobSet(wanted), GlobSet(unwanted)
    except GlobError:
        return []  # a pattern we cannot read names no folder we could trust
    if not include:
        return []
    return sorted(d for d in tree.dirs if d and include.match(d) and not exclude.match(d)
                  and tree.is_file(posixpath.join(d, "package.json")))


def _tsconfig_roots(text: str | None, folder: str) -> list[str]:
    """The folders a tsconfig in `folder` resolves module paths from: `baseUrl`, the folders its
    `paths` map to, and the projects it references."""
    data = _json(text, jsonc=True)
    if not isinstance(data, dict):
        return []
    found: list[str] = []
    options = data.get("compilerOptions")
    options = options if isinstance(options, dict) else {}
    base = folder
    if isinstance(options.get("baseUrl"), str):
        base = posixpath.normpath(posixpath.join(folder, options["baseUrl"]))
        found.append(base)
    paths = options.get("paths")
    for targets in paths.values() if isinstance(paths, dict) else ():
        for target in targets if isinstance(targets, list) else ():
            if isinstance(target, str) and target.count("*") == 1:  # "./src/*": the folder before the star
                found.append(posixpath.normpath(posixpath.join(base, target.split("*", 1)[0] or ".")))
    references = data.get("references")
    for reference in references if isinstance(references, list) else ():
        named = reference.get("path") if isinstance(reference, dict) else None
        if isinstance(named, str):
            named = posixpath.normpath(posixpath.join(folder, named))
            found.append(posixpath.dirname(named) if named.endswith(".json") else named)
    return [f for f in found if f not in (".", "") and not f.startswith(("../", "/")) and f != ".."]


def _json(text: str | None, jsonc: bool = False) -> object:
    """A parsed manifest, or None when it is absent or broken (a broken manifest names nothing).
    tsconfig files are JSONC: comments and trailing commas are allowed."""
    if not text:
        return None
    if jsonc:
        for noise in (_JSONC_COMMENT, _JSONC_TRAILING_COMMA):  # comments first: `, // x` then `}`
            text = noise.sub(lambda m: m.group(0) if m.group(0).startswith('"') else "", text)
    try:
        return json.loads(text)
    except ValueError:
        return None
