"""Code the index leaves out: the repository's TypeScript and JavaScript files that `sources`
does not select or `exclude` skips (tests and their helpers, build scripts, examples).

A doc may well name a test helper the config does not index; that name is this repository's,
not "declared nowhere". Such code is read only when a name is about to be reported, once per
run, for the names it declares. A doc
whose findings depended on it is cached against a digest of those files (`digest`).
"""

from __future__ import annotations

import hashlib
import os
import posixpath
import re
from collections.abc import Collection

from doclint.cache import Cache
from doclint.scanning import hash_files
from doclint.tree import FileTree, Tree
from doclint.tsindex import SOURCE_EXTENSIONS

# What declares a name, as a line of code reads (no parse: this code may be large, and is read
# only for the names about to be reported): a declaration, a method or an object key at the start
# of a line (`export function f`, `const f =`, `f(x) {`, `f: async () =>`). Words in comments and
# strings (`// the old RenderContext`) and expressions (`x: function Local() {}`) declare nothing.
_DECLARED = re.compile(
    r"^[ \t]*(?:export\s+(?:default\s+)?)?(?:declare\s+)?(?:async\s+)?(?:abstract\s+)?"
    r"(?:(?:function\*?|class|interface|type|enum|namespace|const|let|var)\s+([A-Za-z_$][\w$]*)"
    r"|(?:static\s+)?(?:get\s+|set\s+)?([A-Za-z_$][\w$]*)\s*(?:<[^>\n]*>)?\s*(?:\(|\??:))",
    re.MULTILINE)
# What a doc's cache entry names for "the code outside the index" (no file has this name).
MARKER = "<code outside the sources>"
# ... and for "what all of the repository's code takes from other packages".
FOREIGN_MARKER = "<other packages' names in the code>"
# Names code takes from another package: an import from a bare specifier, or a method it calls
# on a value (`queryClient.refetchQueries(`). `import viteReact from '@vitejs/plugin-react'`.
_IMPORT_FROM = re.compile(
    r"\bimport\s+(?:type\s+)?([A-Za-z_$][\w$]*)?\s*,?\s*(?:\{([^}]*)\}|\*\s+as\s+([A-Za-z_$][\w$]*))?\s*"
    r"from\s*['\"]([^'\"./~#][^'\"]*)['\"]")
_METHOD_CALL = re.compile(r"[\w$)\]]\??\.([A-Za-z_$][\w$]*)\s*\(")


class OutsideCode:
    def __init__(self, tree: Tree, indexed: Collection[str], max_size: int):
        """`tree` is the source tree; a locked one (the sources absent) has no code to read."""
        self._tree: FileTree | None = None
        self._paths: list[str] = []
        if isinstance(tree, FileTree):
            self._tree = tree.without_exclude() if tree.exclude else tree
            self._paths = _same_projects(self._tree, indexed)
        self._max_size = max_size
        self._declared: dict[str, str] | None = None
        self._digest: str | None = None
        self._foreign: dict[str, str] | None = None
        self._foreign_digest: str | None = None
        self._every: list[str] | None = None

    def where(self, name: str) -> str | None:
        """A file outside the index that declares `name`, or None."""
        if self._declared is None:
            self._declared = {}
            tree = self._tree
            for path in self._paths:  # none without a tree
                assert tree is not None
                text = tree.read_text(path) if _size(tree, path) <= self._max_size else None
                for match in _DECLARED.finditer(text or ""):
                    self._declared.setdefault(match.group(1) or match.group(2), path)
        return self._declared.get(name)

    def foreign(self, name: str, ours: frozenset[str]) -> str | None:
        """A file of the repository (any project in it, examples included) that takes `name` from
        another package, or None: imported from a package the repository does not hold, or
        called as a method of some value. `ours`: the repository's own package names."""
        if self._foreign is None:
            self._foreign = {}
            tree = self._tree
            for path in self._all_paths():
                text = tree.read_text(path) if tree is not None and _size(tree, path) <= self._max_size else None
                if not text:
                    continue
                for match in _IMPORT_FROM.finditer(text):
                    parts = match.group(4).split("/")
                    if ("/".join(parts[:2]) if parts[0].startswith("@") else parts[0]) in ours:
                        continue  # the repository's own package: its names are ours
                    names = [match.group(1), match.group(3)] + [
                        n.strip().removeprefix("type ").split(" as ")[0].strip() for n in (match.group(2) or "").split(",")]
                    for imported in names:
                        if imported:
                            self._foreign.setdefault(imported, path)
                for match in _METHOD_CALL.finditer(text):
                    self._foreign.setdefault(match.group(1), path)
        return self._foreign.get(name)

    def foreign_digest(self, cache: Cache) -> str:
        """What `foreign` answers from: every code file the tree holds."""
        if self._foreign_digest is None:
            self._foreign_digest = self._digest_of(self._all_paths(), cache)
        return self._foreign_digest

    def _all_paths(self) -> list[str]:
        if self._every is None:
            self._every = [] if self._tree is None else sorted(
                p for p in self._tree.files if p.endswith(SOURCE_EXTENSIONS))
        return self._every

    def _digest_of(self, paths: list[str], cache: Cache) -> str:
        tree = self._tree
        hashed = hash_files(str(tree.root), paths, cache, self._max_size, [], tree) if tree is not None else {}
        listing = "\n".join(f"{p} {h.sha}" for p, h in sorted(hashed.items()))
        return hashlib.sha256(listing.encode()).hexdigest()

    def digest(self, cache: Cache) -> str:
        """What `where` answers from: the files and their contents (hashes the cache keeps), once a run."""
        if self._digest is None:
            self._digest = self._digest_of(self._paths, cache)
        return self._digest


def _size(tree: FileTree, path: str) -> int:
    try:
        return os.stat(os.path.join(tree.root, path)).st_size
    except OSError:
        return 0  # gone since the walk: read_text says so


def _same_projects(tree: FileTree, indexed: Collection[str]) -> list[str]:
    """The code files outside the index that belong to the repository's own projects: the root's,
    or a package (the nearest `package.json`) some indexed source is part of. An example app or a
    fixture site with a `package.json` of its own is another project, whose names are not ours."""
    packages = {posixpath.dirname(p) for p in tree.files if posixpath.basename(p) == "package.json"}

    def project(path: str) -> str:
        folder = posixpath.dirname(path)
        while folder and folder not in packages:
            folder = posixpath.dirname(folder)
        return folder

    ours = {""} | {project(p) for p in indexed}
    return sorted(p for p in tree.files if p.endswith(SOURCE_EXTENSIONS) and p not in indexed and project(p) in ours)
