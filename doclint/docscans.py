"""The Markdown scans a run has come by: a store the Workspace is built with and reads from.

A selected doc parsed this run arrives from the worker pool as the scheduler streams it in
(None when it was too slow to parse); one whose scan the cache holds is loaded on first ask,
through the loader the store is made with; any other Markdown file is parsed when a check
first asks for its anchors. An editor's text stands in for a doc's file (`give`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from doclint.mdrefs import DocScan
from doclint.scanning import load_scans

if TYPE_CHECKING:
    from doclint.cache import Cache
    from doclint.scanning import Hashed

Loader = Callable[[str], "DocScan | None"]  # a selected doc's path -> its scan from the cache


class DocScans:
    def __init__(self, load: Loader | None = None) -> None:
        """`load`: how a selected doc's scan is read from the cache (none: it is parsed)."""
        self._load = load
        self._scans: dict[str, DocScan | None] = {}  # key: a root-relative path, `root::path` in another tree
        self._texts: dict[str, str] = {}  # doc path -> its text as an editor holds it (not saved)
        self.asked: set[str] | None = None  # when a set: every key whose scan is asked for (`scan`)

    def get(self, key: str) -> DocScan | None:
        """The scan the run has of `key`, without reading anything (None also when it has none)."""
        return self._scans.get(key)

    def skipped(self, key: str) -> bool:
        """Is `key` known to have no scan (unreadable, or too slow to parse)?"""
        return key in self._scans and self._scans[key] is None

    def scan(self, key: str, selected: bool, parse: Callable[[], DocScan | None]) -> DocScan | None:
        """The scan of `key`, worked out once: a selected doc's from the cache when the store
        has a loader, any other by `parse`."""
        if self.asked is not None:
            self.asked.add(key)
        if key not in self._scans:
            self._scans[key] = self._load(key) if selected and self._load is not None else parse()
        return self._scans[key]

    def arrived(self, path: str, scan: DocScan | None) -> None:
        """A selected doc's scan, parsed this run (None: skipped, too slow to parse)."""
        self._scans[path] = scan

    def give(self, path: str, text: str, scan: DocScan) -> None:
        """A doc's text as an editor holds it, and its scan: they stand in for the file's."""
        self._scans[path] = scan
        self._texts[path] = text

    def given_text(self, path: str) -> str | None:
        return self._texts.get(path)


def from_cache(root: Path, hashed_docs: dict[str, Hashed], cache: Cache, max_parse_seconds: float,
               notices: list[str]) -> DocScans:
    """A store whose selected docs' scans load from `cache` on first ask (the scheduler puts
    in the ones it parses)."""

    def load(path: str) -> DocScan | None:
        found = load_scans("md", str(root), {path: hashed_docs[path]}, cache, 1, max_parse_seconds, notices)
        scan = found.get(path)
        return scan if isinstance(scan, DocScan) else None

    return DocScans(load)
