"""Code the index leaves out: the repository's TypeScript and JavaScript files that `sources`
does not select or `exclude` skips (tests and their helpers, build scripts, examples).

A doc may well name a test helper the config does not index; that name is this repository's,
not "declared nowhere". Such code is read only when a name is about to be reported, once per
run, for the names it declares, and what each file holds is kept in the cache by its hash. A doc
whose findings depended on it is cached against a digest of those files (`digest`).
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

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
# Each is matched only where its first word or dot is (`_imports`, `_methods`): a pattern that
# starts with `\b` or a character class is tried at every position of the text, five to ten
# times slower on a large repository's code, for the same matches.
_IMPORT_FROM = re.compile(
    r"import\s+(?:type\s+)?([A-Za-z_$][\w$]*)?\s*,?\s*(?:\{([^}]*)\}|\*\s+as\s+([A-Za-z_$][\w$]*))?\s*"
    r"from\s*['\"]([^'\"./~#][^'\"]*)['\"]")  # after no word character
_METHOD_CALL = re.compile(r"\.([A-Za-z_$][\w$]*)\s*\(")  # after `x`, `$`, `)` or `]`, and maybe `?`


# What is read of a code file: what it declares, or what it takes from other packages.
Part = Literal["declared", "foreign"]


class OutsideCode:
    def __init__(self, tree: Tree, indexed: Collection[str], max_size: int, cache: Cache | None = None):
        """`tree` is the source tree; a locked one (the sources absent) has no code to read.
        What each file declares and takes from other packages is kept in `cache` by the file's
        hash, so a run after one file changed reads that file alone."""
        self._tree: FileTree | None = None
        self._paths: list[str] = []
        if isinstance(tree, FileTree):
            self._tree = tree.without_exclude() if tree.exclude else tree
            self._paths = _same_projects(self._tree, indexed)
        self._max_size = max_size
        self._cache = cache or Cache(Path("."), enabled=False)
        self._hashes: dict[str, str] | None = None
        self._facts: dict[Part, dict[str, FileFacts]] = {}
        self._declared: dict[str, str] | None = None
        self._digest: str | None = None
        self._foreign: dict[str, str] | None = None
        self._foreign_digest: str | None = None
        self._every: list[str] | None = None

    def where(self, name: str) -> str | None:
        """A file outside the index that declares `name`, or None."""
        if self._declared is None:
            self._declared = self._remembered("declared", self.digest(), self._declared_map)
        return self._declared.get(name)

    def foreign(self, name: str, ours: frozenset[str]) -> str | None:
        """A file of the repository (any project in it, examples included) that takes `name` from
        another package, or None: imported from a package the repository does not hold, or
        called as a method of some value. `ours`: the repository's own package names."""
        if self._foreign is None:
            self._foreign = self._remembered("foreign", Cache.key(self.foreign_digest(), *sorted(ours)),
                                             lambda: self._foreign_map(ours))
        return self._foreign.get(name)

    def _remembered(self, kind: str, digest: str, build: Callable[[], dict[str, str]]) -> dict[str, str]:
        """A whole map of names to files, from the cache while the code it was read from is the
        same (one entry to decode rather than one per file), else built from each file's facts."""
        key = Cache.key("outside-map", kind, digest)
        stored = self._cache.get("outside-map", key)
        if isinstance(stored, dict) and all(isinstance(v, str) for v in stored.values()):
            return stored
        built = build()
        self._cache.put("outside-map", key, built)
        return built

    def _declared_map(self) -> dict[str, str]:
        declared: dict[str, str] = {}
        facts = self._facts_of(self._paths, "declared")
        for path in self._paths:  # none without a tree
            for name in facts[path].declared if path in facts else ():
                declared.setdefault(name, path)
        return declared

    def _foreign_map(self, ours: frozenset[str]) -> dict[str, str]:
        foreign: dict[str, str] = {}
        paths = self._all_paths()
        facts = self._facts_of(paths, "foreign")
        for path in paths:
            found = facts.get(path)
            if found is None:
                continue
            for package, names in found.imports:
                if package in ours:
                    continue  # the repository's own package: its names are ours
                for imported in names:
                    foreign.setdefault(imported, path)
            for method in found.methods:
                foreign.setdefault(method, path)
        return foreign

    def foreign_digest(self) -> str:
        """What `foreign` answers from: every code file the tree holds."""
        if self._foreign_digest is None:
            self._foreign_digest = self._digest_of(self._all_paths())
        return self._foreign_digest

    def digest(self) -> str:
        """What `where` answers from: the files and their contents (hashes the cache keeps), once a run."""
        if self._digest is None:
            self._digest = self._digest_of(self._paths)
        return self._digest

    def _all_paths(self) -> list[str]:
        if self._every is None:
            self._every = [] if self._tree is None else sorted(
                p for p in self._tree.files if p.endswith(SOURCE_EXTENSIONS))
        return self._every

    def _hashed(self) -> dict[str, str]:
        """The hash of every code file the tree holds that can be read, once a run (a stat each
        while the cache remembers it)."""
        if self._hashes is None:
            tree = self._tree
            hashed = hash_files(str(tree.root), self._all_paths(), self._cache, self._max_size, [], tree) \
                if tree is not None else {}
            self._hashes = {path: found.sha for path, found in hashed.items()}
        return self._hashes

    def _digest_of(self, paths: list[str]) -> str:
        hashes = self._hashed()
        listing = "\n".join(f"{p} {hashes[p]}" for p in sorted(paths) if p in hashes)
        return hashlib.sha256(listing.encode()).hexdigest()

    def _facts_of(self, paths: list[str], part: Part) -> dict[str, FileFacts]:
        """Each readable file's facts of one part (what it declares, read only for the code
        outside the index; what it takes from other packages, for all of it): from the cache
        by the file's hash, else read (and remembered)."""
        hashes = self._hashed()
        memo = self._facts.setdefault(part, {})
        wanted = [p for p in paths if p in hashes and p not in memo]
        kind = f"outside-{part}"
        keys = {p: Cache.key(kind, hashes[p]) for p in wanted}
        stored = self._cache.get_many(kind, sorted(set(keys.values())))
        tree = self._tree
        for path in wanted:
            facts = FileFacts.decode(stored.get(keys[path]))
            if facts is None:
                text = tree.read_text(path) if tree is not None else None
                facts = FileFacts.read(text or "", part)
                self._cache.put(kind, keys[path], facts.encode())
            memo[path] = facts
        return {p: memo[p] for p in paths if p in memo}


@dataclass(frozen=True, slots=True)
class FileFacts:
    """What one code file declares and takes from other packages, as its lines read."""

    declared: tuple[str, ...]  # in the order written: the first file to declare a name is the answer
    imports: tuple[tuple[str, tuple[str, ...]], ...]  # (package, names imported from it)
    methods: tuple[str, ...]  # names called as a method of some value

    @staticmethod
    def read(text: str, part: Part | None = None) -> FileFacts:
        """The file's facts, or one part of them (the other left empty)."""
        declared = () if part == "foreign" else \
            tuple(match.group(1) or match.group(2) for match in _DECLARED.finditer(text))
        if part == "declared":
            return FileFacts(declared, (), ())
        imports = []
        for match in _imports(text):
            parts = match.group(4).split("/")
            package = "/".join(parts[:2]) if parts[0].startswith("@") else parts[0]
            names = [match.group(1), match.group(3)] + [
                n.strip().removeprefix("type ").split(" as ")[0].strip() for n in (match.group(2) or "").split(",")]
            imports.append((package, tuple(n for n in names if n)))
        return FileFacts(declared, tuple(imports), tuple(_methods(text)))

    def encode(self) -> list[object]:
        return [list(self.declared), [[package, list(names)] for package, names in self.imports], list(self.methods)]

    @staticmethod
    def decode(value: object) -> FileFacts | None:
        """The facts a cache entry holds; None for anything not shaped as `encode` writes."""
        if not (isinstance(value, list) and len(value) == 3 and all(isinstance(part, list) for part in value)):
            return None
        declared, imports, methods = value
        if not all(isinstance(n, str) for n in (*declared, *methods)):
            return None
        pairs = []
        for pair in imports:
            if not (isinstance(pair, list) and len(pair) == 2 and isinstance(pair[0], str) and isinstance(pair[1], list)
                    and all(isinstance(n, str) for n in pair[1])):
                return None
            pairs.append((pair[0], tuple(pair[1])))
        return FileFacts(tuple(declared), tuple(pairs), tuple(methods))


def _imports(text: str) -> Iterator[re.Match[str]]:
    """`_IMPORT_FROM`'s matches where no word character comes before (`\\bimport`), in order and
    not overlapping, as `finditer` would find them."""
    at = text.find("import")
    while at >= 0:
        match = None if at and (text[at - 1].isalnum() or text[at - 1] == "_") else _IMPORT_FROM.match(text, at)
        if match is None:
            at = text.find("import", at + 1)
        else:
            yield match
            at = text.find("import", match.end())


def _methods(text: str) -> Iterator[str]:
    """The names `_METHOD_CALL` finds after a word character, `$`, `)` or `]`, maybe then `?`:
    what is called as a method of some value (`a.b(`, `f().c (`, `x?.d(`)."""
    for match in _METHOD_CALL.finditer(text):
        at = match.start()
        before = text[at - 1] if at else ""
        if before == "?" and at > 1:
            before = text[at - 2]
        if before and (before.isalnum() or before in "_$)]"):
            yield match.group(1)


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
