"""What a span of inline code says: a path (with lines or a symbol), a declared name, a
string literal; and what the words around it add (the file a name is tied to, a range
written after a path, a plan or an example rather than a claim, an expression)."""

from __future__ import annotations

import re
from functools import lru_cache

from doclint.findings import Span
from doclint.mdrefs_positions import Item, Locator
from doclint.mdrefs_types import LineRange, LinkRef, PathRef

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
LITERAL = re.compile(r"'([\w$-]+)'|\"([\w$-]+)\"")
LINE_FRAGMENT = re.compile(r"L(\d+)(?:-L?(\d+))?")  # `#L12`, `#L12-L40`
# "`path` (lines 12-40)", "`path`, line 12", "`path` at line 12", "`path`:12"
_RANGE_AFTER_PATH = re.compile(
    r"\s*,?\s*\(?\s*(?:at\s+|on\s+)?(?:lines?\s*|L)(?P<start>\d+)(?:\s*(?:-|–|—|to|through)\s*L?(?P<end>\d+))?"
    r"|:(?P<cstart>\d+)(?:-(?P<cend>\d+))?\b"
)
# Words between a name and the file it lives in: "`f` in `x.ts`", "`f` (`x.ts:10-20`)",
# "the `f` helper, at `x.ts:1-9`".
_TIE = re.compile(
    r"\s*(?:\(\s*|,\s*)?(?:(?:function|method|class|type|interface|enum|component|hook|helper|constant|variable|"
    r"field|property)\b\s*,?\s*)?(?:(?:is|are|lives|live|sits)\s+)?(?:(?:defined|declared|implemented|located)\s+)?"
    r"(?:in|at|from|see)?\s*(?:the\s+)?\(?\s*")
_TIE_WORDS = re.compile(r"\b(?:in|at|from|see)\b|\(")
# Between a name and a range given for it, where the range alone makes the tie: "`f()` —
# `x.ts:1-9`", "`f()`: `x.ts:1-9`", "`f()` spans lines 1-9 of `x.ts`".
_RANGE_TIE = re.compile(r"\s*(?:—|–|-|:|→|->|=>)\s*|\s*(?:spans?|covers?|occupies)\s*")
# "lines 12-40 of `path`": a range written before the path it is in.
_RANGE_BEFORE_PATH = re.compile(
    r"\b(?:[Ll]ines?\s*|L)(?P<start>\d+)(?:\s*(?:-|–|—|to|through)\s*L?(?P<end>\d+))?\s+(?:of|in)\s+"
    r"(?:the\s+)?(?:file\s+)?$")
# Between a range and the name it covers: "`src/a.ts:10-20` (`run`)".
RANGE_THEN_NAME = re.compile(r"\s*[(:—–-]\s*")
SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")  # a URL scheme: not a relative link
# Words right before a span that make it an example or a plan rather than a claim about the tree.
_HYPOTHETICAL = re.compile(
    r"(?:\b(?:create|creates|creating|new|not|never|avoid|instead\s+of|rather\s+than|called|named|say|"
    r"hypothetical|future|planned|proposed|like|such\s+as|eg)\b|\be\.\s?g\.|\bi\.\s?e\.)"
    r"[\s,:(]*(?:(?:a|an|the)\s+)?(?:new\s+)?(?:(?:file|module|directory|folder|function|type|class)\s+)?"
    r"(?:(?:called|named)\s+)?$",
    re.IGNORECASE,
)
_OPERATOR_AFTER = re.compile(r"\s*(?:=|==|===|!==?|\+=|-=|\*=|/=|<=?|>=?|\+|\*|/)\s")
_OPERATOR_BEFORE = re.compile(r"(?:=|==|===|!==?|\+|\*|/|<|>|&&|\|\|)\s*$")
_LETTER = re.compile(r"[A-Za-z]")

PathParts = tuple[str, LineRange | None, str | None, int, int]


@lru_cache(maxsize=8192)
def classify_path(text: str) -> PathParts | None:
    """Is this inline-code text a path? Returns (path, range, symbol, range_start, range_end)."""
    if not text or len(text) > 300 or ("/" not in text and "." not in text) or text != text.strip():
        return None  # a path has a slash or an extension
    match = _PATH.fullmatch(text)
    if not match or not _path_shaped(match.group("path"), text):
        return None
    start_group = "colon_start" if match.group("colon_start") else "hash_start" if match.group("hash_start") else None
    if start_group is None:
        return match.group("path"), None, match.group("symbol"), -1, -1
    end_group = "colon_end" if start_group == "colon_start" else "hash_end"
    first = int(match.group(start_group))
    last_line = int(match.group(end_group)) if match.group(end_group) else first
    start, end = match.start(start_group), match.end(end_group) if match.group(end_group) else match.end(start_group)
    lines = LineRange(first, last_line, None, "colon" if start_group == "colon_start" else "hash")
    return match.group("path"), lines, match.group("symbol"), start, end


def _path_shaped(path: str, text: str) -> bool:
    """A relative path of this tree: not a URL, an absolute path, a package or an extension pattern."""
    if SCHEME.match(path) and "://" in text:
        return False
    last = path.rstrip("/").rsplit("/", 1)[-1]
    extension = last.rsplit(".", 1)[-1].lower() if "." in last.lstrip(".") else ""
    has_slash = "/" in path
    if not has_slash and extension not in PATH_EXTENSIONS and extension not in OTHER_EXTENSIONS:
        return False
    if path.startswith("/") or "//" in path or "..." in path or path.startswith("@"):
        return False
    if not has_slash and path.startswith("."):  # `.types.ts`, `.md`: an extension pattern
        return False
    segments = [s for s in path.split("/") if s and s not in (".", "..")]
    return bool(segments) and any(_LETTER.search(s) for s in segments) and not segments[0].isdigit()


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


def code_path(item: Item, span: Span, locator: Locator, following: Item | None,
              preceding: Item | None = None) -> PathRef | None:
    """The path a code span names, with the lines written in it, right after it, or right
    before it ("lines 12-40 of `path`")."""
    classified = classify_path(item.text)
    if classified is None:
        return None
    path, lines, symbol, start, end = classified
    if lines is not None:
        lines = LineRange(
            lines.start, lines.end, locator.span(item.start + start, item.start + end), lines.style, item.text[start:end]
        )
    elif following is not None and following.kind == "text":
        lines = _range_after(following, locator)
    if lines is None and preceding is not None and preceding.kind == "text":
        lines = _range_before(preceding, locator)
    path_span = locator.span(item.start, item.start + len(path))
    return PathRef(path, path_span, lines, symbol)


def _range_after(following: Item, locator: Locator) -> LineRange | None:
    """"`path` (lines 12-40)", "`path`:12": the range the words after a path give it."""
    match = _RANGE_AFTER_PATH.match(following.text)
    if not match:
        return None
    first = match.group("start") or match.group("cstart")
    last = match.group("end") or match.group("cend")
    begin = match.start("start") if match.group("start") else match.start("cstart")
    finish = match.end("end") if match.group("end") else match.end("cend") if match.group("cend") else begin + len(first)
    numbers_span = None
    if following.start >= 0:
        numbers_span = locator.span(following.start + begin, following.start + finish)
    return LineRange(int(first), int(last or first), numbers_span, "text", following.text[begin:finish])


def _range_before(preceding: Item, locator: Locator) -> LineRange | None:
    """"lines 12-40 of `path`": the range the words before a path give it."""
    match = _RANGE_BEFORE_PATH.search(preceding.text)
    if not match:
        return None
    begin, finish = match.start("start"), match.end("end") if match.group("end") else match.end("start")
    numbers_span = locator.span(preceding.start + begin, preceding.start + finish) if preceding.start >= 0 else None
    first, last = int(match["start"]), int(match["end"] or match["start"])
    return LineRange(first, last, numbers_span, "text", preceding.text[begin:finish])


def hypothetical(items: list[Item], index: int) -> bool:
    """Do the words before this item make it an example or a plan ("create `x.ts`")?"""
    before = items[index - 1] if index > 0 else None
    return before is not None and before.kind == "text" and bool(_HYPOTHETICAL.search(before.text[-60:]))


def in_expression(items: list[Item], index: int) -> bool:
    """Is this item an operand of an expression written across spans ("`out` = `state[0]`")?"""
    before = items[index - 1] if index > 0 else None
    after = items[index + 1] if index + 1 < len(items) else None
    return bool(
        (after is not None and after.kind == "text" and _OPERATOR_AFTER.match(after.text))
        or (before is not None and before.kind == "text" and _OPERATOR_BEFORE.search(before.text))
    )


def tied_file(items: list[Item], index: int, paths: dict[int, PathRef]) -> tuple[str | None, LineRange | None]:
    """The file a name is said to live in: "`f` in `x.ts`", "`f` (`x.ts:1-9`)", "`f` in [x](x.ts)"."""
    if index + 2 >= len(items):
        return None, None
    between, target = items[index + 1], items[index + 2]
    if between.kind != "text":
        return None, None
    ref = paths.get(index + 2)
    if ref is not None and ref.lines is not None:
        before_range = _RANGE_BEFORE_PATH.search(between.text)
        words = between.text[: before_range.start()] if before_range else between.text
        if _RANGE_TIE.fullmatch(words) or before_range and (not words.strip() or _TIE.fullmatch(words)):
            return ref.path, ref.lines  # the range given with the name ties them
    if not _TIE.fullmatch(between.text) or not _TIE_WORDS.search(between.text):
        return None, None
    if ref is not None:
        return ref.path, ref.lines
    if target.kind == "link":
        return link_file(target.href)
    return None, None


def fragment_lines(fragment: str | None) -> LineRange | None:
    """The lines a link fragment names: `#L12`, `#L12-L40`."""
    match = LINE_FRAGMENT.fullmatch(fragment or "")
    return LineRange(int(match.group(1)), int(match.group(2) or match.group(1)), None, "hash") if match else None


def link_file(href: str) -> tuple[str | None, LineRange | None]:
    """("link:<target>", lines) for a link that may point into this repository (a relative
    link, or a URL with its fragment); (None, None) otherwise."""
    link = LinkRef(href, Span(0, 0, 0, 0), "")
    if href.startswith(("https://", "http://")):  # perhaps a URL into this repository (doclint/urls.py)
        return "link:" + href, fragment_lines(link.fragment)
    if not link.target or SCHEME.match(href) or href.startswith("//"):
        return None, None
    return "link:" + link.target, fragment_lines(link.fragment)
