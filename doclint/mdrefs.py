"""What a Markdown document says about the code: its references, anchors and suppressions.

`scan_markdown` is a pure function of a document's text. It walks markdown-it-py's block
tokens (never regular expressions over raw Markdown) and hands each to the reader for its
type, through a table as mdformat does; inline content is placed in the file by
`mdrefs_positions` and its code spans are judged by `mdrefs_classify`. Front matter and
MDX's ESM and JSX are set aside first (`mdrefs_source`). For most docs the same tokens come
faster from markdown-it-pyrs's tree (`mdaccel`, `_accelerated` below), proven equal.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from doclint.destinations import DEFINITIONS, install
from doclint.findings import Span
from doclint.mdrefs_classify import (
    LINE_FRAGMENT,
    LITERAL,
    RANGE_THEN_NAME,
    SCHEME,
    STRONG_EXTENSIONS,
    classify_path,
    classify_symbol,
    code_path,
    fragment_lines,
    hypothetical,
    in_expression,
    link_file,
    tied_file,
)
from doclint.mdrefs_positions import (
    Item,
    Locator,
    TokenView,
    flatten,
    item_text,
    locate_items,
    plain_text,
    where_line,
)
from doclint.mdrefs_source import (
    HTML_ANCHOR,
    front_matter_patterns,
    front_matter_scalars,
    split_front_matter,
    split_mdx,
)
from doclint.mdrefs_types import DocScan, Excerpt, LineRange, LinkRef, PathRef, Suppression, SymbolRef
from doclint.slugs import Slugger
from doclint.tree import text_lines

if TYPE_CHECKING:  # markdown-it is imported when the first doc is parsed, not by a cached run
    from markdown_it import MarkdownIt
    from markdown_it.rules_core import StateCore
    from markdown_it.token import Token

__all__ = [
    "LINE_FRAGMENT", "SCHEME", "STRONG_EXTENSIONS", "DocScan", "Excerpt", "LineRange", "LinkRef", "PathRef",
    "Suppression", "SymbolRef", "classify_path", "classify_symbol", "fragment_lines", "front_matter_patterns",
    "front_matter_scalars", "scan_markdown", "split_front_matter", "split_mdx", "where_line",
]

_CODE_WORD = re.compile(r"[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*")
_SUPPRESSION = re.compile(
    r"<!--\s*doclint-(?P<kind>disable-next-line|disable-line|disable|enable)\b(?P<rules>[^>]*?)\s*-->"
)
_ID_LIKE = re.compile(r"[A-Za-z][0-9]")
_EXCERPT = re.compile(r"(?:^|\s)excerpt=(?P<path>[^\s:#]+)(?::(?P<a>\d+)-(?P<b>\d+)|#L(?P<c>\d+)-L?(?P<d>\d+))")

# A character that starts inline syntax (code, link, image, autolink, HTML, entity, escape,
# emphasis, strikethrough), or a letter then a digit (a spec ID such as `I7` in prose).
# Inline content with none of these is plain text: there is nothing in it to find.
_INLINE_SYNTAX = re.compile(r"[`\[\]!<&\\*_~]|[A-Za-z][0-9]")
_TERMINATORS = re.compile(r"[\n!&*\[\\\]_`<~]")  # what the enabled inline rules start with, and `]`
# The same without emphasis and strikethrough, which change a heading's or a cell's text
# but leave nothing in a paragraph to record.
_RECORDED_SYNTAX = re.compile(r"[`\[\]!<&\\]|[A-Za-z][0-9]")


# --------------------------------------------------------------------------- the parser


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return _new_parser()


def _new_parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    install(md)  # the link rules also record where each destination is written
    md.core.ruler.at("inline", _inline_where_needed)
    # The text rule runs on until a character that may start another rule. The default set
    # also stops at characters only plugins use ($ % # + - : = @ ^ { } >); none is enabled
    # here, so text runs past them and the tokens come out the same with less work.
    md.inline.terminator_re = _TERMINATORS
    return md


@lru_cache(maxsize=1)
def _mdx_parser() -> MarkdownIt:
    """MDX has no indented code blocks: indentation is for JSX children."""
    return _new_parser().disable("code")


# Block rules and the marker each needs somewhere in the text (a table's header row has a
# pipe, a reference definition's `]:` is on one line). A rule whose marker is absent returns
# False wherever it is tried, as a block or as the end of a paragraph; leaving it out of the
# parser gives the same tokens with less work (a third of real docs have no table, most no
# reference definition).
_MARKERS = {"table": ("|",), "fence": ("```", "~~~"), "blockquote": (">",), "reference": ("]:",),
            "html_block": ("<",), "heading": ("#",)}
_SETEXT_UNDERLINE = re.compile(r"[=-][ \t]*(?:[\r\n]|\Z)")  # a line of `=` or `-`, as lheading needs


def _parser_for(text: str, mdx: bool) -> MarkdownIt:
    """The parser for this text: without the block rules it cannot trigger."""
    off = [rule for rule, markers in _MARKERS.items() if not any(marker in text for marker in markers)]
    if _SETEXT_UNDERLINE.search(text) is None:
        off.append("lheading")
    return _pruned(mdx, tuple(off))


@lru_cache(maxsize=64)
def _pruned(mdx: bool, off: tuple[str, ...]) -> MarkdownIt:
    if not off:
        return _mdx_parser() if mdx else _parser()
    md = _new_parser()
    return md.disable(["code", *off] if mdx else list(off))


def _inline_where_needed(state: StateCore) -> None:
    """markdown-it's core `inline` rule, skipping plain text (about half the inline blocks
    of a real documentation tree) and paragraphs whose only syntax is emphasis. A skipped
    block keeps no children; `scan_markdown` reads its content as the text it is."""
    tokens = state.tokens
    for index, token in enumerate(tokens):
        if token.type == "inline":
            if token.children is None:
                token.children = []
            if _needs_inline(token.content, bool(index) and tokens[index - 1].type == "paragraph_open"):
                state.md.inline.parse(token.content, state.md, state.env, token.children)


def _needs_inline(content: str, in_paragraph: bool) -> bool:
    return (_RECORDED_SYNTAX if in_paragraph else _INLINE_SYNTAX).search(content) is not None


# Inline syntax that `mdaccel.inline_tokens` leaves to markdown-it-py even where pyrs read it
# as text: links, images, raw HTML, autolinks, entities and escapes, whose rules the two
# parsers' CommonMark versions word differently (`<!a>` is HTML to markdown-it-py only).
_LINKS_HTML_ESCAPES = re.compile(r"[\\\[\]!<&]")
# ... and emphasis next to a character beyond ASCII: markdown-it-py counts symbols (`©`,
# `😀`) as punctuation where it decides whether a delimiter opens or closes, pyrs does not.
_EMPHASIS_BY_UNICODE = re.compile(r"[*_~][^\x00-\x7f]|[^\x00-\x7f][*_~]")


def _accelerated(text: str) -> list[TokenView] | None:
    """The doc's tokens from `mdaccel`, inline content that needs it parsed, or None where
    markdown-it-py must read the doc. Inline content with links, images, raw HTML, entities or
    escapes is parsed by markdown-it-py's inline rules (and joined as its core rules join it)."""
    from markdown_it.token import Token

    from doclint import mdaccel

    blocks = mdaccel.block_tokens(text)
    if blocks is None:
        return None
    tokens: list[TokenView] = []
    parsed: list[Token] = []  # parsed by markdown-it-py: its text is joined below
    md: MarkdownIt | None = None
    env: dict[str, Any] = {}
    for block in blocks:
        if block.type != "inline":
            tokens.append(block)
            continue
        block.children = []
        content = block.content
        if not _needs_inline(content, block.in_paragraph):
            tokens.append(block)
            continue
        if block.nodes is not None and _LINKS_HTML_ESCAPES.search(content) is None and \
                _EMPHASIS_BY_UNICODE.search(content) is None:
            converted = mdaccel.inline_tokens(block.nodes)
            if converted is not None:
                block.children = converted
                tokens.append(block)
                continue
        md = md or _parser()
        children: list[Token] = []
        token = Token("inline", "", 0, map=block.map, content=content, children=children)
        md.inline.parse(content, md, env, children)
        parsed.append(token)
        tokens.append(token)
    if parsed and md is not None:
        from markdown_it.rules_core import StateCore
        from markdown_it.rules_core.text_join import text_join

        state = StateCore(text, md, env)
        state.tokens = parsed
        text_join(state)
    return tokens


# --------------------------------------------------------------------------- the scan


def scan_markdown(text: str, mdx: bool = False) -> DocScan:
    lines = text_lines(text)
    scan = DocScan(line_count=len(lines))
    text, front = split_front_matter(text, lines)
    if front:
        scan.file_patterns = front_matter_patterns(lines, front)
    if mdx:
        text, scan.links, scan.anchors = split_mdx(text, text_lines(text))
    if front or mdx:
        lines = text_lines(text)
    env: dict[str, Any] = {}
    accelerated = None if mdx else _accelerated(text)
    tokens: Sequence[TokenView] = accelerated if accelerated is not None else _parser_for(text, mdx).parse(text, env)
    walk = _Walk(scan, lines, env.get(DEFINITIONS, {}))
    readers = _READERS
    for token in tokens:
        if token.map is not None:
            walk.block_map = token.map
        reader = readers.get(token.type)
        if reader is not None:
            reader(walk, token)
    return scan


@dataclass(slots=True)
class _Walk:
    """What the walk over one doc's block tokens carries from one token to the next."""

    scan: DocScan
    lines: list[str]
    definitions: dict[str, Span | None]  # label -> where its definition's destination is written
    recorded: set[str] = field(default_factory=set)  # labels whose definition is in scan.links already
    slugger: Slugger = field(default_factory=Slugger)
    in_heading: bool = False
    row: tuple[int, list[str]] | None = None  # the table row being read: its line and cell texts
    row_cursors: dict[int, int] = field(default_factory=dict)  # where the last cell of each line ended
    block_map: list[int] | None = None  # the map of the latest token that has one
    row_spans: list[tuple[str, int]] = field(default_factory=list)  # cells that are one name or one range

    def heading(self, line: int, text: str) -> None:
        slug = self.slugger.slug(text)
        self.scan.anchors.add(slug)
        self.scan.headings.append((line, text, slug))


def _heading_open(walk: _Walk, _token: TokenView) -> None:
    walk.in_heading = True


def _heading_close(walk: _Walk, _token: TokenView) -> None:
    walk.in_heading = False


def _paragraph_open(walk: _Walk, _token: TokenView) -> None:
    walk.row_cursors = {}


def _table_open(walk: _Walk, _token: TokenView) -> None:
    walk.scan.tables.append([])


def _row_open(walk: _Walk, token: TokenView) -> None:
    walk.row_cursors = {}
    walk.row = (where_line(token, walk.block_map), [])
    walk.scan.tables[-1].append(walk.row)


def _row_close(walk: _Walk, _token: TokenView) -> None:
    """"| `flush()` | `src/io.ts:40-52` |": a row whose one name and one range are cells of their
    own ties them, as a name written before its range is."""
    names = [at for kind, at in walk.row_spans if kind == "name"]
    ranges = [at for kind, at in walk.row_spans if kind == "range"]
    if len(names) == 1 and len(ranges) == 1 and walk.scan.symbols[names[0]].file is None:
        ref = walk.scan.paths[ranges[0]]
        walk.scan.symbols[names[0]] = walk.scan.symbols[names[0]]._replace(file=ref.path, lines=ref.lines)
    walk.row = None
    walk.row_spans = []


def _code_block(walk: _Walk, token: TokenView) -> None:
    """A fence or an indented block: its words (names a doc may use), and an excerpt's claim."""
    scan = walk.scan
    fence = token.type == "fence"
    first = (token.map[0] + (1 if fence else 0) + 1) if token.map else 1
    scan.code_blocks.append((first, token.content))
    if fence and "excerpt=" in token.info and token.map:
        excerpt = _excerpt(token.info, token.content, token.map[0], walk.lines, first)
        if excerpt is not None:
            scan.excerpts.append(excerpt)
    words = set(_CODE_WORD.findall(token.content))
    scan.code_words |= words
    for word in words:
        if "." in word:
            scan.code_words.update(word.split("."))


def _html_block(walk: _Walk, token: TokenView) -> None:
    if token.map is None:
        return
    scan, html, first_line, lines = walk.scan, token.content, token.map[0], walk.lines
    for anchor in HTML_ANCHOR.findall(html):
        scan.anchors.add(anchor)
    for match in _SUPPRESSION.finditer(html):
        line = first_line + html.count("\n", 0, match.start()) + 1
        source = lines[line - 1] if line - 1 < len(lines) else ""
        in_block = match.start() - html.rfind("\n", 0, match.start()) - 1  # the block may drop an indent
        found = source.find(match.group(0).split("\n", 1)[0], in_block)
        column = (found if found >= 0 else max(source.find("<!--"), 0)) + 1
        end_line = first_line + html.count("\n", 0, match.end()) + 1
        end_column = column + len(match.group(0)) if end_line == line else \
            match.end() - html.rfind("\n", 0, match.end())
        scan.suppressions.append(_suppression(match, Span(line, column, end_line, end_column)))


def _inline(walk: _Walk, token: TokenView) -> None:
    """A paragraph's, a heading's or a table cell's content."""
    where = token.map or walk.block_map or [0, 1]
    if not token.children:  # plain text (or nothing): the inline pass left it out
        if walk.in_heading:
            walk.heading(where[0] + 1, plain_text(token.content))
        if walk.row is not None:
            Locator(walk.lines, where[0], token.content, walk.row_cursors).locate()  # later cells start after it
            walk.row[1].append(plain_text(token.content))
        return
    locator = Locator(walk.lines, where[0], token.content, walk.row_cursors)
    if walk.row is not None:
        locator.locate()  # a table cell: later cells of the line start after it
    items = locate_items(token.children, token.content)
    if walk.in_heading:
        walk.heading(where[0] + 1, item_text(items))
    _record_spans(walk.scan, items, locator)
    paths = _record_links_and_paths(walk, items, locator)
    names_before = len(walk.scan.symbols)
    _record_names(walk.scan, items, paths)
    if walk.row is not None:
        walk.row[1].append(item_text(items))
        _note_cell(walk, items, paths, names_before)


def _note_cell(walk: _Walk, items: list[Item], paths: dict[int, PathRef], names_before: int) -> None:
    """A table cell that is one code span naming a declaration, or a path with a range."""
    spans = [index for index, item in enumerate(items) if item.kind != "text" or item.text.strip()]
    if len(spans) != 1 or items[spans[0]].kind != "code":
        return
    ref = paths.get(spans[0])
    if ref is not None:
        if ref.lines is not None:
            walk.row_spans.append(("range", len(walk.scan.paths) - 1))
    elif len(walk.scan.symbols) == names_before + 1:
        walk.row_spans.append(("name", names_before))


# The block tokens the scan reads; it skips every other one (list items, closing tags...).
_READERS: dict[str, Callable[[_Walk, TokenView], None]] = {
    "heading_open": _heading_open, "heading_close": _heading_close, "paragraph_open": _paragraph_open,
    "table_open": _table_open, "tr_open": _row_open, "tr_close": _row_close, "fence": _code_block,
    "code_block": _code_block, "html_block": _html_block, "inline": _inline,
}


def _excerpt(info: str, content: str, fence_line: int, lines: list[str], first: int) -> Excerpt | None:
    match = _EXCERPT.search(info)
    if match is None:
        return None
    start = int(match.group("a") or match.group("c"))
    end = int(match.group("b") or match.group("d"))
    source = lines[fence_line] if fence_line < len(lines) else ""
    column = source.find("excerpt=" + match.group("path"))
    column = column + len("excerpt=") + 1 if column >= 0 else 1
    span = Span(fence_line + 1, column, fence_line + 1, column + len(match.group("path")))
    return Excerpt(match.group("path"), start, end, content, span, first)


def _suppression(match: re.Match[str], span: Span) -> Suppression:
    rules = tuple(r for r in re.split(r"[\s,]+", match.group("rules").strip()) if r)
    return Suppression(match.group("kind"), rules, span.line, span)


# --------------------------------------------------------------------------- inline content


def _record_spans(scan: DocScan, items: list[Item], locator: Locator) -> None:
    """Code spans (each item's place kept for what follows), text that may cite a spec ID,
    and the anchors and suppressions of inline HTML, links' contents included."""
    ids = _ID_LIKE.search(locator.content) is not None
    for item in flatten(items):
        if item.kind == "text":
            if ids and item.start >= 0 and _ID_LIKE.search(item.text):  # a letter then a digit: `I7`
                scan.texts.append((item.text, locator.span(item.start, item.end)))
        elif item.kind == "code":
            if item.start >= 0 and item.end >= item.start:
                item.span = locator.span(item.start, item.end)
                scan.code_spans.append((item.text, item.span))
        elif item.kind == "html":
            _record_html(scan, item, locator)


def _record_html(scan: DocScan, item: Item, locator: Locator) -> None:
    for anchor in HTML_ANCHOR.findall(item.text):
        scan.anchors.add(anchor)
    if item.start < 0:
        return
    for match in _SUPPRESSION.finditer(item.text):
        scan.suppressions.append(_suppression(match, locator.span(item.start + match.start(), item.start + match.end())))


def _record_links_and_paths(walk: _Walk, items: list[Item], locator: Locator) -> dict[int, PathRef]:
    """Links, paths and string literals; returns index in items -> the path written there."""
    scan = walk.scan
    paths: dict[int, PathRef] = {}
    for index, item in enumerate(items):
        if item.kind == "link":
            link = _link_ref(item, locator, walk.definitions, walk.recorded)
            if link is not None:
                scan.links.append(link)
            _link_text_symbol(scan, item, locator)
        elif item.kind == "code" and item.span is not None:
            ref = code_path(item, item.span, locator, items[index + 1] if index + 1 < len(items) else None,
                            items[index - 1] if index > 0 else None)
            if ref is None:
                literal = LITERAL.fullmatch(item.text.strip())
                if literal:
                    scan.literals.append((literal.group(1) or literal.group(2), item.span))
                continue
            if hypothetical(items, index):
                ref = ref._replace(hypothetical=True)
            scan.paths.append(ref)
            paths[index] = ref
    return paths


def _record_names(scan: DocScan, items: list[Item], paths: dict[int, PathRef]) -> None:
    """Names, tied to the file they are said to live in when the prose says so."""
    named_at: dict[int, int] = {}  # index in items -> the name's place in scan.symbols
    for index, item in enumerate(items):
        if item.kind != "code" or index in paths or item.span is None:
            continue
        classified = classify_symbol(item.text)
        if classified is None:
            continue
        file, lines = tied_file(items, index, paths)
        named_at[index] = len(scan.symbols)
        scan.symbols.append(SymbolRef(classified[0], classified[1], item.span, file, lines, hypothetical(items, index),
                                      in_expression(items, index)))
    # "`src/a.ts:10-20` (`run`)": a range followed by the name it covers
    for index, ref in paths.items():
        if ref.lines is None or index + 2 >= len(items):
            continue
        between, named = items[index + 1], items[index + 2]
        if between.kind == "text" and RANGE_THEN_NAME.fullmatch(between.text) and named.kind == "code":
            number = named_at.get(index + 2)
            if number is not None and scan.symbols[number].file is None:
                scan.symbols[number] = scan.symbols[number]._replace(file=ref.path, lines=ref.lines)


def _link_ref(item: Item, locator: Locator, definitions: dict[str, Span | None], recorded: set[str]) -> LinkRef | None:
    """The link's destination where it is written: in the link, or in the definition a
    reference link uses (once per definition, however many links use it). Where it cannot
    be located for certain, the link itself, with nothing written to rewrite."""
    place = definitions.get(item.label) if item.label is not None else None
    if place is not None and item.label is not None:
        if item.label in recorded:
            return None
        recorded.add(item.label)
        return LinkRef(item.href, place, locator.written(place), item.is_image)
    if item.href_start >= 0:
        span = locator.span(item.href_start, item.href_end)
        written = locator.content[item.href_start : item.href_end]
        if locator.written(span) == written:
            return LinkRef(item.href, span, written, item.is_image)
    if item.start < 0 or item.end < item.start:
        return None
    return LinkRef(item.href, locator.span(item.start, item.end), "", item.is_image)


def _link_text_symbol(scan: DocScan, link: Item, locator: Locator) -> None:
    """`[`executeFrame`](../src/x.ts#L10-L20)`: the name is tied to the link's file and lines."""
    inner = link.inner or []
    codes = [i for i in inner if i.kind == "code"]
    if len(codes) != 1 or any(i.kind == "text" and i.text.strip() for i in inner):
        return
    classified = classify_symbol(codes[0].text)
    file, lines = link_file(link.href)
    if classified is None or codes[0].start < 0 or file is None:
        return
    span = locator.span(codes[0].start, codes[0].end)
    scan.symbols.append(SymbolRef(classified[0], classified[1], span, file, lines))
