"""Per-file scans to plain JSON-able lists and back, for the cache and for worker processes.

JSON, not pickle: a cache file inside a repository must never be able to run code.
Decoding is strict; anything malformed raises ValueError and the entry is recomputed.
"""

from __future__ import annotations

from typing import Any, TypeVar, get_args

from doclint.findings import SEVERITIES, Edit, Finding, Fix, Problem, Severity, Span
from doclint.mdrefs import DocScan, Excerpt, LineRange, LinkRef, PathRef, Suppression, SymbolRef
from doclint.tsindex import FileScan, Symbol, SymbolKind

# What an encoder builds for json.dumps, and what json.loads gives a decoder back: its shape is
# not known until it is unpacked, which raises (TypeError, ValueError) when it is malformed.
Encoded = list[object]
Decoded = Any

_SYMBOL_KINDS: dict[object, SymbolKind] = {kind: kind for kind in get_args(SymbolKind)}
_SEVERITIES: dict[object, Severity] = {severity: severity for severity in SEVERITIES}


_T = TypeVar("_T")


def _member(value: object, members: dict[object, _T], what: str) -> _T:
    try:
        return members[value]
    except (KeyError, TypeError):
        raise ValueError(f"not a {what}: {value!r}") from None


def _span(s: Span) -> Encoded:
    return [s.line, s.column, s.end_line, s.end_column]


def _unspan(v: Decoded) -> Span:
    line, column, end_line, end_column = v
    return Span(int(line), int(column), int(end_line), int(end_column))


def _lines(r: LineRange | None) -> Encoded | None:
    return None if r is None else [r.start, r.end, _span(r.span) if r.span else None, r.style, r.text]


def _unlines(v: Decoded) -> LineRange | None:
    if v is None:
        return None
    start, end, span, style, text = v
    return LineRange(int(start), int(end), _unspan(span) if span else None, str(style), str(text))


def encode_doc(scan: DocScan) -> Encoded:
    return [
        scan.line_count, sorted(scan.anchors), [list(h) for h in scan.headings],
        [[p.path, _span(p.span), _lines(p.lines), p.symbol, p.hypothetical] for p in scan.paths],
        [[s.name, s.form, _span(s.span), s.file, _lines(s.lines), s.hypothetical, s.in_expression]
         for s in scan.symbols],
        [[k.href, _span(k.span), k.written, k.is_image] for k in scan.links],
        [[t, _span(s)] for t, s in scan.literals],
        [[t, _span(s)] for t, s in scan.code_spans],
        [[t, _span(s)] for t, s in scan.texts],
        sorted(scan.code_words),
        [encode_suppression(x) for x in scan.suppressions],
        [list(b) for b in scan.code_blocks],
        [[[line, list(cells)] for line, cells in table] for table in scan.tables],
        [[e.path, e.start, e.end, e.content, _span(e.span), e.first_line] for e in scan.excerpts],
        [[t, _span(s)] for t, s in scan.file_patterns],
    ]


def decode_doc(v: Decoded) -> DocScan:
    try:
        (line_count, anchors, headings, paths, symbols, links, literals, code_spans, texts, code_words,
         suppressions, code_blocks, tables, excerpts, file_patterns) = v
        return DocScan(
            line_count=int(line_count),
            anchors=set(anchors),
            headings=[(int(a), str(b), str(c)) for a, b, c in headings],
            paths=[PathRef(str(p), _unspan(s), _unlines(r), y, bool(h)) for p, s, r, y, h in paths],
            symbols=[SymbolRef(str(n), str(f), _unspan(s), fi, _unlines(r), bool(h), bool(e))
                     for n, f, s, fi, r, h, e in symbols],
            links=[LinkRef(str(h), _unspan(s), str(w), bool(i)) for h, s, w, i in links],
            literals=[(str(t), _unspan(s)) for t, s in literals],
            code_spans=[(str(t), _unspan(s)) for t, s in code_spans],
            texts=[(str(t), _unspan(s)) for t, s in texts],
            code_words=set(code_words),
            suppressions=[decode_suppression(x) for x in suppressions],
            code_blocks=[(int(a), str(b)) for a, b in code_blocks],
            tables=[[(int(line), [str(c) for c in cells]) for line, cells in table] for table in tables],
            excerpts=[Excerpt(str(p), int(a), int(b), str(c), _unspan(s), int(f)) for p, a, b, c, s, f in excerpts],
            file_patterns=[(str(t), _unspan(s)) for t, s in file_patterns],
        )
    except (TypeError, ValueError) as exc:
        raise ValueError(f"malformed doc scan: {exc}") from None


def encode_source(scan: FileScan) -> Encoded:
    return [
        [[s.name, s.kind, s.container, s.line, s.end_line, list(s.heritage), s.open, list(s.literals), list(s.union)]
         for s in scan.symbols],
        sorted(scan.words), [list(c) for c in scan.comments], scan.line_count, list(scan.star_exports),
    ]


def decode_source(v: Decoded) -> FileScan:
    try:
        symbols, words, comments, line_count, star_exports = v
        return FileScan(
            [Symbol(str(n), _member(k, _SYMBOL_KINDS, "symbol kind"), c, int(a), int(b), tuple(h), bool(o), tuple(li), tuple(u))
             for n, k, c, a, b, h, o, li, u in symbols],
            frozenset(words), [(int(a), int(b), str(t)) for a, b, t in comments], int(line_count),
            tuple(str(s) for s in star_exports),
        )
    except (TypeError, ValueError) as exc:
        raise ValueError(f"malformed source scan: {exc}") from None


def encode_finding(f: Finding) -> Encoded:
    fix = None if f.fix is None else [[[_span(e.span), e.replacement] for e in f.fix.edits], f.fix.safe]
    return [f.path, _span(f.span), f.code, f.name, f.severity, f.message, f.target, f.suggestion, fix]


def decode_finding(v: Decoded) -> Finding:
    try:
        path, span, code, name, severity, message, target, suggestion, fix = v
        edits = None if fix is None else Fix(tuple(Edit(_unspan(s), str(r)) for s, r in fix[0]), bool(fix[1]))
        return Finding(str(path), _unspan(span), str(code), str(name), _member(severity, _SEVERITIES, "severity"),
                       str(message), target, suggestion, edits)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"malformed finding: {exc}") from None


def encode_problem(p: Problem) -> Encoded:
    fix = None if p.fix is None else [[[_span(e.span), e.replacement] for e in p.fix.edits], p.fix.safe]
    return [p.code, _span(p.span), p.message, p.target, p.suggestion, fix, p.severity]


def decode_problem(v: Decoded) -> Problem:
    try:
        code, span, message, target, suggestion, fix, severity = v
        edits = None if fix is None else Fix(tuple(Edit(_unspan(s), str(r)) for s, r in fix[0]), bool(fix[1]))
        lowered = None if severity is None else _member(severity, _SEVERITIES, "severity")
        return Problem(str(code), _unspan(span), str(message), target, suggestion, edits, lowered)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"malformed problem: {exc}") from None


def encode_suppression(x: Suppression) -> Encoded:
    return [x.kind, list(x.rules), x.line, _span(x.span)]


def decode_suppression(v: Decoded) -> Suppression:
    try:
        kind, rules, line, span = v
        return Suppression(str(kind), tuple(rules), int(line), _unspan(span))
    except (TypeError, ValueError) as exc:
        raise ValueError(f"malformed suppression: {exc}") from None
