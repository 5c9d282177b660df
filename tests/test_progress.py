"""The progress line: shown on a terminal for long runs, never in pipes, CI or --quiet."""

from __future__ import annotations

import io
import os
import pty
import subprocess
import sys
from pathlib import Path

from doclint.progress import Progress


def test_progress_waits_then_rewrites_one_line_and_erases_it():
    out = io.StringIO()
    progress = Progress(out, delay=0)
    progress.parsed(3, 10)
    progress.checked(10, 10)
    progress.close()
    assert out.getvalue() == ("\r\x1b[2Kdoclint: parsed 3/10 files\r\x1b[2Kdoclint: checked 10/10 docs\r\x1b[2K")
    quiet = io.StringIO()
    slow = Progress(quiet, delay=60)
    slow.parsed(1, 2)
    slow.close()
    assert quiet.getvalue() == ""


def _on_a_terminal(root: Path, *args: str, env: dict) -> str:
    """Run the installed doclint with stderr on a pseudo-terminal; what the terminal saw."""
    leader, follower = pty.openpty()
    command = Path(sys.executable).with_name("doclint")
    proc = subprocess.run([str(command), "check", "--no-cache", *args], cwd=root, stdout=subprocess.DEVNULL,
                          stderr=follower, env=env, timeout=120)
    os.close(follower)
    seen = b""
    try:
        while chunk := os.read(leader, 65536):
            seen += chunk
    except OSError:
        pass
    os.close(leader)
    assert proc.returncode in (0, 1)
    return seen.decode("utf-8", "replace")


def test_a_terminal_sees_progress_and_ci_or_quiet_do_not(repo):
    files = {f"docs/d{i}.md": f"# Doc {i}\n\nCall `executeFrame()` in `src/runtime/executor.ts`.\n" for i in range(400)}
    root = repo(files)
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "GITHUB_ACTIONS")}
    env["DOCLINT_PROGRESS_DELAY"] = "0"
    assert "parsed" in _on_a_terminal(root, env=env)
    assert "parsed" not in _on_a_terminal(root, "--quiet", env=env)
    assert "parsed" not in _on_a_terminal(root, env={**env, "CI": "true"})


def test_a_notice_is_said_once_not_on_every_warm_run(repo):
    from conftest import installed

    root = repo({"doclint.toml": 'docs = ["**/*.md"]\nmax-file-size = 200\n',
                 "docs/big.md": "# Big\n\n" + "word " * 100 + "\n"})
    first = installed(["check"], root)
    assert "docs/big.md" in first.stderr and "max-file-size" in first.stderr
    again = installed(["check"], root)
    assert "docs/big.md" not in again.stderr
    without_cache = installed(["check", "--no-cache"], root)
    assert "docs/big.md" in without_cache.stderr
    assert "docs/big.md" not in installed(["check", "--quiet", "--no-cache"], root).stderr
