"""The data every check produces and every reporter consumes."""

from __future__ import annotations

from typing import Literal, NamedTuple

Severity = Literal["error", "warning"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning")
# How sure a fix is, as JSON and SARIF say it: see Fix.safe.
Applicability = Literal["safe", "unsafe"]


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

    @property
    def applicability(self) -> Applicability:
        return "safe" if self.safe else "unsafe"


class Problem(NamedTuple):
    """What a check reports; the linter turns it into a Finding (severity, rule name)."""

    code: str
    span: Span
    message: str
    target: str | None = None
    suggestion: str | None = None
    fix: Fix | None = None
    severity: Severity | None = None  # a check may lower the rule's default (DL004 bare names)


class Finding(NamedTuple):
    path: str
    span: Span
    code: str
    name: str
    severity: Severity
    message: str
    target: str | None = None
    suggestion: str | None = None
    fix: Fix | None = None

    @property
    def sort_key(self) -> tuple[str, int, int, str, str]:
        return self.path, self.span.line, self.span.column, self.code, self.message

    @property
    def fixable(self) -> bool:
        """Fixed by `doclint fix` as it is (the fix is safe)."""
        return self.fix is not None and self.fix.safe

    @property
    def unsafe_fixable(self) -> bool:
        return self.fix is not None and not self.fix.safe
