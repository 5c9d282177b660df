"""The checks, by what they read. Each yields Problems; the linter applies severity and filters."""

from __future__ import annotations

from dataclasses import dataclass

from doclint.mdrefs import DocScan


@dataclass(frozen=True)
class Doc:
    path: str  # relative to the root, '/'-separated
    scan: DocScan

    @property
    def dir(self) -> str:
        return self.path.rsplit("/", 1)[0] if "/" in self.path else ""


def doc_checks():
    from doclint.checks import excerpts, invariants, links, members, paths, patterns, symbols

    return (paths.check, links.check, symbols.check, members.check, invariants.check, excerpts.check,
            patterns.check)
