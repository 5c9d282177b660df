"""When each doc is checked: scans stream in from the worker pool (or the cache), a doc is
checked as soon as its scan and the index are in, and its links once the docs they point
into are in too; a doc whose stored result still holds is taken from the cache."""

from __future__ import annotations

import posixpath
from collections.abc import Collection, Generator, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING
from urllib.parse import unquote

from doclint import claims, reuse, serial
from doclint.cache import Cache
from doclint.checks import Doc, doc_checks, drift
from doclint.context import Context
from doclint.findings import Problem
from doclint.gitrun import GitUnavailable
from doclint.history import GitHistory
from doclint.mdrefs import SCHEME, DocScan, Suppression
from doclint.progress import Progress
from doclint.scanning import Request, scan_key, stream_many
from doclint.tree import text_lines
from doclint.tsindex import FileScan
from doclint.workspace import Workspace

if TYPE_CHECKING:
    from doclint.lock import LockPayload


def load_docs(ws: Workspace, notices: list[str], cache: Cache | None = None, jobs: int = 1) -> list[str]:
    """The selected docs that could be read. Scans the cache already holds load on first use;
    the rest are parsed up front, in parallel on a cold run."""
    for _progress in stream_docs(ws, notices, cache, jobs):
        pass
    return readable_docs(ws)


def readable_docs(ws: Workspace) -> list[str]:
    return sorted(p for p in ws.hashed_docs if not ws.doc_scans.skipped(p))


def stream_docs(ws: Workspace, notices: list[str], cache: Cache | None = None, jobs: int = 1,
                progress: Progress | None = None) -> Generator[tuple[set[str], bool], None, None]:
    """`load_docs` step by step. Yields (in flight, sources ready) as parsed docs arrive (into
    the workspace's store of scans): the docs still being parsed, and whether the index can be
    used yet (a cold run parses the sources first, in the same pool). When it is done, nothing
    is in flight."""
    cache = cache or Cache(ws.root, enabled=False)
    keys = {p: scan_key("md", p, h.sha) for p, h in ws.hashed_docs.items()}
    known = cache.known("md", set(keys.values()))
    cold = {p: h for p, h in ws.hashed_docs.items() if keys[p] not in known}
    in_flight = set(cold)
    if not cold:
        yield in_flight, True
        return
    requests = [Request("md", str(ws.root), cold)]
    if ws.index_pending and ws.source_request is not None:
        requests.insert(0, ws.source_request)  # the checks will need the index: parse it first, alongside
    docs = len(requests) - 1
    sources: dict[str, FileScan] = {}
    for arrived, complete in stream_many(requests, cache, jobs, ws.config.max_parse_seconds, notices, progress):
        for number, path, scan in arrived:
            if number == docs and isinstance(scan, DocScan):
                ws.doc_scans.arrived(path, scan)
                in_flight.discard(path)
            elif isinstance(scan, FileScan):
                sources[path] = scan
        if docs and 0 in complete and ws.index_pending:
            ws.build_index_from(sources)
        if in_flight and complete != set(range(len(requests))):
            yield in_flight, not docs or 0 in complete
    for path in in_flight:
        ws.doc_scans.arrived(path, None)  # skipped: too slow to parse
    in_flight.clear()
    yield in_flight, True


class DocRun:
    """The per-doc part of a check run: each doc's problems, from the cache when its stored
    result still holds, else from the checks."""

    def __init__(self, ws: Workspace, payload: LockPayload | None, replaying: bool, git: GitHistory | None,
                 cache: Cache, notices: list[str], jobs: int):
        self.ws, self.payload, self.replaying, self.git = ws, payload, replaying, git
        self.cache, self.notices = cache, notices
        self.found: dict[str, list[Problem]] = {}
        self.suppressions: dict[str, list[Suppression]] = {}
        self.references = 0
        self.keys: dict[str, str] = {}
        self.stored: dict[str, object] = {}
        self.sources = reuse.Sources(ws)
        self.checked = 0  # docs whose checks ran (the rest came from the cache)
        self.partial: dict[str, tuple[Doc, list[Problem], Context]] = {}  # all checked but the links
        self.plans: dict[str, drift.Plan] = {}  # drift plans made ahead, their blames started
        self.consulted: dict[str, str | None] = {}  # every other file a doc read -> its sha, for the whole result
        self.lost_history = False  # git failed during the run (a partial or damaged clone)
        self.said_unreadable = False
        self.jobs = jobs
        self.context: str | None = None  # `reuse.doc_context`, once prepared
        self.carried: dict[str, dict[str, object]] = {}  # the record's entries, made from other sources
        self.held: dict[str, list[object]] = {}  # doc -> its entry for the next run's record (`LastRun.keep`)

    def prepare(self, doc_paths: list[str], last: reuse.LastRun | None = None) -> list[str]:
        """Load the stored results of these docs: from the last run's record for the docs whose
        bytes it checked, one row per doc for the others. Those the record holds for (the same
        sources, bytes and consulted files) are taken at once; returns the docs left to check."""
        context = self.context = reuse.doc_context(self.ws, self.payload, self.replaying, self.cache)
        if not context:
            return doc_paths
        hashed = self.ws.hashed_docs
        if last is not None and last.matches(context):
            last.align(sorted(hashed))
            same = last.same_sources(context, self.sources)
            left = []
            for path in doc_paths:
                entry = last.held(path, hashed[path].sha)
                if entry is not None and not same:
                    self.carried[path] = entry  # its lookups are asked again in `check`, once the index is in
                elif entry is not None and self._take(path, entry):
                    continue
                left.append(path)
            doc_paths = left
        self.keys = {p: Cache.key("doc", context, hashed[p].sha) for p in doc_paths if p not in self.carried}
        self.stored = self.cache.get_many("doc", sorted(set(self.keys.values())))
        self.sources.load_held([*self.stored.values(), *self.carried.values()], self.cache)
        return doc_paths

    def _take(self, path: str, entry: dict[str, object]) -> bool:
        """Take an entry that held from these sources, while the files it consulted are
        unchanged (whether a changed one leaves its answers the same is asked in `check`,
        once the index is in)."""
        consulted = reuse.consulted_now(entry, self.ws, self.cache, self.sources.shas, ask_code=False)
        return consulted is not None and self._reuse(path, entry, consulted)

    def _reuse(self, path: str, entry: Mapping[str, object], consulted: dict[str, str | None]) -> bool:
        """Record a stored entry's problems (False when it does not decode: checked again)."""
        problems, suppressions, references = entry.get("problems"), entry.get("suppressions"), entry.get("references")
        if not isinstance(problems, list) or not isinstance(suppressions, list) or not isinstance(references, int):
            return False
        try:
            found = [serial.decode_problem(v) for v in problems]
            kept = [serial.decode_suppression(v) for v in suppressions]
        except (ValueError, TypeError):
            return False
        self._record(path, found, kept, references)
        self.consulted.update(consulted)  # as they are now: a held entry may name an older digest
        self._hold(path, entry, consulted)
        return True

    def _hold(self, path: str, entry: Mapping[str, object], consulted: dict[str, str | None]) -> None:
        """Keep a doc's entry, as it holds from these sources, for the next run's record."""
        self.held[path] = [self.ws.hashed_docs[path].sha, entry.get("asked"), entry.get("references"),
                           entry.get("problems"), entry.get("suppressions"), consulted, entry.get("code"),
                           entry.get("names")]

    def _key(self, path: str) -> str | None:
        """The doc's own cache row, if results are kept this run."""
        if path not in self.keys and self.context:
            self.keys[path] = Cache.key("doc", self.context, self.ws.hashed_docs[path].sha)
        return self.keys.get(path)

    def blame_ahead(self, paths: list[str], in_flight: frozenset[str] | set[str]) -> None:
        """Start the git blames these docs' drift checks will want, several at a time."""
        if self.git is None:
            return
        ws = self.ws
        for path in paths:
            if path in in_flight or path in self.plans or path in self.partial or path in self.carried or \
                    self.keys.get(path) in self.stored or ws.doc_scans.skipped(path):
                continue
            scan = ws.doc_scan(ws.trees[0], path)
            if scan is None:
                continue
            try:
                self.plans[path] = drift.plan(Doc(path, scan), Context.of(ws), self.git)
            except GitUnavailable:
                continue  # the check itself will meet this again, and say so
        self.git.blame_ahead({p: plan.lines for p, plan in self.plans.items()}, self.jobs)

    def check(self, path: str, in_flight: frozenset[str] | set[str]) -> bool:
        """Check one doc unless it must wait for docs still in flight; True once it is done
        (checked, taken from the cache, or skipped)."""
        ws = self.ws
        if path in in_flight:
            return False
        if ws.doc_scans.skipped(path):
            return True  # skipped: too slow to parse
        entry = self.carried.get(path) or self.stored.get(self.keys.get(path, ""))
        consulted = reuse.doc_entry_holds(entry, ws, self.sources, self.cache)
        if consulted is not None and isinstance(entry, dict) and self._reuse(path, entry, consulted):
            return True
        if path not in self.partial:
            scan = ws.doc_scan(ws.trees[0], path)
            if scan is None:
                return True
            self.partial[path] = self._check_all_but_links(Doc(path, scan))
            self.checked += 1
        doc, found, context = self.partial[path]
        if in_flight and _links_into(ws, path, doc.scan, in_flight):
            return False  # the anchors it links to are not known yet
        del self.partial[path]
        for check in doc_checks():
            if check.after_other_docs and check.applies(context):
                found.extend(check.run(doc, context))
        if found:
            text = ws.doc_text(path)
            found = claims.filter_doc(path, found, text_lines(text) if text is not None else [],
                                      lambda: context.library_words)
        self._record(path, found, doc.scan.suppressions, doc.scan.reference_count)
        key = self._key(path)
        if key is not None and not self.lost_history and (self.git is None or path not in self.git.unreadable):
            # kept only when checked against the history it should have had
            made = reuse.doc_entry(found, doc, context, self.sources, self.cache)
            self.cache.put("doc", key, made)
            self.consulted.update(made["consulted"])
            self._hold(path, made, made["consulted"])
        return True

    def _check_all_but_links(self, doc: Doc) -> tuple[Doc, list[Problem], Context]:
        """Every check of a doc but those that may have to wait for other docs' anchors."""
        context = Context.of(self.ws, self.git, self.payload if not self.replaying else None,
                             self.plans.pop(doc.path, None))
        found: list[Problem] = []
        for check in doc_checks():
            if check.after_other_docs or not check.applies(context):
                continue
            try:
                found.extend(check.run(doc, context))
            except GitUnavailable as exc:  # a damaged or partial repository: carry on without history
                self.notices.append(f"git history unavailable, drift checks skipped from {doc.path} on: {exc}")
                self.git, self.lost_history = None, True
                context = replace(context, history=None)
            if check.name == "drift" and self.git is not None and doc.path in self.git.unreadable \
                    and not self.said_unreadable:
                self.said_unreadable = True
                self.notices.append(f"git history incomplete (objects missing: a partial or damaged clone): drift "
                                    f"checks skipped for {doc.path} and every other doc whose history cannot be "
                                    f"read: {self.git.unreadable[doc.path]}")
        return doc, found, context

    def _record(self, path: str, found: list[Problem], suppressions: list[Suppression], references: int) -> None:
        self.found[path] = found
        self.suppressions[path] = suppressions
        self.references += references


def _links_into(ws: Workspace, path: str, scan: DocScan, docs: Collection[str]) -> bool:
    """Does this doc link to an anchor in one of `docs`? Only anchors need the target's scan."""
    folder = posixpath.dirname(path)
    for link in scan.links:
        target = link.target
        if target and link.fragment and not SCHEME.match(target) and not link.href.startswith("//"):
            resolved = ws.resolve_link(unquote(target), folder)
            if resolved.tree is ws.trees[0] and resolved.path in docs:
                return True
    return False
