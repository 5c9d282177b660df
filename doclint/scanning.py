"""Per-file work, cached by content hash and spread over processes on cold runs.

Each file is hashed (or its unchanged stat trusted), looked up in the cache, and only
the misses are parsed: in this process when there are few, in a process pool when there
are many and more than one job is allowed.
"""

from __future__ import annotations

import os
import signal
import threading
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass

from doclint import serial
from doclint.cache import Cache
from doclint.mdrefs import scan_markdown
from doclint.tree import decode
from doclint.tsindex import scan_typescript

# Below this many misses a pool costs more than it saves (start-up, pickling).
PARALLEL_THRESHOLD = 48


@dataclass
class Hashed:
    sha: str
    data: bytes | None  # None when the stat was unchanged and the file was not read
    size: int


def hash_files(root: str, paths: list[str], cache: Cache, max_size: int, notices: list[str],
               tree) -> dict[str, Hashed]:
    """Content hashes of the files that can be read; too large or unreadable ones get a notice."""
    hashed: dict[str, Hashed] = {}
    for path in paths:
        absolute = os.path.join(root, path)
        try:
            size = os.path.getsize(absolute)
        except OSError as exc:
            notices.append(f"{path}: skipped, cannot read ({exc.strerror})")
            continue
        if size > max_size:
            notices.append(f"{path}: skipped, larger than max-file-size ({max_size} bytes)")
            continue
        if not tree.contains(os.path.realpath(absolute)):
            continue
        result = cache.file_sha(absolute)
        if result is None:
            notices.append(f"{path}: skipped, cannot read")
            continue
        hashed[path] = Hashed(result[0], result[1], size)
    return hashed


class ParseTimeout(BaseException):
    """Raised out of a parse that ran over its budget. A BaseException, so that no library's
    `except Exception` swallows it."""


@contextmanager
def time_budget(seconds: float):
    """Raise ParseTimeout in this (main) thread once `seconds` have passed; no limit elsewhere.

    The alarm repeats until the block ends: one that lands where Python ignores exceptions
    (a garbage-collector callback, say) is followed by another."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return
    state = {"active": True}

    def expire(_signum, _frame):
        if state["active"]:
            raise ParseTimeout()

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds, 0.05)
    try:
        yield
    finally:
        while True:  # an alarm landing during clean-up must not leave the timer armed
            try:
                state["active"] = False
                signal.setitimer(signal.ITIMER_REAL, 0)
                signal.signal(signal.SIGALRM, previous)
                break
            except ParseTimeout:
                continue


def _scan_one(kind: str, data: bytes, tsx: bool):
    if kind == "ts":
        scan = scan_typescript(data, tsx=tsx)
        return serial.encode_source(scan), scan
    scan = scan_markdown(decode(data))
    return serial.encode_doc(scan), scan


def _scan_batch(kind: str, items: list[tuple[str, bytes, bool]], keep: bool = True,
                budget: float = 0) -> list[tuple]:
    """(path, encoded, scan) for each item; workers send back only the encoded form.
    A file that takes longer than `budget` seconds comes back as (path, None, None)."""
    out = []
    for path, data, tsx in items:
        try:
            with time_budget(budget):
                encoded, scan = _scan_one(kind, data, tsx)
        except ParseTimeout:
            out.append((path, None, None))
            continue
        out.append((path, encoded, scan if keep else None))
    return out


def scan_key(kind: str, path: str, sha: str) -> str:
    """The cache key of one file's scan: its kind, its content, and the grammar it needs."""
    return Cache.key(kind, sha, str(path.endswith(".tsx")))


def load_scans(kind: str, root: str, hashed: dict[str, Hashed], cache: Cache, jobs: int,
               budget: float = 0, notices: list[str] | None = None) -> dict[str, object]:
    """Scans of every hashed file: from the cache where the content is known, parsed otherwise."""
    decoder = serial.decode_source if kind == "ts" else serial.decode_doc
    keys = {path: scan_key(kind, path, h.sha) for path, h in hashed.items()}
    cached = cache.get_many(kind, sorted(set(keys.values())))
    scans: dict[str, object] = {}
    misses: list[tuple[str, bytes, bool]] = []
    for path, h in hashed.items():
        entry = cached.get(keys[path])
        if entry is not None:
            try:
                scans[path] = decoder(entry)
                continue
            except ValueError:
                pass  # a bad entry is recomputed
        data = h.data
        if data is None:
            try:
                with open(os.path.join(root, path), "rb") as handle:
                    data = handle.read()
            except OSError:
                continue
        misses.append((path, data, path.endswith(".tsx")))
    for path, encoded, scan in _parse(kind, misses, jobs, budget):
        if encoded is None:
            if notices is not None:
                notices.append(f"{path}: skipped, parsing took longer than {budget:g} s (max-parse-seconds)")
            continue
        cache.put(kind, keys[path], encoded)
        scans[path] = scan if scan is not None else decoder(encoded)
    return scans


def _parse(kind: str, misses: list[tuple[str, bytes, bool]], jobs: int, budget: float):
    if jobs <= 1 or len(misses) < PARALLEL_THRESHOLD:
        return _scan_batch(kind, misses, True, budget)
    # Big files first, dealt round-robin, so the workers finish together.
    ordered = sorted(misses, key=lambda m: -len(m[1]))
    batches = [ordered[i::jobs * 4] for i in range(jobs * 4)]
    try:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            results = []
            for batch in pool.map(_scan_batch, [kind] * len(batches), batches, [False] * len(batches),
                                  [budget] * len(batches)):
                results.extend(batch)
            return results
    except (OSError, RuntimeError):
        return _scan_batch(kind, misses, True, budget)  # no processes to be had here: do it ourselves


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)
