#!/usr/bin/env python3
"""doclint against remark-validate-links on a real tree, in one paired run (issue 19).

    python benchmarks/vs_remark.py                                  # /work/osc, 3 runs each
    python benchmarks/vs_remark.py --tree ~/oscilla --history ~/oscilla-clone --runs 5
    python benchmarks/vs_remark.py --no-remark

The tree (an export without git history) is copied to a scratch folder and checked with
`docs = ["**/*.md"]`; a clone with its full history (`--history`), when given, is copied
and checked the same way with drift on. Each variant times, as fresh processes and medians
of `--runs`: doclint cold (no cache) paired round by round with remark-validate-links (so
a change in the machine's load falls on both); in three rounds per run, warm (nothing
changed), then one doc changed, then one `.ts` changed, each a full check, the ratios
taken within each round and their medians given; with history one doc changed and committed
(HEAD moves, so every doc is checked again, from the cache), and the peak memory of a cold run with
every process it starts; then, with history, cold runs of both variants alternating round by
round, for the ratio of the two. The machine's load is printed with every measurement, and the table
gives a cold run's CPU seconds and the share of the CPUs a virtual machine's host took
during the cold rounds (`stolen`, from /proc/stat), which wall times cannot show; it gives
the ratios issue 19 states its targets in.

remark-cli and remark-validate-links (pinned below) are installed with npm into
~/.cache/doclint-bench on first use; without npm and node that column says why it is empty.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import CHILD_ENV, cpu_stolen, peak_memory, remark_install, timed, timed_with_cpu

CONFIG = 'docs = ["**/*.md"]\nsources = ["src/**/*.ts", "src/**/*.tsx"]\nrules = ["oscilla"]\n'
# The files edited between runs: a central runtime source and a doc other docs link to.
CHANGED_SOURCE = "src/runtime/RuntimeState.ts"
CHANGED_DOC = "docs/README.md"
# remark needs a remote to tell links into the repository from other URLs; a neutral one.
REMOTE = "https://github.com/example/oscilla.git"


def load() -> str:
    one, five, _fifteen = os.getloadavg()
    return f"load {one:.2f} (5 min {five:.2f}) on {os.cpu_count()} cores"


def say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}; {load()}", file=sys.stderr, flush=True)


def doclint_command() -> list[str]:
    """The installed console script of this interpreter's doclint, as users run it."""
    script = Path(sys.executable).parent / "doclint"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "doclint"]


def prepare(source: Path, scratch: Path, history: bool) -> Path:
    """A writable copy of the tree with the benchmark's config. The export gets an empty
    repository (remark-validate-links asks git for the remote; no commits, so no drift)."""
    root = scratch / ("history" if history else "export")
    shutil.copytree(source, root, symlinks=True)
    (root / "doclint.toml").write_text(CONFIG, encoding="utf-8")
    shutil.rmtree(root / ".doclint_cache", ignore_errors=True)
    git = ["git", "-C", str(root)]
    if not history:
        subprocess.run([*git, "init", "-q"], check=True)
        subprocess.run([*git, "remote", "add", "origin", REMOTE], check=True)
    else:
        subprocess.run([*git, "remote", "remove", "origin"], capture_output=True)
        subprocess.run([*git, "remote", "add", "origin", REMOTE], check=True)
    return root


def summary(doclint: list[str], root: Path) -> dict:
    """What one cold check sees: docs and references (and that it runs at all)."""
    result = subprocess.run([*doclint, "check", "--no-cache", "--exit-zero", "--format", "json"], cwd=root,
                            capture_output=True, text=True, env=CHILD_ENV)
    if result.returncode != 0:
        raise SystemExit(f"doclint failed on {root}: {result.stderr.strip()[-400:]}")
    return json.loads(result.stdout)["summary"]


def bench_variant(name: str, root: Path, runs: int, doclint: list[str], remark: list[str] | None,
                  history: bool) -> dict:
    check = [*doclint, "check", "--quiet"]
    cache = root / ".doclint_cache"
    row: dict = {"variant": name, **summary(doclint, root)}
    say(f"{name}: {row['docs']} docs, {row['references']} references")
    cold, cold_cpu, remark_times, pairs = [], [], [], []
    stolen_before = cpu_stolen()
    for run in range(runs):
        shutil.rmtree(cache, ignore_errors=True)
        seconds, _, cpu = timed_with_cpu(check, root)
        cold.append(seconds)
        cold_cpu.append(cpu)
        say(f"{name}: doclint cold {seconds:.2f} s, {cpu:.2f} s CPU (round {run + 1})")
        if remark:
            other, _ = timed(remark, root)
            remark_times.append(other)
            pairs.append(other / seconds)
            say(f"{name}: remark-validate-links {other:.2f} s (round {run + 1})")
    row["cold"] = statistics.median(cold)
    row["cold_cpu"] = statistics.median(cold_cpu)
    stolen_after = cpu_stolen()
    total = stolen_after[1] - stolen_before[1]
    row["stolen"] = 100 * (stolen_after[0] - stolen_before[0]) / total if total else 0.0
    if remark:
        row["remark"] = statistics.median(remark_times)
        row["pair_ratio"] = statistics.median(pairs)
    shutil.rmtree(cache, ignore_errors=True)
    row["cold_mb"] = peak_memory(check, root)
    say(f"{name}: peak memory of a cold run, every process: {row['cold_mb']} MB")
    doc, source = root / CHANGED_DOC, root / CHANGED_SOURCE

    def touch_doc(run: int) -> None:
        with doc.open("a", encoding="utf-8") as handle:
            handle.write(f"\nEdit {run}: see `{CHANGED_SOURCE}`.\n")

    def touch_source(run: int) -> None:
        with source.open("a", encoding="utf-8") as handle:
            handle.write(f"\n// benchmark edit {run}\n")

    # Rounds of a warm run, then one doc changed, then one .ts changed, each a full check: a
    # round's ratios are taken within it, so a change in the machine's speed between rounds
    # falls on both sides. These runs are short: three rounds per `--runs`.
    timed(check, root)  # the result of the cold rounds' last run, stored
    warm, doc_changed, ts_changed, doc_ratio, ts_ratio = [], [], [], [], []
    for run in range(3 * runs):
        warm.append(timed(check, root)[0])
        touch_doc(run)
        doc_changed.append(timed(check, root)[0])
        touch_source(run)
        ts_changed.append(timed(check, root)[0])
        doc_ratio.append(doc_changed[-1] / warm[-1])
        ts_ratio.append(ts_changed[-1] / warm[-1])
        timed(check, root)  # nothing changed since: the next round's warm run replays this result
        say(f"{name}: warm {warm[-1]:.2f} s, one doc changed {doc_changed[-1]:.2f} s, "
            f"one .ts changed {ts_changed[-1]:.2f} s (round {run + 1})")
    row["warm"], row["doc_changed"], row["ts_changed"] = (statistics.median(v) for v in (warm, doc_changed, ts_changed))
    row["doc_ratio"], row["ts_ratio"] = statistics.median(doc_ratio), statistics.median(ts_ratio)
    if history:
        def commit_doc(run: int) -> None:  # HEAD moves: every doc is checked again, from the cache
            touch_doc(run + runs)
            subprocess.run(["git", "-C", str(root), "-c", "user.name=bench", "-c", "user.email=bench@example.com",
                            "commit", "-q", "-a", "-m", f"benchmark commit {run}"], check=True)

        row["committed"] = median_runs(runs, check, root, f"{name}: one doc committed", commit_doc)
    return row


def median_runs(runs: int, command: list[str], cwd: Path, label: str, before=None) -> float:
    times = []
    for run in range(runs):
        if before:
            before(run)
        times.append(timed(command, cwd)[0])
        say(f"{label} {times[-1]:.2f} s")
    return statistics.median(times)


def remark_on_tree() -> tuple[list[str] | None, str]:
    folder = remark_install()
    if isinstance(folder, str):
        return None, folder
    modules = folder / "node_modules"
    return [str(modules / ".bin" / "remark"), ".", "--use", str(modules / "remark-validate-links" / "index.js"),
            "--quiet", "--no-stdout"], ""


def print_table(rows: list[dict], why_no_remark: str, paired: float | None = None) -> None:
    header = ["variant", "docs", "cold s", "cold CPU s", "stolen", "warm s", "1 doc s", "1 .ts s", "peak MB",
              "remark s", "remark/cold", "1 doc/warm", "1 .ts/warm", "1 commit s"]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for r in rows:
        remark = r.get("remark")
        print("| " + " | ".join([
            r["variant"], str(r["docs"]), f"{r['cold']:.2f}", f"{r['cold_cpu']:.2f}", f"{r['stolen']:.0f}%",
            f"{r['warm']:.2f}", f"{r['doc_changed']:.2f}",
            f"{r['ts_changed']:.2f}", str(r["cold_mb"]), f"{remark:.2f}" if remark else "n/a",
            f"{r['pair_ratio']:.1f}x" if remark else "n/a", f"{r['doc_ratio']:.2f}x",
            f"{r['ts_ratio']:.2f}x", f"{r['committed']:.2f}" if "committed" in r else "n/a",
        ]) + " |")
    if why_no_remark:
        print(f"remark-validate-links not run: {why_no_remark}")
    by_name = {r["variant"]: r for r in rows}
    if "export" in by_name and "history" in by_name:
        print(f"cold with history / cold without: {by_name['history']['cold'] / by_name['export']['cold']:.2f}x "
              "(each variant's own rounds)" + (f", {paired:.2f}x paired round by round" if paired else ""))
    print("targets (issue 19): remark/cold >= 10x, with history within 1.3x of that, 1 doc/warm <= 1.3x, "
          "1 .ts/warm <= 1.6x, peak < 300 MB")
    print(f"finished with {load()}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tree", type=Path, default=Path("/work/osc"), help="a tree without git history")
    parser.add_argument("--history", default="/work/osc-history",
                        help="the same repository with its git history ('' to skip)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-remark", action="store_true", help="skip remark-validate-links")
    args = parser.parse_args(argv)
    remark, why = (None, "--no-remark") if args.no_remark else remark_on_tree()
    doclint = doclint_command()
    scratch = Path(tempfile.mkdtemp(prefix="doclint-vs-remark-"))
    say(f"doclint {' '.join(doclint)}, scratch {scratch}")
    try:
        variants = [("export", args.tree, False)]
        if args.history and Path(args.history).is_dir():
            variants.append(("history", Path(args.history), True))
        roots = [(name, prepare(source, scratch, history), history) for name, source, history in variants]
        rows = [bench_variant(name, root, args.runs, doclint, remark, history) for name, root, history in roots]
        paired = paired_history_ratio([root for _name, root, _h in roots], args.runs, doclint) if len(roots) == 2 else None
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print_table(rows, why, paired)
    return 0


def paired_history_ratio(roots: list[Path], runs: int, doclint: list[str]) -> float:
    """Cold runs without and with history, alternating round by round (which goes first
    alternating too): the median of the rounds' ratios, which a drift in the machine's speed
    between the two variants' own rounds cannot skew."""
    check = [*doclint, "check", "--quiet"]
    ratios = []
    for run in range(runs):
        seconds = {}
        for root in roots if run % 2 == 0 else roots[::-1]:
            shutil.rmtree(root / ".doclint_cache", ignore_errors=True)
            seconds[root] = timed(check, root)[0]
        ratios.append(seconds[roots[1]] / seconds[roots[0]])
        say(f"paired cold: without history {seconds[roots[0]]:.2f} s, with {seconds[roots[1]]:.2f} s "
            f"(round {run + 1})")
    return statistics.median(ratios)


if __name__ == "__main__":
    raise SystemExit(main())
