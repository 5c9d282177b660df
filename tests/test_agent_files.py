"""Every agent-instruction format is checked wherever it is; rule files' front matter is
YAML, not Markdown, and the file patterns it names must match something."""

from __future__ import annotations

import json

import pytest

from conftest import installed

BROKEN = "Read `src/runtime/gone.ts` first.\n"

AGENT_FILES = [
    "CLAUDE.md", "CLAUDE.local.md", "AGENTS.md", "GEMINI.md", "packages/app/AGENTS.md",
    ".github/copilot-instructions.md", ".github/instructions/ts.instructions.md",
    ".cursor/rules/style.mdc", ".cursor/rules/nested/more.md", ".cursorrules", ".clinerules",
    ".windsurfrules", ".windsurf/rules/a.md", ".continue/rules/a.md", ".roo/rules/a.md",
    ".roo/rules-code/a.md", ".claude/commands/review.md",
]


@pytest.mark.parametrize("path", AGENT_FILES)
def test_each_agent_format_is_checked_even_when_docs_select_nothing(repo, path):
    root = repo({"doclint.toml": 'docs = ["docs/**/*.md"]\n', path: BROKEN})
    run = installed(["check", "--format", "json"], root)
    assert run.returncode == 1, run.stderr
    assert [(f["path"], f["target"]) for f in json.loads(run.stdout)["findings"]] == [(path, "src/runtime/gone.ts")]


def test_a_clinerules_folder_is_read_too(repo):
    root = repo({".clinerules/01-style.md": BROKEN, ".clinerules/notes.bin": b"\x00\x01"})
    run = installed(["check", "--format", "json"], root)
    assert [f["path"] for f in json.loads(run.stdout)["findings"]] == [".clinerules/01-style.md"]


RULE = """\
---
description: Runtime rules
globs: src/runtime/**/*.ts, src/gone/**/*.ts
alwaysApply: false
---
Call `executeFrame()`.
"""


def test_front_matter_is_not_markdown_and_its_patterns_must_match(repo):
    root = repo({".cursor/rules/runtime.mdc": RULE})
    run = installed(["check", "--format", "json"], root)
    findings = json.loads(run.stdout)["findings"]
    assert [(f["code"], f["line"], f["column"], f["target"]) for f in findings] == \
        [("DL001", 3, 29, "src/gone/**/*.ts")]


@pytest.mark.parametrize("front, bad", [
    ('applyTo: "**/*.ts"\n', []),
    ('applyTo: "**/*.{ts,tsx}"\n', []),
    ('applyTo: "*.ts"\n', []),
    ("applyTo: '**/*.vue'\n", ["**/*.vue"]),
    ("globs:\n  - src/runtime/*.ts\n  - \"lib/**\"\n", ["lib/**"]),
    ("globs: [\"src/**\", \"!src/runtime/**\"]\n", []),
])
def test_pattern_forms(repo, front, bad):
    root = repo({".github/instructions/x.instructions.md": f"---\n{front}---\n# X\n"})
    run = installed(["check", "--format", "json"], root)
    assert [f["target"] for f in json.loads(run.stdout)["findings"]] == bad


def test_a_heading_inside_front_matter_is_not_an_anchor(repo):
    root = repo({
        "docs/rule.md": "---\ntitle: Setup\n---\n# Real\n",
        "docs/index.md": "See [setup](rule.md#title-setup) and [real](rule.md#real).\n",
    })
    run = installed(["check", "--format", "json"], root)
    assert [(f["code"], f["target"]) for f in json.loads(run.stdout)["findings"]] == \
        [("DL007", "docs/rule.md#title-setup")]
