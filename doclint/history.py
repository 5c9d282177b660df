"""Git history: where the code a doc line pointed at went since that line was written.

A few batched `git` calls per run: one `git log -M --name-status` walk (merges diffed
against their first parent) and one `git rev-list --parents` for ancestry, `git blame -L`
per doc (only the lines that hold line references or vanished paths; a line that was
only renumbered since is blamed further back), one `git cat-file --batch` process for old
file contents and old trees. Blames walk by a commit-graph doclint keeps for git in its
cache (`gitrun.commit_graph`).
"""

from __future__ import annotations

import hashlib
import os
import posixpath
import re
import subprocess
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, cast, overload

from doclint import linediff
from doclint.linediff import Opcodes, Tag
from doclint.cache import Cache, read_bytes
from doclint.gitrun import REPOSITORY_VARIABLES, GitUnavailable, commit_graph, environment
from doclint.gitrun import git as _git
from doclint.tree import text_lines

if TYPE_CHECKING:  # the threads are started by a run that blames, not imported by every run
    from concurrent.futures import Future, ThreadPoolExecutor

# Never diffed: vendored trees doclint does not check (and partial clones often lack).
_SKIP = (":(exclude,glob)**/node_modules/**", ":(exclude,glob)**/.venv/**")
# The requests sent to `git cat-file --batch` before its answers are read: fewer bytes than
# any platform's pipe holds, so the writes never wait on git, which may be waiting on us.
_BATCH_BYTES = 4096


@dataclass(frozen=True)
class RangeMove:
    start: int | None  # None: that end of the range was rewritten, so where it is now is unknown
    end: int | None
    changed: int  # lines of the old range that no longer appear unchanged
    total: int


LineMapping = tuple[list[str], list[str], Opcodes | None]  # old lines, new lines, how (None: the same)
_Entries = dict[str, list[tuple[bool, str]]]  # a tree's entries: name -> [(is a folder, object id)]
_Blamed = tuple[dict[int, str], dict[int, str], str | None]  # line -> commit, line -> as written, why not


def line_opcodes(old: list[str], new: list[str], positions: linediff.Positions | None = None) -> Opcodes:
    """How `new` was made from `old`, line by line: difflib's equal/replace/delete/insert
    blocks (`SequenceMatcher` without junk), worked out faster (`linediff`)."""
    return linediff.line_opcodes(old, new, positions)


def _has_content(line: str) -> bool:
    """A line that can anchor a range: blank lines and lone braces match anywhere."""
    return any(c.isalnum() for c in line)


def map_range(old: list[str], new: list[str], start: int, end: int, opcodes: Opcodes | None = None) -> RangeMove | None:
    """Follow lines start..end (1-based) of `old` into `new`, anchored on content: None when no
    line of the range with content survived unchanged (blank lines and braces are no evidence)."""
    if opcodes is None:
        opcodes = line_opcodes(old, new)
    survivors, anchored = 0, False
    for tag, i1, i2, _j1, _j2 in opcodes:
        low, high = max(i1, start - 1), min(i2, end)
        if tag == "equal" and low < high:
            survivors += high - low
            anchored = anchored or any(_has_content(old[k]) for k in range(low, high))
    if not anchored:
        return None
    new_start, new_end = _boundary(opcodes, start - 1, True), _boundary(opcodes, end - 1, False)
    if new_start is not None and new_end is not None and new_end < new_start:
        new_start = new_end = None
    return RangeMove(new_start, new_end, end - start + 1 - survivors, end - start + 1)


def _boundary(opcodes: Opcodes, index: int, first: bool) -> int | None:
    """Where the range's first or last line (0-based `index` in old) is now, 1-based; None when
    it lies inside a block rewritten to another length: what the block became may be other code."""
    for tag, i1, i2, j1, j2 in opcodes:
        if not i1 <= index < i2:
            continue
        if tag == "equal" or i2 - i1 == j2 - j1:  # kept, or rewritten line for line in place
            return j1 + index - i1 + 1
        if j1 == j2:  # deleted: the range now starts after the gap, or ends before it
            return j1 + 1 if first else j1
        return None
    return None


_DIGITS = re.compile(r"[0-9]+")
# How git says an object it needs is not in the repository.
_MISSING_OBJECT = re.compile(r"(?i)cannot read|unable to read|could not read|bad object|missing (blob|tree|object)")


def _porcelain(out: bytes) -> dict[int, tuple[str, int, str, tuple[str, str, str] | None]]:
    """`git blame --porcelain`: final line -> (commit, its line number there, text, previous),
    previous being (parent commit, path there, path in the commit), when the commit had one."""
    lines: dict[int, tuple[str, int, str, tuple[str, str, str] | None]] = {}
    previous: dict[str, str] = {}
    filename: dict[str, str] = {}
    current: list[str] = []
    for raw in out.decode("utf-8", "replace").split("\n"):
        parts = raw.split(" ")
        if raw.startswith("\t") and current:
            sha, orig, final = current
            before = previous.get(sha)
            parent, _, there = (before or "").partition(" ")
            where = (parent, there, filename.get(sha, "")) if before and " " in before else None
            lines[int(final)] = (sha, int(orig), raw[1:].rstrip("\r"), where)
            current = []
        elif len(parts) >= 3 and len(parts[0]) == 40 and all(c in "0123456789abcdef" for c in parts[0]):
            current = parts[:3]
        elif current and parts[0] == "previous":
            previous[current[0]] = raw.split(" ", 1)[1]
        elif current and parts[0] == "filename":
            filename[current[0]] = raw.split(" ", 1)[1]
    return lines


class ChangedPaths:
    """The paths some commits touched (added, modified, deleted, renamed: old and new name),
    asked one at a time: `path in changed`."""

    def __init__(self, positions: int, touched_by: dict[str, int], by_basename: dict[str, list[str]]):
        self._positions = positions  # which commits, as bits of their positions in the walk
        self._touched_by = touched_by  # path -> the positions of the commits that touched it (shared)
        self._by_basename = by_basename  # last segment -> those paths (shared)

    def __contains__(self, path: object) -> bool:
        return isinstance(path, str) and bool(self._touched_by.get(path, 0) & self._positions)

    def __iter__(self) -> Iterator[str]:
        return (path for path, positions in self._touched_by.items() if positions & self._positions)

    def any_named(self, name: str) -> bool:
        """Is a path whose last segment is `name` among them?"""
        return any(path in self for path in self._by_basename.get(name, ()))


class _Working:
    """A working-tree file as the old versions mapped onto it need it: its text and lines,
    and, worked out once for them all, its hash and where each of its lines is."""

    def __init__(self, text: str, lines: list[str]):
        self.text, self.lines = text, lines
        self._sha: str | None = None
        self._positions: linediff.Positions | None = None

    def sha(self) -> str:
        if self._sha is None:
            self._sha = _text_sha(self.text)
        return self._sha

    def positions(self) -> linediff.Positions:
        if self._positions is None:
            self._positions = linediff.Positions(self.lines)
        return self._positions


# A position of the walk with renames or deletions: (position, those entries, old path -> their numbers).
_Gone = tuple[int, list[tuple[str, ...]], dict[str, list[int]]]


class Renames:
    """Old path -> its name in the working tree, for the files renamed (in one step or several)
    since some commits, asked one path at a time (`get`): each path is followed through only
    the renames and deletions of those commits, oldest first, once."""

    def __init__(self, positions: int, renaming: list[_Gone]):
        self._positions = positions  # which commits, as bits of their positions in the walk
        self._renaming = renaming  # shared, newest first
        self._now: dict[str, str | None] = {}

    @overload
    def get(self, path: str) -> str | None: ...

    @overload
    def get(self, path: str, default: str) -> str: ...

    def get(self, path: str, default: str | None = None) -> str | None:
        """The file's name now, if it was renamed since and is still there; else `default`."""
        if path not in self._now:
            self._now[path] = self._follow(path)
        now = self._now[path]
        return default if now is None else now

    def _follow(self, path: str) -> str | None:
        name = path
        for position, entries, by_old in reversed(self._renaming):
            if not self._positions >> position & 1:
                continue
            after = -1  # an entry of one commit renames what the entries before it left
            while True:
                number = next((n for n in by_old.get(name, ()) if n > after), None)
                if number is None:
                    break
                status, *paths = entries[number]
                if status != "R":
                    return None  # deleted
                name, after = paths[1], number
        return None if name == path else name


class GitHistory:
    def __init__(self, root: Path, cache: Cache | None = None):
        """`cache` keeps the walk of the committed history by the commit checked out: a run
        after a commit walks it once, a run after an edit not at all."""
        self.root = root
        self._cache = cache or Cache(root, enabled=False)
        self.head_sha: str | None = None
        top, _, shallow = _git(root, "rev-parse", "--show-toplevel", "--is-shallow-repository").decode().partition("\n")
        self.toplevel = Path(top.strip()).resolve()
        prefix = os.path.relpath(root.resolve(), self.toplevel)
        self.prefix = "" if prefix == "." else Path(prefix).as_posix() + "/"
        self.shallow = shallow.strip() == "true"
        self.boundary: frozenset[str] = self._shallow_boundary() if self.shallow else frozenset()
        self._blobs: dict[tuple[str, str], str | None] = {}
        self._blamed: dict[tuple[str, frozenset[int]], dict[int, str]] = {}  # from the cache ahead, not yet used
        self._running: dict[tuple[str, frozenset[int]], Future[_Blamed]] = {}  # blames started ahead, not yet used
        self._pool: ThreadPoolExecutor | None = None  # the threads blames started ahead run in
        self._folders: dict[str, _Entries] = {}  # tree id -> its entries
        self._tops: dict[str, str | None] = {}  # "commit:folder" -> the root's tree then (None: not there yet)
        self._endings: dict[tuple[str, str], list[str]] = {}  # (tree id, path) -> up to two paths ending in it
        self._below: dict[str, frozenset[str]] = {}  # tree id -> every name under it
        self._whole: set[str] = set()  # tree ids whose every folder below has been read
        self._sole: dict[str, str | None] = {}  # doc path -> the one commit that wrote it all
        self._changes: dict[str, tuple[Renames, ChangedPaths]] = {}  # commit -> renames, changed paths
        self._touched_by: dict[str, int] | None = None  # path -> the walk's positions that touched it, as bits
        self._renaming: list[_Gone] = []  # each position's renames and deletions, newest first
        self._touched_named: dict[str, list[str]] = {}  # last segment -> the touched paths that end in it
        self._catter: subprocess.Popen[bytes] | None = None  # `git cat-file --batch`, started on first use
        self.last_commit: dict[str, str] = {}  # doc path -> last commit that touched it
        self._history: list[tuple[str, list[tuple[str, ...]]]] | None = None
        self._merges: set[str] = set()
        self._touching: dict[str, list[tuple[int, str, str | None]]] | None = None  # path -> (position, commit, renamed from)
        self._parents: dict[str, list[str]] | None = None
        self._ancestors: dict[str, int] = {}  # commit asked about -> the walk's positions of it and its ancestors
        self._listed: int | None = None  # the walk's positions of HEAD's history (and of the uncommitted changes)
        self._mappings: dict[tuple[str, str, str], LineMapping | None] = {}
        self._diffs: dict[tuple[str, str], LineMapping] = {}  # (old text, working path) -> the mapping
        self._working_files: dict[str, _Working | None] = {}  # path -> the file now
        self._position: dict[str, int] = {}
        self.unreadable: dict[str, str] = {}  # doc -> why git could not blame it (objects missing)
        self.renumbered: dict[tuple[str, int], str] = {}  # (doc, line) -> the line before fixes renumbered it
        self._versions: dict[str, list[str]] = {}  # "commit:path" -> its lines
        self._edits: dict[tuple[str, str], Opcodes] = {}  # (older, newer version) -> how one became the other
        self._graph: str | None = None  # the object directory of the commit-graph kept for git, once prepared
        self._graph_asked = False

    @staticmethod
    def environment_key() -> str:
        """The repository the environment names, if any: it decides whether drift runs at all."""
        return repr(sorted((name, os.environ[name]) for name in REPOSITORY_VARIABLES if os.environ.get(name)))

    @staticmethod
    def head(root: Path) -> str | None:
        """The commit checked out at root, or None outside git (cheap: one process)."""
        try:
            return _git(root, "rev-parse", "HEAD").decode().strip()
        except GitUnavailable:
            return None

    @staticmethod
    def state(root: Path) -> str | None:
        """The commit checked out at root and, in a shallow clone, its boundary (fetching more
        history moves it, HEAD staying put), for cache keys; None outside git. One process."""
        try:
            head, _, where = _git(root, "rev-parse", "HEAD", "--git-path", "shallow").decode().strip().partition("\n")
        except GitUnavailable:
            return None
        return head.strip() + "".join(f" {commit}" for commit in sorted(_shallow_commits(root, where)))

    @staticmethod
    def open(root: Path, docs: Sequence[str] = (), cache: Cache | None = None,
             state: str | None = "") -> "GitHistory | None":
        """The history of the repository holding root, with the last commit of each of `docs`;
        None when there is none (or no commit yet). Raises GitUnavailable (saying why) when the
        environment names another repository, or one that cannot be read: drift must not
        measure one repository's docs by another's history. `state`: what `state` gives for
        root, when the caller has asked it already (None: no commit, or no repository)."""
        named = [f"{name}={os.environ[name]}" for name in REPOSITORY_VARIABLES if os.environ.get(name)]
        if named:
            try:
                theirs = _git(root, "rev-parse", "--absolute-git-dir", as_given=True).decode().strip()
            except GitUnavailable:
                raise GitUnavailable(f"{' '.join(named)} is not a git repository") from None
            try:
                own = _git(root, "rev-parse", "--absolute-git-dir").decode().strip()
            except GitUnavailable:
                own = None
            if own is None or Path(own).resolve() != Path(theirs).resolve():
                raise GitUnavailable(f"{' '.join(named)} is not the repository holding {root}")
        if state is None:
            return None  # not a repository, or one without commits
        try:
            history = GitHistory(root, cache)
        except GitUnavailable:
            return None
        history.head_sha = GitHistory.head(root) if state == "" else state.split(" ", 1)[0]
        if history.head_sha is None:
            return None  # a repository without commits
        history.last_commit = history.last_commits(sorted(docs))
        return history

    def _shallow_boundary(self) -> frozenset[str]:
        """The commits a shallow clone cut off from their parents: they did not write what they appear to add."""
        try:
            return _shallow_commits(self.root, _git(self.root, "rev-parse", "--git-path", "shallow").decode())
        except GitUnavailable:
            return frozenset()

    def git_name(self, path: str) -> str | None:
        """The name git knows a doc by: a symbolic link inside the root is its target's name
        (git stores the link itself, not the doc); None when it leads outside the root."""
        absolute = self.root / path
        if not absolute.is_symlink():
            return path
        real = Path(os.path.realpath(absolute))
        try:
            return real.relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return None

    def first_commit(self, path: str) -> str | None:
        """The oldest commit that wrote the doc (under this name or one it was renamed from,
        committed or staged): no line of it can have been written before."""
        touching = self._touching_index()
        name, first, after = path, None, -1
        for _hop in range(1000):  # renamed back and forth, the walk still ends
            older = [entry for entry in touching.get(name, ()) if entry[0] > after]
            if not older:
                break
            first = next((sha for _p, sha, _r in reversed(older) if sha), first)
            renamed = next(((p, old) for p, _s, old in older if old is not None), None)
            if renamed is None:
                break
            after, name = renamed
        return first

    def _touching_index(self) -> dict[str, list[tuple[int, str, str | None]]]:
        """Path -> each (position in the walk, commit, the name it was renamed from) that wrote it, newest first."""
        if self._touching is None:
            self._touching = {}
            for position, (sha, entries) in enumerate(self._walk()):
                for status, *names in entries:
                    self._touching.setdefault(names[-1], []).append((position, sha, names[0] if status == "R" else None))
        return self._touching

    def blame(self, path: str, lines: set[int]) -> dict[int, str]:
        """The commit that last wrote each of `lines` (1-based) of a committed doc; uncommitted lines are left out."""
        known = self._blamed.pop((path, frozenset(lines)), None)
        if known is not None:
            return known
        running = self._running.pop((path, frozenset(lines)), None)
        if running is not None:
            return self._store_blame(self._blame_key(path, lines), path, self._take(path, running.result()))
        name = self.git_name(path)
        sole = self.sole_author(name) if name else None
        if sole:
            return {line: sole for line in lines}
        key = self._blame_key(path, lines)
        stored = self._stored_blames({key: path}).get(key) if key else None
        if stored is not None:
            return stored
        self._prepare_graph()
        return self._store_blame(key, path, self._take(path, self._blame(path, lines)))

    def _take(self, path: str, blamed: _Blamed) -> dict[int, str]:
        """What a blame learned besides its answer, kept (on the main thread, not the blame's)."""
        result, renumbered, unreadable = blamed
        for line, words in renumbered.items():
            self.renumbered[(path, line)] = words
        if unreadable is not None:
            self.unreadable.setdefault(path, unreadable)
        return result

    def _prepare_graph(self) -> None:
        """Before the first blame: a commit-graph for git to walk by (`gitrun.commit_graph`),
        in a clone git can keep one for (a shallow clone's history ends where it was cut)."""
        if not self._graph_asked:
            self._graph_asked = True
            if self.head_sha is not None and not self.shallow and self._cache.enabled:
                self._graph = commit_graph(self.root, self._cache, self.head_sha, self.toplevel)

    def _kept_key(self, kind: str, *parts: str) -> str | None:
        """What something read from git is kept in the cache under: the commit checked out and a
        shallow clone's boundary (fetching more history moves it, HEAD staying put), where the
        root is in the repository, and `parts`. None without a commit, or without a cache."""
        if self.head_sha is None or not self._cache.enabled:
            return None
        return Cache.key(kind, self.head_sha, str(self.toplevel), self.prefix, *sorted(self.boundary), "\0", *parts)

    def _blame_key(self, path: str, lines: set[int] | frozenset[int]) -> str | None:
        """What a blame is kept in the cache under: the commit checked out, and the doc's bytes
        and the lines asked about. None when it cannot be kept (no commit, the doc unreadable)."""
        name = self.git_name(path)
        if name is None or self._kept_key("blame") is None:
            return None
        found = self._cache.file_sha(str(self.root / name))
        if found is None:
            return None
        return self._kept_key("blame", name, found[0], ",".join(map(str, sorted(lines))))

    def _stored_blames(self, keys: dict[str, str]) -> dict[str, dict[int, str]]:
        """The blames the cache holds for these keys (key -> doc), the renumbered lines each
        found taken in again."""
        found: dict[str, dict[int, str]] = {}
        for key, value in self._cache.get_many("blame", sorted(keys)).items():
            if not (isinstance(value, list) and len(value) == 2 and all(isinstance(part, list) for part in value)):
                continue
            pairs = [pair for part in value for pair in part]
            if not all(isinstance(pair, list) and len(pair) == 2 and isinstance(pair[0], int)
                       and isinstance(pair[1], str) for pair in pairs):
                continue
            found[key] = {line: sha for line, sha in value[0]}
            for line, words in value[1]:
                self.renumbered[(keys[key], line)] = words
        return found

    def _store_blame(self, key: str | None, path: str, result: dict[int, str]) -> dict[int, str]:
        """Keep a blame that git answered in full (not one cut short by missing objects)."""
        if key is not None and path not in self.unreadable:
            renumbered = [[line, words] for (doc, line), words in sorted(self.renumbered.items()) if doc == path]
            self._cache.put("blame", key, [[[line, sha] for line, sha in sorted(result.items())], renumbered])
        return result

    def sole_author(self, path: str) -> str | None:
        """The commit that wrote every line of a doc, when it is plain without blame: one commit
        added the doc, and its bytes at HEAD and in the working tree are still the ones it
        added (most docs are written once), maybe under another name: a doc moved whole (into
        an archive folder, say) is blamed, as git follows renames, on the commit that added
        it, when that added it under the name it was moved from and nothing else wrote to that
        name. None otherwise."""
        if path in self._sole:
            return self._sole[path]
        self._sole[path] = None
        last = self.last_commit.get(path)
        history = self._walk()
        if last is None or last not in self._position or any(path in names for _s, *names in history[0][1]):
            return None  # not committed, or changed in the working tree
        blob = self._object("HEAD", path)[0]
        name, commit = path, last
        for _hop in range(100):
            if commit in self._merges or commit in self.boundary or blob is None:
                return None  # a merge's diff, or a shallow clone's cut, shows lines other commits wrote
            status, *names = next((entry for entry in history[self._position[commit]][1] if entry[-1] == name),
                                  ("", ""))
            if status not in ("A", "R") or self._object(commit, name)[0] != blob:
                return None  # written to, not only added or moved
            if status == "A":
                self._sole[path] = commit
                return commit
            # Moved here whole: the lines are the old name's, which one commit must have
            # added, before the move, and no other written to (a merge would be one of those).
            name = names[0]
            writers = self._touching_index().get(name, [])
            if len(writers) != 1 or writers[0][0] <= self._position[commit]:
                return None
            commit = writers[0][1]
        return None

    def blame_ahead(self, wanted: dict[str, set[int]], workers: int) -> None:
        """Start blaming these docs, each in its own git process on one of `workers` threads,
        and return: `blame` waits for the one it is asked for, while the caller checks other
        docs. The cache is read here and written by `blame`, never from the threads."""
        todo = [(path, frozenset(lines)) for path, lines in wanted.items()
                if lines and (path, frozenset(lines)) not in self._blamed and (path, frozenset(lines)) not in self._running
                and not self.sole_author(self.git_name(path) or path)]
        keys = {todo_key: self._blame_key(*todo_key) for todo_key in todo}
        stored = self._stored_blames({key: todo_key[0] for todo_key, key in keys.items() if key})
        for todo_key, key in keys.items():
            if key in stored:
                self._blamed[todo_key] = stored[key]
        todo = [todo_key for todo_key in todo if todo_key not in self._blamed]
        if not todo or workers < 2:
            return  # one job: each blame is run when asked for
        self._prepare_graph()
        if self._pool is None:
            from concurrent.futures import ThreadPoolExecutor

            self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="doclint-blame")
        for todo_key in todo:
            self._running[todo_key] = self._pool.submit(self._blame, *todo_key)

    def _blame(self, path: str, lines: set[int] | frozenset[int]) -> _Blamed:
        """The commit that wrote each line, the lines only renumbered since (as they were
        written), and why git could not say, if it could not. Runs on a blame thread too: what
        it learns goes back in the answer for the main thread to keep; the only shared state it
        writes is the memos of old versions and their edits, one dict item at a time."""
        if not lines:
            return {}, {}, None
        name = self.git_name(path)
        if name is None:
            return {}, {}, None
        args = ["blame", "--porcelain"]
        for line in sorted(lines):
            args += ["-L", f"{line},{line}"]
        try:
            # the working-tree file, relative to the root we run in
            out = _git(self.root, *args, "--", name, alternate=self._graph)
        except GitUnavailable as exc:
            # a partial or damaged clone: to be said, not taken for "no history"
            return {}, {}, str(exc) if _MISSING_OBJECT.search(str(exc)) else None
        result: dict[int, str] = {}
        renumbered: dict[int, str] = {}
        for final, (sha, orig, text, previous) in _porcelain(out).items():
            words_sha, words = self._words_written(sha, orig, text, previous)
            if words_sha != sha:
                renumbered[final] = words
            sha = words_sha
            if sha != "0" * 40:  # not committed yet: the doc is being edited, so it is current
                result[final] = sha
        if self.shallow:  # a boundary commit of a shallow clone is not where the line was written
            result = {line: sha for line, sha in result.items() if sha not in self.boundary}
        return result, renumbered, None

    def _words_written(self, sha: str, orig: int, text: str,
                       previous: tuple[str, str, str] | None) -> tuple[str, str]:
        """The commit that wrote this line's words, and the line as it wrote it: a commit (or an
        uncommitted edit) that only renumbered the line, as `doclint fix` does, does not count,
        so the drift it was fixed for stays reported until a person edits the line."""
        for _step in range(8):
            if previous is None:
                break
            before = self._renumbered_from(sha, previous, orig, text)
            if before is None:
                break
            try:
                older = _porcelain(_git(self.toplevel, "blame", "--porcelain", "-L", f"{before},{before}",
                                        previous[0], "--", previous[1], alternate=self._graph))
            except GitUnavailable:
                break
            if not older:
                break
            sha, orig, text, next_previous = next(iter(older.values()))
            previous = next_previous
        return sha, text

    def _renumbered_from(self, sha: str, previous: tuple[str, str, str], orig: int, text: str) -> int | None:
        """The line of the previous version this line was made from by changing only numbers, if it was."""
        if not _DIGITS.search(text):
            return None
        pair = (f"{previous[0]}:{previous[1]}", f"{sha}:{previous[2]}")
        old = self._version_lines(pair[0])
        if pair not in self._edits:  # one doc's lines share their versions
            self._edits[pair] = line_opcodes(old, self._version_lines(pair[1]))
        for tag, i1, i2, j1, j2 in self._edits[pair]:
            if j1 <= orig - 1 < j2:
                if tag != "replace" or i2 - i1 != j2 - j1:
                    return None
                before = old[i1 + orig - 1 - j1]
                return i1 + orig - j1 if _DIGITS.sub("0", before) == _DIGITS.sub("0", text) != text else None
        return None

    def _version_lines(self, where: str) -> list[str]:
        """Lines of `commit:path` (toplevel-relative), or of the working-tree file for an uncommitted version."""
        if where not in self._versions:
            sha, _, path = where.partition(":")
            try:
                data = (self.toplevel / path).read_bytes() if sha == "0" * 40 else \
                    _git(self.toplevel, "cat-file", "blob", where)
            except (OSError, GitUnavailable):
                data = b""
            self._versions[where] = text_lines(data.decode("utf-8", "replace"))
        return self._versions[where]

    def resolve_at(self, commit: str, written: str, doc_dir: str) -> str | None:
        """Resolve a written path against the tree at `commit` as `resolve_at` does against a
        listing: as written, or from the doc's folder, else the one path that ends with it.
        Read as tree objects through the cat-file process, each folder once for the run (commits
        share most of theirs), and every folder only when the path must be looked for by its end."""
        where = f"{commit}:{self.prefix.rstrip('/')}" if self.prefix else f"{commit}^{{tree}}"
        if "\n" in where:  # cannot be asked for on cat-file's line protocol
            return self._resolve_listed(commit, written, doc_dir)
        if where not in self._tops:
            found = self._raw(where)
            if found is not None and found[1] == b"tree":
                self._tops[where] = found[0]
                self._folders.setdefault(found[0], _tree_entries(found[2], len(found[0]) // 2))
            elif self.prefix and self._raw(f"{commit}^{{tree}}") is not None:
                self._tops[where] = None  # the root's folder did not exist yet (or was a file)
            else:
                raise GitUnavailable(f"git has no tree {where} (a partial or damaged clone)")
        top = self._tops[where]
        if top is None:
            return None
        try:
            return self._resolve_below(top, written, doc_dir)
        except RecursionError:  # folders nested deeper than Python recurses: git lists them
            return self._resolve_listed(commit, written, doc_dir)

    def _resolve_listed(self, commit: str, written: str, doc_dir: str) -> str | None:
        """`resolve_at` over what `git ls-tree -r` lists at `commit` under the root."""
        out = _git(self.root, "ls-tree", "-r", "--name-only", "-z", commit, "--", ".")
        return resolve_at(tuple(n for n in out.decode("utf-8", "replace").split("\0") if n), written, doc_dir)

    def _resolve_below(self, top: str, written: str, doc_dir: str) -> str | None:
        self._read_below(top)  # a level at a time: a few round trips to git, not one per folder
        path = written.rstrip("/")
        candidates = [posixpath.normpath(posixpath.join(doc_dir, path))]
        if not written.startswith(("./", "../")):
            candidates.insert(0, path)
        for candidate in candidates:
            if self._holds(top, candidate.split("/")):
                return candidate
        matches = self._ending_in(top, path)
        return matches[0] if len(matches) == 1 else None

    def _holds(self, folder: str, parts: list[str]) -> int:
        """How many files (anything but a folder) under this folder have the path of these
        parts (more than one only where names git holds apart decode alike). Every folder under
        it has been read (`_read_below`)."""
        entries = self._folders[folder].get(parts[0], ())
        if len(parts) == 1:
            return sum(not is_folder for is_folder, _id in entries)
        return sum(self._holds(child, parts[1:]) for is_folder, child in entries if is_folder)

    def _read_below(self, top: str) -> None:
        """Every folder under this one read, a level at a time, each level's asked for together;
        a folder read whole for an earlier commit (most are shared) is not walked again."""
        level, walked = [top], []
        while level:
            walked.extend(level)
            children = [child for folder in level for entries in self._folders[folder].values()
                        for is_folder, child in entries if is_folder and child not in self._whole]
            below = sorted({child for child in children if child not in self._folders})
            for child, read in zip(below, self._raw_many(below), strict=True):
                if read is None or read[1] != b"tree":
                    raise GitUnavailable(f"git has no tree {child} (a partial or damaged clone)")
                self._folders[child] = _tree_entries(read[2], len(child) // 2)
            level = children
        self._whole.update(walked)

    def _names_below(self, folder: str) -> frozenset[str]:
        """The name of every entry under a folder that has been read whole, at any depth."""
        if folder not in self._below:
            names = set(self._folders[folder])
            for entries in self._folders[folder].values():
                for is_folder, child in entries:
                    if is_folder:
                        names |= self._names_below(child)
            self._below[folder] = frozenset(names)
        return self._below[folder]

    def _ending_in(self, folder: str, path: str) -> list[str]:
        """Paths below this folder, not in it, that end with `/path`: two at most, which is
        enough to tell one from several. Only folders holding the path's last name somewhere
        are searched, and each folder once for a path, however many commits share it."""
        key = (folder, path)
        if key not in self._endings:
            found: list[str] = []
            parts = path.split("/")
            for name, entries in self._folders[folder].items():
                for is_folder, child in entries:
                    if is_folder and len(found) < 2 and parts[-1] in self._names_below(child):
                        found.extend([f"{name}/{path}"] * self._holds(child, parts))
                        found.extend(f"{name}/{match}" for match in self._ending_in(child, path))
            self._endings[key] = found[:2]
        return self._endings[key]

    def renames_since(self, commit: str) -> Renames:
        """Old path -> path in the working tree, for files renamed (in one step or several) since `commit`."""
        return self._changes_since(commit)[0]

    def changed_since(self, commit: str) -> ChangedPaths:
        """Every path added, modified, deleted or renamed (old and new name) since `commit`."""
        return self._changes_since(commit)[1]

    def _walk(self) -> list[tuple[str, list[tuple[str, ...]]]]:
        """The whole history, newest first: (commit, [(status, path[, new path]), ...]) from one
        `git log -M --name-status`, then the uncommitted changes as a pseudo-commit at the front."""
        if self._history is None:
            history: list[tuple[str, list[tuple[str, ...]]]] = [("", self._entries(
                _git(self.root, "diff", "-M", "--name-status", "-z", "HEAD", "--", ".", *_SKIP)))]
            for sha, merge, entries in self._committed():
                if merge:
                    self._merges.add(sha)
                history.append((sha, entries))
            self._history = history
            self._position = {sha: i for i, (sha, _e) in enumerate(history) if sha}
        return self._history

    def _committed(self) -> list[tuple[str, bool, list[tuple[str, ...]]]]:
        """The committed history, newest first: (commit, is a merge, its changes). The same for
        as long as the same commit is checked out (and a shallow clone keeps its boundary), so it
        is kept in the cache under that commit."""
        key = self._kept_key("git-log")
        stored = _decoded_walk(self._cache.get("git-log", key)) if key else None
        if stored is not None:
            return stored
        # Topological order, so that reversed it is parents first; a merge's changes are its
        # diff against the first parent, so a rename made while merging is seen.
        out = _git(self.root, "log", "-M", "--name-status", "-z", "--topo-order", "--diff-merges=first-parent",
                   "--format=%x01%H %P", self.head_sha or "HEAD", "--", ".", *_SKIP)
        walk = []
        for chunk in out.split(b"\x01")[1:]:
            header, _, rest = chunk.partition(b"\0")
            sha, *parents = header.decode().split()
            walk.append((sha, len(parents) > 1, self._entries(rest.lstrip(b"\n"))))
        if key:
            self._cache.put("git-log", key, [[sha, merge, [list(e) for e in entries]] for sha, merge, entries in walk])
        return walk

    def _entries(self, raw: bytes) -> list[tuple[str, ...]]:
        fields = raw.decode("utf-8", "replace").split("\0")
        entries: list[tuple[str, ...]] = []
        index = 0
        while index < len(fields) and fields[index].strip():
            status = fields[index].strip()
            width = 2 if status[:1] in ("R", "C") else 1
            paths = tuple(self._relative(f) for f in fields[index + 1 : index + 1 + width])
            if len(paths) == width:
                entries.append((status[:1], *paths))
            index += 1 + width
        return entries

    def _changes_since(self, commit: str) -> tuple[Renames, ChangedPaths]:
        if commit not in self._changes:
            self._changes[commit] = self._changes_since_walk(commit)
        return self._changes[commit]

    def _changes_since_walk(self, commit: str) -> tuple[Renames, ChangedPaths]:
        self._walk()  # the positions below are the walk's
        if commit not in self._position and not self._is_commit(commit):
            raise GitUnavailable(f"commit {commit[:8]} is not in the history of HEAD")
        # What HEAD has that `commit` has not: ancestry, not dates, decides (on merged branches
        # a rename can be older than the doc's commit and still come after it).
        newer = self._newer_positions(commit)  # the walk's positions of those commits, as bits
        touched_by = self._touched_index()
        renames = Renames(newer, self._renaming)
        return renames, ChangedPaths(newer, touched_by, self._touched_named)

    def _touched_index(self) -> dict[str, int]:
        """Path -> the positions in the walk of the commits that touched it (either name of a
        rename), as bits; and the renames and deletions by position. Built once: what changed
        since a commit is then a mask of positions, not a set of paths per commit."""
        if self._touched_by is None:
            touched: dict[str, int] = {}
            for position, (_sha, entries) in enumerate(self._walk()):
                bit = 1 << position
                for _status, *paths in entries:
                    for path in paths:
                        touched[path] = touched.get(path, 0) | bit
                gone = [entry for entry in entries if entry[0] in ("R", "D")]
                if gone:
                    by_old: dict[str, list[int]] = {}
                    for number, entry in enumerate(gone):
                        by_old.setdefault(entry[1], []).append(number)
                    self._renaming.append((position, gone, by_old))
            for path in touched:
                self._touched_named.setdefault(posixpath.basename(path), []).append(path)
            self._touched_by = touched
        return self._touched_by

    def _newer_positions(self, commit: str) -> int:
        """The walk's positions of what HEAD has that `commit` has not (the uncommitted changes
        among them), as bits: those of HEAD's history but `commit` and its ancestors."""
        if self._parents is None:
            self._parents = self._ancestry()
        if commit not in self._parents:
            since = set(_git(self.root, "rev-list", "HEAD", f"^{commit}", alternate=self._graph).decode().split())
            return sum(1 << position for position, (sha, _e) in enumerate(self._walk()) if not sha or sha in since)
        if self._listed is None:  # the uncommitted changes, and the walk's commits of HEAD's history
            self._listed = _bits([0, *(p for sha, p in self._position.items() if sha in self._parents)],
                                 len(self._walk()))
        return self._listed & ~self._ancestor_positions(commit)

    def _ancestor_positions(self, commit: str) -> int:
        """The walk's positions of `commit` and all its ancestors, as bits. Kept for the commits
        asked about only (a doc's commits: a few hundred at most, however long the history), and
        each walk down the ancestry stops at a commit asked about before."""
        known, parents = self._ancestors, self._parents or {}
        if commit in known:
            return known[commit]
        positions: list[int] = []
        below = 0
        seen, todo = {commit}, [commit]
        while todo:
            sha = todo.pop()
            if sha != commit and sha in known:
                below |= known[sha]  # it and all its ancestors
                continue
            if sha in self._position:
                positions.append(self._position[sha])
            for parent in parents.get(sha, ()):
                if parent not in seen:
                    seen.add(parent)
                    todo.append(parent)
        known[commit] = mask = below | _bits(positions, len(self._walk()))
        return mask

    def _ancestry(self) -> dict[str, list[str]]:
        """Every commit of HEAD's history -> its parents; kept in the cache (`_kept_key`)."""
        key = self._kept_key("git-parents")
        stored = self._cache.get("git-parents", key) if key else None
        if isinstance(stored, dict) and all(isinstance(p, list) and all(isinstance(x, str) for x in p)
                                            for p in stored.values()):
            return stored
        parents: dict[str, list[str]] = {}
        listed = _git(self.root, "rev-list", "--parents", self.head_sha or "HEAD", alternate=self._graph)
        for line in listed.decode().splitlines():
            sha, *older = line.split()
            parents[sha] = older
        if key:
            self._cache.put("git-parents", key, parents)
        return parents

    def _is_commit(self, name: str) -> bool:
        try:
            _git(self.root, "rev-parse", "--verify", "--quiet", f"{name}^{{commit}}")
        except GitUnavailable:
            return False
        return True

    def last_commits(self, paths: list[str]) -> dict[str, str]:
        """The last commit that touched each path (tracked, committed paths only)."""
        wanted = set(paths)
        found: dict[str, str] = {}
        for sha, entries in self._walk()[1:]:
            for _status, *names in entries:
                for name in names[-1:]:
                    if name in wanted and name not in found:
                        found[name] = sha
            if len(found) == len(wanted):
                break
        return found

    def _relative(self, toplevel_path: str) -> str:
        return toplevel_path[len(self.prefix):] if self.prefix and toplevel_path.startswith(self.prefix) else toplevel_path

    def prefetch(self, wanted: set[tuple[str, str]]) -> None:
        """Read (commit, path) blobs through one `git cat-file --batch` kept open for the run."""
        keys = sorted(w for w in wanted if w not in self._blobs and "\n" not in w[1])
        for key, found in zip(keys, self._raw_many([f"{commit}:{self.prefix}{path}" for commit, path in keys]),
                              strict=True):
            self._blobs[key] = found[2].decode("utf-8", "replace") if found is not None and found[1] == b"blob" else None
        for key in wanted:
            self._blobs.setdefault(key, None)  # a path git cannot be asked about

    def _object(self, commit: str, path: str) -> tuple[str | None, str | None]:
        """(object id, text if it is a blob) of `commit:path`; (None, None) when there is none."""
        if "\n" in path:
            return None, None  # cannot be asked for on cat-file's line protocol
        found = self._raw(f"{commit}:{self.prefix}{path}")
        if found is None:
            return None, None
        return found[0], found[2].decode("utf-8", "replace") if found[1] == b"blob" else None

    def _raw(self, name: str) -> tuple[str, bytes, bytes] | None:
        """(object id, type, bytes) of an object named as `git cat-file` names them; None when missing."""
        return self._raw_many([name])[0]

    def _raw_many(self, names: list[str]) -> list[tuple[str, bytes, bytes] | None]:
        """`_raw` for several objects, asked for in batches whose requests fit in the pipe to git
        however long git takes to answer, so neither side can block the other."""
        if self._catter is None:
            try:
                self._catter = subprocess.Popen(["git", "cat-file", "--batch"], cwd=self.root, stdin=subprocess.PIPE,
                                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                                env=environment())
            except OSError as exc:
                raise GitUnavailable(str(exc)) from None
        process = self._catter
        assert process.stdin is not None and process.stdout is not None  # both opened as pipes above
        answers: list[tuple[str, bytes, bytes] | None] = []
        batches: list[list[bytes]] = []
        size = _BATCH_BYTES
        for name in names:
            request = name.encode("utf-8", "surrogateescape") + b"\n"
            if size + len(request) > _BATCH_BYTES:
                batches.append([])
                size = 0
            batches[-1].append(request)
            size += len(request)
        try:
            for batch in batches:
                process.stdin.write(b"".join(batch))
                process.stdin.flush()
                for _request in batch:
                    answers.append(_answer(process.stdout))
        except (OSError, ValueError):
            # Out of step with git (answers of this batch may still be in the pipe): never read
            # again. The next request starts another process.
            process.kill()
            self._stop_catter()
            raise GitUnavailable("git cat-file stopped answering") from None
        return answers

    def line_mapping(self, commit: str, old_path: str, new_path: str) -> LineMapping | None:
        """The lines of `old_path` at `commit`, those of `new_path` in the working tree, and
        how the one became the other (None: unchanged); None when either cannot be read.
        Worked out once per run for each pair of texts (many doc lines point into the same file
        at the same commit, and a file is often the same at many commits), and kept in the
        cache by the two texts' hashes for later runs."""
        key = (commit, old_path, new_path)
        if key not in self._mappings:
            old = self.file_at(commit, old_path)
            working = self._working(new_path)
            if old is None or working is None:
                self._mappings[key] = None
            else:
                if (old, new_path) not in self._diffs:
                    old_lines = _interned_lines(old)
                    self._diffs[(old, new_path)] = (old_lines, working.lines,
                                                    None if old == working.text else self._opcodes(old, old_lines, working))
                self._mappings[key] = self._diffs[(old, new_path)]
        return self._mappings[key]

    def _opcodes(self, old: str, old_lines: list[str], working: _Working) -> Opcodes:
        """`line_opcodes`, from the cache when these two texts were diffed before (a pure
        function of them; what the cache holds is checked to be a diff of these lengths)."""
        key = Cache.key("line-map", _text_sha(old), working.sha()) if self._cache.enabled else None
        stored = _decoded_opcodes(self._cache.get("line-map", key), len(old_lines), len(working.lines)) if key else None
        if stored is not None:
            return stored
        opcodes = line_opcodes(old_lines, working.lines, working.positions())
        if key:
            self._cache.put("line-map", key, [list(block) for block in opcodes])
        return opcodes

    def _working(self, path: str) -> _Working | None:
        """A working-tree file's text and lines, read once per run (many commits' versions are
        mapped onto it)."""
        if path not in self._working_files:
            data = read_bytes(str(self.root / path))
            text = None if data is None else data.decode("utf-8", errors="replace")
            self._working_files[path] = None if text is None else _Working(text, _interned_lines(text))
        return self._working_files[path]

    def close(self) -> None:
        """Stop the cat-file process and the blame threads, if they were started."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool, self._running = None, {}
        self._stop_catter()

    def _stop_catter(self) -> None:
        if self._catter is not None:
            assert self._catter.stdin is not None and self._catter.stdout is not None  # both opened as pipes
            try:
                self._catter.stdin.close()
                self._catter.wait(timeout=5)
            except (OSError, subprocess.TimeoutExpired):
                self._catter.kill()
            self._catter.stdout.close()
            self._catter = None

    def file_at(self, commit: str, path: str) -> str | None:
        self.prefetch({(commit, path)})
        return self._blobs.get((commit, path))


def _answer(stream: IO[bytes]) -> tuple[str, bytes, bytes] | None:
    """One answer of `git cat-file --batch`: (id, type, content), or None for "<name> missing"
    (a name may hold spaces, so the header is read from its end). ValueError when it is neither."""
    header = stream.readline()
    if not header.endswith(b"\n"):
        raise ValueError("cut short")
    header = header[:-1]
    if header.endswith((b" missing", b" ambiguous")):
        return None
    parts = header.split(b" ")
    if len(parts) != 3 or not parts[2].isdigit():
        raise ValueError(header)
    content = stream.read(int(parts[2]) + 1)
    if len(content) != int(parts[2]) + 1 or not content.endswith(b"\n"):
        raise ValueError("cut short")
    return parts[0].decode(), parts[1], content[:-1]


def _bits(positions: list[int], width: int) -> int:
    """These positions as the bits of one number, in one pass (not one big-number OR each)."""
    flags = bytearray(width // 8 + 1)
    for position in positions:
        flags[position >> 3] |= 1 << (position & 7)
    return int.from_bytes(flags, "little")


def _text_sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


# What each kind of block spans: (old lines, new lines) -> whether the block can be one.
_SHAPES: dict[str, Callable[[int, int], bool]] = {
    "equal": lambda old, new: old == new > 0, "replace": lambda old, new: old > 0 and new > 0,
    "delete": lambda old, new: old > 0 and new == 0, "insert": lambda old, new: old == 0 and new > 0}


def _decoded_opcodes(value: object, old: int, new: int) -> Opcodes | None:
    """Opcodes read back from the cache, or None unless they are a whole diff of `old` lines
    into `new` lines: blocks of their kind's shape that follow on from one another and end at
    both lengths."""
    if not isinstance(value, list):
        return None
    opcodes: Opcodes = []
    at_old = at_new = 0
    for block in value:
        if not (isinstance(block, list) and len(block) == 5 and block[0] in _SHAPES
                and all(type(n) is int for n in block[1:])):
            return None
        tag, i1, i2, j1, j2 = block[0], block[1], block[2], block[3], block[4]
        if (i1, j1) != (at_old, at_new) or not _SHAPES[tag](i2 - i1, j2 - j1):
            return None
        opcodes.append((cast(Tag, tag), i1, i2, j1, j2))
        at_old, at_new = i2, j2
    return opcodes if (at_old, at_new) == (old, new) else None


def _tree_entries(data: bytes, width: int) -> _Entries:
    """The entries of a tree object whose ids are `width` bytes: name -> [(is a folder, id)],
    a list because names git holds apart may decode alike. GitUnavailable if it is not one."""
    entries: _Entries = {}
    at = 0
    try:
        while at < len(data):
            space = data.index(b" ", at)
            nul = data.index(b"\0", space)
            if nul + 1 + width > len(data):
                raise ValueError("cut short")
            is_folder = int(data[at:space], 8) & 0o170000 == 0o040000  # git may write 40000 or 040000
            entries.setdefault(data[space + 1 : nul].decode("utf-8", "replace"), []).append(
                (is_folder, data[nul + 1 : nul + 1 + width].hex()))
            at = nul + 1 + width
    except ValueError:
        raise GitUnavailable("git gave a tree it cannot read (a damaged clone)") from None
    return entries


def _shallow_commits(root: Path, shallow_file: str) -> frozenset[str]:
    """The commits listed in the shallow file git named (relative to root); none when there is none."""
    try:
        return frozenset((root / shallow_file.strip()).read_text().split()) if shallow_file.strip() else frozenset()
    except OSError:
        return frozenset()  # not a shallow clone


def _decoded_walk(value: object) -> list[tuple[str, bool, list[tuple[str, ...]]]] | None:
    """The walk a cache entry holds; None for anything not shaped as `_committed` writes it."""
    if not isinstance(value, list):
        return None
    walk = []
    for commit in value:
        if not (isinstance(commit, list) and len(commit) == 3 and isinstance(commit[0], str)
                and isinstance(commit[1], bool) and isinstance(commit[2], list)):
            return None
        entries = []
        for entry in commit[2]:
            if not (isinstance(entry, list) and len(entry) in (2, 3) and all(isinstance(f, str) for f in entry)):
                return None
            entries.append(tuple(entry))
        walk.append((commit[0], commit[1], entries))
    return walk


def _interned_lines(text: str) -> list[str]:
    """`text_lines`, each line interned: the versions of one file mapped in a run share most
    of their lines, and hold each once."""
    return [sys.intern(line) for line in text_lines(text)]


def resolve_at(tree: tuple[str, ...], written: str, doc_dir: str) -> str | None:
    """Resolve a written path against an old tree the way the live resolver does."""
    path = written.rstrip("/")
    names = set(tree)
    candidates = [posixpath.normpath(posixpath.join(doc_dir, path))]
    if not written.startswith(("./", "../")):
        candidates.insert(0, path)
    for candidate in candidates:
        if candidate in names:
            return candidate
    tail = "/" + path
    matches = [n for n in tree if n.endswith(tail)]
    return matches[0] if len(matches) == 1 else None


def rewrite_written(written: str, old_full: str, new_full: str) -> str:
    """Express the new path in the form the author used: full, suffix or bare file name."""
    trailing = "/" if written.endswith("/") else ""
    bare = written.rstrip("/")
    if bare == old_full:
        return new_full + trailing
    depth = bare.count("/") + 1
    if old_full.endswith("/" + bare):
        return "/".join(new_full.split("/")[-depth:]) + trailing
    return new_full + trailing
