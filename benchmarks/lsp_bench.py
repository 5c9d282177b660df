#!/usr/bin/env python3
"""Benchmark `doclint lsp`: from a didChange to its publishDiagnostics, through a real client.

    python benchmarks/lsp_bench.py                       # scale 16 (480 modules, 1,600 docs), 100 edits
    python benchmarks/lsp_bench.py --scales 1 4 16 --edits 50
    python benchmarks/lsp_bench.py --root /path/to/tree --doc docs/some.md   # a real tree (copied first)

The trees are bench.py's synthetic ones. Each is checked once with `doclint check` (a user
has a cache before opening an editor), then the server is started over stdio by pytest-lsp's
client: start-up (to the initialize response), the first diagnostics of the opened doc, and
for every edit (a changed sentence with a path, a line range, a call and a link, good or
broken) the time from sending didChange to receiving publishDiagnostics for that version,
debounce included. It prints the median and the 90th percentile.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from lsprotocol import types as t
from pygls.protocol import default_converter
from pytest_lsp import LanguageClient, client_capabilities
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import CHILD_ENV, MODULES_PER_SCALE, generate  # noqa: E402

DOCLINT = str(Path(sys.executable).with_name("doclint"))


def edit_line(number: int, modules: int) -> str:
    """The sentence the n-th edit writes: every fourth one breaks a reference."""
    module = number % modules
    broken = number % 4 == 3
    return (f"Edit {number}: `src/engine/module{module}{'-old' if broken else ''}.ts:{1 + number % 30}-"
            f"{5 + number % 30}` runs `runEngine{module}Part{number % 6}()`; see [doc 1](doc1.md#section-1-behaviour).")


async def measure(root: Path, doc: str, edits: int, modules: int) -> dict:
    client = LanguageClient(converter_factory=default_converter)
    arrived: dict[int, float] = {}
    wanted = (root / doc).as_uri()

    def publish(params):
        if params.uri == wanted and params.version is not None:
            arrived[params.version] = time.perf_counter()

    register_lsp_features(client, {**DEFAULT_CLIENT_FEATURES, t.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS: publish,
                                   t.CLIENT_REGISTER_CAPABILITY: lambda _params: None})
    started = time.perf_counter()
    await client.start_io(DOCLINT, "lsp", env=CHILD_ENV)
    await client.initialize_session(t.InitializeParams(capabilities=client_capabilities("visual-studio-code"),
                                                       root_uri=root.as_uri()))
    ready = time.perf_counter() - started

    async def wait_for(version: int) -> float:
        while version not in arrived:
            await asyncio.sleep(0.0005)
        return arrived[version]

    text = (root / doc).read_text(encoding="utf-8")
    sent = time.perf_counter()
    client.text_document_did_open(t.DidOpenTextDocumentParams(t.TextDocumentItem(wanted, "markdown", 1, text)))
    first = await wait_for(1) - sent
    latencies = []
    lines = text.split("\n")
    middle = len(lines) // 2
    for number in range(edits):
        version = number + 2
        edited = "\n".join([*lines[:middle], edit_line(number, modules), *lines[middle:]])
        sent = time.perf_counter()
        client.text_document_did_change(t.DidChangeTextDocumentParams(
            t.VersionedTextDocumentIdentifier(version=version, uri=wanted),
            [t.TextDocumentContentChangeWholeDocument(text=edited)]))
        latencies.append(await wait_for(version) - sent)
        await asyncio.sleep(0.05)  # a pause in typing
    await client.shutdown_session()
    latencies.sort()
    return {"ready": ready, "first": first, "median": statistics.median(latencies),
            "p90": latencies[int(len(latencies) * 0.9) - 1], "max": latencies[-1]}


def prepare(root: Path) -> None:
    """Check once, as a user has before opening the editor: the cache is warm."""
    subprocess.run([DOCLINT, "check", "--root", str(root), "--quiet"], cwd=root, env=CHILD_ENV,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", type=int, nargs="+", default=[16])
    parser.add_argument("--edits", type=int, default=100)
    parser.add_argument("--root", type=Path, help="a real tree to measure instead (copied to a temporary folder)")
    parser.add_argument("--doc", default="docs/doc7.md", help="the doc to edit (root-relative)")
    args = parser.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory(prefix="doclint-lsp-bench-") as folder:
        trees = [(f"{args.root.name}", args.root)] if args.root else [(f"{s}x", s) for s in args.scales]
        for label, source in trees:
            root = Path(folder) / label
            if isinstance(source, Path):
                shutil.copytree(source, root, symlinks=True)
                modules = MODULES_PER_SCALE
            else:
                generate(root, source)
                modules = MODULES_PER_SCALE * source
            prepare(root)
            rows.append((label, asyncio.run(measure(root, args.doc, args.edits, modules))))
    print("tree | start-up s | first diagnostics ms | didChange→publish median ms | p90 ms | max ms")
    print("--- | --- | --- | --- | --- | ---")
    for label, r in rows:
        print(f"{label} | {r['ready']:.2f} | {1000 * r['first']:.1f} | {1000 * r['median']:.1f} | "
              f"{1000 * r['p90']:.1f} | {1000 * r['max']:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
