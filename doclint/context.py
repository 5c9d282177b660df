"""What one doc's checks see: the run's shared workspace, through a record of what they used.

Every check of a doc receives one `Context`. It answers from the workspace and notes, in
its `Record`, every lookup made of the index, every other file read and every source-tree
path and anchor used: the doc's stored result is reused while those answers hold, and the
lock writes down exactly that record. Nothing else is shared between docs.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from doclint.config import Config
from doclint.lookups import Recorder
from doclint.mdrefs import DocScan
from doclint.outside import FOREIGN_MARKER as FOREIGN_NAMES
from doclint.outside import MARKER as OUTSIDE_CODE
from doclint.tree import FileTree, LockedTree, Tree
from doclint.workspace import Resolved, Trees, Workspace

if TYPE_CHECKING:
    from doclint.checks.drift import Plan
    from doclint.history import GitHistory
    from doclint.lock import LockPayload
    from doclint.packs import PackFacts
    from doclint.scanning import Hashed


@dataclass
class Record:
    """What a doc's checks used besides its own bytes and the run's shared context."""

    reads: set[str] = field(default_factory=set)  # absolute paths of other files read
    source_paths: set[str] = field(default_factory=set)  # source-tree paths references resolved to
    source_anchors: dict[str, set[str]] = field(default_factory=dict)  # source-tree docs' anchors used
    # What was asked of the code outside the index, and answered: (question, name) -> a file or None
    code_answers: dict[tuple[str, str], str | None] = field(default_factory=dict)


@dataclass(frozen=True)
class Context:
    """Everything one doc's checks read: the workspace (trees, resolver, pack facts), the
    index through `index`, which records every lookup, the git history (None without one),
    the lock to compare the code with (None when there is none, or when it is replayed),
    and the drift plan made for the doc ahead of time."""

    ws: Workspace
    index: Recorder
    record: Record
    history: GitHistory | None = None
    lock: LockPayload | None = None
    drift_plan: Plan | None = None

    @classmethod
    def of(cls, ws: Workspace, history: GitHistory | None = None, lock: LockPayload | None = None,
           drift_plan: Plan | None = None) -> Context:
        return cls(ws, Recorder(ws.lookups), Record(), history, lock, drift_plan)

    # what the run shares, as it is

    @property
    def shared(self) -> Workspace:
        """The run's workspace, what per-run memos key on: the one the packs' copy was made of,
        so the world key's site detection serves every doc's checks too."""
        return self.ws.shared

    @property
    def root(self) -> Path:
        return self.ws.root

    @property
    def source_root(self) -> Path:
        return self.ws.source_root

    @property
    def config(self) -> Config:
        return self.ws.config

    @property
    def trees(self) -> Trees:
        return self.ws.trees

    @property
    def pack_facts(self) -> PackFacts | None:
        return self.ws.pack_facts

    @property
    def hashed_docs(self) -> dict[str, Hashed]:
        return self.ws.hashed_docs

    def is_agent_file(self, path: str) -> bool:
        return self.ws.is_agent_file(path)

    def relative_link(self, doc_dir: str, target: str) -> str:
        return self.ws.relative_link(doc_dir, target)

    def doc_text(self, path: str) -> str | None:
        return self.ws.doc_text(path)

    # what is recorded

    def resolve(self, written: str, doc_dir: str, agent: bool = False) -> Resolved:
        return self._note(self.ws.resolve(written, doc_dir, agent))

    def resolve_link(self, target: str, doc_dir: str) -> Resolved:
        return self._note(self.ws.resolve_link(target, doc_dir))

    def _note(self, resolved: Resolved) -> Resolved:
        if resolved.read_packages:  # the doc's findings now depend on what the manifests declare
            for tree in dict.fromkeys(self.ws.trees):
                for manifest in self.ws.packages(tree).manifests:
                    self.consult(tree, manifest)
        if resolved.status == "found" and resolved.tree is self.ws.trees[-1] and resolved.path:
            self.record.source_paths.add(resolved.path)
        return resolved

    def indexed_path(self, resolved: Resolved) -> str | None:
        """The index key of a resolved source file, if it was indexed."""
        if resolved.tree is None or resolved.path is None or resolved.tree.root != self.ws.source_root:
            return None
        return resolved.path if self.index.is_indexed(resolved.path) else None

    def line_count(self, tree: Tree, path: str) -> int | None:
        if not isinstance(tree, LockedTree) and tree.root == self.ws.source_root and self.index.is_indexed(path):
            return self.index.line_count(path)
        self.consult(tree, path)
        return self.ws.line_count(tree, path)

    def read_text(self, tree: Tree, path: str) -> str | None:
        self.consult(tree, path)
        return tree.read_text(path)

    def source_text(self, path: str) -> str | None:
        self.consult(self.ws.trees[-1], path)
        return self.ws.source_text(path)

    def doc_scan(self, tree: Tree, path: str) -> DocScan | None:
        """Another Markdown file's scan, for its anchors."""
        self.consult(tree, path)
        scan = self.ws.doc_scan(tree, path)
        if scan is not None and tree is self.ws.trees[-1]:
            self.record.source_anchors[path] = set(scan.anchors)
        return scan

    @property
    def package_names(self) -> frozenset[str]:
        """The packages this repository holds; the doc now depends on every package.json."""
        self._consult_manifests()
        return self.ws.package_names

    @property
    def library_words(self) -> frozenset[str]:
        """How prose names the packages this repository depends on; the doc now depends on every package.json."""
        self._consult_manifests()
        return self.ws.library_words

    def _consult_manifests(self) -> None:
        tree = self.ws.trees[0]
        for path in tree.by_basename.get("package.json", ()):
            self.consult(tree, path)

    def foreign_name(self, name: str) -> str | None:
        """A file of this repository's code that takes `name` from another package; the doc's
        findings now depend on all of that code (its digest stands for it), or, once it
        changed, on the same answer to the same question."""
        self.record.reads.add(FOREIGN_NAMES)
        answer = self.record.code_answers[("foreign_name", name)] = self.ws.foreign_name(name)
        return answer

    def used_outside(self, name: str) -> str | None:
        """A file of this repository's code outside the index that declares `name`; the doc's
        findings now depend on that code as a whole (its digest stands for it), or, once it
        changed, on the same answer to the same question."""
        self.record.reads.add(OUTSIDE_CODE)
        answer = self.record.code_answers[("used_outside", name)] = self.ws.used_outside(name)
        return answer

    def consult(self, tree: Tree, path: str) -> None:
        """Note a file this doc's findings depend on (one read other than through the index)."""
        if isinstance(tree, FileTree):
            self.record.reads.add(os.path.join(tree.root, path))
