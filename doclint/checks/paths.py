"""DL001 missing-file, DL002 renamed-file, DL003 stale-line for paths written in inline code."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from doclint.checks import Doc
from doclint.findings import Edit, Fix, Problem, Span
from doclint.mdrefs import LineRange, PathRef
from doclint.tree import Tree, text_lines
from doclint.tsindex import SOURCE_EXTENSIONS
from doclint.workspace import Resolved

if TYPE_CHECKING:
    from doclint.context import Context


def check(doc: Doc, ws: Context) -> Iterator[Problem]:
    lines: list[str] | None = None  # the doc's lines, read when a relative path misses
    agent = ws.is_agent_file(doc.path)
    for ref in doc.scan.paths:
        if ref.hypothetical:
            yield from _parent_directory(ref, doc, ws, agent)
            continue
        resolved = ws.resolve(ref.path, doc.dir, agent)
        if resolved.status == "missing" and _module_specifier(ref.path):
            # `./internal`, `../transform/babelBundle`: relative to some importing file, not to the
            # doc; to the folder the line leading its list names (`**client/** imports:` over `- ../utils`)
            if lines is None:
                lines = text_lines(ws.doc_text(doc.path) or "")
            label, folders = _named_folders(ref, lines, ws, lead_only=True)
            if folders and not any(_module_in(tree, posixpath.normpath(posixpath.join(folder, ref.path)))
                                   for tree, folder in folders):
                yield Problem("DL001", ref.span, f"`{ref.path}` is no module of `{label}/`, the folder the text "
                                                 "names for it", target=ref.path)
            continue
        if resolved.status == "missing" and ref.path.startswith(("./", "../")):
            if lines is None:
                lines = text_lines(ws.doc_text(doc.path) or "")
            if _under_named_directory(ref, lines, ws):
                continue  # "**server/** imports `./har/`": relative to the folder the text names
        if resolved.status == "found" and doc.dir and ref.path.startswith("./") \
                and resolved.path == posixpath.normpath(ref.path.rstrip("/")):
            if lines is None:
                lines = text_lines(ws.doc_text(doc.path) or "")
            label, folders = _named_folders(ref, lines, ws)
            line = lines[ref.span.line - 1] if ref.span.line <= len(lines) else ""
            if folders and not _FROM_ROOT.search(line) and not _under_named_directory(ref, lines, ws):
                # found only from the root, as a command would be; the text says from `label/`
                yield Problem("DL001", ref.span, f"`{ref.path}` is not in `{label}/`, the folder the text names for it",
                              target=ref.path)
                continue
        if "/" not in ref.path and resolved.status in ("found", "ambiguous", "missing"):
            if lines is None:
                lines = text_lines(ws.doc_text(doc.path) or "")
            placed = _in_named_folder(ref, lines, ws, doc.dir, resolved)
            if isinstance(placed, Problem):
                yield placed
                continue
            resolved = placed
        if resolved.status == "missing":
            replacement = _in_package_frame(resolved.moved_to, resolved.package, doc, ws, agent)
            problem = missing(ref.path, ref.span, resolved.moved_to, code_rule="DL001", replacement=replacement,
                              package=resolved.package)
            if problem.code == "DL001" and _bare_name(ref.path):
                # A bare file name found nowhere (`cache.json`, `./Component.jsx`) is as often the
                # reader's file, an output or an example as a stale reference: worth a word, not a
                # failed commit.
                problem = problem._replace(severity="warning")
            yield problem
        elif resolved.unique_file and ref.lines is not None and resolved.tree is not None and resolved.path is not None:
            count = ws.line_count(resolved.tree, resolved.path)
            if count is not None:
                yield from line_bounds(ref.path, ref.lines, ref.span, count)


def _in_package_frame(moved_to: str | None, package: str | None, doc: Doc, ws: Context, agent: bool) -> str | None:
    """A path written from a package's root (`src/x.ts` for `apps/web/src/x.ts`) is rewritten in
    that frame, while the shorter form still leads to the one file."""
    if moved_to is None or not package or not moved_to.startswith(package + "/"):
        return None
    short = moved_to[len(package) + 1 :]
    return short if ws.resolve(short, doc.dir, agent).path == moved_to else None


def _module_in(tree: Tree, path: str) -> bool:
    """Does an import specifier resolve to this path: a folder, or a source file by extension or index?"""
    if path.startswith("../") or path == "..":
        return True  # leaves the root: not ours to judge
    return tree.exists(path) or any(tree.is_file(path + ext) or tree.is_file(f"{path}/index{ext}")
                                    for ext in (*SOURCE_EXTENSIONS, ".d.ts"))


def _bare_name(written: str) -> bool:
    """`report.md`, `./Component.jsx`, `build/`: no folder a reader could check. `./codegen/`
    names a folder beside the doc, a definite claim."""
    if written.endswith("/"):
        return "/" not in written.rstrip("/")
    return "/" not in written.removeprefix("./")


def _module_specifier(written: str) -> bool:
    """A relative path to a file with no extension, in inline code, reads as an import specifier
    or an export subpath: it is relative to a source file the doc does not name. A folder
    (`./codegen/`) is still a path."""
    last = written.rsplit("/", 1)[-1]
    return written.startswith(("./", "../")) and bool(last) and "." not in last  # `./dir/` is a folder


# A folder the text names as a label: `**server/**`, `` `src/server/` ``, or as the place of the
# files a pattern stands for: `` `docs/<page>.md` ``, `` `docs/*.md` ``.
_FOLDER_LABEL = re.compile(r"(?:\*\*|__|`)(?P<folder>[\w@-][\w.@-]*(?:/[\w.@-]+)*)/"
                           r"(?:\*\*|__|`|[^`/\s]*[<*{][^`/\s]*`)")
# "Run `./x.sh` from the repository root": a command, whatever folder the line names.
_FROM_ROOT = re.compile(r"\b(?:repository|repo|project|workspace|monorepo)\s+root\b|\bfrom\s+the\s+root\b", re.IGNORECASE)
# ... as a whole code span or bold text (not `src/**`, a glob), for a bare file name's folder.
_WHOLE_FOLDER_LABEL = re.compile(r"\*\*(?P<b>[\w@-][\w.@-]*(?:/[\w.@-]+)*)/\*\*|`(?P<c>[\w@-][\w.@-]*(?:/[\w.@-]+)*)/`")
_LIST_ITEM = re.compile(r"^(?P<indent>\s*)(?:[-*+]|\d+[.)])\s")
_NAMED_FOLDERS = 3  # a label more folders than this answer to names no folder in particular
_LOOK_BACK = 40  # lines above a list item searched for the line that leads its list


def _named_folders(ref: PathRef, lines: list[str], ws: Context, doc_dir: str | None = None,
                   lead_only: bool = False) -> tuple[str, list[tuple[Tree, str]]]:
    """The folder the text names for a path (`**server/** can import:` over `- ./har/`), as
    written, and the folders of each tree that answer to it; none when more than a few do, as
    `server/` in a tree of many servers. With `doc_dir` (for a bare file name, whose folder must
    be named for certain), the label is a whole code span or bold text in the path's sentence or
    on the line that leads its list, and names a folder from the root or the doc's folder, or
    the one folder whose path ends with it when it has two parts or more. `lead_only`: only a
    label on the line that leads the path's list counts."""
    label = _folder_label(ref, lines, strict=doc_dir is not None, lead_only=lead_only)
    if label is None:
        return "", []
    found: list[tuple[Tree, str]] = []
    for tree in dict.fromkeys(ws.trees):
        if doc_dir is not None:
            folders = [f for f in dict.fromkeys((label, posixpath.join(doc_dir, label))) if tree.is_dir(f)][:1]
            if not folders and "/" in label:  # `compiler/passes-v2/` for the one `src/compiler/passes-v2/`
                folders = tree.dir_suffix_matches(label)[:2]
                folders = folders if len(folders) == 1 else []
        else:
            folders = [label] if tree.is_dir(label) else tree.dir_suffix_matches(label)
        if 0 < len(folders) <= _NAMED_FOLDERS:
            found.extend((tree, folder) for folder in folders)
    return label, found


def _folder_label(ref: PathRef, lines: list[str], strict: bool, lead_only: bool = False) -> str | None:
    """The last folder label before the path on its line (`strict`: in its sentence; `lead_only`:
    not there), or on the line that leads its list."""
    labels = _folder_labels(ref, lines, strict, lead_only)
    return labels[-1] if labels else None


def _folder_labels(ref: PathRef, lines: list[str], strict: bool, lead_only: bool = False) -> list[str]:
    """Every folder label before the path on its line, or on the line that leads its list."""
    pattern = _WHOLE_FOLDER_LABEL if strict else _FOLDER_LABEL
    line = lines[ref.span.line - 1] if ref.span.line <= len(lines) else ""
    before = line[: ref.span.column - 1]
    if strict:
        before = before[max(before.rfind(". "), before.rfind("! "), before.rfind("? ")) + 1 :]
    labels = [] if lead_only else _labels(pattern, before)
    item = _LIST_ITEM.match(line)
    indent = len(item["indent"]) if item is not None else -1
    for number in range(ref.span.line - 1, max(ref.span.line - _LOOK_BACK, 0), -1):
        if labels or indent < 0:
            break
        above = lines[number - 1]
        outer = _LIST_ITEM.match(above)
        if not above.strip() or outer is not None and len(outer["indent"]) >= indent:
            continue  # an item of the same list, or of a list inside it
        if above.lstrip().startswith("#"):
            break
        labels = _labels(pattern, above)
        indent = len(outer["indent"]) if outer is not None else -1  # an item holding the list: look above it too
    return labels


def _labels(pattern: re.Pattern[str], text: str) -> list[str]:
    return [next(g for g in m.groups() if g is not None) for m in pattern.finditer(text)]


def _under_named_directory(ref: PathRef, lines: list[str], ws: Context) -> bool:
    """Does `./x` or `../x` exist from the folder the text names for it? The nearest label first:
    a table row may name a few (`docs/<page>.md` then `examples/<name>.ts`)."""
    for label in reversed(_folder_labels(ref, lines, strict=False)[-_NAMED_FOLDERS:]):
        for tree in dict.fromkeys(ws.trees):
            folders = [label] if tree.is_dir(label) else tree.dir_suffix_matches(label)
            if 0 < len(folders) <= _NAMED_FOLDERS and any(
                    tree.exists(posixpath.normpath(posixpath.join(folder, ref.path))) for folder in folders):
                return True
    return False


def _in_named_folder(ref: PathRef, lines: list[str], ws: Context, doc_dir: str,
                     resolved: Resolved) -> Resolved | Problem:
    """A bare file name the text places in a folder ("the spec lives in `docs/spec/`" over
    "- `00-vision.md`") is that folder's file, not any file of that name: found there, or a
    problem, whatever the basename finds elsewhere."""
    label, folders = _named_folders(ref, lines, ws, doc_dir)
    if not folders:
        return resolved
    present = [(tree, posixpath.join(folder, ref.path)) for tree, folder in folders
               if tree.is_file(posixpath.join(folder, ref.path))]
    if len(present) == 1:
        return Resolved("found", present[0][0], present[0][1])
    if present:
        return Resolved("ambiguous")
    where = f"`{ref.path}` is not in `{label}/`, the folder the text names for it"
    if resolved.status == "found" and resolved.path is not None and resolved.unique_file:
        return Problem("DL002", ref.span, f"{where}; the only file of that name is `{resolved.path}`",
                       target=ref.path, suggestion=resolved.path,
                       fix=Fix((Edit(ref.span, resolved.path),), safe=False))  # a guess by name
    return Problem("DL001", ref.span, where, target=ref.path)


def _parent_directory(ref: PathRef, doc: Doc, ws: Context, agent: bool) -> Iterator[Problem]:
    """A file the doc says to create may not exist yet, but the directory it goes in must."""
    parent = ref.path.rstrip("/").rsplit("/", 1)[0] if "/" in ref.path.rstrip("/") else ""
    if not parent or ws.resolve(ref.path, doc.dir, agent).status in ("found", "ambiguous"):
        return
    resolved = ws.resolve(parent + "/", doc.dir, agent)
    if resolved.status == "missing":
        span = Span(ref.span.line, ref.span.column, ref.span.line, ref.span.column + len(parent))
        yield Problem("DL001", span, f"directory `{parent}/` (for `{ref.path}`) does not exist", target=parent + "/")


def missing(written: str, span: Span, moved_to: str | None, code_rule: str, replacement: str | None = None,
            package: str | None = None) -> Problem:
    """`package`: the workspace package a path written from a package's root was read in."""
    where = f" in package `{package}/`" if package else ""
    if moved_to is not None:
        new = replacement or moved_to
        return Problem(
            "DL002", span,
            f"`{written}` does not exist{where}; the only file matching it is `{moved_to}`",
            target=written, suggestion=new, fix=Fix((Edit(span, new),), safe=False),  # a guess by name
        )
    noun = "link target" if code_rule == "DL006" else "path"
    return Problem(code_rule, span, f"{noun} `{written}` does not exist{where}", target=written)


def line_bounds(written: str, lines: LineRange, span: Span, count: int) -> Iterator[Problem]:
    where = lines.span or span
    shown = f"{lines.start}-{lines.end}" if lines.end != lines.start else str(lines.start)
    if lines.start < 1 or lines.end < lines.start:
        yield Problem("DL003", where, f"line range {shown} of `{written}` is not a valid range", target=written)
    elif lines.end > count:
        noun = "lines" if lines.end != lines.start else "line"
        yield Problem(
            "DL003", where,
            f"{noun} {shown} of `{written}` past the end of the file ({count} lines)",
            target=written,
        )


def rewrite_range(original: str, start: int, end: int) -> str:
    """Put new numbers into a range as written (`120-140`, `120-L140`, `120`), keeping its style."""
    numbers = iter((start, end))
    count = len(re.findall(r"\d+", original))
    if count == 1:
        return re.sub(r"\d+", str(start), original, count=1) if start == end else f"{start}-{end}"
    return re.sub(r"\d+", lambda _m: str(next(numbers)), original, count=2)
