#!/usr/bin/env python3
"""doclint's scan of every doc in a tree with the markdown-it-pyrs reading (`doclint/mdaccel.py`)
and with markdown-it-py alone: how long each takes, and whether they give the same scans
(issue 19).

    python benchmarks/parsers.py                                   # /work/osc, 3 runs
    python benchmarks/parsers.py --tree /work/osc --tree /work/corpus-trees/* --compare

Each doc (`.md` and `.mdx`, node_modules and .git left out) is scanned as a cold check scans
it: `scan_markdown` on its text, front matter and MDX handled there. The times are CPU
seconds, medians of `--runs`, with the share of docs the faster reading took (the rest it
left to markdown-it-py: tabs in indentation, reference definitions, lazy blockquote lines
and the like). `--compare` scans every doc both ways and compares the two scans as the cache
stores them, byte for byte; it names the docs that differ and exits 1 if any does. That is
the proof the accelerator needs on a tree before anyone relies on it there. `--fuzz N` goes
further: N docs made of two windows of the trees' lines (a few lines of one doc, then of
another, some lines given a container marker or indentation) are compared the same way,
seeded (`--seed`), printing the first that differs.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from doclint import mdaccel, serial  # noqa: E402
from doclint.mdrefs import scan_markdown  # noqa: E402
from doclint.tree import decode  # noqa: E402


def docs_of(tree: Path) -> list[tuple[str, str, bool]]:
    """(path, text, is MDX) of every doc under `tree`."""
    found = []
    for path in sorted([*tree.rglob("*.md"), *tree.rglob("*.mdx")]):
        if "node_modules" in path.parts or ".git" in path.parts or not path.is_file():
            continue
        found.append((str(path), decode(path.read_bytes()), path.suffix == ".mdx"))
    return found


def scanned(text: str, mdx: bool) -> str:
    return json.dumps(serial.encode_doc(scan_markdown(text, mdx)), separators=(",", ":"))


def timed(docs: list[tuple[str, str, bool]], runs: int) -> float:
    seconds = []
    for _run in range(runs):
        start = time.process_time()
        for _path, text, mdx in docs:
            scan_markdown(text, mdx)
        seconds.append(time.process_time() - start)
    return statistics.median(seconds)


def fuzz(docs: list[tuple[str, str, bool]], count: int, seed: int) -> int:
    """Docs made of windows of real ones, scanned both ways; the number that differ."""
    pick = random.Random(seed)
    sources = [text.split("\n") for _path, text, mdx in docs if not mdx and text.count("\n") > 2]
    prefixes = ["", "", "", "", "  ", "    ", "> ", "- ", "1. ", "  - ", "> - "]
    differ = 0
    for _number in range(count):
        first, second = pick.choice(sources), pick.choice(sources)
        one, two = pick.randrange(len(first)), pick.randrange(len(second))
        lines = first[one:one + pick.randint(1, 12)] + second[two:two + pick.randint(0, 8)]
        if pick.random() < 0.5:
            lines = [pick.choice(prefixes) + line if pick.random() < 0.3 else line for line in lines]
        text = "\n".join(lines) + "\n"
        fast = scanned(text, False)
        with mdaccel.turned_off():
            pure = scanned(text, False)
        if fast != pure:
            differ += 1
            if differ == 1:
                print(f"differs: {text!r}")
    print(f"scans differ in {differ} of {count} made-up docs (seed {seed})")
    return differ


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tree", type=Path, action="append", help="a tree of docs (repeatable; default /work/osc)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--compare", action="store_true", help="compare every doc's two scans, byte for byte")
    parser.add_argument("--fuzz", type=int, default=0, metavar="N", help="compare N docs made of windows of these")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if not mdaccel.available():
        print("markdown-it-pyrs is not installed, or DOCLINT_PURE_PARSER=1 is set: nothing to compare")
        return 0
    docs = [doc for tree in (args.tree or [Path("/work/osc")]) for doc in docs_of(tree)]
    size = sum(len(text.encode()) for _path, text, _mdx in docs)
    taken = sum(1 for _path, text, mdx in docs if not mdx and mdaccel.block_tokens(text) is not None)
    print(f"{len(docs)} docs, {size / 1e6:.1f} MB; the faster reading takes {taken} "
          f"({100 * taken / max(len(docs), 1):.0f}%); CPU seconds, median of {args.runs}")
    fast = timed(docs, args.runs)
    with mdaccel.turned_off():
        pure = timed(docs, args.runs)
    print(f"scan with markdown-it-pyrs: {fast:.2f} s")
    print(f"scan with markdown-it-py:   {pure:.2f} s ({pure / fast:.2f}x the time)")
    failed = fuzz(docs, args.fuzz, args.seed) if args.fuzz else 0
    if not args.compare:
        return 1 if failed else 0
    first = [scanned(text, mdx) for _path, text, mdx in docs]
    with mdaccel.turned_off():
        second = [scanned(text, mdx) for _path, text, mdx in docs]
    differ = [path for (path, _text, _mdx), a, b in zip(docs, first, second, strict=True) if a != b]
    print(f"scans differ in {len(differ)} of {len(docs)} docs" + (": " + ", ".join(differ[:10]) if differ else ""))
    return 1 if differ or failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
