"""The data every check produces and every reporter consumes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple


class Span(NamedTuple):
    """A region of a file: 1-based line and column, end column exclusive.

    Value types made by the thousand per doc are named tuples: cheap to build and to
    send between processes."""

    line: int
    column: int
    end_line: int
    end_column: int


@dataclass(frozen=True)
class Edit:
    span: Span
    replacement: str


@dataclass(frozen=True)
class Fix:
    edits: tuple[Edit, ...]


@dataclass(frozen=True)
class Problem:
    """What a check reports; the linter turns it into a Finding (severity, rule name)."""

    code: str
    span: Span
    message: str
    target: str | None = None
    suggestion: str | None = None
    fix: Fix | None = None
    severity: str | None = None  # a check may lower the rule's default (DL004 bare names)


@dataclass(frozen=True)
class Finding:
    path: str
    span: Span
    code: str
    name: str
    severity: str
    message: str
    target: str | None = None
    suggestion: str | None = None
    fix: Fix | None = None
    sort_key: tuple = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "sort_key", (self.path, self.span.line, self.span.column, self.code, self.message)
        )

    @property
    def fixable(self) -> bool:
        return self.fix is not None
