"""doclint as a real pre-commit hook: `pre-commit try-repo` against this repository."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import GIT_IDENTITY, write_tree

REPO = Path(__file__).resolve().parents[1]
PRE_COMMIT = Path(sys.executable).with_name("pre-commit")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not PRE_COMMIT.exists() or shutil.which("git") is None, reason="pre-commit or git missing"),
]


@pytest.fixture(scope="module")
def hook_home(tmp_path_factory):
    return tmp_path_factory.mktemp("pre-commit-home")


def run(args, cwd, home, check=False):
    env = {**os.environ, **GIT_IDENTITY, "PRE_COMMIT_HOME": str(home), "NO_COLOR": "1"}
    env.pop("GITHUB_ACTIONS", None)
    proc = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=900)
    if check and proc.returncode != 0:
        raise AssertionError(proc.stdout + proc.stderr)
    return proc


def try_repo(project, home):
    return run([str(PRE_COMMIT), "try-repo", str(REPO), "doclint"], project, home)


@pytest.fixture
def project(tmp_path, hook_home):
    root = write_tree(tmp_path / "project", {
        "src/calc.ts": "export function computeTotal(xs: number[]): number {\n  return xs.reduce((a, b) => a + b, 0);\n}\n",
        "docs/calc.md": "# Calc\n\n`computeTotal()` in `src/calc.ts` adds numbers.\n",
    })
    run(["git", "init", "-q"], root, hook_home, check=True)
    run(["git", "add", "-A"], root, hook_home, check=True)
    run(["git", "commit", "-qm", "start"], root, hook_home, check=True)
    return root


def test_clean_tree_passes(project, hook_home):
    (project / "docs/calc.md").write_text("# Calc\n\n`computeTotal()` in `src/calc.ts` sums numbers.\n")
    run(["git", "add", "docs/calc.md"], project, hook_home, check=True)
    proc = try_repo(project, hook_home)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "doclint" in proc.stdout and "Passed" in proc.stdout


def test_staged_doc_with_broken_reference_fails(project, hook_home):
    (project / "docs/calc.md").write_text("# Calc\n\nSee `src/calculator.ts`.\n")
    run(["git", "add", "docs/calc.md"], project, hook_home, check=True)
    proc = try_repo(project, hook_home)
    assert proc.returncode == 1
    assert "docs/calc.md:3:6: DL001 missing-file path `src/calculator.ts` does not exist" in proc.stdout


def test_renaming_a_function_and_staging_only_the_source_fails(project, hook_home):
    source = project / "src/calc.ts"
    source.write_text(source.read_text().replace("computeTotal", "computeSum"))
    run(["git", "add", "src/calc.ts"], project, hook_home, check=True)
    proc = try_repo(project, hook_home)
    assert proc.returncode == 1
    assert "docs/calc.md:3:2: DL004 unknown-symbol `computeTotal` is not declared in `src/calc.ts`" in proc.stdout


def test_a_staged_file_whose_name_starts_with_a_dash(project, hook_home):
    (project / "-notes.md").write_text("# Notes\n\nSee `src/calculator.ts`.\n")
    run(["git", "add", "--", "-notes.md"], project, hook_home, check=True)
    proc = try_repo(project, hook_home)
    assert proc.returncode == 1, proc.stdout
    assert "-notes.md:3:6: DL001 missing-file path `src/calculator.ts` does not exist" in proc.stdout
    assert "No such option" not in proc.stdout



def test_a_staged_cursor_rule_alone_is_checked(project, hook_home):
    rule = project / ".cursor/rules/calc.mdc"
    rule.parent.mkdir(parents=True)
    rule.write_text("---\nglobs: src/**/*.ts\n---\nThe sum lives in `src/calculator.ts`.\n")
    run(["git", "add", ".cursor/rules/calc.mdc"], project, hook_home, check=True)
    proc = try_repo(project, hook_home)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert ".cursor/rules/calc.mdc:4:19: DL001 missing-file path `src/calculator.ts` does not exist" in proc.stdout
