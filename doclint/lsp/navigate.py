"""Where a doc's references lead, and who refers to a declaration or a heading.

Everything here asks the session's workspace, the same resolution `doclint check` uses
(`Workspace.resolve`, `resolve_link`, the index, the rule-pack facts), so a reference the
editor follows is the reference the checks judged. Positions are 1-based (line, column)
in code points, as the engine's spans are; the server converts them for the client.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, NamedTuple
from urllib.parse import unquote

from doclint.findings import Span
from doclint.mdrefs import SCHEME, DocScan, LinkRef, PathRef, SymbolRef, fragment_lines, scan_markdown
from doclint.packs import Member, MemberSet
from doclint.session import Session, is_mdx
from doclint.tree import Tree
from doclint.tsindex import Symbol
from doclint.workspace import is_markdown

_HEADING = re.compile(r"^(\s{0,3}#{1,6}\s+)(.*?)(\s+#+\s*)?$")
_IDENT = re.compile(r"[A-Za-z_$][\w$]*")


class Place(NamedTuple):
    """A region of a file: lines are 1-based and inclusive; a column of 0 means the whole line."""

    file: Path
    line: int
    end_line: int
    column: int = 0
    end_column: int = 0


# The reference under the cursor: one class per kind, told apart by `kind`.
@dataclass(frozen=True)
class PathUnder:
    span: Span
    ref: PathRef
    kind: Literal["path"] = "path"


@dataclass(frozen=True)
class LinkUnder:
    span: Span
    ref: LinkRef
    kind: Literal["link"] = "link"


@dataclass(frozen=True)
class SymbolUnder:
    span: Span
    ref: SymbolRef
    kind: Literal["symbol"] = "symbol"


@dataclass(frozen=True)
class MemberUnder:
    span: Span
    ref: str  # the literal's text
    kind: Literal["member"] = "member"


@dataclass(frozen=True)
class InvariantUnder:
    span: Span
    ref: str  # the ID
    kind: Literal["invariant"] = "invariant"


@dataclass(frozen=True)
class HeadingUnder:
    span: Span
    ref: tuple[int, str, str]  # line, text, slug
    kind: Literal["heading"] = "heading"


Under = PathUnder | LinkUnder | SymbolUnder | MemberUnder | InvariantUnder | HeadingUnder


def contains(span: Span, line: int, column: int) -> bool:
    return (span.line, span.column) <= (line, column) <= (span.end_line, span.end_column)


def under(session: Session, scan: DocScan, line: int, column: int) -> Under | None:
    for ref in scan.paths:
        span = ref.span
        if ref.symbol:  # `x.ts#name`: the name is part of it
            span = Span(span.line, span.column, span.end_line, span.end_column + 1 + len(ref.symbol))
        if contains(span, line, column) or ref.lines and ref.lines.span and contains(ref.lines.span, line, column):
            return PathUnder(span, ref)
    for link in scan.links:
        if contains(link.span, line, column):
            return LinkUnder(link.span, link)
    for symbol in scan.symbols:
        if contains(symbol.span, line, column):
            return SymbolUnder(symbol.span, symbol)
    facts = session.ws.pack_facts
    if facts is not None:
        for text, span in scan.literals:
            if contains(span, line, column) and _member_sets(session, text):
                return MemberUnder(span, text)
        if facts.invariant_pattern:
            cited = re.compile(rf"(?<![\w-])({facts.invariant_pattern})(?![\w-])")
            for text, span in list(scan.texts) + list(scan.code_spans):
                if span.line != line:
                    continue
                for match in cited.finditer(text):
                    where = Span(line, span.column + match.start(), line, span.column + match.end())
                    if contains(where, line, column):
                        return InvariantUnder(where, match.group(1))
    for heading in scan.headings:
        if heading[0] == line:
            return HeadingUnder(Span(line, 1, line, 1), heading)
    return None


def _member_sets(session: Session, text: str) -> list[tuple[MemberSet, Member]]:
    facts = session.ws.pack_facts
    name = text.strip("'\"`")
    return [(s, s.members[name]) for s in facts.sets if name in s.members] if facts else []


# --------------------------------------------------------------------------- definition


def definition(session: Session, doc: str, target: Under) -> list[Place]:
    ws = session.ws
    doc_dir = posixpath.dirname(doc)
    if target.kind == "path":
        ref = target.ref
        resolved = ws.resolve(ref.path, doc_dir)
        if resolved.status != "found" or not resolved.tree or not resolved.tree.is_file(resolved.path or ""):
            return []
        if ref.symbol:
            return _symbol_places(session, SymbolRef(ref.symbol, "qualified", ref.span, ref.path), doc_dir)
        return [_file_place(resolved.tree, resolved.path or "", ref.lines.start if ref.lines else 1,
                            ref.lines.end if ref.lines else 1)]
    if target.kind == "link":
        return _link_places(session, doc, target.ref)
    if target.kind == "symbol":
        return _symbol_places(session, target.ref, doc_dir)
    if target.kind == "member":
        return [_source_place(session, m.declared[0], m.declared[1]) for _s, m in _member_sets(session, target.ref)
                if m.declared]
    if target.kind == "invariant":
        facts = ws.pack_facts
        return ([_source_place(session, path, line) for _t, path, line in facts.invariants.get(target.ref, ())]
                if facts else [])
    return []


def _file_place(tree: Tree, path: str, line: int, end_line: int) -> Place:
    return Place(Path(tree.root) / path, line, end_line)


def _source_place(session: Session, path: str, line: int) -> Place:
    """A place named by the rule packs: in the source tree, else from the root."""
    for tree in reversed(session.ws.trees):
        if tree.is_file(path):
            return _file_place(tree, path, line, line)
    return Place(session.root / path, line, line)


def _link_places(session: Session, doc: str, link: LinkRef) -> list[Place]:
    ws = session.ws
    if not link.href or SCHEME.match(link.href) or link.href.startswith("//"):
        return []
    fragment = unquote(link.fragment) if link.fragment is not None else None
    if link.target:
        resolved = ws.resolve_link(unquote(link.target), posixpath.dirname(doc))
        if resolved.status != "found" or resolved.tree is None or not resolved.tree.is_file(resolved.path or ""):
            return []
        tree, path = resolved.tree, resolved.path or ""
    else:
        tree, path = ws.trees[0], doc
    if fragment:
        lines = fragment_lines(fragment)
        if lines is not None and not is_markdown(path):
            return [_file_place(tree, path, lines.start, lines.end)]
        line = anchor_line(session, tree, path, fragment)
        if line is not None:
            return [_file_place(tree, path, line, line)]
    return [_file_place(tree, path, 1, 1)]


def anchor_line(session: Session, tree: Tree, path: str, fragment: str) -> int | None:
    """The line of the heading (or explicit `<a id>`) a fragment names."""
    scan = session.ws.doc_scan(tree, path) if tree is session.ws.trees[0] else None
    if scan is None:
        text = tree.read_text(path)
        scan = scan_markdown(text, mdx=is_mdx(path)) if text is not None else None
    if scan is None:
        return None
    wanted = fragment.lower()
    for line, _text, slug in scan.headings:
        if slug.lower() == wanted:
            return line
    text = tree.read_text(path) or ""
    explicit = re.compile(rf"""\s(?:id|name)\s*=\s*["']{re.escape(fragment)}["']""", re.IGNORECASE)
    for number, line_text in enumerate(text.splitlines(), 1):
        if explicit.search(line_text):
            return number
    return None


def declarations(session: Session, ref: SymbolRef, doc_dir: str) -> list[tuple[str, Symbol]]:
    """(source path, symbol) pairs a name refers to: in its file when it is tied to one."""
    ws = session.ws
    index = ws.index
    if ref.file is not None:
        written = ref.file[5:] if ref.file.startswith("link:") else ref.file
        resolved = ws.resolve_link(written, doc_dir) if ref.file.startswith("link:") else ws.resolve(written, doc_dir)
        path = ws.indexed_path(resolved) if resolved.unique_file else None
        return [(path, s) for s in index.in_file(path, ref.name)] if path else []
    found = index.by_qualname.get(ref.name) or ([] if "." in ref.name else index.by_name.get(ref.name, []))
    return list(found)


def _symbol_places(session: Session, ref: SymbolRef, doc_dir: str) -> list[Place]:
    source = session.ws.trees[-1]
    return [_file_place(source, path, symbol.line, symbol.end_line)
            for path, symbol in declarations(session, ref, doc_dir)]


# --------------------------------------------------------------------------- references


def references_to_symbols(session: Session, source: str, symbols: list[Symbol]) -> list[tuple[str, Span]]:
    """Every (doc, span) that names one of these declarations of `source`, or points into its lines."""
    ws = session.ws
    names = {s.name for s in symbols} | {s.qualname for s in symbols}
    found: list[tuple[str, Span]] = []
    for doc in session.docs:
        scan = ws.doc_scan(ws.trees[0], doc)
        if scan is None:
            continue
        doc_dir = posixpath.dirname(doc)
        for ref in scan.symbols:
            if ref.name in names and any(p == source for p, _s in declarations(session, ref, doc_dir)):
                found.append((doc, ref.span))
        for path_ref in scan.paths:
            resolved = ws.indexed_path(ws.resolve(path_ref.path, doc_dir))
            if resolved != source:
                continue
            if path_ref.symbol in names or path_ref.lines and any(
                    path_ref.lines.start <= s.end_line and path_ref.lines.end >= s.line for s in symbols):
                found.append((doc, path_ref.span))
        for link in scan.links:
            lines = fragment_lines(link.fragment)
            if lines is None or not link.target or SCHEME.match(link.href):
                continue
            if ws.indexed_path(ws.resolve_link(unquote(link.target), doc_dir)) == source and any(
                    lines.start <= s.end_line and lines.end >= s.line for s in symbols):
                found.append((doc, link.span))
    return found


def links_to_anchor(session: Session, doc: str, slug: str) -> list[tuple[str, LinkRef]]:
    """Every (doc, link) whose fragment names this heading of `doc`."""
    ws = session.ws
    wanted = slug.lower()
    found: list[tuple[str, LinkRef]] = []
    for other in session.docs:
        scan = ws.doc_scan(ws.trees[0], other)
        if scan is None:
            continue
        for link in scan.links:
            if link.fragment is None or unquote(link.fragment).lower() != wanted or SCHEME.match(link.href):
                continue
            if not link.target:
                if other == doc:
                    found.append((other, link))
                continue
            resolved = ws.resolve_link(unquote(link.target), posixpath.dirname(other))
            if resolved.status == "found" and resolved.tree is ws.trees[0] and resolved.path == doc:
                found.append((other, link))
    return found


def symbols_at(session: Session, source: str, text: str, line: int, column: int) -> list[Symbol]:
    """The declarations in a source file named by the identifier under the cursor."""
    lines = text.splitlines()
    if not 1 <= line <= len(lines):
        return []
    word = None
    for match in _IDENT.finditer(lines[line - 1]):
        if match.start() < column <= match.end() + 1:
            word = match.group(0)
            break
    scan = session.ws.index.files.get(source)
    if word is None or scan is None:
        return []
    named = [s for s in scan.symbols if s.name == word]
    here = [s for s in named if s.line == line]
    return here or named


# --------------------------------------------------------------------------- hover


def hover(session: Session, doc: str, target: Under) -> str | None:
    """Markdown for the reference under the cursor."""
    ws = session.ws
    if target.kind == "symbol" or target.kind == "path" and target.ref.symbol:
        ref = target.ref if target.kind == "symbol" else \
            SymbolRef(target.ref.symbol or "", "qualified", target.span, target.ref.path)
        found = declarations(session, ref, posixpath.dirname(doc))[:3]
        return "\n\n---\n\n".join(_declaration(session, path, symbol) for path, symbol in found) or None
    if target.kind == "path" or target.kind == "link":
        places = definition(session, doc, target)
        lines = target.ref.lines if target.kind == "path" else fragment_lines(target.ref.fragment)
        if not places or lines is None or is_markdown(places[0].file.name):
            return None  # a file or an anchor: the place is the answer, there is nothing to show
        return _excerpt(places[0])
    if target.kind == "member":
        parts = []
        for member_set, member in _member_sets(session, target.ref):
            where = f", declared at `{member.declared[0]}:{member.declared[1]}`" if member.declared else ""
            names = ", ".join(f"`{m}`" for m in member_set.members)
            parts.append(f"`{member.name}` is a member of the {member_set.kind} **{member_set.name}**{where}.\n\n"
                         f"Members: {names}")
        return "\n\n".join(parts) or None
    if target.kind == "invariant":
        facts = ws.pack_facts
        titles: list[tuple[str, str, int]] = facts.invariants.get(target.ref, []) if facts else []
        return "\n\n".join(f"**{target.ref}**: {title} (`{path}:{line}`)" for title, path, line in titles) or None
    return None


def _declaration(session: Session, path: str, symbol: Symbol) -> str:
    """A declaration's signature line(s) and the doc comment above it."""
    text = session.ws.trees[-1].read_text(path) or ""
    lines = text.splitlines()
    signature: list[str] = []
    for line in lines[symbol.line - 1 : min(symbol.end_line, symbol.line + 7)]:
        signature.append(line)
        if line.rstrip().endswith(("{", ";", "=", ",")) or "=>" in line:
            break
    shown = "\n".join(signature).rstrip(" {")
    comment = _doc_comment(lines, symbol.line - 1)
    body = f"```ts\n{shown}\n```"
    if comment:
        body += f"\n\n{comment}"
    return body + f"\n\n`{path}:{symbol.line}`"


def _doc_comment(lines: list[str], index: int) -> str:
    """The `/** … */` block or `//` lines right above line `index` (0-based), as text."""
    above = index - 1
    while above >= 0 and lines[above].strip().startswith("@"):  # decorators
        above -= 1
    if above < 0:
        return ""
    if lines[above].strip().endswith("*/"):
        start = above
        while start > 0 and "/*" not in lines[start]:
            start -= 1
        block = [re.sub(r"^\s*(/\*\*?|\*/|\*)?\s?", "", line).removesuffix("*/").rstrip()
                 for line in lines[start : above + 1]]
        return "\n".join(line for line in block if line).strip()
    taken: list[str] = []
    while above >= 0 and lines[above].strip().startswith("//"):
        taken.insert(0, lines[above].strip()[2:].strip())
        above -= 1
    return "\n".join(taken)


def _excerpt(place: Place, limit: int = 30) -> str:
    try:
        text = place.file.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    lines = text.splitlines()
    end = min(place.end_line, place.line + limit - 1, len(lines))
    shown = "\n".join(lines[place.line - 1 : end])
    language = place.file.suffix.lstrip(".")
    more = "\n\n…" if place.end_line > end else ""
    return f"```{language}\n{shown}\n```{more}\n\n`{place.file.name}:{place.line}-{place.end_line}`"


# --------------------------------------------------------------------------- completion


def complete(session: Session, doc: str, text_before: str) -> tuple[list[tuple[str, str]], int]:
    """Candidates for the cursor after `text_before` (its line, up to the cursor): (label, kind)
    pairs, and how many characters before the cursor they replace. Inside a link target: paths
    from the doc's directory, then the linked doc's anchors after `#`. Inside backticks: paths,
    declared names, and a container's members after a dot."""
    ws = session.ws
    doc_dir = posixpath.dirname(doc)
    link = text_before.rfind("](")
    if link >= 0 and ")" not in text_before[link:]:
        written = text_before[link + 2 :]
        if "#" in written:
            target, partial = written.split("#", 1)
            return _anchors(session, doc, target, partial), len(partial)
        return _children(ws.trees[:1], doc_dir, written), len(written.rsplit("/", 1)[-1])
    if text_before.count("`") % 2 == 1:
        written = text_before[text_before.rfind("`") + 1 :]
        if "/" in written:
            return _children(ws.trees, "", written), len(written.rsplit("/", 1)[-1])
        head, dot, partial = written.rpartition(".")
        if dot and _IDENT.fullmatch(head.split(".")[-1] or "-"):
            members = ws.index.member_names(head) or set()
            return sorted((m, "member") for m in members if m.startswith(partial)), len(partial)
        if written and not _IDENT.fullmatch(written):
            return [], 0
        names = sorted(n for n in ws.index.by_qualname if "." not in n and n.startswith(written))[:200]
        return [(n, "symbol") for n in names], len(written)
    return [], 0


def _anchors(session: Session, doc: str, target: str, partial: str) -> list[tuple[str, str]]:
    ws = session.ws
    if target:
        resolved = ws.resolve_link(unquote(target), posixpath.dirname(doc))
        if resolved.status != "found" or resolved.tree is None or not resolved.tree.is_file(resolved.path or ""):
            return []
        scan = ws.doc_scan(resolved.tree, resolved.path or "")
    else:
        scan = ws.doc_scan(ws.trees[0], doc)
    if scan is None:
        return []
    return sorted((a, "anchor") for a in scan.anchors if a.startswith(partial.lower()))


def _children(trees: Sequence[Tree], base: str, written: str) -> list[tuple[str, str]]:
    folder = written.rsplit("/", 1)[0] if "/" in written else ""
    partial = written.rsplit("/", 1)[-1]
    joined = posixpath.normpath(posixpath.join(base, folder)) if base or folder else ""
    joined = "" if joined == "." else joined
    if joined.startswith(".."):
        return []
    prefix = f"{joined}/" if joined else ""
    found: dict[str, str] = {}
    for tree in trees:
        for kind, entries in (("folder", tree.dirs), ("file", tree.files)):
            for entry in entries:
                if entry.startswith(prefix) and entry != joined and "/" not in entry[len(prefix):]:
                    name = entry[len(prefix):]
                    if name.startswith(partial):
                        found[name + ("/" if kind == "folder" else "")] = kind
    return sorted(found.items())


# --------------------------------------------------------------------------- rename


def heading_text_span(line_text: str, line: int) -> Span:
    """Where an ATX heading's text is on its line (a setext heading: the whole line)."""
    match = _HEADING.match(line_text)
    if match is None:
        stripped = line_text.strip()
        start = line_text.find(stripped) if stripped else 0
        return Span(line, start + 1, line, start + len(stripped) + 1)
    return Span(line, match.start(2) + 1, line, match.end(2) + 1)


def new_slug(text: str, line: int, new_title: str, mdx: bool = False) -> tuple[str, Span] | None:
    """The slug a heading on `line` gets once retitled, and where its text is."""
    lines = text.split("\n")
    if not 1 <= line <= len(lines):
        return None
    span = heading_text_span(lines[line - 1], line)
    edited = lines[line - 1][: span.column - 1] + new_title + lines[line - 1][span.end_column - 1 :]
    rescanned = scan_markdown("\n".join([*lines[: line - 1], edited, *lines[line:]]), mdx=mdx)
    for heading_line, _text, slug in rescanned.headings:
        if heading_line == line:
            return slug, span
    return None


def fragment_span(line_text: str, span: Span) -> Span | None:
    """Where the fragment (after `#`) of a link destination written at `span` is."""
    if span.line != span.end_line:
        return None
    written = line_text[span.column - 1 : span.end_column - 1]
    at = written.find("#")
    return None if at < 0 else Span(span.line, span.column + at + 1, span.line, span.end_column)


def target_span(line_text: str, span: Span) -> Span | None:
    """Where the path part (before `#` or `?`) of a link destination written at `span` is."""
    if span.line != span.end_line:
        return None
    written = line_text[span.column - 1 : span.end_column - 1]
    cut = min((i for i in (written.find("#"), written.find("?")) if i >= 0), default=len(written))
    return Span(span.line, span.column, span.line, span.column + cut)


class Change(NamedTuple):
    doc: str  # root-relative
    span: Span
    replacement: str


def rename_heading(session: Session, doc: str, text: str, line: int, new_title: str,
                   lines_of: Callable[[str], list[str]]) -> list[Change]:
    """Retitle the heading on `line` and point every link to its anchor at the new one.
    `lines_of(doc)` gives a doc's current lines (the editor's text when it is open)."""
    scan = session.ws.doc_scan(session.ws.trees[0], doc)
    old = next((slug for at, _t, slug in scan.headings if at == line), None) if scan else None
    renamed = new_slug(text, line, new_title, is_mdx(doc))
    if old is None or renamed is None:
        return []
    slug, title_span = renamed
    changes = [Change(doc, title_span, new_title)]
    if slug == old:
        return changes
    for other, link in links_to_anchor(session, doc, old):
        lines = lines_of(other)
        if link.href_found and 1 <= link.span.line <= len(lines):
            where = fragment_span(lines[link.span.line - 1], link.span)
            if where is not None:
                changes.append(Change(other, where, slug))
    return changes


def renamed_files(session: Session, moves: dict[str, str], lines_of: Callable[[str], list[str]]) -> list[Change]:
    """Rewrite the doc paths and links that lead to moved files (or folders), and the relative
    links of a moved doc itself, so that every one leads where it led before."""
    ws = session.ws

    def moved(path: str | None) -> str | None:
        if path is None:
            return None
        for old, new in moves.items():
            if path == old:
                return new
            if path.startswith(old + "/"):
                return new + path[len(old):]
        return None

    changes: list[Change] = []
    for doc in session.docs:
        scan = ws.doc_scan(ws.trees[0], doc)
        if scan is None:
            continue
        doc_dir = posixpath.dirname(doc)
        new_dir = posixpath.dirname(moved(doc) or doc)
        lines = None
        for link in scan.links:
            if not link.target or not link.href_found or SCHEME.match(link.href) or link.href.startswith("//"):
                continue
            resolved = ws.resolve_link(unquote(link.target), doc_dir)
            if resolved.status != "found" or resolved.tree is not ws.trees[0] or resolved.path is None:
                continue
            destination = moved(resolved.path) or resolved.path
            if destination == resolved.path and new_dir == doc_dir or link.target.startswith("/"):
                continue
            lines = lines if lines is not None else lines_of(doc)
            where = target_span(lines[link.span.line - 1], link.span) if link.span.line <= len(lines) else None
            if where is not None:
                relative = posixpath.relpath(destination, new_dir or ".")
                changes.append(Change(doc, where, relative + ("/" if link.target.endswith("/") else "")))
        for ref in scan.paths:
            resolved = ws.resolve(ref.path, doc_dir)
            target = moved(resolved.path) if resolved.status == "found" and resolved.tree is ws.trees[0] else None
            if target is None:
                continue
            if ref.path.startswith(("./", "../")) or ref.path != resolved.path and posixpath.normpath(
                    posixpath.join(doc_dir, ref.path)) == resolved.path:
                written = posixpath.relpath(target, new_dir or ".")  # written from the doc's folder
                if ref.path.startswith("./") and not written.startswith("../"):
                    written = "./" + written
            else:
                written = target
            changes.append(Change(doc, ref.span, written + ("/" if ref.path.endswith("/") else "")))
    return changes
