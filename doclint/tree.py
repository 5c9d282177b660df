"""What exists under a root: one walk, then set lookups. Never follows a link outside the root."""

from __future__ import annotations

import functools
import os
import posixpath
import re
from collections import defaultdict
from pathlib import Path
from typing import NamedTuple


from doclint.cache import read_bytes
from doclint.config import ALWAYS_EXCLUDED_DIRS
from doclint.confine import contains
from doclint.globs import GlobSet


class _Ignore(NamedTuple):
    """One .gitignore file: its folder relative to the root, how a root-relative path below
    that folder reads from where the file is (`lead`, for files above the root), and its
    patterns as runs of the same kind (ignore or re-include), last run first: the last
    pattern that matches decides, as in git. Each run is two regular expressions, one for
    patterns about a name at any depth (matched against the last component only: the walk
    has already judged the folders above) and one for patterns anchored to the folder."""

    base: str
    lead: str
    runs: tuple[tuple[bool, "re.Pattern[str] | None", "re.Pattern[str] | None"], ...]

    def verdict(self, path: str, is_dir: bool) -> bool | None:
        slash = "/" if is_dir else ""
        name = path.rsplit("/", 1)[-1] + slash
        relative = self.lead + (path[len(self.base) + 1 :] if self.base else path) + slash
        for include, by_name, anchored in self.runs:
            if by_name is not None and by_name.match(name) or anchored is not None and anchored.match(relative):
                return include
        return None


_ANY_DEPTH = "^(?:.+/)?"


class Tree:
    """What a tree answers from its listing alone: a walked `FileTree`, or the lock's record
    of one (`LockedTree`), which has no files to read."""

    root: Path
    files: set[str]
    dirs: set[str]
    outside: set[str]  # links whose target leaves the root: they exist, we never read them
    dir_links: dict[str, str]  # a link to a directory inside the root -> that directory
    by_basename: dict[str, list[str]]

    def is_file(self, path: str) -> bool:
        return path in self.files

    def through_links(self, path: str) -> str:
        """The walked path that a path through linked directories names (`docs/api/x.ts` with
        `docs/api -> ../src` is `src/x.ts`); the path itself when no link is on it."""
        for _hop in range(40):  # links to links, but never round in circles
            parts = path.split("/")
            heads = ("/".join(parts[:i]) for i in range(len(parts) - 1, 0, -1))
            head = next((h for h in heads if h in self.dir_links), None)
            if head is None:
                return path
            path = posixpath.join(self.dir_links[head], path[len(head) + 1:])
        return path

    def is_dir(self, path: str) -> bool:
        return path.rstrip("/") in self.dirs

    def exists(self, path: str) -> bool:
        path = path.rstrip("/")
        return path in self.files or path in self.dirs or path in self.outside

    def suffix_matches(self, suffix: str) -> list[str]:
        """Files whose path ends with `/suffix` (a partial path such as `ir/types.ts`)."""
        base = suffix.rsplit("/", 1)[-1]
        tail = "/" + suffix
        return [p for p in self.by_basename.get(base, ()) if p.endswith(tail) or p == suffix]

    def dir_suffix_matches(self, suffix: str) -> list[str]:
        tail = "/" + suffix.rstrip("/")
        return [d for d in self.dirs if d.endswith(tail)]

    def is_opaque(self, path: str) -> bool:
        """Neither present nor absent as far as we know."""
        raise NotImplementedError

    def read_text(self, path: str) -> str | None:
        """Content of a file in the tree, or None."""
        raise NotImplementedError


class FileTree(Tree):
    def __init__(self, root: Path, exclude: GlobSet, gitignore: bool = True, outer_ignores: bool = True):
        self.root = root
        self.real_root = os.path.realpath(root)
        self.exclude = exclude
        self._settings = (gitignore, outer_ignores)
        self.files: set[str] = set()
        self.dirs: set[str] = {""}
        self.outside: set[str] = set()  # links whose target leaves the root: they exist, we never read them
        self.linked: set[str] = set()  # files reached through a symbolic link (to a file inside the root)
        self.dir_links: dict[str, str] = {}  # a link to a directory inside the root -> that directory
        self.ignored: set[str] = set()  # files and folders git ignores: build and run products, never read
        self.by_basename: dict[str, list[str]] = defaultdict(list)
        self._ignores: dict[str, _Ignore] = {}  # folder -> its .gitignore
        # .gitignore files above the root, and .git/info/exclude
        self._outer = _outer_ignores(self.real_root) if gitignore and outer_ignores else []
        self._walk("", str(root), self._outer, gitignore)
        for path in self.files:
            self.by_basename[path.rsplit("/", 1)[-1]].append(path)
        for paths in self.by_basename.values():
            paths.sort()

    def _walk(self, rel: str, absolute: str, ignores: list[_Ignore], gitignore: bool) -> None:
        try:
            entries = list(os.scandir(absolute))
        except OSError:
            return
        ignore_file = os.path.join(absolute, ".gitignore")
        if gitignore and any(e.name == ".gitignore" for e in entries) \
                and self.contains(os.path.realpath(ignore_file)):  # one linked out of the root is not read
            own = _read_ignore(ignore_file, rel, "")
            if own is not None:
                self._ignores[rel] = own
                ignores = [*ignores, own]
        for entry in entries:
            child = f"{rel}/{entry.name}" if rel else entry.name
            try:
                is_link = entry.is_symlink()
                is_dir = entry.is_dir(follow_symlinks=not is_link)
            except OSError:
                continue
            if is_link:
                target = os.path.realpath(entry.path)
                if not self.contains(target):
                    self.outside.add(child)
                    continue
                is_dir = os.path.isdir(target)
                if is_dir:  # a link to a directory inside the root: it exists, but is not walked twice
                    self.dirs.add(child)
                    real = Path(os.path.relpath(target, self.real_root)).as_posix()
                    self.dir_links[child] = "" if real == "." else real
                    continue
                self.linked.add(child)
            if ignores and _ignored(ignores, child, is_dir):
                self.ignored.add(child)
                continue
            if is_dir:
                if entry.name in ALWAYS_EXCLUDED_DIRS or self.exclude.match(child):
                    continue
                self.dirs.add(child)
                self._walk(child, entry.path, ignores, gitignore)
            elif not self.exclude.match(child):
                self.files.add(child)

    def contains(self, real: str) -> bool:
        return contains(self.real_root, real)

    def without_exclude(self) -> FileTree:
        """The same root walked again without `exclude` (git's ignores still apply)."""
        return FileTree(self.root, GlobSet(()), *self._settings)

    def stays_inside(self, path: str) -> bool:
        """Does reading this walked file stay under the root? Only a link needs resolving:
        the walk reached every other file through real directories."""
        if path not in self.linked:
            return True
        return self.contains(os.path.realpath(os.path.join(self.root, path)))

    def is_ignored(self, path: str) -> bool:
        """Would git ignore this path (a build or run product), whether or not it exists now?
        As git does: a path is ignored when it, or any folder above it, is."""
        parts = path.rstrip("/").split("/")
        chain = [*self._outer, *([self._ignores[""]] if "" in self._ignores else [])]
        for i in range(1, len(parts) + 1):
            prefix = "/".join(parts[:i])
            if prefix in self.ignored:
                return True
            if prefix in self.dirs and prefix not in self._ignores:
                continue  # walked, and not ignored
            if chain and _ignored(chain, prefix, i < len(parts) or path.endswith("/")):
                return True
            if prefix in self._ignores:
                chain.append(self._ignores[prefix])
        return False

    def is_opaque(self, path: str) -> bool:
        """Under an excluded or never-walked directory, or ignored by git: neither present nor
        absent as far as we know. A trailing `/` says the path is a folder (`dist/` ignores one)."""
        if self.is_ignored(path):
            return True
        path = path.rstrip("/")
        parts = path.split("/")
        if any(part in ALWAYS_EXCLUDED_DIRS for part in parts):
            return True
        if path in self.outside or any("/".join(parts[:i]) in self.outside for i in range(1, len(parts))):
            return True
        return bool(self.exclude) and any(self.exclude.match("/".join(parts[:i])) for i in range(1, len(parts) + 1))

    def read_text(self, path: str) -> str | None:
        """Content of a file in the tree, or None if it is absent, outside the root or unreadable."""
        if path not in self.files:
            return None
        absolute = os.path.join(self.root, path)
        if not self.contains(os.path.realpath(absolute)):
            return None
        data = read_bytes(absolute)
        return None if data is None else decode(data)


def _ignored(ignores: list[_Ignore], path: str, is_dir: bool) -> bool:
    """Git's answer: the last pattern that matches decides, inner files after outer ones."""
    state = False
    for ignore in ignores:
        verdict = ignore.verdict(path, is_dir)
        if verdict is not None:
            state = verdict
    return state


def _read_ignore(path: str, base: str, lead: str) -> _Ignore | None:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            lines = handle.read().splitlines()
    except OSError:
        return None
    runs: list[tuple[bool, list[str], list[str]]] = []
    for line in lines:
        translated = _translate(line)
        if translated is None:
            continue
        include, source = translated
        if not runs or runs[-1][0] != include:
            runs.append((include, [], []))
        if source.startswith(_ANY_DEPTH) and "/" not in source[len(_ANY_DEPTH):].rstrip("/|$)"):
            runs[-1][1].append("^" + source[len(_ANY_DEPTH):])
        else:
            runs[-1][2].append(source)
    if not runs:
        return None
    return _Ignore(base, lead, tuple((include, _one(by_name), _one(anchored))
                                     for include, by_name, anchored in reversed(runs)))


@functools.lru_cache(maxsize=4096)
def _translate(line: str) -> tuple[bool, str] | None:
    """A .gitignore line as (ignores?, regular expression), by pathspec's reading of git's
    wildmatch rules; None for blank lines, comments and patterns git would not read."""
    from pathspec.patterns.gitignore.spec import GitIgnoreSpecPattern

    try:
        pattern = GitIgnoreSpecPattern(line)
    except (ValueError, TypeError):
        return None
    if pattern.include is None or pattern.regex is None:
        return None
    return pattern.include, pattern.regex.pattern.replace("(?P<ps_d>", "(?:")


def _one(sources: list[str]) -> "re.Pattern[str] | None":
    return re.compile("|".join(f"(?:{s})" for s in sources)) if sources else None


def _outer_ignores(real_root: str) -> list[_Ignore]:
    """The .gitignore files between the repository's top and the root, and the repository's
    own exclude file, as they apply to paths under the root."""
    found: list[_Ignore] = []
    current = real_root
    while True:
        git_dir = os.path.join(current, ".git")
        if os.path.exists(git_dir):
            lead = os.path.relpath(real_root, current)
            lead = "" if lead == "." else lead.replace(os.sep, "/") + "/"
            exclude = _read_ignore(os.path.join(git_dir, "info", "exclude"), "", lead) \
                if os.path.isdir(git_dir) else None
            return ([exclude] if exclude else []) + found
        parent = os.path.dirname(current)
        if parent == current:
            return []  # not in a repository: only the root's own .gitignore files count
        current = parent
        lead = os.path.relpath(real_root, current).replace(os.sep, "/") + "/"
        outer = _read_ignore(os.path.join(current, ".gitignore"), "", lead)
        if outer is not None:
            found.insert(0, outer)


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def text_lines(text: str) -> list[str]:
    """Lines as Markdown and editors count them: only CR, LF and CRLF end a line."""
    lines = text.split("\n") if "\r" not in text else _LINE_BREAK.split(text)  # the split is many times faster
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def decode(data: bytes) -> str:
    """Text of a file as doclint sees it: BOM dropped, invalid UTF-8 replaced, not fatal."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    return data.decode("utf-8", errors="replace")


class LockedTree(Tree):
    """The source tree as the lock recorded it: the files and directories docs referred to."""

    def __init__(self, root: Path, files: dict[str, int], dirs: set[str], anchors: dict[str, set[str]]):
        self.root = root
        self.lines = files  # path -> line count
        self.files = set(files)
        self.dirs = set(dirs) | {""}
        for path in self.files | set(dirs):
            parts = path.split("/")
            self.dirs.update("/".join(parts[:i]) for i in range(1, len(parts)))
        self.outside: set[str] = set()
        self.dir_links: dict[str, str] = {}  # the lock records paths as resolved, links already followed
        self.anchors = anchors
        self.by_basename: dict[str, list[str]] = defaultdict(list)
        for path in sorted(self.files):
            self.by_basename[path.rsplit("/", 1)[-1]].append(path)

    def is_opaque(self, path: str) -> bool:
        return False

    def read_text(self, path: str) -> str | None:
        return None
