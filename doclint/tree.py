"""What exists under a root: one walk, then set lookups. Never follows a link outside the root."""

from __future__ import annotations

import os
import posixpath
import re
from collections import defaultdict
from pathlib import Path

from doclint.config import ALWAYS_EXCLUDED_DIRS
from doclint.globs import GlobSet


class FileTree:
    def __init__(self, root: Path, exclude: GlobSet):
        self.root = root
        self.real_root = os.path.realpath(root)
        self.exclude = exclude
        self.files: set[str] = set()
        self.dirs: set[str] = {""}
        self.outside: set[str] = set()  # links whose target leaves the root: they exist, we never read them
        self.linked: set[str] = set()  # files reached through a symbolic link (to a file inside the root)
        self.dir_links: dict[str, str] = {}  # a link to a directory inside the root -> that directory
        self.by_basename: dict[str, list[str]] = defaultdict(list)
        self._walk("", str(root))
        for path in self.files:
            self.by_basename[path.rsplit("/", 1)[-1]].append(path)
        for paths in self.by_basename.values():
            paths.sort()

    def _walk(self, rel: str, absolute: str) -> None:
        try:
            entries = list(os.scandir(absolute))
        except OSError:
            return
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
            if is_dir:
                if entry.name in ALWAYS_EXCLUDED_DIRS or self.exclude.match(child):
                    continue
                self.dirs.add(child)
                self._walk(child, entry.path)
            elif not self.exclude.match(child):
                self.files.add(child)

    def contains(self, real: str) -> bool:
        return real == self.real_root or real.startswith(self.real_root + os.sep)

    def stays_inside(self, path: str) -> bool:
        """Does reading this walked file stay under the root? Only a link needs resolving:
        the walk reached every other file through real directories."""
        if path not in self.linked:
            return True
        return self.contains(os.path.realpath(os.path.join(self.root, path)))

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

    def is_opaque(self, path: str) -> bool:
        """Under an excluded or never-walked directory: neither present nor absent as far as we know."""
        parts = path.split("/")
        if any(part in ALWAYS_EXCLUDED_DIRS for part in parts):
            return True
        if path in self.outside or any("/".join(parts[:i]) in self.outside for i in range(1, len(parts))):
            return True
        return bool(self.exclude) and any(self.exclude.match("/".join(parts[:i])) for i in range(1, len(parts) + 1))

    def suffix_matches(self, suffix: str) -> list[str]:
        """Files whose path ends with `/suffix` (a partial path such as `ir/types.ts`)."""
        base = suffix.rsplit("/", 1)[-1]
        tail = "/" + suffix
        return [p for p in self.by_basename.get(base, ()) if p.endswith(tail) or p == suffix]

    def dir_suffix_matches(self, suffix: str) -> list[str]:
        tail = "/" + suffix.rstrip("/")
        return [d for d in self.dirs if d.endswith(tail)]

    def read_text(self, path: str) -> str | None:
        """Content of a file in the tree, or None if it is absent, outside the root or unreadable."""
        if path not in self.files:
            return None
        absolute = os.path.join(self.root, path)
        if not self.contains(os.path.realpath(absolute)):
            return None
        try:
            data = Path(absolute).read_bytes()
        except OSError:
            return None
        return decode(data)


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def text_lines(text: str) -> list[str]:
    """Lines as Markdown and editors count them: only CR, LF and CRLF end a line."""
    lines = _LINE_BREAK.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def decode(data: bytes) -> str:
    """Text of a file as doclint sees it: BOM dropped, invalid UTF-8 replaced, not fatal."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    return data.decode("utf-8", errors="replace")


class LockedTree:
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

    is_file = FileTree.is_file
    is_dir = FileTree.is_dir
    exists = FileTree.exists
    through_links = FileTree.through_links
    suffix_matches = FileTree.suffix_matches
    dir_suffix_matches = FileTree.dir_suffix_matches

    def is_opaque(self, path: str) -> bool:
        return False

    def read_text(self, path: str) -> str | None:
        return None
