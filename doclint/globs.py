"""Path globs as users write them in config: `docs/**/*.md`, `**/node_modules/**`.

Patterns are anchored at the root and use `/`; `**` spans any number of directories
(including none), `*` and `?` stay within one path segment.
"""

from __future__ import annotations

import re
from functools import lru_cache


class GlobError(ValueError):
    pass


@lru_cache(maxsize=256)
def compile_glob(pattern: str) -> re.Pattern[str]:
    if not pattern or pattern.startswith("/") or "\\" in pattern:
        raise GlobError(f"invalid glob {pattern!r}: use a relative path with '/' separators")
    out: list[str] = []
    i, n = 0, len(pattern)
    while i < n:
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("/**", i) and i + 3 == n:
            out.append("(?:/.*)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
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
            out.append("[" + body.replace("\\", "\\\\") + "]")
            i = close + 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    try:
        return re.compile("".join(out))
    except re.error as exc:
        raise GlobError(f"invalid glob {pattern!r}: {exc}") from None


class GlobSet:
    def __init__(self, patterns: list[str] | tuple[str, ...]):
        self.patterns = tuple(patterns)
        self._regexes = [compile_glob(p) for p in self.patterns]

    def match(self, path: str) -> bool:
        return any(rx.fullmatch(path) for rx in self._regexes)

    def __bool__(self) -> bool:
        return bool(self.patterns)
