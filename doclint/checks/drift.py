"""Git-aware drift: DL002 for paths git saw renamed, DL003 for ranges whose lines moved,
DL013 for ranges whose lines were rewritten, all measured from the commit that last
wrote the doc line holding the reference."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Literal
from urllib.parse import unquote

from doclint.cache import read_bytes
from doclint.checks import Doc
from doclint.checks.paths import rewrite_range
from doclint.destinations import rewrite_destination
from doclint.findings import Edit, Fix, Problem, Span
from doclint.history import ChangedPaths, GitHistory, RangeMove, map_range, rewrite_written
from doclint.mdrefs import LINE_FRAGMENT, SCHEME, LineRange, fragment_lines
from doclint.tree import text_lines
from doclint.context import Context


_NUMBER = re.compile(r"[0-9]+")


@dataclass
class _Candidate:
    span: Span  # where the path is written (the link destination for links)
    written: str  # the path as written
    current: str | None  # resolved path in the tree today; None when it is gone
    lines: LineRange | None
    link_fragment: str | None = None  # for links: the fragment after '#'
    is_link: bool = False
    destination: str = ""  # for links: the destination exactly as written at `span`; "" when not located
    then: LineRange | None = None  # the range as the line's words were written, when a fix renumbered it since
    symbol: str | None = None  # a name the reference ties to the file (`x.ts#f`, "`f` in `x.ts`")


@dataclass
class Plan:
    """What drift needs to know about a doc: its candidates, and the doc lines to blame
    (none when nothing they point at changed since the doc was last committed)."""

    candidates: list[_Candidate]
    lines: set[int]


def plan(doc: Doc, ws: Context, git: GitHistory) -> Plan:
    candidates = list(_candidates(doc, ws))
    name = git.git_name(doc.path)
    first = git.first_commit(name) if candidates and name else None
    if first is None:
        return Plan([], set())  # no line references or vanished paths, or a doc git has never seen
    # Every line was written at or after the doc's first commit: what changed since then is
    # all any line can have missed (its last commit says nothing about its other lines).
    changed = git.changed_since(first)
    if not any(_touched(c, changed) for c in candidates):
        return Plan([], set())  # nothing it points at changed since the doc was written
    return Plan(candidates, {c.span.line for c in candidates})


def check_doc(doc: Doc, context: Context) -> Iterator[Problem]:
    """The registered check: drift against the context's history (it applies only with one),
    with the plan made for the doc ahead of time, if any."""
    if context.history is not None:
        yield from check(doc, context, context.history, context.drift_plan)


def check(doc: Doc, ws: Context, git: GitHistory, planned: Plan | None = None) -> Iterator[Problem]:
    """Drift findings for one doc; `planned` when its blame was asked for ahead of time."""
    found = planned or plan(doc, ws, git)
    if not found.lines:
        return
    candidates = found.candidates
    commits = git.blame(doc.path, found.lines)
    wanted = set()
    for candidate in candidates:
        commit = commits.get(candidate.span.line)
        if commit and candidate.current and candidate.lines:
            wanted.add((commit, candidate.current))
    git.prefetch(wanted)
    doc_lines: list[str] | None = None
    for candidate in candidates:
        commit = commits.get(candidate.span.line)
        then = git.renumbered.get((doc.path, candidate.span.line))
        if commit and then is not None and candidate.lines is not None:
            if doc_lines is None:
                doc_lines = text_lines(git_working_text(git, doc.path) or "")
            now = doc_lines[candidate.span.line - 1] if candidate.span.line <= len(doc_lines) else ""
            candidate = replace(candidate, then=_as_written(candidate, candidate.lines, now, then))
            if candidate.then is None:
                continue  # cannot tell which numbers were this reference's: no drift rather than a wrong one
        if commit:
            yield from _follow(candidate, commit, doc, ws, git)


def _as_written(candidate: _Candidate, lines: LineRange, now: str, then: str) -> LineRange | None:
    """The candidate's range (`lines`) with the numbers its line had before fixes renumbered it."""
    region = lines.span or candidate.span
    numbers_now = [(m.start() + 1, int(m.group())) for m in _NUMBER.finditer(now)]
    numbers_then = [int(m.group()) for m in _NUMBER.finditer(then)]
    if region.line != region.end_line or len(numbers_now) != len(numbers_then):
        return None
    inside = [i for i, (column, _n) in enumerate(numbers_now) if region.column <= column < region.end_column]
    starts = [i for i in inside if numbers_now[i][1] == lines.start]
    ends = [i for i in inside if numbers_now[i][1] == lines.end]
    if not starts or not ends:
        return None
    return lines._replace(start=numbers_then[starts[0]], end=numbers_then[ends[-1]])


def _touched(candidate: _Candidate, changed: ChangedPaths) -> bool:
    """Can what this reference points at have changed since the doc was written?"""
    if candidate.current is not None:
        return candidate.current in changed
    base = candidate.written.rstrip("/").rsplit("/", 1)[-1]  # a vanished path: was one of its name renamed or deleted?
    return bool(base) and changed.any_named(base)


def _resolve_then(candidate: _Candidate, doc: Doc, git: GitHistory, commit: str) -> str | None:
    """Where a reference that is gone today pointed at `commit`."""
    written, doc_dir = candidate.written, doc.dir
    if candidate.is_link:  # a link resolves from the doc's folder, or from the root when it starts with /
        written = written.lstrip("/") if written.startswith("/") else posixpath.normpath(posixpath.join(doc.dir, written))
        doc_dir = ""
    return git.resolve_at(commit, written, doc_dir)


def _candidates(doc: Doc, ws: Context) -> Iterator[_Candidate]:
    tied = {(s.span.line, s.file): s.name for s in doc.scan.symbols if s.file}
    agent = ws.is_agent_file(doc.path)
    for ref in doc.scan.paths:
        if ref.hypothetical:
            continue
        resolved = ws.resolve(ref.path, doc.dir, agent)
        if resolved.status == "missing":
            symbol = ref.symbol or tied.get((ref.span.line, ref.path))
            yield _Candidate(ref.span, ref.path, None, ref.lines, symbol=symbol)
        elif resolved.unique_file and ref.lines is not None:
            yield _Candidate(ref.span, ref.path, resolved.path, ref.lines)
    for link in doc.scan.links:
        if not link.target or SCHEME.match(link.href) or link.href.startswith("//"):
            continue
        target = unquote(link.target)
        fragment = unquote(link.fragment) if link.fragment else None
        lines = fragment_lines(fragment)
        resolved = ws.resolve_link(target, doc.dir)
        if resolved.status == "missing":
            yield _Candidate(link.span, target, None, lines, fragment, True, link.written)
        elif resolved.unique_file and lines is not None:
            yield _Candidate(link.span, target, resolved.path, lines, fragment, True, link.written)


def _follow(candidate: _Candidate, commit: str, doc: Doc, ws: Context, git: GitHistory) -> Iterator[Problem]:
    short = commit[:8]
    old_path = candidate.current
    new_path = candidate.current
    if candidate.current is None:
        old_path = _resolve_then(candidate, doc, git, commit)
        new_path = git.renames_since(commit).get(old_path) if old_path else None
        new_path, short = _symbol_home(candidate.symbol, new_path, ws, short)
        if old_path is None or new_path is None or not ws.trees[0].is_file(new_path):
            return
        fix = None
        if candidate.is_link:  # in the form written: from the root, or from the doc's folder
            link = "/" + new_path if candidate.written.startswith("/") else ws.relative_link(doc.dir, new_path)
            fragment = None
            if candidate.link_fragment is not None:
                fragment = _moved_fragment(candidate, commit, old_path, new_path, git)
            if candidate.destination:
                replacement = rewrite_destination(candidate.destination, link, fragment)
                fix = Fix((Edit(candidate.span, replacement),))
            else:  # not located for certain: said, not written
                replacement = link if fragment is None else f"{link}#{fragment}"
            span = candidate.span
        else:
            replacement = _unambiguous(rewrite_written(candidate.written, old_path, new_path), new_path, doc, ws)
            span = Span(candidate.span.line, candidate.span.column, candidate.span.end_line,
                        candidate.span.column + len(candidate.written))
            fix = Fix((Edit(span, replacement),))
        yield Problem(
            "DL002", span,
            f"`{candidate.written}` was renamed to `{new_path}` (git, since {short})",
            target=candidate.written, suggestion=replacement, fix=fix,
        )
    if candidate.lines is None or old_path is None or new_path is None:
        return
    yield from _range(candidate, candidate.lines, commit, old_path, new_path, ws, git)


def _symbol_home(symbol: str | None, new_path: str | None, ws: Context, short: str) -> tuple[str | None, str]:
    """A file split in several pieces: git pairs the old name with the most similar one, which may
    not be the piece that declares the name the reference is about. The name decides; the old
    path is followed when one file declares it, and not at all when several do."""
    if symbol is None or new_path is None:
        return new_path, short
    homes = ws.index.declared_elsewhere(symbol)
    if not homes or new_path in homes:
        return new_path, short
    if len(homes) > 1:
        return None, short
    return homes[0], f"{short}; split, and `{symbol}` is declared there"


def _unambiguous(replacement: str, new_path: str, doc: Doc, ws: Context) -> str:
    """The author's short form of the new path only while it still names that one file; else
    the shortest longer tail that does, up to the full path."""
    parts = new_path.split("/")
    for keep in range(replacement.rstrip("/").count("/") + 1, len(parts) + 1):
        shorter = "/".join(parts[-keep:]) + ("/" if replacement.endswith("/") else "")
        found = ws.resolve(shorter, doc.dir)
        if found.status == "found" and found.path == new_path:
            return shorter
    return replacement if replacement.rstrip("/") == new_path else new_path


def _moved_fragment(candidate: _Candidate, commit: str, old_path: str, new_path: str, git: GitHistory) -> str:
    fragment = candidate.link_fragment or ""
    lines = candidate.then or candidate.lines
    move = _move(lines, commit, old_path, new_path, git) if lines else None
    if not isinstance(move, RangeMove) or move.start is None or move.end is None:
        return fragment  # nothing of the range survived, or its ends did not: the fragment stays as written
    return _fragment(fragment, move.start, move.end)


def _fragment(fragment: str, start: int, end: int) -> str:
    match = LINE_FRAGMENT.fullmatch(fragment)
    if not match:
        return fragment
    if match.group(2) is None:
        return f"L{start}" if start == end else f"L{start}-L{end}"
    return "L" + rewrite_range(fragment[1:], start, end)


def _move(lines: LineRange, commit: str, old_path: str, new_path: str,
          git: GitHistory) -> RangeMove | Literal["deleted", "never"] | None:
    """Where the range went: a RangeMove, "deleted" (no content of it survived), "never" (it was
    past the end of the file when the doc line was written), or None (nothing to follow)."""
    entry = git.line_mapping(commit, old_path, new_path)
    if entry is None:
        return None
    old_lines, new_lines, opcodes = entry
    if lines.end > len(old_lines):
        return "never"
    if opcodes is None:
        return None
    return map_range(old_lines, new_lines, lines.start, lines.end, opcodes) or "deleted"


def git_working_text(git: GitHistory, path: str) -> str | None:
    data = read_bytes(str(git.root / path))
    return None if data is None else data.decode("utf-8", errors="replace")


def _range(candidate: _Candidate, lines: LineRange, commit: str, old_path: str, new_path: str, ws: Context,
           git: GitHistory) -> Iterator[Problem]:
    ws.consult(ws.trees[0], new_path)  # `_move` reads its working text, past the per-run memo
    move = _move(candidate.then or lines, commit, old_path, new_path, git)
    if move is None:
        return
    short = commit[:8]
    shown = f"{lines.start}-{lines.end}" if lines.end != lines.start else str(lines.start)
    noun = "lines" if lines.end != lines.start else "line"
    where = lines.span or candidate.span
    if move == "deleted":
        yield Problem("DL013", where,
                      f"{noun} {shown} of `{new_path}` {'were' if noun == 'lines' else 'was'} rewritten or deleted since this "
                      f"doc line was written ({short})",
                      target=new_path)
        return
    if move == "never":
        length = len(text_lines(git.file_at(commit, old_path) or ""))
        yield Problem("DL003", where,
                      f"{noun} {shown} of `{new_path}` never matched: the file had {length} lines when this doc line "
                      f"was written ({short})", target=new_path)
        return
    if move.start is None or move.end is None:
        (kept, now), lost = ((lines.start, move.start), lines.end) if move.start else ((lines.end, move.end), lines.start)
        if now is not None and now != kept:  # it moved, but only one end says where: no fix on a guess
            yield Problem("DL003", where,
                          f"{noun} {shown} of `{new_path}` moved since this doc line was written ({short}): line "
                          f"{kept} is now {now}; line {lost} was rewritten, so the new range is not known",
                          target=new_path)
        yield Problem("DL013", where,
                      f"{move.changed} of {move.total} lines of `{new_path}` changed since this doc line was written "
                      f"({short}), its first or last line among them, so where {noun} {shown} went is not known; "
                      "review the text", target=new_path)
        return
    new_shown = f"{move.start}-{move.end}" if move.end != move.start else str(move.start)
    if (move.start, move.end) != (lines.start, lines.end):
        fix = None
        if candidate.is_link and candidate.current is not None and candidate.destination:
            fragment = _fragment(candidate.link_fragment or "", move.start, move.end)
            fix = Fix((Edit(candidate.span, rewrite_destination(candidate.destination, fragment=fragment)),))
        elif not candidate.is_link and lines.span is not None and lines.text:
            fix = Fix((Edit(lines.span, rewrite_range(lines.text, move.start, move.end)),))
        if candidate.is_link and candidate.current is None:
            fix = None  # the DL002 fix rewrites the whole destination, range included
        yield Problem("DL003", where,
                      f"{noun} {shown} of `{new_path}` moved to {new_shown} since this doc line was written ({short})",
                      target=new_path, suggestion=new_shown, fix=fix)
    if move.changed:
        yield Problem("DL013", where,
                      f"{move.changed} of {move.total} lines of `{new_path}` ({new_shown}) changed since this doc "
                      f"line was written ({short}); review the text",
                      target=new_path)
