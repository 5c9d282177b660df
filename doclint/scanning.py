"""Per-file work, cached by content hash and spread over processes on cold runs.

Each file is hashed (or its unchanged stat trusted), looked up in the cache, and only
the misses are parsed: in this process when there are few, in a process pool when there
are many and more than one job is allowed.
"""

from __future__ import annotations

import json
import os
import signal
import stat
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import FrameType
from typing import TYPE_CHECKING, Literal

from doclint import serial
from doclint.cache import Cache, read_bytes
from doclint.mdrefs import DocScan, _mdx_parser, _parser as _markdown_parser, scan_markdown
from doclint.tree import FileTree, decode
from doclint.tsindex import FileScan, _language, scan_typescript, uses_tsx

if TYPE_CHECKING:
    from doclint.progress import Progress

ScanKind = Literal["ts", "md"]  # a TypeScript source, a Markdown doc
# A file to parse: (request number, kind, path, bytes, the grammar variant: TSX or MDX)
Miss = tuple[int, ScanKind, str, bytes, bool]
# (request number, path, the scan as JSON, the scan): text and scan are None when it took too long
Parsed = tuple[int, str, str | None, FileScan | DocScan | None]

# Below this many misses a pool costs more than it saves (start-up, pickling).
PARALLEL_THRESHOLD = 48


@dataclass
class Hashed:
    sha: str
    data: bytes | None  # None when the stat was unchanged and the file was not read
    follow: bool = False  # a symbolic link (to a file inside the root) may be followed


def hash_files(root: str, paths: list[str], cache: Cache, max_size: int, notices: list[str],
               tree: FileTree) -> dict[str, Hashed]:
    """Content hashes of the files that can be read; too large or unreadable ones get a notice."""
    hashed: dict[str, Hashed] = {}
    for path in paths:
        absolute = os.path.join(root, path)
        follow = path in tree.linked  # any other file was reached through real directories
        try:
            info = os.stat(absolute, follow_symlinks=follow)
        except OSError as exc:
            notices.append(f"{path}: skipped, cannot read ({exc.strerror})")
            continue
        if stat.S_ISLNK(info.st_mode) or (follow and not tree.stays_inside(path)):
            continue  # became a link since the walk, or links out of the root: never read
        if not stat.S_ISREG(info.st_mode):  # a FIFO would block the read, a device never end it
            notices.append(f"{path}: skipped, not a regular file")
            continue
        if info.st_size > max_size:
            notices.append(f"{path}: skipped, larger than max-file-size ({max_size} bytes)")
            continue
        result = cache.file_sha(absolute, info, follow)
        if result is None:
            notices.append(f"{path}: skipped, cannot read")
            continue
        hashed[path] = Hashed(result[0], result[1], follow)
    return hashed


class ParseTimeout(BaseException):
    """Raised out of a parse that ran over its budget. A BaseException, so that no library's
    `except Exception` swallows it."""


@contextmanager
def time_budget(seconds: float) -> Iterator[None]:
    """Raise ParseTimeout in this (main) thread once `seconds` have passed; no limit elsewhere.

    The alarm repeats until the block ends: one that lands where Python ignores exceptions
    (a garbage-collector callback, say) is followed by another."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return
    state = {"active": True}

    def expire(_signum: int, _frame: FrameType | None) -> None:
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


_DECODERS = {"ts": serial.decode_source, "md": serial.decode_doc}


@dataclass
class Request:
    """Scans wanted for some hashed files of one kind ("ts" or "md") under one root."""

    kind: ScanKind
    root: str
    hashed: dict[str, Hashed]


def _parser_for(kind: ScanKind, variant: bool) -> None:
    if kind == "ts":
        _language(variant)
    elif variant:
        _mdx_parser()
    else:
        _markdown_parser()
        from doclint import mdaccel

        mdaccel.available()  # the faster reading's module and parser too


def _encode(scan: FileScan | DocScan) -> serial.Encoded:
    return serial.encode_source(scan) if isinstance(scan, FileScan) else serial.encode_doc(scan)


def _scan_one(kind: ScanKind, data: bytes, variant: bool) -> FileScan | DocScan:
    if kind == "ts":
        return scan_typescript(data, tsx=variant)
    return scan_markdown(decode(data), mdx=variant)


def _variant(kind: ScanKind, path: str) -> bool:
    """The grammar a file needs: TSX for a source, MDX for a doc."""
    return uses_tsx(path) if kind == "ts" else path.lower().endswith(".mdx")


def _scan_batch(items: list[Miss], keep: bool = True,
                budget: float = 0) -> list[Parsed]:
    """(request, path, JSON text, scan) for each item; workers send back only the text, which
    is what the cache stores. A file that takes longer than `budget` seconds comes back
    with no text and no scan."""
    for kind, tsx in {(kind, tsx) for _r, kind, _p, _d, tsx in items}:
        _parser_for(kind, tsx)  # loading a parser is not the first file's parse time
    out: list[Parsed] = []
    for request, kind, path, data, tsx in items:
        try:
            with time_budget(budget):
                scan = _scan_one(kind, data, tsx)
        except ParseTimeout:
            out.append((request, path, None, None))
            continue
        text = json.dumps(_encode(scan), separators=(",", ":"))
        out.append((request, path, text, scan if keep else None))
    return out


def scan_key(kind: ScanKind, path: str, sha: str) -> str:
    """The cache key of one file's scan: its kind, its content, and the grammar it needs."""
    return Cache.key(kind, sha, str(_variant(kind, path)))


def load_scans(kind: ScanKind, root: str, hashed: dict[str, Hashed], cache: Cache, jobs: int,
               budget: float = 0, notices: list[str] | None = None) -> dict[str, object]:
    """Scans of every hashed file: from the cache where the content is known, parsed otherwise."""
    return load_many([Request(kind, root, hashed)], cache, jobs, budget, notices)[0]


def load_many(requests: list[Request], cache: Cache, jobs: int, budget: float = 0,
              notices: list[str] | None = None, progress: Progress | None = None) -> list[dict[str, object]]:
    """`load_scans` for several requests at once: the misses of all of them share one pool,
    so a cold run parses its TypeScript and its Markdown side by side."""
    found: list[dict[str, object]] = [{} for _ in requests]
    for arrived, _complete in stream_many(requests, cache, jobs, budget, notices, progress):
        for number, path, scan in arrived:
            found[number][path] = scan
    return found


def stream_many(requests: list[Request], cache: Cache, jobs: int, budget: float = 0,
                notices: list[str] | None = None,
                progress: Progress | None = None) -> Iterator[tuple[list[tuple[int, str, object]], set[int]]]:
    """Yields (arrivals, complete): arrivals a list of (request number, path, scan), complete
    the numbers of the requests with nothing left to come. First everything the cache holds,
    then the parsed files batch by batch as the workers finish them; misses of earlier
    requests are parsed first. A file over the parse budget is left out, with a notice."""
    keys: list[dict[str, str]] = []
    known: list[tuple[int, str, object]] = []
    misses: list[Miss] = []
    copies: dict[tuple[int, str], list[str]] = {}  # files with the same content are parsed once
    for number, request in enumerate(requests):
        decoder = _DECODERS[request.kind]
        wanted = {path: scan_key(request.kind, path, h.sha) for path, h in request.hashed.items()}
        keys.append(wanted)
        cached = cache.get_many(request.kind, sorted(set(wanted.values())))
        for path, h in request.hashed.items():
            entry = cached.get(wanted[path])
            if entry is not None:
                try:
                    known.append((number, path, decoder(entry)))
                    continue
                except ValueError:
                    pass  # a bad entry is recomputed
            if (number, wanted[path]) in copies:
                copies[number, wanted[path]].append(path)
                continue
            data = h.data
            if data is None:
                data = read_bytes(os.path.join(request.root, path), h.follow)
                if data is None:
                    continue
            copies[number, wanted[path]] = []
            misses.append((number, request.kind, path, data, _variant(request.kind, path)))
    outstanding = [0] * len(requests)
    for miss in misses:
        outstanding[miss[0]] += 1

    def complete() -> set[int]:
        return {number for number, count in enumerate(outstanding) if count == 0}

    parsing = _parse(misses, jobs, budget)
    next(parsing)  # the workers start before anything else is done here
    yield known, complete()
    parsed = 0
    for batch in parsing:
        if batch is None:
            continue  # only the first item is None, and `next` took it
        parsed += len(batch)
        if progress is not None:
            progress.parsed(parsed, len(misses))
        arrived = []
        for number, path, text, scan in batch:
            outstanding[number] -= 1
            kind = requests[number].kind
            same = [path, *copies[number, keys[number][path]]]
            if text is None:
                if notices is not None:
                    notices.extend(f"{p}: skipped, parsing took longer than {budget:g} s (max-parse-seconds)"
                                   for p in same)
                continue
            cache.put_text(kind, keys[number][path], text)
            for each in same:  # each path its own objects: nothing is shared between docs
                arrived.append((number, each, scan if scan is not None and each == path
                                else _DECODERS[kind](json.loads(text))))
        cache.flush()  # written while the workers go on, rather than all at the end
        yield arrived, complete()


def _parse(misses: list[Miss], jobs: int,
           budget: float) -> Iterator[list[Parsed] | None]:
    """Batches of parsed misses, in this process when there are few, else in a pool. The
    first item is None, once the pool has its work: `next` starts it."""
    jobs = min(jobs, len(misses))  # a worker without a file would only cost its start-up
    if jobs <= 1 or len(misses) < PARALLEL_THRESHOLD:
        yield None
        yield _scan_batch(misses, True, budget)
        return
    # Each request's misses in their own batches, earlier requests first (their results are
    # wanted first); within one, big files first, dealt round-robin so the workers finish together.
    batches: list[list[Miss]] = []
    for number in sorted({m[0] for m in misses}):
        ordered = sorted((m for m in misses if m[0] == number), key=lambda m: -len(m[3]))
        count = jobs * (4 if len(ordered) >= jobs * 32 else 1)
        batches.extend(b for b in (ordered[i::count] for i in range(count)) if b)
    try:
        from concurrent.futures import ProcessPoolExecutor, as_completed  # only cold runs need it

        pool = ProcessPoolExecutor(max_workers=jobs)
    except (OSError, RuntimeError):
        yield None
        yield _scan_batch(misses, True, budget)  # no processes to be had here: do it ourselves
        return
    with pool:
        try:
            futures = {pool.submit(_scan_batch, batch, False, budget): batch for batch in batches}
        except (OSError, RuntimeError):
            futures = {}
        try:
            yield None
            if not futures:
                yield _scan_batch(misses, True, budget)
                return
            for future in as_completed(futures):
                try:
                    results = future.result()
                except (OSError, RuntimeError):  # a worker died: its batch is done here instead
                    results = _scan_batch(futures[future], True, budget)
                yield results
        except GeneratorExit:  # the run stopped early: the batches no worker has started are dropped
            pool.shutdown(wait=True, cancel_futures=True)  # and the workers end (a second shutdown would not wait)
            raise


def worker_count(requested: int | None) -> int:
    """Processes to parse in: as many as asked (`--jobs`), never more than the cores this
    process may run on (more would only compete for them); all of them by default."""
    try:
        cores = max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        cores = max(1, os.cpu_count() or 1)
    return cores if requested is None else min(requested, cores)
