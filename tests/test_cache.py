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
