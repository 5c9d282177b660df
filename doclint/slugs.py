"""GitHub heading anchors: the slug rules and the `-1`, `-2` suffixes for repeats."""

from __future__ import annotations

import re
import unicodedata


_ASCII_DROPPED = re.compile(r"[^a-z0-9_\- ]")  # in ASCII, letters and digits are all of L, M, N


def github_slug(text: str) -> str:
    """Lower case, drop punctuation and symbols (keep letters, marks, digits, `_`, `-`), spaces to `-`."""
    if text.isascii():
        return _ASCII_DROPPED.sub("", text.strip().lower()).replace(" ", "-")
    kept = []
    for char in text.strip().lower():
        if char == " ":
            kept.append("-")
        elif char in "-_" or unicodedata.category(char)[0] in "LMN":
            kept.append(char)
    return "".join(kept)


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
