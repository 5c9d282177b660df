"""The one way doclint writes a file: a temp file next to it, then a rename.

Every write (a fixed doc, the lock, the baseline, the config `init` makes) keeps the file's
mode and, as far as this process may set it, its owner; the temp file is synced, locked
while it exists and removed unless renamed, so a reader sees the old file or the new one,
never half of either, and a killed run leaves only a temp file a later fix removes.

A rename cannot compare-and-swap, so `replace_unchanged` comes as close as POSIX allows: it
holds the file open, checks its bytes and stat immediately before the rename, and reads the
old file once more after it. A write that landed in between is put back, never lost, and
said. Linux also tells whether another process has a file open for writing (it refuses a
read lease then): a file held open that way is not replaced, and a writer that opened it
just before the rename is waited for, so that its write, which goes to the old file, is seen.
"""

from __future__ import annotations

import os
import re
import signal
import stat
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

try:
    import fcntl
except ImportError:  # not POSIX: stale temp files are told apart by their age alone
    fcntl = None  # type: ignore[assignment]

_TEMP_SUFFIX = ".doclint"
# `.NAME.XXXXXXXX.doclint`: what tempfile.mkstemp makes for a fix of NAME (8 random characters)
_TEMP_NAME = re.compile(r"\.(?P<doc>.+)\.[a-z0-9_]{8}\.doclint")
# A temp file no live run holds and older than this was left by a run that was killed.
STALE_TEMP_SECONDS = 10.0
WRITER_WAIT_SECONDS = 1.0  # how long a fix waits for a writer that opened the doc as it was replaced


def write_text(destination: Path, text: str) -> None:
    """Write a whole file (the lock, the baseline): the old one's mode and owner, else a new
    file's as the umask gives them. Raises OSError as open() would."""
    try:
        info: os.stat_result | None = os.stat(destination)
    except FileNotFoundError:
        info = None
    with _temp_copy(destination, text.encode("utf-8"), info) as temp:
        os.replace(temp, destination)


def replace_unchanged(target: Path, expected: bytes, new_data: bytes) -> str | None:
    """Put new_data where target is, atomically, keeping its mode and owner, only if it
    still holds `expected`; None on success, else why not."""
    try:
        original = os.open(target, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError as exc:
        return f"cannot open ({exc.strerror})"
    try:
        info = os.fstat(original)
        if not info.st_mode & 0o222 or not os.access(target, os.W_OK):
            return "the file is read-only"  # even for root: the mode says hands off
        with _temp_copy(target, new_data, info) as temp:
            if _open_for_writing(original):  # a writer that holds it open would go on writing the old file
                return "it is open for writing in another program; run again"
            # The compare half of compare-and-swap: the bytes, then the stat, then at once the swap.
            if _read_all(original) != expected or not _same_file(original, target, info):
                return "it changed while doclint was fixing it; run again"
            os.replace(temp, target)
        settled = _writers_done(original)  # one that opened it just before the swap writes to the old file
        if settled and _read_all(original) == expected:
            return None
        return _put_back(target, original, new_data, info)
    except OSError as exc:
        return f"cannot write ({exc.strerror})"
    finally:
        os.close(original)


def _same_file(descriptor: int, target: Path, info: os.stat_result) -> bool:
    """Is the file at `target` still the one open at `descriptor`, unwritten since `info`?"""
    now, there = os.fstat(descriptor), os.stat(target, follow_symlinks=False)
    return (now.st_size, now.st_mtime_ns) == (info.st_size, info.st_mtime_ns) and \
        (there.st_dev, there.st_ino) == (info.st_dev, info.st_ino)


def _open_for_writing(descriptor: int) -> bool:
    """Does another process have this file open for writing? Linux says so by refusing a
    read lease; False where that cannot be told (other systems, files of other users)."""
    if fcntl is None or not hasattr(fcntl, "F_SETLEASE"):
        return False
    main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGIO, signal.SIG_IGN) if main else None  # a lease broken at once is no crash
    try:
        fcntl.fcntl(descriptor, fcntl.F_SETLEASE, fcntl.F_RDLCK)
        fcntl.fcntl(descriptor, fcntl.F_SETLEASE, fcntl.F_UNLCK)
        return False
    except BlockingIOError:
        return True
    except OSError:
        return False
    finally:
        if previous is not None:
            signal.signal(signal.SIGIO, previous)


def _writers_done(descriptor: int) -> bool:
    """Wait (a little) until no other process has the old file open for writing, so that
    what it was writing is in it; False if one still has."""
    deadline = time.monotonic() + WRITER_WAIT_SECONDS
    while _open_for_writing(descriptor):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.001)
    return True


def _put_back(target: Path, original: int, ours: bytes, info: os.stat_result) -> str:
    """The old file was written (or opened for writing) after the check: the doc gets its
    bytes back, or, if the fixed file was written too, they are saved next to it."""
    note = "it was written to while doclint was replacing it"
    with _temp_copy(target, _read_all(original), info) as kept:
        try:
            if target.read_bytes() == ours:
                os.replace(kept, target)
                return f"{note}; its version was kept and the fix left out; run again"
        except OSError:
            pass
        conflict = target.with_name(os.path.basename(kept)[1:] + "-conflict")  # unique, as the temp name is
        os.replace(kept, conflict)
        return f"{note}, and so was the fixed file; the other version was saved as {conflict.name}"


@contextmanager
def _temp_copy(target: Path, data: bytes, info: os.stat_result | None) -> Iterator[str]:
    """A temp file next to target holding data, with target's mode and (as far as this
    process may set it) owner and group (`info`; None: a new file's, as the umask gives
    them), locked while it exists; removed unless renamed."""
    fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=_TEMP_SUFFIX, dir=target.parent)
    try:
        if fcntl is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)  # released when this process ends, however it ends
            except OSError:
                pass  # a file system without locks: its age alone says the temp file is in use
        with os.fdopen(os.dup(fd), "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if info is None:
            umask = os.umask(0)
            os.umask(umask)
            os.fchmod(fd, 0o666 & ~umask)
        elif (info.st_uid, info.st_gid) != (os.getuid(), os.getgid()):
            try:
                os.fchown(fd, info.st_uid, info.st_gid)
            except PermissionError:  # not root: a user may only give a file one of their own groups
                try:
                    os.fchown(fd, -1, info.st_gid)
                except PermissionError:
                    pass
        if info is not None:
            os.fchmod(fd, stat.S_IMODE(info.st_mode))  # after chown, which clears set-id bits
        yield temp
    finally:
        os.close(fd)
        if os.path.lexists(temp):
            os.unlink(temp)


def _read_all(descriptor: int) -> bytes:
    size = os.fstat(descriptor).st_size
    chunks: list[bytes] = []
    offset = 0
    while True:
        chunk = os.pread(descriptor, max(size - offset, 0) + 65536, offset)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        offset += len(chunk)


def remove_stale_temps(root: Path, docs: set[str]) -> list[str]:
    """Delete the temp files a killed fix left next to these docs: only names doclint gives
    them, only regular files, only ones no live run holds and not written for a while."""
    problems = []
    folders: dict[str, set[str]] = {}
    for path in docs:
        folder, _, name = path.rpartition("/")
        folders.setdefault(folder, set()).add(name)
    for folder, names in sorted(folders.items()):
        try:
            entries = list(os.scandir(root / folder))
        except OSError:
            continue
        for entry in entries:
            match = _TEMP_NAME.fullmatch(entry.name)
            if match and match.group("doc") in names and _abandoned(entry):
                try:
                    os.unlink(entry.path)
                except OSError as exc:
                    problems.append(f"{folder + '/' if folder else ''}{entry.name}: left by an interrupted fix; "
                                    f"cannot remove it ({exc.strerror})")
    return problems


def _abandoned(entry: os.DirEntry[str]) -> bool:
    try:
        info = entry.stat(follow_symlinks=False)
        if not stat.S_ISREG(info.st_mode) or time.time() - info.st_mtime < STALE_TEMP_SECONDS:
            return False
        if fcntl is None:
            return True
        fd = os.open(entry.path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except OSError:
        return False  # a run that is still alive holds it
    finally:
        os.close(fd)
