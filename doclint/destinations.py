"""Link destinations exactly as written: where markdown-it found them, and rewriting one in
the author's form.

markdown-it's tokens give a destination normalised (percent-encoded, unescaped) and without
a position, and a reference link's token does not say where its definition is. `install`
wraps markdown-it's own link, image and reference rules so that the same parse also records
where each destination is written: a link token's meta gets its extent and, for an inline
link, its destination's offsets in the inline content; a reference link's meta has its
label, and the env maps each label to the place of its definition's destination.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import quote

from doclint.findings import Span

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.parser_block import RuleFuncBlockType
    from markdown_it.parser_inline import RuleFuncInlineType
    from markdown_it.rules_block import StateBlock
    from markdown_it.rules_inline import StateInline

DEFINITIONS = "doclint_definitions"  # env key: label -> Span of its definition's destination, or None

_SPACE = " \t"
_ESCAPE = re.compile(r"%[0-9A-Fa-f]{2}")


def install(md: "MarkdownIt") -> None:
    from markdown_it.rules_block import reference
    from markdown_it.rules_inline import image, link

    md.options["store_labels"] = True  # a reference link's token says which definition it used
    md.inline.ruler.at("link", _with_extent(link, label_offset=0, disable_nested=True))
    md.inline.ruler.at("image", _with_extent(image, label_offset=1, disable_nested=False))
    md.block.ruler.at("reference", _with_definition_place(reference))


def _with_extent(rule: RuleFuncInlineType, label_offset: int, disable_nested: bool) -> RuleFuncInlineType:
    def located(state: StateInline, silent: bool) -> bool:
        start, first = state.pos, len(state.tokens)
        if not rule(state, silent):
            return False
        if not silent:
            # the rule's first push may be the text pending before the link
            token = next(t for t in state.tokens[first:] if t.type in ("link_open", "image"))
            token.meta["extent"] = (start, state.pos)
            if "label" not in token.meta:  # an inline link: `[text](destination "title")`
                token.meta["destination"] = _inline_destination(state, start + label_offset, disable_nested)
        return True

    return located


def _inline_destination(state: StateInline, bracket: int, disable_nested: bool) -> tuple[int, int] | None:
    """Offsets of the destination of the inline link whose text opens at `bracket`, found
    with the helpers and the steps markdown-it's link rule used to read it."""
    label_end = state.md.helpers.parseLinkLabel(state, bracket, disable_nested)
    pos = label_end + 2  # past "]("
    while pos < state.posMax and (state.src[pos] in _SPACE or state.src[pos] == "\n"):
        pos += 1
    found = state.md.helpers.parseLinkDestination(state.src, pos, state.posMax)
    return (pos, found.pos) if label_end >= 0 and found.ok and found.pos > pos else None


def _with_definition_place(rule: RuleFuncBlockType) -> RuleFuncBlockType:
    def located(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
        if not rule(state, start_line, end_line, silent):
            return False
        if not silent:
            label, place = _definition_destination(state, start_line)
            places = state.env.setdefault(DEFINITIONS, {})
            if label not in places:  # the first definition of a label is the one links use
                places[label] = place
        return True

    return located


def _definition_destination(state: StateBlock, start_line: int) -> tuple[str, Span | None]:
    """The label of the definition the reference rule just read (lines start_line to
    state.line), and where its destination is: the same text the rule joined, read the same way."""
    from markdown_it.common.utils import normalizeReference

    text, pieces = "", []  # pieces: (offset in text, line index, offset in the source)
    for line in range(start_line, state.line):
        begin = state.bMarks[line] + state.tShift[line]
        pieces.append((len(text), line, begin))
        text += state.src[begin : state.eMarks[line] + 1]
    pos = 1
    while pos < len(text) and text[pos] != "]":
        pos += 2 if text[pos] == "\\" else 1
    label = normalizeReference(text[1:pos])
    pos += 2  # past "]:"
    while pos < len(text) and (text[pos] in _SPACE or text[pos] == "\n"):
        pos += 1
    found = state.md.helpers.parseLinkDestination(text, pos, len(text))
    if not found.ok or found.pos <= pos:
        return label, None
    offset, line, begin = next(p for p in reversed(pieces) if p[0] <= pos)
    source = begin + pos - offset
    column = source - (state.src.rfind("\n", 0, source) + 1) + 1
    return label, Span(line + 1, column, line + 1, column + found.pos - pos)


def rewrite_destination(written: str, path: str | None = None, fragment: str | None = None) -> str:
    """A link destination exactly as written, with a new path and/or fragment (None: keep
    it) and nothing else changed: angle brackets and the `?query` are kept, the new path is
    percent-encoded when the author's was, and where a bare destination needs it."""
    angle = len(written) >= 2 and written.startswith("<") and written.endswith(">")
    inner = written[1:-1] if angle else written
    rest, hashed, old_fragment = inner.partition("#")
    old_path, queried, query = rest.partition("?")
    new_path = old_path if path is None else _encode(path, bool(_ESCAPE.search(old_path)), angle)
    new = new_path + ("?" + query if queried else "")
    if fragment is not None:
        new += "#" + fragment
    elif hashed:
        new += "#" + old_fragment
    return f"<{new}>" if angle else new


def _encode(path: str, percent_encoded: bool, angle: bool) -> str:
    """A path as a destination reads it back: in the author's percent-encoding, or raw with
    only what would end or change the destination encoded."""
    if percent_encoded:
        return quote(path, safe="/!$&'*+,;=:@~")
    special = "%#?\\<>" if angle else "%#?\\<>() "
    return "".join(f"%{ord(c):02X}" if c in special or ord(c) < 0x20 or c == "\x7f" else c for c in path)
