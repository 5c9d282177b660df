"""DL001 for the file patterns in an agent rule file's front matter (`globs:`, `applyTo:`).

A rule whose pattern matches no file is never applied: the usual sign that the code it
was written for moved. Patterns follow the rule tools' own reading: relative to the
repository root, a pattern without `/` matches a file name at any depth, `{a,b}` lists
alternatives, and a `!` pattern excludes (it is not checked).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from doclint.checks import Doc
from doclint.findings import Problem
from doclint.globs import GlobError, GlobSet
from doclint.tree import LockedTree

if TYPE_CHECKING:
    from doclint.context import Context

_BRACES = re.compile(r"\{([^{}]*)\}")
_MAX_ALTERNATIVES = 64


def check(doc: Doc, ws: Context) -> Iterator[Problem]:
    if isinstance(ws.trees[-1], LockedTree):
        return  # the lock records the files docs named, not every file a pattern could match
    for pattern, span in doc.scan.file_patterns:
        globs = _globs(pattern)
        if globs is None:
            continue  # not a pattern doclint can read exactly: say nothing rather than guess
        if not any(globs.match(path) for tree in ws.trees for path in tree.files):
            yield Problem("DL001", span, f"file pattern `{pattern}` in the front matter matches no file",
                          target=pattern)


def _globs(pattern: str) -> GlobSet | None:
    if pattern.startswith("!") or pattern in ("*", "**", "**/*"):
        return None
    pattern = pattern.lstrip("/").removeprefix("./")
    if pattern.endswith("/"):
        pattern += "**"
    alternatives = [pattern]
    while any(_BRACES.search(p) for p in alternatives):
        expanded = []
        for p in alternatives:
            match = _BRACES.search(p)
            if match is None:
                expanded.append(p)
                continue
            expanded.extend(p[: match.start()] + choice + p[match.end():] for choice in match.group(1).split(","))
        alternatives = expanded
        if len(alternatives) > _MAX_ALTERNATIVES:
            return None
    try:
        return GlobSet([p if "/" in p else "**/" + p for p in alternatives])
    except GlobError:
        return None
