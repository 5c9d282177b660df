"""`doclint check --since REF` on real git histories, through the installed command."""

from __future__ import annotations

import json
import subprocess

from conftest import git, installed, write_tree

DOC = """\
# Guide

Each frame runs `executeFrame()`.

The runner is `FrameRunner.run()`, at `src/runtime/executor.ts:47-50`.

Old notes live in `src/runtime/gone.ts`.
"""


def _repo(repo):
    root = repo({"docs/guide.md": DOC})
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "base")
    return root


def _since(root, ref, *more):
    run = installed(["check", "--format", "json", "--since", ref, *more], root)
    assert "Traceback" not in run.stderr, run.stderr
    return run


def test_only_the_branch_s_new_problems(repo):
    root = _repo(repo)
    everything = installed(["check", "--format", "json"], root)
    assert [f["target"] for f in json.loads(everything.stdout)["findings"]] == ["src/runtime/gone.ts"]
    assert _since(root, "main").returncode == 0  # the old problem is not this branch's

    git(root, "checkout", "-qb", "feature")
    # A new broken reference on a new line, and an edit that breaks an untouched line.
    (root / "docs/guide.md").write_text(DOC + "\nSee `src/runtime/missing.ts`.\n")
    source = root / "src/runtime/executor.ts"
    source.write_text(source.read_text().replace("executeFrame", "runFrame"))
    git(root, "commit", "-qam", "feature work")
    run = _since(root, "main")
    data = json.loads(run.stdout)
    found = sorted((f["code"], f["line"], f["target"]) for f in data["findings"])
    assert run.returncode == 1
    assert ("DL001", 9, "src/runtime/missing.ts") in found
    assert any(code == "DL004" and line == 3 for code, line, _ in found)  # broken by the source change
    assert not any(target == "src/runtime/gone.ts" for *_, target in found)
    text = installed(["check", "--since", "main"], root)
    assert "from before main not shown" in text.stdout


def test_uncommitted_and_untracked_docs_count_as_changed(repo):
    root = _repo(repo)
    write_tree(root, {"docs/new.md": "# New\n\nSee `src/runtime/gone.ts`.\n"})
    run = _since(root, "HEAD")
    assert run.returncode == 1 and [f["path"] for f in json.loads(run.stdout)["findings"]] == ["docs/new.md"]


def test_moved_lines_count_only_when_the_file_changed_since(repo):
    root = _repo(repo)
    source = root / "src/runtime/executor.ts"
    source.write_text("// one\n// two\n// three\n" + source.read_text())
    git(root, "commit", "-qam", "lines move before the branch")
    git(root, "checkout", "-qb", "feature")
    # Drift older than the branch: not this branch's.
    assert installed(["check"], root).returncode == 1
    assert _since(root, "main").returncode == 0
    # Drift the branch causes: reported.
    source.write_text("// four\n" + source.read_text())
    git(root, "commit", "-qam", "more lines")
    run = _since(root, "main")
    assert run.returncode == 1
    assert {f["code"] for f in json.loads(run.stdout)["findings"]} == {"DL003"}


def test_unknown_revision_and_shallow_clone_say_why(repo, tmp_path):
    root = _repo(repo)
    bad = _since(root, "no-such-branch")
    assert bad.returncode == 2 and "no-such-branch is not a commit" in bad.stderr
    assert _since(root, "--output=x").returncode == 2
    for n in range(3):
        (root / "docs/guide.md").write_text(DOC + f"\nEdit {n}.\n")
        git(root, "commit", "-qam", f"edit {n}")
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{root}", str(clone)], check=True)
    far = _since(clone, git(root, "rev-list", "--max-parents=0", "HEAD").strip())
    assert far.returncode == 2 and "shallow clone" in far.stderr
    near = _since(clone, "HEAD")
    assert near.returncode == 0, near.stderr

    plain = tmp_path / "plain"
    write_tree(plain, {"doclint.toml": "", "a.md": "# A\n"})
    outside = _since(plain, "HEAD")
    assert outside.returncode == 2 and "git repository" in outside.stderr


def test_a_rule_pack_the_older_tree_does_not_fit_judges_only_this_tree(repo):
    root = _repo(repo)
    git(root, "checkout", "-qb", "feature")
    # the branch adds the union, the pack that declares it and a doc that forgets a member
    write_tree(root, {
        "doclint.toml": 'docs = ["**/*.md"]\nrules = ["rules/tools.toml"]\n',
        "rules/tools.toml": '[pack]\nname = "tools"\n\n[[union]]\nname = "tool"\nfile = "src/tools.ts"\n'
                            'type = "Tool"\ndocs = ["docs/tools.md"]\n',
        "src/tools.ts": "export type Tool = { kind: 'pen' } | { kind: 'eraser' };\n",
        "docs/tools.md": "# Tools\n\nThe `pen`.\n",
    })
    git(root, "add", "-A")
    git(root, "commit", "-qm", "tools")
    run = _since(root, "main")
    assert run.returncode == 1, run.stderr
    assert [(f["code"], f["path"], f["target"]) for f in json.loads(run.stdout)["findings"]] == [
        ("DL011", "docs/tools.md", "eraser")]
