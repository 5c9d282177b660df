"""The members of a TypeScript union, read with tree-sitter for a rule pack's `[[union]]`.

Each alternative of `type Step = A | B | ...` names its members with its discriminant
property (`kind: 'read'`): an interface (or one it extends), an object type written inline,
a type alias of either, a nested union (`type All = Step | Other`), an intersection with an
object that has the discriminant, or any of these imported from a relative module. A string
literal alternative (`type Mode = 'fast' | 'exact'`) is a member itself. An alternative that
cannot be read is reported, never skipped: a union read in part would pass coverage with
members missing.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field, replace
from collections.abc import Iterator
from typing import TYPE_CHECKING, Protocol

from doclint.tsindex import SOURCE_EXTENSIONS, _language, uses_tsx

if TYPE_CHECKING:
    import tree_sitter

_NAMED = ("type_identifier", "generic_type")
Seen = frozenset[tuple[str, str]]  # (file, type name) pairs already followed: a cycle stops there
_NO_MEMBER = frozenset({"null", "undefined", "never", "void"})
_DECLARATIONS = ("interface_declaration", "type_alias_declaration")
# How an import's module may be written for a TypeScript file: `./steps`, `./steps.js` (ESM), `./steps/`.
_MODULE_SUFFIXES = ("", ".ts", ".tsx", ".d.ts", ".mts", ".cts", "/index.ts", "/index.tsx")
_JS_TO_TS = {".js": (".ts", ".tsx", ".d.ts"), ".jsx": (".tsx",), ".mjs": (".mts",), ".cjs": (".cts",)}


class SourceFiles(Protocol):
    """What reading a union needs of a tree: a FileTree, or a view of one that notes what is read."""

    def is_file(self, path: str) -> bool: ...

    def read_text(self, path: str) -> str | None: ...


@dataclass(frozen=True)
class Found:
    literal: str
    path: str
    line: int
    alias: str | None = None  # the name of the type that declares this member alone: a mention of it counts


@dataclass
class UnionRead:
    members: list[Found]
    unreadable: list[str]  # one phrase per alternative that names no member we can read


def parse(tree: SourceFiles, path: str) -> tree_sitter.Tree | None:
    """The tree-sitter tree of one source file, or None when it cannot be read."""
    text = tree.read_text(path)
    if text is None:
        return None
    parser, _declarations = _language(uses_tsx(path))
    return parser.parse(text.encode("utf-8"))


def node_text(node: tree_sitter.Node | None) -> str:
    return node.text.decode("utf-8", "replace") if node is not None and node.text is not None else ""


def walk(node: tree_sitter.Node | None, types: tuple[str, ...], stop: tuple[str, ...] = ()) -> Iterator[tree_sitter.Node]:
    """The nodes of these types under `node`, in source order; not below a `stop` node."""
    if node is None:
        return
    stack = [node]
    while stack:
        current = stack.pop()
        if current.type in types:
            yield current
        if current.type in stop and current is not node:
            continue
        stack.extend(reversed(current.named_children))


def read_union(tree: SourceFiles, path: str, type_name: str, discriminant: str) -> UnionRead | None:
    """The members of `type_name` declared in `path`; None when the file declares no such type."""
    reader = _Reader(tree, discriminant)
    scope = reader.scope(path)
    declaration = scope.declarations.get(type_name) if scope is not None else None
    if declaration is None:
        return None
    found = reader.declared(declaration, path, type_name, frozenset({(path, type_name)}), top=True)
    return UnionRead(found, reader.unreadable)


@dataclass
class _Scope:
    """What one file declares and where the names it imports come from."""

    declarations: dict[str, tree_sitter.Node] = field(default_factory=dict)
    imports: dict[str, tuple[str, str]] = field(default_factory=dict)  # local name -> (module, exported name)
    star_exports: list[str] = field(default_factory=list)  # modules of `export * from '...'`


class _Reader:
    def __init__(self, tree: SourceFiles, discriminant: str):
        self.tree, self.discriminant = tree, discriminant
        self.scopes: dict[str, _Scope | None] = {}
        self.unreadable: list[str] = []

    def scope(self, path: str) -> _Scope | None:
        if path not in self.scopes:
            parsed = parse(self.tree, path)
            self.scopes[path] = None if parsed is None else _scope_of(parsed.root_node)
        return self.scopes[path]

    def lookup(self, path: str, name: str, seen: Seen = frozenset()) -> tuple[tree_sitter.Node, str] | None:
        """(declaration, its file) for a type name used in `path`, following relative imports."""
        scope = self.scope(path)
        if scope is None or (path, name) in seen:
            return None
        if name in scope.declarations:
            return scope.declarations[name], path
        seen = seen | {(path, name)}
        modules = [scope.imports[name]] if name in scope.imports else [(m, name) for m in scope.star_exports]
        for module, exported in modules:
            target = self.module_path(path, module)
            found = self.lookup(target, exported, seen) if target is not None else None
            if found is not None:
                return found
        return None

    def module_path(self, importer: str, module: str) -> str | None:
        if not module.startswith("."):
            return None  # a package: not this repository's code
        base = posixpath.normpath(posixpath.join(posixpath.dirname(importer), module))
        stem, extension = posixpath.splitext(base)
        candidates = [stem + ts for ts in _JS_TO_TS.get(extension, ())] + [base + s for s in _MODULE_SUFFIXES]
        return next((c for c in candidates if c.endswith(SOURCE_EXTENSIONS) and self.tree.is_file(c)), None)

    def alternatives(self, node: tree_sitter.Node, path: str, seen: Seen) -> list[Found]:
        """The members one alternative of a union names (all of them, for a nested union)."""
        line = node.start_point[0] + 1
        if node.type in ("union_type", "parenthesized_type"):
            return [found for child in _parts(node) for found in self.alternatives(child, path, seen)]
        if node.type in _NAMED:
            return self.named(node, path, seen)
        if node_text(node) in _NO_MEMBER:
            return []  # `Step | undefined`: an absent value, not a member
        if node.type == "literal_type":
            literals = _string_literals(node)
        else:
            literals = self.discriminants(node, path, seen)
        if literals:
            return [Found(literal, path, line) for literal in literals]
        self._unreadable(node, path, f"has no `{self.discriminant}` property typed with string literals"
                         if node.type in ("object_type", "intersection_type") else
                         "is not an interface, a type alias, an object type or a string literal")
        return []

    def named(self, node: tree_sitter.Node, path: str, seen: Seen) -> list[Found]:
        name = node_text(node.child_by_field_name("name") if node.type == "generic_type" else node)
        found = self.lookup(path, name)
        if found is None:
            computed = " (doclint does not compute generic types)" if node.type == "generic_type" else ""
            self._unreadable(node, path, "is declared neither in that file nor in a module it imports by a "
                                         f"relative path{computed}")
            return []
        declaration, where = found
        if (where, name) in seen:
            self._unreadable(node, path, "refers back to a union that contains it")
            return []
        return self.declared(declaration, where, name, seen | {(where, name)})

    def declared(self, declaration: tree_sitter.Node, path: str, name: str, seen: Seen, top: bool = False) -> list[Found]:
        """The members a declared interface or type alias names; the name is an alias of its only member."""
        if declaration.type == "interface_declaration":
            literals = self.discriminants(declaration, path, seen)
            if not literals:
                self._unreadable(declaration, path, f"has no `{self.discriminant}` property typed with string literals",
                                 shown=f"interface {name}")
                return []
            found = [Found(literal, path, declaration.start_point[0] + 1) for literal in literals]
        else:
            value = declaration.child_by_field_name("value")
            found = self.alternatives(value, path, seen) if value is not None else []
        if len(found) == 1 and found[0].alias is None and not top:
            return [replace(found[0], alias=name)]
        return found

    def discriminants(self, node: tree_sitter.Node, path: str, seen: Seen) -> list[str] | None:
        """The discriminant's string literals in an object-like type, or None if it has none."""
        if node.type == "object_type":
            return _property_literals(node, self.discriminant)
        if node.type == "interface_declaration":
            own = _property_literals(node.child_by_field_name("body"), self.discriminant)
            if own is not None:
                return own
            parents = [t for clause in walk(node, ("extends_type_clause",), stop=("interface_body",))
                       for t in clause.named_children]
            return next((found for t in parents if (found := self.discriminants(t, path, seen))), None)
        if node.type == "intersection_type":
            return next((found for part in node.named_children if (found := self.discriminants(part, path, seen))),
                        None)
        if node.type in _NAMED:
            name = node_text(node.child_by_field_name("name") if node.type == "generic_type" else node)
            declared_at = self.lookup(path, name)
            if declared_at is None or (declared_at[1], name) in seen:
                return None
            declaration, where = declared_at
            inner = declaration if declaration.type == "interface_declaration" else \
                declaration.child_by_field_name("value")
            return self.discriminants(inner, where, seen | {(where, name)}) if inner is not None else None
        return None

    def _unreadable(self, node: tree_sitter.Node, path: str, why: str, shown: str | None = None) -> None:
        text = shown or " ".join(node_text(node).split())
        text = text if len(text) <= 40 else text[:37] + "..."
        self.unreadable.append(f"`{text}` ({path}:{node.start_point[0] + 1}) {why}")


def _scope_of(root: tree_sitter.Node) -> _Scope:
    scope = _Scope()
    for node in walk(root, _DECLARATIONS):
        name = node_text(node.child_by_field_name("name"))
        scope.declarations.setdefault(name, node)
    for statement in root.named_children:
        source = statement.child_by_field_name("source")
        if statement.type not in ("import_statement", "export_statement") or source is None:
            continue
        module = node_text(source).strip("'\"")
        specifiers = list(walk(statement, ("import_specifier", "export_specifier")))
        if statement.type == "export_statement" and not specifiers:
            scope.star_exports.append(module)
        for specifier in specifiers:
            exported = node_text(specifier.child_by_field_name("name"))
            local = node_text(specifier.child_by_field_name("alias")) or exported
            scope.imports.setdefault(local, (module, exported))
    return scope


def _property_literals(body: tree_sitter.Node | None, discriminant: str) -> list[str] | None:
    if body is None:
        return None
    for prop in body.named_children:
        name = prop.child_by_field_name("name")
        if prop.type == "property_signature" and name is not None and \
                node_text(name).strip("'\"") == discriminant:
            annotation = prop.child_by_field_name("type")
            types = list(_parts(annotation)) if annotation is not None else []
            return _string_literals(types[0]) if types else None
    return None


def _string_literals(node: tree_sitter.Node) -> list[str] | None:
    """`'a'` or `'a' | 'b'`: the strings; anything else (`string`, an enum member): None."""
    if node.type in ("union_type", "parenthesized_type"):
        strings: list[str] = []
        for child in _parts(node):
            part = _string_literals(child)
            if part is None:
                return None
            strings.extend(part)
        return strings
    if node.type == "literal_type":
        strings = [node_text(f) for f in walk(node, ("string_fragment",))]
        return strings if len(strings) == 1 else None
    return None


def _parts(node: tree_sitter.Node) -> Iterator[tree_sitter.Node]:
    """The named children of a type node, without the comments written between them."""
    return (child for child in node.named_children if child.type != "comment")
