"""Heading anchors: how each renderer turns a heading's text into an id, and the suffixes
it gives repeats (`-1`, `-2` on GitHub; `_1`, `_2` in Python-Markdown)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Literal

# The renderers whose heading ids doclint knows.
Dialect = Literal["github", "docusaurus", "mkdocs", "vitepress", "starlight"]

# github-slugger drops every code point of these general categories, then gives back the
# alphabetic ones (circled and squared letters are So but Alphabetic), the space (made `-`)
# and `-`. Kept, then: letters, marks, decimal and letter numbers, connector punctuation.
_DROPPED_CATEGORIES = frozenset("No Pe Pf Pi Ps Po Pd Sc Sk Sm So Cc Cf Co Cn Zs Zl Zp".split())
# The So code points Unicode lists as Other_Alphabetic: Ⓐ-ⓩ and the enclosed Latin capitals.
_ALPHABETIC_SYMBOLS = ((0x24B6, 0x24E9), (0x1F130, 0x1F149), (0x1F150, 0x1F169), (0x1F170, 0x1F189))
_ASCII_DROPPED = re.compile(r"[^a-z0-9_\- ]")  # in ASCII, the kept characters are these


@lru_cache(maxsize=4096)
def _kept(char: str) -> bool:
    if char in " -":
        return True
    if unicodedata.category(char) not in _DROPPED_CATEGORIES:
        return True
    point = ord(char)
    return any(low <= point <= high for low, high in _ALPHABETIC_SYMBOLS)


def github_slug(text: str) -> str:
    """github-slugger's slug (GitHub, Docusaurus, Starlight): lower case, drop punctuation,
    symbols, other numbers and separators except the space, then each space becomes `-`.
    Nothing is trimmed: `&#x20;a` makes `-a`."""
    lowered = text.lower()
    if lowered.isascii():
        return _ASCII_DROPPED.sub("", lowered).replace(" ", "-")
    return "".join(char for char in lowered if _kept(char)).replace(" ", "-")


# VitePress (@mdit-vue/shared slugify): these ASCII punctuation characters, plus the
# Unicode control range, become `-`; runs of `-` fold into one, none at either end, and a
# leading digit gets a `_` in front.
_VITEPRESS_SPECIAL = re.compile(r"[\s~`!@#$%^&*()\-_+=[\]{}|\\;:\"'“”‘’<>,.?/]+")
_VITEPRESS_CONTROL = re.compile(r"[\u0000-\u001f]")


def vitepress_slug(text: str) -> str:
    slug = unicodedata.normalize("NFKD", text)
    slug = re.sub(r"[\u0300-\u036f]", "", slug)  # accents split off by NFKD are dropped
    slug = _VITEPRESS_CONTROL.sub("", slug)
    slug = _VITEPRESS_SPECIAL.sub("-", slug)
    slug = re.sub(r"-{2,}", "-", slug).strip("-")
    slug = re.sub(r"^(\d)", r"_\1", slug)
    return slug.lower()


def mkdocs_slug(text: str) -> str:
    """Python-Markdown's toc `slugify`: NFKD to ASCII, drop what is not a word character,
    space or `-`, lower case, then runs of spaces and `-` become one `-`."""
    value = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    value = re.sub(r"[^\w\s-]", "", value).strip().lower()
    return re.sub(r"[-\s]+", "-", value)


class Slugger:
    """Hands out unique slugs in document order, as github-slugger does."""

    def __init__(self) -> None:
        self._seen: dict[str, int] = {}

    def slug(self, text: str) -> str:
        base = github_slug(text)
        result = base
        while result in self._seen:
            self._seen[base] += 1
            result = f"{base}-{self._seen[base]}"
        self._seen[result] = 0
        return result


_COUNTED = re.compile(r"^(.*)_([0-9]+)$")


def _python_markdown_unique(slug: str, taken: set[str]) -> str:
    """Python-Markdown's toc: `_1` after a taken id, or one more than the `_N` it ends with."""
    while slug in taken or not slug:
        counted = _COUNTED.match(slug)
        slug = f"{counted.group(1)}_{int(counted.group(2)) + 1}" if counted else f"{slug}_1"
    return slug


def _anchor_plugin_unique(slug: str, taken: set[str]) -> str:
    """markdown-it-anchor (VitePress): `-1`, `-2`, ... counted afresh for each heading."""
    result, number = slug, 1
    while result in taken:
        result, number = f"{slug}-{number}", number + 1
    return result


# A heading's own id, written at its end: `## Title {#id}` (Docusaurus, VitePress's
# markdown-it-attrs) or `{: #id .class}` (Python-Markdown's attr_list).
_CUSTOM_ID = re.compile(r"\s*\{:?\s*#(?P<id>[^\s{}]+)[^{}]*\}$")


def custom_id(text: str) -> tuple[str, str | None]:
    """The heading's text without a trailing `{#id}`, and the id (None without one)."""
    match = _CUSTOM_ID.search(text)
    return (text[: match.start()], match.group("id")) if match else (text, None)


def dialect_anchors(headings: list[str], dialect: Dialect) -> set[str]:
    """The ids a renderer gives a document's headings (their text, in order)."""
    if dialect in ("github", "starlight"):  # no `{#id}` syntax: the braces are heading text
        slugger = Slugger()
        return {slugger.slug(text) for text in headings}
    found: set[str] = set()
    slugger = Slugger()
    for text in headings:
        text, explicit = custom_id(text)
        if explicit is not None:
            found.add(explicit)
        elif dialect == "docusaurus":  # its slugger counts only the headings it slugs
            found.add(slugger.slug(text))
        elif dialect == "vitepress":
            found.add(_anchor_plugin_unique(vitepress_slug(text), found))
        else:
            found.add(_python_markdown_unique(mkdocs_slug(text), found))
    return found
