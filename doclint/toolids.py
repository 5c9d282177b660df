"""Ids that a documentation tool makes and that none of doclint's sluggers produce. Is a
`#fragment` that matches no heading a definite error?

doclint knows how GitHub and the docs sites it has a dialect for turn headings into ids
(doclint/slugs.py). Two kinds of page get their ids some other way:

- API reference pages whose headings name members (`## async method: Page.goto`,
  `### option: Page.goto.timeout`). Their generator links to them as `#page-goto`: the
  member's words, sometimes with its kind's (`#page-event-close`). A fragment made of
  those words is such an id. Any other miss into such a page is only a warning: doclint
  does not know the rest of the tool's scheme (options it inlines from other files).
- MDX pages whose components take a list of entries (`<PropertiesTable content={[{ name:
  'onEnd', ... }]} />`). A component may give each entry an id (`#on-end`). A fragment
  that equals an identifier-like string of one of the list's own entries, in kebab or
  lower case, is not reported, and nor is a dotted one that starts with such an entry
  (`#tools.tool.generate`): the id of one of its nested properties.
- Headings that are a qualified name (`Output.object()`): besides their slug, an id of the
  name's parts joined by `-` (`#output-object`), as some generators make.

A heading may also set its id at its end in a renderer's syntax (`## Title {#id}`,
`## Title [#id]`). On a page of no site doclint knows, that id exists on the site that
reads the syntax.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from weakref import WeakKeyDictionary

from doclint.mdrefs import DocScan, split_mdx
from doclint.tree import text_lines
from doclint.workspace import Project, Workspace

# `async method: Page.goto`, `option: Page.goto.timeout = %%-shared-%%`, `event: Page.close`.
_MEMBER_HEADING = re.compile(r"(?P<kind>[a-z]+(?: [a-z]+){0,2}):\s+"
                             r"(?P<name>[A-Za-z_$][\w$]*(?:[.#][\w$-]+)*)(?:\s*=.*)?")
_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")  # `toHaveCSS` -> to, Have, CSS
_ESM = re.compile(r"(?:import|export)\b")
_IDENTIFIER = re.compile(r"[A-Za-z_$][\w$]*")
# An id set at a heading's end: `{#id}` (Docusaurus, VitePress, attr_list) or `[#id]` (Fumadocs).
_SET_ID = re.compile(r"(?:\{:?\s*#(?P<braced>[^\s{}]+)[^{}]*\}|\[#(?P<bracketed>[^\s\]]+)\])\s*$")
# A heading that is a qualified name, `Output.object()`: some generators join its parts with `-`.
_QUALIFIED_HEADING = re.compile(r"`?(?P<name>[A-Za-z_$][\w$]*(?:[.#][A-Za-z_$][\w$]*)+)(?:\(\))?`?")
_MEMBER_PAGE_HEADINGS = 3  # fewer member headings than this is a guide's "## Note: x", not an API page


def _words(text: str) -> Counter[str]:
    return Counter(word.lower() for word in _WORD.findall(text))


@dataclass(frozen=True)
class MadeIds:
    """What doclint knows of a page's ids beyond its headings' slugs."""

    members: tuple[tuple[Counter[str], Counter[str]], ...] = ()  # each member heading: name words, kind words
    entries: frozenset[str] = frozenset()  # ids components give their entries
    set_ids: frozenset[str] = frozenset()  # ids headings set at their end
    dotted: frozenset[str] = frozenset()  # `output-object` for a heading `Output.object()`

    @property
    def tool_page(self) -> bool:
        """Are the page's ids a docs tool's, whose scheme doclint knows only in part?"""
        return bool(self.members)

    def makes(self, fragment: str) -> bool:
        lowered = fragment.lower()
        if lowered in self.entries or lowered in self.set_ids or lowered in self.dotted:
            return True
        if "." in lowered and lowered.split(".", 1)[0] in self.entries:
            return True  # `#tools.tool.generate`: a nested property of the entry `tools`
        words = Counter(part for part in re.split(r"[-_.]+", fragment.lower()) if part)
        return any(not (name - words) and not (words - name - kind) for name, kind in self.members)


def member_headings(headings: list[str]) -> tuple[tuple[Counter[str], Counter[str]], ...]:
    """The member headings' words, when most of the page's headings name members."""
    matches = [m for m in map(_MEMBER_HEADING.fullmatch, headings) if m is not None]
    if len(matches) < _MEMBER_PAGE_HEADINGS or 2 * len(matches) <= len(headings):
        return ()
    return tuple((_words(m["name"]), _words(m["kind"])) for m in matches)


def component_entries(text: str) -> frozenset[str]:
    """The ids a component may give the entries of a list passed to it as a prop:
    `name: 'onEnd'` in `content={[...]}` gives `on-end` and `onend`."""
    lines = text_lines(text)
    markdown = text_lines(split_mdx(text, lines)[0])  # JSX and ESM lines come back blank
    found: set[str] = set()
    run: list[str] = []  # lines of JSX between two Markdown lines: elements, blank lines between
    for number, line in enumerate([*lines, "."]):
        jsx = number < len(markdown) and not markdown[number].strip() and not _ESM.match(line)
        if jsx:
            run.append(line)
            continue
        if "={[" in "".join(run).replace(" ", ""):
            found |= _list_entries(("<>" + "\n".join(run) + "</>").encode("utf-8"))  # one fragment holds them all
        run = []
    return frozenset(found)


def _list_entries(source: bytes) -> set[str]:
    from doclint.tsindex import _language

    parser, _query = _language(True)
    found: set[str] = set()
    stack = [parser.parse(source).root_node]
    while stack:
        node = stack.pop()
        stack.extend(node.named_children)
        if node.type != "jsx_expression" or node.parent is None or node.parent.type != "jsx_attribute":
            continue
        for listed in node.named_children:
            if listed.type != "array":
                continue
            for entry in listed.named_children:
                for pair in entry.named_children if entry.type == "object" else ():
                    value = pair.child_by_field_name("value")
                    text = value.text.decode("utf-8", "replace").strip("'\"`") if value is not None \
                        and value.type == "string" and value.text is not None else ""
                    if _IDENTIFIER.fullmatch(text):
                        found.add("-".join(word.lower() for word in _WORD.findall(text)))
                        found.add(text.lower())
    return found


_MADE: WeakKeyDictionary[Workspace, dict[str, tuple[DocScan, MadeIds]]] = WeakKeyDictionary()


def made_ids(ws: Project, path: str, scan: DocScan, read: Callable[[], str | None], known_site: bool) -> MadeIds:
    """The page's tool-made ids; `read` gives its text. An id set at a heading's end counts
    only when no known site renders the page (a site doclint knows has its own rules for
    those). Memoised per scan, since a doc edited in the editor is scanned anew."""
    memo = _MADE.setdefault(ws.shared, {})  # per run; the page was read through the doc's context already
    if path not in memo or memo[path][0] is not scan:
        text = read() if path.lower().endswith(".mdx") else None
        headings = [heading for _line, heading, _slug in scan.headings]
        set_ids = frozenset((m["braced"] or m["bracketed"]).lower()
                            for m in map(_SET_ID.search, headings) if m is not None)
        dotted = frozenset("-".join(w.lower() for w in re.split(r"[.#]", m["name"]))
                           for m in map(_QUALIFIED_HEADING.fullmatch, headings) if m is not None)
        memo[path] = (scan, MadeIds(member_headings(headings), component_entries(text) if text else frozenset(),
                                    set_ids, dotted))
    made = memo[path][1]
    return replace(made, set_ids=frozenset()) if known_site else made
