"""What a run reports of what the checks found: the rules selected, each finding's severity
from the config, suppression comments (in docs and in sources), the baseline, and one
finding per rule and place. The checks only yield problems; this decides what is said."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from doclint import baseline
from doclint.checks import comments
from doclint.config import Config
from doclint.confine import inside_root
from doclint.errors import DoclintError
from doclint.findings import Finding, Problem, Span
from doclint.mdrefs import Suppression
from doclint.registry import RULES, lookup
from doclint.tsindex import FileScan
from doclint.workspace import Workspace

if TYPE_CHECKING:
    from doclint.linter import Result


def parse_rule_list(values: tuple[str, ...], option: str) -> set[str]:
    codes: set[str] = set()
    for value in values:
        for item in value.split(","):
            if not item.strip():
                continue
            rule = lookup(item)
            if rule is None:
                raise DoclintError(f"{option}: unknown rule '{item.strip()}' (see `doclint rules`)")
            codes.add(rule.code)
    return codes


def accepted_findings(ws: Workspace) -> Counter[baseline.Key] | None:
    """The accepted findings of the configured baseline (or of doclint-baseline.json, if present)."""
    configured = ws.config.baseline
    path = baseline_path(ws.root, ws.config)
    if not path.is_file():
        if configured:
            raise DoclintError(f"baseline file not found: {configured} (create it with `doclint baseline`)")
        return None
    return baseline.read(path, configured or baseline.DEFAULT_BASELINE)


def baseline_path(root: Path, config: Config) -> Path:
    """The baseline's real path, inside the root (or the run stops)."""
    if config.baseline:
        return inside_root(root, config.baseline, config.where, "baseline")
    return inside_root(root, baseline.DEFAULT_BASELINE, baseline.DEFAULT_BASELINE)


def without_baselined(result: Result, accepted: Counter[baseline.Key] | None) -> Result:
    if not accepted:
        return result
    kept, covered = baseline.split(result.findings, baseline.keys_of(result.root, result.findings), accepted)
    result.findings, result.baselined = kept, covered
    return result


# A finding from git history says more than the same span's finding from the tree alone.
_OUTRANKED = {"DL001": "DL002", "DL006": "DL002", "DL004": "DL005"}


# Findings about set members share a place (the doc's section, the handler): one per member there.
_PER_MEMBER = frozenset({"DL011", "DL012"})


def deduplicate(problems: list[tuple[str, Problem]]) -> list[tuple[str, Problem]]:
    """One finding per rule and place. The first one stands: git's answer comes before the
    tree-only check's and the lock's (DL002, DL003, DL013 can each come from two checks)."""
    seen: set[tuple[tuple[str, int, int], str, str | None]] = set()
    kept: list[tuple[str, Problem]] = []
    outranking = set(_OUTRANKED.values())
    starts = {(path, p.span.line, p.span.column): p.code for path, p in problems if p.code in outranking}
    for path, problem in problems:
        where = (path, problem.span.line, problem.span.column)
        if problem.code in _OUTRANKED and starts.get(where) == _OUTRANKED[problem.code]:
            continue
        key = (where, problem.code, problem.target if problem.code in _PER_MEMBER else None)
        if key in seen:
            continue
        seen.add(key)
        kept.append((path, problem))
    return kept


def comment_suppressions(scan: FileScan) -> list[Suppression]:
    found = []
    for line, column, text in scan.comments:
        for match in comments.SUPPRESSION.finditer(text):
            at = line + text.count("\n", 0, match.start())
            rules = tuple(r for r in match.group(1).replace(",", " ").split() if r and r != "*/")
            found.append(Suppression("disable-next-line", rules, at, Span(at, column, at, column + 1)))
    return found


def apply_policy(problems: list[tuple[str, Problem]], suppressions: Mapping[str, Sequence[Suppression]],
                 config: Config, select: set[str], ignore: set[str], strict: bool) -> list[Finding]:
    findings: list[Finding] = []
    used: set[tuple[str, int]] = set()
    for path, problem in problems:
        rule = RULES[problem.code]
        if select and rule.code not in select or rule.code in ignore:
            continue
        severity = config.severity.get(rule.code) or problem.severity or rule.severity
        if severity == "off":
            continue
        hit = _suppressed_by(suppressions.get(path, ()), problem)
        if hit is not None:
            used.add((path, id(hit)))
            continue
        findings.append(Finding(path, problem.span, rule.code, rule.name, severity, problem.message,
                                problem.target, problem.suggestion, problem.fix))
    if strict and "DL015" not in ignore and (not select or "DL015" in select):
        for path, entries in suppressions.items():
            for entry in entries:
                if entry.kind != "enable" and (path, id(entry)) not in used:
                    rule = RULES["DL015"]
                    what = ", ".join(entry.rules) or "every rule"
                    findings.append(Finding(path, entry.span, rule.code, rule.name, "warning",
                                            f"`doclint-{entry.kind}` for {what} suppresses nothing"))
    return findings


def _suppressed_by(entries: Sequence[Suppression], problem: Problem) -> Suppression | None:
    line = problem.span.line
    rule = RULES[problem.code]

    def covers(entry: Suppression) -> bool:
        return not entry.rules or any(lookup(r) is rule for r in entry.rules)

    for entry in entries:
        if entry.kind == "disable-next-line" and entry.span.end_line + 1 == line and covers(entry):
            return entry
        if entry.kind == "disable-line" and entry.line == line and covers(entry):
            return entry
    active = None
    for entry in sorted(entries, key=lambda e: e.line):
        if entry.line > line:
            break
        if entry.kind == "disable" and covers(entry):
            active = entry
        elif entry.kind == "enable" and active is not None and covers(entry):
            active = None
    return active
