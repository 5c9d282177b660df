"""Changed-lines mode (`check --since REF`): the findings a branch brought in since REF.

A finding is the branch's when its doc line was added or changed since REF, or when the
same check run on REF's tree did not report it (a source change broke a reference the
doc line did not touch). Findings only git history can give (a rename, a moved or
rewritten range) have no counterpart in a tree-only check of REF, so they count only
when the file they point into changed since REF.

REF's tree is written from git into the cache folder for the run and deleted after; it
shares the cache, so a file unchanged since REF is not parsed again.
"""

from __future__ import annotations

import io
import re
import shutil
import tarfile
import tempfile
from collections import Counter
from pathlib import Path

from doclint import baseline
from doclint.errors import DoclintError
from doclint.findings import Finding
from doclint.gitrun import GitUnavailable
from doclint.gitrun import git as _git

HISTORY_CODES = frozenset({"DL002", "DL003", "DL013"})
_HUNK = re.compile(rb"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@", re.MULTILINE)


def resolve(root: Path, ref: str) -> str:
    """The commit REF names, or a one-line error saying why there is none."""
    if ref.startswith("-"):
        raise DoclintError(f"--since: not a revision: {ref}")
    try:
        _git(root, "rev-parse", "--show-toplevel")
    except GitUnavailable:
        raise DoclintError("--since needs a git repository; the root is not in one") from None
    try:
        return _git(root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}").decode().strip()
    except GitUnavailable:
        shallow = _git(root, "rev-parse", "--is-shallow-repository").decode().strip() == "true"
        hint = (" This is a shallow clone: fetch REF's history first (for example "
                "`git fetch --deepen=100`, or `fetch-depth: 0` in actions/checkout)." if shallow else "")
        raise DoclintError(f"--since: {ref} is not a commit in this repository.{hint}") from None


def export(root: Path, commit: str, under: Path) -> Path:
    """REF's tree (the part under the root) as plain files in a new folder of `under`."""
    prefix = _git(root, "rev-parse", "--show-prefix").decode().strip()
    try:
        data = _git(root, "archive", "--format=tar", f"{commit}:{prefix}" if prefix else commit)
    except GitUnavailable as exc:
        raise DoclintError(f"--since: cannot read the tree of {commit[:8]}: {exc}") from None
    under.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="since-", dir=under))
    try:
        with tarfile.open(fileobj=io.BytesIO(data)) as archive:
            archive.extractall(folder, filter="data")  # no absolute paths, no links out of the folder
    except (tarfile.TarError, OSError) as exc:
        shutil.rmtree(folder, ignore_errors=True)
        raise DoclintError(f"--since: cannot write the tree of {commit[:8]}: {exc}") from None
    return folder


def use_config(folder: Path, config: Path | None) -> None:
    """Put today's config file in REF's tree in place of REF's own."""
    from doclint.config import CONFIG_FILES

    for name in (*CONFIG_FILES, "pyproject.toml"):
        (folder / name).unlink(missing_ok=True)
    if config is not None:
        shutil.copyfile(config, folder / ("pyproject.toml" if config.name == "pyproject.toml" else "doclint.toml"))


def changes(root: Path, commit: str) -> tuple[dict[str, set[int] | None], set[str]]:
    """Per doc path relative to the root, the lines added or changed since `commit` (None: the
    whole file is new); and every path changed, added, deleted or renamed since then."""
    diff = _git(root, "diff", "--relative", "-U0", "--no-color", "--no-ext-diff", "-M", commit, "--")
    lines: dict[str, set[int] | None] = {}
    touched: set[int] | None = None
    for line in diff.split(b"\n"):
        if line.startswith(b"+++ "):
            name = line[4:].rstrip(b"\t").decode("utf-8", "replace")
            touched = lines.setdefault(name[2:], set()) if name.startswith("b/") else None
        elif line.startswith(b"@@") and touched is not None:
            match = _HUNK.match(line)
            if match:
                start, count = int(match.group(1)), int(match.group(2) or "1")
                touched.update(range(start, start + count))
    names = _git(root, "diff", "--relative", "--name-only", "--no-renames", "-z", commit, "--")
    changed = {n.decode("utf-8", "replace") for n in names.split(b"\0") if n}
    untracked = _git(root, "ls-files", "--others", "--exclude-standard", "-z")
    for entry in untracked.split(b"\0"):
        if entry:
            path = entry.decode("utf-8", "replace")
            lines[path] = None
            changed.add(path)
    return lines, changed


def new_findings(head: list[Finding], head_root: Path, before: list[Finding], before_root: Path,
                 lines: dict[str, set[int] | None], changed: set[str]) -> list[Finding]:
    """The findings of `head` that the branch brought in (see the module's docstring)."""
    old = Counter(baseline.keys_of(before_root, before))
    kept = []
    for finding, key in zip(head, baseline.keys_of(head_root, head), strict=True):
        touched = lines.get(finding.path, set())
        if touched is None or finding.span.line in touched:
            kept.append(finding)
        elif old[key] > 0:
            old[key] -= 1
        elif finding.code not in HISTORY_CODES or {finding.target, finding.suggestion} & changed:
            kept.append(finding)
    return kept
