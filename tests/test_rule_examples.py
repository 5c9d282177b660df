"""Every rule's failing and passing example, as `doclint explain` shows them, run as tests.

Each example is written into the example repository (tests/fixtures/rule-examples) where its
rule's `Setting` says, and the installed `doclint check` runs on it: the failing example must
give exactly its rule's one finding, the passing example none. The registry is enumerated,
so a rule added without examples that do what they say fails here.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import git, installed
from doclint.registry import RULES, Rule

EXAMPLE_REPOSITORY = Path(__file__).parent / "fixtures" / "rule-examples"


def run_example(tmp_path: Path, rule: Rule, text: str) -> list[tuple[str, str, int]]:
    root = tmp_path / "repo"
    shutil.copytree(EXAMPLE_REPOSITORY, root)
    setting = rule.setting
    if setting.committed_after:
        git(root, "init", "-q")
        git(root, "add", "-A")
        git(root, "commit", "-qm", "the example repository")
    (root / setting.file).parent.mkdir(parents=True, exist_ok=True)
    (root / setting.file).write_text(text + "\n", encoding="utf-8")
    if setting.committed_after:
        git(root, "add", "-A")
        git(root, "commit", "-qm", "the example", "--allow-empty")
    run = installed(["check", "--no-cache", "--format", "json", *setting.options], root)
    assert run.returncode in (0, 1), run.stderr
    return [(f["code"], f["path"], f["line"]) for f in json.loads(run.stdout)["findings"]]


@pytest.mark.parametrize("code", sorted(RULES))
def test_failing_example_gives_exactly_its_finding(tmp_path, code):
    rule = RULES[code]
    found = run_example(tmp_path, rule, rule.failing)
    assert [c for c, _path, _line in found] == [code], found


@pytest.mark.parametrize("code", sorted(RULES))
def test_passing_example_gives_nothing(tmp_path, code):
    rule = RULES[code]
    assert run_example(tmp_path, rule, rule.passing) == []


def test_the_example_repository_is_clean_and_every_listed_rule_has_examples(tmp_path):
    root = shutil.copytree(EXAMPLE_REPOSITORY, tmp_path / "repo")
    run = installed(["check", "--no-cache", "--format", "json", "--strict"], root)
    assert (run.returncode, json.loads(run.stdout)["findings"]) == (0, [])
    listed = [line.split()[0] for line in installed(["rules"], tmp_path).stdout.splitlines()]
    assert listed == sorted(RULES)  # what `doclint rules` lists is what the tests above ran
    for rule in RULES.values():
        assert rule.failing.strip() and rule.passing.strip() and rule.failing != rule.passing, rule.code
