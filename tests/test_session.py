"""The Session (the engine's one-doc entry point) answers as `doclint check` does."""

from __future__ import annotations

from pathlib import Path

from conftest import RUNTIME_TS, check_json, git, invoke, write_tree
from doclint.linter import Options
from doclint.session import Session

DOCS = {
    "docs/a.md": "# A\n\nSee `src/runtime/executor.ts:24-41`, `executeFrames()` and `RuntimeState.valuez`.\n"
                 "Also [b](b.md#nowhere), [gone](old/b.md) and `src/runtime/missing.ts`.\n"
                 "<!-- doclint-disable-next-line DL004 -->\n`runFrame()` is suppressed.\n",
    "docs/b.md": "# B\n\n## Part\n\n[a](a.md#a) and [self](#part) hold; `src/runtime/executor.ts:900` does not.\n",
    "CLAUDE.md": "Read [the guide](docs/guide.md) first.\n",
}


def committed_repo(root: Path) -> Path:
    """A repository whose history renames a file the docs still name (a drift finding)."""
    write_tree(root, {"doclint.toml": 'docs = ["docs/**/*.md"]\n', "src/runtime/executor.ts": RUNTIME_TS,
                      "src/old-name.ts": "export const x = 1;\n", **DOCS,
                      "docs/c.md": "# C\n\nSee `src/old-name.ts`.\n"})
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "one")
    git(root, "mv", "src/old-name.ts", "src/new-name.ts")
    git(root, "commit", "-q", "-m", "rename")
    return root


def keyed(findings) -> list[tuple]:
    return sorted((f.path, f.span.line, f.span.column, f.code, f.severity, f.message) for f in findings)


def test_every_doc_gets_the_findings_of_doclint_check(tmp_path):
    root = committed_repo(tmp_path / "repo")
    checked = check_json(root).json["findings"]
    expected = sorted((f["path"], f["line"], f["column"], f["code"], f["severity"], f["message"]) for f in checked)
    session = Session(Options(root=root))
    mine = keyed([f for doc in session.docs for f in session.check_doc(doc)])
    assert mine == expected
    assert {"DL002", "DL003", "DL004", "DL006", "DL007"} <= {f[3] for f in mine}
    assert ("docs/c.md", "DL002") in {(f[0], f[3]) for f in mine}  # from git history: the saved text is blamed


def test_text_given_is_checked_without_touching_the_file(tmp_path):
    root = committed_repo(tmp_path / "repo")
    session = Session(Options(root=root))
    edited = DOCS["docs/b.md"] + "\nNow `src/runtime/executor.ts:70` too.\n"
    found = session.check_doc("docs/b.md", edited)
    assert [(f.span.line, f.code) for f in found] == [(5, "DL003"), (7, "DL003")]
    assert (root / "docs/b.md").read_text() == DOCS["docs/b.md"]
    # other docs see the edited text: a.md's link to `#nowhere` holds once b.md has that heading
    session.check_doc("docs/b.md", DOCS["docs/b.md"] + "\n## Nowhere\n")
    assert "DL007" not in {f.code for f in session.check_doc("docs/a.md")}


def test_baseline_accepts_by_text_of_the_buffer(tmp_path):
    root = committed_repo(tmp_path / "repo")
    assert invoke("baseline", "--root", str(root)).exit_code == 0
    session = Session(Options(root=root))
    assert session.check_doc("docs/a.md") == []
    moved = "Intro line.\n" + DOCS["docs/a.md"]  # lines shift: the baseline still matches
    assert session.check_doc("docs/a.md", moved) == []
    added = DOCS["docs/a.md"] + "And `src/runtime/other-missing.ts`.\n"
    assert [f.code for f in session.check_doc("docs/a.md", added)] == ["DL001"]
