"""Regular expressions users write (a rule pack's `[invariants] id`, and the lock's copy of it),
compiled with RE2: matching takes time linear in the text whatever the pattern, so a pattern
such as `(a|aa)+b` cannot stall a run by backtracking.

RE2 has no lookaround, backreferences, atomic groups or possessive quantifiers, allows
repetition counts up to 1000, and its `\\w`, `\\d`, `\\s` are ASCII; a pattern that needs them
is refused with RE2's reason.
"""

from __future__ import annotations

import functools
import itertools
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import re2

_OPTIONS = re2.Options()
_OPTIONS.log_errors = False  # a refused pattern is reported once, by us, not also logged on stderr

# Python's `\w` (a letter or digit of any script, or `_`), spelled for RE2.
_WORD = r"\pL\pN_"


class PatternError(ValueError):
    pass


@dataclass(frozen=True)
class IdPatterns:
    """The ways a spec ID is found: cited in a doc, heading a spec section, opening a table row.
    Groups are named: the pattern's own groups come first and would shift numbered ones."""

    pattern: str  # as the pack wrote it
    cited: re2._Regexp
    heading: re2._Regexp
    cell: re2._Regexp

    @functools.cached_property
    def cited_group(self) -> int:
        """The number of `cited`'s `id` group: RE2's start() and end() take numbers only (and
        its `groupindex` builds a mapping each time it is asked)."""
        return int(self.cited.groupindex["id"])

    def texts_citing(self, texts: Sequence[str]) -> list[int]:
        """The indexes of the texts that may cite an ID (none of the others does), from one
        search of them all, joined by newlines (what the boundaries around an ID accept, like a
        text's start and end), and so one call of RE2 for most docs rather than one per text.
        An ID across a newline names both texts. All of them when the pattern anchors to a
        text's start or end (`^`, `$`, `\\A`, `\\z`), which the newlines would change."""
        if len(texts) < 2 or any(mark in self.pattern for mark in ("^", "$", "\\A", "\\z", "\\Z")):
            return list(range(len(texts)))
        joined = "\n".join(texts)
        starts = list(itertools.accumulate((len(text) + 1 for text in texts[:-1]), initial=0))
        found: set[int] = set()
        position, group = 0, self.cited_group
        while (match := self.cited.search(joined, position)) is not None:
            start, position = match.start(group), match.end(group)
            found.update(range(bisect_right(starts, start) - 1, bisect_right(starts, position - 1)))
        return sorted(found)

    def citations(self, text: str) -> Iterator[tuple[int, int]]:
        """(start, end) of each ID in `text` that no word character or `-` touches."""
        position, group = 0, self.cited_group
        while (match := self.cited.search(text, position)) is not None:
            yield match.start(group), match.end(group)
            position = match.end(group)  # the boundary after this ID may open the next one


@functools.lru_cache(maxsize=32)
def id_patterns(pattern: str) -> IdPatterns:
    alone = _compile(pattern)  # first on its own, so that an unbalanced `)` is not hidden by our groups
    if alone.fullmatch("") is not None:
        raise PatternError(f"{pattern!r} matches the empty string")
    return IdPatterns(
        pattern=pattern,
        cited=_compile(rf"(?:^|[^{_WORD}-])(?P<id>{pattern})(?:[^{_WORD}-]|$)"),
        heading=_compile(rf"(?i)^(?:invariant\s+)?(?P<id>{pattern})\s*[:.\-—–]\s*(?P<title>.+)$"),
        cell=_compile(rf"^\**(?P<id>{pattern})\**$"),
    )


def _compile(pattern: str) -> re2._Regexp:
    try:
        return compile_linear(pattern)
    except PatternError as exc:
        raise PatternError(f"{pattern!r} is not a regular expression RE2 accepts ({exc})") from None


def whole_match_set(expressions: tuple[str, ...]) -> re2.Set:
    """A set whose `Match(text)` says which expressions match all of `text` (None if none): one
    pass, and, with no positions to report, several times faster than `fullmatch`."""
    for expression in expressions:
        compile_linear(expression)  # RE2's reason for a refusal; the set would only say "failed"
    matcher = re2.Set.FullMatchSet(_OPTIONS)
    try:
        for expression in expressions:
            matcher.Add(expression)
        matcher.Compile()
    except re2.error as exc:
        raise PatternError(str(exc)) from None
    return matcher


def compile_linear(expression: str) -> re2._Regexp:
    """`expression` compiled with RE2; PatternError says why RE2 refused it."""
    try:
        return re2.compile(expression, _OPTIONS)
    except re2.error as exc:
        reason = exc.args[0] if exc.args else "refused"
        raise PatternError(reason.decode("utf-8", "replace") if isinstance(reason, bytes) else str(reason)) from None
