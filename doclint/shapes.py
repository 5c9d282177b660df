"""The shape of JSON that doclint reads back (the lock), checked before anything uses it.

A lock is committed and may be edited by hand or by anyone with write access to the
repository: whatever it holds must end in a clear error naming the key and what was
expected, never in a traceback half-way through a check. Each shape checks a value and,
for containers, its parts; the first mismatch raises `Mismatch`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePosixPath

LARGEST = 2**31 - 1  # no line number or count is larger; anything beyond is not one
MISSING = object()  # what a required key holds when it is absent


class Mismatch(ValueError):
    def __init__(self, key: str, expected: str, found: object):
        super().__init__(f"key '{key}': expected {expected}, found {_describe(found)}")


def _describe(value: object) -> str:
    if value is MISSING:
        return "nothing (the key is missing)"
    if value is None or isinstance(value, bool):
        return json.dumps(value)
    if isinstance(value, (int, float)):
        return f"the number {value!r:.40}"
    if isinstance(value, str):
        return f"the string {json.dumps(value[:40])}" + ("..." if len(value) > 40 else "")
    return "a list" if isinstance(value, list) else "an object"


def _at(key: str, part: str | int) -> str:
    if isinstance(part, int):
        return f"{key}[{part}]"
    return f"{key}.{part}" if key else part


class Shape:
    @property
    def expected(self) -> str:
        return "a value"

    def check(self, value: object, key: str) -> None:
        raise NotImplementedError


@dataclass
class Integer(Shape):
    minimum: int = 0

    @property
    def expected(self) -> str:
        return f"a whole number from {self.minimum} to {LARGEST}"

    def check(self, value: object, key: str) -> None:
        if not isinstance(value, int) or isinstance(value, bool) or not self.minimum <= value <= LARGEST:
            raise Mismatch(key, self.expected, value)


@dataclass
class Text(Shape):
    choices: tuple[str, ...] = ()
    test: Callable[[str], bool] | None = None  # a further condition, described by `meaning`
    meaning: str = ""

    @property
    def expected(self) -> str:
        if self.choices:
            return "one of " + ", ".join(json.dumps(c) for c in self.choices)
        return self.meaning or "a string"

    def check(self, value: object, key: str) -> None:
        if not isinstance(value, str) or (self.choices and value not in self.choices) \
                or (self.test is not None and not self.test(value)):
            raise Mismatch(key, self.expected, value)


def is_relative_path(path: str) -> bool:
    """A path inside whatever root it is taken from: not absolute, no `..`."""
    return not PurePosixPath(path).is_absolute() and ".." not in path.split("/") and "\\" not in path


RELATIVE_PATH = Text(test=is_relative_path, meaning="a path relative to the root, without `..`")


class Flag(Shape):
    expected = "true or false"

    def check(self, value: object, key: str) -> None:
        if not isinstance(value, bool):
            raise Mismatch(key, self.expected, value)


@dataclass
class Maybe(Shape):
    shape: Shape

    @property
    def expected(self) -> str:
        return f"null or {self.shape.expected}"

    def check(self, value: object, key: str) -> None:
        if value is not None:
            self.shape.check(value, key)


@dataclass
class ListOf(Shape):
    item: Shape

    @property
    def expected(self) -> str:
        return "a list"

    def check(self, value: object, key: str) -> None:
        if not isinstance(value, list):
            raise Mismatch(key, self.expected, value)
        for index, item in enumerate(value):
            self.item.check(item, _at(key, index))


@dataclass
class Row(Shape):
    """A fixed-length list: [path, line], [title, path, line]."""

    items: tuple[Shape, ...]

    @property
    def expected(self) -> str:
        return f"a list of {len(self.items)}: " + ", ".join(s.expected for s in self.items)

    def check(self, value: object, key: str) -> None:
        if not isinstance(value, list) or len(value) != len(self.items):
            raise Mismatch(key, self.expected, value)
        for index, (shape, item) in enumerate(zip(self.items, value, strict=True)):
            shape.check(item, _at(key, index))


@dataclass
class MapOf(Shape):
    value: Shape
    keys: Text = field(default_factory=Text)

    @property
    def expected(self) -> str:
        return "an object"

    def check(self, value: object, key: str) -> None:
        if not isinstance(value, dict):
            raise Mismatch(key, self.expected, value)
        for name, item in value.items():
            where = f"{key}[{json.dumps(name)}]"
            self.keys.check(name, where)
            self.value.check(item, where)


@dataclass
class Record(Shape):
    required: dict[str, Shape]
    optional: dict[str, Shape] = field(default_factory=dict)

    @property
    def expected(self) -> str:
        return "an object with " + ", ".join(self.required)

    def check(self, value: object, key: str) -> None:
        if not isinstance(value, dict):
            raise Mismatch(key, self.expected, value)
        for name, shape in self.required.items():
            if name not in value:
                raise Mismatch(_at(key, name), shape.expected, MISSING)
            shape.check(value[name], _at(key, name))
        for name, shape in self.optional.items():
            if name in value:
                shape.check(value[name], _at(key, name))
