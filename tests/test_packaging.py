"""The built wheel carries the bundled rule packs: install it into a fresh venv and use one."""

from __future__ import annotations

import subprocess
import sys
import venv
from pathlib import Path

from conftest import OSCILLA_TREE, write_tree

REPO = Path(__file__).resolve().parents[1]


def test_wheel_in_a_fresh_venv_finds_the_oscilla_pack(tmp_path):
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(dist), str(REPO)],
                   check=True, capture_output=True, timeout=300)
    [wheel] = dist.glob("doclint-*.whl")
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "-q", str(wheel)], check=True, capture_output=True,
                   timeout=600)
    project = write_tree(tmp_path / "elsewhere", {
        "doclint.toml": 'rules = ["oscilla"]\n',
        **OSCILLA_TREE,
    })
    (project / ".git").mkdir()
    run = subprocess.run([str(env_dir / "bin" / "doclint"), "coverage", "--format", "json"], cwd=project,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert '"name": "step-kind"' in run.stdout and '"documented_pct": 100.0' in run.stdout
