"""What of a file is Markdown: YAML front matter (and the file patterns an agent rule file's
front matter names) and, in MDX, the ESM and JSX lines, whose links and anchors are read
here. Both are blanked, line breaks kept, so every line keeps its number."""

from __future__ import annotations

import re
from collections.abc import Iterator

from doclint.findings import Span
from doclint.mdrefs_types import LinkRef

HTML_ANCHOR = re.compile(r"<[A-Za-z][^>]*?\s(?:id|name)\s*=\s*[\"']([^\"']+)[\"']", re.IGNORECASE)

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
        in_list = match is not None and not match.group("value")
        if match is not None and match.group("value"):
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
    found: list[tuple[str, Span]] = []
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
    parts: list[tuple[int, int]] = []
    start = 0
    for index, char in _top_level(value, "'\""):
        if char == ",":
            parts.append((start, index))
            start = index + 1
    parts.append((start, len(value)))
    return parts


def _top_level(text: str, quotes: str) -> Iterator[tuple[int, str]]:
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


def split_mdx(text: str, lines: list[str]) -> tuple[str, list[LinkRef], set[str]]:
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
                anchors.update(HTML_ANCHOR.findall(" ".join(lines[n - 1] for n in tag)))
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
                anchors.update(HTML_ANCHOR.findall(line))
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


def _tag_links(numbers: list[int], lines: list[str], links: list[LinkRef]) -> None:
    if not any(_LINKING_TAGS.search(lines[n - 1]) for n in numbers):
        return
    for number in numbers:
        for match in _JSX_LINK_PROP.finditer(lines[number - 1]):
            group = next(g for g in ("dq", "sq", "ex") if match.group(g) is not None)
            href = match.group(group)
            if href:
                links.append(LinkRef(href, Span(number, match.start(group) + 1, number, match.end(group) + 1), href))
