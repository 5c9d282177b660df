"""The data every check produces and every reporter consumes."""

from __future__ import annotations

from typing import NamedTuple


class Span(NamedTuple):
    """A region of a file: 1-based line and column, end column exclusive.

    Value types made by the thousand per doc are named tuples: cheap to build and to
    send between processes."""

    line: int
    column: int
    end_line: int
    end_column: int


class Edit(NamedTuple):
    span: Span
    replacement: str


class Fix(NamedTuple):
    edits: tuple[Edit, ...]
    # Safe: backed by evidence (a git rename, an exact move, the declaration's own lines).
    # Unsafe: chosen by a guess, such as the one file with the same name; applied only
    # with --unsafe-fixes.
    safe: bool = True


class Problem(NamedTuple):
    """What a check reports; the linter turns it into a Finding (severity, rule name)."""

    code: str
    span: Span
    message: str
    target: str | None = None
    suggestion: str | None = None
    fix: Fix | None = None
    severity: str | None = None  # a check may lower the rule's default (DL004 bare names)


class Finding(NamedTuple):
    path: str
    span: Span
    code: str
    name: str
    severity: str
    message: str
    target: str | None = None
    suggestion: str | None = None
    fix: Fix | None = None

    @property
    def sort_key(self) -> tuple:
        return self.path, self.span.line, self.span.column, self.code, self.message

    @property
    def fixable(self) -> bool:
        """Fixed by `doclint fix` as it is (the fix is safe)."""
        return self.fix is not None and self.fix.safe

    @property
    def unsafe_fixable(self) -> bool:
        return self.fix is not None and not self.fix.safe
