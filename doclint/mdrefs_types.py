"""What a doc's scan holds: the references, anchors and suppressions `scan_markdown` finds.

Value types made by the thousand per doc are named tuples (cheap to build, to cache and
to send between processes)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from doclint.findings import Span


class LineRange(NamedTuple):
    start: int
    end: int
    span: Span | None  # where the numbers are written, when they can be rewritten in place
    style: str  # "colon" (path:1-2), "hash" (#L1-L2), "text" ((lines 1-2))
    text: str = ""  # the numbers exactly as written at `span`


class PathRef(NamedTuple):
    path: str
    span: Span
    lines: LineRange | None = None
    symbol: str | None = None  # path.ts#symbol
    hypothetical: bool = False  # "create `x.ts`", "e.g. `x.md`", "not `X.md`": may not exist yet


class SymbolRef(NamedTuple):
    name: str
    form: str  # "call", "qualified", "bare"
    span: Span
    file: str | None = None  # the path it is tied to ("`f` in `x.ts`", "x.ts#f")
    lines: LineRange | None = None  # a range given with it
    hypothetical: bool = False
    in_expression: bool = False  # "`out` = `state[0]`": a name in an expression written across spans


class LinkRef(NamedTuple):
    href: str  # as markdown-it normalised it (percent-encoded, unescaped)
    span: Span  # where the destination is written (a reference link's: in its definition); else the link
    written: str  # the destination exactly as written at `span`; "" when it could not be located for certain
    is_image: bool = False

    @property
    def href_found(self) -> bool:
        return bool(self.written)

    @property
    def target(self) -> str:
        return self.href.split("#", 1)[0].split("?", 1)[0]

    @property
    def fragment(self) -> str | None:
        return self.href.split("#", 1)[1] if "#" in self.href else None


class Suppression(NamedTuple):
    kind: str  # disable-next-line, disable-line, disable, enable
    rules: tuple[str, ...]  # empty: every rule
    line: int
    span: Span


class Excerpt(NamedTuple):
    """A fenced block that claims to copy lines of a source file: ```ts excerpt=src/a.ts:10-20"""

    path: str
    start: int
    end: int
    content: str
    span: Span  # where the path is written in the fence's info string
    first_line: int  # line of the block's first content line


@dataclass
class DocScan:
    line_count: int = 0
    anchors: set[str] = field(default_factory=set)
    headings: list[tuple[int, str, str]] = field(default_factory=list)  # line, text, slug
    paths: list[PathRef] = field(default_factory=list)
    symbols: list[SymbolRef] = field(default_factory=list)
    links: list[LinkRef] = field(default_factory=list)
    literals: list[tuple[str, Span]] = field(default_factory=list)
    code_spans: list[tuple[str, Span]] = field(default_factory=list)
    texts: list[tuple[str, Span]] = field(default_factory=list)
    code_words: set[str] = field(default_factory=set)
    suppressions: list[Suppression] = field(default_factory=list)
    code_blocks: list[tuple[int, str]] = field(default_factory=list)  # first content line, content
    tables: list[list[tuple[int, list[str]]]] = field(default_factory=list)  # rows (line, cell texts), header first
    excerpts: list[Excerpt] = field(default_factory=list)
    file_patterns: list[tuple[str, Span]] = field(default_factory=list)  # front matter `globs:` / `applyTo:`

    @property
    def reference_count(self) -> int:
        return len(self.paths) + len(self.symbols) + len(self.links)
