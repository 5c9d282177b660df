"""The one lookup interface: every question a check asks of the TypeScript index.

A live run answers from the index (`IndexLookups`); a lock replay answers from what the
lock recorded (`Replayed`). Whatever records what a doc asked, for the cache or for the
lock, wraps that interface (`Recorder`) instead of re-implementing it, so a live run and a
replay give the same answers to the same questions.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Collection, Iterable
from typing import Generic, Literal, Protocol, TypeAlias, TypeGuard, TypeVar, cast, get_args

from doclint.cache import Cache
from doclint.tsindex import CONTAINER_KINDS, Symbol, SymbolIndex, SymbolKind
from doclint.workspace import Suggestions, carried_over

# What a lookup answers (a Symbol, or a container of them, at most two levels deep).
Answer: TypeAlias = object
# What a lookup is asked about: names and paths, and a did-you-mean cutoff.
Argument: TypeAlias = str | float
# One question: the method's name and its arguments.
Question: TypeAlias = tuple[str, tuple[Argument, ...]]


class Lookups(Protocol):
    """The questions checks ask of the sources' declarations (and only these)."""

    def declared(self, name: str) -> bool:
        """Is `name` declared, or used as a word, somewhere in the sources?"""

    def is_literal(self, name: str) -> bool:
        """Is `name` a string literal type somewhere (`kind: 'x'`)?"""

    def file_uses(self, path: str, word: str) -> bool:
        """Does the indexed file `path` contain `word`?"""

    def declared_elsewhere(self, qualname: str) -> list[str]:
        """The files declaring `qualname`."""

    def declarations(self, qualname: str) -> list[tuple[str, Symbol]]:
        """Every declaration of `qualname`, with its file."""

    def names_in_file(self, path: str) -> set[str]:
        """Every name declared in `path`."""

    def containers(self, name: str) -> list[tuple[str, Symbol]]:
        """The declarations of `name` that can have members."""

    def member_names(self, container: str) -> set[str] | None:
        """Every member of `container` and its ancestors, or None when some are out of sight."""

    def in_file(self, path: str, name: str) -> list[Symbol]:
        """The declarations of `name` (plain or qualified) in `path`."""

    def files_declaring(self, name: str) -> list[str]:
        """The files declaring something named `name`, at any depth."""

    def closest_name(self, word: str, cutoff: float) -> str | None:
        """The declared name closest to `word` (did-you-mean), if one is close enough."""

    def is_indexed(self, path: str) -> bool:
        """Is `path` an indexed source file?"""

    def line_count(self, path: str) -> int | None:
        """The number of lines of an indexed source file."""


LOOKUPS: tuple[str, ...] = tuple(name for name in vars(Lookups) if not name.startswith("_"))
_LOOKUP_NAMES = frozenset(LOOKUPS)


class IndexLookups:
    """The interface over a live SymbolIndex. Did-you-mean answers are kept in `cache` under
    the declared names they were chosen from: a later run with the same names asks none
    again (building the index of names to compare is most of a small run's did-you-mean)."""

    def __init__(self, index: SymbolIndex, cache: Cache | None = None):
        self.index = index
        self._cache = cache
        self._suggestions: Suggestions | None = None
        self._names_key: str | None = None
        self._closest: dict[str, str | None] | None = None
        self._closest_grew = False
        self._names_kept: str | None = None  # the names key the cache's list of names is for, once read
        self._keep_names = False  # answers were kept this run: the names they are for are kept too

    @property
    def names_key(self) -> str:
        """A hash of every declared name: while it is the same, so is each did-you-mean answer."""
        if self._names_key is None:
            self._names_key = Cache.key("names", *sorted(self.index.by_name))
        return self._names_key

    def declared(self, name: str) -> bool:
        return self.index.declared(name)

    def is_literal(self, name: str) -> bool:
        return self.index.is_literal(name)

    def file_uses(self, path: str, word: str) -> bool:
        return self.index.file_uses(path, word)

    def declared_elsewhere(self, qualname: str) -> list[str]:
        return self.index.declared_elsewhere(qualname)

    def declarations(self, qualname: str) -> list[tuple[str, Symbol]]:
        return list(self.index.by_qualname.get(qualname, ()))

    def names_in_file(self, path: str) -> set[str]:
        return self.index.names_in_file(path)

    def containers(self, name: str) -> list[tuple[str, Symbol]]:
        return [(p, s) for p, s in self.index.by_qualname.get(name, ()) if s.kind in CONTAINER_KINDS]

    def member_names(self, container: str) -> set[str] | None:
        return self.index.member_names(container)

    def in_file(self, path: str, name: str) -> list[Symbol]:
        return self.index.in_file(path, name)

    def files_declaring(self, name: str) -> list[str]:
        return sorted({p for p, _s in self.index.by_name.get(name, ())})

    def closest_name(self, word: str, cutoff: float) -> str | None:
        answers = self._closest_answers()
        key = f"{word}\0{cutoff!r}"
        if key not in answers:
            if self._suggestions is None:
                self._suggestions = Suggestions(self.index.by_name.keys())
            answers[key] = self._suggestions.closest(word, cutoff)
            self._closest_grew = True
        return answers[key]

    def _closest_answers(self) -> dict[str, str | None]:
        if self._closest is None:
            self._closest = {}
            cache = self._cache
            if cache is not None and cache.enabled:
                key = Cache.key("closest", self.names_key)
                stored = _answers(cache.get("closest", key))
                if stored is not None:
                    self._names_kept = self.names_key  # kept when these were: no need to keep them again
                self._closest = stored if stored is not None else self._carried_over(cache)
                cache.put_later("closest", key, self._closest_to_keep)
                cache.put_later(CLOSEST_NAMES, _NAMES_ROW, self._names_to_keep)
        return self._closest

    def _carried_over(self, cache: Cache) -> dict[str, str | None]:
        """The did-you-mean answers kept for the names of the last run that kept any, each
        carried over to the names declared now (`carried_over`) where its answer is still
        declared and few names are new: a declaration added or removed asks none again."""
        kept = cache.get(CLOSEST_NAMES, _NAMES_ROW)
        if not (isinstance(kept, list) and len(kept) == 2 and isinstance(kept[0], str) and isinstance(kept[1], list)
                and all(isinstance(name, str) for name in kept[1])):
            return {}
        key, names = kept
        self._names_kept = key
        stored = _answers(cache.get("closest", Cache.key("closest", key)))
        if stored is None or Cache.key("names", *sorted(names)) != key:
            return {}  # not the answers of those names
        before, now = set(names), self.index.by_name
        added = [name for name in now if name not in before]
        if len(added) > MAX_NEW_NAMES:
            return {}
        answers: dict[str, str | None] = {}
        for question, answer in stored.items():
            word, _, cutoff = question.partition("\0")
            try:
                value = float(cutoff)
            except ValueError:
                continue
            if answer is None or (answer in before and answer in now):
                answers[question] = carried_over(word, value, answer, added)
        self._closest_grew = bool(answers)
        return answers

    def _closest_to_keep(self) -> dict[str, str | None] | None:
        """The did-you-mean answers, when some were worked out since they were last kept."""
        if not self._closest_grew:
            return None
        self._closest_grew = False
        self._keep_names = True
        return self._closest

    def _names_to_keep(self) -> list[object] | None:
        """The names the kept answers were chosen from, when they are not the ones kept already."""
        if not self._keep_names or self._names_kept == self.names_key:
            return None
        self._names_kept = self.names_key
        return [self.names_key, sorted(self.index.by_name)]

    def is_indexed(self, path: str) -> bool:
        return path in self.index.files

    def line_count(self, path: str) -> int | None:
        scan = self.index.files.get(path)
        return None if scan is None else scan.line_count


_A = TypeVar("_A")


class _Method(Generic[_A]):
    """A lookup's name, typed by what it answers: what `_Asked` puts its questions by."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name


_DECLARED: _Method[bool] = _Method("declared")
_IS_LITERAL: _Method[bool] = _Method("is_literal")
_FILE_USES: _Method[bool] = _Method("file_uses")
_DECLARED_ELSEWHERE: _Method[list[str]] = _Method("declared_elsewhere")
_DECLARATIONS: _Method[list[tuple[str, Symbol]]] = _Method("declarations")
_NAMES_IN_FILE: _Method[set[str]] = _Method("names_in_file")
_CONTAINERS: _Method[list[tuple[str, Symbol]]] = _Method("containers")
_MEMBER_NAMES: _Method[set[str] | None] = _Method("member_names")
_IN_FILE: _Method[list[Symbol]] = _Method("in_file")
_FILES_DECLARING: _Method[list[str]] = _Method("files_declaring")
_CLOSEST_NAME: _Method[str | None] = _Method("closest_name")
_IS_INDEXED: _Method[bool] = _Method("is_indexed")
_LINE_COUNT: _Method[int | None] = _Method("line_count")


class _Asked:
    """The interface's questions put through one `_ask(method, *args)`, which subclasses answer."""

    def _ask(self, method: _Method[_A], *args: Argument) -> _A:
        raise NotImplementedError

    def declared(self, name: str) -> bool:
        return bool(self._ask(_DECLARED, name))

    def is_literal(self, name: str) -> bool:
        return bool(self._ask(_IS_LITERAL, name))

    def file_uses(self, path: str, word: str) -> bool:
        return bool(self._ask(_FILE_USES, path, word))

    def declared_elsewhere(self, qualname: str) -> list[str]:
        return self._ask(_DECLARED_ELSEWHERE, qualname)

    def declarations(self, qualname: str) -> list[tuple[str, Symbol]]:
        return self._ask(_DECLARATIONS, qualname)

    def names_in_file(self, path: str) -> set[str]:
        return self._ask(_NAMES_IN_FILE, path)

    def containers(self, name: str) -> list[tuple[str, Symbol]]:
        return self._ask(_CONTAINERS, name)

    def member_names(self, container: str) -> set[str] | None:
        return self._ask(_MEMBER_NAMES, container)

    def in_file(self, path: str, name: str) -> list[Symbol]:
        return self._ask(_IN_FILE, path, name)

    def files_declaring(self, name: str) -> list[str]:
        return self._ask(_FILES_DECLARING, name)

    def closest_name(self, word: str, cutoff: float) -> str | None:
        return self._ask(_CLOSEST_NAME, word, cutoff)

    def is_indexed(self, path: str) -> bool:
        return bool(self._ask(_IS_INDEXED, path))

    def line_count(self, path: str) -> int | None:
        return self._ask(_LINE_COUNT, path)


class Recorder(_Asked):
    """Lookups that note every question and its answer (what one doc, or one lock run, asked)."""

    def __init__(self, inner: Lookups):
        self.inner = inner
        self.asked: dict[Question, Answer] = {}

    def _ask(self, method: _Method[_A], *args: Argument) -> _A:
        answer: _A = getattr(self.inner, method.name)(*args)  # the inner interface's own answer
        self.asked[(method.name, args)] = answer
        return answer


class Replayed(_Asked):
    """Lookups answered from a record (the lock's): a question it does not hold finds nothing."""

    _NOTHING: dict[str, Answer] = {
        "declared": False, "is_literal": False, "file_uses": False, "declared_elsewhere": [],
        "declarations": [], "names_in_file": set(), "containers": [], "member_names": None, "in_file": [],
        "files_declaring": [], "closest_name": None, "is_indexed": False, "line_count": None,
    }

    def __init__(self, answers: dict[Question, Answer]):
        self.answers = answers

    def _ask(self, method: _Method[_A], *args: Argument) -> _A:
        found = self.answers.get((method.name, args), self._NOTHING[method.name])
        answer = set(found) if isinstance(found, set) else list(found) if isinstance(found, list) else found
        return cast(_A, answer)  # of the method's kind: `decode_answer` checked it as the lock was read


# --------------------------------------------------------------------------- answers as JSON


# Where the names the last kept did-you-mean answers were chosen from are kept (one row), and
# how many new names carrying those answers over to the names of now may compare.
CLOSEST_NAMES = "closest-names"
_NAMES_ROW = "last"
MAX_NEW_NAMES = 64


def _answers(stored: object) -> dict[str, str | None] | None:
    """Kept did-you-mean answers, if that is what `stored` is."""
    if isinstance(stored, dict) and all(isinstance(k, str) and (v is None or isinstance(v, str))
                                        for k, v in stored.items()):
        return stored
    return None


def encode(answer: Answer) -> object:
    """An answer as JSON: sets sorted, symbols as tagged lists (see `decode`)."""
    if isinstance(answer, Symbol):
        return {"symbol": [list(v) if isinstance(v, tuple) else v for v in answer]}
    if isinstance(answer, tuple):
        return {"pair": [encode(v) for v in answer]}
    if isinstance(answer, (set, frozenset)):
        return {"set": sorted(answer)}
    if isinstance(answer, list):
        return [encode(v) for v in answer]
    return answer


def decode(value: object) -> Answer:
    """The answer `encode` wrote; ValueError for anything it cannot have written."""
    if isinstance(value, list):
        return [decode(v) for v in value]
    if isinstance(value, dict) and len(value) == 1:
        (tag, body), = value.items()
        if tag == "set" and isinstance(body, list) and all(isinstance(v, str) for v in body):
            return set(body)
        if tag == "pair" and isinstance(body, list):
            return tuple(decode(v) for v in body)
        if tag == "symbol" and isinstance(body, list) and len(body) == len(Symbol._fields):
            return _symbol(body)
    if value is None or isinstance(value, (bool, int, str)):
        return value
    raise ValueError(f"not a recorded answer: {json.dumps(value)[:80]}")


_SYMBOL_KINDS: frozenset[str] = frozenset(get_args(SymbolKind))


def _symbol(fields: list[object]) -> Symbol:
    name, kind, container, line, end_line, heritage, is_open, literals, union = fields
    if not (isinstance(name, str) and _is_kind(kind) and (container is None or isinstance(container, str))
            and type(line) is int and type(end_line) is int and isinstance(is_open, bool)):
        raise ValueError("not a recorded declaration")
    return Symbol(name, kind, container, line, end_line, _texts(heritage), is_open, _texts(literals), _texts(union))


def _is_kind(value: object) -> TypeGuard[SymbolKind]:
    return isinstance(value, str) and value in _SYMBOL_KINDS


def _texts(value: object) -> tuple[str, ...]:
    if not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
        raise ValueError("not a recorded declaration")
    return tuple(value)


# What each lookup answers, so that an answer read back (from the lock) is of its method's kind.
Kind = Literal["flag", "names", "name set", "maybe name set", "maybe name", "maybe count", "symbols", "declarations"]
KINDS: dict[str, Kind] = {
    "declared": "flag", "is_literal": "flag", "file_uses": "flag", "is_indexed": "flag",
    "declared_elsewhere": "names", "files_declaring": "names", "names_in_file": "name set",
    "member_names": "maybe name set", "closest_name": "maybe name", "line_count": "maybe count",
    "in_file": "symbols", "declarations": "declarations", "containers": "declarations",
}


def decode_answer(method: str, value: object) -> Answer:
    """`decode`, for an answer of `method`: ValueError when it is not of the method's kind."""
    answer = decode(value)
    kind: str = KINDS[method]
    if kind.startswith("maybe ") and answer is None:
        return answer
    kind = kind.removeprefix("maybe ")
    tests: dict[str, Callable[[], bool]] = {
        "flag": lambda: isinstance(answer, bool),
        "names": lambda: isinstance(answer, list) and all(isinstance(v, str) for v in answer),
        "name set": lambda: isinstance(answer, set),
        "name": lambda: isinstance(answer, str),
        "count": lambda: type(answer) is int and answer >= 0,
        "symbols": lambda: isinstance(answer, list) and all(isinstance(v, Symbol) for v in answer),
        "declarations": lambda: isinstance(answer, list) and all(
            isinstance(v, tuple) and len(v) == 2 and isinstance(v[0], str) and isinstance(v[1], Symbol)
            for v in answer),
    }
    if not tests[kind]():
        raise ValueError(f"not an answer of {method}")
    return answer


def digest(answer: Answer) -> str:
    """A short hash of an answer: what a doc's stored result keeps of each lookup it made.
    Most answers are flags and counts, each hashed once a process."""
    if answer is None or type(answer) in (bool, int):
        key = (type(answer), answer)  # True == 1, but they are different answers
        known = _SCALAR_DIGESTS.get(key)
        if known is None:
            known = _SCALAR_DIGESTS[key] = _digest(answer)
        return known
    return _digest(answer)


def _digest(answer: Answer) -> str:
    text = json.dumps(encode(answer), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:20]


_SCALAR_DIGESTS: dict[tuple[type, object], str] = {}


def still_answered(recorded: Iterable[object], lookups: Lookups,
                   answers: dict[tuple[str, tuple[str | float, ...]], str] | None = None,
                   same: Collection[str] = ()) -> bool:
    """Does every recorded [method, args, digest] still get the same answer? `answers` memoises
    the digests for the run (many docs ask the same questions); the methods in `same` are
    known to answer as they did and are not asked again."""
    memo = answers if answers is not None else {}
    for item in recorded:  # thousands of items when a source changed: kept tight
        if type(item) is not list or len(item) != 3:
            return False
        method, args, before = item
        if type(method) is not str or method not in _LOOKUP_NAMES or type(args) is not list:
            return False
        for arg in args:
            if type(arg) is not str and type(arg) is not float:
                return False
        if method in same:
            continue
        question = (method, tuple(args))
        now = memo.get(question)
        if now is None:
            try:
                now = digest(getattr(lookups, method)(*args))
            except TypeError:  # not the method's arguments: not something this build recorded
                return False
            memo[question] = now
        if now != before:
            return False
    return True


def record_of(asked: dict[Question, Answer],
              digests: dict[tuple[str, tuple[str | float, ...]], str] | None = None) -> list[list[object]]:
    """What a doc's stored result keeps of its lookups: [method, args, digest of the answer].
    `digests` memoises the digests for the run, as for `still_answered` (docs ask alike)."""
    record: list[list[object]] = []
    for question, answer in asked.items():
        known = digests.get(question) if digests is not None else None
        if known is None:
            known = digest(answer)
            if digests is not None:
                digests[question] = known
        record.append([question[0], list(question[1]), known])
    return sorted(record, key=lambda item: json.dumps(item))
