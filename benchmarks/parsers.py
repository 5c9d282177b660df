#!/usr/bin/env python3
"""markdown-it-py against markdown-it-pyrs on a real tree: how long each takes to parse every
doc, and where their readings of what doclint's scan uses differ (issue 19).

    python benchmarks/parsers.py                          # /work/osc, 3 runs
    python benchmarks/parsers.py --tree DIR --runs 5 --compare

A cold check spends about two thirds of its CPU in markdown-it-py. markdown-it-pyrs (a Rust
port with the same node types) is the candidate accelerator; it is not a dependency, so it
is timed only where it can be imported (`pip install markdown-it-pyrs==0.4.0`). Both parse
each doc after its front matter is set aside, as doclint does, with CommonMark, HTML, tables
and strikethrough. `--compare` extracts from both the raw material of a scan (inline code
spans in order, fences and indented blocks, heading texts, link and image destinations) and
counts the docs where each differs, naming a few: an accelerator may stand in for the stock
parser only where they agree, and must be proven to on every doc it takes.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from doclint.mdrefs import split_front_matter  # noqa: E402
from doclint.tree import text_lines  # noqa: E402

Material = dict[str, list[object]]
_KINDS = ("code spans", "blocks", "headings", "destinations")


def docs_of(tree: Path) -> list[tuple[str, str]]:
    """(path, text without front matter) of every doc under `tree`."""
    texts = []
    for path in sorted(tree.rglob("*.md")):
        if "node_modules" in path.parts or ".git" in path.parts or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        texts.append((path.relative_to(tree).as_posix(), split_front_matter(text, text_lines(text))[0]))
    return texts


def stock() -> Callable[[str], Material]:
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])

    def read(text: str) -> Material:
        found: Material = {kind: [] for kind in _KINDS}
        heading = False
        for token in md.parse(text):
            if token.type in ("fence", "code_block"):
                found["blocks"].append((token.info, token.content))
            heading = {"heading_open": True, "heading_close": False}.get(token.type, heading)
            if token.type != "inline":
                continue
            words = []
            for child in token.children or ():
                if child.type == "code_inline":
                    found["code spans"].append(child.content)
                if child.type in ("text", "code_inline"):
                    words.append(child.content)
                if child.type in ("link_open", "image"):
                    found["destinations"].append(child.attrs.get("href", child.attrs.get("src")))
            if heading:
                found["headings"].append("".join(words))
        return found

    return read


def rust() -> Callable[[str], Material] | None:
    try:
        from markdown_it_pyrs import MarkdownIt  # type: ignore[import-not-found]
    except ImportError:
        return None
    md = MarkdownIt("commonmark").enable("table").enable("strikethrough")

    def words(node: Any) -> str:
        if node.name == "text":
            return str(node.meta.get("content", ""))
        return "".join(words(child) for child in node.children)

    def read(text: str) -> Material:
        found: Material = {kind: [] for kind in _KINDS}
        for node in md.tree(text).walk():
            if node.name in ("fence", "code_block"):
                found["blocks"].append((node.meta.get("info", ""), node.meta.get("content", "")))
            elif node.name == "code_inline":
                found["code spans"].append(words(node))
            elif node.name == "heading":
                found["headings"].append(words(node))
            elif node.name in ("link", "image", "autolink"):
                found["destinations"].append(node.meta.get("url"))
        return found

    return read


def timed(parse: Callable[[str], object], texts: list[str], runs: int) -> float:
    seconds = []
    for _run in range(runs):
        start = time.process_time()
        for text in texts:
            parse(text)
        seconds.append(time.process_time() - start)
    return statistics.median(seconds)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tree", type=Path, default=Path("/work/osc"))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--compare", action="store_true", help="count the docs whose readings differ")
    args = parser.parse_args(argv)
    named = docs_of(args.tree)
    texts = [text for _path, text in named]
    size = sum(len(text.encode()) for text in texts)
    print(f"{len(texts)} docs, {size / 1e6:.1f} MB, CPU seconds, median of {args.runs}")
    from markdown_it import MarkdownIt

    plain = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    python_seconds = timed(plain.parse, texts, args.runs)
    print(f"markdown-it-py tokens:    {python_seconds:.2f} s")
    fast = rust()
    if fast is None:
        print("markdown-it-pyrs:         not installed (pip install markdown-it-pyrs==0.4.0)")
        return 0
    from markdown_it_pyrs import MarkdownIt as RustMarkdownIt

    tree = RustMarkdownIt("commonmark").enable("table").enable("strikethrough").tree
    rust_seconds = timed(tree, texts, args.runs)
    print(f"markdown-it-pyrs trees:   {rust_seconds:.2f} s ({python_seconds / rust_seconds:.1f}x faster)")
    if args.compare:
        ours, theirs = stock(), fast
        differing: dict[str, list[str]] = {kind: [] for kind in _KINDS}
        for path, text in named:
            a, b = ours(text), theirs(text)
            for kind in _KINDS:
                if a[kind] != b[kind]:
                    differing[kind].append(path)
        for kind, paths in differing.items():
            print(f"{kind:13} differ in {len(paths)} of {len(texts)} docs" + (f": {', '.join(paths[:3])}" if paths else ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
