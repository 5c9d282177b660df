"""The cache: `.doclint_cache/` under the root, safe to delete, ignored by git.

One SQLite file (WAL mode, so concurrent runs share it) holds:
- `stats`: path -> (size, mtime_ns, sha256), so unchanged files are not even read;
- `entries`: (kind, key) -> JSON, for per-file scans (key: content hash) and whole results
  (key: a hash of every input). Keys include the doclint version, and the stored kind names
  the build that wrote the row (`kind@build`): a build unused for `OTHER_BUILDS_KEPT_DAYS`
  has its rows dropped (no other build can read them), as do rows from before builds were named;
- `meta`: the check row of the cache's key, and when each build last opened the cache.
A cache that cannot be opened, read or written is skipped for the run; a row that does
not verify or decode is recomputed, never trusted. The folder and its files must be real
files inside the root: a symbolic link there stops the run (`confine.inside_root`).

Why rows carry a MAC (the threat model). The cache sits inside a repository, and a
repository is untrusted input: a committed `.doclint_cache/`, one restored from a shared
CI cache or copied from another checkout, one on a shared group-writable checkout, or one
edited by hand could otherwise make `check` replay findings it never computed
(`findings = []`, exit 0) or consult files it names. So every row (entries and stats) is
stored with a MAC (keyed BLAKE2b) under this cache's own key, and a row whose MAC does not
verify is a miss. The key is derived from a random secret in `.doclint_cache/key` (mode
0600, owned by the user running doclint, replaced when it is not: a checkout of a
committed key is 0644) and from that file's identity, its device, inode and change time,
which the file system assigns when the key file is made here and no one can set. Whoever
copies the folder wholesale copies the secret but not the identity: the copy verifies
nothing, and its `meta` check row tells the first run to drop every row at once. Edits in
place by anyone who cannot read the key (another user), or that do not recompute the MAC,
fail row by row. Out of scope: whoever can read this user's files can also run doclint, or
anything else, as the user; a MAC cannot tell their rows from doclint's.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
import os
import re
import sqlite3
import stat
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from doclint import __version__
from doclint.confine import inside_root
from doclint.errors import ConfigError

CACHE_DIR = ".doclint_cache"
SCHEMA = 2
KEY_FILE = "key"
SECRET_BYTES = 32
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_TABLES = {
    "entries": "(kind TEXT, key TEXT, value TEXT, mac TEXT, PRIMARY KEY (kind, key))",
    "stats": "(path TEXT PRIMARY KEY, size INTEGER, mtime INTEGER, sha TEXT, mac TEXT)",
    "meta": "(name TEXT PRIMARY KEY, value TEXT)",
}
# A file modified this recently may change again within the same mtime tick: hash it anyway.
RACY_SECONDS = 2.0
# The rows of another build (an upgrade's predecessor, a pre-commit hook pinned to another
# release beside the editor's) are kept while it opened the cache this recently.
OTHER_BUILDS_KEPT_DAYS = 7
# How stale this build's own last-opened time may get before a run writes it again.
_SEEN_REFRESH_SECONDS = 3600.0
_BUILD_ID = re.compile(r"[0-9a-f]{16}")


def read_bytes(absolute: str, follow: bool = True) -> bytes | None:
    """A regular file's bytes, else None; with `follow=False` a symbolic link is refused, not
    read through. The open does not wait (a FIFO would block it) and what was opened is
    checked, so a pipe or a device put in a file's place is never read."""
    flags = os.O_RDONLY | os.O_NONBLOCK | (0 if follow else getattr(os, "O_NOFOLLOW", 0))
    try:
        descriptor = os.open(absolute, flags)
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            return None
        with open(descriptor, "rb", closefd=False) as handle:
            return handle.read()
    except OSError:
        return None
    finally:
        os.close(descriptor)


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


@functools.lru_cache(maxsize=1)
def build_id() -> str:
    """This build (version and code) in short: the suffix of every kind it stores."""
    return hashlib.sha256(f"{__version__}\0{code_digest()}".encode()).hexdigest()[:16]


def stored_kind(kind: str) -> str:
    """The kind as rows are stored under it: with the build that writes them."""
    return f"{kind}@{build_id()}"


# The folders doclint keeps in the cache folder: one for git's commit-graph (`gitrun`).
OWN_FOLDERS = ("git", "git/info")


def _own_files() -> list[str]:
    """Every file doclint keeps in the cache folder, SQLite's companions included."""
    database = f"cache-v{SCHEMA}.sqlite"
    return [".gitignore", KEY_FILE, database, *(database + suffix for suffix in ("-wal", "-shm", "-journal")),
            "git/info/commit-graph"]


def _mac_key(folder: Path) -> bytes | None:
    """This cache's MAC key (see the module docstring), making the key file if need be;
    None when no trustworthy one can be had (a read-only folder, a race lost twice)."""
    path = folder / KEY_FILE
    for _attempt in range(2):
        try:
            descriptor = os.open(path, os.O_RDONLY | _NOFOLLOW)
        except FileNotFoundError:
            descriptor = None
        except OSError:
            return None
        if descriptor is not None:
            with open(descriptor, "rb") as handle:
                info = os.fstat(handle.fileno())
                secret = handle.read(SECRET_BYTES + 1)
            if stat.S_ISREG(info.st_mode) and not info.st_mode & 0o077 and len(secret) == SECRET_BYTES \
                    and info.st_uid == getattr(os, "geteuid", lambda: info.st_uid)():
                identity = f"{info.st_dev}:{info.st_ino}:{info.st_ctime_ns}".encode()
                return hmac.digest(secret, identity, "sha256")
            try:
                os.unlink(path)  # copied in (wrong mode or owner) or cut short: a new one
            except OSError:
                return None
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o600)
        except FileExistsError:
            continue  # another run made it first: use theirs
        except OSError:
            return None
        with open(descriptor, "wb") as handle:
            handle.write(os.urandom(SECRET_BYTES))
    return None


class Cache:
    def __init__(self, root: Path, enabled: bool = True):
        self.enabled = enabled
        self.db: sqlite3.Connection | None = None
        self._key = b""
        self._pending: list[tuple[str, str, str]] = []
        self._pending_stats: list[tuple[str, int, int, str]] = []
        self._stats: dict[str, tuple[object, ...]] | None = None
        self._seen: dict[str, tuple[str, None]] = {}  # absolute path -> (sha, None), this run
        self._later: dict[tuple[str, str], Callable[[], object]] = {}  # entries made when flushed
        self._bounded: dict[str, int] = {}  # kind -> how many of its newest rows a flush keeps (`keep_newest`)
        self._root = root
        if enabled:
            self._open(root)

    def _open(self, root: Path) -> None:
        folder = inside_root(root, CACHE_DIR, CACHE_DIR, kind="dir", links=False)
        for name in OWN_FOLDERS:
            inside_root(root, f"{CACHE_DIR}/{name}", f"{CACHE_DIR}/{name}", kind="dir", links=False)
        for name in _own_files():
            inside_root(root, f"{CACHE_DIR}/{name}", f"{CACHE_DIR}/{name}", links=False)
        try:
            folder.mkdir(exist_ok=True)
            ignore = folder / ".gitignore"
            if not ignore.exists():
                ignore.write_text("# Created by doclint; safe to delete.\n*\n", encoding="utf-8")
            key = _mac_key(folder)
            if key is None:
                return
            self._key = key
            path = folder / f"cache-v{SCHEMA}.sqlite"
            for attempt in (1, 2):
                try:
                    self.db = sqlite3.connect(path, timeout=10, isolation_level=None)
                    self.db.execute("PRAGMA journal_mode=WAL")
                    self.db.execute("PRAGMA synchronous=NORMAL")
                    for table, columns in _TABLES.items():
                        self.db.execute(f"CREATE TABLE IF NOT EXISTS {table} {columns}")
                        found = self.db.execute("SELECT sql FROM sqlite_master WHERE name = ?", (table,)).fetchone()
                        if found != (f"CREATE TABLE {table} {columns}",):
                            raise sqlite3.DatabaseError(f"table {table} is not as doclint made it")
                    self._forget_other_keys()
                    self._forget_other_builds()
                    return
                except sqlite3.DatabaseError as exc:
                    self.close()
                    if (getattr(exc, "sqlite_errorcode", 0) & 0xFF) in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
                        return  # another run holds it longer than the timeout: not damage, do without
                    if attempt == 1:  # corrupt, or not ours: start afresh
                        for suffix in ("", "-wal", "-shm", "-journal"):
                            try:
                                os.unlink(f"{path}{suffix}")
                            except FileNotFoundError:
                                pass
        except OSError:
            pass
        self.db = None

    def _forget_other_keys(self) -> None:
        """Rows written under another key (a copied cache, a new key file) never verify: drop them."""
        check = self._mac("check")
        assert self.db is not None  # called once the database is open
        row = self.db.execute("SELECT value FROM meta WHERE name = 'check'").fetchone()
        if row is not None and isinstance(row[0], str) and hmac.compare_digest(row[0], check):
            return
        self.db.execute("BEGIN IMMEDIATE")
        self.db.execute("DELETE FROM entries")
        self.db.execute("DELETE FROM stats")
        self.db.execute("INSERT OR REPLACE INTO meta VALUES ('check', ?)", (check,))
        self.db.execute("COMMIT")

    def _forget_other_builds(self) -> None:
        """Note that this build opened the cache (at most once an hour), and drop the rows of
        every build that has not for `OTHER_BUILDS_KEPT_DAYS`: every key names the build that
        made it, so no other build ever reads them. Rows from before builds were named count
        as one build (""), first seen now. The `meta` row is not trusted: a name that is not a
        build id is ignored, and all it can do is keep rows longer or drop them sooner."""
        assert self.db is not None  # called once the database is open
        row = self.db.execute("SELECT value FROM meta WHERE name = 'builds'").fetchone()
        try:
            stored = json.loads(row[0]) if row is not None and isinstance(row[0], str) else None
        except (TypeError, ValueError, RecursionError):
            stored = None
        now, own = time.time(), build_id()  # (a time ahead of now, skewed or written by hand, counts as now)
        if isinstance(stored, dict):
            seen = {name: min(float(when), now) for name, when in stored.items()
                    if (name == "" or _BUILD_ID.fullmatch(name)) and isinstance(when, (int, float))
                    and not isinstance(when, bool) and when == when}
        else:  # a cache from before builds were named, or a row that does not read: its rows are one build
            seen = {"": now}
        cutoff = now - OTHER_BUILDS_KEPT_DAYS * 86400
        gone = [name for name, when in seen.items() if name != own and when < cutoff]
        fresh = own in seen and now - _SEEN_REFRESH_SECONDS < seen[own] <= now
        if not gone and fresh and isinstance(stored, dict) and len(stored) == len(seen):
            return
        kept = {name: when for name, when in seen.items() if name not in gone}
        kept[own] = now if not fresh else seen[own]

        def forget(db: sqlite3.Connection) -> None:
            for name in gone:
                if name:
                    db.execute("DELETE FROM entries WHERE substr(kind, -17) = ?", (f"@{name}",))
                else:
                    db.execute("DELETE FROM entries WHERE instr(kind, '@') = 0")
            db.execute("INSERT OR REPLACE INTO meta VALUES ('builds', ?)", (json.dumps(kept, sort_keys=True),))

        if self._write(forget) and gone:
            self._shrink()

    def _write(self, statements: Callable[[sqlite3.Connection], None]) -> bool:
        """Run these writes as one transaction; False, with nothing written, when SQLite refuses."""
        assert self.db is not None
        try:
            self.db.execute("BEGIN IMMEDIATE")
            statements(self.db)
            self.db.execute("COMMIT")
            return True
        except sqlite3.Error:
            try:
                self.db.execute("ROLLBACK")
            except sqlite3.Error:
                pass
            return False

    def _shrink(self) -> None:
        """Give the space dropped rows held back to the file system, when it is most of the
        file (SQLite keeps freed pages for reuse otherwise); skipped while another run reads."""
        assert self.db is not None
        try:
            pages = self.db.execute("PRAGMA page_count").fetchone()[0]
            free = self.db.execute("PRAGMA freelist_count").fetchone()[0]
            if free * 2 > pages:
                self.db.execute("VACUUM")
        except sqlite3.Error:
            pass

    def _mac(self, *fields: object) -> str:
        # Keyed BLAKE2b is a MAC in its own right (RFC 7693), and a third the cost of HMAC-SHA256
        # on the short rows a warm run checks by the thousand (one per file's stat).
        text = "\0".join(map(str, fields)).encode("utf-8", "surrogatepass")
        return hashlib.blake2b(text, key=self._key, digest_size=32).hexdigest()

    def _verified(self, mac: object, *fields: object) -> bool:
        return isinstance(mac, str) and hmac.compare_digest(mac, self._mac(*fields))

    def own_folder(self, name: str) -> Path | None:
        """One of the cache's `OWN_FOLDERS`, for what is kept as files rather than rows (git's
        commit-graph), made if need be; None without a working cache, or when it cannot be
        made. (A link or a file in its place stops the run when the cache is opened; one that
        appears during the run is left alone, not followed.)"""
        if self.db is None or name not in OWN_FOLDERS:
            return None
        written, folder = CACHE_DIR, None
        try:
            for part in name.split("/"):
                written = f"{written}/{part}"
                folder = inside_root(self._root, written, written, kind="dir", links=False)
                folder.mkdir(mode=0o700, exist_ok=True)
        except (ConfigError, OSError):
            return None
        return folder

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
                    and time.time() - info.st_mtime > RACY_SECONDS \
                    and isinstance(known[2], str) and self._verified(known[3], absolute, *known[:3]):
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

    def forget(self, absolutes: Iterable[str]) -> None:
        """Drop these files' recorded stats: the next run reads and hashes them."""
        if self.db is None:
            return
        try:
            self.db.executemany("DELETE FROM stats WHERE path = ?", [(a,) for a in absolutes])
        except sqlite3.Error:
            pass

    def _load_stats(self) -> dict[str, tuple[object, ...]]:
        """path -> (size, mtime, sha, mac), verified when used."""
        if self.db is None:
            return {}
        try:
            rows = self.db.execute("SELECT path, size, mtime, sha, mac FROM stats").fetchall()
        except sqlite3.Error:
            return {}
        return {path: rest for path, *rest in rows}

    # ------------------------------------------------------------------ entries

    @staticmethod
    def key(*parts: str) -> str:
        return hashlib.sha256("\0".join((__version__, code_digest(), *parts)).encode()).hexdigest()

    def get_many(self, kind: str, keys: list[str]) -> dict[str, object]:
        found: dict[str, object] = {}
        if self.db is None or not keys:
            return found
        stored = stored_kind(kind)
        try:
            for start in range(0, len(keys), 500):
                chunk = keys[start : start + 500]
                marks = ",".join("?" * len(chunk))
                rows = self.db.execute(f"SELECT key, value, mac FROM entries WHERE kind = ? AND key IN ({marks})",
                                       [stored, *chunk]).fetchall()
                for key, value, mac in rows:
                    if not isinstance(value, str) or not self._verified(mac, stored, key, value):
                        continue  # not written by this cache: recomputed
                    try:
                        found[key] = json.loads(value)
                    except (TypeError, ValueError, RecursionError):
                        continue
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
                    f"SELECT key FROM entries WHERE kind = ? AND key IN ({marks})", [stored_kind(kind), *chunk]))
        except sqlite3.Error:
            return set()
        return found

    def get(self, kind: str, key: str) -> object:
        return self.get_many(kind, [key]).get(key)

    def put(self, kind: str, key: str, value: object) -> None:
        if self.db is not None:
            self._pending.append((stored_kind(kind), key, json.dumps(value, separators=(",", ":"))))

    def put_text(self, kind: str, key: str, text: str) -> None:
        """`put` for a value already serialised as JSON (by a worker process)."""
        if self.db is not None:
            self._pending.append((stored_kind(kind), key, text))

    def put_later(self, kind: str, key: str, make: Callable[[], object]) -> None:
        """`put` what `make` returns each time the cache is flushed (nothing when it returns
        None): for a value that grows as the run goes on."""
        if self.db is not None:
            self._later[(kind, key)] = make

    def keep_newest(self, kind: str, count: int) -> None:
        """When this run writes rows of `kind`, keep only its `count` most recently written:
        for what is stored once per state of the inputs (a whole result, say), which would
        otherwise grow with every edit. What is dropped is recomputed if that state returns."""
        self._bounded[kind] = count

    def flush(self) -> None:
        """Write what this run learned, in one transaction; a busy or read-only cache is skipped."""
        for (kind, key), make in self._later.items():
            value = make()
            if value is not None:
                self.put(kind, key, value)
        if self.db is None or not (self._pending or self._pending_stats):
            return
        written = {row[0] for row in self._pending}

        def store(db: sqlite3.Connection) -> None:
            db.executemany("INSERT OR REPLACE INTO entries VALUES (?, ?, ?, ?)",
                           ((*row, self._mac(*row)) for row in self._pending))
            db.executemany("INSERT OR REPLACE INTO stats VALUES (?, ?, ?, ?, ?)",
                           ((*row, self._mac(*row)) for row in self._pending_stats))
            for kind, count in self._bounded.items():
                stored = stored_kind(kind)
                if stored in written:  # a replaced row is a new one: rowids say which were written last
                    db.execute("DELETE FROM entries WHERE kind = ? AND rowid NOT IN "
                               "(SELECT rowid FROM entries WHERE kind = ? ORDER BY rowid DESC LIMIT ?)",
                               (stored, stored, count))

        self._write(store)
        self._pending.clear()
        self._pending_stats.clear()

    def close(self) -> None:
        if self.db is not None:
            try:
                self.db.close()
            except sqlite3.Error:
                pass
        self.db = None
