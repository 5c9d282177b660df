"""A progress line on stderr for long runs on a terminal: files parsed, then docs checked.

Nothing is shown in the first second, in a pipe, under CI, or with --quiet; the line is
rewritten in place and erased when the run ends, so the output that follows is clean.
"""

from __future__ import annotations

import os
import sys
import time
from typing import TextIO

DELAY_SECONDS = 1.0


class Progress:
    def __init__(self, stream: TextIO, delay: float = DELAY_SECONDS):
        self.stream = stream
        self.start = time.monotonic()
        self.delay = delay
        self.shown = False

    @staticmethod
    def for_terminal(quiet: bool) -> "Progress | None":
        if quiet or os.environ.get("CI") or not sys.stderr.isatty():
            return None
        try:  # the tests set a shorter delay
            delay = float(os.environ.get("DOCLINT_PROGRESS_DELAY", DELAY_SECONDS))
        except ValueError:
            delay = DELAY_SECONDS
        return Progress(sys.stderr, delay)

    def parsed(self, done: int, total: int) -> None:
        self._show(f"doclint: parsed {done}/{total} files")

    def checked(self, done: int, total: int) -> None:
        self._show(f"doclint: checked {done}/{total} docs")

    def _show(self, text: str) -> None:
        if not self.shown and time.monotonic() - self.start < self.delay:
            return
        self.shown = True
        self.stream.write("\r\x1b[2K" + text)
        self.stream.flush()

    def close(self) -> None:
        if self.shown:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()
            self.shown = False
