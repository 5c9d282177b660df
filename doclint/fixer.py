"""Apply fixes to docs: only the fixed spans change, atomically, or not at all.

Every byte outside the edited spans is kept: encoding and BOM, line endings, the final
newline, permissions and (when doclint may set it) the owner. A doc that changed since
doclint read it is left alone, and so is one reached through a symlink or outside the root.

Each doc is replaced by `doclint.writing.replace_unchanged`, which says why not when the
doc changed under it.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from doclint import writing
from doclint.findings import Edit, Finding

_LINE_START = re.compile(r"\r\n|\r|\n")
_CONTEXT = 3  # lines of context in a diff, as `diff -u` and difflib give


@dataclass
class FixOutcome:
    fixed: dict[str, int] = field(default_factory=dict)  # path -> edits applied
    diffs: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)  # one line each: what was not fixed, and why
    stale: list[str] = field(default_factory=list)  # docs whose bytes are not the ones checked

    @property
    def total(self) -> int:
        return sum(self.fixed.values())

    @property
    def problems(self) -> list[str]:
        changed = [f"{path}: not fixed: it changed since doclint read it; run again" for path in self.stale]
        return self.failures + changed

    def then(self, again: "FixOutcome") -> "FixOutcome":
        """This outcome followed by a second try at its stale docs."""
        failures = self.failures + [f for f in again.failures if f not in self.failures]  # not said twice
        return FixOutcome({**self.fixed, **again.fixed}, self.diffs + again.diffs, failures, again.stale)


def digest_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def apply_fixes(root: Path, findings: list[Finding], digests: dict[str, str], write: bool,
                unsafe: bool = False) -> FixOutcome:
    outcome = FixOutcome()
    by_path: dict[str, list[Edit]] = {}
    for finding in findings:
        if finding.fix is not None and (finding.fix.safe or unsafe):
            by_path.setdefault(finding.path, []).extend(finding.fix.edits)
    real_root = os.path.realpath(root)
    if write:
        outcome.failures.extend(writing.remove_stale_temps(root, set(digests) | set(by_path)))
    for path, edits in sorted(by_path.items()):
        target = root / path
        if os.path.islink(target) or not os.path.realpath(target).startswith(real_root + os.sep):
            outcome.failures.append(f"{path}: not fixed: it is a symlink or outside the root")
            continue
        try:
            data = target.read_bytes()
        except OSError as exc:
            outcome.failures.append(f"{path}: not fixed: cannot read ({exc.strerror})")
            continue
        if path in digests and digest_bytes(data) != digests[path]:
            outcome.stale.append(path)
            continue
        new_data, applied = rewrite(data, edits)
        if new_data is None:
            outcome.failures.append(f"{path}: not fixed: it is not valid UTF-8")
            continue
        if new_data == data:
            continue
        if write:
            error = writing.replace_unchanged(target, data, new_data)
            if error:
                outcome.failures.append(f"{path}: not fixed: {error}")
                continue
        else:
            outcome.diffs.append(unified_diff(path, data, new_data))
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
    pieces: list[str] = []  # the text after each applied edit, last first: one join, not a copy per edit
    for begin, end, replacement in sorted(set(placed), key=lambda e: (e[0], e[1]), reverse=True):
        if end > last_begin:
            continue  # overlaps an edit already applied; the next run picks it up
        pieces += (text[end:last_begin], replacement)
        last_begin = begin
        applied += 1
    pieces.append(text[: min(last_begin, len(text))])
    return (b"\xef\xbb\xbf" if bom else b"") + "".join(reversed(pieces)).encode("utf-8"), applied


# --------------------------------------------------------------------------- diffs


def unified_diff(path: str, old: bytes, new: bytes) -> str:
    """difflib.unified_diff of the two texts, in linear time when fixes only changed lines
    in place (they never add or remove one); difflib itself otherwise."""
    before = old.decode("utf-8", "replace").splitlines(keepends=True)
    after = new.decode("utf-8", "replace").splitlines(keepends=True)
    if len(before) != len(after):
        return "".join(difflib.unified_diff(before, after, fromfile=f"a/{path}", tofile=f"b/{path}"))
    changed = [i for i, (a, b) in enumerate(zip(before, after, strict=True)) if a != b]
    if not changed:
        return ""
    out = [f"--- a/{path}\n", f"+++ b/{path}\n"]
    hunks: list[list[int]] = [[changed[0]]]
    for index in changed[1:]:  # difflib starts a new hunk after more than twice the context
        if index - hunks[-1][-1] - 1 > 2 * _CONTEXT:
            hunks.append([])
        hunks[-1].append(index)
    for hunk in hunks:
        start, stop = max(hunk[0] - _CONTEXT, 0), min(hunk[-1] + 1 + _CONTEXT, len(before))
        where = f"{start + 1},{stop - start}" if stop - start != 1 else str(start + 1)
        out.append(f"@@ -{where} +{where} @@\n")
        line, run = start, set(hunk)
        while line < stop:
            if line not in run:
                out.append(" " + before[line])
                line += 1
                continue
            end = line
            while end < stop and end in run:
                end += 1
            out += ["-" + text for text in before[line:end]]
            out += ["+" + text for text in after[line:end]]
            line = end
    return "".join(out)
