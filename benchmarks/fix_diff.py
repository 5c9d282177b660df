#!/usr/bin/env python3
"""How long `doclint fix --diff` takes on one big doc, and how much of it is the diff.

    python benchmarks/fix_diff.py                   # 1, 2 and 5 MB, 3 runs each
    python benchmarks/fix_diff.py --sizes 1 2 --runs 5 --difflib

For each size it writes a repository with one doc of that many megabytes whose every
20th line holds a stale line range (a git history moves the code under it), then times
`doclint fix --diff --no-cache` as a fresh process, and the diff alone (`unified_diff`
on the doc's bytes before and after the fixes). With --difflib it also times
difflib.unified_diff on the whole texts, which is what the diff used to be (superlinear:
about 85 s at 5 MB). It prints medians.
"""

from __future__ import annotations

import argparse
import difflib
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SOURCE = "".join(f"export function f{i}(): number {{\n  return {i};\n}}\n" for i in range(200))
GIT = {"GIT_AUTHOR_NAME": "b", "GIT_AUTHOR_EMAIL": "b@b", "GIT_COMMITTER_NAME": "b", "GIT_COMMITTER_EMAIL": "b@b"}


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, env={**os.environ, **GIT}, check=True, capture_output=True)


def make_repo(root: Path, megabytes: float) -> Path:
    root.mkdir(parents=True)
    (root / "src").mkdir()
    (root / "docs").mkdir()
    config = 'docs = ["docs/**/*.md"]\nmax-file-size = 20000000\nmax-parse-seconds = 600\n'  # big docs allowed
    (root / "doclint.toml").write_text(config)
    (root / "src/lib.ts").write_text(SOURCE)
    lines, size, row = [], 0, 0
    while size < megabytes * 1_000_000:
        line = f"Line {row}: `f{row % 200}` lives at `src/lib.ts:{3 * (row % 200) + 1}-{3 * (row % 200) + 3}`.\n" \
            if row % 20 == 0 else f"Line {row} of prose about the library, long enough to look like a doc.\n"
        lines.append(line)
        size += len(line)
        row += 1
    (root / "docs/big.md").write_text("".join(lines))
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "doc")
    (root / "src/lib.ts").write_text("// moved\n" + SOURCE)
    git(root, "commit", "-q", "-am", "move the code one line down")
    return root / "docs/big.md"


def median_time(action, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=float, nargs="+", default=[1, 2, 5], help="doc sizes in MB")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--difflib", action="store_true", help="also time difflib on the whole texts (slow)")
    args = parser.parse_args()
    from doclint.fixer import unified_diff

    print(f"{'MB':>4} {'fix --diff s':>13} {'diff alone s':>13} {'difflib s':>10} {'hunks':>6}")
    with tempfile.TemporaryDirectory() as scratch:
        for megabytes in args.sizes:
            doc = make_repo(Path(scratch) / f"r{megabytes}", megabytes)
            command = [sys.executable, "-m", "doclint", "fix", "--diff", "--no-cache", "--root", str(doc.parents[1])]
            output: list[str] = []

            def fix_diff() -> None:
                proc = subprocess.run(command, capture_output=True, text=True)
                output[:] = [proc.stdout]

            whole = median_time(fix_diff, args.runs)
            old = doc.read_bytes()
            new = _apply_diff(old, output[0])
            alone = median_time(lambda: unified_diff("docs/big.md", old, new), args.runs)
            hunks = output[0].count("\n@@ ")
            slow = "-"
            if args.difflib:
                before = old.decode().splitlines(keepends=True)
                after = new.decode().splitlines(keepends=True)
                slow = f"{median_time(lambda: list(difflib.unified_diff(before, after)), 1):.2f}"
            print(f"{megabytes:>4g} {whole:>13.2f} {alone:>13.3f} {slow:>10} {hunks:>6}")
    return 0


def _apply_diff(old: bytes, diff: str) -> bytes:
    """The doc as the diff leaves it: fixes change lines in place, so each '+' line replaces
    the '-' line at the same place in its hunk."""
    lines = old.decode().splitlines(keepends=True)
    row = 0
    for line in diff.splitlines(keepends=True):
        if line.startswith("@@"):
            row = int(line.split()[1].split(",")[0][1:]) - 1
        elif line.startswith(" "):
            row += 1
        elif line.startswith("+") and not line.startswith("+++"):
            lines[row] = line[1:]
            row += 1
    return "".join(lines).encode()


if __name__ == "__main__":
    raise SystemExit(main())
