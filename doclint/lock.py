"""The lock: what every doc reference resolved to, so docs can be checked without the sources.

`doclint lock` runs the checks once; each doc's Context records what its checks used (the
files and directories references resolved to, the anchors, and every lookup of the index
with its answer), and all of it is written down, with content hashes of the symbols and
line ranges the docs point at. A replay answers the same questions with the same answers.
`doclint check` then either replays the checks against that record (sources absent) or
compares the hashes with the live sources and reports DL013 for what changed.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, NotRequired, TypedDict, cast

from doclint import __version__, packs, shapes
from doclint.checks import Doc
from doclint.config import Config
from doclint.confine import inside_root
from doclint.errors import DoclintError
from doclint.findings import Problem, Span
from doclint.globs import GlobError, GlobSet
from doclint.patterns import PatternError, id_patterns
from doclint.tree import LockedTree, text_lines
from doclint import lookups, writing
from doclint.context import Context
from doclint.lookups import Answer, Question, Replayed
from doclint.mdrefs import SymbolRef
from doclint.tsindex import FileScan, Symbol, SymbolIndex
from doclint.workspace import Workspace

LOCK_VERSION = 2  # 2: the index's answers recorded as lookups (was: the declarations they came from)
DEFAULT_LOCK = "doclint.lock"

Kind = Literal["symbol", "range"]


class LockedFile(TypedDict):
    lines: int
    sha256: str


class LockedLookup(TypedDict):
    ask: str  # a method of doclint.lookups.Lookups
    args: list[str | float]
    answer: object  # as lookups.encode writes it


class LockedReference(TypedDict):
    doc: str
    kind: Kind
    target: str
    path: str
    start: int
    end: int
    sha256: str


class LockPayload(TypedDict):
    """The lock's contents, as `write_lock` writes them and `read_lock` checks them (LOCK_SHAPE)."""

    version: int
    generator: NotRequired[str]
    files: dict[str, LockedFile]  # source path -> its line count and hash
    dirs: list[str]
    anchors: dict[str, list[str]]  # source-tree doc -> the anchors docs used
    lookups: list[LockedLookup]
    packs: NotRequired[dict[str, Any] | None]  # packs.facts_to_json: parsed JSON, checked by _PACKS
    references: list[LockedReference]


def lock_path(ws_root: Path, config: Config) -> Path:
    """The lock's real path, inside the root (or the run stops)."""
    if config.lock:
        return inside_root(ws_root, config.lock, config.where, "lock")
    return inside_root(ws_root, DEFAULT_LOCK, DEFAULT_LOCK)


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", errors="replace")).hexdigest()[:16]


def _lines(text: str, start: int, end: int) -> str:
    return "\n".join(text_lines(text)[start - 1 : end])


# --------------------------------------------------------------------------- fingerprints


@dataclass(frozen=True)
class Fingerprint:
    """One reference's claim about the code, and a hash of the code it points at."""

    doc: str
    kind: Kind
    target: str  # the name, or the path as resolved
    path: str  # resolved source file
    start: int
    end: int
    sha256: str
    span: Span = field(compare=False, default=Span(0, 0, 0, 0))

    @property
    def key(self) -> tuple[str | int, ...]:
        return (self.doc, self.kind, self.target, self.path) + ((self.start, self.end) if self.kind == "range" else ())


def fingerprints(doc: Doc, ws: Context) -> list[Fingerprint]:
    """The symbols and line ranges a doc refers to, with hashes of their current text."""
    found: list[Fingerprint] = []
    for ref in doc.scan.paths:
        if ref.lines is None or ref.hypothetical:
            continue
        resolved = ws.resolve(ref.path, doc.dir)
        path = ws.indexed_path(resolved) if resolved.unique_file else None
        text = ws.source_text(path) if path else None
        if path is not None and text is not None and 1 <= ref.lines.start <= ref.lines.end:
            found.append(Fingerprint(doc.path, "range", path, path, ref.lines.start, ref.lines.end,
                                     digest(_lines(text, ref.lines.start, ref.lines.end)), ref.lines.span or ref.span))
    for symbol_ref in doc.scan.symbols:
        if symbol_ref.hypothetical:
            continue
        declarations = _declarations(symbol_ref, doc, ws)
        if not declarations:
            continue
        path = declarations[0][0]
        text = ws.source_text(path)
        if text is None:
            continue
        body = "\n\n".join(_lines(text, s.line, s.end_line) for p, s in declarations if p == path)
        first, last = min(s.line for _p, s in declarations), max(s.end_line for _p, s in declarations)
        found.append(Fingerprint(doc.path, "symbol", symbol_ref.name, path, first, last, digest(body),
                                 symbol_ref.span))
    return found


def _declarations(ref: SymbolRef, doc: Doc, ws: Context) -> list[tuple[str, Symbol]]:
    if ref.file is not None:
        resolved = ws.resolve_link(ref.file[5:], doc.dir) if ref.file.startswith("link:") else ws.resolve(ref.file, doc.dir)
        path = ws.indexed_path(resolved) if resolved.unique_file else None
        return [(path, s) for s in ws.index.in_file(path, ref.name)] if path else []
    entries = ws.index.declarations(ref.name)
    paths = {p for p, _s in entries}
    return sorted(entries, key=lambda e: (e[0], e[1].line)) if len(paths) == 1 else []


# --------------------------------------------------------------------------- writing


def write_lock(ws: Workspace, docs: list[Doc], contexts: list[Context], destination: Path) -> LockPayload:
    """Write down what the docs' checks used (their contexts' records) and their fingerprints."""
    lock_context = Context.of(ws)  # the fingerprints' own lookups are part of the record
    prints = sorted({fp.key: fp for doc in docs for fp in fingerprints(doc, lock_context)}.values(),
                    key=lambda f: f.key)
    contexts = [*contexts, lock_context]
    asked: dict[Question, Answer] = {}
    used_paths: set[str] = set()
    anchors: dict[str, set[str]] = {}
    for context in contexts:
        asked.update(context.index.asked)
        used_paths |= context.record.source_paths
        for path, found in context.record.source_anchors.items():
            anchors.setdefault(path, set()).update(found)
    asked_about = {str(args[0]) for (method, args) in asked if method in _FILE_QUESTIONS}
    tree = ws.trees[-1]
    files: dict[str, LockedFile] = {}
    dirs: list[str] = []
    for path in sorted(used_paths | asked_about | {f.path for f in prints}):
        if tree.is_dir(path) and not tree.is_file(path):
            dirs.append(path)
            continue
        text = ws.source_text(path) if path in tree.files else None
        lines = ws.line_count(tree, path) if text is not None else None  # as a live run counts
        if text is not None and lines is not None:  # (None only if the file went since it was read)
            files[path] = {"lines": lines, "sha256": digest(text)}
    payload: LockPayload = {
        "version": LOCK_VERSION,
        "generator": f"doclint {__version__}",
        "files": files,
        "dirs": dirs,
        "anchors": {p: sorted(a) for p, a in sorted(anchors.items())},
        "lookups": sorted(({"ask": method, "args": list(args), "answer": lookups.encode(answer)}
                           for (method, args), answer in asked.items()),
                          key=lambda entry: json.dumps([entry["ask"], entry["args"]])),
        "packs": packs.facts_to_json(ws.pack_facts) if ws.pack_facts is not None else None,
        "references": [
            {"doc": f.doc, "kind": f.kind, "target": f.target, "path": f.path, "start": f.start, "end": f.end,
             "sha256": f.sha256}
            for f in prints
        ],
    }
    writing.write_text(destination, json.dumps(payload, indent=1, sort_keys=True, ensure_ascii=False) + "\n")
    return payload


# Lookups whose first argument is a source file: the lock lists those files too.
_FILE_QUESTIONS = frozenset({"file_uses", "names_in_file", "in_file", "is_indexed", "line_count"})


# --------------------------------------------------------------------------- reading


def _compiles(pattern: str) -> bool:
    try:
        id_patterns(pattern)
    except PatternError:
        return False
    return True


def _is_glob(pattern: str) -> bool:
    try:
        GlobSet([pattern])
    except GlobError:
        return False
    return True


# What `write_lock` writes, as `read_lock` checks it.
_LINE = shapes.Integer()
_PATH = shapes.RELATIVE_PATH
_TEXT = shapes.Text()
_POSITION = shapes.Row((_PATH, _LINE))


class _Argument(shapes.Shape):
    expected = "a string or a number"

    def check(self, value: object, key: str) -> None:
        if not isinstance(value, (str, float)):
            raise shapes.Mismatch(key, self.expected, value)


class _Any(shapes.Shape):
    """A value checked by the shape around it."""

    def check(self, value: object, key: str) -> None:
        return None


class _Lookup(shapes.Shape):
    """One recorded question and its answer, the answer of the kind its method gives."""

    expected = "an object with ask, args, answer"

    def check(self, value: object, key: str) -> None:
        _LOOKUP_FIELDS.check(value, key)
        assert isinstance(value, dict)
        try:
            lookups.decode_answer(value["ask"], value["answer"])
        except (ValueError, RecursionError):
            what = f"an answer of `{value['ask']}` as `doclint lock` writes it"
            raise shapes.Mismatch(f"{key}.answer", what, value["answer"]) from None


_LOOKUP_FIELDS: shapes.Shape = shapes.Record({"ask": shapes.Text(lookups.LOOKUPS), "args": shapes.ListOf(_Argument()),
                                "answer": _Any()})
_MEMBER_SET = shapes.Record({
    "name": _TEXT, "kind": shapes.Text(("union", "domain")),
    "docs": shapes.ListOf(shapes.Text(test=_is_glob, meaning="a glob relative to the root")),
    "has_emitters": shapes.Flag(), "has_handler": shapes.Flag(),
    "handler": shapes.Maybe(shapes.Row((_PATH, _TEXT))), "handler_line": shapes.Maybe(_LINE),
    "members": shapes.ListOf(shapes.Record({
        "name": _TEXT, "declared": shapes.Maybe(_POSITION), "emitted": shapes.ListOf(_POSITION),
        "handled": shapes.ListOf(_POSITION), "aliases": shapes.ListOf(_TEXT)})),
})
_PACKS = shapes.Record({
    "sets": shapes.ListOf(_MEMBER_SET),
    "invariant_pattern": shapes.Maybe(shapes.Text(test=_compiles, meaning="a regular expression that compiles")),
    "invariants": shapes.MapOf(shapes.ListOf(shapes.Row((_TEXT, _PATH, _LINE)))),
})
LOCK_SHAPE: shapes.Shape = shapes.Record(
    {"files": shapes.MapOf(shapes.Record({"lines": _LINE, "sha256": _TEXT}), _PATH),
     "dirs": shapes.ListOf(_PATH), "anchors": shapes.MapOf(shapes.ListOf(_TEXT), _PATH),
     "lookups": shapes.ListOf(_Lookup()),
     "references": shapes.ListOf(shapes.Record({
         "doc": _PATH, "kind": shapes.Text(("symbol", "range")), "target": _TEXT,
         "path": _PATH, "start": _LINE, "end": _LINE, "sha256": _TEXT}))},
    {"generator": _TEXT, "packs": shapes.Maybe(_PACKS)})


def read_lock(path: Path) -> LockPayload:
    """The lock's contents, every value of the shape `write_lock` gives it; else exit 2 naming the key."""
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise DoclintError(f"cannot read lock: {exc.strerror}", str(path)) from None
    except RecursionError:
        raise DoclintError("lock is not valid JSON (nested too deeply); run `doclint lock` again", str(path)) from None
    except (UnicodeDecodeError, ValueError) as exc:  # ValueError: JSON, or a number too long to read
        raise DoclintError(f"lock is not valid JSON ({exc}); run `doclint lock` again", str(path)) from None
    try:
        if not isinstance(payload, dict):
            raise shapes.Mismatch("(top level)", "an object", payload)
        version = payload.get("version", shapes.MISSING)
        if type(version) is not int or version != LOCK_VERSION:
            raise shapes.Mismatch("version", f"{LOCK_VERSION}, the lock format of this doclint", version)
        LOCK_SHAPE.check(payload, "")
    except shapes.Mismatch as exc:
        raise DoclintError(f"lock is malformed: {exc}; run `doclint lock` again", str(path)) from None
    return cast(LockPayload, payload)  # LOCK_SHAPE found it one


def replay_parts(payload: LockPayload, sentinel_root: Path) -> tuple[LockedTree, SymbolIndex, Replayed]:
    """A source tree, and lookups that answer exactly what the lock recorded (as `read_lock`
    checked it); the index lists the recorded files, for what is not a lookup."""
    lines = {p: meta["lines"] for p, meta in payload["files"].items()}
    tree = LockedTree(sentinel_root, lines, set(payload["dirs"]), {p: set(a) for p, a in payload["anchors"].items()})
    index = SymbolIndex({path: FileScan(line_count=count) for path, count in lines.items()})
    answers = {(entry["ask"], tuple(entry["args"])): lookups.decode_answer(entry["ask"], entry["answer"])
               for entry in payload["lookups"]}
    return tree, index, Replayed(answers)


# --------------------------------------------------------------------------- drift


def check_doc(doc: Doc, context: Context) -> list[Problem]:
    """The registered check: `drift` against the context's lock (it applies only with one)."""
    return drift(doc, context, context.lock) if context.lock is not None else []


def drift(doc: Doc, ws: Context, payload: LockPayload) -> list[Problem]:
    """DL013 for each symbol or range this doc refers to whose text changed since the lock."""
    locked = {
        (r["doc"], r["kind"], r["target"], r["path"]) + ((r["start"], r["end"]) if r["kind"] == "range" else ()): r
        for r in payload["references"]
        if r.get("doc") == doc.path
    }
    problems = []
    for fp in fingerprints(doc, ws):
        before = locked.get(fp.key)
        if before is None or before.get("sha256") == fp.sha256:
            continue
        what = f"`{fp.target}` in `{fp.path}`" if fp.kind == "symbol" else f"lines {fp.start}-{fp.end} of `{fp.path}`"
        moved = "" if fp.kind == "range" or (before["start"], before["end"]) == (fp.start, fp.end) else (
            f" (was lines {before['start']}-{before['end']}, now {fp.start}-{fp.end})")
        problems.append(Problem(
            "DL013", fp.span,
            f"{what} changed since the lock{moved}; review this text, then run `doclint lock`",
            target=fp.path,
        ))
    return problems
