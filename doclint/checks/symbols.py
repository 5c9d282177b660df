"""DL004 unknown-symbol, and DL003 for a range that no longer covers the symbol named with it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from doclint.checks import Doc
from doclint.checks.paths import rewrite_range
from doclint.findings import Edit, Fix, Problem, Severity, Span
from doclint.jsglobals import BUILTIN_MEMBERS, JS_GLOBALS, PROSE_NAMES
from doclint.mdrefs import SCHEME, LineRange, SymbolRef
from doclint.tsindex import Symbol
from doclint.urls import local_link
from doclint.workspace import Resolved, did_you_mean

if TYPE_CHECKING:
    from doclint.context import Context

_SNAKE = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+")
_CAMEL = re.compile(r"[a-z][a-z0-9]*[A-Z][A-Za-z0-9]*")
_PASCAL = re.compile(r"[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]*)+")


def looks_like_code(name: str) -> bool:
    """Only names no one writes in prose are checked bare: camelCase, PascalCase, snake_case."""
    if name in PROSE_NAMES:
        return False
    return bool(_SNAKE.fullmatch(name) or _CAMEL.fullmatch(name) or _PASCAL.fullmatch(name))


# A module a code block imports: `from 'x'`, `import 'x'`, `import('x')`, `require('x')`.
_IMPORT = re.compile(r"""(?:\bfrom|\bimport\s*\(?|\brequire\s*\()\s*['"]([^'"\s]+)['"]""")
_NODE_BUILTINS = frozenset("assert buffer child_process crypto dns events fs http https module net os path "
                           "perf_hooks process readline stream timers tls url util vm worker_threads zlib".split())
# Another language's binding or SDK, named as a word (`-csharp`, "Python", ".NET"; not JavaScript).
_OTHER_LANGUAGE = re.compile(r"(?<![A-Za-z0-9])(?:c#|csharp|\.net|dotnet|java|python|kotlin|swift|ruby|php)(?![A-Za-z0-9])",
                             re.IGNORECASE)
# The first word of a name that stands for "some name" (`SomeRoute.useLoaderData`, `MyWidget()`).
_PLACEHOLDER_HEAD = re.compile(r"(?:Some|My|Your|Foo|Bar|Baz|Example|Sample|Dummy)(?=[A-Z])")
# How close a name must be to a declared one to be a typo rather than another package's API.
_TYPO = 0.9


def foreign_packages(doc: Doc, ws: Context) -> list[str]:
    """The packages the doc's code blocks import that this repository does not hold: a doc that
    shows `import { createTool } from 'their-sdk'` describes that package's API too."""
    found = []
    for _line, content in doc.scan.code_blocks:
        for specifier in _IMPORT.findall(content):
            if specifier.startswith((".", "/", "#", "~", "node:", "bun:")) or specifier.split("/")[0] in _NODE_BUILTINS:
                continue  # a relative module, an alias, or the runtime's own
            parts = specifier.removeprefix("npm:").split("/")
            package = "/".join(parts[:2]) if parts[0].startswith("@") else parts[0]
            if package and package not in found:
                found.append(package)
    if not found:
        return found
    ours = ws.package_names
    return [p for p in found if p not in ours]


def check(doc: Doc, ws: Context) -> Iterator[Problem]:
    known_here = doc.scan.code_words
    for path_ref in doc.scan.paths:
        if path_ref.symbol:
            yield from _tied(SymbolRef(path_ref.symbol, "qualified" if "." in path_ref.symbol else "bare", path_ref.span,
                                       path_ref.path), doc, ws, ws.resolve(path_ref.path, doc.dir), path_ref.path)
    for ref in doc.scan.symbols:
        if ref.file is not None:
            if ref.file.startswith("link:"):
                target = ref.file[5:]
                if SCHEME.match(target):
                    local = local_link(ws, target)
                    if local is None:
                        continue  # another repository's URL, or a permalink: not checked against the tree
                    resolved, target = ws.resolve_link(local, doc.dir), local[1:]
                else:
                    resolved = ws.resolve_link(target, doc.dir)
            else:
                target = ref.file
                resolved = ws.resolve(target, doc.dir)
            yield from _tied(ref, doc, ws, resolved, target)
            continue
        if not ref.hypothetical and not _about_another_language(doc, ref.span.line):
            yield from _free(ref, doc, ws, known_here)


def _about_another_language(doc: Doc, line: int) -> bool:
    """A doc, or the section of one, for another language's binding (`test-runners-csharp.md`,
    "## Python API"): its names are that binding's, not this code's."""
    if _OTHER_LANGUAGE.search(doc.path.rsplit("/", 1)[-1]):
        return True
    above = [text for at, text, _slug in doc.scan.headings if at <= line]
    return bool(above) and bool(_OTHER_LANGUAGE.search(above[-1]))


def _known(name: str, ws: Context, known_here: set[str]) -> bool:
    return (
        name in JS_GLOBALS
        or name in known_here
        or ws.index.declared(name)
        or ws.index.is_literal(name)
    )


def _free(ref: SymbolRef, doc: Doc, ws: Context, known_here: set[str]) -> Iterator[Problem]:
    parts = ref.name.split(".")
    head = parts[0]
    if len(parts) > 1 and (all(p.isupper() for p in parts) or any(t.by_basename.get(ref.name) for t in ws.trees)):
        return  # a format (`MAJOR.MINOR.PATCH`), or a file's name (`DEPS.list`): no declared name meant
    if len(parts) > 1:
        declarations = ws.index.containers(head)
        if declarations and all(s.kind in ("variable", "module") for _p, s in declarations):
            return  # a value's members: the doc may mean any object of that name (a parameter, an import)
        if declarations:
            members = ws.index.member_names(head)
            member = parts[1]
            if members is None or member in members or member in BUILTIN_MEMBERS:
                return
            if f"{head}.{member}" in known_here:
                return
            guess = did_you_mean(member, members, cutoff=0.7)
            message = f"`{head}` has no member `{member}`"
            yield Problem("DL004", ref.span, message + (f"; did you mean `{head}.{guess}`?" if guess else ""),
                          target=ref.name, suggestion=guess and f"{head}.{guess}")
            return
        if _known(head, ws, known_here) or not head[0].isupper():
            return  # an expression on a value (`state.values`), or a name from a package
        if not _elsewhere(head, doc, ws):
            yield _unknown(ref, head, ws, "error")
        return
    if _known(head, ws, known_here):
        return
    if ref.form == "call":
        if not _elsewhere(head, doc, ws):
            yield _unknown(ref, head, ws, "error")
    elif looks_like_code(head) and not ref.in_expression and len(head) >= 6 and not head.isupper():
        # Short names and CONSTANTS near a declared one are as often labels of their own
        # (`tickA`, `OUT_DIR`) as typos.
        # A bare name could belong to any library; only a near miss of ours is worth a word.
        problem = _unknown(ref, head, ws, "warning", cutoff=0.88)
        if problem.suggestion and not ws.used_outside(head):
            yield problem


def _elsewhere(name: str, doc: Doc, ws: Context) -> bool:
    """A name the sources do not declare that is still no error: a placeholder (`SomeRoute`), one
    declared in this repository's code outside the sources (a test helper, a build script), or, in a doc that imports another
    package, that package's API, unless it is a typo of one of ours (`createTRPCCLient`)."""
    if _PLACEHOLDER_HEAD.match(name) or ws.used_outside(name):
        return True
    if ws.index.closest_name(name, _TYPO) is None and ws.foreign_name(name):
        return True  # `viteReact()`: imported from another package, or a method some code calls
    return bool(foreign_packages(doc, ws)) and ws.index.closest_name(name, _TYPO) is None


def _unknown(ref: SymbolRef, name: str, ws: Context, severity: Severity, cutoff: float = 0.8) -> Problem:
    guess = ws.index.closest_name(name, cutoff)
    shown = ref.name + ("()" if ref.form == "call" else "")
    message = f"`{shown}` is not declared anywhere in the sources"
    if guess:
        message += f"; did you mean `{guess}`?"
    return Problem("DL004", ref.span, message, target=ref.name, suggestion=guess, severity=severity)


def _tied(ref: SymbolRef, doc: Doc, ws: Context, resolved: Resolved, written: str) -> Iterator[Problem]:
    """A name said to live in a file: it must be declared there, inside the range given with it."""
    path = ws.indexed_path(resolved) if resolved.unique_file else None
    if path is None:
        return  # the path itself is checked elsewhere; a file we did not index says nothing
    name = ref.name
    last = name.rsplit(".", 1)[-1]
    declared = ws.index.in_file(path, name)
    if not declared:
        if ws.index.file_uses(path, last):
            return  # used there, declared locally or imported: not something to argue about
        elsewhere = ws.index.declared_elsewhere(name)
        if elsewhere and "." in name and ws.index.file_uses(path, name.split(".", 1)[0]):
            return  # the file re-exports or imports the owner (`export { Controller } from ...`)
        if elsewhere:
            message = f"`{name}` is not declared in `{written}`; it is declared in `{elsewhere[0]}`"
            yield Problem("DL004", ref.span, message, target=name, suggestion=elsewhere[0])
        else:
            guess = did_you_mean(last, ws.index.names_in_file(path), cutoff=0.75)
            message = f"`{name}` is not declared in `{written}`" + (f"; did you mean `{guess}`?" if guess else "")
            yield Problem("DL004", ref.span, message, target=name, suggestion=guess)
        return
    if ref.lines is not None:
        yield from _covers(ref.lines, ref, declared, written)


def _covers(lines: LineRange, ref: SymbolRef, declared: list[Symbol], written: str) -> Iterator[Problem]:
    if any(lines.start <= s.end_line and lines.end >= s.line for s in declared):
        return
    spans = sorted({(s.line, s.end_line) for s in declared})
    if len(spans) != 1:
        return  # several declarations and none overlaps: too unsure to say which one was meant
    start, end = spans[0]
    single = lines.start == lines.end
    new_start, new_end = (start, start) if single else (start, end)
    shown_new = str(new_start) if single else f"{new_start}-{new_end}"
    shown_old = str(lines.start) if single else f"{lines.start}-{lines.end}"
    where: Span = lines.span or ref.span
    fix = None
    if lines.span is not None and lines.text:
        fix = Fix((Edit(lines.span, rewrite_range(lines.text, new_start, new_end)),))
    noun = "line" if single else "lines"
    message = (
        f"{noun} {shown_old} of `{written}` no longer cover `{ref.name}`, "
        f"which is declared at {'line ' + str(start) if start == end else f'lines {start}-{end}'}"
    )
    yield Problem("DL003", where, message, target=written, suggestion=shown_new, fix=fix)
