"""What a run can take from the cache instead of recomputing.

Three levels, each keyed by everything it depends on: whole results (every input of the
run), per-doc results (the doc's bytes, the files it consulted, the answers of the lookups it
made, and the shared context), and per-file scans (scanning.py). Beside them, the last
run's record (`LastRun`): every doc's result in one row, keyed by every input but the docs'
and the sources' bytes, from which a run after an edit takes the docs' results rather than
reading one row per doc (each still checked as its own row would be). A key that cannot be
pinned down is None: no reuse.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, TypedDict

from doclint import lock, lookups, packs, serial, sites, urls
from doclint.cache import Cache
from doclint.checks import Doc
from doclint.context import Context
from doclint.findings import Problem
from doclint.history import GitHistory
from doclint.mdrefs_types import Suppression
from doclint.outside import FOREIGN_MARKER as FOREIGN_NAMES
from doclint.outside import MARKER as OUTSIDE_CODE
from doclint.scanning import hash_files
from doclint.tree import FileTree
from doclint.workspace import Workspace, is_markdown

if TYPE_CHECKING:  # the linter imports this module
    from doclint.linter import Options

def doc_context(ws: Workspace, payload: lock.LockPayload | None, replaying: bool, cache: Cache) -> str | None:
    """Everything a doc's findings depend on besides its own bytes, the files it consulted and
    the lookups it made: the config, the lock, the commit, the file listing and the rule-pack
    facts. Not the sources' bytes: a doc's result holds while its lookups' answers do."""
    if not cache.enabled or cache.db is None:
        return None
    parts = [str(ws.source_root), str(replaying), repr(ws.git_head), str(urls.repository(ws.root, ws.config.repository)),
             sites.context(ws), GitHistory.environment_key()]
    for path in (ws.config.path, lock.lock_path(ws.root, ws.config)):
        if path is not None and path.is_file():
            parts.append(hashlib.sha256(path.read_bytes()).hexdigest())
    for tree in ws.trees:
        parts.append(f"tree {tree.root}")
        parts.extend(sorted(getattr(tree, "files", ())))
        parts.extend(sorted(getattr(tree, "dirs", ())))
    if payload is not None:
        parts.append(json.dumps(payload.get("packs"), sort_keys=True))
    if ws.pack_facts is not None:
        parts.append(json.dumps(packs.facts_to_json(ws.pack_facts), sort_keys=True))
    return Cache.key("doc-context", *parts)


def sources_key(ws: Workspace) -> str:
    """A hash of every indexed source's bytes: while it is the same, so is every lookup's answer."""
    return Cache.key("sources", *(f"{p} {h}" for p, h in sorted(ws.source_hashes.items())))


class DocEntry(TypedDict):
    """A doc's stored result: its problems and what they depended on (`doc_entry_holds`)."""

    problems: list[serial.Encoded]
    suppressions: list[serial.Encoded]
    references: int
    consulted: dict[str, str | None]  # other files read -> their sha256 (None: gone)
    sources: str  # `sources_key` when it was stored
    names: str | None  # `Sources.names` when it was stored: did-you-mean answers hold while it is the same
    asked: str  # a hash of the lookups it made (`lookups.record_of`), kept apart under it (`ASKED`)
    code: list[list[str | None]]  # [question, name, answer] asked of the code outside the index


# The cache kind a doc's lookups are kept under, apart from its result: they are read only
# when a source changed (most runs' docs need only their results; many docs share one record).
ASKED = "asked"


# The cache kind of the one row per sources' key that says which lookup records hold there,
# and how many of those rows are kept (the most recently written: one per state of the sources).
HELD = "held"
KEPT_HELD = 16


def asked_key(asked: str) -> str:
    return Cache.key(ASKED, asked)


class Sources:
    """What a stored doc result's lookups are checked against in one run: the sources' key, the
    declared names' key (worked out on first use), and each question's answer digest, worked
    out once for every doc that asked it."""

    def __init__(self, ws: Workspace):
        self.ws = ws
        self.key = sources_key(ws)
        self._names: str | None = ""  # "": not worked out yet
        self.answers: dict[tuple[str, tuple[str | float, ...]], str] = {}
        self._held: set[str] = set()  # the lookup records known to hold from these sources (`load_held`)
        self._held_row = Cache.key(HELD, self.key)
        self._held_changed = False
        self.records: dict[str, object] = {}  # asked_key -> the lookups record, of entries that need asking
        self._record_keys: dict[str, str] = {}  # asked -> its asked_key, for those entries
        self._kept: set[str] = set()  # the records stored this run
        self.shas: dict[str, str | None] = {}  # consulted file -> its hash now (`consulted_sha`), for the run

    def load_held(self, entries: Iterable[object], cache: Cache) -> None:
        """Which of these stored entries (made from other sources) are known to hold now, and
        the lookups of the others, to ask again. What holds is kept in one row per sources'
        key: the hashes of the lookup records that were all asked again from these sources and
        got the answers they got (`mark_held`), so later runs need not ask them (the entries
        are not rewritten)."""
        others = [entry for entry in entries if isinstance(entry, dict) and entry.get("sources") != self.key
                  and isinstance(entry.get("asked"), str)]
        stored = cache.get(HELD, self._held_row)
        self._held = {asked for asked in stored if isinstance(asked, str)} if isinstance(stored, list) else set()
        self._record_keys = {asked: asked_key(asked) for entry in others if (asked := entry["asked"]) not in self._held}
        self.records = cache.get_many(ASKED, sorted(set(self._record_keys.values())))  # one query for them all

    def record(self, asked: str) -> object:
        """The lookups record kept under `asked`, if `load_held` loaded it (None otherwise)."""
        key = self._record_keys.get(asked)
        return self.records.get(key) if key is not None else None

    def keep_record(self, asked: str, record: list[list[object]], cache: Cache) -> None:
        """Store a doc's lookups under their hash, once a run (docs that asked alike share it)."""
        key = asked_key(asked)
        if key not in self._kept:
            self._kept.add(key)
            cache.put(ASKED, key, record)

    def holds(self, entry: dict[str, object]) -> bool:
        return entry.get("asked") in self._held

    def mark_held(self, asked: str, cache: Cache) -> None:
        """A record whose every lookup got the answer it got, from these sources: kept (in the
        held row, rewritten when the cache is next written)."""
        if asked in self._held:
            return
        if not self._held_changed:
            cache.put_later(HELD, self._held_row, self._held_to_write)
            cache.keep_newest(HELD, KEPT_HELD)
        self._held.add(asked)
        self._held_changed = True

    def _held_to_write(self) -> list[str] | None:
        if not self._held_changed:
            return None
        self._held_changed = False
        return sorted(self._held)

    def names(self) -> str | None:
        """A hash of every name the index declares: while it is the same, so is each did-you-mean
        answer (`closest_name` reads nothing else). None when the lookups are not the index's."""
        if self._names == "":
            live = self.ws.lookups
            self._names = live.names_key if isinstance(live, lookups.IndexLookups) else None
        return self._names


def doc_entry(found: list[Problem], doc: Doc, context: Context, sources: Sources, cache: Cache) -> DocEntry:
    ws = context.ws
    consulted = context.record.reads - {os.path.join(ws.root, doc.path)}
    record = lookups.record_of(context.index.asked, sources.answers)
    asked = hashlib.sha256(json.dumps(record).encode("utf-8", "surrogatepass")).hexdigest()
    sources.keep_record(asked, record, cache)
    return {"problems": [serial.encode_problem(p) for p in found],
            "suppressions": [serial.encode_suppression(x) for x in doc.scan.suppressions],
            "references": doc.scan.reference_count,
            "consulted": {absolute: consulted_sha(absolute, ws, cache) for absolute in sorted(consulted)},
            "sources": sources.key, "names": sources.names(), "asked": asked,
            "code": [[question, name, answer] for (question, name), answer in sorted(context.record.code_answers.items())]}


def doc_entry_holds(entry: object, ws: Workspace, sources: Sources, cache: Cache) -> dict[str, str | None] | None:
    """A stored doc result holds while the other files it read are unchanged and each lookup
    it made gets the same answer (certainly so while no source changed, and for did-you-mean
    while the declared names are the same). Returns what those files are now (`consulted_now`)
    when it holds, else None."""
    if not isinstance(entry, dict) or not isinstance(asked := entry.get("asked"), str):
        return None
    consulted = consulted_now(entry, ws, cache, sources.shas)
    if consulted is None:
        return None
    if entry.get("sources") == sources.key or sources.holds(entry):
        return consulted
    record = sources.record(asked)
    if not isinstance(record, list):
        return None  # not kept (or not loaded): checked again
    names = sources.names()
    same = ("closest_name",) if names is not None and entry.get("names") == names else ()
    if not lookups.still_answered(record, ws.lookups, sources.answers, same):
        return None
    sources.mark_held(asked, cache)
    return consulted


def entry_still_holds(entry: object, ws: Workspace, cache: Cache) -> bool:
    """A stored result holds only while every other file it read is unchanged."""
    return consulted_now(entry, ws, cache) is not None


def consulted_now(entry: object, ws: Workspace, cache: Cache, shas: dict[str, str | None] | None = None,
                  ask_code: bool = True) -> dict[str, str | None] | None:
    """The hashes the other files a stored result read have now, if each is unchanged (the code
    outside the index may have changed where every question the doc asked of it has the same
    answer: its digest now is given; not asked without `ask_code`, since it may need the
    index), else None. `shas` memoises `consulted_sha` for the run."""
    if not isinstance(entry, dict):
        return None
    consulted = entry.get("consulted")
    if not isinstance(consulted, dict):
        return None
    now: dict[str, str | None] = {}
    for absolute, sha in consulted.items():
        if not isinstance(absolute, str):
            return None
        if shas is None:
            current = consulted_sha(absolute, ws, cache)
        elif (current := shas.get(absolute, "")) == "":
            current = shas[absolute] = consulted_sha(absolute, ws, cache)
        now[absolute] = current
        if current != sha and not (ask_code and absolute in _CODE_QUESTIONS and _same_answers(entry, absolute, ws)):
            return None
    return now


# The code outside the index a doc consults as a whole, and the question it asked of it.
_CODE_QUESTIONS = {FOREIGN_NAMES: "foreign_name", OUTSIDE_CODE: "used_outside"}


def _same_answers(entry: dict[str, object], consulted: str, ws: Workspace) -> bool:
    """Code outside the index changed: the doc's result still holds when each question it asked
    of that code gets the answer it got (one file's edit seldom changes who declares a name)."""
    question = _CODE_QUESTIONS[consulted]
    asked = entry.get("code")
    if not isinstance(asked, list):
        return False
    ask = getattr(ws, question)
    for item in asked:
        if not (isinstance(item, list) and len(item) == 3 and isinstance(item[1], str)
                and (item[2] is None or isinstance(item[2], str))):
            return False
        if item[0] == question and ask(item[1]) != item[2]:
            return False
    return True


def consulted_sha(absolute: str, ws: Workspace, cache: Cache) -> str | None:
    """The hash of a file a doc read, or None when no walked tree holds it: whatever path an
    entry names, nothing outside the trees (nor anything the walk skipped) is opened. The code
    outside the index, which a doc consults as a whole, has a digest of its own."""
    if absolute == OUTSIDE_CODE:
        return ws.outside_digests().digest()
    if absolute == FOREIGN_NAMES:
        return ws.outside_digests().foreign_digest()
    for tree in ws.trees:
        prefix = os.path.join(tree.root, "")
        if not isinstance(tree, FileTree) or not absolute.startswith(prefix):
            continue  # a locked tree has no files to read
        path = absolute[len(prefix):]
        if path in tree.files and tree.stays_inside(path):
            hashed = cache.file_sha(absolute, follow=path in tree.linked)
            return hashed[0] if hashed else None
    return None


def run_keys(ws: Workspace, options: Options, cache: Cache) -> tuple[str | None, str | None]:
    """The keys of a check run's stored results: a hash of every input of the run (the whole
    result), and of every input but the sources' and the docs' bytes (the last run's record,
    `LastRun`; None for a run narrowed to some paths). None when some input cannot be pinned down."""
    if not cache.enabled or cache.db is None:
        return None, None
    paths = tuple(str(Path(p).resolve()) for p in options.paths)  # as `_narrow` reads them
    parts = [repr((paths, options.select, options.ignore, options.strict, str(ws.source_root)))]
    for path in (ws.config.path, lock.lock_path(ws.root, ws.config)):
        if path is not None and path.is_file():
            parts.append(f"{path}:{hashlib.sha256(path.read_bytes()).hexdigest()}")
    for entry in ws.config.rules:  # bundled packs are in the code digest
        pack_file = packs.pack_path(entry, ws.root, ws.config.where)
        if pack_file is not None and pack_file.is_file():
            parts.append(hashlib.sha256(pack_file.read_bytes()).hexdigest())
    head = ws.git_head
    parts.append(f"HEAD {head} {GitHistory.environment_key()}")
    parts.append(sites.context(ws))
    other_markdown = [p for p in ws.trees[0].files if is_markdown(p) and p not in ws.hashed_docs]
    extra = hash_files(str(ws.root), sorted(other_markdown), cache, ws.config.max_file_size, [], ws.trees[0])
    for tree in ws.trees:
        parts.append(f"tree {tree.root}")
        parts.extend(sorted(tree.files))
        parts.extend(sorted(tree.dirs))
    parts.extend(f"{p} {h.sha}" for p, h in sorted(extra.items()))
    frame = Cache.key(LAST_RUN, *parts)  # the world's key goes on from it: the parts are hashed once
    world = Cache.key("result", frame, *(f"{p} {h}" for p, h in sorted(ws.source_hashes.items())),
                      *(f"{p} {h.sha}" for p, h in sorted(ws.hashed_docs.items())))
    return world, None if options.paths else frame


# The cache kind of the last full run's record (`LastRun`), one row per `run_keys` frame.
LAST_RUN = "last-run"


class LastRun:
    """What the last full run with the same inputs but for the sources' and the docs' bytes
    found (`run_keys`): each doc's entry as it held then (with the bytes the doc had, the
    hashes of the other files it read and the lookups it made), and the problems found in
    the sources. A run that edited some docs takes every doc whose bytes and consulted files
    are unchanged from it at once, and the sources' problems while the docs their comments
    link into are unchanged; after a source edit, each doc's entry is checked as its own row
    would be (`doc_entry_holds`), without reading one row per doc. It keeps what it found,
    for the next run (`now`)."""

    def __init__(self, stored: object):
        before = stored if isinstance(stored, dict) else {}
        self.context = before.get("context")
        self.sources = before.get("sources")
        self.names = before.get("names")  # the entries' `names` unless an item says otherwise
        self._docs, self._paths = before.get("docs"), before.get("paths")
        self.docs: dict[str, object] = {}  # doc path -> its item, once `align`ed
        self.source_problems = before.get("source_problems")
        self.undocumented = before.get("undocumented")
        self.now: dict[str, object] | None = None

    def matches(self, context: str | None) -> bool:
        """Was it made with this doc context (`doc_context`: config, lock, tree, rule packs' facts)?"""
        return context is not None and self.context == context

    def same_sources(self, context: str | None, sources: Sources) -> bool:
        """And from these sources' bytes?"""
        return self.matches(context) and self.sources == sources.key

    def align(self, paths: list[str]) -> None:
        """Read the docs' items, which the record keeps in the order of the selected docs'
        paths (no path written out): when these are the paths it was made for."""
        if isinstance(self._docs, list) and len(self._docs) == len(paths) and self._paths == _paths_key(paths):
            self.docs = dict(zip(paths, self._docs, strict=False))

    def held(self, path: str, sha: str) -> dict[str, object] | None:
        """The doc's entry as it held from the record's sources, if the doc had these bytes:
        a `DocEntry` (each part is checked where it is used)."""
        item = self.docs.get(path)
        if not isinstance(item, list) or not item or item[0] != sha:
            return None
        asked, references, problems, suppressions, consulted, code, names = \
            (item[1:] + [None, 0, [], [], {}, [], ""][len(item) - 1:])[:7]
        if not isinstance(asked, str):
            return None
        return {"asked": asked, "references": references, "problems": problems, "suppressions": suppressions,
                "consulted": consulted, "code": code, "names": names or self.names, "sources": self.sources}

    def sources_for(self, context: str | None, sources: Sources) -> SourcesRecord | None:
        """The problems the last run found in the sources, if it had these sources and facts."""
        if not self.same_sources(context, sources):
            return None
        return SourcesRecord.decode(self.source_problems)

    def undocumented_for(self, context: str | None, sources: Sources,
                         docs: dict[str, str]) -> list[tuple[str, Problem]] | None:
        """What DL011 found, if it read the docs it reads now, with the bytes they have now."""
        held = self.undocumented
        if not self.same_sources(context, sources) or not isinstance(held, dict) or held.get("docs") != docs:
            return None
        return _decode_placed(held.get("problems"))

    def keep(self, context: str | None, sources: Sources, paths: list[str], docs: dict[str, list[object]],
             source_record: SourcesRecord, undocumented: list[tuple[str, Problem]], pack_docs: dict[str, str]) -> None:
        """Make the record of this run (`now`), for the next: `docs` maps each of the selected
        docs (`paths`) whose entry holds from these sources to [its bytes' hash, asked,
        references, problems, suppressions, consulted, code, names] (as `held` reads them:
        the names most entries have are said once, and what is empty at the end is left out)."""
        if context is None:
            return
        counts = Counter(item[7] for item in docs.values() if isinstance(item[7], str))
        names = counts.most_common(1)[0][0] if counts else None
        for item in docs.values():
            if item[7] == names:
                item[7] = ""
            while len(item) > 1 and not item[-1]:
                item.pop()
        self.now = {"context": context, "sources": sources.key, "names": names, "paths": _paths_key(paths),
                    "docs": [docs.get(path) for path in paths],
                    "source_problems": source_record.encode(),
                    "undocumented": {"docs": pack_docs, "problems": _encode_placed(undocumented)}}


def _paths_key(paths: list[str]) -> str:
    return hashlib.sha256("\0".join(paths).encode("utf-8", "surrogatepass")).hexdigest()


class SourcesRecord(NamedTuple):
    """The problems found in the sources (by the path shown), their suppressions, and the docs
    whose scans the comments' links read (-> their sha256; None: not a selected doc)."""

    problems: list[tuple[str, Problem]]
    suppressions: dict[str, list[Suppression]]
    docs: dict[str, str | None]

    def encode(self) -> dict[str, object]:
        return {"problems": _encode_placed(self.problems),
                "suppressions": {path: [serial.encode_suppression(x) for x in entries]
                                 for path, entries in self.suppressions.items()},
                "docs": self.docs}

    @staticmethod
    def decode(stored: object) -> SourcesRecord | None:
        if not isinstance(stored, dict):
            return None
        problems = _decode_placed(stored.get("problems"))
        suppressions, docs = stored.get("suppressions"), stored.get("docs")
        if problems is None or not isinstance(suppressions, dict) or not isinstance(docs, dict):
            return None
        try:
            decoded = {str(path): [serial.decode_suppression(x) for x in entries]
                       for path, entries in suppressions.items()}
        except (ValueError, TypeError):
            return None
        if not all(isinstance(k, str) and (v is None or isinstance(v, str)) for k, v in docs.items()):
            return None
        return SourcesRecord(problems, decoded, docs)


def _encode_placed(problems: list[tuple[str, Problem]]) -> list[list[object]]:
    return [[path, serial.encode_problem(problem)] for path, problem in problems]


def _decode_placed(stored: object) -> list[tuple[str, Problem]] | None:
    """Problems with the path each is reported in, as `_encode_placed` wrote them (None: a bad entry)."""
    if not isinstance(stored, list):
        return None
    try:
        return [(str(path), serial.decode_problem(problem)) for path, problem in stored]
    except (ValueError, TypeError):
        return None
