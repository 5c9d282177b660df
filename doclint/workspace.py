"""Everything a check may ask about the project: the trees, the index, other docs.

Built once per run (index first, as pyflakes does), then queried by every check.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import itertools
import json
import posixpath
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Protocol, TypeAlias

from doclint.cache import Cache
from doclint.config import Config
from doclint.docscans import DocScans
from doclint.mdrefs import STRONG_EXTENSIONS, DocScan, scan_markdown
from doclint.outside import OutsideCode
from doclint.packages import Packages, find_packages
from doclint.tree import FileTree, LockedTree, Tree, text_lines
from doclint.tsindex import ESM_TO_TS, SOURCE_EXTENSIONS, FileScan, SymbolIndex

if TYPE_CHECKING:
    from doclint.globs import GlobSet
    from doclint.lookups import Lookups
    from doclint.packs import PackFacts
    from doclint.scanning import Hashed, Request

    class IndexBuilder(Protocol):
        """Builds the index on first use: from scans loaded elsewhere, else from the sources' own."""

        def __call__(self, scans: dict[str, FileScan] | None = None, /) -> SymbolIndex: ...

# The root's tree, then the source root's if it differs (a LockedTree when the lock is replayed).
Trees: TypeAlias = "tuple[FileTree] | tuple[FileTree, Tree]"

MARKDOWN_EXTENSIONS = (".md", ".markdown", ".mdx")
# File names that stand for "some file" in prose (`path.ts:120`, `src/x.ts`): never reported.
# What an extension-less module specifier may stand for, in the order TypeScript tries them.
MODULE_EXTENSIONS = (".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs")
# Files a common tool keeps only while one of its modes is on: absent from most checkouts.
TOOL_STATE = frozenset({".changeset/pre.json"})  # changesets' pre-release mode
# A path segment that stands for a number or date to fill in: `NNNN`, `XXX`, `YYYY-MM-DD`, `...`.
_PLACEHOLDER_SEGMENT = re.compile(r"(N{3,}|X{3,}|Y{4}(?:-MM(?:-DD)?)?|\.{3}|…)(?:[-_.][\w.-]*)?")
PLACEHOLDER_STEMS = frozenset("path file foo bar baz qux x y z a b c example sample name thing some my your".split())


Status = Literal["found", "ambiguous", "missing", "skip"]  # skip: not a claim about this tree


@dataclass(frozen=True)
class Resolved:
    """Where a written path led. `path` is relative to `tree.root`; None when unresolved."""

    status: Status
    tree: Tree | None = None
    path: str | None = None
    moved_to: str | None = None  # for a missing path: the one place a same-named file now is
    package: str | None = None  # for a missing path written from a package's root: that package
    read_packages: bool = False  # the answer depends on the workspace packages the manifests declare

    @property
    def unique_file(self) -> bool:
        return self.status == "found" and self.tree is not None and self.tree.is_file(self.path or "")


class Project(Protocol):
    """What the run shares, as the Workspace gives it and as a doc's Context does: the type
    of helpers that serve both a doc's checks and the run as a whole (the sites' routes)."""

    @property
    def shared(self) -> Workspace:
        """The run's workspace: what per-run memos key on."""

    @property
    def config(self) -> Config: ...

    @property
    def trees(self) -> Trees: ...

    @property
    def hashed_docs(self) -> dict[str, Hashed]: ...


class Workspace:
    def __init__(self, root: Path, source_root: Path, config: Config, trees: Trees,
                 index: SymbolIndex | IndexBuilder, hashed_docs: dict[str, Hashed],
                 source_request: Request | None = None, lookups: Lookups | None = None,
                 pack_facts: PackFacts | None = None, doc_scans: DocScans | None = None,
                 cache: Cache | None = None, shared: Workspace | None = None):
        """`index` is a SymbolIndex, or a function that builds one on first use (a run whose
        whole result is cached never needs it) from the scans of `source_request` (the hashed
        sources); `lookups` answers the checks' questions in its place (the lock's record),
        else the index does. `hashed_docs`: the selected docs, hashed; `pack_facts` when the
        config names rule packs; `doc_scans`: where the Markdown files' scans are kept (and the
        selected docs' loaded from, or streamed into: doclint.docscans); `cache`: where what is
        read of the code outside the index is kept; `shared`: the run's workspace this one is
        a copy of (what per-run memos key on)."""
        self.root = root
        self.source_root = source_root
        self.config = config
        self.trees = trees
        self._index = index
        self._index_from: Workspace | None = None  # a copy's: the workspace whose index it uses
        self.hashed_docs = hashed_docs
        self.source_request = source_request
        self.source_hashes = {p: h.sha for p, h in source_request.hashed.items()} if source_request else {}
        self.doc_digests = {p: h.sha for p, h in hashed_docs.items()}  # the bytes each doc was checked as
        self.doc_scans = doc_scans if doc_scans is not None else DocScans()
        self._line_counts: dict[tuple[int, str], int | None] = {}
        self._texts: dict[str, str | None] = {}
        self.pack_facts = pack_facts
        self._given_lookups = lookups
        self._lookups: Lookups | None = lookups
        self._resolved: dict[tuple[str, str, bool], Resolved] = {}
        self._agent_files: GlobSet | None = None  # the agent instruction files, built on first use
        self._git_head: str | None = ""  # "": not asked yet
        self._outside: OutsideCode | None = None
        self._outside_early: OutsideCode | None = None  # `outside_digests` before the index is built
        self._package_names: frozenset[str] | None = None
        self._library_words: frozenset[str] | None = None
        self._packages: dict[int, Packages] = {}
        self.cache = cache
        self._shared = shared or self

    @property
    def shared(self) -> Workspace:
        """What per-run memos key on (a doc's Context answers with its workspace, a copy made
        to attach the rule packs' facts with the one it copies)."""
        return self._shared

    @property
    def lookups(self) -> Lookups:
        """The one interface checks ask the index through (doclint.lookups)."""
        if self._lookups is None:
            from doclint.lookups import IndexLookups

            self._lookups = IndexLookups(self.index, self.cache)
        return self._lookups

    @property
    def index(self) -> SymbolIndex:
        if self._index_from is not None:
            return self._index_from.index
        if callable(self._index):
            self._index = self._index()
        return self._index

    @property
    def git_head(self) -> str | None:
        """The commit checked out at the root, with a shallow clone's boundary (None outside
        git), asked of git once per run: what cached results are keyed on."""
        if self._git_head == "":
            from doclint.history import GitHistory

            self._git_head = GitHistory.state(self.root)
        return self._git_head

    @property
    def index_pending(self) -> bool:
        """True until the index is built (it is built on first use)."""
        if self._index_from is not None:
            return self._index_from.index_pending
        return callable(self._index)

    def build_index_from(self, scans: dict[str, FileScan]) -> None:
        """Build the pending index from scans loaded elsewhere (alongside the docs)."""
        if self._index_from is not None:
            self._index_from.build_index_from(scans)
        elif callable(self._index):
            self._index = self._index(scans)

    def with_pack_facts(self, facts: PackFacts) -> Workspace:
        """This workspace, with the rule packs' facts (before any doc is checked). An index not
        built yet is this workspace's, built once for both (the docs may be streaming in)."""
        copy = Workspace(self.root, self.source_root, self.config, self.trees, self._index, self.hashed_docs,
                         self.source_request, self._given_lookups, facts, self.doc_scans, self.cache, self.shared)
        if self.index_pending:
            copy._index_from = self._index_from or self
        copy._git_head = self._git_head  # asked of git once a run, for both
        return copy

    def update_source(self, path: str, scan: FileScan, pack_facts: PackFacts | None) -> None:
        """Take a new scan of one source file (the language server, when it is saved), and the
        packs' facts as they are now: the index, and what was worked out from it, are built
        again."""
        self.pack_facts = pack_facts
        scans = dict(self.index.files)
        scans[path] = scan
        self._index, self._index_from = SymbolIndex(scans), None
        self._lookups = None
        self._outside = self._outside_early = None
        self._line_counts = {key: count for key, count in self._line_counts.items() if key[1] != path}

    @property
    def outside_code(self) -> OutsideCode:
        """The repository's code the index leaves out, read on first use."""
        if self._outside is None:
            early = self._outside_early
            if early is not None and self.source_request is not None and \
                    self.index.files.keys() == self.source_request.hashed.keys():
                self._outside = early  # the same files left out
            else:
                self._outside = OutsideCode(self.trees[-1], self.index.files, self.config.max_file_size, self.cache)
        return self._outside

    def outside_digests(self) -> OutsideCode:
        """What cache entries take the code outside the index from (`digest`, `foreign_digest`):
        before the index is built, the code outside the sources to be indexed, which is the
        same unless a parse times out (then the digest differs, and entries are recomputed).
        A run that replays its stored result never loads the index."""
        if self._outside is not None or not self.index_pending or self.source_request is None:
            return self.outside_code
        if self._outside_early is None:
            self._outside_early = OutsideCode(self.trees[-1], self.source_request.hashed, self.config.max_file_size,
                                              self.cache)
        return self._outside_early

    @property
    def package_names(self) -> frozenset[str]:
        """The `name` of every package.json in the tree: the packages this repository holds."""
        if self._package_names is None:
            self._read_manifests()
        assert self._package_names is not None
        return self._package_names

    @property
    def library_words(self) -> frozenset[str]:
        """How prose names the packages this repository depends on: `rspack` for `@rspack/core`,
        `vite` for `vite` (lower case; a scope's package part, often `core`, is not a name)."""
        if self._library_words is None:
            self._read_manifests()
        assert self._library_words is not None
        return self._library_words

    def _read_manifests(self) -> None:
        names, words = set(), set()
        tree = self.trees[0]
        for path in tree.by_basename.get("package.json", ()):
            try:
                data = json.loads(tree.read_text(path) or "null")
            except ValueError:
                continue  # a broken manifest names nothing
            if not isinstance(data, dict):
                continue
            if isinstance(data.get("name"), str):
                names.add(data["name"])
            for key in ("dependencies", "devDependencies", "peerDependencies", "optionalDependencies"):
                table = data.get(key)
                for dependency in table if isinstance(table, dict) else ():
                    head = dependency.split("/", 1)[0]
                    words.add((head[1:] if head.startswith("@") else head).lower())
        self._package_names = frozenset(names)
        self._library_words = frozenset(words - {""})

    def foreign_name(self, name: str) -> str | None:
        """A file of this repository's code that takes `name` from another package."""
        return self.outside_code.foreign(name, self.package_names)

    def packages(self, tree: Tree) -> Packages:
        """The workspace packages and TypeScript roots `tree` declares, read once per run."""
        key = id(tree)
        if key not in self._packages:
            self._packages[key] = Packages() if isinstance(tree, LockedTree) else find_packages(tree)
        return self._packages[key]

    def used_outside(self, name: str) -> str | None:
        """A file of this repository's code outside the index that declares `name`."""
        return self.outside_code.where(name)

    # ------------------------------------------------------------------ paths

    def is_agent_file(self, path: str) -> bool:
        from doclint.config import AGENT_FILES
        from doclint.globs import GlobSet

        if self._agent_files is None:
            self._agent_files = GlobSet(AGENT_FILES)
        return bool(self._agent_files.match(path))

    def resolve(self, written: str, doc_dir: str, agent: bool = False) -> Resolved:
        """Resolve a path written in inline code: root, source root, doc dir, suffix, basename;
        a path written from a workspace package's root in the doc's own package, or, in an agent
        file (`agent`: it describes this repository), in the one package that has its folder.
        The trees do not change during a run, so each answer is worked out once."""
        key = (written, doc_dir, agent)
        found = self._resolved.get(key)
        if found is None:
            found = self._resolved[key] = self._resolve(written, doc_dir, agent)
        return found

    def _resolve(self, written: str, doc_dir: str, agent: bool) -> Resolved:
        found = self._resolve_as_written(written, doc_dir, agent)
        if found.status == "missing" and written.endswith(tuple(ESM_TO_TS)):
            # `./helper.js` is how TypeScript sources import `helper.ts`
            stem, extension = posixpath.splitext(written)
            for candidate in ESM_TO_TS[extension]:
                mapped = self._resolve_as_written(stem + candidate, doc_dir, agent)
                if mapped.status == "found":
                    return mapped
                if written.startswith("./") and any(t.by_basename.get(posixpath.basename(stem) + candidate)
                                                    for t in self.trees):
                    return Resolved("skip")  # a specifier relative to some importing file, not to the doc
        if found.status == "missing" and "." not in written.rsplit("/", 1)[-1] and not written.endswith("/"):
            # `utils/build` for `utils/build.js`: a module written as an import specifier is
            for candidate in MODULE_EXTENSIONS:  # written without its extension
                mapped = self._resolve_as_written(written + candidate, doc_dir, agent)
                if mapped.status == "found":
                    return mapped
        return found

    def _resolve_as_written(self, written: str, doc_dir: str, agent: bool) -> Resolved:
        path = written.rstrip("/")
        relative = written.startswith(("./", "../"))
        candidates = [] if relative else [path]
        joined = posixpath.normpath(posixpath.join(doc_dir, path)) if doc_dir or relative else path
        if joined.startswith("../") or joined == "..":
            return Resolved("skip")  # leaves the root: never followed
        candidates.append(joined)
        if written.startswith("./") and doc_dir:
            candidates.append(posixpath.normpath(path))  # `./scripts/x.sh` run from the root, as a command
        for candidate in candidates:
            for tree in self.trees:
                real = tree.through_links(candidate)
                if tree.exists(real):
                    return Resolved("found", tree, real)
        folder = "/" if written.endswith("/") else ""  # `./dist/`: a folder, as .gitignore's `dist/` means
        if any(tree.is_opaque(c + folder) for tree in self.trees for c in candidates):
            return Resolved("skip")
        if relative:
            return self._missing(path, written, strong=True)
        if "/" in path:
            matches = [(t, m) for t in self.trees for m in (t.suffix_matches(path) or t.dir_suffix_matches(path))]
            if len(matches) == 1:
                return Resolved("found", matches[0][0], matches[0][1])
            if matches:
                return Resolved("ambiguous")
            first = path.split("/", 1)[0]
            anchored = any(t.is_dir(first) or t.is_dir(posixpath.join(doc_dir, first)) for t in self.trees)
            if not anchored:
                return self._in_packages(path, written, doc_dir, agent)
            # `tools/call`, `pages/index` under a folder that exists: with neither an extension
            # nor a closing `/` it is as often a protocol method, a route or a module as a path;
            # reported when it moved. A folder path whose parent is gone too is a path that rotted.
            parent, _, last = path.rpartition("/")
            definite = (written.endswith("/") or "." in last
                        or not any(t.is_dir(c) for t in self.trees
                                   for c in (parent, posixpath.join(doc_dir, parent))))
            return self._missing(path, written, strong=definite)
        matches = [(t, m) for t in self.trees for m in t.by_basename.get(path, ())]
        if len(matches) == 1:
            return Resolved("found", matches[0][0], matches[0][1])
        if matches:
            return Resolved("ambiguous")
        return self._missing(path, written, strong=True) if self._strong_extension(path) else Resolved("skip")

    def _in_packages(self, path: str, written: str, doc_dir: str, agent: bool) -> Resolved:
        """A path found nowhere whose first folder is not at the root: `src/core/x.ts` written
        from a workspace package's root. Only an agent file's (it describes this repository;
        a guide's `src/routes/x.tsx` is as often the reader's own app) and only a file's or a
        folder's, whose parent folder is there: in the package the agent file is inside, or
        else in the one package that has it, two levels deep at least (every package has a
        `src/`, many an `app/`). Otherwise a path of some other project."""
        parent = posixpath.dirname(path)
        shaped = written.endswith("/") or self._strong_extension(path) or path.endswith(SOURCE_EXTENSIONS)
        if not agent or not parent or not shaped:  # `tools/list`, `xai/grok-2`: a method, an id, a route
            return Resolved("skip", read_packages=agent)
        for tree in dict.fromkeys(self.trees):
            packages = self.packages(tree)
            roots = packages.for_path(path)
            own = packages.containing(doc_dir, roots)
            if own is not None and tree.is_dir(posixpath.join(own, parent)):
                return self._missing_in(own, path, written)
            holders = {root for root in roots if tree.is_dir(posixpath.join(root, parent))}
            if "/" in parent and len({posixpath.join(root, parent) for root in holders}) == 1:
                return self._missing_in(holders.pop(), path, written)
        return Resolved("skip", read_packages=True)

    def _missing_in(self, package: str, path: str, written: str) -> Resolved:
        found = self._missing(path, written, strong=True)
        return dataclasses.replace(found, package=package if found.status == "missing" else None, read_packages=True)

    def resolve_link(self, target: str, doc_dir: str) -> Resolved:
        """Resolve a relative link destination the way GitHub does: from the doc's directory."""
        if target.startswith("/"):
            joined = posixpath.normpath(target.lstrip("/"))
        else:
            joined = posixpath.normpath(posixpath.join(doc_dir, target))
        if joined.startswith("../") or joined == "..":
            return Resolved("skip")
        if joined == ".":
            return Resolved("found", self.trees[0], "")
        for tree in self.trees:
            real = tree.through_links(joined)
            if tree.exists(real):
                return Resolved("found", tree, real)
        folder = "/" if target.endswith("/") else ""
        if any(tree.is_opaque(joined + folder) for tree in self.trees):
            return Resolved("skip")
        return self._missing(joined, target, strong=True)

    def _missing(self, path: str, written: str, strong: bool) -> Resolved:
        stem = path.rstrip("/").rsplit("/", 1)[-1].split(".", 1)[0].lower()
        if stem in PLACEHOLDER_STEMS or "xxx" in path.lower() or "<" in path or "{" in path \
                or any(_PLACEHOLDER_SEGMENT.fullmatch(s) for s in path.split("/")):
            return Resolved("skip")  # `class-xxx.md`, `<name>.ts`, `{id}.md`, `NNNN/`: a pattern to fill in
        if path in TOOL_STATE:
            return Resolved("skip")  # exists only while a tool's mode is on
        moved = self._unique_relocation(path)
        if moved is None and not strong:
            return Resolved("skip")
        return Resolved("missing", moved_to=moved)

    def _unique_relocation(self, path: str) -> str | None:
        """The one file whose path ends with the longest tail of `path` that still matches."""
        segments = path.split("/")
        for keep in range(len(segments) - 1, 0, -1):
            tail = "/".join(segments[-keep:])
            matches = {m for t in self.trees for m in t.suffix_matches(tail)}
            if len(matches) == 1:
                return matches.pop()
            if matches:
                return None
        return None

    @staticmethod
    def _strong_extension(path: str) -> bool:
        last = path.rsplit("/", 1)[-1]
        return "." in last and last.rsplit(".", 1)[-1].lower() in STRONG_EXTENSIONS

    # ------------------------------------------------------------------ file facts

    def line_count(self, tree: Tree, path: str) -> int | None:
        if isinstance(tree, LockedTree):
            return tree.lines.get(path)
        key = (id(tree), path)
        if key not in self._line_counts:
            scan = self.index.files.get(path) if tree.root == self.source_root else None
            if scan is not None:
                self._line_counts[key] = scan.line_count
            else:
                text = tree.read_text(path)
                self._line_counts[key] = None if text is None else len(text_lines(text))
        return self._line_counts[key]

    def doc_scan(self, tree: Tree, path: str) -> DocScan | None:
        """The scan of a Markdown file, for its anchors; parsed once per run (a selected doc's is
        streamed in by the scheduler, or loaded from the cache)."""
        if isinstance(tree, LockedTree):
            anchors = tree.anchors.get(path)
            return DocScan(anchors=set(anchors)) if anchors is not None else None
        key = path if tree is self.trees[0] else f"{tree.root}::{path}"

        def parse() -> DocScan | None:
            text = tree.read_text(path)
            return None if text is None else scan_markdown(text)

        return self.doc_scans.scan(key, key in self.hashed_docs, parse)

    def doc_text(self, path: str) -> str | None:
        """A selected doc's own text: the one given (an editor's buffer), else the file's."""
        given = self.doc_scans.given_text(path)
        return given if given is not None else self.trees[0].read_text(path)

    def indexed_path(self, resolved: Resolved) -> str | None:
        """The index key of a resolved source file, if it was indexed."""
        if resolved.tree is None or resolved.path is None:
            return None
        if resolved.tree.root == self.source_root and resolved.path in self.index.files:
            return resolved.path
        return None

    def source_text(self, path: str) -> str | None:
        """Text of a file in the source tree (cached), for hashing what docs refer to."""
        if path not in self._texts:
            self._texts[path] = self.trees[-1].read_text(path)
        return self._texts[path]

    def relative_link(self, doc_dir: str, target: str) -> str:
        return posixpath.relpath(target, doc_dir or ".")


def did_you_mean(word: str, candidates: Iterable[str], cutoff: float = 0.8) -> str | None:
    """The closest candidate at or above `cutoff` (difflib ratio), or None."""
    if isinstance(candidates, Suggestions):
        return candidates.closest(word, cutoff)
    return _closest(word, frozenset(candidates), cutoff)


@functools.lru_cache(maxsize=4096)
def _closest(word: str, candidates: frozenset[str], cutoff: float) -> str | None:
    """A small set: compare all, as `difflib.get_close_matches(word, candidates, 1, cutoff)`
    does. Memoised, and so is each pair's score: docs get the same anchors wrong."""
    size = len(word)
    scored = [(score, candidate) for candidate in candidates  # most pairs fail the lengths, before the memo
              if _lengths_reach(len(candidate), size, cutoff) and (score := _similarity(candidate, word, cutoff)) >= cutoff]
    return max(scored)[1] if scored else None


def _lengths_reach(one: int, other: int, cutoff: float) -> bool:
    """Can strings of these lengths be `cutoff` alike? (difflib's `real_quick_ratio` bound)"""
    return not one + other or 2.0 * min(one, other) / (one + other) >= cutoff


@functools.lru_cache(maxsize=65536)
def _similarity(candidate: str, word: str, cutoff: float) -> float:
    """difflib's ratio, or 0 when its cheap upper bounds already fall short of `cutoff`: the
    bounds `real_quick_ratio` and `quick_ratio` give (the lengths; the characters in common,
    counted with repeats), worked out as difflib does but without building a matcher, which
    most pairs never need."""
    length = len(candidate) + len(word)
    if not length:
        return 0.0 if cutoff > 1.0 else 1.0  # two empty strings are alike, as difflib has it
    if not _lengths_reach(len(candidate), len(word), cutoff):
        return 0.0
    counts = _characters(word)
    common = sum(min(count, counts[char]) for char, count in _characters(candidate).items())
    if 2.0 * common / length < cutoff:
        return 0.0
    return difflib.SequenceMatcher(None, candidate, word).ratio()


@functools.lru_cache(maxsize=8192)
def _characters(text: str) -> Counter[str]:
    return Counter(text)


class Suggestions:
    """Did-you-mean over many names. Only candidates of a plausible length that share
    enough character trigrams with the word are compared with difflib; answers are memoised."""

    def __init__(self, candidates: Iterable[str]) -> None:
        self._names = sorted(set(candidates))
        self._by_trigram: dict[str, list[int]] = {}
        for number, name in enumerate(self._names):
            for gram in _trigrams(name):
                self._by_trigram.setdefault(gram, []).append(number)
        self._memo: dict[tuple[str, float], str | None] = {}

    def closest(self, word: str, cutoff: float) -> str | None:
        key = (word, cutoff)
        if key not in self._memo:
            low, high, grams, needed = _compared(word, cutoff)
            shared = Counter(itertools.chain.from_iterable(self._by_trigram.get(gram, ()) for gram in grams))
            pool = [self._names[n] for n, count in shared.items()
                    if count >= needed and low <= len(self._names[n]) <= high]
            matches = difflib.get_close_matches(word, pool, n=1, cutoff=cutoff)
            self._memo[key] = matches[0] if matches else None
        return self._memo[key]


def _compared(word: str, cutoff: float) -> tuple[float, float, set[str], int]:
    """Which names `Suggestions` compares a word with: those of a length from `low` to `high`
    that share at least `needed` of its `grams` (each name's test its own, whatever the others)."""
    grams = _trigrams(word)
    return len(word) * cutoff / (2 - cutoff), len(word) * (2 - cutoff) / cutoff, grams, \
        max(1, int(len(grams) * (cutoff - 0.5)))


def carried_over(word: str, cutoff: float, before: str | None, added: Iterable[str]) -> str | None:
    """`Suggestions(names).closest(word, cutoff)`, worked out from its answer `before` over
    other names: those with `added` and without some that are not `before`. Whether a name is
    compared depends on it and the word alone (`_compared`), and the answer is the best
    (ratio, name) of those compared, so it is the best of `before` and the added ones compared."""
    low, high, grams, needed = _compared(word, cutoff)
    pool = [name for name in added if low <= len(name) <= high and len(grams & _trigrams(name)) >= needed]
    matches = difflib.get_close_matches(word, pool + ([before] if before is not None else []), n=1, cutoff=cutoff)
    return matches[0] if matches else None


def _trigrams(word: str) -> set[str]:
    padded = f"  {word.lower()} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def is_markdown(path: str) -> bool:
    return path.lower().endswith(MARKDOWN_EXTENSIONS)
