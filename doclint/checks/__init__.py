"""The checks, declared once: what each reports, what it runs over, and what it reads.

As yamllint lists its rules, `REGISTRY` lists every check explicitly. There are three kinds,
one class each, so that mypy checks every registration against its kind's signature: a
`DocCheck` is a function of the doc and its `Context` (the trees, the index through its one
lookup interface, the pack facts, the history and the lock, for that doc) that yields
Problems; a `SourceCheck` takes one source file and the workspace; a `RunCheck` takes the
whole run's pack facts and the docs it reads, and yields (path, Problem). The linter applies
severity and suppression, and decides what to report; no check writes shared state.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, ClassVar, Literal, TypeVar

from doclint.mdrefs import DocScan

if TYPE_CHECKING:
    from doclint.context import Context
    from doclint.findings import Problem
    from doclint.packs import PackFacts
    from doclint.workspace import Workspace

Scope = Literal["doc", "source", "run"]  # one doc, one source file, the whole run
Input = Literal["trees", "index", "docs", "packs", "history", "lock"]


@dataclass(frozen=True)
class Doc:
    path: str  # relative to the root, '/'-separated
    scan: DocScan

    @property
    def dir(self) -> str:
        return self.path.rsplit("/", 1)[0] if "/" in self.path else ""


def _always(_context: Context) -> bool:
    return True


@dataclass(frozen=True)
class DocCheck:
    """A check of one doc, given the doc and its Context; not run when `applies` says it has
    nothing to read."""

    name: str
    codes: tuple[str, ...]
    reads: frozenset[Input]
    run: Callable[[Doc, Context], Iterable[Problem]]
    applies: Callable[[Context], bool] = _always
    scope: ClassVar[Scope] = "doc"

    @property
    def after_other_docs(self) -> bool:
        """Needs other docs' scans (their anchors): run once the docs it points into are in."""
        return "docs" in self.reads


@dataclass(frozen=True)
class SourceCheck:
    """A check of one indexed source file (its path), given the run's workspace."""

    name: str
    codes: tuple[str, ...]
    reads: frozenset[Input]
    run: Callable[[str, Workspace], Iterable[Problem]]
    scope: ClassVar[Scope] = "source"


@dataclass(frozen=True)
class RunCheck:
    """A check of the whole run, given the rule packs' facts and the docs it reads (none
    unless it reads "docs"); it yields each problem with the path it is reported in."""

    name: str
    codes: tuple[str, ...]
    reads: frozenset[Input]
    run: Callable[[PackFacts, Sequence[Doc]], Iterable[tuple[str, Problem]]]
    scope: ClassVar[Scope] = "run"


Check = DocCheck | SourceCheck | RunCheck
_Kind = TypeVar("_Kind", DocCheck, SourceCheck, RunCheck)


@cache
def registry() -> tuple[Check, ...]:
    """Every check, in the order their findings rank (the first of two at one place stands)."""
    from doclint import lock, urls
    from doclint.checks import comments, drift, excerpts, invariants, links, members, paths, patterns, symbols

    def reads(*names: Input) -> frozenset[Input]:
        return frozenset(names)

    return (
        DocCheck("drift", ("DL002", "DL003", "DL013"), reads("trees", "history"), drift.check_doc,
                 lambda context: context.history is not None),
        DocCheck("paths", ("DL001", "DL002", "DL003"), reads("trees"), paths.check),
        DocCheck("symbols", ("DL003", "DL004"), reads("trees", "index"), symbols.check),
        DocCheck("members", ("DL005",), reads("index", "packs"), members.check),
        DocCheck("invariants", ("DL008", "DL009"), reads("packs"), invariants.check),
        DocCheck("excerpts", ("DL001", "DL002", "DL014"), reads("trees"), excerpts.check),
        DocCheck("patterns", ("DL001",), reads("trees"), patterns.check),
        DocCheck("urls", ("DL002", "DL003", "DL006", "DL013"), reads("trees", "history"),
                 lambda doc, context: urls.check(doc, context, context.history)),
        DocCheck("lock", ("DL013",), reads("trees", "index", "lock"), lock.check_doc,
                 lambda context: context.lock is not None),
        DocCheck("links", ("DL002", "DL003", "DL006", "DL007"), reads("trees", "docs"), links.check),
        SourceCheck("comments", ("DL010",), reads("trees", "docs"), comments.check),
        RunCheck("unhandled", ("DL012",), reads("packs"), members.unhandled),
        RunCheck("undocumented", ("DL011",), reads("packs", "docs"), members.undocumented),
    )


def doc_checks() -> tuple[DocCheck, ...]:
    return tuple(check for check in registry() if isinstance(check, DocCheck))


def check_named(name: str, kind: type[_Kind]) -> _Kind:
    """The check called `name`, which is of `kind`."""
    check = next(check for check in registry() if check.name == name)
    if not isinstance(check, kind):
        raise TypeError(f"check {name} is a {type(check).__name__}, not a {kind.__name__}")
    return check
