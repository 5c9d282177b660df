"""Drift's shortcuts give what the plain ways they replace give: the line matcher exactly
difflib's opcodes, on sequences made to hold the repeats that make its shortcuts matter (blank
lines, braces, runs just under and over the length it keeps, copies of whole blocks); renames
followed one path at a time the names all paths followed at once get."""

from __future__ import annotations

import difflib
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from doclint import linediff


def reference(old: list[str], new: list[str]) -> list[tuple[str, int, int, int, int]]:
    return [tuple(op) for op in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes()]  # type: ignore[misc]


# Few distinct lines, so that equal lines, pairs and runs of every length recur everywhere.
LINES = st.sampled_from(["", "}", "a", "b", "c", "  return x;", "{"])


@st.composite
def edited(draw: st.DrawFn) -> tuple[list[str], list[str]]:
    old = draw(st.lists(LINES, max_size=60))
    new = list(old)
    for _ in range(draw(st.integers(0, 8))):
        choice = draw(st.integers(0, 3))
        at = draw(st.integers(0, len(new)))
        if choice == 0 and new:
            del new[min(at, len(new) - 1)]
        elif choice == 1:
            new.insert(at, draw(LINES))
        elif choice == 2 and old:  # a copy of a stretch of old elsewhere: two candidate blocks
            start = draw(st.integers(0, len(old) - 1))
            new[at:at] = old[start:start + draw(st.integers(1, 6))]
        else:
            new[at:at + 1] = draw(st.lists(LINES, max_size=3))
    return old, new


@settings(max_examples=1500, deadline=None)
@given(edited())
def test_edited_versions_get_difflibs_opcodes(pair: tuple[list[str], list[str]]) -> None:
    old, new = pair
    assert linediff.line_opcodes(old, new) == reference(old, new)


@settings(max_examples=500, deadline=None)
@given(st.lists(LINES, max_size=40), st.lists(LINES, max_size=40))
def test_unrelated_sequences_get_difflibs_opcodes(old: list[str], new: list[str]) -> None:
    assert linediff.line_opcodes(old, new) == reference(old, new)


def test_source_like_versions_with_many_blank_lines_and_braces() -> None:
    """Larger than hypothesis makes them: functions that repeat their shape, edited as code is."""
    rnd = random.Random(7)
    body = ["  const x = 1;", "  return x;", "}", ""]
    for _ in range(40):
        old = []
        for _ in range(rnd.randint(5, 60)):
            old += [f"export function f{rnd.randint(0, 12)}() {{", *rnd.sample(body, rnd.randint(1, 4)), "}", ""]
        new = list(old)
        for _ in range(rnd.randint(1, 12)):
            at = rnd.randint(0, len(new))
            if rnd.random() < 0.4 and new:
                del new[at:at + rnd.randint(1, 5)]
            elif rnd.random() < 0.5:
                start = rnd.randint(0, max(0, len(old) - 8))
                new[at:at] = old[start:start + rnd.randint(1, 8)]
            else:
                new.insert(at, rnd.choice(body + ["// note", "export const y = 2;"]))
        assert linediff.line_opcodes(old, new) == reference(old, new)


def test_positions_of_one_new_file_serve_many_old_versions() -> None:
    new = ["a", "", "}", "b", "", "}", "c"]
    positions = linediff.Positions(new)
    for old in (["a", "}", "c"], [], new, ["", "", "}", "}"], ["b", "", "}", "a"]):
        assert linediff.line_opcodes(old, new, positions) == reference(old, new)
    other = ["x", "a"]  # positions of another file are not used for this one
    assert linediff.line_opcodes(["a"], other, positions) == reference(["a"], other)


def eager_renames(positions: int, renaming: list) -> dict[str, str]:
    """Every start path's name now, worked out for all paths at once, oldest commit first (how
    drift's renames were found before they were followed one path at a time)."""
    where: dict[str, str | None] = {}
    starts_of: dict[str, set[str]] = {}
    for position, entries, _by_old in reversed(renaming):
        if not positions >> position & 1:
            continue
        for status, *paths in entries:
            old, new = paths[0], paths[1] if status == "R" else None
            moved = starts_of.pop(old, set())
            if old not in where:
                moved.add(old)
            for start in moved:
                where[start] = new
            if new is not None:
                starts_of.setdefault(new, set()).update(moved)
    return {old: new for old, new in where.items() if new is not None and old != new}


NAMES = st.sampled_from(["a.ts", "b.ts", "c.ts", "d/e.ts", "f.ts"])


@settings(max_examples=800, deadline=None)
@given(st.lists(st.lists(st.one_of(st.tuples(st.just("D"), NAMES), st.tuples(st.just("R"), NAMES, NAMES)),
                         min_size=1, max_size=4), max_size=8),
       st.integers(0, 255))
def test_renames_followed_one_path_at_a_time_agree_with_all_at_once(commits: list, positions: int) -> None:
    from doclint.history import Renames

    renaming = []
    for position, entries in enumerate(commits):  # newest first, as the walk lists them
        entries = [e for e in entries if e[0] == "D" or e[1] != e[2]]
        by_old: dict[str, list[int]] = {}
        for number, entry in enumerate(entries):
            by_old.setdefault(entry[1], []).append(number)
        renaming.append((position, entries, by_old))
    expected = eager_renames(positions, renaming)
    renames = Renames(positions, renaming)
    for name in ["a.ts", "b.ts", "c.ts", "d/e.ts", "f.ts", "g.ts"]:
        assert renames.get(name) == expected.get(name)
        assert renames.get(name, name) == expected.get(name, name)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.integers(0, 29), max_size=3), min_size=1, max_size=30), st.data())
def test_what_changed_since_a_commit_is_what_its_ancestry_leaves_out(parent_picks: list, data: st.DataObject) -> None:
    """Commit n's parents are older commits (some missing from the listing, as past a shallow
    boundary); the walk holds some of them. The positions since a commit are those of the walk
    (and the uncommitted changes at 0) that are not it or its ancestors, and only the commits
    asked about keep their masks, however long the history."""
    from doclint.history import GitHistory

    shas = [f"c{n}" for n in range(len(parent_picks))]
    parents = {sha: [shas[p] for p in picks if p < n] + (["gone"] if picks and picks[0] > 25 else [])
               for n, (sha, picks) in enumerate(zip(shas, parent_picks, strict=True))}
    walked = [sha for sha in reversed(shas) if data.draw(st.booleans())]
    walk = [("", []), *((sha, []) for sha in walked)]
    git = GitHistory.__new__(GitHistory)
    git._history, git._parents, git._ancestors, git._listed = walk, parents, {}, None
    git._position = {sha: i for i, (sha, _e) in enumerate(walk) if sha}
    asked = data.draw(st.lists(st.sampled_from(shas), min_size=1, max_size=6))
    for commit in asked:
        ancestors, todo = {commit}, [commit]
        while todo:
            for parent in parents.get(todo.pop(), ()):
                if parent not in ancestors:
                    ancestors.add(parent)
                    todo.append(parent)
        expected = {0} | {i for i, (sha, _e) in enumerate(walk) if sha and sha not in ancestors}
        got = git._newer_positions(commit)
        assert {i for i in range(len(walk)) if got >> i & 1} == expected
    assert set(git._ancestors) == set(asked)
