"""Apply fixes to docs: only the fixed spans change, atomically, or not at all.

Every byte outside the edited spans is kept: encoding and BOM, line endings, the final
newline, permissions. A doc that changed since doclint read it is left alone, and so
is one reached through a symlink or outside the root.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from doclint.findings import Edit, Finding

_LINE_START = re.compile(r"\r\n|\r|\n")


@dataclass
class FixOutcome:
    fixed: dict[str, int] = field(default_factory=dict)  # path -> edits applied
    diffs: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # one line each: what was not fixed, and why

    @property
    def total(self) -> int:
        return sum(self.fixed.values())


def digest_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def apply_fixes(root: Path, findings: list[Finding], digests: dict[str, str], write: bool) -> FixOutcome:
    outcome = FixOutcome()
    by_path: dict[str, list[Edit]] = {}
    for finding in findings:
        if finding.fix is not None:
            by_path.setdefault(finding.path, []).extend(finding.fix.edits)
    real_root = os.path.realpath(root)
    for path, edits in sorted(by_path.items()):
        target = root / path
        if os.path.islink(target) or not os.path.realpath(target).startswith(real_root + os.sep):
            outcome.problems.append(f"{path}: not fixed: it is a symlink or outside the root")
            continue
        try:
            data = target.read_bytes()
        except OSError as exc:
            outcome.problems.append(f"{path}: not fixed: cannot read ({exc.strerror})")
            continue
        if path in digests and digest_bytes(data) != digests[path]:
            outcome.problems.append(f"{path}: not fixed: it changed since doclint read it; run again")
            continue
        new_data, applied = rewrite(data, edits)
        if new_data is None:
            outcome.problems.append(f"{path}: not fixed: it is not valid UTF-8")
            continue
        if new_data == data:
            continue
        if write:
            error = _replace(target, data, new_data)
            if error:
                outcome.problems.append(f"{path}: not fixed: {error}")
                continue
        else:
            outcome.diffs.append(_diff(path, data, new_data))
        outcome.fixed[path] = applied
    return outcome


def rewrite(data: bytes, edits: list[Edit]) -> tuple[bytes | None, int]:
    """The file's bytes with the edits applied (later edits first; overlapping ones skipped)."""
    bom = data.startswith(b"\xef\xbb\xbf")
    try:
        text = data[3 if bom else 0 :].decode("utf-8")
    except UnicodeDecodeError:
        return None, 0
    starts = [0] + [m.end() for m in _LINE_START.finditer(text)]
    placed: list[tuple[int, int, str]] = []
    for edit in edits:
        span = edit.span
        if not (1 <= span.line <= len(starts) and 1 <= span.end_line <= len(starts)):
            continue
        begin = starts[span.line - 1] + span.column - 1
        end = starts[span.end_line - 1] + span.end_column - 1
        line_end = starts[span.end_line] if span.end_line < len(starts) else len(text)
        if not (0 <= begin <= end <= line_end) or "\n" in edit.replacement or "\r" in edit.replacement:
            continue
        placed.append((begin, end, edit.replacement))
    applied = 0
    last_begin = len(text) + 1
    for begin, end, replacement in sorted(set(placed), key=lambda e: (e[0], e[1]), reverse=True):
        if end > last_begin:
            continue  # overlaps an edit already applied; the next run picks it up
        text = text[:begin] + replacement + text[end:]
        last_begin = begin
        applied += 1
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"), applied


def _replace(target: Path, expected: bytes, new_data: bytes) -> str | None:
    """Write new_data over target atomically, keeping its mode; None on success, else why not."""
    try:
        mode = target.stat().st_mode & 0o7777
    except OSError as exc:
        return f"cannot stat ({exc.strerror})"
    if not mode & 0o222 or not os.access(target, os.W_OK):
        return "the file is read-only"  # even for root: the mode says hands off
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".doclint", dir=target.parent)
    except OSError as exc:
        return f"cannot create a temporary file next to it ({exc.strerror})"
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(new_data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, mode)
        if target.read_bytes() != expected:  # changed while we were writing
            os.unlink(temp)
            return "it changed while doclint was fixing it; run again"
        os.replace(temp, target)
    except OSError as exc:
        if os.path.exists(temp):
            os.unlink(temp)
        return f"cannot write ({exc.strerror})"
    return None


def _diff(path: str, old: bytes, new: bytes) -> str:
    before = old.decode("utf-8", "replace").splitlines(keepends=True)
    after = new.decode("utf-8", "replace").splitlines(keepends=True)
    return "".join(difflib.unified_diff(before, after, fromfile=f"a/{path}", tofile=f"b/{path}"))
