"""Output formats. Only this module writes findings; it knows nothing of parsing."""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path
from typing import TextIO
from urllib.parse import quote

from doclint.cache import read_bytes
from doclint.findings import Finding, Span
from doclint.linter import Result
from doclint.registry import RULES
from doclint.tree import decode, text_lines

FORMATS = ("text", "full", "json", "sarif", "github")


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def summary_line(result: Result) -> str:
    line = (
        f"{_plural(result.errors, 'error')}, {_plural(result.warnings, 'warning')} "
        f"in {_plural(result.docs, 'file')} ({result.fixable} fixable"
        + (f", {result.unsafe_fixable} more with --unsafe-fixes)" if result.unsafe_fixable else ")")
    )
    if result.baselined:
        line += f"; {result.baselined} baselined"
    if result.since is not None:
        line += f"; {result.older} from before {result.since} not shown"
    return line + (f"; {result.lock_note}" if result.lock_note else "")


# Characters that would end a line or drive the terminal if printed as they are (a file name
# may hold any of them): shown escaped, so one finding stays one line.
_ESCAPES = {c: f"\\x{c:02x}" for c in (*range(0x20), *range(0x7F, 0xA0))} | {
    0x09: "\\t", 0x0A: "\\n", 0x0D: "\\r", 0x2028: "\\u2028", 0x2029: "\\u2029"}
# In a quoted source line each becomes one visible character, so the caret still lines up.
_PICTURES = {c: chr(0x2400 + c) for c in range(0x20)} | {0x7F: "\u2421"} | {
    c: "\ufffd" for c in (*range(0x80, 0xA0), 0x2028, 0x2029)}


def printable(text: str) -> str:
    return text.translate(_ESCAPES)


def text_line(finding: Finding) -> str:
    line = (
        f"{printable(finding.path)}:{finding.span.line}:{finding.span.column}: "
        f"{finding.code} {finding.name} {printable(finding.message)}"
    )
    return line + (" [fixable]" if finding.fixable else " [unsafe fix]" if finding.unsafe_fixable else "")


class _Colour:
    def __init__(self, enabled: bool):
        self.enabled = enabled

    def __call__(self, text: str, code: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if self.enabled else text


def use_colour(stream: TextIO) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return hasattr(stream, "isatty") and stream.isatty()


def render_text(result: Result, statistics: bool, quiet: bool) -> str:
    out = [text_line(f) for f in result.findings]
    if statistics:
        out.extend(render_statistics(result))
    if not quiet:
        out.append(summary_line(result))
    return "\n".join(out) + ("\n" if out else "")


def render_full(result: Result, statistics: bool, quiet: bool, colour: bool) -> str:
    paint = _Colour(colour)
    cache: dict[str, list[str]] = {}
    out: list[str] = []
    for finding in result.findings:
        head = text_line(finding)
        severity = "31" if finding.severity == "error" else "33"
        out.append(paint(f"{printable(finding.path)}:{finding.span.line}:{finding.span.column}:", "1") + " "
                   + paint(finding.code, f"1;{severity}") + head.split(f" {finding.code}", 1)[1])
        lines = cache.setdefault(finding.path, _read_lines(result.root / finding.path))
        if 0 < finding.span.line <= len(lines):
            source = lines[finding.span.line - 1].expandtabs(1).translate(_PICTURES)
            number = str(finding.span.line)
            gutter = " " * len(number)
            width = finding.span.end_column - finding.span.column if finding.span.end_line == finding.span.line else 1
            width = max(width, 1)
            out.append(f"{gutter} |")
            out.append(f"{number} | {source}")
            out.append(f"{gutter} | " + " " * (finding.span.column - 1) + paint("^" * width, f"1;{severity}"))
            if finding.suggestion:
                out.append(f"{gutter} = help: {printable(finding.suggestion)}")
        out.append("")
    if statistics:
        out.extend(render_statistics(result))
    if not quiet:
        out.append(summary_line(result))
    return "\n".join(out) + ("\n" if out else "")


def _read_lines(path: Path) -> list[str]:
    data = read_bytes(str(path))
    return [] if data is None else text_lines(decode(data))  # as the scan saw it: columns count without a BOM


def render_statistics(result: Result) -> list[str]:
    counts = Counter(f.code for f in result.findings)
    fixable = Counter(f.code for f in result.findings if f.fixable)
    rows = []
    for code, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        rule = RULES[code]
        mark = " [*]" if fixable[code] else ""
        rows.append(f"{count:>5}\t{code}\t{rule.name}{mark}")
    return rows


def finding_json(finding: Finding) -> dict[str, object]:
    fix: dict[str, object] | None = None
    if finding.fix is not None:
        fix = {"edits": [
            {"line": e.span.line, "column": e.span.column, "end_line": e.span.end_line,
             "end_column": e.span.end_column, "replacement": e.replacement}
            for e in finding.fix.edits
        ], "applicability": finding.fix.applicability}
    return {
        "code": finding.code, "name": finding.name, "severity": finding.severity, "path": finding.path,
        "line": finding.span.line, "column": finding.span.column,
        "end_line": finding.span.end_line, "end_column": finding.span.end_column,
        "message": finding.message, "target": finding.target, "suggestion": finding.suggestion, "fix": fix,
    }


def render_json(result: Result) -> str:
    summary: dict[str, object] = {"docs": result.docs, "references": result.references, "errors": result.errors,
                                  "warnings": result.warnings, "fixable": result.fixable, "baselined": result.baselined}
    payload = {
        "version": 1,
        "root": str(result.root),
        "findings": [finding_json(f) for f in result.findings],
        "summary": summary,
    }
    if result.lock_note:
        summary["lock"] = result.lock_note
    return json.dumps(payload, indent=2) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(result: Result) -> str:
    out = []
    for f in result.findings:
        level = "error" if f.severity == "error" else "warning"
        props = (f"file={_escape_property(f.path)},line={f.span.line},col={f.span.column},"
                 f"endLine={f.span.end_line},endColumn={f.span.end_column},"
                 f"title={_escape_property(f'{f.code} {f.name}')}")
        out.append(f"::{level} {props}::{_escape_data(f.message)}")
    return "\n".join(out) + ("\n" if out else "")


def render_sarif(result: Result) -> str:
    """SARIF 2.1.0: one run, one reporting descriptor per rule, fixes as SARIF fixes."""
    from doclint import __version__

    rules = list(RULES.values())
    index = {rule.code: i for i, rule in enumerate(rules)}
    root_uri = result.root.resolve().as_uri() + "/"

    def region(span: Span) -> dict[str, int]:
        return {"startLine": span.line, "startColumn": span.column, "endLine": span.end_line,
                "endColumn": max(span.end_column, span.column)}

    results = []
    for f in result.findings:
        location = {"artifactLocation": {"uri": quote(f.path), "uriBaseId": "ROOT"}}  # a URI reference: RFC 3986
        entry = {
            "ruleId": f.code, "ruleIndex": index[f.code],
            "level": "error" if f.severity == "error" else "warning",
            "message": {"text": f.message},
            "locations": [{"physicalLocation": {**location, "region": region(f.span)}}],
        }
        if f.fix is not None:
            entry["fixes"] = [{
                "description": {"text": f"Replace with {f.suggestion}" if f.suggestion else "Apply the fix"},
                "artifactChanges": [{
                    "artifactLocation": location["artifactLocation"],
                    "replacements": [{"deletedRegion": region(e.span), "insertedContent": {"text": e.replacement}}
                                     for e in f.fix.edits],
                }],
            }]
        results.append(entry)
    log = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "doclint", "version": __version__, "semanticVersion": __version__,
                "rules": [{
                    "id": rule.code, "name": rule.name,
                    "shortDescription": {"text": rule.summary},
                    "fullDescription": {"text": rule.why},
                    "help": {"text": rule.fix},
                    "defaultConfiguration": {"level": rule.severity},
                    "properties": {"fixable": rule.fixable},
                } for rule in rules],
            }},
            "originalUriBaseIds": {"ROOT": {"uri": root_uri}},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }
    return json.dumps(log, indent=2) + "\n"
