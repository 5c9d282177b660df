"""The baseline: findings a team has accepted for now, so a check reports only new ones.

An entry names a finding by what it is about, not where: the doc's path, the rule, the
target and the text of the reference as written. Lines added or removed elsewhere in the
doc leave it matching; fixing the reference (or deleting it) makes it stop matching, and
the next `doclint baseline` drops it. The same reference written several times in one doc
is one entry with a count, so a new copy of an old mistake is still reported.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import NamedTuple

from doclint.errors import ConfigError
from doclint.findings import Finding
from doclint.tree import decode, text_lines

BASELINE_VERSION = 1
DEFAULT_BASELINE = "doclint-baseline.json"
_FIELDS = ("path", "code", "target", "text")


class Key(NamedTuple):
    path: str
    code: str
    target: str
    text: str


def keys_of(root: Path, findings: list[Finding], texts: dict[str, str] | None = None) -> list[Key]:
    """Each finding's key, in the findings' order. Each file is read once; `texts` gives the
    text of files being edited (the language server's unsaved buffers) instead."""
    lines_of: dict[str, list[str]] = {path: text_lines(text) for path, text in (texts or {}).items()}
    keys = []
    for finding in findings:
        if finding.path not in lines_of:
            try:
                lines_of[finding.path] = text_lines(decode((root / finding.path).read_bytes()))
            except OSError:
                lines_of[finding.path] = []
        keys.append(Key(finding.path, finding.code, finding.target or "",
                        _span_text(lines_of[finding.path], finding)))
    return keys


def _span_text(lines: list[str], finding: Finding) -> str:
    span = finding.span
    if not 1 <= span.line <= span.end_line <= len(lines):
        return ""
    if span.line == span.end_line:
        return lines[span.line - 1][span.column - 1 : span.end_column - 1]
    chunk = [lines[span.line - 1][span.column - 1 :], *lines[span.line : span.end_line - 1],
             lines[span.end_line - 1][: span.end_column - 1]]
    return "\n".join(chunk)


def read(path: Path, shown: str) -> Counter[Key]:
    """The baseline's entries; a malformed file is a configuration error naming what is wrong."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read the baseline: {exc.strerror}", shown) from None
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise ConfigError(f"the baseline is not valid JSON ({exc}); run `doclint baseline` to rewrite it",
                          shown) from None
    if not isinstance(data, dict) or data.get("version") != BASELINE_VERSION:
        raise ConfigError(f"the baseline must be an object with \"version\": {BASELINE_VERSION}", shown)
    entries = data.get("findings")
    if not isinstance(entries, list):
        raise ConfigError("key 'findings' must be a list", shown)
    counts: Counter[Key] = Counter()
    for number, entry in enumerate(entries):
        if not isinstance(entry, dict) or not all(isinstance(entry.get(f), str) for f in _FIELDS):
            raise ConfigError(f"findings[{number}] must have string fields {', '.join(_FIELDS)}", shown)
        count = entry.get("count", 1)
        if not isinstance(count, int) or isinstance(count, bool) or count < 1:
            raise ConfigError(f"findings[{number}].count must be a positive integer", shown)
        counts[Key(*(entry[f] for f in _FIELDS))] += count
    return counts


def render(counts: Counter[Key], names: dict[str, str]) -> str:
    """The file's text: sorted, one entry per line, so a re-run diffs cleanly."""
    rows = [json.dumps({"path": k.path, "code": k.code, "name": names.get(k.code, ""), "target": k.target,
                        "text": k.text, "count": n}, ensure_ascii=False)
            for k, n in sorted(counts.items())]
    body = ",\n".join("    " + row for row in rows)
    return f'{{\n  "version": {BASELINE_VERSION},\n  "findings": [\n{body}\n  ]\n}}\n' if rows else \
        f'{{\n  "version": {BASELINE_VERSION},\n  "findings": []\n}}\n'


def split(findings: list[Finding], keys: list[Key], accepted: Counter[Key]) -> tuple[list[Finding], int]:
    """The findings the baseline does not cover, and how many it did."""
    left = Counter(accepted)
    kept: list[Finding] = []
    covered = 0
    for finding, key in zip(findings, keys, strict=True):
        if left[key] > 0:
            left[key] -= 1
            covered += 1
        else:
            kept.append(finding)
    return kept, covered
