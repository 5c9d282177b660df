"""DL014 excerpt-mismatch: a fenced block marked `excerpt=path:a-b` must still copy those lines.

Whitespace at line ends and common indentation are ignored; a line that is only `...`
(or a comment holding only `...`) skips any number of source lines.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from doclint.checks import Doc
from doclint.checks.paths import line_bounds, missing
from doclint.findings import Problem
from doclint.mdrefs import LineRange
from doclint.tree import LockedTree, text_lines

if TYPE_CHECKING:
    from doclint.context import Context

_ELISION = re.compile(r"\s*(?://|#|/\*|<!--)?\s*(?:\.\.\.|…)\s*(?:\*/|-->)?\s*")


def check(doc: Doc, ws: Context) -> Iterator[Problem]:
    for excerpt in doc.scan.excerpts:
        resolved = ws.resolve(excerpt.path, doc.dir)
        if resolved.status == "missing":
            yield missing(excerpt.path, excerpt.span, resolved.moved_to, "DL001")
            continue
        if not resolved.unique_file or isinstance(resolved.tree, LockedTree) or resolved.tree is None or resolved.path is None:
            continue  # ambiguous, or sources absent: nothing to compare with
        text = ws.read_text(resolved.tree, resolved.path)
        if text is None:
            continue
        source = text_lines(text)
        lines = LineRange(excerpt.start, excerpt.end, None, "colon")
        bad_range = list(line_bounds(excerpt.path, lines, excerpt.span, len(source)))
        if bad_range:
            yield from bad_range
            continue
        difference = _first_difference(excerpt.content, source[excerpt.start - 1 : excerpt.end])
        if difference is not None:
            offset, wanted = difference
            yield Problem(
                "DL014", excerpt.span,
                f"excerpt of `{excerpt.path}:{excerpt.start}-{excerpt.end}` no longer matches the source "
                f"(from line {excerpt.first_line + offset} of this doc; the source has `{wanted.strip()[:100]}`)",
                target=excerpt.path,
            )


def _trim(lines: list[str]) -> list[str]:
    while lines and not lines[0]:
        lines = lines[1:]
    while lines and not lines[-1]:
        lines = lines[:-1]
    return lines


def _chunks(block: str) -> list[tuple[int, list[str]]]:
    """The block's lines (stripped), split at elision lines: (index of first line, lines)."""
    chunks: list[tuple[int, list[str]]] = []
    current: list[str] = []
    first = 0
    for index, line in enumerate(block.split("\n")):
        if _ELISION.fullmatch(line):
            chunks.append((first, current))
            current, first = [], index + 1
        else:
            if not current and not line.strip():
                first = index + 1
            current.append(line.strip())
    chunks.append((first, current))
    return [(first, _trim(lines)) for first, lines in chunks if _trim(lines)]


def _first_difference(block: str, region: list[str]) -> tuple[int, str] | None:
    """None when the block copies the region; else (line of the block, what the source has).

    Without elisions the block must be the region; with them, each part must appear in order."""
    source = _trim([line.strip() for line in region])
    chunks = _chunks(block)
    if len(chunks) <= 1 and not any(_ELISION.fullmatch(line) for line in block.split("\n")):
        lines = chunks[0][1] if chunks else []
        for offset, (have, want) in enumerate(zip(lines, source, strict=False)):
            if have != want:
                return (chunks[0][0] + offset, want)
        if len(lines) != len(source):
            shorter = min(len(lines), len(source))
            return ((chunks[0][0] if chunks else 0) + shorter, source[shorter] if shorter < len(source) else "")
        return None
    position = 0
    for first, lines in chunks:
        found = _find(source, lines, position)
        if found < 0:
            return first, source[position] if position < len(source) else ""
        position = found + len(lines)
    return None


def _find(haystack: list[str], needle: list[str], start: int) -> int:
    for at in range(start, len(haystack) - len(needle) + 1):
        if haystack[at : at + len(needle)] == needle:
            return at
    return -1
