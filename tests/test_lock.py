"""The lock: replaying checks without the sources, and code-drift (DL013) with them."""

from __future__ import annotations

import shutil

from conftest import check_json, git, invoke, write_tree

DOC = (
    "# Runtime\n\n"
    "`executeFrame()` in `src/runtime/executor.ts` runs a frame; `RuntimeState.eventScalars` holds events.\n"
    "The loop is `src/runtime/executor.ts:24-41`; `FrameRunner.run` drives it.\n"
    "Broken: `src/gone.ts`, `RuntimeState.nope`, [anchor](#nowhere).\n"
)


def make_docs_repo(repo):
    root = repo({"doclint.toml": 'docs = ["docs/**/*.md"]\nlock = "doclint.lock"\n', "docs/runtime.md": DOC})
    return root


def test_lock_then_check_without_sources_gives_the_same_findings(repo):
    root = make_docs_repo(repo)
    live = check_json(root).json
    assert invoke("lock", "--root", str(root)).exit_code == 0
    shutil.rmtree(root / "src")
    replayed = check_json(root).json
    strip = lambda findings: [(f["code"], f["line"], f["column"], f["message"]) for f in findings]  # noqa: E731
    assert strip(replayed["findings"]) == strip(live["findings"])
    assert [f["code"] for f in live["findings"]] == ["DL001", "DL004", "DL007"]
    assert replayed["summary"]["lock"] == "checked against doclint.lock, sources absent"
    text = invoke("check", "--root", str(root)).stdout
    assert text.rstrip().endswith("(0 fixable); checked against doclint.lock, sources absent")


def test_replay_reports_what_broke_in_the_doc_since_the_lock(repo):
    root = make_docs_repo(repo)
    invoke("lock", "--root", str(root))
    shutil.rmtree(root / "src")
    (root / "docs/runtime.md").write_text(
        DOC + "Also `executeFrame` in `src/runtime/executor.ts:90-95` and `FrameRunner.walk`.\n")
    codes = [(f["code"], f["line"]) for f in check_json(root).json["findings"]]
    assert ("DL003", 6) in codes and ("DL004", 6) in codes


def test_code_drift_since_the_lock(repo):
    root = make_docs_repo(repo)
    invoke("lock", "--root", str(root))
    assert [f["code"] for f in check_json(root).json["findings"]] == ["DL001", "DL004", "DL007"]
    source = root / "src/runtime/executor.ts"
    source.write_text(source.read_text().replace("// Phase 2: writes", "// Phase 2: all writes, after every read"))
    found = check_json(root).json["findings"]
    drift = [(f["line"], f["severity"], f["message"]) for f in found if f["code"] == "DL013"]
    assert [(line, severity) for line, severity, _ in drift] == [(3, "warning"), (4, "warning")]
    assert "`executeFrame` in `src/runtime/executor.ts` changed since the lock" in drift[0][2]
    assert "lines 24-41 of `src/runtime/executor.ts` changed" in drift[1][2]
    invoke("lock", "--root", str(root))
    assert [f["code"] for f in check_json(root).json["findings"]] == ["DL001", "DL004", "DL007"]


def test_lock_is_deterministic_and_sorted(repo):
    root = make_docs_repo(repo)
    invoke("lock", "--root", str(root))
    first = (root / "doclint.lock").read_bytes()
    invoke("lock", "--root", str(root))
    assert (root / "doclint.lock").read_bytes() == first
    assert b'"executeFrame"' in first and first.endswith(b"}\n")


def test_bad_lock_and_missing_sources_exit_2(repo, tmp_path):
    root = make_docs_repo(repo)
    (root / "doclint.lock").write_text("{not json")
    run = check_json(root)
    assert run.exit_code == 2 and "doclint.lock" in run.stderr and "not valid JSON" in run.stderr
    empty = write_tree(tmp_path / "empty", {"doclint.toml": "", "a.md": "x\n"})
    run = invoke("lock", "--root", str(empty))
    assert run.exit_code == 2 and "needs the sources" in run.stderr


def test_git_and_the_lock_report_one_drift_per_place(repo):
    root = make_docs_repo(repo)
    invoke("lock", "--root", str(root))
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "docs, lock, code")
    source = root / "src/runtime/executor.ts"
    source.write_text(source.read_text().replace("// Phase 2: writes", "// Phase 2: all writes, after every read"))
    git(root, "commit", "-q", "-am", "reword a comment")
    drift = [(f["line"], f["column"]) for f in check_json(root, "--no-cache").json["findings"] if f["code"] == "DL013"]
    assert drift and len(drift) == len(set(drift))
