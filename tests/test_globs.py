"""Globs: what each form matches. That matching takes linear time is tests/test_hostile.py's part."""

from __future__ import annotations

import pytest

from doclint.globs import GlobError, GlobSet

CASES = [
    ("docs/**/*.md", "docs/a.md", True), ("docs/**/*.md", "docs/x/y/a.md", True), ("docs/**/*.md", "a.md", False),
    ("*.md", "a.md", True), ("*.md", "d/a.md", False), ("**/node_modules/**", "node_modules", True),
    ("**/node_modules/**", "a/node_modules/b/c.js", True), ("**/node_modules/**", "a/node_modulesx", False),
    ("dist/**", "dist", True), ("dist/**", "dist/a/b", True), ("dist/**", "distx", False),
    ("a/**/b", "a/b", True), ("a/**/b", "a/x/y/b", True), ("a?.md", "ab.md", True), ("a?.md", "a/.md", False),
    ("[!a]*.md", "b.md", True), ("[!a]*.md", "a.md", False), ("[ab].md", "b.md", True),
    ("a b+(c).md", "a b+(c).md", True), ("a b+(c).md", "a bb(c).md", False),
    # a run of three or more stars is `**`
    ("***/x", "x", True), ("***/x", "a/b/x", True), ("***.md", "a/b.md", True), ("*" * 1000 + ".md", "a/b.md", True),
]


@pytest.mark.parametrize(("pattern", "path", "expected"), CASES)
def test_glob_forms(pattern, path, expected):
    assert GlobSet([pattern]).match(path) is expected


def test_a_set_matches_when_any_pattern_does():
    agents = GlobSet(["**/CLAUDE.md", "**/AGENTS.md", "**/.claude/**/*.md"])
    assert [agents.match(p) for p in ("CLAUDE.md", "x/AGENTS.md", ".claude/r/a.md", "README.md")] == \
        [True, True, True, False]
    assert not GlobSet([]).match("a.md")


@pytest.mark.parametrize("pattern", ["docs/[abc.md", "/abs/*.md", "a\\b.md", "[z-a].md"])
def test_invalid_globs(pattern):
    with pytest.raises(GlobError):
        GlobSet([pattern])

