"""A run after some docs were edited takes the other docs' results, and the sources' problems,
from the last run's record (`reuse.LastRun`) and agrees with a --no-cache run."""

from __future__ import annotations

import json
import os
import subprocess

from conftest import DOCLINT, RUNTIME_TS, installed, write_tree

from doclint import reuse


def _checked(root):
    """How many docs the installed command checked, and its findings (asserted to be a
    --no-cache run's)."""
    run = subprocess.run([str(DOCLINT), "check", "--format", "json"], cwd=root, capture_output=True, text=True,
                         env={**os.environ, "DOCLINT_DEBUG": "1"}, timeout=120)
    fresh = installed(["check", "--format", "json", "--no-cache"], cwd=root)
    line = next(text for text in run.stderr.splitlines() if text.startswith("doclint: debug:"))
    found = json.loads(run.stdout)["findings"]
    assert found == json.loads(fresh.stdout)["findings"]
    return int(line.split()[2]), [(f["path"], f["code"]) for f in found]


def _repo(tmp_path):
    return write_tree(tmp_path / "repo", {
        "doclint.toml": 'docs = ["docs/*.md"]\n',
        "src/runtime/executor.ts": RUNTIME_TS + "// The phases: see docs/a.md#phase-two\n",
        "docs/a.md": "# A\n\n## Phase two\n\nCalls `executeFrame()`.\n",
        "docs/b.md": "# B\n\nSee [the second phase](a.md#phase-two).\n",
        "docs/c.md": "# C\n\nUses `FrameRunner.run`.\n",
        "docs/d.md": "# D\n\nNothing to check here.\n",
    })


def test_an_edited_doc_is_the_only_one_checked_again(tmp_path):
    root = _repo(tmp_path)
    assert _checked(root) == (4, [])
    (root / "docs/c.md").write_text("# C\n\nUses `FrameRunner.rum`.\n")
    assert _checked(root) == (1, [("docs/c.md", "DL004")])
    (root / "docs/d.md").write_text("# D\n\nStill nothing.\n")
    assert _checked(root) == (1, [("docs/c.md", "DL004")])  # c's finding carried from the record


def test_a_doc_other_docs_and_comments_link_into_takes_them_along(tmp_path):
    """b links to an anchor in a, and so does a comment in the source: when a loses the
    heading, b is checked again and the source's comment too (both carried otherwise)."""
    root = _repo(tmp_path)
    assert _checked(root) == (4, [])
    (root / "docs/a.md").write_text("# A\n\n## Phase 2\n\nCalls `executeFrame()`.\n")
    checked, found = _checked(root)
    assert checked == 2 and sorted(found) == [("docs/b.md", "DL007"), ("src/runtime/executor.ts", "DL010")]
    (root / "docs/d.md").write_text("# D\n\nAn edit elsewhere.\n")
    checked, found = _checked(root)
    assert checked == 1 and sorted(found) == [("docs/b.md", "DL007"), ("src/runtime/executor.ts", "DL010")]
    (root / "docs/a.md").write_text("# A\n\n## Phase two\n\nCalls `executeFrame()`.\n")
    assert _checked(root) == (1, [])  # b; a's own row from the first run holds for these bytes


def test_after_a_source_edit_the_records_entries_are_asked_again(tmp_path):
    """From other sources, each entry in the record is checked as the doc's own row would be:
    its lookups asked again, and only the docs whose answers changed checked again."""
    root = _repo(tmp_path)
    assert _checked(root) == (4, [])
    executor = root / "src/runtime/executor.ts"
    executor.write_text(executor.read_text().replace("docs/a.md#phase-two", "docs/a.md#phase-three"))
    checked, found = _checked(root)
    assert checked == 0 and found == [("src/runtime/executor.ts", "DL010")]  # the docs' entries hold
    (root / "docs/d.md").write_text("# D\n\nAn edit.\n")
    assert _checked(root) == (1, [("src/runtime/executor.ts", "DL010")])
    executor.write_text(executor.read_text().replace("class FrameRunner", "class FrameWalker"))
    checked, found = _checked(root)  # c.md asked for `FrameRunner`: its answer changed
    assert checked == 1 and sorted(found) == [("docs/c.md", "DL004"), ("src/runtime/executor.ts", "DL010")]


def test_a_malformed_record_item_is_checked_again_not_trusted():
    paths = ["a.md", "b.md", "c.md", "d.md", "e.md", "f.md"]
    items = [["s1", "q1"], ["s1", "q2", 2, [], [], {"x": "y"}, [], "n2"], "s1", [], ["s1"], ["s1", 7]]
    last = reuse.LastRun({"docs": items, "paths": reuse._paths_key(paths), "sources": "k", "names": "n1"})
    last.align(paths[:4])
    assert last.held("a.md", "s1") is None  # made for other docs: nothing is read
    last.align(paths)
    assert last.held("a.md", "s1") == {"asked": "q1", "references": 0, "problems": [], "suppressions": [],
                                       "consulted": {}, "code": [], "names": "n1", "sources": "k"}
    held = last.held("b.md", "s1")
    assert held["consulted"] == {"x": "y"} and held["names"] == "n2" and held["references"] == 2
    assert last.held("a.md", "s2") is None  # other bytes
    assert last.held("c.md", "s1") is None and last.held("d.md", "s1") is None
    assert last.held("e.md", "s1") is None and last.held("f.md", "s1") is None  # no lookups record named
    assert reuse.LastRun("not a record").held("a.md", "s1") is None
    assert reuse.LastRun({"docs": []}).held("a.md", "s1") is None


def test_the_unedited_docs_rows_are_not_read(tmp_path, monkeypatch):
    """What makes the record worth keeping: after an edit, only the edited doc's own row is
    looked up; the other docs' results come from the one record."""
    from doclint.cache import Cache
    from doclint.cli import main

    root = _repo(tmp_path)
    monkeypatch.chdir(root)
    assert main(["check", "-q"]) == 0
    asked: list[int] = []
    real = Cache.get_many
    monkeypatch.setattr(Cache, "get_many", lambda self, kind, keys: (
        asked.append(len(keys)) if kind == "doc" else None) or real(self, kind, keys))
    (root / "docs/c.md").write_text("# C\n\nUses `FrameRunner.rum`.\n")
    assert main(["check", "-q"]) == 1
    assert asked == [1]
    asked.clear()
    executor = root / "src/runtime/executor.ts"
    executor.write_text(executor.read_text() + "// an edit\n")
    assert main(["check", "-q"]) == 1
    assert asked == [0]  # after a source edit too: the entries come from the record
    monkeypatch.setattr(reuse, "LAST_RUN", "another-kind")  # no record: every doc's row is read
    asked.clear()
    (root / "docs/c.md").write_text("# C\n\nUses `FrameRunner.run`, again.\n")
    assert main(["check", "-q"]) == 0
    assert asked == [4]


def test_the_rows_made_once_per_state_are_bounded(tmp_path, monkeypatch):
    """A whole result, a last-run record and a lookups' held row are made for each state of
    the inputs: an afternoon of edits keeps the newest few, not one per save."""
    import sqlite3

    from doclint.cli import main
    from doclint.linter import KEPT_RESULTS

    root = _repo(tmp_path)
    monkeypatch.chdir(root)
    executor = root / "src/runtime/executor.ts"
    for edit in range(KEPT_RESULTS + 4):
        (root / "docs/d.md").write_text(f"# D\n\nEdit {edit}.\n")
        if edit % 2:
            executor.write_text(executor.read_text() + f"// edit {edit}\n")
        assert main(["check", "-q"]) == 0
    db = sqlite3.connect(root / ".doclint_cache" / "cache-v2.sqlite")
    rows = dict(db.execute("SELECT substr(kind, 1, instr(kind, '@') - 1) AS plain, COUNT(*) FROM entries"
                           " GROUP BY plain").fetchall())
    assert rows["result"] == KEPT_RESULTS and rows[reuse.LAST_RUN] <= KEPT_RESULTS
    assert rows[reuse.HELD] <= reuse.KEPT_HELD
    (root / "docs/d.md").write_text("# D\n\nEdit 0.\n")  # d.md's own row for these bytes holds
    assert _checked(root) == (0, [])
