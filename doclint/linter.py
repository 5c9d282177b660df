"""One run of `doclint check`: config -> trees -> index -> doc scans -> checks -> findings."""

from __future__ import annotations

import itertools
import os
import posixpath
import sys
from dataclasses import dataclass, field
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from doclint import baseline, docscans, lock, packs, reuse, serial, writing
from doclint.cache import Cache
from doclint.checks import Doc, RunCheck, SourceCheck, check_named, doc_checks
from doclint.scanning import Request, hash_files, load_many, worker_count
from doclint.gitrun import GitUnavailable
from doclint.history import GitHistory
from doclint.config import AGENT_FILES, Config, load_config
from doclint.context import Context
from doclint.confine import inside_root
from doclint.errors import DoclintError
from doclint.findings import Finding, Problem
from doclint.globs import GlobSet
from doclint.mdrefs import Suppression
from doclint.narrowing import check_path_arguments, narrow
from doclint.policy import (accepted_findings, apply_policy, baseline_path, comment_suppressions, deduplicate,
                            parse_rule_list, without_baselined)
from doclint.scheduler import DocRun, load_docs, readable_docs, stream_docs
from doclint.patterns import PatternError, id_patterns
from doclint.registry import RULES
from doclint.tree import FileTree, LockedTree
from doclint.tsindex import SOURCE_EXTENSIONS, FileScan, SymbolIndex
from doclint.workspace import Trees, Workspace, is_markdown

if TYPE_CHECKING:
    from doclint.coverage import Report
    from doclint.packs import PackFacts
    from doclint.progress import Progress


# How many whole results (and last-run records) the cache keeps, the most recently made: one
# is made for each state of the inputs a run meets, so without a bound they grow with every edit.
KEPT_RESULTS = 16


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
    progress: Progress | None = None  # on a terminal


@dataclass
class Result:
    findings: list[Finding]
    docs: int
    references: int
    root: Path
    notices: list[str] = field(default_factory=list)
    lock_note: str | None = None
    digests: dict[str, str] = field(default_factory=dict[str, str])  # doc path -> sha256 of the bytes checked
    consulted: dict[str, str | None] = field(default_factory=dict[str, str | None])  # other files the docs read -> sha256
    baselined: int = 0  # findings left out because the baseline accepts them
    older: int = 0  # with --since: findings left out because they predate the revision
    since: str | None = None
    checked: int = 0  # docs whose checks ran this time: the rest came from the cache
    whole: bool = False  # the whole result came from the cache (nothing the run reads had changed)

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


def build_workspace(options: Options, cache: Cache | None = None) -> tuple[Workspace, list[str]]:
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
    source_tree = root_tree if source_root == root else FileTree(source_root, exclude, ignores)
    trees: Trees = (root_tree,) if source_tree is root_tree else (root_tree, source_tree)
    notices: list[str] = []
    sources = config.sources_globs
    matched = [p for p in source_tree.files if sources.match(p)]
    source_paths = sorted(p for p in matched if p.endswith(SOURCE_EXTENSIONS))
    notices.extend(_unindexable(config.sources, matched))
    hashed = hash_files(str(source_tree.root), source_paths, cache, config.max_file_size, notices,
                        source_tree)
    jobs = worker_count(options.jobs)
    request = Request("ts", str(source_tree.root), hashed)

    def build_index(scans: dict[str, FileScan] | None = None) -> SymbolIndex:
        if scans is None:
            loaded = load_many([request], cache, jobs, config.max_parse_seconds, notices, options.progress)[0]
            scans = {path: scan for path, scan in loaded.items() if isinstance(scan, FileScan)}
        return SymbolIndex(scans)

    hashed_docs = hash_files(str(root), selected_docs(config, root_tree), cache, config.max_file_size, notices,
                             root_tree)
    doc_scans = docscans.from_cache(root, hashed_docs, cache, config.max_parse_seconds, notices)
    return Workspace(root, source_root, config, trees, build_index, hashed_docs, request, doc_scans=doc_scans,
                     cache=cache), notices


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


def selected_docs(config: Config, tree: FileTree) -> list[str]:
    """The docs a run checks: those the config selects, and every agent instruction file."""
    docs = config.docs_globs
    agents = GlobSet(AGENT_FILES)
    return sorted(p for p in tree.files if is_markdown(p) and docs.match(p) or agents.match(p))


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
    assert options.since is not None
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
    check_path_arguments(options.paths, ws)
    world, frame = reuse.run_keys(ws, options, cache)
    accepted = None if options.no_baseline else accepted_findings(ws)
    stored = cache.get("result", world) if world else None
    if isinstance(stored, dict) and reuse.entry_still_holds(stored, ws, cache):  # files outside the key, read by docs
        try:
            reused = _result_from_data(stored, ws)
            reused.whole = True
            return without_baselined(reused, accepted)
        except (ValueError, KeyError, TypeError):
            pass  # a bad entry is recomputed
    last = reuse.LastRun(cache.get(reuse.LAST_RUN, frame)) if frame else None
    result = _check(ws, notices, options, select, ignore, cache, last)
    if world:
        cache.put("result", world, _result_data(result))
        cache.keep_newest("result", KEPT_RESULTS)
    if frame and last is not None and last.now is not None:
        cache.put(reuse.LAST_RUN, frame, last.now)
        cache.keep_newest(reuse.LAST_RUN, KEPT_RESULTS)
    return without_baselined(result, accepted)


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
    writing.write_text(path, baseline.render(new, names))
    return path, sum(new.values()), sum((new - old).values()), sum((old - new).values())


def _check(ws: Workspace, notices: list[str], options: Options, select: set[str], ignore: set[str],
           cache: Cache, last: reuse.LastRun | None = None) -> Result:
    jobs = worker_count(options.jobs)
    streamed = stream_docs(ws, notices, cache, jobs, options.progress)
    progress = itertools.chain([next(streamed)], streamed)  # the workers start on a cold run
    try:  # while they parse: the rule packs (the copy of the workspace they make shares its index) ...
        ws, payload, replaying, lock_note = with_lock(ws, notices, tolerant=options.exported, cache=cache)
    except BaseException:
        streamed.close()  # what no worker has started is not parsed
        raise
    git = _history(ws, replaying, notices) if not options.exported else None  # ... and the history
    try:
        return _check_docs(ws, notices, options, select, ignore, cache, payload, replaying, git, lock_note,
                           progress, jobs, last)
    finally:
        if git is not None:
            git.close()


def with_lock(ws: Workspace, notices: list[str], tolerant: bool = False,
              cache: Cache | None = None) -> tuple[Workspace, lock.LockPayload | None, bool, str | None]:
    """The workspace to check against (the lock's, when the sources are absent), the lock's
    payload, whether it is replayed, and the summary's note; rule packs attached (`tolerant`
    as for `pack_facts_for`)."""
    lock_file = lock.lock_path(ws.root, ws.config)
    payload = lock.read_lock(lock_file) if lock_file.is_file() else None
    if ws.config.lock and payload is None:
        notices.append(f"{ws.config.lock}: lock file not found; run `doclint lock`")
    replaying = payload is not None and not _has_sources(ws)
    lock_note = None
    if payload is not None and replaying:
        sentinel = ws.root / "<lock>"
        locked_tree, locked_index, answers = lock.replay_parts(payload, sentinel)
        ws = Workspace(ws.root, sentinel, ws.config, (ws.trees[0], locked_tree), locked_index, ws.hashed_docs,
                       lookups=answers, doc_scans=ws.doc_scans, cache=ws.cache)
        lock_note = f"checked against {lock_file.name}, sources absent"
    ws = with_packs(ws, payload if replaying else None, lock_file, tolerant, cache)
    return ws, payload, replaying, lock_note


def _check_docs(ws: Workspace, notices: list[str], options: Options, select: set[str], ignore: set[str],
                cache: Cache, payload: lock.LockPayload | None, replaying: bool, git: GitHistory | None,
                lock_note: str | None, progress: Iterator[tuple[set[str], bool]], jobs: int,
                last: reuse.LastRun | None) -> Result:
    run = DocRun(ws, payload, replaying, git, cache, notices, jobs)
    source_paths: list[str] | None = None
    if options.paths:  # narrowing reads every doc's references: load them all first
        for _progress in progress:
            pass
        doc_paths, source_paths = narrow(ws, options, readable_docs(ws))
        run.prepare(doc_paths)
        run.blame_ahead(doc_paths, frozenset())
        for path in doc_paths:
            run.check(path, frozenset())
    else:
        # A doc is checked as soon as its scan and the index are in, and its links once the
        # docs they point into are in too: on a cold run, while the workers parse the rest.
        # The docs whose result in the last run still holds are taken at once.
        waiting = run.prepare(sorted(ws.hashed_docs), last)
        for in_flight, sources_ready in progress:
            if sources_ready:
                run.blame_ahead(waiting, in_flight)
                waiting = [path for path in waiting if not run.check(path, in_flight)]
                if options.progress is not None:
                    options.progress.checked(len(ws.hashed_docs) - len(waiting), len(ws.hashed_docs))

    problems: list[tuple[str, Problem]] = []
    suppressions: dict[str, list[Suppression]] = {}
    for path in sorted(run.found):
        problems.extend((path, problem) for problem in run.found[path])
        suppressions[path] = run.suppressions[path]
    in_sources = _carried_sources(ws, run, last) if source_paths is None else None
    if in_sources is None:
        if source_paths is None:
            # Comments are checked in sources that belong to this repository, not in a separate --source-root.
            source_paths = [] if replaying or ws.source_root != ws.root else sorted(ws.index.files)
        in_sources = _source_problems(ws, options, source_paths)
    problems.extend(in_sources.problems)
    suppressions.update(in_sources.suppressions)

    facts = ws.pack_facts
    undocumented: list[tuple[str, Problem]] = []
    pack_docs: dict[str, str] = {}
    if facts is not None:
        pack_docs = {path: ws.hashed_docs[path].sha for path in _pack_doc_paths(ws, facts)}
        held = last.undocumented_for(run.context, run.sources, pack_docs) if last is not None else None
        undocumented = held if held is not None else list(check_named("undocumented", RunCheck).run(
            facts, _pack_docs(ws, list(pack_docs))))
        problems.extend((path, problem) for path, problem in undocumented
                        if path in run.found)  # reported in a doc this run checks
    problems = deduplicate(problems)
    findings = apply_policy(problems, suppressions, ws.config, select, ignore, options.strict)
    files = len(run.found) + len({f.path for f in findings} - set(run.found))  # sources with findings count too
    if last is not None and not options.paths:
        last.keep(run.context, run.sources, sorted(ws.hashed_docs), run.held, in_sources, undocumented, pack_docs)
    return Result(sorted(findings, key=lambda f: f.sort_key), files, run.references, ws.root, notices,
                  lock_note, ws.doc_digests, run.consulted, checked=run.checked)


def _source_problems(ws: Workspace, options: Options, source_paths: list[str]) -> reuse.SourcesRecord:
    """The problems found in the sources (their comments' doc links, the packs' handlers),
    their suppressions, and what they depended on besides the sources and the packs: the
    docs whose anchors the comments link to."""
    problems: list[tuple[str, Problem]] = []
    suppressions: dict[str, list[Suppression]] = {}
    asked = ws.doc_scans.asked = set()
    try:
        for path in source_paths:
            shown = _display_source(ws, path)
            suppressions[shown] = comment_suppressions(ws.index.files[path])
            problems.extend((shown, problem) for problem in check_named("comments", SourceCheck).run(path, ws))
    finally:
        ws.doc_scans.asked = None
    facts = ws.pack_facts
    if facts is not None and (not options.paths or _handlers_in(facts, source_paths)):
        problems.extend((_display_source(ws, path), problem)
                        for path, problem in check_named("unhandled", RunCheck).run(facts, ()))
    return reuse.SourcesRecord(problems, suppressions, {key: _selected_sha(ws, key) for key in sorted(asked)})


def _carried_sources(ws: Workspace, run: DocRun, last: reuse.LastRun | None) -> reuse.SourcesRecord | None:
    """The sources' problems and suppressions as the last run found them, while the sources,
    the rule packs' facts and the docs the comments link into are the same."""
    if last is None:
        return None
    record = last.sources_for(run.context, run.sources)
    if record is None:
        return None
    if any(_selected_sha(ws, key) != sha for key, sha in record.docs.items()):
        return None
    return record


def _selected_sha(ws: Workspace, key: str) -> str | None:
    """The bytes' hash of a selected doc (None for any other Markdown file: the run's keys hold those)."""
    hashed = ws.hashed_docs.get(key)
    return hashed.sha if hashed is not None else None


def _has_sources(ws: Workspace) -> bool:
    if ws.index_pending and ws.source_request is not None:
        return bool(ws.source_request.hashed)  # without building the index to find out
    return bool(ws.index.files)


def run_coverage(options: Options) -> Report:
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
        ws = with_packs(ws, replay, lock_file)
        paths = load_docs(ws, notices, cache, worker_count(options.jobs))
        docs = [Doc(p, scan) for p in paths if (scan := ws.doc_scan(ws.trees[0], p)) is not None]
    finally:
        cache.flush()
        cache.close()
    for notice in notices:
        print(f"doclint: {notice}", file=sys.stderr)
    assert ws.pack_facts is not None  # the config names rule packs
    return coverage.report(ws.pack_facts, docs)


def run_lock(options: Options) -> tuple[Path, lock.LockPayload]:
    """Record what every reference in the selected docs resolves to, and write the lock."""
    ws, notices = build_workspace(options)
    destination = lock.lock_path(ws.root, ws.config)
    if not destination.parent.is_dir():
        raise DoclintError(f"key 'lock': no directory {os.path.relpath(destination.parent, ws.root)} to write "
                           f"{destination.name} in", ws.config.where)
    if not ws.index.files:
        raise DoclintError("no source files match `sources`; `doclint lock` needs the sources "
                           "(use --source-root to point at them)")
    ws = with_packs(ws, None)
    docs = [Doc(p, scan) for p in load_docs(ws, notices, jobs=worker_count(options.jobs))
            if (scan := ws.doc_scan(ws.trees[0], p)) is not None]
    contexts = []
    for doc in docs:
        context = Context.of(ws)
        for check in doc_checks():
            if check.applies(context):
                for _problem in check.run(doc, context):
                    pass
        contexts.append(context)
    return destination, lock.write_lock(ws, docs, contexts, destination)


def with_packs(ws: Workspace, replay_payload: lock.LockPayload | None, lock_file: Path | None = None,
               tolerant: bool = False, cache: Cache | None = None) -> Workspace:
    """The workspace with the configured rule packs' facts (`pack_facts_for`)."""
    facts = pack_facts_for(ws, replay_payload, lock_file, tolerant, cache)
    return ws if facts is None else ws.with_pack_facts(facts)


def pack_facts_for(ws: Workspace, replay_payload: lock.LockPayload | None, lock_file: Path | None = None,
                   tolerant: bool = False, cache: Cache | None = None) -> PackFacts | None:
    """The configured rule packs evaluated against the sources (from the cached scans, with a
    cache), or taken from the lock; None without packs. Problems stop the run; `tolerant` (for
    --since's older tree, judged by today's packs, and for a source saved mid-edit) keeps what
    could be read instead (None when the packs themselves cannot be read)."""
    if not ws.config.rules:
        return None
    try:
        loaded = packs.load_packs(ws.config.rules, ws.root, ws.config.where, cache)
    except packs.PackError:
        if tolerant:
            return None
        raise
    if replay_payload is not None:
        facts = packs.facts_from_json(replay_payload.get("packs") or {})
        pattern = facts.invariant_pattern
        if pattern is not None:  # the lock may have been edited: its pattern is checked as a pack's is
            try:
                if not isinstance(pattern, str):
                    raise PatternError("must be a string")
                id_patterns(pattern)
            except PatternError as exc:
                raise DoclintError(f"key 'packs.invariant_pattern': {exc}", str(lock_file)) from None
    else:
        source_tree = ws.trees[-1]
        assert isinstance(source_tree, FileTree)  # only a replayed workspace's is locked, and its facts are the lock's
        facts = packs.evaluate(loaded, source_tree, cache)
    problems = facts.problems + packs.unmatched_docs(loaded, sorted(ws.hashed_docs))
    if problems and not tolerant:
        raise packs.PackError(problems)
    return facts


def _pack_docs(ws: Workspace, paths: list[str]) -> list[Doc]:
    """The docs some union or domain must be documented in (`_pack_doc_paths`): what DL011 reads."""
    scans = ((path, ws.doc_scan(ws.trees[0], path)) for path in paths)
    return [Doc(path, scan) for path, scan in scans if scan is not None]


def _pack_doc_paths(ws: Workspace, facts: PackFacts) -> list[str]:
    wanted = GlobSet([pattern for member_set in facts.sets for pattern in member_set.docs])
    return [path for path in readable_docs(ws) if wanted.match(path)]


def _handlers_in(facts: PackFacts, source_paths: list[str]) -> bool:
    return any(s.handler and s.handler[0] in source_paths for s in facts.sets)


def _history(ws: Workspace, replaying: bool, notices: list[str]) -> GitHistory | None:
    """Git history for drift checks, when the docs and the code share one repository."""
    if replaying or ws.source_root != ws.root:
        return None
    try:
        git = GitHistory.open(ws.root, sorted(ws.hashed_docs), ws.cache, ws.git_head)
        if git is None:
            return None  # not a repository, or one without commits
    except GitUnavailable as exc:  # another repository named, or objects missing (a partial or damaged clone)
        notices.append(f"git history unavailable, drift checks are off: {exc}")
        return None
    if git.shallow:
        notices.append("shallow clone: doc lines written before its boundary cannot be followed through git "
                       "history, so their references are checked against the tree only and drift offers no fix "
                       "for them (fetch more history with `git fetch --unshallow`)")
    return git


def _display_source(ws: Workspace, path: str) -> str:
    if ws.source_root == ws.root or isinstance(ws.trees[-1], LockedTree):
        return path
    return Path(os.path.relpath(ws.source_root / path, ws.root)).as_posix()


def _result_data(result: Result) -> dict[str, Any]:
    """A whole result, for the cache. Not the docs' digests: its key holds them (`run_keys`),
    so a run that finds it has the same (`_result_from_data`)."""
    return {"findings": [serial.encode_finding(f) for f in result.findings], "docs": result.docs,
            "references": result.references, "notices": result.notices, "lock_note": result.lock_note,
            "consulted": result.consulted}


def _result_from_data(data: dict[str, Any], ws: Workspace) -> Result:
    return Result([serial.decode_finding(f) for f in data["findings"]], int(data["docs"]), int(data["references"]),
                  ws.root, list(data["notices"]), data["lock_note"], dict(ws.doc_digests))
