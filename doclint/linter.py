"""One run of `doclint check`: config -> trees -> index -> doc scans -> checks -> findings."""

from __future__ import annotations

import itertools
import os
import posixpath
import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from doclint import baseline, claims, lock, packs, reuse, serial, urls
from doclint.cache import Cache
from doclint.checks import Doc, comments, doc_checks, drift, links, members
from doclint.scanning import Request, hash_files, load_many, load_scans, scan_key, stream_many, worker_count
from doclint.history import GitHistory, GitUnavailable
from doclint.config import AGENT_FILES, Config, load_config
from doclint.confine import inside_root
from doclint.errors import DoclintError
from doclint.findings import Finding, Problem, Span
from doclint.globs import GlobSet
from doclint.mdrefs import SCHEME, Suppression
from doclint.patterns import PatternError, id_patterns
from doclint.registry import RULES, lookup
from doclint.tree import FileTree, LockedTree, text_lines
from doclint.tsindex import SOURCE_EXTENSIONS, FileScan, SymbolIndex
from doclint.workspace import Workspace, is_markdown



@dataclass
class Options:
    root: Path
    source_root: Path | None = None
    config_path: Path | None = None
    paths: tuple[str, ...] = ()
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    strict: bool = False
    no_cache: bool = False
    jobs: int | None = None
    no_baseline: bool = False
    since: str | None = None  # only what changed since this revision (`check --since`)
    exported: bool = False  # the root is a tree written out of git, not a checkout: no history, no outer ignores
    cache_root: Path | None = None  # where .doclint_cache/ lives (default: the root)
    progress: object | None = None  # a doclint.progress.Progress, on a terminal


@dataclass
class Result:
    findings: list[Finding]
    docs: int
    references: int
    root: Path
    notices: list[str] = field(default_factory=list)
    lock_note: str | None = None
    digests: dict[str, str] = field(default_factory=dict)  # doc path -> sha256 of the bytes checked
    consulted: dict[str, str | None] = field(default_factory=dict)  # other files the docs read -> sha256
    baselined: int = 0  # findings left out because the baseline accepts them
    older: int = 0  # with --since: findings left out because they predate the revision
    since: str | None = None

    @property
    def errors(self) -> int:
        return sum(f.severity == "error" for f in self.findings)

    @property
    def warnings(self) -> int:
        return sum(f.severity == "warning" for f in self.findings)

    @property
    def fixable(self) -> int:
        return sum(f.fixable for f in self.findings)

    @property
    def unsafe_fixable(self) -> int:
        return sum(f.unsafe_fixable for f in self.findings)


def parse_rule_list(values: tuple[str, ...], option: str) -> set[str]:
    codes: set[str] = set()
    for value in values:
        for item in value.split(","):
            if not item.strip():
                continue
            rule = lookup(item)
            if rule is None:
                raise DoclintError(f"{option}: unknown rule '{item.strip()}' (see `doclint rules`)")
            codes.add(rule.code)
    return codes


def build_workspace(options: Options, index_class=SymbolIndex, workspace_class=Workspace,
                    cache: Cache | None = None) -> tuple[Workspace, list[str]]:
    """Walk the trees, hash the sources and docs, and index the sources (from the cache where it can)."""
    cache = cache or Cache(options.root, enabled=False)
    root = options.root.resolve()
    if not root.is_dir():
        raise DoclintError(f"--root: not a directory: {options.root}")
    config = load_config(root, options.config_path)
    source_root = (options.source_root or root).resolve()
    if not source_root.is_dir():
        raise DoclintError(f"--source-root: not a directory: {options.source_root}")
    exclude = config.exclude_globs
    ignores = config.respect_gitignore
    root_tree = FileTree(root, exclude, ignores, outer_ignores=not options.exported)
    trees = [root_tree] if source_root == root else [root_tree, FileTree(source_root, exclude, ignores)]
    source_tree = trees[-1]
    notices: list[str] = []
    sources = config.sources_globs
    matched = [p for p in source_tree.files if sources.match(p)]
    source_paths = sorted(p for p in matched if p.endswith(SOURCE_EXTENSIONS))
    notices.extend(_unindexable(config.sources, matched))
    hashed = hash_files(str(source_tree.root), source_paths, cache, config.max_file_size, notices,
                        source_tree)
    jobs = worker_count(options.jobs)
    request = Request("ts", str(source_tree.root), hashed)

    def build_index(scans: dict[str, FileScan] | None = None):
        if scans is None:
            scans = load_many([request], cache, jobs, config.max_parse_seconds, notices, options.progress)[0]
        return index_class(scans)

    ws = workspace_class(root, source_root, config, trees, build_index)
    ws.source_request = request
    ws.source_hashes = {p: h.sha for p, h in hashed.items()}
    doc_paths = selected_docs(ws)
    ws.hashed_docs = hash_files(str(root), doc_paths, cache, config.max_file_size, notices, root_tree)
    return ws, notices


def _unindexable(patterns: tuple[str, ...], matched: list[str]) -> list[str]:
    """A notice for each `sources` pattern that selects files, none of which doclint can index."""
    notices = []
    for pattern in patterns:
        if pattern.endswith(SOURCE_EXTENSIONS):
            continue
        hits = [p for p in matched if GlobSet([pattern]).match(p)]
        if hits and not any(p.endswith(SOURCE_EXTENSIONS) for p in hits):
            kinds = sorted({posixpath.splitext(p)[1] or posixpath.basename(p) for p in hits})
            notices.append(f"sources pattern `{pattern}` matches {len(hits)} files, none of which doclint indexes "
                           f"({', '.join(kinds[:5])}); it reads {', '.join(SOURCE_EXTENSIONS)}")
    return notices


def load_docs(ws: Workspace, notices: list[str], cache: Cache | None = None, jobs: int = 1) -> list[str]:
    """The selected docs that could be read. Scans the cache already holds load on first use;
    the rest are parsed up front, in parallel on a cold run."""
    for _progress in stream_docs(ws, notices, cache, jobs):
        pass
    return readable_docs(ws)


def readable_docs(ws: Workspace) -> list[str]:
    return sorted(p for p in ws.hashed_docs if ws.doc_scans.get(p, True) is not None)


def stream_docs(ws: Workspace, notices: list[str], cache: Cache | None = None, jobs: int = 1, progress=None):
    """`load_docs` step by step. Yields (in flight, sources ready) as parsed docs arrive: the
    docs still being parsed, and whether the index can be used yet (a cold run parses the
    sources first, in the same pool). When it is done, nothing is in flight."""
    cache = cache or Cache(ws.root, enabled=False)

    def load_one(path: str):
        found = load_scans("md", str(ws.root), {path: ws.hashed_docs[path]}, cache, 1,
                           ws.config.max_parse_seconds, notices)
        return found.get(path)

    ws.scan_loader = load_one
    ws.doc_digests.update({p: h.sha for p, h in ws.hashed_docs.items()})
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
            if number == docs:
                ws.doc_scans[path] = scan
                in_flight.discard(path)
            else:
                sources[path] = scan
        if docs and 0 in complete and ws.index_pending:
            ws.build_index_from(sources)
        if in_flight and complete != set(range(len(requests))):
            yield in_flight, not docs or 0 in complete
    for path in in_flight:
        ws.doc_scans[path] = None  # skipped: too slow to parse
    in_flight.clear()
    yield in_flight, True


def selected_docs(ws: Workspace) -> list[str]:
    docs = ws.config.docs_globs
    agents = GlobSet(AGENT_FILES)
    return sorted(p for p in ws.trees[0].files if is_markdown(p) and docs.match(p) or agents.match(p))


def run_check(options: Options) -> Result:
    if options.since is not None:
        return _run_since(options)
    cache = Cache((options.cache_root or options.root).resolve(), enabled=not options.no_cache)
    try:
        result = _run_check(options, cache)
        result.notices = _not_yet_shown(result.notices, cache)
        return result
    finally:
        cache.flush()
        cache.close()


def _not_yet_shown(notices: list[str], cache: Cache) -> list[str]:
    """Each notice once: a warm run does not repeat what the last run said (without a cache,
    every run says everything)."""
    fresh = []
    for notice in dict.fromkeys(notices):
        key = Cache.key("notice", notice)
        if cache.get("notice", key) is None:
            cache.put("notice", key, True)
            fresh.append(notice)
    return fresh


def _run_since(options: Options) -> Result:
    """`check --since REF`: this tree's findings, less those REF's tree already had."""
    import shutil
    from dataclasses import replace

    from doclint import since
    from doclint.cache import CACHE_DIR

    root = options.root.resolve()
    commit = since.resolve(root, options.since)
    lines, changed = since.changes(root, commit)
    result = run_check(replace(options, since=None))
    config = load_config(root, options.config_path)
    under = f"{CACHE_DIR}/since"  # like the cache, never reached through a link
    folder = since.export(root, commit, inside_root(root, under, under, kind="dir", links=False))
    try:
        since.use_config(folder, config.path)  # judge REF's tree by today's rules
        before = run_check(replace(options, root=folder, since=None, paths=(), no_baseline=True, exported=True,
                                   cache_root=root, config_path=None))
        kept = since.new_findings(result.findings, root, before.findings, folder, lines, changed)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    result.older = len(result.findings) - len(kept)
    result.findings, result.since = kept, options.since
    return result


def _run_check(options: Options, cache: Cache) -> Result:
    select = parse_rule_list(options.select, "--select")
    ignore = parse_rule_list(options.ignore, "--ignore")
    ws, notices = build_workspace(options, cache=cache)
    _check_path_arguments(options.paths, ws)
    world = reuse.world_key(ws, options, cache)
    accepted = None if options.no_baseline else _baseline(ws)
    stored = cache.get("result", world) if world else None
    if stored is not None and reuse.entry_still_holds(stored, ws, cache):  # files outside the key, read by docs
        try:
            return _without_baselined(_result_from_data(stored, ws.root), accepted)
        except (ValueError, KeyError, TypeError):
            pass  # a bad entry is recomputed
    result = _check(ws, notices, options, select, ignore, cache)
    if world:
        cache.put("result", world, _result_data(result))
    return _without_baselined(result, accepted)


def _baseline(ws: Workspace):
    """The accepted findings of the configured baseline (or of doclint-baseline.json, if present)."""
    configured = ws.config.baseline
    path = baseline_path(ws.root, ws.config)
    if not path.is_file():
        if configured:
            raise DoclintError(f"baseline file not found: {configured} (create it with `doclint baseline`)")
        return None
    return baseline.read(path, configured or baseline.DEFAULT_BASELINE)


def baseline_path(root: Path, config: Config) -> Path:
    """The baseline's real path, inside the root (or the run stops)."""
    if config.baseline:
        return inside_root(root, config.baseline, config.where, "baseline")
    return inside_root(root, baseline.DEFAULT_BASELINE, baseline.DEFAULT_BASELINE)


def _without_baselined(result: Result, accepted) -> Result:
    if not accepted:
        return result
    kept, covered = baseline.split(result.findings, baseline.keys_of(result.root, result.findings), accepted)
    result.findings, result.baselined = kept, covered
    return result


def run_baseline(options: Options) -> tuple[Path, int, int, int]:
    """Record every finding of a full check as accepted. Returns the file, how many findings it
    holds, how many it newly accepted, and how many of the old entries are gone (fixed)."""
    from collections import Counter
    from dataclasses import replace

    result = run_check(replace(options, no_baseline=True, paths=()))
    config = load_config(result.root, options.config_path)
    path = baseline_path(result.root, config)
    old = baseline.read(path, config.baseline or baseline.DEFAULT_BASELINE) if path.is_file() else Counter()
    new = Counter(baseline.keys_of(result.root, result.findings))
    names = {code: rule.name for code, rule in RULES.items()}
    lock.atomic_write(path, baseline.render(new, names))
    return path, sum(new.values()), sum((new - old).values()), sum((old - new).values())


def _check(ws: Workspace, notices: list[str], options: Options, select, ignore, cache: Cache) -> Result:
    ws, payload, replaying, lock_note = with_lock(ws, notices, tolerant=options.exported, cache=cache)
    jobs = worker_count(options.jobs)
    progress = stream_docs(ws, notices, cache, jobs, options.progress)
    progress = itertools.chain([next(progress)], progress)  # the workers start on a cold run
    git = _history(ws, replaying, notices) if not options.exported else None  # while they parse
    try:
        return _check_docs(ws, notices, options, select, ignore, cache, payload, replaying, git, lock_note,
                           progress, jobs)
    finally:
        if git is not None:
            git.close()


def with_lock(ws: Workspace, notices: list[str], tolerant: bool = False,
              cache: Cache | None = None) -> tuple[Workspace, dict | None, bool, str | None]:
    """The workspace to check against (the lock's, when the sources are absent), the lock's
    payload, whether it is replayed, and the summary's note; rule packs attached (`tolerant`
    as for `_attach_packs`)."""
    lock_file = lock.lock_path(ws.root, ws.config)
    payload = lock.read_lock(lock_file) if lock_file.is_file() else None
    if ws.config.lock and payload is None:
        notices.append(f"{ws.config.lock}: lock file not found; run `doclint lock`")
    replaying = payload is not None and not _has_sources(ws)
    lock_note = None
    if replaying:
        sentinel = ws.root / "<lock>"
        locked_tree, locked_index = lock.replay_parts(payload, sentinel)
        hashed_docs = ws.hashed_docs
        ws = Workspace(ws.root, sentinel, ws.config, [ws.trees[0], locked_tree], locked_index)
        ws.hashed_docs = hashed_docs
        lock_note = f"checked against {lock_file.name}, sources absent"
    _attach_packs(ws, payload if replaying else None, lock_file, tolerant, cache)
    return ws, payload, replaying, lock_note


def _check_docs(ws: Workspace, notices: list[str], options: Options, select, ignore, cache: Cache,
                payload: dict | None, replaying: bool, git: GitHistory | None, lock_note: str | None,
                progress, jobs: int) -> Result:
    run = _DocRun(ws, payload, replaying, git, cache, notices, jobs)
    source_paths: list[str] | None = None
    if options.paths:  # narrowing reads every doc's references: load them all first
        for _progress in progress:
            pass
        doc_paths, source_paths = _narrow(ws, options, readable_docs(ws))
        run.prepare(doc_paths)
        run.blame_ahead(doc_paths, frozenset())
        for path in doc_paths:
            run.check(path, frozenset())
    else:
        # A doc is checked as soon as its scan and the index are in, and its links once the
        # docs they point into are in too: on a cold run, while the workers parse the rest.
        run.prepare(sorted(ws.hashed_docs))
        waiting = sorted(ws.hashed_docs)
        for in_flight, sources_ready in progress:
            if sources_ready:
                run.blame_ahead(waiting, in_flight)
                waiting = [path for path in waiting if not run.check(path, in_flight)]
                if options.progress is not None:
                    options.progress.checked(len(ws.hashed_docs) - len(waiting), len(ws.hashed_docs))
    if source_paths is None:
        # Comments are checked in sources that belong to this repository, not in a separate --source-root.
        source_paths = [] if replaying or ws.source_root != ws.root else sorted(ws.index.files)

    problems: list[tuple[str, Problem]] = []
    suppressions: dict[str, list[Suppression]] = {}
    for path in sorted(run.found):
        problems.extend((path, problem) for problem in run.found[path])
        suppressions[path] = run.suppressions[path]
    for path in source_paths:
        shown = _display_source(ws, path)
        suppressions[shown] = _comment_suppressions(ws.index.files[path])
        problems.extend((shown, problem) for problem in comments.check(path, ws))

    if ws.pack_facts is not None and (not options.paths or _handlers_in(ws, source_paths)):
        problems.extend((_display_source(ws, path), problem) for path, problem in members.unhandled(ws.pack_facts))
    if ws.pack_facts is not None:
        problems.extend((path, problem) for path, problem in members.undocumented(ws.pack_facts, _pack_docs(ws))
                        if path in run.found)  # reported in a doc this run checks
    problems = _deduplicate(problems)
    findings = _apply_policy(problems, suppressions, ws.config, select, ignore, options.strict)
    files = len(run.found) + len({f.path for f in findings} - set(run.found))  # sources with findings count too
    return Result(sorted(findings, key=lambda f: f.sort_key), files, run.references, ws.root, notices,
                  lock_note, ws.doc_digests, run.consulted)


def _has_sources(ws: Workspace) -> bool:
    if ws.index_pending and ws.source_request is not None:
        return bool(ws.source_request.hashed)  # without building the index to find out
    return bool(ws.index.files)


class _DocRun:
    """The per-doc part of a check run: each doc's problems, from the cache when its stored
    result still holds, else from the checks."""

    def __init__(self, ws: Workspace, payload: dict | None, replaying: bool, git: GitHistory | None,
                 cache: Cache, notices: list[str], jobs: int):
        self.ws, self.payload, self.replaying, self.git = ws, payload, replaying, git
        self.cache, self.notices = cache, notices
        self.found: dict[str, list[Problem]] = {}
        self.suppressions: dict[str, list[Suppression]] = {}
        self.references = 0
        self.keys: dict[str, str] = {}
        self.stored: dict[str, object] = {}
        self.partial: dict[str, tuple[Doc, list[Problem], set[str]]] = {}  # all checked but the links
        self.plans: dict[str, drift.Plan] = {}  # drift plans made ahead, their blames started
        self.consulted: dict[str, str | None] = {}  # every other file a doc read -> its sha, for the whole result
        self.lost_history = False  # git failed during the run (a partial or damaged clone)
        self.said_unreadable = False
        self.jobs = jobs

    def prepare(self, doc_paths: list[str]) -> None:
        base = reuse.doc_context(self.ws, self.payload, self.replaying, self.cache)
        if base:
            self.keys = {p: Cache.key("doc", base, self.ws.hashed_docs[p].sha) for p in doc_paths}
            self.stored = self.cache.get_many("doc", sorted(set(self.keys.values())))

    def blame_ahead(self, paths: list[str], in_flight: frozenset[str] | set[str]) -> None:
        """Start the git blames these docs' drift checks will want, several at a time."""
        if self.git is None:
            return
        ws = self.ws
        for path in paths:
            if path in in_flight or path in self.plans or path in self.partial or \
                    self.keys.get(path) in self.stored or ws.doc_scans.get(path, True) is None:
                continue
            scan = ws.doc_scan(ws.trees[0], path, consult=False)
            if scan is None:
                continue
            try:
                self.plans[path] = drift.plan(Doc(path, scan), ws, self.git)
            except GitUnavailable:
                continue  # the check itself will meet this again, and say so
        self.git.blame_ahead({p: plan.lines for p, plan in self.plans.items()}, self.jobs)

    def check(self, path: str, in_flight: frozenset[str] | set[str]) -> bool:
        """Check one doc unless it must wait for docs still in flight; True once it is done
        (checked, taken from the cache, or skipped)."""
        ws = self.ws
        if path in in_flight:
            return False
        if ws.doc_scans.get(path, True) is None:
            return True  # skipped: too slow to parse
        entry = self.stored.get(self.keys.get(path, ""))
        if entry is not None and reuse.entry_still_holds(entry, ws, self.cache):
            try:
                found = [serial.decode_problem(v) for v in entry["problems"]]
                suppressions = [serial.decode_suppression(v) for v in entry["suppressions"]]
                references = int(entry["references"])
            except (ValueError, KeyError, TypeError):
                pass  # a bad entry is recomputed
            else:
                self._record(path, found, suppressions, references)
                self.consulted.update(entry["consulted"])
                return True
        if path not in self.partial:
            scan = ws.doc_scan(ws.trees[0], path, consult=False)
            if scan is None:
                return True
            self.partial[path] = self._check_all_but_links(Doc(path, scan))
        doc, found, consulted = self.partial[path]
        if in_flight and _links_into(ws, path, doc.scan, in_flight):
            return False  # the anchors it links to are not known yet
        del self.partial[path]
        ws.consulted = consulted
        found.extend(links.check(doc, ws))
        if found:
            text = ws.doc_text(path)
            found = claims.filter_doc(path, found, text_lines(text) if text is not None else [])
        self._record(path, found, doc.scan.suppressions, doc.scan.reference_count)
        if path in self.keys and not self.lost_history and (self.git is None or path not in self.git.unreadable):
            # kept only when checked against the history it should have had
            entry = reuse.doc_entry(found, doc, ws.consulted - {os.path.join(ws.root, path)}, ws, self.cache)
            self.cache.put("doc", self.keys[path], entry)
            self.consulted.update(entry["consulted"])
        return True

    def _check_all_but_links(self, doc: Doc) -> tuple[Doc, list[Problem], set[str]]:
        """Every check of a doc but the links, which may have to wait for other docs' anchors."""
        ws = self.ws
        ws.consulted = set()
        found: list[Problem] = []
        if self.git is not None:
            try:
                found.extend(drift.check(doc, ws, self.git, self.plans.pop(doc.path, None)))
            except GitUnavailable as exc:  # a damaged or partial repository: carry on without history
                self.notices.append(f"git history unavailable, drift checks skipped from {doc.path} on: {exc}")
                self.git, self.lost_history = None, True
            if self.git is not None and doc.path in self.git.unreadable and not self.said_unreadable:
                self.said_unreadable = True
                self.notices.append(f"git history incomplete (objects missing: a partial or damaged clone): drift "
                                    f"checks skipped for {doc.path} and every other doc whose history cannot be "
                                    f"read: {self.git.unreadable[doc.path]}")
        for check in doc_checks():
            if check is not links.check:
                found.extend(check(doc, ws))
        found.extend(urls.check(doc, ws, self.git))
        if self.payload is not None and not self.replaying:
            found.extend(lock.drift(doc, ws, self.payload))
        return doc, found, ws.consulted

    def _record(self, path: str, found: list[Problem], suppressions: list[Suppression], references: int) -> None:
        self.found[path] = found
        self.suppressions[path] = suppressions
        self.references += references


def _links_into(ws: Workspace, path: str, scan, docs: set[str]) -> bool:
    """Does this doc link to an anchor in one of `docs`? Only anchors need the target's scan."""
    folder = posixpath.dirname(path)
    for link in scan.links:
        target = link.target
        if target and link.fragment and not SCHEME.match(target) and not link.href.startswith("//"):
            resolved = ws.resolve_link(unquote(target), folder)
            if resolved.tree is ws.trees[0] and resolved.path in docs:
                return True
    return False


def run_coverage(options: Options) -> dict:
    """The coverage report's data for every union and domain the rule packs declare."""
    from doclint import coverage

    cache = Cache(options.root.resolve(), enabled=not options.no_cache)
    try:
        ws, notices = build_workspace(options, cache=cache)
        if not ws.config.rules:
            raise DoclintError("no rule packs configured: add `rules = [\"<pack>\"]` to the config "
                               f"(bundled: {', '.join(packs.bundled_pack_names())})")
        replay = None
        lock_file = lock.lock_path(ws.root, ws.config)
        if not _has_sources(ws) and lock_file.is_file():
            replay = lock.read_lock(lock_file)
        _attach_packs(ws, replay, lock_file)
        paths = load_docs(ws, notices, cache, worker_count(options.jobs))
        docs = [Doc(p, ws.doc_scan(ws.trees[0], p)) for p in paths]
    finally:
        cache.flush()
        cache.close()
    for notice in notices:
        print(f"doclint: {notice}", file=sys.stderr)
    return coverage.report(ws.pack_facts, docs)


def run_lock(options: Options) -> tuple[Path, dict]:
    """Record what every reference in the selected docs resolves to, and write the lock."""
    ws, notices = build_workspace(options, lock.RecordingIndex, lock.RecordingWorkspace)
    destination = lock.lock_path(ws.root, ws.config)
    if not destination.parent.is_dir():
        raise DoclintError(f"key 'lock': no directory {os.path.relpath(destination.parent, ws.root)} to write "
                           f"{destination.name} in", ws.config.where)
    if not ws.index.files:
        raise DoclintError("no source files match `sources`; `doclint lock` needs the sources "
                           "(use --source-root to point at them)")
    _attach_packs(ws, None)
    # no cache here, so every doc is parsed up front; reading ws.doc_scans keeps the recorder
    # from taking the docs' own headings for anchors that references used
    docs = [Doc(p, ws.doc_scans[p]) for p in load_docs(ws, notices, jobs=worker_count(options.jobs))]
    for doc in docs:
        for check in doc_checks():
            for _problem in check(doc, ws):
                pass
    return destination, lock.write_lock(ws, docs, destination)


def _attach_packs(ws: Workspace, replay_payload: dict | None, lock_file: Path | None = None,
                  tolerant: bool = False, cache: Cache | None = None) -> None:
    """Evaluate the configured rule packs against the sources, or take them from the lock.
    Problems stop the run; `tolerant` (for --since's older tree, judged by today's packs)
    keeps what could be read instead."""
    if not ws.config.rules:
        return
    try:
        loaded = packs.load_packs(ws.config.rules, ws.root, ws.config.where)
    except packs.PackError:
        if tolerant:
            return
        raise
    if replay_payload is not None:
        ws.pack_facts = packs.facts_from_json(replay_payload.get("packs") or {})
        pattern = ws.pack_facts.invariant_pattern
        if pattern is not None:  # the lock may have been edited: its pattern is checked as a pack's is
            try:
                if not isinstance(pattern, str):
                    raise PatternError("must be a string")
                id_patterns(pattern)
            except PatternError as exc:
                raise DoclintError(f"key 'packs.invariant_pattern': {exc}", str(lock_file)) from None
    else:
        ws.pack_facts = packs.evaluate(loaded, ws.trees[-1], cache)
    problems = ws.pack_facts.problems + packs.unmatched_docs(loaded, sorted(ws.hashed_docs))
    if problems and not tolerant:
        raise packs.PackError(problems)


def _pack_docs(ws: Workspace) -> list[Doc]:
    """The docs some union or domain must be documented in: what DL011 reads."""
    wanted = GlobSet([pattern for member_set in ws.pack_facts.sets for pattern in member_set.docs])
    scans = ((path, ws.doc_scan(ws.trees[0], path, consult=False)) for path in readable_docs(ws) if wanted.match(path))
    return [Doc(path, scan) for path, scan in scans if scan is not None]


def _handlers_in(ws: Workspace, source_paths: list[str]) -> bool:
    return any(s.handler and s.handler[0] in source_paths for s in ws.pack_facts.sets)


def _history(ws: Workspace, replaying: bool, notices: list[str]) -> GitHistory | None:
    """Git history for drift checks, when the docs and the code share one repository."""
    if replaying or ws.source_root != ws.root:
        return None
    try:
        git = GitHistory.open(ws.root)
        if git is None or ws.git_head is None:
            return None  # not a repository, or one without commits
        git.last_commit = git.last_commits(sorted(ws.hashed_docs))
    except GitUnavailable as exc:  # another repository named, or objects missing (a partial or damaged clone)
        notices.append(f"git history unavailable, drift checks are off: {exc}")
        return None
    if git.shallow:
        notices.append("shallow clone: doc lines written before its boundary cannot be followed through git "
                       "history, so their references are checked against the tree only and drift offers no fix "
                       "for them (fetch more history with `git fetch --unshallow`)")
    return git


# A finding from git history says more than the same span's finding from the tree alone.
_OUTRANKED = {"DL001": "DL002", "DL006": "DL002", "DL004": "DL005"}


# Findings about set members share a place (the doc's section, the handler): one per member there.
_PER_MEMBER = frozenset({"DL011", "DL012"})


def _deduplicate(problems: list[tuple[str, Problem]]) -> list[tuple[str, Problem]]:
    """One finding per rule and place. The first one stands: git's answer comes before the
    tree-only check's and the lock's (DL002, DL003, DL013 can each come from two checks)."""
    seen: set[tuple] = set()
    kept: list[tuple[str, Problem]] = []
    outranking = set(_OUTRANKED.values())
    starts = {(path, p.span.line, p.span.column): p.code for path, p in problems if p.code in outranking}
    for path, problem in problems:
        where = (path, problem.span.line, problem.span.column)
        if problem.code in _OUTRANKED and starts.get(where) == _OUTRANKED[problem.code]:
            continue
        key = (where, problem.code, problem.target if problem.code in _PER_MEMBER else None)
        if key in seen:
            continue
        seen.add(key)
        kept.append((path, problem))
    return kept


def _check_path_arguments(paths: tuple[str, ...], ws: Workspace) -> None:
    """Each PATH must exist under the root or the source root: a typo or a path elsewhere
    would otherwise check nothing and pass. An existing file that is neither a selected doc
    nor an indexed source passes silently, as pre-commit hands over every staged Markdown file."""
    roots = (ws.root, ws.source_root)
    for given in paths:
        absolute = Path(given).resolve()
        if not any(absolute == root or root in absolute.parents for root in roots):
            where = ws.root if ws.source_root == ws.root else f"{ws.root} or {ws.source_root}"
            raise DoclintError(f"{given}: not under the root ({where})")
        if not absolute.exists():
            raise DoclintError(f"{given}: no such file or directory")


def _narrow(ws: Workspace, options: Options, all_docs: list[str]) -> tuple[list[str], list[str]]:
    """Docs named on the command line, plus every doc that refers into a named source file."""
    wanted_docs: set[str] = set()
    wanted_sources: set[str] = set()
    for given in options.paths:
        absolute = Path(given).resolve()
        for tree_root, kind in ((ws.root, "doc"), (ws.source_root, "source")):
            try:
                rel = absolute.relative_to(tree_root).as_posix()
            except ValueError:
                continue
            rel = "" if rel == "." else rel
            if kind == "doc":
                wanted_docs.update(p for p in all_docs if p == rel or (not rel or p.startswith(rel + "/")))
            if rel in ws.index.files:
                wanted_sources.add(rel)
            elif absolute.is_dir():
                wanted_sources.update(p for p in ws.index.files if not rel or p.startswith(rel + "/"))
    if wanted_sources:
        for path in all_docs:
            if path not in wanted_docs and _refers_to(ws, path, wanted_sources):
                wanted_docs.add(path)
    return sorted(wanted_docs), sorted(wanted_sources)


def _refers_to(ws: Workspace, path: str, sources: set[str]) -> bool:
    scan = ws.doc_scan(ws.trees[0], path)
    if scan is None:
        return False
    doc_dir = path.rsplit("/", 1)[0] if "/" in path else ""
    for ref in scan.paths:
        resolved = ws.resolve(ref.path, doc_dir)
        if ws.indexed_path(resolved) in sources:
            return True
    for link in scan.links:
        if link.target and "://" not in link.href:
            if ws.indexed_path(ws.resolve_link(link.target, doc_dir)) in sources:
                return True
    for ref in scan.symbols:
        head = ref.name.split(".", 1)[0]
        if any(p in sources for p, _s in ws.index.by_name.get(head, ())):
            return True
    return False


def _display_source(ws: Workspace, path: str) -> str:
    if ws.source_root == ws.root or isinstance(ws.trees[-1], LockedTree):
        return path
    return Path(os.path.relpath(ws.source_root / path, ws.root)).as_posix()


def _comment_suppressions(scan: FileScan) -> list[Suppression]:
    found = []
    for line, column, text in scan.comments:
        for match in comments.SUPPRESSION.finditer(text):
            at = line + text.count("\n", 0, match.start())
            rules = tuple(r for r in match.group(1).replace(",", " ").split() if r and r != "*/")
            found.append(Suppression("disable-next-line", rules, at, Span(at, column, at, column + 1)))
    return found


def _apply_policy(problems, suppressions, config: Config, select, ignore, strict) -> list[Finding]:
    findings: list[Finding] = []
    used: set[tuple[str, int]] = set()
    for path, problem in problems:
        rule = RULES[problem.code]
        if select and rule.code not in select or rule.code in ignore:
            continue
        severity = config.severity.get(rule.code) or problem.severity or rule.severity
        if severity == "off":
            continue
        hit = _suppressed_by(suppressions.get(path, ()), problem)
        if hit is not None:
            used.add((path, id(hit)))
            continue
        findings.append(Finding(path, problem.span, rule.code, rule.name, severity, problem.message,
                                problem.target, problem.suggestion, problem.fix))
    if strict and "DL015" not in ignore and (not select or "DL015" in select):
        for path, entries in suppressions.items():
            for entry in entries:
                if entry.kind != "enable" and (path, id(entry)) not in used:
                    rule = RULES["DL015"]
                    what = ", ".join(entry.rules) or "every rule"
                    findings.append(Finding(path, entry.span, rule.code, rule.name, "warning",
                                            f"`doclint-{entry.kind}` for {what} suppresses nothing"))
    return findings


def _suppressed_by(entries, problem: Problem):
    line = problem.span.line
    rule = RULES[problem.code]

    def covers(entry: Suppression) -> bool:
        return not entry.rules or any(lookup(r) is rule for r in entry.rules)

    for entry in entries:
        if entry.kind == "disable-next-line" and entry.span.end_line + 1 == line and covers(entry):
            return entry
        if entry.kind == "disable-line" and entry.line == line and covers(entry):
            return entry
    active = None
    for entry in sorted(entries, key=lambda e: e.line):
        if entry.line > line:
            break
        if entry.kind == "disable" and covers(entry):
            active = entry
        elif entry.kind == "enable" and active is not None and covers(entry):
            active = None
    return active


def _result_data(result: Result) -> dict:
    return {"findings": [serial.encode_finding(f) for f in result.findings], "docs": result.docs,
            "references": result.references, "notices": result.notices, "lock_note": result.lock_note,
            "digests": result.digests, "consulted": result.consulted}


def _result_from_data(data: dict, root: Path) -> Result:
    return Result([serial.decode_finding(f) for f in data["findings"]], int(data["docs"]), int(data["references"]),
                  root, list(data["notices"]), data["lock_note"], dict(data["digests"]))
