"""Writing fixes safely: races with other writers, debris of killed runs, owners, diffs."""

from __future__ import annotations

import difflib
import os
import random
import subprocess
import sys
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import invoke, run_subprocess

from doclint import writing
from doclint.findings import Edit, Span
from doclint.fixer import apply_fixes, rewrite, unified_diff
from doclint.linter import Options, run_check

STALE_DOC = "See `src/old/executor.ts`.\n"
FIXED_DOC = "See `src/runtime/executor.ts`.\n"

# Told the moment the fixer's temp file is written, it waits the delay it is given and
# appends a line: a second writer landing anywhere around the fix's swap.
APPENDER = r"""
import os, sys, time
for line in sys.stdin:
    time.sleep(float(line))
    fd = os.open(sys.argv[1], os.O_WRONLY | os.O_APPEND)
    os.write(fd, b"appended meanwhile\n")
    os.close(fd)
    print("done", flush=True)
"""


def test_a_concurrent_append_is_never_lost(repo, monkeypatch):
    """The fix and another process appending to a 2 MB doc at every moment around the
    swap: each trial ends with the fix and the append, or the append alone and a message."""
    body = STALE_DOC + "".join(f"filler line {i} " + "with some words in it " * 9 + "\n" for i in range(9_000))
    root = repo({"docs/a.md": body})  # 1.9 MB: under the default max-file-size
    doc = root / "docs/a.md"
    result = run_check(Options(root=root, no_cache=True))
    appender = subprocess.Popen([sys.executable, "-c", APPENDER, str(doc)],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    real_fsync, real_replace, armed, written, swapped = os.fsync, os.replace, [], [], []

    def fsync(fd):
        real_fsync(fd)
        written.append(time.monotonic())
        if armed:  # the fix's temp file is written: start the other writer's clock
            appender.stdin.write(armed.pop())
            appender.stdin.flush()

    def replace(source, destination):
        swapped.append(time.monotonic())
        real_replace(source, destination)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    for _calibration in range(3):  # how long from the temp file's write to the swap, here
        doc.write_text(body)
        apply_fixes(root, result.findings, result.digests, write=True, unsafe=True)
    to_swap = sorted(s - w for w, s in zip(written, swapped, strict=False))[1]
    rng = random.Random(7)
    outcomes = {"fixed": 0, "kept": 0}
    try:
        for _trial in range(64):
            doc.write_text(body)
            armed.append(f"{rng.uniform(0, 2) * to_swap:.6f}\n")
            outcome = apply_fixes(root, result.findings, result.digests, write=True, unsafe=True)
            assert appender.stdout.readline() == "done\n"
            after = doc.read_text()
            if after == FIXED_DOC + body[len(STALE_DOC):] + "appended meanwhile\n":
                outcomes["fixed"] += 1
                assert outcome.problems == []
            else:
                assert after == body + "appended meanwhile\n", "the append or the fix was lost"
                outcomes["kept"] += 1
                [problem] = outcome.problems
                assert problem.startswith("docs/a.md: not fixed: it ") and "run again" in problem
    finally:
        appender.stdin.close()
        appender.wait(10)
    assert outcomes["fixed"] and outcomes["kept"]  # both sides of the race were run
    assert sorted(p.name for p in doc.parent.iterdir()) == ["a.md"]


def _replace_with_writes(monkeypatch, before: bytes | None, after: bytes | None):
    """os.replace that lets another writer append to the doc right before and/or after the fix's swap."""
    real = os.replace
    swaps = []

    def replace(source, destination):
        first = not swaps
        swaps.append(destination)
        if first and before is not None:
            with open(destination, "ab") as handle:
                handle.write(before)
        real(source, destination)
        if first and after is not None:
            with open(destination, "ab") as handle:
                handle.write(after)

    monkeypatch.setattr(os, "replace", replace)


def test_a_write_between_the_check_and_the_swap_is_put_back(repo, monkeypatch):
    root = repo({"docs/a.md": STALE_DOC})
    result = run_check(Options(root=root, no_cache=True))
    _replace_with_writes(monkeypatch, b"theirs\n", None)
    outcome = apply_fixes(root, result.findings, result.digests, write=True, unsafe=True)
    assert (root / "docs/a.md").read_text() == STALE_DOC + "theirs\n"
    assert outcome.problems == ["docs/a.md: not fixed: it was written to while doclint was replacing it; "
                                "its version was kept and the fix left out; run again"]
    assert sorted(p.name for p in (root / "docs").iterdir()) == ["a.md"]


def test_when_both_files_were_written_the_other_version_is_saved(repo, monkeypatch):
    root = repo({"docs/a.md": STALE_DOC})
    result = run_check(Options(root=root, no_cache=True))
    _replace_with_writes(monkeypatch, b"theirs\n", b"later\n")
    [problem] = apply_fixes(root, result.findings, result.digests, write=True, unsafe=True).problems
    assert (root / "docs/a.md").read_text() == FIXED_DOC + "later\n"
    [saved] = [p for p in (root / "docs").iterdir() if p.name != "a.md"]
    assert saved.read_text() == STALE_DOC + "theirs\n"
    assert problem.endswith(f"the other version was saved as {saved.name}")
    assert saved.name.startswith("a.md.") and saved.name.endswith(".doclint-conflict")


WRITER = r"""
import os, sys, time
fd = os.open(sys.argv[1], os.O_WRONLY | os.O_APPEND)
print("open", flush=True)
sys.stdin.readline()
time.sleep(float(sys.argv[2]))
os.write(fd, b"theirs\n")
os.close(fd)
"""


def test_a_doc_another_program_holds_open_for_writing_is_left_alone(repo):
    root = repo({"docs/a.md": STALE_DOC})
    result = run_check(Options(root=root, no_cache=True))
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(root / "docs/a.md"), "0"],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert writer.stdout.readline() == "open\n"
        outcome = apply_fixes(root, result.findings, result.digests, write=True, unsafe=True)
    finally:
        writer.communicate("go\n", timeout=10)
    assert outcome.problems == ["docs/a.md: not fixed: it is open for writing in another program; run again"]
    assert (root / "docs/a.md").read_text() == STALE_DOC + "theirs\n"


def test_a_writer_that_opened_the_doc_just_before_the_swap_is_waited_for(repo, monkeypatch):
    """It writes to the old file after the swap, later than any re-read could see: the fix
    waits until it closes the file, then puts its version back."""
    root = repo({"docs/a.md": STALE_DOC})
    result = run_check(Options(root=root, no_cache=True))
    real, writers = os.replace, []

    def replace(source, destination):
        if not writers:
            writers.append(subprocess.Popen([sys.executable, "-c", WRITER, str(destination), "0.2"],
                                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True))
            assert writers[0].stdout.readline() == "open\n"
            writers[0].stdin.write("go\n")
            writers[0].stdin.flush()
        real(source, destination)

    monkeypatch.setattr(os, "replace", replace)
    outcome = apply_fixes(root, result.findings, result.digests, write=True, unsafe=True)
    writers[0].communicate(timeout=10)
    assert (root / "docs/a.md").read_text() == STALE_DOC + "theirs\n"
    assert outcome.problems == ["docs/a.md: not fixed: it was written to while doclint was replacing it; "
                                "its version was kept and the fix left out; run again"]


KILLED_FIX = r"""
import os, signal, sys
os.fsync = lambda fd: os.kill(os.getpid(), signal.SIGKILL)  # `kill -9` while the fix is being written
from doclint.cli import run
sys.argv = ["doclint", "fix", "--unsafe-fixes", "--root", sys.argv[1]]
run()
"""

HOLDER = r"""
import fcntl, os, sys
fd = os.open(sys.argv[1], os.O_RDONLY)
fcntl.flock(fd, fcntl.LOCK_EX)
print("held", flush=True)
sys.stdin.read()
"""


def test_temp_files_of_a_killed_fix_are_removed_by_the_next(repo):
    root = repo({"docs/a.md": STALE_DOC, "docs/b.md": "Fine.\n"})
    killed = subprocess.run([sys.executable, "-c", KILLED_FIX, str(root)], capture_output=True, timeout=60)
    [left] = [p for p in (root / "docs").iterdir() if p.name.endswith(".doclint")]
    assert killed.returncode == -9 and left.name.startswith(".a.md.")  # what it leaves behind
    assert (root / "docs/a.md").read_text() == STALE_DOC
    old = time.time() - 60
    fresh = root / "docs/.b.md.fresh123.doclint"  # a run writing it right now
    held = root / "docs/.b.md.held1234.doclint"  # old, but a live run holds it
    other = root / "docs/.c.md.abcd1234.doclint"  # not next to a doc this run checks
    mine = root / "docs/notes.doclint"  # not a name doclint gives its temp files
    for path in (fresh, held, other, mine):
        path.write_text("x")
    for path in (left, held, other, mine):
        os.utime(path, (old, old))
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(held)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline() == "held\n"
        run = run_subprocess(["fix", "--unsafe-fixes", "--root", str(root)], cwd=root)
    finally:
        holder.stdin.close()
        holder.wait(10)
    assert run.returncode == 0, run.stderr
    assert (root / "docs/a.md").read_text() == FIXED_DOC
    assert not left.exists()
    assert fresh.exists() and held.exists() and other.exists() and mine.exists()


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="changing a file's owner needs root")
def test_fix_as_root_keeps_the_owner_group_and_mode(repo):
    root = repo({"docs/a.md": STALE_DOC})
    doc = root / "docs/a.md"
    os.chown(doc, 4321, 8765)
    doc.chmod(0o640)
    run = run_subprocess(["fix", "--unsafe-fixes", "--root", str(root)], cwd=root)
    assert run.returncode == 0, run.stderr
    info = doc.stat()
    assert doc.read_text() == FIXED_DOC
    assert (info.st_uid, info.st_gid, info.st_mode & 0o7777) == (4321, 8765, 0o640)


def test_fix_reads_again_a_doc_changed_keeping_its_size_and_mtime(repo):
    """The stat cache says a doc is unchanged when its size and mtime are; if its bytes
    differ, the fix reads it again rather than saying "run again" on every run."""
    root = repo({"docs/a.md": STALE_DOC})
    doc = root / "docs/a.md"
    past = time.time_ns() - 60 * 10**9
    os.utime(doc, ns=(past, past))
    assert invoke("check", "--root", str(root)).exit_code == 1  # the cache records the doc's stat
    doc.write_text(STALE_DOC.replace(".\n", "!\n"))  # same size
    os.utime(doc, ns=(past, past))
    run = run_subprocess(["fix", "--unsafe-fixes", "--root", str(root)], cwd=root)
    assert run.returncode == 0, run.stderr
    assert "changed since doclint read it" not in run.stderr
    assert doc.read_text() == FIXED_DOC.replace(".\n", "!\n")


# --------------------------------------------------------------------------- diffs

distinct_lines = st.lists(st.text(alphabet="ab c", max_size=6), max_size=40, unique=True)


@settings(max_examples=400, deadline=None)
@given(distinct_lines, st.sampled_from(["\n", "\r\n"]), st.booleans(), st.data())
def test_the_diff_of_fixes_is_difflibs(lines, newline, final_newline, data):
    """Fixes change lines in place; the diff is the one difflib gives (whose choice among
    equal diffs is only certain when no line repeats, as here), in linear time."""
    text = "".join(f"{i} {line}{newline}" for i, line in enumerate(lines)) + ("tail" if not final_newline else "")
    old = text.encode()
    count = len(old.decode().splitlines())
    rows = data.draw(st.lists(st.integers(1, max(count, 1)), max_size=8, unique=True)) if count else []
    edits = [Edit(Span(row, 1, row, 1), "X") for row in rows]  # no original line holds an X
    new, _applied = rewrite(old, edits)
    expected = "".join(difflib.unified_diff(old.decode().splitlines(keepends=True),
                                            new.decode().splitlines(keepends=True), fromfile="a/d.md", tofile="b/d.md"))
    assert unified_diff("d.md", old, new) == expected


def test_the_diff_falls_back_to_difflib_when_lines_are_added():
    old, new = b"a\nb\n", b"a\nx\ny\nb\n"
    assert unified_diff("d.md", old, new) == "".join(difflib.unified_diff(
        ["a\n", "b\n"], ["a\n", "x\n", "y\n", "b\n"], fromfile="a/d.md", tofile="b/d.md"))


def test_fixer_module_names_its_temp_files_as_cleanup_expects(tmp_path):
    target = tmp_path / "a.md"
    target.write_text("x")
    with writing._temp_copy(target, b"y", os.stat(target)) as temp:
        assert writing._TEMP_NAME.fullmatch(os.path.basename(temp)).group("doc") == "a.md"
    assert not os.path.exists(temp)
