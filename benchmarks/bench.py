#!/usr/bin/env python3
"""Benchmark doclint on generated repositories at several scales, against remark-validate-links.

    python benchmarks/bench.py                      # scales 1 4 16, 5 runs each
    python benchmarks/bench.py --scales 1 4 --runs 3 --no-remark

Scale 1 is 30 TypeScript modules and 100 Markdown docs; scale 16 (480 modules, 1,600
docs) is about the size of the Oscilla tree. Each doc mixes good and broken paths,
line ranges, names, links and anchors. For every scale it times, as fresh processes:
cold (no cache), warm (nothing changed), one doc changed, one .ts changed, and peak
memory; then remark-validate-links on the same tree when Node is available. It prints
medians and the ratios the targets are stated in.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MODULES_PER_SCALE = 30
DOCS_PER_SCALE = 100


# --------------------------------------------------------------------------- the synthetic repository


def module_source(rng: random.Random, index: int) -> str:
    name = f"Engine{index}"
    kinds = [f"step{index}x{k}" for k in range(4)]
    lines = [f"/** Module {index}: generated for the doclint benchmark. */", ""]
    for k, kind in enumerate(kinds):
        lines += [f"export interface {name}Step{k} {{", f"  readonly kind: '{kind}';", "  readonly slot: number;", "}", ""]
    lines.append(f"export type {name}Step = " + " | ".join(f"{name}Step{k}" for k in range(4)) + ";")
    lines.append("")
    lines += [f"export class {name} {{", "  private frames = 0;", "  readonly budget: number = 16;", ""]
    for m in range(5):
        lines += [f"  method{m}(input: number): number {{"]
        lines += [f"    const value{j} = input * {j} + this.frames;" for j in range(rng.randint(2, 8))]
        lines += ["    return input;", "  }", ""]
    lines += ["}", ""]
    for f in range(6):
        lines.append(f"export function run{name}Part{f}(steps: {name}Step[]): number {{")
        lines.append("  let total = 0;")
        lines.append("  for (const step of steps) {")
        lines.append("    switch (step.kind) {")
        for kind in kinds:
            lines += [f"      case '{kind}':", "        total += step.slot;", "        break;"]
        lines += ["    }", "  }", "  return total;", "}", ""]
    return "\n".join(lines) + "\n"


def doc_source(rng: random.Random, index: int, modules: int, docs: int) -> str:
    def module() -> int:
        return rng.randrange(modules)

    out = [f"# Document {index}", "", "An overview of part of the engine.", ""]
    for section in range(rng.randint(4, 7)):
        out += [f"## Section {section}: behaviour", ""]
        for _paragraph in range(rng.randint(2, 4)):
            m = module()
            broken = rng.random() < 0.06
            path = f"src/engine/module{m}{'-old' if broken else ''}.ts"
            sentence = [f"The engine in `{path}` runs `runEngine{m}Part{rng.randrange(6)}()`."]
            roll = rng.random()
            if roll < 0.3:
                start = rng.randint(1, 60)
                sentence.append(f"See `src/engine/module{m}.ts:{start}-{start + rng.randint(2, 20)}`.")
            elif roll < 0.5:
                sentence.append(f"`Engine{m}.method{rng.randrange(6 if rng.random() < 0.05 else 5)}` does the work.")
            elif roll < 0.7:
                target = rng.randrange(docs)
                anchor = f"section-{rng.randrange(8)}-behaviour"
                sentence.append(f"Compare [document {target}](doc{target}.md#{anchor}).")
            else:
                sentence.append(f"Steps such as `'step{m}x{rng.randrange(4)}'` and `Engine{m}Step` matter.")
            sentence.append("This text is filler that makes the paragraph read like real documentation "
                            "with several clauses, some emphasis, and a list of reasons.")
            out += [" ".join(sentence), ""]
        if rng.random() < 0.5:
            out += ["```ts", f"const engine = new Engine{module()}();", "engine.method1(3);", "```", ""]
        if rng.random() < 0.4:
            out += ["- first point with `inline code`", "- second point, see [the top](#document-" + str(index) + ")",
                    f"- third point in [another doc](doc{rng.randrange(docs)}.md)", ""]
    return "\n".join(out) + "\n"


def generate(root: Path, scale: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    modules, docs = MODULES_PER_SCALE * scale, DOCS_PER_SCALE * scale
    (root / "src" / "engine").mkdir(parents=True)
    (root / "docs").mkdir()
    for m in range(modules):
        (root / "src" / "engine" / f"module{m}.ts").write_text(module_source(rng, m), encoding="utf-8")
    for d in range(docs):
        (root / "docs" / f"doc{d}.md").write_text(doc_source(rng, d, modules, docs), encoding="utf-8")
    (root / "doclint.toml").write_text('docs = ["docs/**/*.md"]\nsources = ["src/**/*.ts"]\n', encoding="utf-8")
    # A git repository without commits: remark-validate-links wants a remote, and with no
    # history doclint's drift checks stay out of the timing.
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    subprocess.run(["git", "remote", "add", "origin", "https://github.com/example/bench.git"], cwd=root, check=True)


# --------------------------------------------------------------------------- measuring


# doclint is timed as users run it: installed, its bytecode compiled (pip compiles on
# install; an editable install compiles on first run unless this is set).
CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def timed(command: list[str], cwd: Path) -> tuple[float, int]:
    """Wall seconds and peak RSS (MB) of the largest process of one fresh run."""
    seconds, peak, _cpu = timed_with_cpu(command, cwd)
    return seconds, peak


def timed_with_cpu(command: list[str], cwd: Path) -> tuple[float, int, float]:
    """`timed`, and the CPU seconds (user and system) of the run and the processes it waited for."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env=CHILD_ENV)
    _pid, _status, usage = os.wait4(process.pid, 0)
    return time.perf_counter() - start, usage.ru_maxrss // 1024, usage.ru_utime + usage.ru_stime


def cpu_stolen() -> tuple[int, int]:
    """(steal, total) jiffies of all CPUs so far (/proc/stat): the share a virtual machine's host
    took, which makes wall times noisy; (0, 0) where the file is not there."""
    try:
        with open("/proc/stat", encoding="ascii") as handle:
            fields = [int(v) for v in handle.readline().split()[1:]]
    except (OSError, ValueError):
        return 0, 0
    return (fields[7] if len(fields) > 7 else 0), sum(fields[:8])


def _descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children", encoding="ascii") as handle:
                    todo.extend(int(child) for child in handle.read().split())
        except OSError:
            continue
    return found


# kcmp(2) with KCMP_VM: do two processes share one address space? A child that Python's
# subprocess made with vfork (as it does on Linux) runs in its parent's memory until it execs
# git; its smaps then show the parent's pages again, and summing both would count them twice.
_KCMP = {"x86_64": 312, "aarch64": 272}.get(os.uname().machine)
_KCMP_VM = 1


def _same_memory(pid: int, other: int) -> bool:
    if _KCMP is None:
        return False  # cannot tell: count each process (at worst an overestimate)
    import ctypes

    return ctypes.CDLL(None, use_errno=True).syscall(_KCMP, pid, other, _KCMP_VM, 0, 0) == 0


def _address_spaces(pids: list[int]) -> list[int]:
    """One pid per address space: a vfork child waiting to exec is its parent's memory."""
    kept: list[int] = []
    for pid in pids:
        if not any(_same_memory(pid, other) for other in kept):
            kept.append(pid)
    return kept


def _proportional_kb(pid: int) -> int:
    """Proportional set size: pages shared between a forked worker and its parent count once in all."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def peak_memory(command: list[str], cwd: Path) -> int:
    """Peak memory (MB) of one run and every process it starts (each address space once),
    sampled every 10 ms; where /proc cannot be read, the largest single process's peak instead."""
    if not Path("/proc/self/smaps_rollup").exists():
        return timed(command, cwd)[1]
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env=CHILD_ENV)
    peak = 0
    while process.poll() is None:
        peak = max(peak, sum(_proportional_kb(pid) for pid in _address_spaces(_descendants(process.pid))))
        time.sleep(0.01)
    return peak // 1024


def median_of(runs: int, command: list[str], cwd: Path, before=None) -> tuple[float, int]:
    times, peaks = [], []
    for run in range(runs):
        if before:
            before(run)
        seconds, peak = timed(command, cwd)
        times.append(seconds)
        peaks.append(peak)
    return statistics.median(times), max(peaks)


def bench_scale(scale: int, runs: int, doclint: list[str], remark: list[str] | None) -> dict:
    workdir = Path(tempfile.mkdtemp(prefix=f"doclint-bench-{scale}x-"))
    try:
        generate(workdir, scale)
        check = [*doclint, "check", "--quiet"]
        cache = workdir / ".doclint_cache"
        row: dict = {"scale": scale}
        row["cold"], _ = median_of(runs, check, workdir, lambda _r: shutil.rmtree(cache, True))
        shutil.rmtree(cache, True)
        row["cold_mb"] = peak_memory(check, workdir)  # a cold run holds the most; all its processes
        row["warm"], _ = median_of(runs, check, workdir)  # that run left the cache complete
        doc = workdir / "docs" / "doc0.md"
        source = workdir / "src" / "engine" / "module0.ts"

        def touch_doc(run: int) -> None:
            doc.write_text(doc.read_text() + f"\nEdit {run}: see `src/engine/module1.ts`.\n")

        def touch_source(run: int) -> None:
            source.write_text(source.read_text() + f"\nexport const edit{run} = {run};\n")

        row["doc_changed"], _ = median_of(runs, check, workdir, touch_doc)
        row["ts_changed"], _ = median_of(runs, check, workdir, touch_source)
        if remark:
            row["remark"], row["remark_mb"] = median_of(max(1, runs // 2), remark, workdir)
        return row
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


# remark's packages, pinned, installed with npm on first use into a folder outside the repository.
REMARK_PACKAGES = ("remark-cli@12.0.1", "remark-validate-links@13.1.0")
NODE_DIR = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "doclint-bench"


def remark_install() -> Path | str:
    """The folder holding remark-cli and remark-validate-links, or why they cannot be had."""
    npm = shutil.which("npm")
    if npm is None or shutil.which("node") is None:
        return "npm and node are needed (not on PATH)"
    binary = NODE_DIR / "node_modules" / ".bin" / "remark"
    plugin = NODE_DIR / "node_modules" / "remark-validate-links" / "index.js"
    if not binary.exists() or not plugin.exists():
        NODE_DIR.mkdir(parents=True, exist_ok=True)
        install = subprocess.run([npm, "install", "--prefix", str(NODE_DIR), "--no-audit", "--no-fund", "--silent",
                                  *REMARK_PACKAGES], capture_output=True, text=True)
        if install.returncode != 0:
            return f"npm install failed: {install.stderr.strip()[:200]}"
    return NODE_DIR


def remark_command() -> list[str] | None:
    """remark-cli with remark-validate-links on the generated docs."""
    folder = remark_install()
    if isinstance(folder, str):
        print(f"remark-validate-links not run: {folder}", file=sys.stderr)
        return None
    modules = folder / "node_modules"
    return [str(modules / ".bin" / "remark"), "docs", "--use", str(modules / "remark-validate-links" / "index.js"),
            "--quiet", "--no-stdout"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 4, 16])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-remark", action="store_true", help="skip remark-validate-links")
    args = parser.parse_args(argv)
    doclint = [sys.executable, "-m", "doclint"]
    remark = None if args.no_remark else remark_command()
    rows = [bench_scale(scale, args.runs, doclint, remark) for scale in args.scales]
    print_table(rows)
    return 0


def print_table(rows: list[dict]) -> None:
    header = ["scale", "cold s", "warm s", "1 doc s", "1 .ts s", "peak MB", "remark s", "remark MB",
              "remark/cold", "remark/warm", "warm/cold"]
    print(" | ".join(header))
    print(" | ".join("---" for _ in header))
    for r in rows:
        remark = r.get("remark")
        print(" | ".join([
            f"{r['scale']}x", f"{r['cold']:.2f}", f"{r['warm']:.2f}", f"{r['doc_changed']:.2f}", f"{r['ts_changed']:.2f}",
            f"{r['cold_mb']}",
            f"{remark:.2f}" if remark else "n/a", f"{r.get('remark_mb', 'n/a')}",
            f"{remark / r['cold']:.1f}x" if remark else "n/a", f"{remark / r['warm']:.1f}x" if remark else "n/a",
            f"{100 * r['warm'] / r['cold']:.1f}%",
        ]))
    base = rows[0]
    for r in rows[1:]:
        print(f"{r['scale']}x vs {base['scale']}x: cold {r['cold'] / base['cold']:.1f}x, "
              f"one doc changed {r['doc_changed'] / base['doc_changed']:.1f}x")


if __name__ == "__main__":
    raise SystemExit(main())
