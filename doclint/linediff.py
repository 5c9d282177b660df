"""How one version of a file became another, line by line: exactly the blocks difflib's
`SequenceMatcher(None, old, new, autojunk=False).get_opcodes()` gives, found faster, for
items each equal to itself (lines of text; not a float NaN, which difflib matches by identity).

difflib splits the two sequences at their longest common block (the first one, reading old
then new, among the longest), then does the same on each side, and so on. Each split asks for
the longest block inside a rectangle of old lines by new lines, and difflib answers it by
visiting every pair of equal lines in those rows: in source code, blank lines and lone braces
make that most of the work, at every level of the splitting.

Here the same questions are answered from the runs of equal lines that follow one another in
both files (the diagonals of the pairs), found once. Runs of `_LONG` lines or more are kept, and
a rectangle gets only those its parent held that still fit, so each split looks at few. Only
when none fits is a shorter block looked for, line by line: the first pair of lines in a row
(or three), else the first single equal line, which is the block difflib would take.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Hashable, Sequence
from typing import Literal

Tag = Literal["replace", "delete", "insert", "equal"]
Opcodes = list[tuple[Tag, int, int, int, int]]
_Run = tuple[int, int, int]  # first line in old, first in new, length: a maximal diagonal of equal lines


def line_opcodes(old: Sequence[Hashable], new: Sequence[Hashable], positions: Positions | None = None) -> Opcodes:
    """difflib's opcodes for turning `old` into `new` (no junk, no autojunk). `positions`:
    `Positions(new)`, for a caller that diffs many versions against one new file (which must
    not change once its positions are taken)."""
    return _opcodes(matching_blocks(old, new, positions), len(old), len(new))


def matching_blocks(old: Sequence[Hashable], new: Sequence[Hashable],
                    positions: Positions | None = None) -> list[tuple[int, int, int]]:
    """difflib's `get_matching_blocks` without its closing (len, len, 0) sentinel."""
    lines = positions if positions is not None and positions.new is new else Positions(new)
    found: list[tuple[int, int, int]] = []
    pending = [(0, len(old), 0, len(new), _runs(old, new, lines.pairs))]
    while pending:
        alo, ahi, blo, bhi, runs = pending.pop()
        i, j, k = _longest(old, lines, alo, ahi, blo, bhi, runs)
        if not k:
            continue
        found.append((i, j, k))
        if alo < i and blo < j:
            pending.append((alo, i, blo, j, _inside(runs, alo, i, blo, j)))
        if i + k < ahi and j + k < bhi:
            pending.append((i + k, ahi, j + k, bhi, _inside(runs, i + k, ahi, j + k, bhi)))
    found.sort()
    merged: list[tuple[int, int, int]] = []
    for i, j, k in found:  # blocks that meet end to end are one block, as difflib reports them
        if merged and merged[-1][0] + merged[-1][2] == i and merged[-1][1] + merged[-1][2] == j:
            last = merged[-1]
            merged[-1] = (last[0], last[1], last[2] + k)
        else:
            merged.append((i, j, k))
    return merged


# Runs this long are kept and handed down the splitting; a shorter block is looked for line by line.
_LONG = 4


class Positions:
    """Where each line of the new file is, and each pair of lines that follow one another."""

    def __init__(self, new: Sequence[Hashable]):
        self.new = new
        self.lines: dict[Hashable, list[int]] = {}
        self.pairs: dict[tuple[Hashable, Hashable], list[int]] = {}
        lines, pairs = self.lines, self.pairs
        for j, line in enumerate(new):
            lines.setdefault(line, []).append(j)
        for j, pair in enumerate(zip(new, new[1:], strict=False)):
            pairs.setdefault(pair, []).append(j)


def _runs(old: Sequence[Hashable], new: Sequence[Hashable],
          pairs: dict[tuple[Hashable, Hashable], list[int]]) -> list[_Run]:
    """Every maximal diagonal of `_LONG` equal lines or more, longest first, found from the
    pairs of lines that follow one another in both files (far fewer than the equal lines)."""
    runs: list[_Run] = []
    old_length, new_length = len(old), len(new)
    for i, pair in enumerate(zip(old, old[1:], strict=False)):
        starts = pairs.get(pair)
        if starts is None:
            continue
        before = old[i - 1] if i else None
        for j in starts:
            if i and j and new[j - 1] == before:
                continue  # inside a run that started earlier
            length = 2
            while i + length < old_length and j + length < new_length and old[i + length] == new[j + length]:
                length += 1
            if length >= _LONG:
                runs.append((i, j, length))
    runs.sort(key=lambda run: -run[2])
    return runs


def _inside(runs: list[_Run], alo: int, ahi: int, blo: int, bhi: int) -> list[_Run]:
    """The runs that keep `_LONG` lines or more inside the rectangle, longest first."""
    return [run for run in runs if _cut(run, alo, ahi, blo, bhi)[1] >= _LONG]


def _cut(run: _Run, alo: int, ahi: int, blo: int, bhi: int) -> tuple[int, int]:
    """The first old line and the length of what is left of a run inside a rectangle."""
    i, j, length = run
    start = max(i, alo, blo + i - j)
    return start, min(i + length, ahi, bhi + i - j) - start


def _longest(old: Sequence[Hashable], lines: Positions, alo: int, ahi: int, blo: int, bhi: int,
             runs: list[_Run]) -> tuple[int, int, int]:
    """difflib's `find_longest_match(alo, ahi, blo, bhi)` with no junk: the longest block of
    equal lines in the rectangle, the first in old (then in new) among equally long ones;
    (alo, blo, 0) when there is none."""
    best = (alo, blo, 0)
    for run in runs:  # longest first: one shorter than the best so far cannot beat it
        if run[2] < best[2]:
            break
        start, size = _cut(run, alo, ahi, blo, bhi)
        if size > best[2] or (size == best[2] and (start, start - run[0] + run[1]) < best[:2]):
            best = (start, start - run[0] + run[1], size)
    if best[2] >= _LONG:
        return best
    # Nothing as long as a kept run: the first of the longest blocks there are, reading old then
    # new, is the one difflib takes. A block of two lines or more starts at a pair in a row.
    block: tuple[int, int, int] | None = None
    longest, new = 1, lines.new
    for i in range(alo, ahi - 1):
        starts = lines.pairs.get((old[i], old[i + 1]))
        if starts is None:
            continue
        for at in range(bisect_left(starts, blo), len(starts)):
            j = starts[at]
            if j > bhi - 2:
                break
            size = 2
            while size < _LONG - 1 and i + size < ahi and j + size < bhi and old[i + size] == new[j + size]:
                size += 1
            if size == _LONG - 1:
                return i, j, size  # as long as a block here can be: nothing later beats it
            if size > longest:
                block, longest = (i, j, size), size
    if block is not None:
        return block
    for i in range(alo, ahi):
        found = _first(lines.lines.get(old[i]), blo, bhi)
        if found is not None:
            return i, found, 1
    return alo, blo, 0


def _first(positions: list[int] | None, low: int, high: int) -> int | None:
    """The first of these (sorted) positions in low..high-1."""
    if positions is None:
        return None
    at = bisect_left(positions, low)
    return positions[at] if at < len(positions) and positions[at] < high else None


def _opcodes(blocks: list[tuple[int, int, int]], old_length: int, new_length: int) -> Opcodes:
    """difflib's `get_opcodes` from the matching blocks: what lies between two blocks is
    replaced, deleted or inserted, by which side has lines there."""
    opcodes: Opcodes = []
    i = j = 0
    for ai, bj, size in [*blocks, (old_length, new_length, 0)]:
        tag: Tag | None = None
        if i < ai and j < bj:
            tag = "replace"
        elif i < ai:
            tag = "delete"
        elif j < bj:
            tag = "insert"
        if tag is not None:
            opcodes.append((tag, i, ai, j, bj))
        i, j = ai + size, bj + size
        if size:
            opcodes.append(("equal", ai, i, bj, j))
    return opcodes
