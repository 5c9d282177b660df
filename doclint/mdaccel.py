"""A faster reading of a doc's blocks, for docs where it is known to equal markdown-it-py's.

markdown-it-pyrs (markdown-it.rs, with the same node types and a source map for every node)
builds a doc's tree in a tenth of markdown-it-py's time. `block_tokens` turns that tree into
the block tokens `scan_markdown` reads (type, map, content, info), each inline token's
content rebuilt from the source lines as markdown-it-py's rules cut it. `inline_tokens` does
the same for inline content that holds nothing but text, code spans, emphasis and line
breaks; any other inline content is parsed by markdown-it-py, which stays the reference.

Where the two parsers, or this rebuilding, could disagree, nothing is guessed: the doc is
`Unsupported` and markdown-it-py reads all of it. Each check below names the disagreement it
guards against (characters markdown-it-py rewrites or trims, tab stops, reference
definitions, lazy lines, HTML blocks and tables one parser alone sees, source maps pyrs got
wrong), and three more keep pyrs from inputs it crashes or panics on. `tests/test_mdaccel.py`
and `benchmarks/parsers.py --compare --fuzz N` hold both readings of whole doc trees, and of
generated docs, to be the same scan.

Set DOCLINT_PURE_PARSER=1 (or use `turned_off`) to read every doc with markdown-it-py alone.
"""

from __future__ import annotations

import bisect
import os
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from itertools import accumulate
from typing import TYPE_CHECKING, Any

# markdown-it-py's own helpers, where its rules are rebuilt here. (This module is imported only
# to read a doc, which markdown-it-py may have to read anyway.)
from markdown_it.common.html_re import HTML_TAG_RE
from markdown_it.common.utils import isStrSpace, mdTrim
from markdown_it.rules_block.html_block import HTML_SEQUENCES
from markdown_it.rules_block.table import escapedSplit

if TYPE_CHECKING:
    from markdown_it_pyrs import MarkdownIt as RustParser
    from markdown_it_pyrs import Node

__all__ = ["Block", "Unsupported", "available", "block_tokens", "inline_tokens", "turned_off"]

# markdown-it-py's normalisation (line endings, NUL) is not rebuilt here, nor the whitespace
# its trim takes off and pyrs's text keeps (no-break and other Unicode spaces, \v, \f).
_REWRITTEN = re.compile("[\r\0\v\f\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]")
# Nor are tab stops: a tab in a line's indentation, or after its container markers, counts
# as up to four columns. Only a fenced block at the top level keeps such lines as they are.
_TAB_IN_INDENT = re.compile(r"[ \t>*+\-\d.)]*\t")
# One tab between a list marker and the item's text (`1.\tStep`), outside blockquotes: read alike.
_TAB_AFTER_MARKER = re.compile(r" *(?:[-*+]|\d{1,9}[.)])\t(?=[^ \t])")
# Container levels (blockquotes, lists, list items) beyond which markdown-it-py's nesting
# limit (20 token levels) could cut a doc short; well below it.
_MAX_LEVEL = 12
# markdown-it-py stops a table once this many body cells had to be made up (empty ones).
_MAX_AUTOCOMPLETED_CELLS = 0x10000
_INLINE_NODES = frozenset({"text", "text_special", "code_inline", "link", "image", "softbreak", "hardbreak",
                           "html_inline", "em", "strong", "strikethrough", "autolink"})
_QUOTE_MARKER = re.compile(r" {0,3}> ?")
# A body row starting like a list item, a blockquote, a rule, a fence, raw HTML or a heading:
# markdown-it-py's table rule lets those end the table (an empty `- ` item too), pyrs may not.
_ENDS_TABLE = re.compile(r"[-*+_>#<]|```|~~~|\d{1,9}[.)]")
# Inline nodes whose content, written over a line break, keeps the next line's indentation.
_VERBATIM_NODES = frozenset({"code_inline", "html_inline", "link", "image", "autolink"})


class Unsupported(Exception):
    """This doc is read by markdown-it-py: the faster reading is not known to agree on it."""


class Block:
    """A token as `scan_markdown` reads it: the attributes of markdown-it's `Token` it uses."""

    __slots__ = ("children", "content", "info", "map", "markup", "meta", "nodes", "type", "in_paragraph")

    def __init__(self, kind: str, lines: list[int] | None = None, content: str = "", info: str = ""):
        self.type = kind
        self.map = lines
        self.content = content
        self.info = info
        self.markup = ""
        self.meta: dict[Any, Any] = {}
        self.children: list[Any] | None = None
        self.nodes: Sequence[Node] | None = None  # the inline nodes pyrs read this content as
        self.in_paragraph = False

    def attrGet(self, _name: str) -> None:  # noqa: N802 - Token's name
        return None


# Tokens the scan reads only the type of: one of each serves every doc.
_PARAGRAPH_OPEN = Block("paragraph_open")
_HEADING_OPEN = Block("heading_open")
_HEADING_CLOSE = Block("heading_close")
_ROW_CLOSE = Block("tr_close")


@lru_cache(maxsize=1)
def _parser() -> RustParser | None:
    """markdown-it-pyrs with markdown-it-py's rules here (CommonMark, HTML, tables,
    strikethrough), or None where it is not installed or is turned off."""
    if os.environ.get("DOCLINT_PURE_PARSER") == "1":
        return None
    try:
        from markdown_it_pyrs import MarkdownIt
    except ImportError:
        return None
    return MarkdownIt("commonmark").enable_many(["table", "strikethrough"])


def available() -> bool:
    return _parser() is not None


@contextmanager
def turned_off() -> Iterator[None]:
    """markdown-it-py alone reads every doc while this lasts, as with DOCLINT_PURE_PARSER=1
    (how the tests and benchmarks get the reference scan)."""
    before = os.environ.get("DOCLINT_PURE_PARSER")
    os.environ["DOCLINT_PURE_PARSER"] = "1"
    _parser.cache_clear()
    try:
        yield
    finally:
        if before is None:
            del os.environ["DOCLINT_PURE_PARSER"]
        else:
            os.environ["DOCLINT_PURE_PARSER"] = before
        _parser.cache_clear()


class _Source:
    """The doc's text with what it takes to turn pyrs's byte offsets into lines and columns."""

    def __init__(self, text: str):
        try:
            data = text.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate (text from an editor): not UTF-8
            raise Unsupported("not UTF-8") from None
        self.data = data
        self.ascii = len(data) == len(text)
        self.lines = text.split("\n")
        lengths = map(len, self.lines if self.ascii else data.split(b"\n"))
        self.starts = [0, *accumulate(length + 1 for length in lengths)]  # the byte offset of each line's start
        self.verbatim: list[tuple[int, int]] = []  # lines of top-level fenced blocks, content only
        self.opaque: list[tuple[int, int]] = []  # lines of code and HTML blocks, and of tables but their first
        self.tables: set[int] = set()  # the lines tables start on
        self.ends: dict[int, tuple[int, bool]] = {}  # last line of a leaf block -> its blockquotes, in a list?
        self.text_ends: set[int] = set()  # the last lines of paragraphs

    def line_of(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset) - 1

    def lines_of(self, srcmap: tuple[int, int] | None) -> tuple[int, int]:
        """The first and last line a node is written on."""
        if srcmap is None:
            raise Unsupported("a node without a source map")
        start, end = srcmap
        return self.line_of(start), self.line_of(max(end - 1, start))

    def column(self, line: int, offset: int) -> int:
        """The character column of a byte offset on its line."""
        start = self.starts[line]
        return offset - start if self.ascii else len(self.data[start:offset].decode("utf-8"))


def block_tokens(text: str) -> list[Block] | None:
    """The doc's block tokens as markdown-it-py makes them (those `scan_markdown` reads), each
    inline one with its content and the pyrs nodes it holds; None where markdown-it-py must
    read the doc (pyrs is not installed or turned off, or the doc is `Unsupported`)."""
    parser = _parser()
    if parser is None or _REWRITTEN.search(text) is not None or _nests_deep(text) or _panics(text):
        return None
    try:
        source = _Source(text)
        out: list[Block] = []
        _children(source, parser.tree(text), out, 0, False, 0)
        if "\t" in text:
            _check_tabs(source)
        if "|" in text:
            _check_tables(source)
    except Exception:
        return None  # Unsupported, or pyrs failed: markdown-it-py reads it, and says what it makes of it
    except BaseException as exc:
        if type(exc).__name__ == "PanicException":  # a Rust panic, raised as pyo3's BaseException
            return None
        raise
    return out


# pyrs frees a tree recursively: a doc nested tens of thousands of levels deep (a line of
# 50,000 `> `, say) overflows the stack when its tree is dropped, and takes the process with
# it. No node can be nested deeper than twice the container markers and indentation of the
# line it starts on, nor an inline node deeper than the delimiters of its paragraph; a doc
# with more of either than these is never given to pyrs.
_MAX_PREFIX = 400
_MAX_DELIMITERS = 1_000
_PREFIX = re.compile(r"^[ \t>*+\-\d.)]{%d}" % (_MAX_PREFIX + 1), re.MULTILINE)
# A line with nothing but blockquote markers (each at most three spaces in: `    >` is a
# lazy line's text, or code) and spaces.
_BLANK_LINE = re.compile(r"\n(?: {0,3}>)* *\n")


_BACKTICKS = re.compile(r"`+")


def _panics(text: str) -> bool:
    """markdown-it-pyrs 0.4.0 panics on an open `[` followed by a backtick run that closes no
    code span (`[`a`, say): a paragraph (here: lines between blank lines) with a `[` and a
    line (or table cell, where the paragraph may hold a table) whose backtick runs do not pair
    up, or with raw HTML or an autolink that holds a backtick, is never given to it."""
    if "`" not in text or "[" not in text:
        return False
    for chunk in _BLANK_LINE.split(text):
        if "[" in chunk and "`" in chunk:
            if "<" in chunk and _html_holds_backticks(chunk):
                return True  # raw HTML, autolinks and comments take backticks out of the pairing
            cells = "|" in chunk and _DELIMITER_ROW.search(chunk) is not None  # (a table's are parsed one by one)
            for line in chunk.split("\n"):
                if "`" in line and not _fence_line(line) and \
                        not all(_paired(cell) for cell in (line.split("|") if cells and "|" in line else (line,))):
                    return True
    return False


# A line that may be a table's delimiter row (`|---|:-:|`), after any container markers: a
# table's lines are never apart from it, as no blank line is inside a table.
_DELIMITER_ROW = re.compile(r"^[ \t>*+.)\d|:]*-[ \t>*+.)\d|:-]*$", re.MULTILINE)
# What may open raw HTML or an autolink, and where a comment, a processing instruction or a
# CDATA section ends (a declaration ends at `>`; a tag is matched whole).
_HTML_OPENING = re.compile(r"<(!--|\?|!\[CDATA\[|[A-Za-z/!])")
_HTML_ENDING = {"!--": "-->", "?": "?>", "![CDATA[": "]]>"}
# What an autolink cannot hold (`<https://x.y/a`b>` and `<a`b@c.d>` are autolinks).
_NO_AUTOLINK = re.compile(r"[\s<]")
# Container markers at the start of a line: the inline content pyrs reads has none (but a
# `2.` that cannot interrupt a paragraph is its text).
_MARKERS = re.compile(r"^(?:[ \t>]|[-*+](?=[ \t])|\d{1,9}[.)](?=[ \t]))+", re.MULTILINE)
_QUOTES = re.compile(r"^[ \t>]+", re.MULTILINE)
_MAX_HTML_WORK = 4_000_000  # `<`s times characters


def _html_holds_backticks(chunk: str) -> bool:
    """Could raw HTML, a comment or an autolink here hold a backtick? A tag is matched as
    markdown-it's inline HTML rule matches it (a `<` that opens none is text, as in
    `Omit<T, 'id'>`); a comment, a processing instruction or CDATA runs to its end, or to the
    paragraph's; an autolink (an email one may start with almost anything) to the next `>`.
    The lines are tried as written, without their blockquote markers, and without any
    container markers, as a tag may run over lines."""
    if chunk.count("<") * len(chunk) > _MAX_HTML_WORK:
        return True  # each `<` is looked at to its end: a paragraph this large is left to markdown-it-py
    for text in {chunk, _QUOTES.sub("", chunk), _MARKERS.sub("", chunk)}:
        start = text.find("<")
        while start >= 0:
            close = text.find(">", start)
            if close >= 0 and "`" in text[start:close] and _NO_AUTOLINK.search(text, start + 1, close) is None:
                return True
            start = text.find("<", start + 1)
        for opening in _HTML_OPENING.finditer(text):
            start, kind = opening.start(), opening.group(1)
            close = text.find(">", start)
            if kind in _HTML_ENDING:
                end = text.find(_HTML_ENDING[kind], opening.end())
                region = text[start:] if end < 0 else text[start:end]
            elif kind == "!":
                region = text[start:] if close < 0 else text[start:close]
            else:
                tag = HTML_TAG_RE.match(text, start)
                region = tag.group() if tag is not None else ""
            if "`" in region:
                return True
    return False


def _fence_line(line: str) -> bool:
    """A fence's opening or closing line: its run opens no code span. (The lines between are
    checked as any other: a container ending may have ended the fence before them.)"""
    fence = _FENCE.match(line)
    return fence is not None and "`" not in line[fence.end():]


# A fence's opening or closing line, after any container markers (each, and the fence, at
# most three spaces in: a line indented further may be a paragraph's, whose runs count).
_FENCE = re.compile(r"(?: {0,3}(?:> ?|(?:[-*+]|0{0,8}1[.)]) +))* {0,3}`{3,}")  # only `1.` interrupts a paragraph


def _paired(line: str) -> bool:
    """Does every backtick run of this line open or close a code span on it? Not known for
    certain with an escaped backtick about (a backslash escapes none inside a code span)."""
    if "\\`" in line:
        return False
    runs = [len(run) for run in _BACKTICKS.findall(line)]
    index = 0
    while index < len(runs):
        try:
            index = runs.index(runs[index], index + 1) + 1
        except ValueError:
            return False
    return True


def _nests_deep(text: str) -> bool:
    if _PREFIX.search(text) is not None:
        return True
    delimiters = ("[", "*", "_", "~")
    if sum(text.count(d) for d in delimiters) <= _MAX_DELIMITERS:
        return False
    return any(sum(chunk.count(d) for d in delimiters) > _MAX_DELIMITERS for chunk in _BLANK_LINE.split(text))


def _check_tables(source: _Source) -> None:
    """markdown-it-py tries its table rule first at every line a block may start on, and
    within a paragraph: a line with a pipe over a delimiter row is a table's header to it,
    even as a blockquote's first line (`> |`). Where pyrs saw no table there, the doc is
    `Unsupported`."""
    lines = source.lines
    skip = _lines_in(source.opaque, len(lines))
    for line in range(len(lines) - 1):
        text = lines[line]
        if "|" not in text or line in source.tables or skip[line]:
            continue
        below = lines[line + 1]
        header = _CONTAINERS.sub("", text, count=1)
        if _a_table_to_markdown_it_py(text.strip(), below.lstrip()) or \
                _a_table_to_markdown_it_py(text.strip(" >"), below.lstrip(" >")) or \
                _a_table_to_markdown_it_py(header.strip(), _CONTAINERS.sub("", below, count=1).lstrip()):
            raise Unsupported("a table markdown-it-py sees where pyrs does not")


def _check_tabs(source: _Source) -> None:
    """Tabs in indentation are read alike only inside a fenced block at the top level, and as
    the one tab after a list marker."""
    verbatim = _lines_in(source.verbatim, len(source.lines))
    for index, line in enumerate(source.lines):
        if "\t" in line and not verbatim[index] and _TAB_IN_INDENT.match(line) is not None:
            marker = _TAB_AFTER_MARKER.match(line)
            if marker is None or _TAB_IN_INDENT.match(line, marker.end()) is not None:
                raise Unsupported("a tab in indentation")


def _lines_in(spans: list[tuple[int, int]], count: int) -> bytearray:
    """A flag for each of `count` lines: is it in one of these (first, last) spans?"""
    flags = bytearray(count)
    for first, last in spans:
        first, last = max(first, 0), min(last, count - 1)
        if last >= first:
            flags[first:last + 1] = b"\x01" * (last + 1 - first)
    return flags


def _children(source: _Source, node: Node, out: list[Block], quotes: int, in_list: bool, level: int) -> None:
    if level > _MAX_LEVEL:
        raise Unsupported("nested too deep")
    loose: list[Node] = []  # a tight list item's paragraph: its inline nodes, with no node around them
    for child in node.children:
        name = child.name
        if name in _INLINE_NODES:
            loose.append(child)
            continue
        if loose:
            _paragraph(source, loose, loose[0].srcmap, loose[-1].srcmap, out, quotes, in_list)
            loose = []
        if name == "paragraph":
            nodes = child.children
            if not nodes:
                raise Unsupported("an empty paragraph")
            _paragraph(source, nodes, child.srcmap, child.srcmap, out, quotes, in_list)
        elif name in ("bullet_list", "ordered_list", "list_item"):
            _children(source, child, out, quotes, True, level + 1)
        elif name == "blockquote":
            _children(source, child, out, quotes + 1, in_list, level + 1)
        elif name == "heading":
            _heading(source, child, out)
        elif name == "lheading":
            _lheading(source, child, out, quotes, in_list)
        elif name in ("fence", "code_block", "html_block"):
            first, last = source.lines_of(child.srcmap)
            start = source.starts[first] if child.srcmap is None else child.srcmap[0]  # (lines_of had one)
            if name == "html_block":
                _check_html_block(source, first, last, source.column(first, start))
            if last == len(source.lines) - 1:
                raise Unsupported("a block running to the end of a doc without a final newline")
            if name == "fence" and level == 0 and source.starts[first] == start:
                source.verbatim.append((first + 1, last - 1))
            if name == "code_block" and _after_text(source, first):
                raise Unsupported("indented code right after a line of text")  # it cannot interrupt a paragraph
            if level == 0:  # markdown-it-py's table rule is not tried inside, but at a fence's or HTML's first line
                source.opaque.append((first + (name != "code_block"), last))
            meta = child.meta
            out.append(Block(name, [first, last + 1], str(meta.get("content", "")),
                             str(meta.get("info", "")) if name == "fence" else ""))
        elif name == "table":
            _table(source, child, out, quotes, in_list)
        elif name != "hr":
            raise Unsupported(name)  # a reference definition, or a node this module does not know
        if name not in ("paragraph", "bullet_list", "ordered_list", "list_item", "blockquote"):
            source.ends[source.lines_of(child.srcmap)[1]] = (quotes, in_list)
    if loose:
        _paragraph(source, loose, loose[0].srcmap, loose[-1].srcmap, out, quotes, in_list)


def _content(source: _Source, first: int, last: int, column: int, quotes: int, in_list: bool) -> str:
    """A paragraph's content as markdown-it-py's getLines and trim cut it. Outside lists that
    is every line after the blockquote markers markdown-it-py's blockquote rule skips. In a
    list it would also take off up to the item's indentation; here all of it goes, which the
    inline rules skip anyway (`_inline_nodes` makes sure nothing else reads it).

    A line of a blockquote's paragraph without its markers (a lazy continuation line) is
    `Unsupported`: markdown-it-py lets a list item of any number end the blockquote there,
    where CommonMark and pyrs read on."""
    lines = source.lines
    if first == last:
        return mdTrim(lines[first][column:])
    parts = [lines[first][column:]]
    for index in range(first + 1, last + 1):
        line = lines[index]
        if in_list:
            # after a line break, content cannot start with `>`: that would open a blockquote
            stripped = line.lstrip(" >") if quotes else line.lstrip(" ")
            if quotes and line[: len(line) - len(stripped)].count(">") != quotes:
                raise Unsupported("a lazy continuation line in a blockquote, or content starting with `>`")
            line = stripped
        elif quotes:
            line = _unquoted(line, quotes, strict=True)
        parts.append(line)
    return mdTrim("\n".join(parts))


def _unquoted(line: str, quotes: int, strict: bool = False) -> str:
    """A line after its blockquote markers. A lazy continuation line has fewer than the
    `quotes` around it: `Unsupported` when `strict`."""
    for _ in range(quotes):
        marker = _QUOTE_MARKER.match(line)
        if marker is None:
            if strict:
                raise Unsupported("a lazy continuation line in a blockquote")
            break
        line = line[marker.end():]
    return line


def _paragraph(source: _Source, nodes: Sequence[Node], opening: tuple[int, int] | None,
               closing: tuple[int, int] | None, out: list[Block], quotes: int, in_list: bool) -> None:
    if opening is None or closing is None:
        raise Unsupported("a node without a source map")
    if opening[0] > opening[1] or closing[0] > closing[1]:
        raise Unsupported("a source map that ends before it starts")  # seen on emphasis after `-\t`
    start, end = opening[0], closing[1]
    first, last = source.line_of(start), source.line_of(max(end - 1, start))
    _check_ends(source, first, start, last, end)
    if first - 1 in source.text_ends and _NEW_CONTAINER.match(source.lines[first]) is None:
        # a paragraph's line after a paragraph's is its lazy continuation, unless a blockquote
        # or a list item starts there
        raise Unsupported("a paragraph markdown-it-py reads on into")
    column = source.column(first, start)
    if "<" in source.lines[first] or first != last:
        _no_html_within(source, first, last, column)
    block = Block("inline", [first, last + 1], _content(source, first, last, column, quotes, in_list))
    block.nodes, block.in_paragraph = _inline_nodes(source, nodes, first != last, in_list), True
    source.ends[last] = (quotes, in_list)
    source.text_ends.add(last)
    out.append(_PARAGRAPH_OPEN)
    out.append(block)


def _check_ends(source: _Source, first: int, start: int, last: int | None = None, end: int = 0) -> None:
    """pyrs's source maps are not always right (a `strong` node has been seen to start after
    it ends): a block's content must start after nothing but container markers and end
    before nothing but spaces, or the doc is `Unsupported`."""
    if last is not None and start > end:
        raise Unsupported("a source map that ends before it starts")
    if _MARKERS_ONLY.fullmatch(source.lines[first][:source.column(first, start)]) is None:
        raise Unsupported("a source map that starts inside the content")
    if last is not None and source.lines[last][source.column(last, end):].strip(" \t"):
        raise Unsupported("a source map that ends inside the content")


def _after_text(source: _Source, first: int) -> bool:
    """Is the line before a block's first a paragraph's, or one no block pyrs read ends on?
    (Indented code and an HTML block of kind 7 cannot interrupt a paragraph.)"""
    if not first or not source.lines[first - 1].strip(" >"):
        return False
    return first - 1 not in source.ends or first - 1 in source.text_ends


def _html_start(text: str) -> tuple[re.Pattern[str], re.Pattern[str], bool] | None:
    """markdown-it-py's HTML block kind for a line starting so, or None."""
    if not text.startswith("<"):
        return None
    return next((kind for kind in HTML_SEQUENCES if kind[0].search(text)), None)


def _check_html_block(source: _Source, first: int, last: int, column: int) -> None:
    """An HTML block is one to markdown-it-py too, ending on the same line: its kinds differ
    from pyrs's CommonMark version's (`<!a` opens one in markdown-it-py only)."""
    lines = source.lines
    kind = _html_start(lines[first][column:])
    if kind is None:
        raise Unsupported("an HTML block markdown-it-py does not see")
    opening, closing, interrupts = kind
    if not interrupts and _after_text(source, first):
        raise Unsupported("an HTML block that cannot interrupt a paragraph, after a line of text")
    if closing.search(""):  # kinds 6 and 7 run to a blank line
        if any(not lines[line].strip(" >") for line in range(first + 1, last + 1)) or \
                (last + 1 < len(lines) and lines[last + 1].strip(" >")):
            raise Unsupported("an HTML block ending elsewhere")
        return
    end = next((line for line in range(first, last + 1)
                if closing.search(lines[first][column:] if line == first else _CONTAINERS.sub("", lines[line], count=1))),
               None)
    if end != last:
        raise Unsupported("an HTML block ending elsewhere")


def _no_html_within(source: _Source, first: int, last: int, column: int) -> None:
    """A paragraph markdown-it-py would start an HTML block in: at its start, or (for the
    kinds that may) on a later line."""
    lines = source.lines
    if _html_start(lines[first][column:]) is not None:
        raise Unsupported("a paragraph markdown-it-py reads as HTML")
    for line in range(first + 1, last + 1):
        if "<" not in lines[line]:
            continue
        kind = _html_start(_CONTAINERS.sub("", lines[line], count=1).lstrip(" "))
        if kind is not None and kind[2]:
            raise Unsupported("a paragraph markdown-it-py ends with HTML")


def _broken(source: _Source, nodes: Sequence[Node], depth: int = 0) -> bool:
    """Is a code span, raw HTML or a link written across a line break? markdown-it-py keeps
    the next line's indentation in such content where CommonMark (and pyrs) drop it."""
    if depth > 32:
        raise Unsupported("inline content nested too deep")
    data = source.data
    for node in nodes:
        if node.name in _VERBATIM_NODES:
            if node.srcmap is None or node.srcmap[0] > node.srcmap[1]:
                raise Unsupported("a node without a usable source map")
            if b"\n" in data[node.srcmap[0]:node.srcmap[1]]:
                return True
        children = node.children
        if children and _broken(source, children, depth + 1):
            return True
    return False


def _inline_nodes(source: _Source, nodes: Sequence[Node], several_lines: bool, in_list: bool) -> Sequence[Node] | None:
    """The nodes `inline_tokens` may read this content from: None where syntax spans a line
    break (markdown-it-py parses it). In a list the rebuilt content itself would differ there."""
    if not several_lines or not _broken(source, nodes):
        return nodes
    if in_list:
        raise Unsupported("inline syntax across a line break in a list")
    return None


def _heading(source: _Source, node: Node, out: list[Block]) -> None:
    """An ATX heading's content as markdown-it-py's heading rule cuts it from its line."""
    if node.srcmap is None:
        raise Unsupported("a node without a source map")
    line = source.line_of(node.srcmap[0])
    _check_ends(source, line, node.srcmap[0])
    text = source.lines[line]
    pos = source.column(line, node.srcmap[0])
    end = len(text)
    while pos < end and text[pos] == "#":
        pos += 1
    while end > pos and isStrSpace(text[end - 1]):
        end -= 1
    closing = end
    while closing > pos and text[closing - 1] == "#":
        closing -= 1
    if closing > pos and isStrSpace(text[closing - 1]):
        end = closing
    block = Block("inline", [line, line + 1], mdTrim(text[pos:end]))
    block.nodes = node.children
    out.append(_HEADING_OPEN)
    out.append(block)
    out.append(_HEADING_CLOSE)


def _lheading(source: _Source, node: Node, out: list[Block], quotes: int, in_list: bool) -> None:
    """A setext heading: its text lines as a paragraph's, the underline after them."""
    first, underline = source.lines_of(node.srcmap)
    if underline <= first or node.srcmap is None:
        raise Unsupported("a setext heading on one line")
    _check_ends(source, first, node.srcmap[0], underline, node.srcmap[1])
    _no_html_within(source, first, underline - 1, source.column(first, node.srcmap[0]))
    block = Block("inline", [first, underline], _content(source, first, underline - 1,
                                                         source.column(first, node.srcmap[0]), quotes, in_list))
    block.nodes = _inline_nodes(source, node.children, underline - 1 > first, in_list)
    out.append(_HEADING_OPEN)
    out.append(block)
    out.append(_HEADING_CLOSE)


def _table(source: _Source, node: Node, out: list[Block], quotes: int, in_list: bool) -> None:
    """A table's rows as markdown-it-py's table rule splits them: the header row's cells set
    the number of cells in every row, the delimiter row is no row."""
    first, last = source.lines_of(node.srcmap)
    if last <= first:
        raise Unsupported("a table without a delimiter row")
    source.tables.add(first)
    source.opaque.append((first + 1, last))
    out.append(Block("table_open", [first, last + 1]))
    rows = {}  # line -> where the row starts (after its container markers) and its cells
    for part in node.children:
        for row in part.children:
            if row.srcmap is None:
                raise Unsupported("a node without a source map")
            line = source.line_of(row.srcmap[0])
            rows[line] = (source.column(line, row.srcmap[0]), row.children)
    if first not in rows:
        raise Unsupported("a table line that is no row")
    header_start = rows[first][0]
    if first and source.lines[first - 1].strip(" >") and (in_list or source.ends.get(first - 1) != (quotes, False)):
        # right after a block of the same blockquote (a paragraph it interrupts, say) both
        # parsers start a table; after any other line (a lazy line, a list item's)
        # markdown-it-py may read on
        raise Unsupported("a table interrupting a block")
    if not in_list and (source.lines[first][:header_start].strip(" >")
                        or _LIST_MARKER.match(source.lines[first], header_start) is not None):
        raise Unsupported("a table after a list marker, outside the list")  # pyrs has been seen to do that
    if not _a_table_to_markdown_it_py(mdTrim(source.lines[first][header_start:]),
                                      _unquoted(source.lines[first + 1], quotes, strict=True).lstrip(" ")):
        raise Unsupported("a table markdown-it-py does not see")
    count = 0
    made_up = 0
    for line in range(first, last + 1):
        if line == first + 1:
            continue
        if line not in rows:
            raise Unsupported("a table line that is no row")
        start, cells = rows[line]
        written = mdTrim(source.lines[line][start:])  # as markdown-it-py's getLine, trimmed
        if line > first + 1 and (_ENDS_TABLE.match(written) is not None or not 0 <= start - header_start < 4):
            raise Unsupported("a row markdown-it-py may end the table at")
        columns = _cells(written)
        if line == first:
            count = len(columns)
        else:
            made_up += count - len(columns)
            if made_up > _MAX_AUTOCOMPLETED_CELLS:
                raise Unsupported("a table with too many missing cells")
        out.append(Block("tr_open", [line, line + 1]))
        # cells made up or left out, or split where pyrs may split otherwise: markdown-it-py parses each
        nodes = cells if len(cells) == count and not ("\\|" in written and "`" in written) else None
        for index in range(count):
            if line == first:
                content = mdTrim(columns[index])
            else:
                content = mdTrim(columns[index]) if index < len(columns) and columns[index] else ""
            cell = Block("inline", [line, line + 1], content)
            if nodes is not None:
                cell.nodes = nodes[index].children
            out.append(cell)
        out.append(_ROW_CLOSE)


_ALIGNMENT = re.compile(r"^:?-+:?$")
_ITEM = r"(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)"  # a list item's marker
_NEW_CONTAINER = re.compile(rf"[ \t]*(?:>|{_ITEM})")  # a blockquote or a list item starts the line
_LIST_MARKER = re.compile(rf"[ \t>]*{_ITEM}")  # a list item starts the line, maybe in a blockquote
# Nothing but container markers and spaces: what may come before a block's content on its line.
_MARKERS_ONLY = re.compile(r"(?: *(?:>|[-*+]\t?|\d{1,9}[.)]\t?))* *")  # (`_TAB_AFTER_MARKER`)
# Blockquote markers and list markers at the start of a line.
_CONTAINERS = re.compile(r"^(?: {0,3}(?:> ?|(?:[-*+]|\d{1,9}[.)])(?: +|$)))*")


def _a_table_to_markdown_it_py(header: str, delimiter: str) -> bool:
    """markdown-it-py's table rule's own tests of a header and a delimiter row (GFM allows
    some tables it does not: a header without a pipe, say)."""
    if len(delimiter) < 2 or delimiter[0] not in "|-:" or delimiter[1] not in "|-: \t" or \
            (delimiter[0] == "-" and delimiter[1] in " \t") or delimiter.strip("|-: \t"):
        return False
    aligns = 0
    columns = delimiter.split("|")
    for index, column in enumerate(columns):
        trimmed = mdTrim(column)
        if not trimmed:
            if index in (0, len(columns) - 1):
                continue
            return False
        if not _ALIGNMENT.search(trimmed):
            return False
        aligns += 1
    return "|" in header and 0 < len(_cells(header)) == aligns


def _cells(row: str) -> list[str]:
    """A table row's cells as markdown-it-py's table rule splits them (escaped pipes kept
    in, the empty ends of `| a | b |` left out)."""
    cells = escapedSplit(row)
    if cells and cells[0] == "":
        cells.pop(0)
    if cells and cells[-1] == "":
        cells.pop()
    return cells


def inline_tokens(nodes: Sequence[Node]) -> list[Block] | None:
    """Inline tokens as markdown-it-py makes them (adjacent text joined) for content of text,
    code spans, emphasis, strikethrough and line breaks only; None for any other."""
    out: list[Block] = []
    return out if _inline(nodes, out, 0) else None


def _inline(nodes: Sequence[Node], out: list[Block], depth: int) -> bool:
    if depth > 32:
        return False
    for node in nodes:
        name = node.name
        if name == "text":
            text = str(node.meta.get("content", ""))
            if out and out[-1].type == "text":
                out[-1].content += text
            else:
                out.append(Block("text", None, text))
        elif name in ("softbreak", "hardbreak"):
            out.append(Block(name))
        elif name == "code_inline":
            code = Block("code_inline", None, "".join(str(c.meta.get("content", "")) for c in node.children))
            code.markup = "`" * int(node.meta.get("marker_len", 1))
            out.append(code)
        elif name in ("em", "strong", "strikethrough"):
            tag = "s" if name == "strikethrough" else name
            out.append(Block(tag + "_open"))
            if not _inline(node.children, out, depth + 1):
                return False
            out.append(Block(tag + "_close"))
        else:
            return False
    return True
