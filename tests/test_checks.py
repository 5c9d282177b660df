"""The check registry: every check declared once, with the codes it reports and what it reads."""

from __future__ import annotations

from dataclasses import replace

from conftest import check_json

from doclint import checks
from doclint.findings import Problem
from doclint.registry import RULES

DOC = (
    "# Runtime\n\n"
    "`src/gone.ts`, `RuntimeState.nope`, `src/runtime/executor.ts:500`, `executFrame()`.\n"
    "[a link](missing.md), [an anchor](#nowhere), `executeFrame` in `src/runtime/executor.ts:1-2`.\n"
)


def test_every_rule_is_reported_by_a_declared_check():
    declared = {code for check in checks.registry() for code in check.codes}
    assert declared == set(RULES) - {"DL015"}  # DL015 (a suppression that suppresses nothing) is the policy's
    names = [check.name for check in checks.registry()]
    assert len(names) == len(set(names))
    waiting = [check.name for check in checks.doc_checks() if check.after_other_docs]
    assert waiting == ["links"]  # the one doc check that needs other docs' anchors runs last


def test_each_check_reports_only_the_codes_it_declares(repo, monkeypatch):
    root = repo({"doclint.toml": 'docs = ["docs/*.md"]\n', "docs/a.md": DOC})
    seen: dict[str, set[str]] = {}

    def spying(check):
        def run(*args):
            for problem in check.run(*args):
                code = problem.code if isinstance(problem, Problem) else problem[1].code  # run checks: (path, problem)
                seen.setdefault(check.name, set()).add(code)
                yield problem
        return replace(check, run=run)

    spied = tuple(spying(check) for check in checks.registry())
    monkeypatch.setattr(checks, "registry", lambda: spied)
    found = check_json(root, "--no-cache").json["findings"]
    assert {f["code"] for f in found} >= {"DL001", "DL003", "DL004", "DL006", "DL007"}
    assert set(seen) >= {"paths", "symbols", "links"}
    for check in spied:
        assert seen.get(check.name, set()) <= set(check.codes), check.name
