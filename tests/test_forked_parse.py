"""After an edit, the few files to parse are parsed by one forked process while the cached
scans are decoded (`scanning._parse_forked`): the same scans, and nothing left behind."""

from __future__ import annotations

import json
import os

import pytest
from conftest import installed, write_tree

from doclint import scanning
from doclint.cache import Cache
from doclint.scanning import ALONGSIDE, Hashed, Request, load_many

MODULES = ALONGSIDE + 6


def _tree(tmp_path):
    files = {"doclint.toml": 'docs = ["docs/*.md"]\n'}
    for n in range(MODULES):
        files[f"src/m{n}.ts"] = f"export function helper{n}(x: number): number {{\n  return x + {n};\n}}\n"
    files["docs/a.md"] = "# A\n\nCalls `helper3()` and `helper99()`.\n\n## Where\n\nLine `src/m2.ts:2`.\n"
    files["docs/b.md"] = "# B\n\nSee [a](a.md#a).\n"
    return write_tree(tmp_path / "repo", files)


def _same_as_no_cache(root):
    cached = installed(["check", "--format", "json"], cwd=root)
    fresh = installed(["check", "--format", "json", "--no-cache"], cwd=root)
    assert json.loads(cached.stdout)["findings"] == json.loads(fresh.stdout)["findings"]
    return [(f["path"], f["code"]) for f in json.loads(cached.stdout)["findings"]]


def test_a_run_after_an_edit_parses_in_a_forked_process_and_agrees(tmp_path, monkeypatch):
    root = _tree(tmp_path)
    assert _same_as_no_cache(root) == [("docs/a.md", "DL004")]
    (root / "docs/a.md").write_text("# A\n\nCalls `helper3()` and `helper4()`.\n\n## Where\n\nLine `src/m2.ts:9`.\n")
    assert _same_as_no_cache(root) == [("docs/a.md", "DL003")]
    (root / "src/m2.ts").write_text("export function helper2(x: number): number {\n  return x;\n}\n// more\n\n\n\n\n\n")
    assert _same_as_no_cache(root) == []
    forked: list[int] = []  # in process: the fork is what runs, and its scans are the ones used
    real = scanning._parse_forked
    monkeypatch.setattr(scanning, "_parse_forked", lambda misses, budget: forked.append(len(misses)) or
                        real(misses, budget))
    (root / "src/m5.ts").write_text("export function helper5b(): void {}\n")
    requests = [_request(root)]
    scans = load_many(requests, Cache(root), jobs=2)[0]
    assert forked == [1] and [s.name for s in scans["src/m5.ts"].symbols] == ["helper5b"]
    assert len(scans) == MODULES


def _request(root):
    from doclint.cache import Cache

    hashed = {}
    cache = Cache(root)
    for n in range(MODULES):
        path = f"src/m{n}.ts"
        found = cache.file_sha(str(root / path))
        assert found is not None
        hashed[path] = Hashed(found[0], found[1], False)
    return Request("ts", str(root), hashed)


def test_a_child_that_gives_back_nothing_is_parsed_here(tmp_path, monkeypatch):
    """A child that dies (here: its parse raises) writes nothing: the parent parses instead."""
    parent = os.getpid()
    real = scanning._scan_batch

    def failing_in_child(items, keep=True, budget=0):
        if os.getpid() != parent:
            raise MemoryError("the child ran out")
        return real(items, keep, budget)

    monkeypatch.setattr(scanning, "_scan_batch", failing_in_child)
    misses = [(0, "ts", "a.ts", b"export const one = 1;\n", False)]
    batches = [batch for batch in scanning._parse_forked(misses, 0) if batch is not None]
    assert [[(n, p, s.symbols[0].name) for n, p, _t, s in batch] for batch in batches] == [[(0, "a.ts", "one")]]
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # the child was reaped


def test_a_run_that_stops_early_ends_the_child(tmp_path):
    misses = [(0, "md", f"d{n}.md", b"# Title\n\nText with `code`.\n" * 200, False) for n in range(20)]
    parsing = scanning._parse_forked(misses, 0)
    assert next(parsing) is None  # the child is parsing
    parsing.close()  # as when the rule packs stop the run
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)


def test_a_forked_parse_gives_the_scans_a_parse_here_gives():
    misses = [(0, "ts", "a.ts", b"export class A { run(): void {} }\n", False),
              (1, "md", "d.md", b"# D\n\nSee `A.run` in [a](a.md#x).\n", False)]
    here = scanning._scan_batch(misses, True, 0)
    there = [batch for batch in scanning._parse_forked(misses, 0) if batch is not None]
    assert [(n, p, t) for n, p, t, _s in there[0]] == [(n, p, t) for n, p, t, _s in here]
    assert all(scan is None for _n, _p, _t, scan in there[0])  # texts from the child, not parsed here
