"""Rule packs: TOML files that teach doclint what a codebase's docs must keep true.

A pack declares discriminated unions (`[[union]]`), string domains found with a
tree-sitter query (`[[domain]]`) and where the spec defines its IDs (`[invariants]`).
`load_packs` validates them; `evaluate` reads their members out of the sources, once
per run, into `PackFacts`, which the lock can also record and replay.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from typing import TYPE_CHECKING

from doclint.confine import inside_root
from doclint.errors import ConfigError
from doclint.globs import GlobError, GlobSet
from doclint.shapes import is_relative_path
from doclint.mdrefs import scan_markdown
from doclint.patterns import PatternError, id_patterns
from doclint.tree import FileTree
from doclint.tsindex import SOURCE_EXTENSIONS, _language, uses_tsx

if TYPE_CHECKING:
    import tree_sitter

PACK_KEYS = {"pack", "union", "domain", "invariants"}
META_KEYS = {"name", "description"}
UNION_KEYS = {"name", "file", "type", "discriminant", "docs", "handler", "emitters"}
DOMAIN_KEYS = {"name", "files", "query", "docs"}
INVARIANT_KEYS = {"files", "id"}

_EMITTER_QUERY = "(pair key: [(property_identifier) (string)] @key value: (string (string_fragment) @value)) @pair"
_CASE_QUERY = "(switch_case value: (string (string_fragment) @case))"


@dataclass(frozen=True)
class UnionSpec:
    name: str
    file: str
    type: str
    discriminant: str
    docs: tuple[str, ...]
    handler_file: str | None
    handler_function: str | None
    emitters: tuple[str, ...]


@dataclass(frozen=True)
class DomainSpec:
    name: str
    files: tuple[str, ...]
    query: str
    docs: tuple[str, ...]


@dataclass(frozen=True)
class InvariantSpec:
    files: tuple[str, ...]
    id_pattern: str


@dataclass
class Pack:
    name: str
    description: str
    path: str
    unions: list[UnionSpec] = field(default_factory=list)
    domains: list[DomainSpec] = field(default_factory=list)
    invariants: InvariantSpec | None = None


# --------------------------------------------------------------------------- loading


def bundled_pack_names() -> list[str]:
    from importlib import resources

    return sorted(p.name[:-5] for p in resources.files("doclint.rules").iterdir() if p.name.endswith(".toml"))


def pack_path(entry: str, root: Path, config_where: str) -> Path | None:
    """The file a `rules` entry names, inside the root (or the run stops); None for a bundled pack's name."""
    if entry.endswith(".toml") or "/" in entry:
        return inside_root(root, entry, config_where, "rules")
    return None


def load_packs(entries: tuple[str, ...], root: Path, config_where: str) -> list[Pack]:
    packs = []
    for entry in entries:
        path = pack_path(entry, root, config_where)
        if path is not None:
            if not path.is_file():
                raise ConfigError(f"key 'rules': rule pack file not found: {entry}", config_where)
            packs.append(_parse_pack(path.read_bytes(), entry))
        else:
            from importlib import resources

            resource = resources.files("doclint.rules") / f"{entry}.toml"
            if not resource.is_file():
                known = ", ".join(bundled_pack_names()) or "none"
                raise ConfigError(f"key 'rules': no bundled rule pack '{entry}' (bundled: {known})", config_where)
            packs.append(_parse_pack(resource.read_bytes(), f"rules/{entry}.toml"))
    return packs


def _parse_pack(data: bytes, where: str) -> Pack:
    try:
        text = data.decode("utf-8")
        table = tomllib.loads(text)
    except UnicodeDecodeError:
        raise ConfigError("rule pack is not valid UTF-8", where) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"rule pack is not valid TOML: {exc}", where) from None
    except RecursionError:
        raise ConfigError("rule pack is not valid TOML: arrays or tables nested too deeply", where) from None
    _known(table, PACK_KEYS, "", where)
    meta = table.get("pack", {})
    if not isinstance(meta, dict):
        raise ConfigError("key 'pack' must be a table", where)
    _known(meta, META_KEYS, "pack.", where)
    description = meta.get("description", "")
    if not isinstance(description, str):
        raise ConfigError("key 'pack.description' must be a string", where)
    pack = Pack(_string(meta, "name", "pack", where), description, where)
    for i, entry in enumerate(_tables(table, "union", where)):
        key = f"union[{i}]"
        _known(entry, UNION_KEYS, key + ".", where)
        handler = entry.get("handler")
        if handler is not None and (not isinstance(handler, dict) or set(handler) != {"file", "function"}
                                    or not all(isinstance(v, str) and v for v in handler.values())
                                    or not is_relative_path(handler["file"])):
            raise ConfigError(f"key '{key}.handler' must be {{ file = \"<path relative to the root>\", "
                              "function = \"...\" }", where)
        file = _string(entry, "file", key, where)
        if not is_relative_path(file):
            raise ConfigError(f"key '{key}.file' must be a path relative to the root, without `..`", where)
        pack.unions.append(UnionSpec(
            _string(entry, "name", key, where), file, _string(entry, "type", key, where),
            _string(entry, "discriminant", key, where, default="kind"), _globs(entry, "docs", key, where),
            handler["file"] if handler else None, handler["function"] if handler else None,
            _globs(entry, "emitters", key, where),
        ))
    for i, entry in enumerate(_tables(table, "domain", where)):
        key = f"domain[{i}]"
        _known(entry, DOMAIN_KEYS, key + ".", where)
        query = _string(entry, "query", key, where)
        _compile_query(query, text, key, where)
        pack.domains.append(DomainSpec(_string(entry, "name", key, where), _globs(entry, "files", key, where, True),
                                       query, _globs(entry, "docs", key, where)))
    if "invariants" in table:
        entry = table["invariants"]
        if not isinstance(entry, dict):
            raise ConfigError("key 'invariants' must be a table", where)
        _known(entry, INVARIANT_KEYS, "invariants.", where)
        pattern = _string(entry, "id", "invariants", where)
        try:
            id_patterns(pattern)
        except PatternError as exc:
            raise ConfigError(f"key 'invariants.id': {exc}", where) from None
        pack.invariants = InvariantSpec(_globs(entry, "files", "invariants", where, True), pattern)
    return pack


def _known(table: dict, keys: set[str], prefix: str, where: str) -> None:
    for key in table:
        if key not in keys:
            raise ConfigError(f"unknown key '{prefix}{key}' (known: {', '.join(sorted(keys))})", where)


def _tables(table: dict, key: str, where: str) -> list[dict]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise ConfigError(f"key '{key}' must be an array of tables ([[{key}]])", where)
    return value


def _string(entry: dict, key: str, prefix: str, where: str, default: str | None = None) -> str:
    value = entry.get(key, default)
    if not isinstance(value, str) or not value:
        raise ConfigError(f"key '{prefix}.{key}' is required (a non-empty string)", where)
    return value


def _globs(entry: dict, key: str, prefix: str, where: str, required: bool = False) -> tuple[str, ...]:
    value = entry.get(key, [] if not required else None)
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value) or (required and not value):
        raise ConfigError(f"key '{prefix}.{key}' must be a list of paths or globs", where)
    for pattern in value:
        try:
            GlobSet([pattern])
        except GlobError as exc:
            raise ConfigError(f"key '{prefix}.{key}': {exc}", where) from None
    return tuple(value)


def _compile_query(query: str, pack_text: str, key: str, where: str) -> None:
    import tree_sitter

    _parser, _declarations = _language(False)
    try:
        compiled = tree_sitter.Query(_parser.language, query)
    except (tree_sitter.QueryError, ValueError, TypeError) as exc:
        first = next((line for line in query.splitlines() if line.strip()), "")
        offset = pack_text.find(first)
        line = pack_text.count("\n", 0, offset) + 1 if offset >= 0 else 0
        row = re.search(r"row:?\s*(\d+)", str(exc))
        if row and line:
            line += int(row.group(1))
        raise ConfigError(f"key '{key}.query' does not compile (line {line}): {exc}", where) from None
    if "member" not in [compiled.capture_name(i) for i in range(compiled.capture_count)]:
        raise ConfigError(f"key '{key}.query' has no @member capture", where)


# --------------------------------------------------------------------------- evaluating


@dataclass
class Member:
    name: str
    declared: tuple[str, int] | None = None
    emitted: list[tuple[str, int]] = field(default_factory=list)
    handled: list[tuple[str, int]] = field(default_factory=list)
    aliases: tuple[str, ...] = ()  # other spellings that count as a mention (the interface name)


@dataclass
class MemberSet:
    name: str
    kind: str  # union or domain
    docs: tuple[str, ...]
    members: dict[str, Member]
    has_emitters: bool = False
    has_handler: bool = False
    handler: tuple[str, str] | None = None  # file, function
    handler_line: int | None = None


@dataclass
class PackFacts:
    sets: list[MemberSet] = field(default_factory=list)
    invariant_pattern: str | None = None
    invariants: dict[str, list[tuple[str, str, int]]] = field(default_factory=dict)  # id -> (title, path, line)
    problems: list[str] = field(default_factory=list)  # packs that point at missing files

    def all_members(self) -> dict[str, str]:
        """member or alias -> set name, for recognising mentions anywhere."""
        names: dict[str, str] = {}
        for member_set in self.sets:
            for member in member_set.members.values():
                names.setdefault(member.name, member_set.name)
                for alias in member.aliases:
                    names.setdefault(alias, member_set.name)
        return names


def evaluate(packs: list[Pack], tree: FileTree) -> PackFacts:
    facts = PackFacts()
    for pack in packs:
        for spec in pack.unions:
            facts.sets.append(_union(spec, tree, facts))
        for spec in pack.domains:
            facts.sets.append(_domain(spec, tree))
        if pack.invariants is not None:
            facts.invariant_pattern = pack.invariants.id_pattern
            _invariants(pack.invariants, tree, facts)
    return facts


def _parse(tree: FileTree, path: str):
    text = tree.read_text(path)
    if text is None:
        return None, None
    parser, _query = _language(uses_tsx(path))
    source = text.encode("utf-8")
    return parser.parse(source), source


def _node_text(node) -> str:
    return node.text.decode("utf-8", "replace") if node.text is not None else ""


def _captures(query_source: str, node, tsx: bool = False) -> dict:
    import tree_sitter

    return tree_sitter.QueryCursor(_query(query_source, tsx)).captures(node)


_QUERIES: dict[tuple[str, bool], tree_sitter.Query] = {}


def _query(source: str, tsx: bool) -> tree_sitter.Query:
    import tree_sitter

    key = (source, tsx)
    if key not in _QUERIES:
        parser, _declarations = _language(tsx)
        _QUERIES[key] = tree_sitter.Query(parser.language, source)
    return _QUERIES[key]


def _union(spec: UnionSpec, tree: FileTree, facts: PackFacts) -> MemberSet:
    member_set = MemberSet(spec.name, "union", spec.docs, {}, bool(spec.emitters), spec.handler_file is not None,
                           (spec.handler_file, spec.handler_function) if spec.handler_file else None)
    parsed, _source = _parse(tree, spec.file)
    if parsed is None:
        facts.problems.append(f"rule pack union '{spec.name}': file not found: {spec.file}")
        return member_set
    root = parsed.root_node
    alias = _find_declaration(root, "type_alias_declaration", spec.type)
    if alias is None:
        facts.problems.append(f"rule pack union '{spec.name}': no type {spec.type} in {spec.file}")
        return member_set
    interfaces = {(_node_text(n.child_by_field_name("name"))): n for n in _walk(root, ("interface_declaration",))}
    for node in _walk(alias.child_by_field_name("value"), ("type_identifier", "literal_type"), stop=("object_type",)):
        if node.type == "literal_type":
            for fragment in _walk(node, ("string_fragment",)):
                name = _node_text(fragment)
                member_set.members.setdefault(name, Member(name, (spec.file, fragment.start_point[0] + 1)))
        else:
            type_name = _node_text(node)
            interface = interfaces.get(type_name)
            if interface is None:
                continue
            for literal in _discriminants(interface, spec.discriminant):
                member_set.members.setdefault(
                    literal, Member(literal, (spec.file, interface.start_point[0] + 1), aliases=(type_name,)))
    members = member_set.members
    for path in sorted(p for p in tree.files if GlobSet(spec.emitters).match(p)) if spec.emitters else ():
        parsed_emitter, _s = _parse(tree, path)
        if parsed_emitter is None:
            continue
        captures = _captures(_EMITTER_QUERY, parsed_emitter.root_node, uses_tsx(path))
        for pair in captures.get("pair", ()):
            key = pair.child_by_field_name("key")
            value = pair.child_by_field_name("value")
            if key is None or value is None or _node_text(key).strip("'\"") != spec.discriminant:
                continue
            literal = _node_text(value).strip("'\"`")
            if literal in members:
                members[literal].emitted.append((path, pair.start_point[0] + 1))
    if spec.handler_file:
        parsed_handler, _s = _parse(tree, spec.handler_file)
        function = None
        if parsed_handler is not None:
            function = (_find_declaration(parsed_handler.root_node, "function_declaration", spec.handler_function)
                        or _find_declaration(parsed_handler.root_node, "method_definition", spec.handler_function))
        if function is None:
            facts.problems.append(
                f"rule pack union '{spec.name}': no function {spec.handler_function} in {spec.handler_file}")
        else:
            member_set.handler_line = function.start_point[0] + 1
            for case in _captures(_CASE_QUERY, function, uses_tsx(spec.handler_file)).get("case", ()):
                literal = _node_text(case)
                if literal in members:
                    members[literal].handled.append((spec.handler_file, case.start_point[0] + 1))
    for member in members.values():
        member.emitted.sort()
        member.handled.sort()
    return member_set


def _discriminants(interface, discriminant: str) -> list[str]:
    body = interface.child_by_field_name("body")
    if body is None:
        return []
    for prop in body.named_children:
        name = prop.child_by_field_name("name")
        if prop.type == "property_signature" and name is not None and _node_text(name) == discriminant:
            annotation = prop.child_by_field_name("type")
            return [_node_text(f) for f in _walk(annotation, ("string_fragment",))] if annotation else []
    return []


def _find_declaration(root, kind: str, name: str | None):
    for node in _walk(root, (kind,)):
        ident = node.child_by_field_name("name")
        if ident is not None and _node_text(ident) == name:
            return node
    return None


def _walk(node, types: tuple[str, ...], stop: tuple[str, ...] = ()):
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


def _domain(spec: DomainSpec, tree: FileTree) -> MemberSet:
    member_set = MemberSet(spec.name, "domain", spec.docs, {})
    files = GlobSet(spec.files)
    for path in sorted(p for p in tree.files if files.match(p) and p.endswith(SOURCE_EXTENSIONS)):
        parsed, _source = _parse(tree, path)
        if parsed is None:
            continue
        try:
            captures = _captures(spec.query, parsed.root_node, uses_tsx(path))
        except ValueError:  # tree_sitter.QueryError is a ValueError
            continue  # the query compiled for TypeScript but not for TSX: nothing to find here
        for node in sorted(captures.get("member", ()), key=lambda n: n.start_byte):
            name = _node_text(node).strip("'\"`")
            if name:
                member_set.members.setdefault(name, Member(name, (path, node.start_point[0] + 1)))
    return member_set


def _invariants(spec: InvariantSpec, tree: FileTree, facts: PackFacts) -> None:
    found = id_patterns(spec.id_pattern)
    files = GlobSet(spec.files)
    for path in sorted(p for p in tree.files if files.match(p)):
        text = tree.read_text(path)
        if text is None:
            continue
        scan = scan_markdown(text)
        for line, heading, _slug in scan.headings:
            match = found.heading.match(heading.strip())
            if match:
                facts.invariants.setdefault(match.group("id"), []).append((match.group("title").strip(), path, line))
        for table in scan.tables:
            if not table:
                continue
            header = [cell.strip().lower() for cell in table[0][1]]
            column = _title_column(header)
            for line, cells in table[1:]:
                match = found.cell.match(cells[0].strip()) if cells else None
                if match and column is not None and column < len(cells) and cells[column].strip():
                    title = cells[column].strip().strip("*")
                    facts.invariants.setdefault(match.group("id"), []).append((title, path, line))
    if not any(files.match(p) for p in tree.files):
        facts.problems.append(f"rule pack invariants: no spec file matches {', '.join(spec.files)}")


_TITLE_HEADERS = re.compile(r"title|name|rule|invariant|statement|description|summary")


def _title_column(header: list[str]) -> int | None:
    """Which column of a spec table holds the title: the first headed like one, after the ID."""
    for index, name in enumerate(header[1:], start=1):
        if _TITLE_HEADERS.search(name):
            return index
    return 1 if len(header) >= 2 and not header[1] else None


def normalise_title(title: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", title.lower()).split())


# --------------------------------------------------------------------------- the lock's copy


def facts_to_json(facts: PackFacts) -> dict:
    def where(pairs):
        return [list(p) for p in pairs]

    return {
        "sets": [
            {
                "name": s.name, "kind": s.kind, "docs": list(s.docs), "has_emitters": s.has_emitters,
                "has_handler": s.has_handler, "handler": list(s.handler) if s.handler else None,
                "handler_line": s.handler_line,
                "members": [
                    {"name": m.name, "declared": list(m.declared) if m.declared else None,
                     "emitted": where(m.emitted), "handled": where(m.handled), "aliases": list(m.aliases)}
                    for m in s.members.values()
                ],
            }
            for s in facts.sets
        ],
        "invariant_pattern": facts.invariant_pattern,
        "invariants": {k: [list(t) for t in v] for k, v in sorted(facts.invariants.items())},
    }


def facts_from_json(data: dict) -> PackFacts:
    facts = PackFacts(invariant_pattern=data.get("invariant_pattern"))
    for entry in data.get("sets", []):
        members = {
            m["name"]: Member(m["name"], tuple(m["declared"]) if m.get("declared") else None,
                              [tuple(p) for p in m.get("emitted", [])], [tuple(p) for p in m.get("handled", [])],
                              tuple(m.get("aliases", [])))
            for m in entry.get("members", [])
        }
        facts.sets.append(MemberSet(entry["name"], entry["kind"], tuple(entry.get("docs", [])), members,
                                    bool(entry.get("has_emitters")), bool(entry.get("has_handler")),
                                    tuple(entry["handler"]) if entry.get("handler") else None,
                                    entry.get("handler_line")))
    facts.invariants = {k: [(t[0], t[1], int(t[2])) for t in v] for k, v in data.get("invariants", {}).items()}
    return facts
