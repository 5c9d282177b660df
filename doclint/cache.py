"""The cache: `.doclint_cache/` under the root, safe to delete, ignored by git.

One SQLite file (WAL mode, so concurrent runs share it) holds:
- `stats`: path -> (size, mtime_ns, sha256), so unchanged files are not even read;
- `entries`: (kind, key) -> JSON, for per-file scans (key: content hash) and whole results
  (key: a hash of every input). Keys include the doclint version.
A cache that cannot be opened, read or written is skipped for the run; an entry that does
not decode is recomputed, never trusted.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import sqlite3
import time
from pathlib import Path

from doclint import __version__

CACHE_DIR = ".doclint_cache"
SCHEMA = 1
# A file modified this recently may change again within the same mtime tick: hash it anyway.
RACY_SECONDS = 2.0


def read_bytes(absolute: str, follow: bool = True) -> bytes | None:
    """A file's bytes; with `follow=False` a symbolic link is refused, not read through."""
    try:
        descriptor = os.open(absolute, os.O_RDONLY | (0 if follow else getattr(os, "O_NOFOLLOW", 0)))
        with open(descriptor, "rb") as handle:
            return handle.read()
    except OSError:
        return None


@functools.lru_cache(maxsize=1)
def code_digest() -> str:
    """A hash of doclint's own code: entries made by any other build are never reused."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent
    from importlib import resources  # the bundled rule packs, wherever the install put them

    packs = [p for p in resources.files("doclint.rules").iterdir() if p.name.endswith(".toml")]
    for path in sorted(package.rglob("*.py")) + sorted(packs, key=lambda p: p.name):
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(path.name.encode())
    return digest.hexdigest()[:16]


class Cache:
    def __init__(self, root: Path, enabled: bool = True):
        self.enabled = enabled
        self.db: sqlite3.Connection | None = None
        self._pending: list[tuple[str, str, str]] = []
        self._pending_stats: list[tuple[str, int, int, str]] = []
        self._stats: dict[str, tuple[int, int, str]] | None = None
        self._seen: dict[str, tuple[str, None]] = {}  # absolute path -> (sha, None), this run
        if enabled:
            self._open(root / CACHE_DIR)

    def _open(self, folder: Path) -> None:
        try:
            folder.mkdir(exist_ok=True)
            ignore = folder / ".gitignore"
            if not ignore.exists():
                ignore.write_text("# Created by doclint; safe to delete.\n*\n", encoding="utf-8")
            path = folder / f"cache-v{SCHEMA}.sqlite"
            for attempt in (1, 2):
                try:
                    self.db = sqlite3.connect(path, timeout=10, isolation_level=None)
                    self.db.execute("PRAGMA journal_mode=WAL")
                    self.db.execute("PRAGMA synchronous=NORMAL")
                    self.db.execute("CREATE TABLE IF NOT EXISTS entries "
                                    "(kind TEXT, key TEXT, value TEXT, PRIMARY KEY (kind, key))")
                    self.db.execute("CREATE TABLE IF NOT EXISTS stats "
                                    "(path TEXT PRIMARY KEY, size INTEGER, mtime INTEGER, sha TEXT)")
                    return
                except sqlite3.DatabaseError:
                    self.close()
                    if attempt == 1:  # corrupt: start afresh
                        for suffix in ("", "-wal", "-shm"):
                            try:
                                os.unlink(f"{path}{suffix}")
                            except FileNotFoundError:
                                pass
        except OSError:
            pass
        self.db = None

    # ------------------------------------------------------------------ file hashes

    def file_sha(self, absolute: str, info: os.stat_result | None = None,
                 follow: bool = True) -> tuple[str, bytes | None] | None:
        """(sha256, bytes if they had to be read) of a file; stat unchanged means not read.
        `info` is the file's stat when the caller has it; `follow=False` refuses a symbolic link."""
        if info is None and absolute in self._seen:  # asked again this run (a file many docs consult)
            return self._seen[absolute]
        try:
            info = info or os.stat(absolute)
        except OSError:
            return None
        if self.db is not None:
            if self._stats is None:
                self._stats = self._load_stats()
            known = self._stats.get(absolute)
            if known and known[0] == info.st_size and known[1] == info.st_mtime_ns \
                    and time.time() - info.st_mtime > RACY_SECONDS:
                self._seen[absolute] = (known[2], None)
                return known[2], None
        data = read_bytes(absolute, follow)
        if data is None:
            return None
        sha = hashlib.sha256(data).hexdigest()
        if self.db is not None:
            self._pending_stats.append((absolute, info.st_size, info.st_mtime_ns, sha))
        self._seen[absolute] = (sha, None)
        return sha, data

    def forget(self, absolutes) -> None:
        """Drop these files' recorded stats: the next run reads and hashes them."""
        if self.db is None:
            return
        try:
            self.db.executemany("DELETE FROM stats WHERE path = ?", [(a,) for a in absolutes])
        except sqlite3.Error:
            pass

    def _load_stats(self) -> dict[str, tuple[int, int, str]]:
        try:
            rows = self.db.execute("SELECT path, size, mtime, sha FROM stats").fetchall()
        except sqlite3.Error:
            return {}
        return {path: (size, mtime, sha) for path, size, mtime, sha in rows}

    # ------------------------------------------------------------------ entries

    @staticmethod
    def key(*parts: str) -> str:
        return hashlib.sha256("\0".join((__version__, code_digest(), *parts)).encode()).hexdigest()

    def get_many(self, kind: str, keys: list[str]) -> dict[str, object]:
        found: dict[str, object] = {}
        if self.db is None or not keys:
            return found
        try:
            for start in range(0, len(keys), 500):
                chunk = keys[start : start + 500]
                marks = ",".join("?" * len(chunk))
                rows = self.db.execute(f"SELECT key, value FROM entries WHERE kind = ? AND key IN ({marks})",
                                       [kind, *chunk]).fetchall()
                for key, value in rows:
                    try:
                        found[key] = json.loads(value)
                    except (TypeError, ValueError):
                        continue  # a bad entry is recomputed
        except sqlite3.Error:
            return {}
        return found

    def known(self, kind: str, keys: set[str]) -> set[str]:
        """Which of these keys have an entry (nothing is decoded)."""
        if self.db is None or not keys:
            return set()
        found: set[str] = set()
        ordered = sorted(keys)
        try:
            for start in range(0, len(ordered), 500):
                chunk = ordered[start : start + 500]
                marks = ",".join("?" * len(chunk))
                found.update(k for (k,) in self.db.execute(
                    f"SELECT key FROM entries WHERE kind = ? AND key IN ({marks})", [kind, *chunk]))
        except sqlite3.Error:
            return set()
        return found

    def get(self, kind: str, key: str):
        return self.get_many(kind, [key]).get(key)

    def put(self, kind: str, key: str, value) -> None:
        if self.db is not None:
            self._pending.append((kind, key, json.dumps(value, separators=(",", ":"))))

    def put_text(self, kind: str, key: str, text: str) -> None:
        """`put` for a value already serialised as JSON (by a worker process)."""
        if self.db is not None:
            self._pending.append((kind, key, text))

    def flush(self) -> None:
        """Write what this run learned, in one transaction; a busy or read-only cache is skipped."""
        if self.db is None or not (self._pending or self._pending_stats):
            return
        try:
            self.db.execute("BEGIN IMMEDIATE")
            self.db.executemany("INSERT OR REPLACE INTO entries VALUES (?, ?, ?)", self._pending)
            self.db.executemany("INSERT OR REPLACE INTO stats VALUES (?, ?, ?, ?)", self._pending_stats)
            self.db.execute("COMMIT")
        except sqlite3.Error:
            try:
                self.db.execute("ROLLBACK")
            except sqlite3.Error:
                pass
        self._pending.clear()
        self._pending_stats.clear()

    def close(self) -> None:
        if self.db is not None:
            try:
                self.db.close()
            except sqlite3.Error:
                pass
        self.db = None
