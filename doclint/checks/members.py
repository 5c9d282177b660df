"""DL005 unknown-member, DL011 undocumented-member, DL012 unhandled-member (rule packs)."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from doclint.checks import Doc
from doclint.findings import Problem, Span
from doclint.globs import GlobSet
from doclint.packs import MemberSet, PackFacts
from doclint.workspace import did_you_mean

if TYPE_CHECKING:
    from doclint.context import Context

_IDENTIFIER = re.compile(r"[A-Za-z_$][\w$]*")
# A heading that is about the member: its text is the member, or starts with it and a separator.
_HEADING_TAIL = re.compile(r"\s*(?:$|[:(—–]|-\s)")


@dataclass(frozen=True)
class _Spellings:
    """How a set's members are written where a doc means them."""

    names: dict[str, str]  # member or alias -> member
    quoted: re.Pattern[str]  # 'member', "member" or `member` inside code
    aliases: re.Pattern[str] | None  # an alias (the interface's name) as a whole word inside code
    listed: re.Pattern[str]  # a code block line that starts with the member: a listing (a printed schedule)


@lru_cache(maxsize=64)
def _spellings(members: tuple[tuple[str, tuple[str, ...]], ...]) -> _Spellings:
    names = {}
    for name, aliases in members:
        names[name] = name
        for alias in aliases:
            names.setdefault(alias, name)
    by_length = sorted((name for name, _aliases in members), key=len, reverse=True)
    quoted = re.compile(r"""(['"`])(%s)\1""" % "|".join(map(re.escape, by_length)))
    alias_names = sorted((a for _name, aliases in members for a in aliases), key=len, reverse=True)
    words = re.compile(r"(?<![\w$])(%s)(?![\w$])" % "|".join(map(re.escape, alias_names))) if alias_names else None
    listed = re.compile(r"\s*(?:\d+[.:)]?\s+)?(%s)(?:\s|$)" % "|".join(map(re.escape, by_length)))
    return _Spellings(names, quoted, words, listed)


def mentions(doc: Doc, member_set: MemberSet) -> dict[str, list[int]]:
    """member -> lines of this doc that mean it. A member is meant by inline code that is the
    member or its alias (`stateWrite`, `'stateWrite'`, `StepStateWrite`) or quotes it inside
    (`kind: 'stateWrite'`); in a code block, by the quoted member, its alias as a word, or a line
    that starts with the member and a space (a listing: `12 evalSig  slot 3`); by a heading that
    is the member or starts with it and `:`, `(`, `-` or a dash; and by a table cell that is the
    member. A bare word elsewhere in prose or code (`new Array(n)`) is not a mention: it is as
    likely to mean something else."""
    if not member_set.members:
        return {}
    spell = _spellings(tuple((m.name, m.aliases) for m in member_set.members.values()))
    found: dict[str, list[int]] = {}

    def exact(text: str, line: int) -> bool:
        text = text.strip()
        name = spell.names.get(text) or (spell.names.get(text[1:-1]) if spell.quoted.fullmatch(text) else None)
        if name is not None:
            found.setdefault(name, []).append(line)
        return name is not None

    def inside(text: str, line: int) -> None:
        for match in spell.quoted.finditer(text):
            found.setdefault(match.group(2), []).append(line)
        for match in spell.aliases.finditer(text) if spell.aliases is not None else ():
            found.setdefault(spell.names[match.group(1)], []).append(line)

    for text, span in doc.scan.code_spans:
        if not exact(text, span.line):
            inside(text, span.line)
    for first, content in doc.scan.code_blocks:
        for number, text in enumerate(content.split("\n")):
            inside(text, first + number)
            listing = spell.listed.match(text)
            if listing:
                found.setdefault(listing.group(1), []).append(first + number)
    for line, heading, _slug in doc.scan.headings:
        for name in spell.names:
            if heading.startswith(name) and _HEADING_TAIL.match(heading, len(name)):
                found.setdefault(spell.names[name], []).append(line)
    for table in doc.scan.tables:
        for line, cells in table:
            for cell in cells:
                exact(cell, line)
    return {name: sorted(set(lines)) for name, lines in found.items()}


def _said(member_set: MemberSet, docs: Sequence[Doc]) -> dict[str, dict[str, list[int]]]:
    """doc path -> its mentions, for each of the docs the set names."""
    wanted = GlobSet(member_set.docs)
    return {doc.path: mentions(doc, member_set) for doc in docs if wanted.match(doc.path)}


def documented_in(member_set: MemberSet, docs: Sequence[Doc]) -> dict[str, list[tuple[str, int]]] | None:
    """Where each member is mentioned among the docs the set names; None for a set that names none."""
    if not member_set.docs:
        return None
    found: dict[str, list[tuple[str, int]]] = {}
    for path, said in _said(member_set, docs).items():
        for name, lines in said.items():
            found.setdefault(name, []).extend((path, line) for line in lines)
    return found


def check(doc: Doc, ws: Context) -> Iterator[Problem]:
    facts: PackFacts | None = ws.pack_facts
    if facts is None or not facts.sets:
        return
    yield from _near_misses(doc, ws, facts, facts.all_members, facts.member_names)


def undocumented(facts: PackFacts, docs: Sequence[Doc]) -> Iterator[tuple[str, Problem]]:
    """DL011: a member none of its set's docs mentions. It is reported in the doc to edit, the
    one of the set's docs that mentions most of the set's members, at the heading of the section
    that mentions most of them (where the member's siblings are listed); in a doc that mentions
    none, at its first heading."""
    for member_set in facts.sets:
        said = _said(member_set, docs)
        missing = [m for m in member_set.members.values() if not any(m.name in s for s in said.values())]
        if not said or not missing:
            continue  # no docs configured (not required), or none readable
        home = max(sorted(said), key=lambda path: len(said[path]))  # the first of the docs that say most
        scan = next(doc.scan for doc in docs if doc.path == home)
        line = _section_line(scan.headings, [n for lines in said[home].values() for n in lines])
        where = home if len(said) == 1 else f"any of the {len(said)} docs {', '.join(member_set.docs)} selects"
        for member in missing:
            declared = f" (declared in {member.declared[0]}:{member.declared[1]})" if member.declared else ""
            yield home, Problem(
                "DL011", Span(line, 1, line, 1),
                f"{member_set.name} member `{member.name}`{declared} is not mentioned in {where}",
                target=member.name,
            )


def _section_line(headings: list[tuple[int, str, str]], mention_lines: list[int]) -> int:
    """The heading line of the section holding most of these lines (the first such); the
    first heading when there are none; line 1 in a doc without headings."""
    starts = sorted(line for line, _text, _slug in headings)
    if not mention_lines:
        return starts[0] if starts else 1
    counts: dict[int, int] = {}
    for line in mention_lines:
        section = bisect.bisect_right(starts, line) - 1
        start = starts[section] if section >= 0 else 1
        counts[start] = counts.get(start, 0) + 1
    return min(counts, key=lambda start: (-counts[start], start))


def _near_misses(doc: Doc, ws: Context, facts: PackFacts, known: dict[str, str],
                 members: frozenset[str]) -> Iterator[Problem]:
    seen_spans = set()
    quoted = {span: value for value, span in doc.scan.literals}
    for text, span in doc.scan.code_spans:
        value = quoted.get(span)
        bare = value is None
        value = value if value is not None else text.strip()
        if span in seen_spans or value in known or len(value) < 4 or not _IDENTIFIER.fullmatch(value):
            continue
        if bare and (ws.index.declared(value) or value in doc.scan.code_words or not _looks_like_member(value)):
            continue
        if not bare and ws.index.is_literal(value):
            continue  # a member of some other union
        guess = did_you_mean(value, members, cutoff=0.8)
        if guess is None:
            continue
        seen_spans.add(span)
        set_name = next(s.name for s in facts.sets if guess in s.members)
        shown = f"'{value}'" if not bare else value
        yield Problem("DL005", span, f"`{shown}` is not a {set_name} member; did you mean `{guess}`?",
                      target=value, suggestion=guess)


def _looks_like_member(value: str) -> bool:
    return any(c.isupper() for c in value[1:]) or "_" in value


def unhandled(facts: PackFacts, _docs: Sequence[Doc] = ()) -> Iterator[tuple[str, Problem]]:
    """DL012: union members with no `case` in the handler, reported at the handler (a run
    check that reads no docs)."""
    for member_set in facts.sets:
        if not member_set.has_handler or member_set.handler is None:
            continue
        path, function = member_set.handler
        line = member_set.handler_line or 1
        for member in member_set.members.values():
            if not member.handled:
                yield path, Problem(
                    "DL012", Span(line, 1, line, 1),
                    f"{member_set.name} member `{member.name}` has no `case '{member.name}':` in `{function}`",
                    target=member.name,
                )
