"""DL010 comment-link: doc paths and anchors written in TypeScript comments."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator

from doclint import claims
from doclint.checks.links import anchor
from doclint.findings import Problem, Span
from doclint.tree import Tree
from doclint.tsindex import FileScan
from doclint.workspace import Workspace

# A Markdown path in a comment, with an optional anchor; URLs are skipped by the lookbehind.
_DOC_PATH = re.compile(r"(?<![\w/.:@-])((?:\.{1,2}/)*[\w@.\-]+(?:/[\w@.\-]+)*\.md)(?:#([\w\-]+))?(?![\w/])")
SUPPRESSION = re.compile(r"doclint-disable-next-line\b([^\n*]*)")


def check(source_path: str, ws: Workspace, scan: FileScan | None = None) -> Iterator[Problem]:
    """`scan`: the file's scan when it is not the indexed one (an editor's unsaved text)."""
    scan = scan or ws.index.files.get(source_path)
    if scan is None:
        return
    source_dir = posixpath.dirname(source_path)
    for line, column, text in scan.comments:
        for match in _DOC_PATH.finditer(text):
            written, fragment = match.group(1), match.group(2)
            if "..." in written:
                continue  # an elided path: a hint, not a reference
            before = text[: match.start()]
            if not claims.comment_path_is_claim(written, fragment, before):
                continue
            start_line = line + before.count("\n")
            start_column = (len(before) - before.rfind("\n")) if "\n" in before else column + len(before)
            span = Span(start_line, start_column, start_line, start_column + len(match.group(0)))
            resolved = _locate(ws, written, source_dir)
            if resolved is None:
                continue
            if isinstance(resolved, str):
                message = f"comment refers to `{written}`, which does not exist"
                moved = resolved or None
                yield Problem("DL010", span, message + (f"; it may have moved to `{moved}`" if moved else ""),
                              target=written, suggestion=moved)
                continue
            tree, path = resolved
            if fragment and tree.is_file(path):
                doc = ws.doc_scan(tree, path)
                if doc is not None:
                    for problem in anchor(doc.anchors, fragment, span, path, same_file=False):
                        yield Problem("DL010", span, "comment link: " + problem.message, problem.target, problem.suggestion)


def _locate(ws: Workspace, written: str, source_dir: str) -> tuple[Tree, str] | str | None:
    """(tree, path) of the doc a comment names; a string (maybe empty: where it went) when it is
    missing; None when unsure."""
    resolved = ws.resolve(written, source_dir)
    if resolved.status == "found" and resolved.tree is not None and resolved.path is not None:
        return resolved.tree, resolved.path
    if resolved.status == "missing":
        return resolved.moved_to or ""
    return None
