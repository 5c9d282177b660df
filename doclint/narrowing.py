"""`doclint check PATH...`: which docs a run checks when it is given paths (the docs named,
and every doc that refers into a named source file)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from doclint.errors import DoclintError
from doclint.workspace import Workspace

if TYPE_CHECKING:
    from doclint.linter import Options


def check_path_arguments(paths: tuple[str, ...], ws: Workspace) -> None:
    """Each PATH must exist under the root or the source root: a typo or a path elsewhere
    would otherwise check nothing and pass. An existing file that is neither a selected doc
    nor an indexed source passes silently, as pre-commit hands over every staged Markdown file."""
    roots = (ws.root, ws.source_root)
    for given in paths:
        absolute = Path(given).resolve()
        if not any(absolute == root or root in absolute.parents for root in roots):
            where = ws.root if ws.source_root == ws.root else f"{ws.root} or {ws.source_root}"
            raise DoclintError(f"{given}: not under the root ({where})")
        if not absolute.exists():
            raise DoclintError(f"{given}: no such file or directory")


def narrow(ws: Workspace, options: Options, all_docs: list[str]) -> tuple[list[str], list[str]]:
    """Docs named on the command line, plus every doc that refers into a named source file."""
    wanted_docs: set[str] = set()
    wanted_sources: set[str] = set()
    for given in options.paths:
        absolute = Path(given).resolve()
        for tree_root, kind in ((ws.root, "doc"), (ws.source_root, "source")):
            try:
                rel = absolute.relative_to(tree_root).as_posix()
            except ValueError:
                continue
            rel = "" if rel == "." else rel
            if kind == "doc":
                wanted_docs.update(p for p in all_docs if p == rel or (not rel or p.startswith(rel + "/")))
            if rel in ws.index.files:
                wanted_sources.add(rel)
            elif absolute.is_dir():
                wanted_sources.update(p for p in ws.index.files if not rel or p.startswith(rel + "/"))
    if wanted_sources:
        for path in all_docs:
            if path not in wanted_docs and refers_to(ws, path, wanted_sources):
                wanted_docs.add(path)
    return sorted(wanted_docs), sorted(wanted_sources)


def refers_to(ws: Workspace, path: str, sources: set[str]) -> bool:
    scan = ws.doc_scan(ws.trees[0], path)
    if scan is None:
        return False
    doc_dir = path.rsplit("/", 1)[0] if "/" in path else ""
    for ref in scan.paths:
        resolved = ws.resolve(ref.path, doc_dir)
        if ws.indexed_path(resolved) in sources:
            return True
    for link in scan.links:
        if link.target and "://" not in link.href:
            if ws.indexed_path(ws.resolve_link(link.target, doc_dir)) in sources:
                return True
    for symbol in scan.symbols:
        head = symbol.name.split(".", 1)[0]
        if any(p in sources for p in ws.lookups.files_declaring(head)):
            return True
    return False
