"""The README's rule table is generated from the registry and must not drift from it."""

from __future__ import annotations

from pathlib import Path

from conftest import invoke

README = Path(__file__).resolve().parents[1] / "README.md"


def test_rule_table_matches_doclint_rules():
    text = README.read_text(encoding="utf-8")
    start = text.index("<!-- rules-table")
    block = text[text.index("\n", start) + 1 : text.index("<!-- end rules-table -->")]
    assert block == invoke("rules", "--format", "markdown").stdout


def test_readme_first_screen_shows_the_two_commands():
    first_screen = "\n".join(README.read_text(encoding="utf-8").splitlines()[:15])
    assert "make check" in first_screen and "make test" in first_screen
