"""The JSON forms of scans and findings, as the cache and worker processes hold them."""

from __future__ import annotations

import pytest

from doclint import serial
from doclint.findings import Finding, Span
from doclint.tsindex import scan_typescript


def test_a_cached_entry_with_an_unknown_kind_or_severity_is_malformed():
    """Decoding is strict: a symbol kind or a severity doclint does not have (a hand-edited or
    foreign cache file) raises ValueError, so the entry is recomputed, not trusted."""
    source = serial.encode_source(scan_typescript(b"export function f() {}\n"))
    assert serial.decode_source(source).symbols[0].kind == "function"
    source[0][0][1] = "gizmo"
    with pytest.raises(ValueError, match="not a symbol kind: 'gizmo'"):
        serial.decode_source(source)
    finding = serial.encode_finding(Finding("docs/a.md", Span(1, 1, 1, 2), "DL001", "missing-file", "error", "m"))
    assert serial.decode_finding(finding).severity == "error"
    finding[4] = "fatal"
    with pytest.raises(ValueError, match="not a severity: 'fatal'"):
        serial.decode_finding(finding)
