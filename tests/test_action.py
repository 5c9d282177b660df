"""The composite GitHub Action is well-formed and runs the documented command."""

from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def test_action_is_a_composite_that_installs_this_checkout_and_checks():
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    assert action["runs"]["using"] == "composite"
    assert set(action["inputs"]) == {"args", "since", "coverage", "python-version"}
    steps = action["runs"]["steps"]
    assert all("shell" in step for step in steps if "run" in step)
    commands = "\n".join(step.get("run", "") for step in steps)
    assert '"${{ github.action_path }}"' in commands
    assert "doclint check --format github" in commands and '--since "$DOCLINT_SINCE"' in commands
    assert any(step.get("if") == "inputs.coverage == 'true'" for step in steps)


def test_the_check_step_runs_doclint_with_the_inputs(repo):
    import os
    import subprocess
    import sys

    from conftest import git

    root = repo({"docs/a.md": "See `src/runtime/gone.ts`.\n"})
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "base")
    step = next(s for s in yaml.safe_load((ROOT / "action.yml").read_text())["runs"]["steps"]
                if s.get("name") == "doclint check")
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    env.pop("GITHUB_ACTIONS", None)

    def run(since: str, args: str) -> subprocess.CompletedProcess:
        return subprocess.run(["bash", "-c", step["run"]], cwd=root, capture_output=True, text=True,
                              env={**env, "DOCLINT_SINCE": since, "DOCLINT_ARGS": args}, timeout=120)

    everything = run("", "")
    assert everything.returncode == 1 and "::error file=docs/a.md" in everything.stdout
    assert run("HEAD", "").returncode == 0  # nothing new since HEAD
    assert run("", "--exit-zero").returncode == 0
