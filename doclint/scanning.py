"""Per-file work, cached by content hash and spread over processes on cold runs.

Each file is hashed (or its unchanged stat trusted), looked up in the cache, and only
the misses are parsed: in this process when there are few, in a process pool when there
are many and more than one job is allowed.
"""

from __future__ import annotations

import itertools
import json
import os
import signal
import stat
import sys
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
# Fewer misses are parsed in one forked process when at least this many cached entries are
# decoded meanwhile (`_parse_forked`); with fewer, the fork would cost more than it hides.
ALONGSIDE = 64


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
    copies: dict[tuple[int, str], list[str]] = {}  # files with the same content are parsed once

    def missed(number: int, request: Request, path: str, into: list[Miss]) -> None:
        key = keys[number][path]
        if (number, key) in copies:
            copies[number, key].append(path)
            return
        h = request.hashed[path]
        data = h.data if h.data is not None else read_bytes(os.path.join(request.root, path), h.follow)
        if data is not None:
            copies[number, key] = []
            into.append((number, request.kind, path, data, _variant(request.kind, path)))

    # What the cache holds is asked first, so that the misses are being parsed (in other
    # processes) while the entries are decoded here.
    held: list[set[str]] = []
    misses: list[Miss] = []
    for number, request in enumerate(requests):
        keys.append({path: scan_key(request.kind, path, h.sha) for path, h in request.hashed.items()})
        held.append(cache.known(request.kind, set(keys[number].values())))
        for path in request.hashed:
            if keys[number][path] not in held[number]:
                missed(number, request, path, misses)
    parsing = _parse(misses, jobs, budget, alongside=sum(map(len, held)))
    next(parsing)  # the workers start before anything else is done here
    late: list[Miss] = []  # entries that did not verify or decode after all: parsed here, after the rest
    for number, request in enumerate(requests):
        decoder = _DECODERS[request.kind]
        wanted = keys[number]
        cached = cache.get_many(request.kind, sorted(held[number]))
        for path in request.hashed:
            if wanted[path] not in held[number]:
                continue
            entry = cached.get(wanted[path])
            if entry is not None:
                try:
                    known.append((number, path, decoder(entry)))
                    continue
                except ValueError:
                    pass  # a bad entry is recomputed
            missed(number, request, path, late)
    if late:
        parsing = itertools.chain(parsing, _here(late, budget))
    outstanding = [0] * len(requests)
    for miss in misses + late:
        outstanding[miss[0]] += 1

    def complete() -> set[int]:
        return {number for number, count in enumerate(outstanding) if count == 0}

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


def _parse(misses: list[Miss], jobs: int, budget: float,
           alongside: int = 0) -> Iterator[list[Parsed] | None]:
    """Batches of parsed misses, in this process when there are few, else in a pool. The
    first item is None, once the pool has its work: `next` starts it. A few misses with
    `alongside` cached entries to decode meanwhile are parsed by one forked process."""
    if misses and jobs > 1 and len(misses) < PARALLEL_THRESHOLD and alongside >= ALONGSIDE:
        yield from _parse_forked(misses, budget)
        return
    jobs = min(jobs, len(misses))  # a worker without a file would only cost its start-up
    if jobs <= 1 or len(misses) < PARALLEL_THRESHOLD:
        yield from _here(misses, budget)
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
        yield from _here(misses, budget)  # no processes to be had here: do it ourselves
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


def _here(misses: list[Miss], budget: float) -> Iterator[list[Parsed] | None]:
    """`_parse` in this process: the None that starts it, then one batch of them all."""
    yield None
    yield _scan_batch(misses, True, budget)


def _parse_forked(misses: list[Miss], budget: float) -> Iterator[list[Parsed] | None]:
    """`_parse` for a few misses, in one forked process: after an edit, the parser's import
    and start-up (about 25 ms for Markdown, 20 for TypeScript) and the parse overlap the
    decoding of everything else from the cache. The child parses and writes the texts to a
    pipe, then leaves without any of this process's clean-up (the cache's connection is
    never used there). In this process instead when there are threads (a fork copies none
    of them), off Linux (where Python's own process pools do not fork either), when no
    process can be had, or when the child gives back nothing usable."""
    if not sys.platform.startswith("linux") or threading.active_count() > 1:
        yield from _here(misses, budget)
        return
    try:
        read_end, write_end = os.pipe()
        child = os.fork()
    except OSError:
        yield from _here(misses, budget)
        return
    if child == 0:
        code = 1
        try:
            os.close(read_end)
            parsed = _scan_batch(misses, False, budget)
            view = memoryview(json.dumps([[number, path, text] for number, path, text, _scan in parsed]).encode())
            while view:
                view = view[os.write(write_end, view):]
            code = 0
        finally:
            os._exit(code)
    os.close(write_end)
    chunks: list[bytes] = []
    try:
        yield None
        while chunk := os.read(read_end, 1 << 16):
            chunks.append(chunk)
    except BaseException:  # the run stopped early: the child is not waited for
        os.kill(child, signal.SIGKILL)
        raise
    finally:
        os.close(read_end)
        os.waitpid(child, 0)
    yield _returned(b"".join(chunks), misses) or _scan_batch(misses, True, budget)


def _returned(payload: bytes, misses: list[Miss]) -> list[Parsed] | None:
    """The child's texts as parsed batches, if it wrote one for each miss (None otherwise)."""
    try:
        returned = json.loads(payload)
        batch: list[Parsed] = [(number, path, text, None) for number, path, text in returned]
    except (ValueError, TypeError):
        return None
    sent = [(miss[0], miss[2]) for miss in misses]
    if [(number, path) for number, path, _t, _s in batch] != sent or \
            not all(text is None or isinstance(text, str) for _n, _p, text, _s in batch):
        return None
    return batch


def worker_count(requested: int | None) -> int:
    """Processes to parse in: as many as asked (`--jobs`), never more than the cores this
    process may run on (more would only compete for them); all of them by default."""
    try:
        cores = max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        cores = max(1, os.cpu_count() or 1)
    return cores if requested is None else min(requested, cores)
