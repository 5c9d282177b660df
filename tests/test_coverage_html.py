"""The HTML coverage page, rendered by a real headless Chromium when one is installed."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from conftest import invoke
from test_packs import fixture

BROWSER = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


def chromium(*args: str, profile) -> subprocess.CompletedProcess:
    return subprocess.run(
        [BROWSER, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={profile}", *args],
        capture_output=True, text=True, timeout=90,
    )


@pytest.mark.skipif(BROWSER is None, reason="no Chromium installed (Debian package `chromium`)")
def test_html_report_renders_in_chromium(tmp_path):
    root = fixture(tmp_path, doc="# Model\n\nOnly `read` and `UnitDelay`.\n")
    page = root / "coverage.html"
    assert invoke("coverage", "--root", str(root), "--format", "html", "--output", str(page)).exit_code == 0
    dom = chromium("--dump-dom", page.as_uri(), profile=tmp_path / "profile").stdout
    assert "doclint coverage" in dom and "✗</span>missing" in dom and "✓</span>yes" in dom
    # the headline counts what the step-kind table counts, and names the sets it leaves out
    assert "<h1>doclint coverage: 33.3% of members documented</h1>" in dom
    assert "(union, 3 members, 33.3% documented in docs/model.md)" in dom
    assert ("1 of 3 members of step-kind; no docs configured, not counted: mode (2 members), "
            "block-type (2 members).") in dom
    assert "(domain, 2 members, no docs configured: not counted)" in dom
    assert dom.count("no docs configured</td>") == 4 and dom.count("✗</span>missing") == 3
    shot = tmp_path / "coverage.png"
    chromium("--window-size=1200,800", f"--screenshot={shot}", page.as_uri(), profile=tmp_path / "profile")
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000
