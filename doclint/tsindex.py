"""The TypeScript index: what the sources declare, where, and which words they use.

`scan_typescript` is a pure function of one file's bytes (cacheable, parallelisable);
`SymbolIndex` merges the per-file results and answers lookups.
"""

from __future__ import annotations

import posixpath
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from collections.abc import Iterator
from typing import TYPE_CHECKING, Literal, NamedTuple, cast

if TYPE_CHECKING:  # tree-sitter is loaded when the first file is parsed, not by a cached run
    import tree_sitter

# One query per grammar; each capture names the kind of the declaration whose name it is.
DECLARATIONS_QUERY = """
(function_declaration name: (identifier) @function)
(generator_function_declaration name: (identifier) @function)
(function_signature name: (identifier) @function)
(class_declaration name: (type_identifier) @class)
(abstract_class_declaration name: (type_identifier) @class)
(interface_declaration name: (type_identifier) @interface)
(type_alias_declaration name: (type_identifier) @type)
(enum_declaration name: (identifier) @enum)
(internal_module name: (identifier) @namespace)
(namespace_export (identifier) @module)
(export_statement . "*" source: (string (string_fragment) @star_export))
(method_definition name: (_) @method)
(method_signature name: (_) @method)
(abstract_method_signature name: (_) @method)
(public_field_definition name: (_) @field)
(property_signature name: (_) @property)
(enum_body name: (property_identifier) @member)
(enum_assignment name: (property_identifier) @member)
(variable_declarator name: (identifier) @variable)
(required_parameter (accessibility_modifier) pattern: (identifier) @parameter_field)
(pair key: (_) @key)
(literal_type (string (string_fragment) @literal))
(comment) @comment
(string (string_fragment) @text)
"""

# What is indexed. JavaScript is read with the TSX grammar: on 2,504 JavaScript files of
# nine public repositories it found every declaration tree-sitter-javascript found, at the
# same lines, with fewer parse errors (6 files against 41); benchmarks/js_grammar.py.
SOURCE_EXTENSIONS = (".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs")
_TSX_GRAMMAR = (".tsx", ".js", ".jsx", ".mjs", ".cjs")  # JSX may appear; no `<T>x` casts to misread


# ECMAScript module specifiers name the emitted file (`./util.js`); the source is the TypeScript one.
ESM_TO_TS = {".js": (".ts", ".tsx", ".d.ts"), ".jsx": (".tsx",), ".mjs": (".mts", ".d.mts"),
             ".cjs": (".cts", ".d.cts")}


def uses_tsx(path: str) -> bool:
    return path.endswith(_TSX_GRAMMAR)


CONTAINER_KINDS = {"class", "interface", "enum", "namespace", "type", "variable", "module"}
_PROSE = re.compile(rb"[A-Za-z,.:;!?)] +[A-Za-z(]")  # words and spaces, as a sentence has
_WORD = re.compile(r"[A-Za-z_$][\w$]*", re.ASCII)  # over latin-1 text: byte for byte, ASCII names only
_QUOTES = "'\"`"


SymbolKind = Literal["function", "class", "interface", "type", "enum", "namespace", "method", "field", "property",
                     "member", "variable", "module"]


# The query's capture names: a declaration's kind, or a name that becomes one (a constructor's
# `private x` is a field; an object literal's key a property or a method).
Capture = SymbolKind | Literal["parameter_field", "key"]


class Symbol(NamedTuple):
    name: str
    kind: SymbolKind
    container: str | None  # qualified name of the enclosing declaration, if any
    line: int
    end_line: int
    heritage: tuple[str, ...] = ()  # extends/implements names (classes, interfaces); a module's specifier
    open: bool = False  # members may come from somewhere we cannot see
    literals: tuple[str, ...] = ()  # string literal types (a property's `kind: 'x'`, a union's members)
    union: tuple[str, ...] = ()  # for a union type alias: its member type names

    @property
    def qualname(self) -> str:
        return f"{self.container}.{self.name}" if self.container else self.name


@dataclass
class FileScan:
    symbols: list[Symbol] = field(default_factory=list)
    words: frozenset[str] = frozenset()
    comments: list[tuple[int, int, str]] = field(default_factory=list)  # line, column, text
    line_count: int = 0
    star_exports: tuple[str, ...] = ()  # specifiers of `export * from '...'`: names this file passes on unseen


@lru_cache(maxsize=2)
def _language(tsx: bool) -> tuple[tree_sitter.Parser, tree_sitter.Query]:
    import tree_sitter
    import tree_sitter_typescript

    lang = tree_sitter.Language(
        tree_sitter_typescript.language_tsx() if tsx else tree_sitter_typescript.language_typescript()
    )
    return tree_sitter.Parser(lang), tree_sitter.Query(lang, DECLARATIONS_QUERY)


def _text(node: tree_sitter.Node) -> str:
    return node.text.decode("utf-8", errors="replace") if node.text is not None else ""


def _name(node: tree_sitter.Node) -> str | None:
    text = _text(node)
    if node.type in ("string", "number", "computed_property_name"):
        text = text.strip(_QUOTES)
        if not re.fullmatch(r"[A-Za-z_$#][\w$]*", text):
            return None
    return text


def scan_typescript(source: bytes, tsx: bool = False) -> FileScan:
    """Index one TypeScript file. Syntax errors are indexed as far as tree-sitter recovers."""
    parser, query = _language(tsx)
    tree = parser.parse(source)
    import tree_sitter

    captures = tree_sitter.QueryCursor(query).captures(tree.root_node)
    comment_nodes = captures.get("comment", ())
    code = bytearray(source)
    # Names only in comments, or in a string that is prose (a message, a test's title), are not
    # declarations, nor uses.
    prose = (n for n in captures.get("text", ()) if _PROSE.search(source, n.start_byte, n.end_byte))
    for node in (*comment_nodes, *prose):
        code[node.start_byte : node.end_byte] = b" " * (node.end_byte - node.start_byte)
    scan = FileScan(
        words=frozenset(_WORD.findall(code.decode("latin-1"))),
        line_count=source.count(b"\n") + (0 if source.endswith(b"\n") or not source else 1),
    )
    containers: dict[int, str] = {}  # declaration node id -> qualified name
    pending: list[tuple[Capture, tree_sitter.Node]] = []
    kind: Capture
    for kind in ("namespace", "class", "interface", "type", "enum", "function", "variable"):
        for node in sorted(captures.get(kind, ()), key=lambda n: n.start_byte):
            pending.append((kind, node))
    for kind in ("method", "field", "property", "member", "parameter_field", "key"):
        for node in captures.get(kind, ()):
            pending.append((kind, node))
    for kind, name_node in pending:
        symbol = _symbol(kind, name_node, containers)
        if symbol is not None:
            scan.symbols.append(symbol)
    for node in captures.get("module", ()):  # `export * as util from './util.js'`: a namespace of a module's exports
        statement = node.parent.parent if node.parent is not None else None
        specifier = statement.child_by_field_name("source") if statement is not None else None
        if statement is not None and specifier is not None:
            line, end_line = statement.start_point[0] + 1, statement.end_point[0] + 1
            scan.symbols.append(Symbol(_text(node), "module", None, line, end_line, (_text(specifier).strip(_QUOTES),)))
    scan.star_exports = tuple(_text(node) for node in captures.get("star_export", ()))
    for node in comment_nodes:
        text = _text(node)
        if ".md" not in text and "doclint-" not in text:
            continue  # only comments that point at docs or silence doclint are kept
        scan.comments.append((node.start_point[0] + 1, node.start_point[1] + 1, text))
    scan.symbols.sort(key=lambda s: (s.line, s.name))
    return scan


def _symbol(kind: Capture, name_node: tree_sitter.Node, containers: dict[int, str]) -> Symbol | None:
    name = _name(name_node)
    decl = name_node.parent
    if not name or decl is None:
        return None
    span_node = decl.parent if decl.parent is not None and decl.parent.type == "export_statement" else decl
    line, end_line = span_node.start_point[0] + 1, span_node.end_point[0] + 1
    if kind in ("namespace", "class", "interface", "type", "enum", "function"):
        container = _enclosing_namespace(decl, containers)
        heritage: tuple[str, ...] = ()
        union: tuple[str, ...] = ()
        literals: tuple[str, ...] = ()
        is_open = False
        if kind in ("class", "interface"):
            heritage = _heritage(decl)
            is_open = bool(heritage)
        elif kind == "type":
            value = decl.child_by_field_name("value")
            is_open = value is None or value.type != "object_type"
            if value is not None and value.type == "union_type":
                union, literals = _union_members(value)
        # The `in` test above left only declaration kinds; mypy does not narrow on `in`.
        symbol = Symbol(name, cast(SymbolKind, kind), container, line, end_line, heritage, is_open, literals, union)
        if kind != "function":
            containers[decl.id] = symbol.qualname
        return symbol
    if kind == "variable":
        # Only module- and namespace-level variables are symbols; locals are just words.
        holder = decl.parent
        if holder is None or holder.type not in ("lexical_declaration", "variable_declaration"):
            return None
        scope = holder.parent
        if scope is not None and scope.type in ("export_statement", "ambient_declaration"):
            scope = scope.parent
        if scope is None or scope.type not in ("program", "statement_block"):
            return None
        if scope.type == "statement_block" and (
                scope.parent is None or scope.parent.type not in ("internal_module", "module", "ambient_declaration")):
            return None  # a local; but `namespace N { }`, `declare module 'm' { }`, `declare global { }` declare
        container = _enclosing_namespace(decl, containers)
        symbol = Symbol(name, "variable", container, line, end_line)
        value = decl.child_by_field_name("value")
        if value is not None and value.type == "object":
            containers[value.id] = symbol.qualname
        return symbol
    # Members: find the declaration that owns them.
    if kind == "parameter_field":
        owner = _ancestor(decl, ("class_body",), limit=6)
        kind = "field"
    elif kind in ("member",):
        owner = decl if decl.type == "enum_body" else decl.parent
        span_node = name_node if decl.type == "enum_body" else decl
        line, end_line = span_node.start_point[0] + 1, span_node.end_point[0] + 1
    else:
        owner = decl.parent
    if owner is None:
        return None
    if owner.type in ("class_body", "interface_body", "enum_body"):
        owner = owner.parent
    elif owner.type == "object_type":
        owner = owner.parent if owner.parent is not None and owner.parent.type == "type_alias_declaration" else None
    elif owner.type == "object":
        if kind == "key" or kind == "method":
            kind = "property" if kind == "key" else "method"
        else:
            return None
    else:
        return None
    if owner is None or owner.id not in containers:
        return None
    if kind == "key":
        return None  # not reached: an object's key became a property or method above; for the type checker
    literals = _literal_values(decl) if kind == "property" else ()
    return Symbol(name, kind, containers[owner.id], line, end_line, literals=literals)


def _ancestor(node: tree_sitter.Node, types: tuple[str, ...], limit: int) -> tree_sitter.Node | None:
    current = node.parent
    while current is not None and limit > 0:
        if current.type in types:
            return current
        current, limit = current.parent, limit - 1
    return None


def _enclosing_namespace(decl: tree_sitter.Node, containers: dict[int, str]) -> str | None:
    current = decl.parent
    while current is not None:
        if current.type == "internal_module" and current.id in containers:
            return containers[current.id]
        if current.type in ("function_declaration", "method_definition", "arrow_function", "class_body"):
            return None
        current = current.parent
    return None


def _heritage(decl: tree_sitter.Node) -> tuple[str, ...]:
    names: list[str] = []
    for child in decl.children:
        if child.type in ("class_heritage", "extends_type_clause"):
            for ident in _descendants(child, ("type_identifier", "identifier")):
                names.append(_text(ident))
    return tuple(names)


def _descendants(node: tree_sitter.Node, types: tuple[str, ...]) -> Iterator[tree_sitter.Node]:
    stack = [node]
    while stack:
        current = stack.pop()
        if current.type in types:
            yield current
        stack.extend(reversed(current.children))


def _union_members(union: tree_sitter.Node) -> tuple[tuple[str, ...], tuple[str, ...]]:
    types: list[str] = []
    literals: list[str] = []
    stack = [union]
    while stack:
        node = stack.pop()
        if node.type in ("union_type", "parenthesized_type"):
            stack.extend(reversed(node.named_children))
        elif node.type == "type_identifier":
            types.append(_text(node))
        elif node.type == "literal_type":
            for string in _descendants(node, ("string_fragment",)):
                literals.append(_text(string))
    return tuple(types), tuple(literals)


def _literal_values(decl: tree_sitter.Node) -> tuple[str, ...]:
    annotation = decl.child_by_field_name("type")
    if annotation is None:
        return ()
    values: list[str] = []
    for node in _descendants(annotation, ("literal_type",)):
        for string in _descendants(node, ("string_fragment",)):
            values.append(_text(string))
    return tuple(values)


class SymbolIndex:
    """All scanned files merged: look up names, members and per-file declarations."""

    def __init__(self, scans: dict[str, FileScan]):
        self.files = scans
        self.by_name: dict[str, list[tuple[str, Symbol]]] = defaultdict(list)
        self.by_qualname: dict[str, list[tuple[str, Symbol]]] = defaultdict(list)
        self.members: dict[str, dict[str, list[tuple[str, Symbol]]]] = defaultdict(lambda: defaultdict(list))
        self.words: set[str] = set()
        self.literals: set[str] = set()
        by_name, by_qualname, members, literals = self.by_name, self.by_qualname, self.members, self.literals
        for path in sorted(scans):
            scan = scans[path]
            self.words |= scan.words
            for symbol in scan.symbols:
                entry = (path, symbol)
                name, container = symbol.name, symbol.container
                by_name[name].append(entry)
                if container:
                    by_qualname[f"{container}.{name}"].append(entry)
                    members[container][name].append(entry)
                else:
                    by_qualname[name].append(entry)
                if symbol.literals:
                    literals.update(symbol.literals)

    def declared(self, name: str) -> bool:
        return name in self.by_name or name in self.words

    def is_literal(self, name: str) -> bool:
        return name in self.literals

    def file_uses(self, path: str, word: str) -> bool:
        scan = self.files.get(path)
        return scan is not None and word in scan.words

    def declared_elsewhere(self, qualname: str) -> list[str]:
        return sorted({p for p, _s in self.by_qualname.get(qualname, ())})

    def names_in_file(self, path: str) -> set[str]:
        scan = self.files.get(path)
        return {s.name for s in scan.symbols} if scan is not None else set()

    def containers(self, name: str) -> list[tuple[str, Symbol]]:
        return [(p, s) for p, s in self.by_qualname.get(name, ()) if s.kind in CONTAINER_KINDS]

    def member_names(self, container: str, _seen: frozenset[str] = frozenset()) -> set[str] | None:
        """Every member name of `container` and its ancestors, or None if some are out of sight."""
        declarations = self.containers(container)
        if not declarations or container in _seen:
            return None
        names = set(self.members.get(container, {}))
        seen = _seen | {container}
        for path, symbol in declarations:
            if symbol.kind == "variable":
                continue  # members of a top-level object literal, if it is one
            if symbol.kind == "module":
                exported = self.module_names(path, symbol.heritage[0])
                if exported is None:
                    return None
                names |= exported
                continue
            if symbol.kind in ("type",) and symbol.open:
                return None
            for parent in symbol.heritage:
                inherited = self.member_names(parent, seen)
                if inherited is None:
                    return None
                names |= inherited
        if not names and all(s.kind == "variable" for _p, s in declarations):
            return None  # a variable that is not an object literal: its members are unknown
        return names

    def module_names(self, importer: str, specifier: str) -> set[str] | None:
        """What the module `specifier`, imported by `importer`, can export: every name its file
        uses (declared, imported or re-exported), or None when that file is not indexed or passes
        on another module's names with `export * from`."""
        if not specifier.startswith("."):
            return None  # a package: not resolved
        base = posixpath.normpath(posixpath.join(posixpath.dirname(importer), specifier))
        stem, extension = posixpath.splitext(base)
        tried = [base + e for e in ("", ".ts", ".tsx", ".d.ts", "/index.ts", "/index.tsx", "/index.js")]
        tried += [stem + e for e in ESM_TO_TS.get(extension, ())]
        scan = next((self.files[p] for p in tried if p in self.files), None)
        if scan is None or scan.star_exports:
            return None
        return set(scan.words)

    def in_file(self, path: str, name: str) -> list[Symbol]:
        scan = self.files.get(path)
        if scan is None:
            return []
        return [s for s in scan.symbols if s.name == name or s.qualname == name]
