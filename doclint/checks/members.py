"""DL005 unknown-member, DL011 undocumented-member, DL012 unhandled-member (rule packs)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from doclint.checks import Doc
from doclint.findings import Problem, Span
from doclint.globs import GlobSet
from doclint.packs import MemberSet, PackFacts
from doclint.workspace import Workspace, did_you_mean

_IDENTIFIER = re.compile(r"[A-Za-z_$][\w$]*")


def mentions(doc: Doc, member_set: MemberSet) -> dict[str, list[int]]:
    """member -> lines of this doc that mention it (inline code, or a word in a code block)."""
    spellings = {}
    for member in member_set.members.values():
        spellings[member.name] = member.name
        for alias in member.aliases:
            spellings[alias] = member.name
    found: dict[str, list[int]] = {}
    for text, span in doc.scan.code_spans:
        name = spellings.get(text.strip().strip("'\"`"))
        if name is not None:
            found.setdefault(name, []).append(span.line)
    for first, content in doc.scan.code_blocks:
        for number, line in enumerate(content.split("\n")):
            for word in _IDENTIFIER.findall(line):
                if word in spellings:
                    found.setdefault(spellings[word], []).append(first + number)
    return {name: sorted(set(lines)) for name, lines in found.items()}


def documented_in(member_set: MemberSet, docs: list[Doc]) -> dict[str, list[tuple[str, int]]]:
    """Where each member is mentioned among the docs the set names."""
    wanted = GlobSet(member_set.docs) if member_set.docs else None
    found: dict[str, list[tuple[str, int]]] = {}
    for doc in docs:
        if wanted is not None and not wanted.match(doc.path):
            continue
        for name, lines in mentions(doc, member_set).items():
            found.setdefault(name, []).extend((doc.path, line) for line in lines)
    return found


def check(doc: Doc, ws: Workspace) -> Iterator[Problem]:
    facts: PackFacts | None = ws.pack_facts
    if facts is None or not facts.sets:
        return
    known = facts.all_members()
    for member_set in facts.sets:
        if member_set.docs and GlobSet(member_set.docs).match(doc.path):
            yield from _undocumented(doc, member_set)
    yield from _near_misses(doc, ws, facts, known)


def _undocumented(doc: Doc, member_set: MemberSet) -> Iterator[Problem]:
    said = mentions(doc, member_set)
    for member in member_set.members.values():
        if member.name in said:
            continue
        where = f" (declared in {member.declared[0]}:{member.declared[1]})" if member.declared else ""
        yield Problem(
            "DL011", Span(1, 1, 1, 1),
            f"{member_set.name} member `{member.name}`{where} is not mentioned in this doc",
            target=member.name,
        )


def _near_misses(doc: Doc, ws: Workspace, facts: PackFacts, known: dict[str, str]) -> Iterator[Problem]:
    members = [m for s in facts.sets for m in s.members]
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


def unhandled(facts: PackFacts) -> Iterator[tuple[str, Problem]]:
    """DL012: union members with no `case` in the handler, reported at the handler."""
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
