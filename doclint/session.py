"""A warm check run that answers for one file at a time: what the language server asks.

`doclint check` builds a workspace, checks every doc and exits. A session builds the same
workspace once (from the on-disk cache where it can) and keeps it: the trees, the index, the
rule-pack facts, the lock, git history and the baseline. `check_doc` then checks one doc from
text it is given (an editor's unsaved buffer) with the same checks and the same policy
(severity, selection, suppressions, baseline) as `doclint check`, so the two cannot disagree.
"""

from __future__ import annotations

import posixpath
from collections import Counter
from pathlib import Path

from doclint import baseline, linter, narrowing, policy, scheduler
from doclint.cache import Cache
from doclint.checks import comments, members
from doclint.config import AGENT_FILES
from doclint.findings import Finding, Problem
from doclint.globs import GlobSet
from doclint.writing import write_text
from doclint.mdrefs import DocScan, Suppression, scan_markdown
from doclint.registry import RULES
from doclint.scanning import worker_count
from doclint.tree import decode
from doclint.tsindex import SOURCE_EXTENSIONS, scan_typescript, uses_tsx
from doclint.workspace import is_markdown


class Session:
    def __init__(self, options: linter.Options):
        self.options = options
        self.select = policy.parse_rule_list(options.select, "--select")
        self.ignore = policy.parse_rule_list(options.ignore, "--ignore")
        cache = Cache((options.cache_root or options.root).resolve(), enabled=not options.no_cache)
        try:
            ws, self.notices = linter.build_workspace(options, cache=cache)
            self.ws, self.payload, self.replaying, _note = linter.with_lock(ws, self.notices)
            for path in scheduler.load_docs(self.ws, self.notices, cache, worker_count(options.jobs)):
                self.ws.doc_scan(self.ws.trees[0], path)  # from the cache, while it is open
            self.ws.index  # noqa: B018 (built now, not on the first keystroke)
        finally:
            cache.flush()
            cache.close()
        self.git = linter._history(self.ws, self.replaying, self.notices) if not options.exported else None
        self.accepted = self._read_baseline()
        self._docs = linter.selected_docs(self.ws.config, self.ws.trees[0])
        self._doc_globs = (self.ws.config.docs_globs, GlobSet(AGENT_FILES))

    @property
    def root(self) -> Path:
        return self.ws.root

    @property
    def docs(self) -> list[str]:
        """Every selected doc, the ones only open in the editor included."""
        return self._docs

    def _read_baseline(self) -> Counter[baseline.Key] | None:
        return None if self.options.no_baseline else policy.accepted_findings(self.ws)

    def is_doc(self, path: str) -> bool:
        """Would `doclint check` check this doc (the config's docs, and every agent file)?"""
        docs, agents = self._doc_globs
        return is_markdown(path) and docs.match(path) or agents.match(path)

    def is_source(self, path: str) -> bool:
        return path.endswith(SOURCE_EXTENSIONS) and self.ws.config.sources_globs.match(path)

    def on_disk(self, path: str) -> str | None:
        try:
            return decode((self.root / path).read_bytes())
        except OSError:
            return None

    # ------------------------------------------------------------------ checking

    def set_doc_text(self, path: str, text: str) -> DocScan:
        """Take a doc's text as it is now: other docs' anchors and references see it too."""
        scan = scan_markdown(text, mdx=is_mdx(path))
        self.ws.doc_scans.give(path, text, scan)
        if path not in self._docs and self.is_doc(path):
            self._docs = sorted({*self._docs, path})
        return scan

    def check_doc(self, path: str, text: str | None = None) -> list[Finding]:
        """A doc's findings, as `doclint check PATH` reports them, for `text` (default: the
        text last given, or the file's). Git drift needs the text git can blame: it is checked
        only while the text is the saved file's."""
        ws = self.ws
        if text is not None:
            self.set_doc_text(path, text)
        scan = ws.doc_scan(ws.trees[0], path)
        if scan is None:
            return []
        saved = text is None or text == self.on_disk(path)
        git = self.git if saved and path in ws.hashed_docs else None
        run = scheduler.DocRun(ws, self.payload, self.replaying, git, Cache(self.root, enabled=False), [], 1)
        run.check(path, frozenset())
        problems = [(path, problem) for problem in run.found.get(path, ())]
        return self._policy(problems, {path: scan.suppressions}, {path: text} if text is not None else {})

    def check_source(self, path: str, text: str | None = None) -> list[Finding]:
        """A source file's findings: the doc links in its comments, and the union members its
        handler misses (DL012) when it is a pack's handler file."""
        ws = self.ws
        if self.replaying or ws.source_root != ws.root or not self.is_source(path):
            return []  # as `doclint check`: comments only in sources of this repository
        scan = ws.index.files.get(path) if text is None else scan_typescript(text.encode(), uses_tsx(path))
        if scan is None:
            return []
        problems = [(path, problem) for problem in comments.check(path, ws, scan)]
        if ws.pack_facts is not None:
            problems.extend((p, problem) for p, problem in members.unhandled(ws.pack_facts) if p == path)
        return self._policy(problems, {path: policy.comment_suppressions(scan)},
                            {path: text} if text is not None else {})

    def _policy(self, problems: list[tuple[str, Problem]], suppressions: dict[str, list[Suppression]],
                texts: dict[str, str]) -> list[Finding]:
        problems = policy.deduplicate(problems)
        findings = policy.apply_policy(problems, suppressions, self.ws.config, self.select, self.ignore,
                                        self.options.strict)
        findings.sort(key=lambda f: f.sort_key)
        if self.accepted:
            findings, _covered = baseline.split(findings, baseline.keys_of(self.root, findings, texts),
                                                self.accepted)
        return findings

    # ------------------------------------------------------------------ changes on disk

    def source_saved(self, path: str) -> list[str]:
        """Re-index a saved source file; returns the docs that refer to it (to re-check)."""
        ws = self.ws
        if self.replaying or not self.is_source(path) or path not in ws.trees[-1].files:
            return []
        try:
            data = (ws.trees[-1].root / path).read_bytes()
        except OSError:
            return []
        referring = {doc for doc in self._docs if narrowing.refers_to(ws, doc, {path})}  # names it declared
        # unions and domains may have changed; a source saved mid-edit may not fit the pack
        # yet, which should not stop the server: what can be read is kept
        ws.update_source(path, scan_typescript(data, uses_tsx(path)),
                         linter.pack_facts_for(ws, None, tolerant=True) or ws.pack_facts)
        referring.update(doc for doc in self._docs if narrowing.refers_to(ws, doc, {path}))  # and declares
        return sorted(referring)

    def baseline_add(self, finding: Finding, text: str | None) -> Path:
        """Accept one finding in the baseline file (created when absent)."""
        path = policy.baseline_path(self.root, self.ws.config)
        shown = self.ws.config.baseline or baseline.DEFAULT_BASELINE
        counts = baseline.read(path, shown) if path.is_file() else Counter()
        texts = {finding.path: text} if text is not None else None
        counts[baseline.keys_of(self.root, [finding], texts)[0]] += 1
        write_text(path, baseline.render(counts, {code: rule.name for code, rule in RULES.items()}))
        self.accepted = counts
        return path


def is_mdx(path: str) -> bool:
    return path.lower().endswith(".mdx")


def relative_to(root: Path, absolute: Path) -> str | None:
    """`absolute` as a root-relative '/'-separated path, or None outside the root."""
    try:
        rel = absolute.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return None
    return "" if rel == "." else posixpath.normpath(rel)

