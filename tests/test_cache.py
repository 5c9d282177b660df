"""The cache never changes an answer: every cached run agrees with a --no-cache run."""

from __future__ import annotations

from conftest import check_json


def codes(run):
    return [(f["code"], f["path"], f["line"], f["message"]) for f in run.json["findings"]]


def agree(root):
    cached = check_json(root)
    fresh = check_json(root, "--no-cache")
    assert codes(cached) == codes(fresh)
    return codes(fresh)


def test_cached_runs_follow_every_kind_of_change(repo):
    root = repo({
        "docs/a.md": "# A\n\n## Phase two\n\nCalls `executeFrame()`.\n",
        "docs/b.md": "# B\n\nSee [a](a.md#phase-two) and `src/runtime/executor.ts:24-41`.\n",
        "docs/c.md": "# C\n\nUses `FrameRunner.run`.\n",
    })
    assert agree(root) == []
    assert agree(root) == []  # warm
    (root / "docs/a.md").write_text("# A\n\n## Phase 2\n\nCalls `executeFrame()`.\n")  # b's anchor breaks
    assert [c[:2] for c in agree(root)] == [("DL007", "docs/b.md")]
    source = root / "src/runtime/executor.ts"
    source.write_text(source.read_text().replace("run(steps: Step[])", "walk(steps: Step[])"))  # c breaks
    assert [c[:2] for c in agree(root)] == [("DL007", "docs/b.md"), ("DL004", "docs/c.md")]
    (root / "docs/a.md").write_text("# A\n\n## Phase two\n\nCalls `executeFrame()`.\n")
    assert [c[:2] for c in agree(root)] == [("DL004", "docs/c.md")]
    (root / "docs/c.md").unlink()
    assert agree(root) == []
    (root / "src/runtime/executor.ts").write_text("export const tiny = 1;\n")  # b's range now past the end
    assert ("DL003", "docs/b.md") in [c[:2] for c in agree(root)]


def test_a_parallel_cold_run_agrees_with_a_serial_one(repo):
    """Enough docs for the process pool, which parses the sources first and has docs
    checked while others are still being parsed; links into docs still in flight wait."""
    files = {}
    for n in range(70):
        files[f"docs/d{n}.md"] = (
            f"# Doc {n}\n\n## Part {n % 3}\n\n"
            f"See [next](d{(n + 1) % 70}.md#part-{(n + 1) % 3}), [far](d{(n * 7) % 70}.md#part-{n % 5}) "
            f"and [gone](missing{n}.md).\n\n"
            f"Runs `executeFrame()` in `src/runtime/executor.ts:24-41`; also `FrameRunner.rum` and `src/old{n}.ts`.\n"
        )
    for n in range(5):  # same bytes as another doc: parsed once, reported in both
        files[f"docs/copies/d{n}.md"] = files[f"docs/d{n}.md"].replace("](d", "](../d")
        files[f"docs/twin{n}.md"] = files[f"docs/d{n}.md"]
    root = repo(files)
    serial = check_json(root, "--no-cache", "--jobs", "1")
    parallel = check_json(root, "--jobs", "2")  # cold: the cache is empty
    assert codes(parallel) == codes(serial)
    found = {c[0] for c in codes(serial)}
    assert {"DL001", "DL004", "DL006", "DL007"} <= found
    assert parallel.json["summary"] == serial.json["summary"]
    twins = [c[1:] for c in codes(parallel) if c[1].startswith("docs/twin0")]
    assert twins and [(p.replace("twin0", "d0"), *rest) for p, *rest in twins] == \
        [c[1:] for c in codes(parallel) if c[1] == "docs/d0.md"]


def test_a_file_outside_the_sources_that_a_doc_reads_is_followed(repo):
    """Line counts and excerpts of files that are neither indexed sources nor docs: a cached
    whole result must notice when they change."""
    root = repo({
        "scripts/build.py": "import sys\nprint(sys.argv)\n",
        "docs/a.md": "Build: `scripts/build.py:2`.\n\n```py excerpt=scripts/build.py:1-2\nimport sys\nprint(sys.argv)\n```\n",
    })
    assert agree(root) == []
    assert agree(root) == []  # warm
    (root / "scripts/build.py").write_text("print('one line')\n")
    assert sorted(c[0] for c in agree(root)) == ["DL003", "DL003"]
