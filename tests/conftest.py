"""Fixture repositories built in tmp_path, and ways to run doclint on them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from doclint.cli import cli

# A small runtime in our own TypeScript: enough declarations to exercise every lookup.
RUNTIME_TS = """\
/** Frame execution for the fixture runtime. */
import { clamp } from 'mathlib';

export interface RuntimeState {
  values: Float64Array;
  eventScalars: Uint8Array;
  readonly frameId: number;
}

export type StepKind = 'evalSig' | 'stateWrite';

export interface StepEvalSig {
  readonly kind: 'evalSig';
  readonly target: number;
}

export interface StepStateWrite {
  readonly kind: 'stateWrite';
  readonly slot: number;
}

export type Step = StepEvalSig | StepStateWrite;

export function executeFrame(steps: Step[], state: RuntimeState): void {
  // Phase 1: reads
  for (const step of steps) {
    switch (step.kind) {
      case 'evalSig':
        state.values[step.target] = clamp(1, 0, 2);
        break;
      case 'stateWrite':
        break;
    }
  }
  // Phase 2: writes
  for (const step of steps) {
    if (step.kind === 'stateWrite') {
      state.values[step.slot] = 0;
    }
  }
}

export class FrameRunner {
  private frames = 0;
  constructor(private readonly state: RuntimeState) {}

  run(steps: Step[]): void {
    this.frames += 1;
    executeFrame(steps, this.state);
  }
}

export enum Phase {
  Read,
  Write = 'write',
}

export const DEFAULT_BUDGET = 16;
"""


GIT_IDENTITY = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t"}


def git(root: Path, *args: str) -> str:
    """Run git in `root` with a fixed identity; fail the test if it fails."""
    return subprocess.run(["git", *args], cwd=root, env={**os.environ, **GIT_IDENTITY}, check=True,
                          capture_output=True, text=True).stdout


def write_tree(root: Path, files: dict[str, str | bytes]) -> Path:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content) if content.startswith("\n") else content, encoding="utf-8")
    return root


@pytest.fixture
def repo(tmp_path: Path):
    """A function that writes a fixture repository: the runtime source plus the given files."""

    def make(files: dict[str, str | bytes] | None = None, with_runtime: bool = True) -> Path:
        base: dict[str, str | bytes] = {"doclint.toml": 'docs = ["**/*.md"]\n'}
        if with_runtime:
            base["src/runtime/executor.ts"] = RUNTIME_TS
        base.update(files or {})
        return write_tree(tmp_path / "repo", base)

    return make


class Run:
    def __init__(self, exit_code: int, stdout: str, stderr: str):
        self.exit_code, self.stdout, self.stderr = exit_code, stdout, stderr

    @property
    def json(self) -> dict:
        return json.loads(self.stdout)

    def codes(self) -> list[tuple[str, str, int]]:
        """(code, path, line) of every finding, from the JSON output."""
        return [(f["code"], f["path"], f["line"]) for f in self.json["findings"]]


def invoke(*args: str, env: dict | None = None) -> Run:
    """Run the CLI in-process through click's CliRunner."""
    result = CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)
    code = result.return_value if isinstance(result.return_value, int) else result.exit_code
    return Run(code, result.stdout, result.stderr)


def doclint(root: Path, *args: str, env: dict | None = None) -> Run:
    """`doclint check --root ROOT ARGS...`, in-process."""
    return invoke("check", "--root", str(root), *args, env=env)


def check_json(root: Path, *args: str) -> Run:
    return doclint(root, "--format", "json", *args)


def run_subprocess(args: list[str], cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    full_env = {**os.environ, **(env or {})}
    full_env.pop("GITHUB_ACTIONS", None)
    return subprocess.run([sys.executable, "-m", "doclint", *args], cwd=cwd, env=full_env,
                          capture_output=True, text=True, timeout=120)


DOCLINT = Path(sys.executable).with_name("doclint")  # the console script pip installed


def installed(args: list[str], cwd: Path, env: dict | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    """Run the installed `doclint` command (not `python -m doclint`), as users and pre-commit do."""
    full_env = {**os.environ, **(env or {})}
    full_env.pop("GITHUB_ACTIONS", None)
    full_env.pop("DOCLINT_DEBUG", None)
    return subprocess.run([str(DOCLINT), *args], cwd=cwd, env=full_env, capture_output=True, text=True,
                          timeout=timeout)
