"""The checks, declared once: what each reports, what it runs over, and what it reads.

As yamllint lists its rules, `REGISTRY` lists every check explicitly. A doc check is a
function of the doc and its `Context` (the trees, the index through its one lookup
interface, the pack facts, the history and the lock, for that doc) that yields Problems;
a source check takes one source file, a run check the whole run. The linter applies
severity and suppression, and decides what to report; no check writes shared state.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any, Literal

from doclint.mdrefs import DocScan

if TYPE_CHECKING:
    from doclint.context import Context

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
class Check:
    name: str
    codes: tuple[str, ...]
    scope: Scope
    reads: frozenset[Input]
    run: Callable[..., Iterable[Any]]  # Problems; a run check's are (path, Problem)
    applies: Callable[[Context], bool] = _always  # a doc check that has nothing to read is not run

    @property
    def after_other_docs(self) -> bool:
        """Needs other docs' scans (their anchors): run once the docs it points into are in."""
        return "docs" in self.reads


@cache
def registry() -> tuple[Check, ...]:
    """Every check, in the order their findings rank (the first of two at one place stands)."""
    from doclint import lock, urls
    from doclint.checks import comments, drift, excerpts, invariants, links, members, paths, patterns, symbols

    def reads(*names: Input) -> frozenset[Input]:
        return frozenset(names)

    return (
        Check("drift", ("DL002", "DL003", "DL013"), "doc", reads("trees", "history"),
              lambda doc, context: drift.check(doc, context, context.history, context.drift_plan),
              lambda context: context.history is not None),
        Check("paths", ("DL001", "DL002", "DL003"), "doc", reads("trees"), paths.check),
        Check("symbols", ("DL003", "DL004"), "doc", reads("trees", "index"), symbols.check),
        Check("members", ("DL005",), "doc", reads("index", "packs"), members.check),
        Check("invariants", ("DL008", "DL009"), "doc", reads("packs"), invariants.check),
        Check("excerpts", ("DL001", "DL002", "DL014"), "doc", reads("trees"), excerpts.check),
        Check("patterns", ("DL001",), "doc", reads("trees"), patterns.check),
        Check("urls", ("DL002", "DL003", "DL006", "DL013"), "doc", reads("trees", "history"),
              lambda doc, context: urls.check(doc, context, context.history)),
        Check("lock", ("DL013",), "doc", reads("trees", "index", "lock"),
              lambda doc, context: lock.drift(doc, context, context.lock), lambda context: context.lock is not None),
        Check("links", ("DL002", "DL003", "DL006", "DL007"), "doc", reads("trees", "docs"), links.check),
        Check("comments", ("DL010",), "source", reads("trees", "docs"), comments.check),
        Check("unhandled", ("DL012",), "run", reads("packs"), members.unhandled),
        Check("undocumented", ("DL011",), "run", reads("packs", "docs"), members.undocumented),
    )


def doc_checks() -> tuple[Check, ...]:
    return tuple(check for check in registry() if check.scope == "doc")


def check_named(name: str) -> Check:
    return next(check for check in registry() if check.name == name)
