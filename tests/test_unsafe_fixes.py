"""Safe fixes (evidence: a git rename, an exact move) apply by default; a fix chosen by a
guess (the one file with the same name) only with --unsafe-fixes."""

from __future__ import annotations

import json

from conftest import git, installed

DOC = "# D\n\nThe runner is `src/old/executor.ts`.\n"


def test_a_guess_is_shown_but_applied_only_when_asked(repo):
    root = repo({"docs/d.md": DOC})
    check = installed(["check"], root)
    assert "[unsafe fix]" in check.stdout and "(0 fixable, 1 more with --unsafe-fixes)" in check.stdout
    data = json.loads(installed(["check", "--format", "json"], root).stdout)
    assert data["findings"][0]["fix"]["applicability"] == "unsafe"

    diff = installed(["fix", "--diff"], root)
    assert diff.stdout == "" and "left out of the diff" in diff.stderr and "src/old/executor.ts" in diff.stderr
    assert installed(["fix"], root).returncode == 1 and (root / "docs/d.md").read_text() == DOC
    assert installed(["check", "--fix"], root).returncode == 1 and (root / "docs/d.md").read_text() == DOC

    shown = installed(["fix", "--diff", "--unsafe-fixes"], root)
    assert "+The runner is `src/runtime/executor.ts`." in shown.stdout and "guesses; check them" in shown.stderr
    assert installed(["fix", "--unsafe-fixes"], root).returncode == 0
    assert (root / "docs/d.md").read_text() == DOC.replace("src/old/", "src/runtime/")


def test_a_rename_git_saw_is_safe(repo):
    root = repo({"docs/d.md": "# D\n\nThe runner is `src/runtime/executor.ts`.\n"})
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "base")
    (root / "src/core").mkdir()
    git(root, "mv", "src/runtime/executor.ts", "src/core/executor.ts")
    git(root, "commit", "-qm", "move")
    data = json.loads(installed(["check", "--format", "json"], root).stdout)
    assert [f["fix"]["applicability"] for f in data["findings"]] == ["safe"]
    assert installed(["fix"], root).returncode == 0
    assert "`src/core/executor.ts`" in (root / "docs/d.md").read_text()
