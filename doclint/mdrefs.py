"""What a Markdown document says about the code: its references, anchors and suppressions.

`scan_markdown` is a pure function of a document's text. It walks markdown-it-py tokens
(never regular expressions over raw Markdown); inline tokens carry no position, so each
span's line and column come from the enclosing block's map plus its offset in the
block's content, as mdformat does.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from typing import TYPE_CHECKING

from doclint.destinations import DEFINITIONS, install
from doclint.findings import Span

if TYPE_CHECKING:  # markdown-it is imported when the first doc is parsed, not by a cached run
    from markdown_it import MarkdownIt
    from markdown_it.token import Token
from doclint.slugs import Slugger
from doclint.tree import text_lines

# File extensions that make a span a path even without a `/`.
PATH_EXTENSIONS = frozenset(
    "ts tsx mts cts js jsx mjs cjs md mdx markdown json jsonc json5 toml yaml yml css scss less "
    "html htm svg png jpg jpeg gif webp txt sh bash py scm glsl wgsl frag vert csv xml lock".split()
)
# File names in other languages and formats: `SyncClient.kt`, `user.proto` are files, never
# `SyncClient` with a member `kt`.
OTHER_EXTENSIONS = frozenset(
    "kt kts java swift go rs rb php c h cc cpp hpp m mm cs fs proto graphql gql sql prisma vue svelte "
    "astro env ini cfg conf gradle plist wasm zig dart lua ex exs erl hs ml scala clj pem crt key log "
    "tsbuildinfo map snap bin dat zip gz tgz pdf mp4 mp3 wav ttf woff woff2 ico avif bmp".split()
)
# The last label of a host name: `models.dev`, `vercel.app` name sites, not members.
_HOST_SUFFIXES = frozenset("com org net io dev app ai sh so co me xyz tech cloud site page pages gg tv ly to".split())
# A bare file name with one of these is reported when it exists nowhere; `Three.js` is not a file.
STRONG_EXTENSIONS = frozenset("ts tsx mts cts md mdx json jsonc toml yaml yml scm".split())

_SEGMENT = r"[\w@+\-.]+"
_PATH = re.compile(
    rf"(?P<path>(?:\.\.?/)*{_SEGMENT}(?:/{_SEGMENT})*/?)"
    r"(?:"
    r":(?P<colon_start>\d+)(?:\s*[-–]\s*(?P<colon_end>\d+))?(?::\d+)?"
    r"|#L(?P<hash_start>\d+)(?:-L?(?P<hash_end>\d+))?"
    r"|#(?P<symbol>[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)(?:\(\))?"
    r")?"
)
_IDENT = r"[A-Za-z_$][\w$]*"
_CALL = re.compile(rf"(?:new\s+)?(?P<name>{_IDENT}(?:\.{_IDENT})*)(?:<[^()]*>)?\((?P<args>[^()]*(?:\([^()]*\)[^()]*)*)\);?")
_QUALIFIED = re.compile(rf"{_IDENT}(?:\.{_IDENT})+")
_BARE = re.compile(_IDENT)
_LITERAL = re.compile(r"'([\w$-]+)'|\"([\w$-]+)\"")
_CODE_WORD = re.compile(r"[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*")
LINE_FRAGMENT = re.compile(r"L(\d+)(?:-L?(\d+))?")  # `#L12`, `#L12-L40`
# "`path` (lines 12-40)", "`path`, line 12", "`path` at line 12", "`path`:12"
_RANGE_AFTER_PATH = re.compile(
    r"\s*,?\s*\(?\s*(?:at\s+|on\s+)?(?:lines?\s*|L)(?P<start>\d+)(?:\s*(?:-|–|—|to|through)\s*L?(?P<end>\d+))?"
    r"|:(?P<cstart>\d+)(?:-(?P<cend>\d+))?\b"
)
# Words between a name and the file it lives in: "`f` in `x.ts`", "`f` (`x.ts:10-20`)".
_TIE = re.compile(
    r"\s*(?:\(\s*|,\s*)?(?:(?:function|method|class|type|interface|enum|component|hook|helper|constant|variable|"
    r"field|property)\s+)?(?:(?:is|are|lives|live|sits)\s+)?(?:(?:defined|declared|implemented|located)\s+)?"
    r"(?:in|at|from|see)?\s*(?:the\s+)?\(?\s*")
_TIE_WORDS = re.compile(r"\b(?:in|at|from|see)\b|\(")
_SUPPRESSION = re.compile(
    r"<!--\s*doclint-(?P<kind>disable-next-line|disable-line|disable|enable)\b(?P<rules>[^>]*?)\s*-->"
)
_HTML_ANCHOR = re.compile(r"<[A-Za-z][^>]*?\s(?:id|name)\s*=\s*[\"']([^\"']+)[\"']", re.IGNORECASE)
SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")  # a URL scheme: not a relative link
# Words right before a span that make it an example or a plan rather than a claim about the tree.
_HYPOTHETICAL = re.compile(
    r"(?:\b(?:create|creates|creating|new|not|never|avoid|instead\s+of|rather\s+than|called|named|say|"
    r"hypothetical|future|planned|proposed|like|such\s+as|eg)\b|\be\.\s?g\.|\bi\.\s?e\.)"
    r"[\s,:(]*(?:(?:a|an|the)\s+)?(?:new\s+)?(?:(?:file|module|directory|folder|function|type|class)\s+)?"
    r"(?:(?:called|named)\s+)?$",
    re.IGNORECASE,
)
_ID_LIKE = re.compile(r"[A-Za-z][0-9]")
_OPERATOR_AFTER = re.compile(r"\s*(?:=|==|===|!==?|\+=|-=|\*=|/=|<=?|>=?|\+|\*|/)\s")
_OPERATOR_BEFORE = re.compile(r"(?:=|==|===|!==?|\+|\*|/|<|>|&&|\|\|)\s*$")


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


# A character that starts inline syntax (code, link, image, autolink, HTML, entity, escape,
# emphasis, strikethrough), or a letter then a digit (a spec ID such as `I7` in prose).
# Inline content with none of these is plain text: there is nothing in it to find.
_INLINE_SYNTAX = re.compile(r"[`\[\]!<&\\*_~]|[A-Za-z][0-9]")
_TERMINATORS = re.compile(r"[\n!&*\[\\\]_`<~]")  # what the enabled inline rules start with, and `]`
# The same without emphasis and strikethrough, which change a heading's or a cell's text
# but leave nothing in a paragraph to record.
_RECORDED_SYNTAX = re.compile(r"[`\[\]!<&\\]|[A-Za-z][0-9]")


@lru_cache(maxsize=1)
def _parser() -> "MarkdownIt":
    return _new_parser()


def _new_parser() -> "MarkdownIt":
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
def _mdx_parser() -> "MarkdownIt":
    """MDX has no indented code blocks: indentation is for JSX children."""
    return _new_parser().disable("code")


def _inline_where_needed(state) -> None:
    """markdown-it's core `inline` rule, skipping plain text (about half the inline blocks
    of a real documentation tree) and paragraphs whose only syntax is emphasis. A skipped
    block keeps no children; `scan_markdown` reads its content as the text it is."""
    tokens = state.tokens
    for index, token in enumerate(tokens):
        if token.type == "inline":
            if token.children is None:
                token.children = []
            content = token.content
            if index and tokens[index - 1].type == "paragraph_open":
                needed = _RECORDED_SYNTAX.search(content)
            else:
                needed = _INLINE_SYNTAX.search(content)
            if needed:
                state.md.inline.parse(content, state.md, state.env, token.children)


# --------------------------------------------------------------------------- positions


@dataclass(slots=True)
class _Item:
    kind: str  # text, code, link, html, break
    text: str
    start: int  # offset in the inline content; -1 when it could not be located
    end: int
    href: str = ""
    href_start: int = -1  # an inline link's destination, as offsets in the content
    href_end: int = -1
    label: str | None = None  # a reference link's (normalised) label
    inner: list["_Item"] | None = None  # a link's own items
    is_image: bool = False
    span: Span | None = None  # where it is in the file, once worked out


class _Locator:
    """Maps offsets in an inline token's content to 1-based (line, column) in the file.
    The content's lines are found in the file on first use: most blocks need no position."""

    def __init__(self, lines: list[str], first_line: int, content: str, cursors: dict[int, int]):
        self.content = content
        self._where = (lines, first_line, cursors)
        self.starts: list[int] = []
        self.bases: list[tuple[int, int]] = []

    def locate(self) -> "_Locator":
        lines, first_line, cursors = self._where
        offset = 0
        for index, text in enumerate(self.content.split("\n")):
            line_index = first_line + index
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
        lines = self._where[0]
        if span.line != span.end_line or not 0 < span.line <= len(lines):
            return ""
        return lines[span.line - 1][span.column - 1 : span.end_column - 1]


def _locate_items(children: list[Token], content: str) -> list[_Item]:
    items: list[_Item] = []
    stack: list[_Item] = []
    cursor = 0

    def add(item: _Item) -> None:
        (stack[-1].inner if stack else items).append(item)

    for token in children:
        kind = token.type
        if kind == "text":
            found = content.find(token.content, cursor) if token.content else -1
            if found >= 0:
                cursor = found + len(token.content)
            add(_Item("text", token.content, found, found + len(token.content) if found >= 0 else -1))
        elif kind == "code_inline":
            opener = content.find(token.markup, cursor)
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
                cursor = close + len(token.markup) if close >= 0 else end
            add(_Item("code", token.content, start, end))
        elif kind in ("link_open", "image"):
            href = token.attrGet("src" if kind == "image" else "href") or ""
            start, end = token.meta.get("extent", (-1, -1))
            item = _Item("link", "", start, end, href=str(href), inner=[], is_image=kind == "image",
                         label=token.meta.get("label"))
            item.href_start, item.href_end = token.meta.get("destination") or (-1, -1)
            if kind == "image":
                item.text = token.content
                cursor = max(cursor, end)
                add(item)
            else:
                cursor = max(cursor, start + 1)
                stack.append(item)
        elif kind == "link_close" and stack:
            item = stack.pop()
            item.text = "".join(i.text for i in item.inner)
            cursor = max(cursor, item.end)
            add(item)
        elif kind in ("softbreak", "hardbreak"):
            found = content.find("\n", cursor)
            if found >= 0:
                cursor = found + 1
            add(_Item("break", "\n", found, found + 1 if found >= 0 else -1))
        elif kind == "html_inline":
            found = content.find(token.content, cursor)
            if found >= 0:
                cursor = found + len(token.content)
            add(_Item("html", token.content, found, found + len(token.content) if found >= 0 else -1))
        # strong/em open/close and strikethrough carry no text of their own
    while stack:  # an unclosed link (should not happen): keep what it held
        items.extend(stack.pop().inner)
    return items


# --------------------------------------------------------------------------- classification


@lru_cache(maxsize=8192)
def classify_path(text: str) -> tuple[str, LineRange | None, str | None, int, int] | None:
    """Is this inline-code text a path? Returns (path, range, symbol, range_start, range_end)."""
    if not text or len(text) > 300 or ("/" not in text and "." not in text) or text != text.strip():
        return None  # a path has a slash or an extension
    match = _PATH.fullmatch(text)
    if not match:
        return None
    path = match.group("path")
    if SCHEME.match(path) and "://" in text:
        return None
    last = path.rstrip("/").rsplit("/", 1)[-1]
    extension = last.rsplit(".", 1)[-1].lower() if "." in last.lstrip(".") else ""
    has_slash = "/" in path
    if not has_slash and extension not in PATH_EXTENSIONS and extension not in OTHER_EXTENSIONS:
        return None
    if path.startswith("/") or "//" in path or "..." in path or path.startswith("@"):
        return None
    if not has_slash and path.startswith("."):  # `.types.ts`, `.md`: an extension pattern
        return None
    segments = [s for s in path.split("/") if s and s not in (".", "..")]
    if not segments or not any(re.search(r"[A-Za-z]", s) for s in segments) or segments[0].isdigit():
        return None
    lines = None
    start_group = "colon_start" if match.group("colon_start") else "hash_start" if match.group("hash_start") else None
    start = end = -1
    if start_group:
        end_group = "colon_end" if start_group == "colon_start" else "hash_end"
        first = int(match.group(start_group))
        last_line = int(match.group(end_group)) if match.group(end_group) else first
        start, end = match.start(start_group), match.end(end_group) if match.group(end_group) else match.end(start_group)
        lines = LineRange(first, last_line, None, "colon" if start_group == "colon_start" else "hash")
    return path, lines, match.group("symbol"), start, end


@lru_cache(maxsize=8192)
def classify_symbol(text: str) -> tuple[str, str] | None:
    """Is this inline-code text a declared-name reference? Returns (name, form)."""
    text = text.strip()
    call = _CALL.fullmatch(text)
    if call:
        name = call.group("name")
        return (name, "call") if not name.startswith(("this.", "super.")) else None
    if _QUALIFIED.fullmatch(text):
        last = text.rsplit(".", 1)[-1]
        if last.lower() in OTHER_EXTENSIONS or last in _HOST_SUFFIXES or last.lower() in PATH_EXTENSIONS:
            return None  # a file name (`user.proto`) or a host (`models.dev`), not a member
        return (text, "qualified") if not text.startswith(("this.", "super.")) else None
    if _BARE.fullmatch(text):
        return text, "bare"
    return None


# --------------------------------------------------------------------------- the scan


# The token types scan_markdown reads; it skips every other one (list items, closing tags...).
_READ = frozenset({"heading_open", "heading_close", "tr_open", "paragraph_open", "fence", "code_block",
                   "html_block", "inline", "tr_close", "table_open"})


_FRONT_MATTER_FENCE = re.compile(r"---[ \t]*")
_FRONT_MATTER_END = re.compile(r"(?:---|\.\.\.)[ \t]*")
_LINE_AND_BREAK = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")
# The keys of agent rule files (Cursor `globs:`, Copilot and others `applyTo:`) that say
# which files a rule applies to.
_PATTERN_KEY = re.compile(r"(?P<key>globs|applyTo)[ \t]*:[ \t]*(?P<value>.*?)[ \t]*$")
_LIST_ITEM = re.compile(r"[ \t]*-[ \t]+(?P<value>.*?)[ \t]*$")


def split_front_matter(text: str, lines: list[str]) -> tuple[str, int]:
    """The text with a leading YAML front matter block blanked (line breaks kept, so every
    line keeps its number), and how many lines the block had (0: none). Front matter is
    YAML, not Markdown: a `---` under `key: value` would otherwise read as a heading."""
    if not lines or not _FRONT_MATTER_FENCE.fullmatch(lines[0]):
        return text, 0
    for number, line in enumerate(lines[1:], start=2):
        if _FRONT_MATTER_END.fullmatch(line):
            pieces = _LINE_AND_BREAK.findall(text)
            blanked = "".join(piece[len(piece.rstrip("\r\n")):] for piece in pieces[:number])
            return blanked + "".join(pieces[number:]), number
    return text, 0


def front_matter_patterns(lines: list[str], count: int) -> list[tuple[str, Span]]:
    """The file patterns a rule file's front matter names, each with where it is written."""
    found: list[tuple[str, Span]] = []
    in_list = False
    for number in range(2, count):
        line = lines[number - 1]
        item = _LIST_ITEM.match(line) if in_list else None
        if item:
            found.extend(_patterns_in(item.group("value"), number, item.start("value")))
            continue
        match = _PATTERN_KEY.match(line)
        in_list = bool(match) and not match.group("value")
        if match and match.group("value"):
            found.extend(_patterns_in(match.group("value"), number, match.start("value")))
    return found


_SCALAR_KEY = re.compile(r"(?P<key>[A-Za-z_][\w-]*)[ \t]*:[ \t]+(?P<value>.*?)[ \t]*$")


def front_matter_scalars(lines: list[str], count: int, keys: frozenset[str]) -> dict[str, str]:
    """Top-level `key: value` strings of a front matter block (`slug:`, `id:`), quotes removed."""
    found: dict[str, str] = {}
    for number in range(2, count):
        match = _SCALAR_KEY.match(lines[number - 1])
        if match and match.group("key") in keys:
            value = match.group("value")
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
                value = value[1:-1]
            elif " #" in value:
                value = value.split(" #", 1)[0].rstrip()
            if value:
                found[match.group("key")] = value
    return found


def _patterns_in(value: str, line: int, offset: int) -> list[tuple[str, Span]]:
    """`"a, b"`, `[a, b]`, `a,b` or `'a'`: each pattern with its span (columns are 1-based).
    Commas inside braces (`*.{ts,tsx}`) or quotes do not separate patterns."""
    if value.startswith("[") and value.endswith("]"):
        value, offset = value[1:-1], offset + 1
    found = []
    for start, end in _comma_separated(value):
        raw = value[start:end].strip()
        begin = offset + start + (len(value[start:end]) - len(value[start:end].lstrip()))
        if len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "'\"":
            inner = raw[1:-1]
            pieces = _comma_separated(inner) if "," in inner else [(0, len(inner))]
            for a, b in pieces:  # "a,b" in one quoted string is still two patterns
                piece = inner[a:b].strip()
                lead = len(inner[a:b]) - len(inner[a:b].lstrip())
                if piece:
                    found.append((piece, Span(line, begin + 2 + a + lead, line, begin + 2 + a + lead + len(piece))))
        elif raw and not raw.startswith("#"):
            found.append((raw, Span(line, begin + 1, line, begin + 1 + len(raw))))
    return found


def _comma_separated(value: str) -> list[tuple[int, int]]:
    parts, start = [], 0
    for index, char in _top_level(value, "'\""):
        if char == ",":
            parts.append((start, index))
            start = index + 1
    parts.append((start, len(value)))
    return parts


def _top_level(text: str, quotes: str):
    """(index, character) of each character outside quotes and `{...}`."""
    depth, quote = 0, ""
    for index, char in enumerate(text):
        if quote:
            quote = "" if char == quote else quote
        elif char in quotes:
            quote = char
        elif char == "{":
            depth += 1
        elif char == "}":
            depth = max(depth - 1, 0)
        elif depth == 0:
            yield index, char


_FENCE_OPEN = re.compile(r" {0,3}(`{3,}|~{3,})")
_ESM = re.compile(r"(?:import|export)\b")
_JSX_START = re.compile(r"[ \t]*</?[A-Za-z][\w.:-]*(?=[\s/>]|$)|[ \t]*<>|[ \t]*</>")
_JSX_LINK_PROP = re.compile(
    r"""\b(?P<prop>href|to)\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|\{\s*["'](?P<ex>[^"'{}]*)["']\s*\})""")
_LINKING_TAGS = re.compile(r"<(?:a|Link|NavLink)\b")


def split_mdx(text: str, lines: list[str]) -> tuple[str, list["LinkRef"], set[str]]:
    """MDX: ESM `import`/`export` blocks and JSX tag lines are not Markdown. Their lines are
    blanked (numbers kept); Markdown between tags is left to be read as usual. `href` and
    `to` string props of `<a>`, `<Link>` and `<NavLink>` come back as links, and `id` or
    `name` props of any tag (`<Heading id="x" />`) as anchors."""
    blank: set[int] = set()
    links: list[LinkRef] = []
    anchors: set[str] = set()
    fence = ""
    in_esm = False
    tag: list[int] = []  # the lines of a JSX tag still open (its `>` not yet seen)
    in_comment = False  # inside `{/* ... */}`: nothing there is Markdown, fences included
    for number, line in enumerate(lines, start=1):
        if in_comment or (not fence and not tag and line.lstrip().startswith("{/*")):
            blank.add(number)
            in_comment = "*/}" not in (line.split("{/*", 1)[1] if not in_comment and "{/*" in line else line)
            continue
        if fence:
            if line.strip().startswith(fence):
                fence = ""
            continue
        if tag:
            tag.append(number)
            if _tag_closes(line):
                _tag_links(tag, lines, links)
                anchors.update(_HTML_ANCHOR.findall(" ".join(lines[n - 1] for n in tag)))
                blank.update(tag)
                tag = []
            continue
        if in_esm:
            if not line.strip():
                in_esm = False
            else:
                blank.add(number)
            continue
        opened = _FENCE_OPEN.match(line)
        if opened:
            fence = opened.group(1)[:3]
            continue
        if _ESM.match(line):
            in_esm = True
            blank.add(number)
        elif _JSX_START.match(line):
            tag = [number]
            if _tag_closes(line):
                _tag_links(tag, lines, links)
                anchors.update(_HTML_ANCHOR.findall(line))
                blank.update(tag)
                tag = []
    if not blank:
        return text, links, anchors
    pieces = _LINE_AND_BREAK.findall(text)
    return "".join(piece[len(piece.rstrip("\r\n")):] if number in blank else piece
                   for number, piece in enumerate(pieces, start=1)), links, anchors


def _tag_closes(line: str) -> bool:
    """Does the JSX on this line end its tags' attribute lists (a `>` outside quotes and braces)?"""
    closed = False
    for _index, char in _top_level(line, "\"'`"):
        if char in "<>":
            closed = char == ">"
    return closed


def _tag_links(numbers: list[int], lines: list[str], links: list["LinkRef"]) -> None:
    if not any(_LINKING_TAGS.search(lines[n - 1]) for n in numbers):
        return
    for number in numbers:
        for match in _JSX_LINK_PROP.finditer(lines[number - 1]):
            group = next(g for g in ("dq", "sq", "ex") if match.group(g) is not None)
            href = match.group(group)
            if href:
                links.append(LinkRef(href, Span(number, match.start(group) + 1, number, match.end(group) + 1), href))


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
    env: dict = {}
    tokens = (_mdx_parser() if mdx else _parser()).parse(text, env)
    definitions: dict[str, Span | None] = env.get(DEFINITIONS, {})
    recorded: set[str] = set()  # labels whose definition is in scan.links already
    slugger = Slugger()
    heading_open = False
    row_cursors: dict[int, int] = {}
    block_map: list[int] | None = None
    row: tuple[int, list[str]] | None = None
    for token in tokens:
        if token.map is not None:
            block_map = token.map
        if token.type not in _READ:
            continue
        if token.type == "heading_open":
            heading_open = True
        elif token.type == "heading_close":
            heading_open = False
        elif token.type in ("tr_open", "paragraph_open"):
            row_cursors = {}
            if token.type == "tr_open":
                row = (where_line(token, block_map), [])
                scan.tables[-1].append(row)
        elif token.type in ("fence", "code_block"):
            first = (token.map[0] + (1 if token.type == "fence" else 0) + 1) if token.map else 1
            scan.code_blocks.append((first, token.content))
            if token.type == "fence" and "excerpt=" in token.info and token.map:
                excerpt = _excerpt(token.info, token.content, token.map[0], lines, first)
                if excerpt is not None:
                    scan.excerpts.append(excerpt)
            words = set(_CODE_WORD.findall(token.content))
            scan.code_words |= words
            for word in words:
                if "." in word:
                    scan.code_words.update(word.split("."))
        elif token.type == "html_block" and token.map is not None:
            _scan_html(scan, token.content, token.map[0], lines)
        elif token.type == "inline" and not token.children:  # plain text (or nothing)
            where = token.map or block_map or [0, 1]
            if heading_open:
                heading = _plain_text(token.content)
                slug = slugger.slug(heading)
                scan.anchors.add(slug)
                scan.headings.append((where[0] + 1, heading, slug))
            if row is not None:
                _Locator(lines, where[0], token.content, row_cursors).locate()  # later cells start after it
                row[1].append(_plain_text(token.content))
        elif token.type == "inline":
            where = token.map or block_map or [0, 1]
            locator = _Locator(lines, where[0], token.content, row_cursors)
            if row is not None:
                locator.locate()  # a table cell: later cells of the line start after it
            items = _locate_items(token.children or [], token.content)
            if heading_open:
                heading = "".join(i.text for i in _flatten(items) if i.kind in ("text", "code"))
                slug = slugger.slug(heading)
                scan.anchors.add(slug)
                scan.headings.append((where[0] + 1, heading, slug))
            _scan_inline(scan, items, locator, definitions, recorded)
            if row is not None:
                row[1].append("".join(i.text for i in _flatten(items) if i.kind in ("text", "code")))
        if token.type == "tr_close":
            row = None
        elif token.type == "table_open":
            scan.tables.append([])
    return scan


_EXCERPT = re.compile(r"(?:^|\s)excerpt=(?P<path>[^\s:#]+)(?::(?P<a>\d+)-(?P<b>\d+)|#L(?P<c>\d+)-L?(?P<d>\d+))")


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


def where_line(token: Token, block_map: list[int] | None) -> int:
    spot = token.map or block_map
    return spot[0] + 1 if spot else 1


def _plain_text(content: str) -> str:
    """The text markdown-it makes of inline content without syntax: line breaks and the
    spaces around them dropped."""
    if "\n" not in content:
        return content
    parts = content.split("\n")
    return "".join(p.rstrip(" ") if i == 0 else p.lstrip(" \t").rstrip(" ") if i < len(parts) - 1
                   else p.lstrip(" \t") for i, p in enumerate(parts))


def _flatten(items: list[_Item]):
    for item in items:
        if item.kind == "link":
            yield from _flatten(item.inner)
        else:
            yield item


def _scan_html(scan: DocScan, html: str, first_line: int, lines: list[str]) -> None:
    for anchor in _HTML_ANCHOR.findall(html):
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


def _suppression(match: re.Match, span: Span) -> Suppression:
    rules = tuple(r for r in re.split(r"[\s,]+", match.group("rules").strip()) if r)
    return Suppression(match.group("kind"), rules, span.line, span)


def _scan_inline(scan: DocScan, items: list[_Item], locator: _Locator, definitions: dict[str, Span | None],
                 recorded: set[str]) -> None:
    ids = _ID_LIKE.search(locator.content) is not None
    for item in _flatten(items):
        if ids and item.kind == "text" and item.start >= 0 and _ID_LIKE.search(item.text):
            # Only text that could cite a spec ID (a letter then a digit: `I7`) is kept.
            scan.texts.append((item.text, locator.span(item.start, item.end)))
        elif item.kind == "code" and item.start >= 0:
            if item.end >= item.start:
                item.span = locator.span(item.start, item.end)
                scan.code_spans.append((item.text, item.span))
        elif item.kind == "html":
            for anchor in _HTML_ANCHOR.findall(item.text):
                scan.anchors.add(anchor)
            for match in _SUPPRESSION.finditer(item.text):
                if item.start >= 0:
                    scan.suppressions.append(
                        _suppression(match, locator.span(item.start + match.start(), item.start + match.end()))
                    )

    paths: dict[int, PathRef] = {}  # index in items -> the path reference made there
    for index, item in enumerate(items):
        if item.kind == "link":
            link = _link_ref(item, locator, definitions, recorded)
            if link is not None:
                scan.links.append(link)
            _link_text_symbol(scan, item, locator)
        elif item.kind == "code":
            span = item.span
            if span is None:
                continue
            ref = _code_path(item, span, locator, items[index + 1] if index + 1 < len(items) else None)
            if ref is not None and _hypothetical(items, index):
                ref = PathRef(ref.path, ref.span, ref.lines, ref.symbol, hypothetical=True)
            if ref is not None:
                scan.paths.append(ref)
                paths[index] = ref
                continue
            literal = _LITERAL.fullmatch(item.text.strip())
            if literal:
                scan.literals.append((literal.group(1) or literal.group(2), span))

    # Names, tied to the file they are said to live in when the prose says so.
    named_at: dict[int, int] = {}  # index in items -> the name's place in scan.symbols
    for index, item in enumerate(items):
        if item.kind != "code" or index in paths:
            continue
        classified = classify_symbol(item.text)
        span = item.span
        if classified is None or span is None:
            continue
        name, form = classified
        file, lines = _tied_file(items, index, paths)
        named_at[index] = len(scan.symbols)
        scan.symbols.append(
            SymbolRef(name, form, span, file, lines, _hypothetical(items, index), _in_expression(items, index))
        )
    # "`src/a.ts:10-20` (`run`)": a range followed by the name it covers
    for index, ref in paths.items():
        if ref.lines is None or index + 2 >= len(items):
            continue
        between, named = items[index + 1], items[index + 2]
        if between.kind == "text" and re.fullmatch(r"\s*[(:—–-]\s*", between.text) and named.kind == "code":
            number = named_at.get(index + 2)
            if number is not None and scan.symbols[number].file is None:
                scan.symbols[number] = scan.symbols[number]._replace(file=ref.path, lines=ref.lines)


def _link_ref(item: _Item, locator: _Locator, definitions: dict[str, Span | None],
              recorded: set[str]) -> LinkRef | None:
    """The link's destination where it is written: in the link, or in the definition a
    reference link uses (once per definition, however many links use it). Where it cannot
    be located for certain, the link itself, with nothing written to rewrite."""
    place = definitions.get(item.label) if item.label is not None else None
    if place is not None:
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


def _hypothetical(items: list[_Item], index: int) -> bool:
    before = items[index - 1] if index > 0 else None
    return before is not None and before.kind == "text" and bool(_HYPOTHETICAL.search(before.text[-60:]))


def _in_expression(items: list[_Item], index: int) -> bool:
    before = items[index - 1] if index > 0 else None
    after = items[index + 1] if index + 1 < len(items) else None
    return bool(
        (after is not None and after.kind == "text" and _OPERATOR_AFTER.match(after.text))
        or (before is not None and before.kind == "text" and _OPERATOR_BEFORE.search(before.text))
    )


def _code_path(item: _Item, span: Span, locator: _Locator, following: _Item | None) -> PathRef | None:
    classified = classify_path(item.text)
    if classified is None:
        return None
    path, lines, symbol, start, end = classified
    if lines is not None:
        lines = LineRange(
            lines.start, lines.end, locator.span(item.start + start, item.start + end), lines.style, item.text[start:end]
        )
    elif following is not None and following.kind == "text":
        match = _RANGE_AFTER_PATH.match(following.text)
        if match:
            first = match.group("start") or match.group("cstart")
            last = match.group("end") or match.group("cend")
            begin = match.start("start") if match.group("start") else match.start("cstart")
            finish = match.end("end") if match.group("end") else match.end("cend") if match.group("cend") else begin + len(first)
            numbers_span = None
            if following.start >= 0:
                numbers_span = locator.span(following.start + begin, following.start + finish)
            lines = LineRange(int(first), int(last or first), numbers_span, "text", following.text[begin:finish])
    path_span = locator.span(item.start, item.start + len(path))
    return PathRef(path, path_span, lines, symbol)


def _tied_file(items: list[_Item], index: int, paths: dict[int, PathRef]) -> tuple[str | None, LineRange | None]:
    """The file a name is said to live in: "`f` in `x.ts`", "`f` (`x.ts:1-9`)", "`f` in [x](x.ts)"."""
    if index + 2 >= len(items):
        return None, None
    between, target = items[index + 1], items[index + 2]
    if between.kind != "text" or not _TIE.fullmatch(between.text) or not _TIE_WORDS.search(between.text):
        return None, None
    if index + 2 in paths:
        ref = paths[index + 2]
        return ref.path, ref.lines
    if target.kind == "link":
        return _link_file(target.href)
    return None, None


def fragment_lines(fragment: str | None) -> LineRange | None:
    """The lines a link fragment names: `#L12`, `#L12-L40`."""
    match = LINE_FRAGMENT.fullmatch(fragment or "")
    return LineRange(int(match.group(1)), int(match.group(2) or match.group(1)), None, "hash") if match else None


def _link_file(href: str) -> tuple[str | None, LineRange | None]:
    """("link:<target>", lines) for a link that may point into this repository (a relative
    link, or a URL with its fragment); (None, None) otherwise."""
    link = LinkRef(href, Span(0, 0, 0, 0), "")
    if href.startswith(("https://", "http://")):  # perhaps a URL into this repository (doclint/urls.py)
        return "link:" + href, fragment_lines(link.fragment)
    if not link.target or SCHEME.match(href) or href.startswith("//"):
        return None, None
    return "link:" + link.target, fragment_lines(link.fragment)


def _link_text_symbol(scan: DocScan, link: _Item, locator: _Locator) -> None:
    """`[`executeFrame`](../src/x.ts#L10-L20)`: the name is tied to the link's file and lines."""
    codes = [i for i in link.inner if i.kind == "code"]
    if len(codes) != 1 or any(i.kind == "text" and i.text.strip() for i in link.inner):
        return
    classified = classify_symbol(codes[0].text)
    file, lines = _link_file(link.href)
    if classified is None or codes[0].start < 0 or file is None:
        return
    span = locator.span(codes[0].start, codes[0].end)
    scan.symbols.append(SymbolRef(classified[0], classified[1], span, file, lines))
