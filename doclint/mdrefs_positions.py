"""Where inline syntax is in the file.

markdown-it's inline tokens carry no position, so each one is found in its block's
content (`locate_items`, in token order from a cursor), and an offset in that content is
mapped to a line and column from the block's map, as mdformat does (`Locator`).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from doclint.findings import Span


class TokenView(Protocol):
    """What the scan reads of a token: markdown-it's `Token` has it, and so has the faster
    reading's `mdaccel.Block`."""

    @property
    def type(self) -> str: ...
    @property
    def map(self) -> list[int] | None: ...
    @property
    def content(self) -> str: ...
    @property
    def info(self) -> str: ...
    @property
    def markup(self) -> str: ...
    @property
    def meta(self) -> dict[Any, Any]: ...
    @property
    def children(self) -> Sequence[TokenView] | None: ...
    def attrGet(self, name: str) -> None | str | int | float: ...  # noqa: N802 - Token's name


@dataclass(slots=True)
class Item:
    """One piece of inline content: text, code, link, html or break."""

    kind: str
    text: str
    start: int  # offset in the inline content; -1 when it could not be located
    end: int
    href: str = ""
    href_start: int = -1  # an inline link's destination, as offsets in the content
    href_end: int = -1
    label: str | None = None  # a reference link's (normalised) label
    inner: list[Item] | None = None  # a link's own items
    is_image: bool = False
    span: Span | None = None  # where it is in the file, once worked out


class Locator:
    """Maps offsets in an inline token's content to 1-based (line, column) in the file.
    The content's lines are found in the file on first use: most blocks need no position."""

    def __init__(self, lines: list[str], first_line: int, content: str, cursors: dict[int, int]):
        self.content = content
        self.lines = lines
        self._first_line = first_line
        self._cursors = cursors  # line index -> where the last located content ended (table cells)
        self.starts: list[int] = []
        self.bases: list[tuple[int, int]] = []

    def locate(self) -> Locator:
        lines, cursors = self.lines, self._cursors
        offset = 0
        for index, text in enumerate(self.content.split("\n")):
            line_index = self._first_line + index
            source = lines[line_index] if line_index < len(lines) else ""
            cursor = cursors.get(line_index, 0)
            column = source.find(text, cursor) if text else cursor
            if column < 0:
                column = source.find(text.strip()) if text.strip() else 0
                column = max(column, 0)
            cursors[line_index] = column + len(text)
            self.starts.append(offset)
            self.bases.append((line_index + 1, column + 1))
            offset += len(text) + 1
        return self

    def point(self, offset: int) -> tuple[int, int]:
        index = max(bisect.bisect_right(self.starts, offset) - 1, 0)
        line, column = self.bases[index]
        return line, column + offset - self.starts[index]

    def span(self, start: int, end: int) -> Span:
        if not self.starts:
            self.locate()
        if len(self.starts) == 1:  # most inline content is one line
            line, column = self.bases[0]
            return Span(line, column + start, line, column + end)
        line, column = self.point(start)
        end_line, end_column = self.point(end)
        return Span(line, column, end_line, end_column)

    def written(self, span: Span) -> str:
        """The file's text at a one-line span ("" for any other)."""
        if span.line != span.end_line or not 0 < span.line <= len(self.lines):
            return ""
        return self.lines[span.line - 1][span.column - 1 : span.end_column - 1]


class _Walk:
    """Where `locate_items` is in the content, and the links still open around it."""

    __slots__ = ("content", "cursor", "items", "links")

    def __init__(self, content: str):
        self.content = content
        self.cursor = 0
        self.items: list[Item] = []
        self.links: list[tuple[Item, list[Item]]] = []  # open links and the items inside them

    def add(self, item: Item) -> None:
        (self.links[-1][1] if self.links else self.items).append(item)

    def verbatim(self, kind: str, text: str) -> None:
        """An item whose text is written as it is (text, inline HTML), found from the cursor."""
        found = self.content.find(text, self.cursor) if text else -1
        if found >= 0:
            self.cursor = found + len(text)
        self.add(Item(kind, text, found, found + len(text) if found >= 0 else -1))


def _text(walk: _Walk, token: TokenView) -> None:
    walk.verbatim("text", token.content)


def _html(walk: _Walk, token: TokenView) -> None:
    walk.verbatim("html", token.content)


def _code(walk: _Walk, token: TokenView) -> None:
    content = walk.content
    opener = content.find(token.markup, walk.cursor)
    start = content.find(token.content, opener + len(token.markup)) if opener >= 0 else -1
    if start < 0 and opener >= 0:  # a span broken over lines: its newlines became spaces
        pattern = re.escape(token.content).replace("\\ ", r"\s")
        match = re.compile(pattern).search(content, opener)
        start = match.start() if match else -1
        end = match.end() if match else -1
    else:
        end = start + len(token.content) if start >= 0 else -1
    if end >= 0:
        close = content.find(token.markup, end)
        walk.cursor = close + len(token.markup) if close >= 0 else end
    walk.add(Item("code", token.content, start, end))


def _link(walk: _Walk, token: TokenView) -> None:
    image = token.type == "image"
    href = token.attrGet("src" if image else "href") or ""
    start, end = token.meta.get("extent", (-1, -1))
    item = Item("link", "", start, end, href=str(href), is_image=image, label=token.meta.get("label"))
    item.href_start, item.href_end = token.meta.get("destination") or (-1, -1)
    if image:
        item.text = token.content
        item.inner = []
        walk.cursor = max(walk.cursor, end)
        walk.add(item)
    else:
        walk.cursor = max(walk.cursor, start + 1)
        item.inner = []
        walk.links.append((item, item.inner))


def _link_close(walk: _Walk, _token: TokenView) -> None:
    if not walk.links:
        return
    item, inner = walk.links.pop()
    item.text = "".join(i.text for i in inner)
    walk.cursor = max(walk.cursor, item.end)
    walk.add(item)


def _break(walk: _Walk, _token: TokenView) -> None:
    found = walk.content.find("\n", walk.cursor)
    if found >= 0:
        walk.cursor = found + 1
    walk.add(Item("break", "\n", found, found + 1 if found >= 0 else -1))


# What each inline token adds; strong/em open/close and strikethrough carry no text of their own.
_ITEMS: dict[str, Callable[[_Walk, TokenView], None]] = {
    "text": _text, "code_inline": _code, "link_open": _link, "image": _link, "link_close": _link_close,
    "softbreak": _break, "hardbreak": _break, "html_inline": _html,
}


def locate_items(children: Sequence[TokenView], content: str) -> list[Item]:
    """The inline tokens of one block as items, each with its offsets in the block's content."""
    walk = _Walk(content)
    for token in children:
        add = _ITEMS.get(token.type)
        if add is not None:
            add(walk, token)
    while walk.links:  # an unclosed link (should not happen): keep what it held
        walk.items.extend(walk.links.pop()[1])
    return walk.items


def flatten(items: list[Item]) -> Iterator[Item]:
    """Every item that is not a link, a link's own items in its place."""
    for item in items:
        if item.kind == "link":
            yield from flatten(item.inner or [])
        else:
            yield item


def item_text(items: list[Item]) -> str:
    """The text a heading or a table cell reads as: its text and code, links' included."""
    return "".join(i.text for i in flatten(items) if i.kind in ("text", "code"))


def plain_text(content: str) -> str:
    """The text markdown-it makes of inline content without syntax: line breaks and the
    spaces around them dropped."""
    if "\n" not in content:
        return content
    parts = content.split("\n")
    return "".join(p.rstrip(" ") if i == 0 else p.lstrip(" \t").rstrip(" ") if i < len(parts) - 1
                   else p.lstrip(" \t") for i, p in enumerate(parts))


def where_line(token: TokenView, block_map: list[int] | None) -> int:
    spot = token.map or block_map
    return spot[0] + 1 if spot else 1
