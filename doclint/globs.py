"""Path globs as users write them in config: `docs/**/*.md`, `**/node_modules/**`.

Patterns are anchored at the root and use `/`; `**` spans any number of directories
(including none), `*` and `?` stay within one path segment, and a run of three or more
stars is `**`. A glob becomes an RE2 expression: matching takes time linear in the path,
whatever the pattern (a backtracking engine needs hours for `**a**a**a**a**a**b`).
"""

from __future__ import annotations

import re
from functools import lru_cache

import re2

from doclint.patterns import PatternError, whole_match_set


class GlobError(ValueError):
    pass


@lru_cache(maxsize=256)
def translate_glob(pattern: str) -> str:
    """The RE2 expression (unanchored) that matches exactly the paths `pattern` does."""
    if not pattern or pattern.startswith("/") or "\\" in pattern:
        raise GlobError(f"invalid glob {pattern!r}: use a relative path with '/' separators")
    out: list[str] = []
    i, n = 0, len(pattern)
    trailing_stars = n - len(pattern.rstrip("*"))
    while i < n:
        if pattern[i] == "*":
            end = i
            while end < n and pattern[end] == "*":
                end += 1
            if end - i == 1:
                out.append("[^/]*")
            elif pattern.startswith("/", end):
                out.append("(?:.*/)?")
                end += 1
            else:
                out.append(".*")
            i = end
        elif pattern[i] == "/" and i == n - trailing_stars - 1 and trailing_stars >= 2:
            out.append("(?:/.*)?")  # a trailing `/**`: the directory itself and everything under it
            i = n
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        elif pattern[i] == "[":
            close = pattern.find("]", i + 2 if pattern.startswith("[!", i) or pattern.startswith("[]", i) else i + 1)
            if close == -1:
                raise GlobError(f"invalid glob {pattern!r}: unclosed '['")
            body = pattern[i + 1 : close]
            if body.startswith("!"):
                body = "^" + body[1:]
            out.append("[" + body + "]")
            i = close + 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return "".join(out)


@lru_cache(maxsize=256)
def _compile_set(patterns: tuple[str, ...]) -> re2.Set:
    """One matcher for the whole set: a path is matched once, not once per pattern."""
    try:
        return whole_match_set(tuple(translate_glob(p) for p in patterns))
    except PatternError as exc:
        raise GlobError(f"invalid glob {', '.join(map(repr, patterns))}: {exc}") from None


class GlobSet:
    def __init__(self, patterns: list[str] | tuple[str, ...]):
        self.patterns = tuple(patterns)
        self._matcher = _compile_set(self.patterns) if self.patterns else None

    def match(self, path: str) -> bool:
        return self._matcher is not None and self._matcher.Match(path) is not None

    def __bool__(self) -> bool:
        return bool(self.patterns)
