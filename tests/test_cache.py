"""The cache never changes an answer: every cached run agrees with a --no-cache run."""

from __future__ import annotations

import json
import os
import subprocess

from conftest import DOCLINT, RUNTIME_TS, check_json, installed, write_tree


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


def _checked(root):
    """The installed command's findings, and how many docs it checked rather than took from the cache."""
    run = subprocess.run([str(DOCLINT), "check", "--format", "json"], cwd=root, capture_output=True, text=True,
                         env={**os.environ, "DOCLINT_DEBUG": "1"}, timeout=120)
    fresh = installed(["check", "--format", "json", "--no-cache"], cwd=root)
    line = next(text for text in run.stderr.splitlines() if text.startswith("doclint: debug:"))
    assert json.loads(run.stdout)["findings"] == json.loads(fresh.stdout)["findings"]  # the cache changes nothing
    return int(line.split()[2]), json.loads(run.stdout)["findings"]


def _whole_result_reused(root):
    """Did the installed command take the whole run's stored result (the docs' entries unread)?"""
    run = subprocess.run([str(DOCLINT), "check", "--format", "json"], cwd=root, capture_output=True, text=True,
                         env={**os.environ, "DOCLINT_DEBUG": "1"}, timeout=120)
    line = next(text for text in run.stderr.splitlines() if text.startswith("doclint: debug:"))
    return line.endswith("the whole result came from the cache")


def test_a_changed_source_rechecks_only_the_docs_whose_lookups_it_changes(tmp_path):
    other = "export interface Child {\n  extra: number;\n}\nexport function helper(): void {}\n"
    root = write_tree(tmp_path / "repo", {
        "doclint.toml": 'docs = ["docs/*.md"]\n',
        "src/runtime/executor.ts": RUNTIME_TS,
        "src/runtime/other.ts": other,
        "docs/a.md": "# Runtime\n\n`executeFrame()` runs a frame.\n",
        "docs/b.md": "# Runner\n\n`FrameRunner.run` drives it.\n",
        "docs/c.md": "# Links\n\nSee [the runtime](a.md#runtime).\n",
        "docs/d.md": "# Helper\n\nThe note is `src/runtime/other.ts:5`.\n",
        "docs/e.md": "# Child\n\n`Child` in `src/runtime/other.ts` extends nothing.\n",
    })
    past_the_end = [("docs/d.md", "DL003")]
    checked, found = _checked(root)
    assert checked == 5 and [(f["path"], f["code"]) for f in found] == past_the_end
    assert _checked(root)[0] == 0  # nothing changed: the whole result
    executor = root / "src/runtime/executor.ts"
    executor.write_text(RUNTIME_TS + "// a comment appended\n")
    assert _checked(root)[0] == 0  # no doc's lookup has another answer
    helper = root / "src/runtime/other.ts"
    helper.write_text(other + "// the note\n")
    assert _checked(root) == (1, [])  # d.md asked for the line count, which changed
    executor.write_text(RUNTIME_TS.replace("executeFrame", "runFrame"))
    checked, found = _checked(root)
    assert checked == 1 and [(f["path"], f["code"]) for f in found] == [("docs/a.md", "DL004")]


def test_a_did_you_mean_is_asked_again_only_when_the_declared_names_change(tmp_path):
    """A stored doc result that asked for the closest name holds while the sources declare the
    same names (a comment edited); a new name closer to the word checks the doc again."""
    other = "export function helper(): void {}\n"
    root = write_tree(tmp_path / "repo", {
        "doclint.toml": 'docs = ["docs/*.md"]\n',
        "src/runtime/executor.ts": RUNTIME_TS,
        "src/runtime/other.ts": other,
        "docs/a.md": "# Runtime\n\n`executeFrme()` runs a frame.\n",
    })
    checked, found = _checked(root)
    assert checked == 1 and [(f["code"], f["suggestion"]) for f in found] == [("DL004", "executeFrame")]
    helper = root / "src/runtime/other.ts"
    helper.write_text(other + "// a comment appended\n")
    assert _checked(root)[0] == 0  # the same names: the same suggestion
    helper.write_text(other + "export function executeFrmes(): void {}\n")
    checked, found = _checked(root)
    assert checked == 1 and [(f["code"], f["suggestion"]) for f in found] == [("DL004", "executeFrmes")]


def test_code_outside_the_index_changing_rechecks_only_the_docs_whose_answers_change(tmp_path):
    """A name the code takes from another package is no claim about this repository. A doc that
    asked holds while the same file still answers, whatever else in the code is edited."""
    app = "import { connect } from 'some-client';\nexport function start(): void {\n  connect().refetchAll();\n}\n"
    root = write_tree(tmp_path / "repo", {
        "doclint.toml": 'docs = ["docs/*.md"]\nsources = ["src/runtime/**"]\n',
        "src/runtime/executor.ts": RUNTIME_TS,
        "src/app.ts": app,
        "scripts/tool.ts": "export const unrelated = 1;\n",
        "docs/a.md": "# Client\n\nCall `refetchAll()` after a save.\n",
        "docs/b.md": "# Runtime\n\n`executeFrame()` runs a frame.\n",
    })
    assert _checked(root) == (2, [])
    (root / "scripts/tool.ts").write_text("export const unrelated = 2;\n// edited\n")
    assert _checked(root)[0] == 0  # a.md's question has the same answer
    (root / "src/app.ts").write_text(app + "// a comment appended\n")
    assert _checked(root)[0] == 0  # the same file still answers it
    assert _whole_result_reused(root)  # nothing changed since: the run's stored result, not each doc's
    (root / "src/app.ts").write_text(app.replace("refetchAll", "reload"))
    checked, found = _checked(root)
    assert checked == 1 and [(f["path"], f["code"]) for f in found] == [("docs/a.md", "DL004")]


def test_lookups_asked_again_after_a_source_change_are_not_asked_a_third_time(tmp_path, monkeypatch):
    """Once a run found that a stored doc result's lookups get their answers from the changed
    sources, later runs on the same sources take that as known instead of asking them all again."""
    from doclint import lookups
    from doclint.cli import main

    root = write_tree(tmp_path / "repo", {
        "doclint.toml": 'docs = ["docs/*.md"]\n',
        "src/runtime/executor.ts": RUNTIME_TS,
        "docs/a.md": "# Runtime\n\n`executeFrame()` runs a frame and `FrameRunner.run` drives it.\n",
        "docs/b.md": "# Other\n\nSee [the runtime](a.md#runtime).\n",
    })
    asked: list[int] = []
    real = lookups.still_answered
    monkeypatch.setattr(lookups, "still_answered", lambda *a, **k: asked.append(1) or real(*a, **k))
    monkeypatch.chdir(root)
    assert main(["check", "-q"]) == 0
    (root / "src/runtime/executor.ts").write_text(RUNTIME_TS + "// a comment appended\n")
    (root / "docs/b.md").write_text("# Other\n\nSee [the runtime](a.md#runtime), again.\n")  # no whole-run reuse
    assert main(["check", "-q"]) == 0
    assert asked  # a.md's stored result was checked against the new sources
    asked.clear()
    (root / "docs/b.md").write_text("# Other\n\nSee [the runtime](a.md#runtime), once more.\n")  # new bytes: checked
    assert main(["check", "-q"]) == 0
    assert not asked


def test_did_you_mean_answers_are_kept_under_the_declared_names(tmp_path, monkeypatch):
    """A doc edited and checked again asks its did-you-mean again: with the same declared names
    the kept answer is given, and the names are not indexed for comparing; with a name added the
    kept answer is carried over, the new name compared alone; with the answer gone, all are."""
    from doclint import lookups
    from doclint.cli import main

    root = write_tree(tmp_path / "repo", {
        "doclint.toml": 'docs = ["docs/*.md"]\n',
        "src/runtime/executor.ts": RUNTIME_TS,
        "docs/a.md": "# Runtime\n\n`executeFrme()` runs a frame.\n",
    })
    built: list[int] = []
    real = lookups.Suggestions
    monkeypatch.setattr(lookups, "Suggestions", lambda names: built.append(1) or real(names))
    monkeypatch.chdir(root)

    def suggestion() -> str:
        fresh = installed(["check", "--format", "json", "--no-cache"], cwd=root)
        assert main(["check", "-q"]) == 1
        return json.loads(fresh.stdout)["findings"][0]["suggestion"]

    assert suggestion() == "executeFrame" and built == [1]
    (root / "docs/a.md").write_text("# Runtime\n\nThe frame: `executeFrme()`.\n")
    assert suggestion() == "executeFrame" and built == [1]  # answered from the cache
    (root / "src/runtime/more.ts").write_text("export function executeFrmes(): void {}\n")
    (root / "docs/a.md").write_text("# Runtime\n\n`executeFrme()` runs it.\n")
    assert suggestion() == "executeFrmes" and built == [1]  # the one new name is closer
    assert [f["suggestion"] for f in check_json(root).json["findings"]] == ["executeFrmes"]
    (root / "src/runtime/more.ts").write_text("export function unrelatedHelper(): void {}\n")
    (root / "docs/a.md").write_text("# Runtime\n\n`executeFrme()` runs the frame.\n")
    assert suggestion() == "executeFrame" and built == [1, 1]  # the answer is gone: compared with all
    (root / "src/runtime/more.ts").write_text("export function unrelatedHelper(): void {}\nexport const x = 1;\n")
    (root / "docs/a.md").write_text("# Runtime\n\n`executeFrme()` runs a frame again.\n")
    assert suggestion() == "executeFrame" and built == [1, 1]  # `x` is far from it: carried over


def test_a_run_that_replays_its_stored_result_never_loads_the_index(tmp_path, monkeypatch):
    """The code outside the index is keyed by the sources to be indexed, so replaying a whole
    result reads no source's scan (the index is most of a warm run's work otherwise)."""
    from doclint import tsindex
    from doclint.cli import main

    root = write_tree(tmp_path / "repo", {
        "doclint.toml": 'docs = ["docs/*.md"]\nsources = ["src/runtime/**"]\n',
        "src/runtime/executor.ts": RUNTIME_TS,
        "scripts/tool.ts": "export function helperOutside(): void {}\n",
        "docs/a.md": "# Runtime\n\n`executeFrame()` and `helperOutside()` and `missingThing()`.\n",
    })
    monkeypatch.chdir(root)
    assert main(["check", "-q"]) == 1  # missingThing
    built: list[int] = []
    real = tsindex.SymbolIndex.__init__
    monkeypatch.setattr(tsindex.SymbolIndex, "__init__", lambda self, *a, **k: built.append(1) or real(self, *a, **k))
    assert main(["check", "-q"]) == 1
    assert built == []
    (root / "scripts/tool.ts").write_text("export function helperOutside(): void {}\n// edited\n")
    assert main(["check", "-q"]) == 1  # the code outside changed: the doc's result is checked again
    assert built
