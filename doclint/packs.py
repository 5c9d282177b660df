"""Rule packs: TOML files that teach doclint what a codebase's docs must keep true.

A pack declares discriminated unions (`[[union]]`), string domains found with a
tree-sitter query (`[[domain]]`) and where the spec defines its IDs (`[invariants]`).
`load_packs` validates them; `evaluate` reads their members out of the sources, once
per run, into `PackFacts`, which the lock can also record and replay.
"""

from __future__ import annotations

import functools
import os
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from doclint.cache import Cache
from doclint.confine import inside_root
from doclint.errors import ConfigError
from doclint.globs import GlobError, GlobSet
from doclint.shapes import is_relative_path
from doclint.mdrefs import DocScan, scan_markdown
from doclint.patterns import PatternError, id_patterns
from doclint.scanning import Hashed, load_scans
from doclint.tree import FileTree
from doclint.tsindex import SOURCE_EXTENSIONS, _language, uses_tsx
from doclint.unions import node_text, parse, read_union, walk

if TYPE_CHECKING:
    import tree_sitter

_T = TypeVar("_T")
_P = ParamSpec("_P")

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
    key: str = "union"  # where in its pack it is declared: union[0]


@dataclass(frozen=True)
class DomainSpec:
    name: str
    files: tuple[str, ...]
    query: str
    docs: tuple[str, ...]
    key: str = "domain"  # domain[0]


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


class PackError(ConfigError):
    """Every problem found in the configured rule packs, one line each: a pack with several
    mistakes is fixed in one pass, not one run per mistake."""

    def __init__(self, problems: list[ConfigError]):
        super().__init__("\n".join(str(problem) for problem in problems))
        self.problems = problems


def pack_path(entry: str, root: Path, config_where: str) -> Path | None:
    """The file a `rules` entry names, inside the root (or the run stops); None for a bundled pack's name."""
    if entry.endswith(".toml") or "/" in entry:
        return inside_root(root, entry, config_where, "rules")
    return None


def load_packs(entries: tuple[str, ...], root: Path, config_where: str, cache: Cache | None = None) -> list[Pack]:
    """The packs the `rules` entries name; with a cache, a query this build compiled once is not
    compiled again (compiling loads the TypeScript grammar, which a cached run never needs)."""
    packs: list[Pack] = []
    problems: list[ConfigError] = []
    for entry in entries:
        try:
            path = pack_path(entry, root, config_where)
        except ConfigError as exc:
            problems.append(exc)
            continue
        if path is not None:
            if not path.is_file():
                problems.append(ConfigError(f"key 'rules': rule pack file not found: {entry}", config_where))
                continue
            pack = _parse_pack(path.read_bytes(), entry, problems, cache)
        else:
            from importlib import resources

            resource = resources.files("doclint.rules") / f"{entry}.toml"
            if not resource.is_file():
                known = ", ".join(bundled_pack_names()) or "none"
                problems.append(ConfigError(f"key 'rules': no bundled rule pack '{entry}' (bundled: {known})",
                                            config_where))
                continue
            pack = _parse_pack(resource.read_bytes(), f"rules/{entry}.toml", problems, cache)
        if pack is not None:
            packs.append(pack)
    if problems:
        raise PackError(problems)
    return packs


def _parse_pack(data: bytes, where: str, problems: list[ConfigError], cache: Cache | None = None) -> Pack | None:
    """The pack, or None after adding each problem found in it to `problems`."""
    try:
        text = data.decode("utf-8")
        table = tomllib.loads(text)
    except UnicodeDecodeError:
        problems.append(ConfigError("rule pack is not valid UTF-8", where))
        return None
    except tomllib.TOMLDecodeError as exc:
        problems.append(ConfigError(f"rule pack is not valid TOML: {exc}", where))
        return None
    except RecursionError:
        problems.append(ConfigError("rule pack is not valid TOML: arrays or tables nested too deeply", where))
        return None
    before = len(problems)
    problems.extend(_unknown(table, PACK_KEYS, "", where))
    meta = table.get("pack", {})
    name, description = None, ""
    if not isinstance(meta, dict):
        problems.append(ConfigError("key 'pack' must be a table", where))
    else:
        problems.extend(_unknown(meta, META_KEYS, "pack.", where))
        name = _take(problems, _string, meta, "name", "pack", where)
        description = meta.get("description", "")
        if not isinstance(description, str):
            problems.append(ConfigError("key 'pack.description' must be a string", where))
    pack = Pack(name or "", description if isinstance(description, str) else "", where)
    for i, entry in enumerate(_take(problems, _tables, table, "union", where) or []):
        union = _union_spec(entry, f"union[{i}]", where, problems)
        if union is not None:
            pack.unions.append(union)
    for i, entry in enumerate(_take(problems, _tables, table, "domain", where) or []):
        domain = _domain_spec(entry, f"domain[{i}]", text, where, problems, cache)
        if domain is not None:
            pack.domains.append(domain)
    if "invariants" in table:
        pack.invariants = _invariant_spec(table["invariants"], where, problems)
    return pack if len(problems) == before else None


def _union_spec(entry: dict[str, Any], key: str, where: str, problems: list[ConfigError]) -> UnionSpec | None:
    start = len(problems)
    problems.extend(_unknown(entry, UNION_KEYS, key + ".", where))
    name, file, type_name, discriminant, docs, handler, emitters = (
        _take(problems, _string, entry, "name", key, where), _take(problems, _path, entry, "file", key, where),
        _take(problems, _string, entry, "type", key, where),
        _take(problems, _string, entry, "discriminant", key, where, "kind"),
        _take(problems, _globs, entry, "docs", key, where), _take(problems, _handler, entry, key, where),
        _take(problems, _globs, entry, "emitters", key, where))
    if len(problems) != start or name is None or file is None or type_name is None or discriminant is None \
            or docs is None or emitters is None:
        return None
    return UnionSpec(name, file, type_name, discriminant, docs, handler[0] if handler else None,
                     handler[1] if handler else None, emitters, key)


def _domain_spec(entry: dict[str, Any], key: str, pack_text: str, where: str,
                 problems: list[ConfigError], cache: Cache | None = None) -> DomainSpec | None:
    start = len(problems)
    problems.extend(_unknown(entry, DOMAIN_KEYS, key + ".", where))
    name, files, query, docs = (
        _take(problems, _string, entry, "name", key, where), _take(problems, _globs, entry, "files", key, where, True),
        _take(problems, _string, entry, "query", key, where), _take(problems, _globs, entry, "docs", key, where))
    if query is not None:
        compiled = Cache.key("query", query)  # only a query that compiled is remembered: an error is said each run
        if cache is None or cache.get("query", compiled) is not True:
            before = len(problems)
            _take(problems, _compile_query, query, pack_text, key, where)
            if cache is not None and len(problems) == before:
                cache.put("query", compiled, True)
    if len(problems) != start or name is None or files is None or query is None or docs is None:
        return None
    return DomainSpec(name, files, query, docs, key)


def _invariant_spec(entry: object, where: str, problems: list[ConfigError]) -> InvariantSpec | None:
    if not isinstance(entry, dict):
        problems.append(ConfigError("key 'invariants' must be a table", where))
        return None
    start = len(problems)
    problems.extend(_unknown(entry, INVARIANT_KEYS, "invariants.", where))
    pattern = _take(problems, _string, entry, "id", "invariants", where)
    files = _take(problems, _globs, entry, "files", "invariants", where, True)
    if pattern is not None:
        try:
            id_patterns(pattern)
        except PatternError as exc:
            problems.append(ConfigError(f"key 'invariants.id': {exc}", where))
    if len(problems) != start or pattern is None or files is None:
        return None
    return InvariantSpec(files, pattern)


def _take(problems: list[ConfigError], read: Callable[_P, _T], *args: _P.args, **kwargs: _P.kwargs) -> _T | None:
    """What `read(*args)` returns, or None after noting the problem it raised."""
    try:
        return read(*args, **kwargs)
    except ConfigError as exc:
        problems.append(exc)
        return None


def _unknown(table: dict[str, Any], keys: set[str], prefix: str, where: str) -> list[ConfigError]:
    return [ConfigError(f"unknown key '{prefix}{key}' (known: {', '.join(sorted(keys))})", where)
            for key in table if key not in keys]


def _handler(entry: dict[str, Any], prefix: str, where: str) -> tuple[str, str] | None:
    handler = entry.get("handler")
    if handler is None:
        return None
    if (not isinstance(handler, dict) or set(handler) != {"file", "function"}
            or not all(isinstance(v, str) and v for v in handler.values()) or not is_relative_path(handler["file"])):
        raise ConfigError(f"key '{prefix}.handler' must be {{ file = \"<path relative to the root>\", "
                          "function = \"...\" }", where)
    return handler["file"], handler["function"]


def _tables(table: dict[str, Any], key: str, where: str) -> list[dict[str, Any]]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise ConfigError(f"key '{key}' must be an array of tables ([[{key}]])", where)
    return value


def _string(entry: dict[str, Any], key: str, prefix: str, where: str, default: str | None = None) -> str:
    value = entry.get(key, default)
    if not isinstance(value, str) or not value:
        raise ConfigError(f"key '{prefix}.{key}' is required (a non-empty string)", where)
    return value


def _path(entry: dict[str, Any], key: str, prefix: str, where: str) -> str:
    value = _string(entry, key, prefix, where)
    if not is_relative_path(value):
        raise ConfigError(f"key '{prefix}.{key}' must be a path relative to the root, without `..`", where)
    return value


def _globs(entry: dict[str, Any], key: str, prefix: str, where: str, required: bool = False) -> tuple[str, ...]:
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
        compiled = tree_sitter.Query(_grammar(False), query)
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
    problems: list[ConfigError] = field(default_factory=list)  # where a pack does not fit the tree

    @functools.cached_property
    def all_members(self) -> dict[str, str]:
        """member or alias -> set name, for recognising mentions anywhere (worked out once: the
        facts are complete before any doc is checked)."""
        names: dict[str, str] = {}
        for member_set in self.sets:
            for member in member_set.members.values():
                names.setdefault(member.name, member_set.name)
                for alias in member.aliases:
                    names.setdefault(alias, member_set.name)
        return names

    @functools.cached_property
    def member_names(self) -> frozenset[str]:
        """Every set's members, as one set (what a did-you-mean compares a near miss with)."""
        return frozenset(m for member_set in self.sets for m in member_set.members)


def evaluate(packs: list[Pack], tree: FileTree, cache: Cache | None = None) -> PackFacts:
    """Every set's members read from the sources. A pack that does not fit the tree (a file,
    type or function it names is not there, a union that cannot be read) adds a problem for
    each such key to `facts.problems`: the caller stops the run with all of them.

    With a cache, the facts are kept with the hash of every file the evaluation read, and
    taken from there while the packs, the file listing and each of those files are unchanged
    (a run after an edit to any other file parses none of them again)."""
    if cache is None or cache.db is None:
        return _evaluate(packs, _Reads(tree), cache)
    key = Cache.key("packs", repr(packs), str(tree.root), *sorted(tree.files))
    stored = _stored_facts(cache.get("packs", key), tree, cache)
    if stored is not None:
        return stored
    reads = _Reads(tree)
    facts = _evaluate(packs, reads, cache)
    if not facts.problems:  # a run with problems stops; nothing to reuse
        cache.put("packs", key, {"read": {path: _sha(tree, path, cache) for path in sorted(reads.read)},
                                 "facts": facts_to_json(facts), "invariants": list(facts.invariants.items())})
    return facts


def _evaluate(packs: list[Pack], files: _Reads, cache: Cache | None) -> PackFacts:
    facts = PackFacts()
    for pack in packs:
        for spec in pack.unions:
            facts.sets.append(_union(spec, files, _Problems(pack.path, spec.key, facts.problems)))
        for domain in pack.domains:
            facts.sets.append(_domain(domain, files, _Problems(pack.path, domain.key, facts.problems)))
        if pack.invariants is not None:
            facts.invariant_pattern = pack.invariants.id_pattern
            _invariants(pack.invariants, files, cache, facts, _Problems(pack.path, "invariants", facts.problems))
    return facts


class _Reads:
    """The tree as pack evaluation sees it, noting each file read: the facts depend on those."""

    def __init__(self, tree: FileTree):
        self.tree = tree
        self.files = tree.files
        self.read: set[str] = set()

    def is_file(self, path: str) -> bool:
        return self.tree.is_file(path)

    def read_text(self, path: str) -> str | None:
        self.read.add(path)
        return self.tree.read_text(path)


def _sha(tree: FileTree, path: str, cache: Cache) -> str | None:
    hashed = cache.file_sha(os.path.join(tree.root, path), follow=path in tree.linked)
    return hashed[0] if hashed is not None else None


def _stored_facts(entry: object, tree: FileTree, cache: Cache) -> PackFacts | None:
    """The stored facts, while every file they were read from is as it was; else None."""
    if not isinstance(entry, dict) or not isinstance(entry.get("read"), dict):
        return None
    if not all(isinstance(path, str) and _sha(tree, path, cache) == sha for path, sha in entry["read"].items()):
        return None
    try:
        facts = facts_from_json(entry["facts"])
        facts.invariants = {ident: [(t[0], t[1], int(t[2])) for t in found] for ident, found in entry["invariants"]}
    except (KeyError, TypeError, ValueError, IndexError, AttributeError):
        return None  # not as this code writes it: evaluated again
    return facts


def unmatched_docs(packs: list[Pack], docs: list[str]) -> list[ConfigError]:
    """A problem for each set whose `docs` select none of the docs doclint checks."""
    problems = []
    for pack in packs:
        specs: list[UnionSpec | DomainSpec] = [*pack.unions, *pack.domains]
        for spec in specs:
            wanted = GlobSet(spec.docs)
            if spec.docs and not any(wanted.match(path) for path in docs):
                problems.append(ConfigError(
                    f"key '{spec.key}.docs': no checked doc matches {', '.join(spec.docs)} "
                    "(expected docs that the config's `docs` selects)", pack.path))
    return problems


@dataclass(frozen=True)
class _Problems:
    """Where a set's problems go, named by its pack file and key (`union[0]`)."""

    pack: str
    key: str
    found: list[ConfigError]

    def add(self, key: str, message: str) -> None:
        self.found.append(ConfigError(f"key '{self.key}.{key}': {message}", self.pack))


def _grammar(tsx: bool) -> tree_sitter.Language:
    """The TypeScript (or TSX) language, as the index parses it."""
    language = _language(tsx)[0].language
    assert language is not None  # a parser made with a language keeps it
    return language


def _captures(query_source: str, node: tree_sitter.Node, tsx: bool = False) -> dict[str, list[tree_sitter.Node]]:
    import tree_sitter

    return tree_sitter.QueryCursor(_query(query_source, tsx)).captures(node)


_QUERIES: dict[tuple[str, bool], tree_sitter.Query] = {}


def _query(source: str, tsx: bool) -> tree_sitter.Query:
    import tree_sitter

    key = (source, tsx)
    if key not in _QUERIES:
        _QUERIES[key] = tree_sitter.Query(_grammar(tsx), source)
    return _QUERIES[key]


def _union(spec: UnionSpec, tree: _Reads, problems: _Problems) -> MemberSet:
    member_set = MemberSet(spec.name, "union", spec.docs, {}, bool(spec.emitters), spec.handler_file is not None,
                           (spec.handler_file, spec.handler_function)
                           if spec.handler_file and spec.handler_function else None)
    read = read_union(tree, spec.file, spec.type, spec.discriminant) if tree.is_file(spec.file) else None
    if not tree.is_file(spec.file):
        problems.add("file", f"no source file {spec.file} (expected the file that declares type {spec.type})")
    elif read is None:
        problems.add("type", f"no type {spec.type} in {spec.file} (expected `type {spec.type} = A | B | ...` "
                             "or an interface)")
    elif read.unreadable:
        for why in read.unreadable:
            problems.add("type", f"cannot read union {spec.type}: {why} (expected interfaces, type aliases or "
                                 f"object types whose `{spec.discriminant}` is a string literal)")
    else:
        for found in read.members:
            member_set.members.setdefault(found.literal, Member(
                found.literal, (found.path, found.line), aliases=(found.alias,) if found.alias else ()))
    members = member_set.members
    emitters = sorted(p for p in tree.files if GlobSet(spec.emitters).match(p)) if spec.emitters else []
    if spec.emitters and not emitters:
        problems.add("emitters", f"no source file matches {', '.join(spec.emitters)}")
    for path in emitters:
        parsed_emitter = parse(tree, path)
        if parsed_emitter is None:
            continue
        captures = _captures(_EMITTER_QUERY, parsed_emitter.root_node, uses_tsx(path))
        for pair in captures.get("pair", ()):
            key = pair.child_by_field_name("key")
            value = pair.child_by_field_name("value")
            if key is None or value is None or node_text(key).strip("'\"") != spec.discriminant:
                continue
            literal = node_text(value).strip("'\"`")
            if literal in members:
                members[literal].emitted.append((path, pair.start_point[0] + 1))
    if spec.handler_file:
        parsed_handler = parse(tree, spec.handler_file)
        function = None
        if parsed_handler is not None:
            function = (_find_declaration(parsed_handler.root_node, "function_declaration", spec.handler_function)
                        or _find_declaration(parsed_handler.root_node, "method_definition", spec.handler_function))
        if parsed_handler is None:
            problems.add("handler", f"no source file {spec.handler_file} (expected the file that declares "
                                    f"{spec.handler_function})")
        elif function is None:
            problems.add("handler", f"no function {spec.handler_function} in {spec.handler_file} "
                                    "(expected a function declaration or a method)")
        else:
            member_set.handler_line = function.start_point[0] + 1
            for case in _captures(_CASE_QUERY, function, uses_tsx(spec.handler_file)).get("case", ()):
                literal = node_text(case)
                if literal in members:
                    members[literal].handled.append((spec.handler_file, case.start_point[0] + 1))
    for member in members.values():
        member.emitted.sort()
        member.handled.sort()
    return member_set


def _find_declaration(root: tree_sitter.Node, kind: str, name: str | None) -> tree_sitter.Node | None:
    node: tree_sitter.Node
    for node in walk(root, (kind,)):
        ident = node.child_by_field_name("name")
        if ident is not None and node_text(ident) == name:
            return node
    return None


def _domain(spec: DomainSpec, tree: _Reads, problems: _Problems) -> MemberSet:
    member_set = MemberSet(spec.name, "domain", spec.docs, {})
    files = GlobSet(spec.files)
    paths = sorted(p for p in tree.files if files.match(p) and p.endswith(SOURCE_EXTENSIONS))
    for path in paths:
        parsed = parse(tree, path)
        if parsed is None:
            continue
        try:
            captures = _captures(spec.query, parsed.root_node, uses_tsx(path))
        except ValueError:  # tree_sitter.QueryError is a ValueError
            continue  # the query compiled for TypeScript but not for TSX: nothing to find here
        for node in sorted(captures.get("member", ()), key=lambda n: n.start_byte):
            name = node_text(node).strip("'\"`")
            if name:
                member_set.members.setdefault(name, Member(name, (path, node.start_point[0] + 1)))
    if not paths:
        problems.add("files", f"no source file matches {', '.join(spec.files)}")
    elif not member_set.members:
        problems.add("query", f"captured no @member in the {len(paths)} source files `files` selects")
    return member_set


def _invariants(spec: InvariantSpec, tree: _Reads, cache: Cache | None, facts: PackFacts, problems: _Problems) -> None:
    found = id_patterns(spec.id_pattern)
    files = GlobSet(spec.files)
    for path in sorted(p for p in tree.files if files.match(p)):
        scan = _spec_scan(tree, path, cache)
        if scan is None:
            continue
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
        problems.add("files", f"no spec file matches {', '.join(spec.files)}")


def _spec_scan(tree: _Reads, path: str, cache: Cache | None) -> DocScan | None:
    """A spec file's scan, from the cache of doc scans where it is known."""
    text = tree.read_text(path)
    if text is None:
        return None
    if cache is None or cache.db is None:
        return scan_markdown(text)
    hashed = cache.file_sha(os.path.join(tree.tree.root, path), follow=path in tree.tree.linked)
    if hashed is None:
        return scan_markdown(text)
    found = load_scans("md", str(tree.tree.root), {path: Hashed(hashed[0], text.encode("utf-8", "surrogatepass"))},
                       cache, 1)
    scan = found.get(path)
    return scan if isinstance(scan, DocScan) else scan_markdown(text)


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


def facts_to_json(facts: PackFacts) -> dict[str, Any]:
    def where(pairs: list[tuple[str, int]]) -> list[list[str | int]]:
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


def facts_from_json(data: dict[str, Any]) -> PackFacts:
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
