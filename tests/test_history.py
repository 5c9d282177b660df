"""Drift through git history, and `doclint fix`, on real repositories built in tmp_path."""

from __future__ import annotations

import json
import os
import stat
import subprocess
from pathlib import Path

import pytest

from conftest import check_json, git, installed, invoke, run_subprocess, write_tree

from doclint.findings import Edit, Span
from doclint.fixer import rewrite

FUNCS = "export function alpha() {\n  return 1;\n}\n\nexport function beta() {\n  return 2;\n}\n"


def commit_all(root: Path, message: str) -> None:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)


def shallow_clone(history: Path, tmp_path: Path, depth: int) -> Path:
    clone = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", str(depth), f"file://{history}", str(clone))
    return clone


def drift_found(root: Path, *args: str) -> list[tuple[str, int, str | None]]:
    """(code, line, suggestion) of each finding of a check run in-process."""
    return [(f["code"], f["line"], f.get("suggestion")) for f in check_json(root, *args).json["findings"]]


@pytest.fixture
def history(tmp_path):
    root = tmp_path / "proj"
    root.mkdir()
    git(root, "init", "-q")
    write_tree(root, {"doclint.toml": 'docs = ["docs/**/*.md"]\n', "src/funcs.ts": FUNCS})
    return root


def test_moved_lines_are_followed_and_fixed(history):
    write_tree(history, {"docs/a.md": "Beta is `src/funcs.ts:5-7`; see [beta](../src/funcs.ts#L5-L7).\n"})
    commit_all(history, "doc")
    (history / "src/funcs.ts").write_text("// header\n// more\n\n" + FUNCS)
    commit_all(history, "insert three lines")
    found = check_json(history).json["findings"]
    assert [(f["code"], f["suggestion"]) for f in found] == [("DL003", "8-10"), ("DL003", "8-10")]
    assert "moved to 8-10" in found[0]["message"]
    assert invoke("fix", "--root", str(history)).exit_code == 0
    assert (history / "docs/a.md").read_text() == "Beta is `src/funcs.ts:8-10`; see [beta](../src/funcs.ts#L8-L10).\n"
    before = (history / "docs/a.md").read_bytes()
    assert invoke("fix", "--root", str(history)).exit_code == 0
    assert (history / "docs/a.md").read_bytes() == before  # idempotent


def test_docs_blamed_together_and_one_by_one_agree(history):
    """Several docs needing blame have it run ahead, several at a time; --jobs 1 blames
    them one by one. Both see the same drift, including a doc line written later."""
    docs = {f"docs/d{n}.md": f"# D{n}\n\n" + "Text.\n\n" * n + "Beta is `src/funcs.ts:5-7`.\n" for n in range(6)}
    write_tree(history, docs)
    commit_all(history, "docs")
    write_tree(history, {path: text + "\nMore words.\n" for path, text in docs.items()})
    commit_all(history, "docs grow: two commits each, so each needs a real blame")
    (history / "src/funcs.ts").write_text("// header\n\n" + FUNCS)
    commit_all(history, "insert two lines")
    write_tree(history, {"docs/d0.md": "# D0\n\nBeta is `src/funcs.ts:7-9`.\n\nMore words.\n"})
    commit_all(history, "d0 brought up to date")
    together = check_json(history, "--no-cache", "--jobs", "2").json["findings"]
    one_by_one = check_json(history, "--no-cache", "--jobs", "1").json["findings"]
    assert together == one_by_one
    assert sorted((f["path"], f["code"], f["suggestion"]) for f in together) == [
        (f"docs/d{n}.md", "DL003", "7-9") for n in range(1, 6)]


def _side_branch(root: Path) -> None:
    """A branch `side` with one commit of its own, to be merged later; back on the first branch."""
    git(root, "checkout", "-q", "-b", "side")
    write_tree(root, {"src/other.ts": "export const other = 1;\n"})
    commit_all(root, "side work")
    git(root, "checkout", "-q", "-")


def test_a_doc_edited_only_in_a_merge_is_blamed_not_assumed(history):
    """A doc one commit added looks unchanged to `git log --name-status` when a merge
    rewrote it; its lines must still be blamed, not credited to that first commit."""
    write_tree(history, {"docs/a.md": "Beta is `src/funcs.ts:5-7`.\n"})
    commit_all(history, "doc")
    _side_branch(history)
    (history / "src/funcs.ts").write_text("// header\n\n" + FUNCS)
    commit_all(history, "insert two lines")
    git(history, "merge", "-q", "--no-commit", "--no-ff", "side")
    write_tree(history, {"docs/a.md": "Beta is `src/funcs.ts:7-9`.\n"})  # brought up to date in the merge
    git(history, "add", "-A")
    git(history, "commit", "-q", "-m", "merge side")
    assert check_json(history, "--no-cache").json["findings"] == []


def _blames(monkeypatch) -> list[str]:
    """The docs `git blame` is run on, from now on in this process."""
    from doclint.history import GitHistory

    blamed: list[str] = []
    real = GitHistory._blame
    monkeypatch.setattr(GitHistory, "_blame", lambda self, path, lines: blamed.append(path) or real(self, path, lines))
    return blamed


def _git_blames_alone(root: Path, monkeypatch) -> list:
    """The findings of a cold check with every doc blamed by git (no doc credited to one commit)."""
    from doclint.history import GitHistory

    with monkeypatch.context() as patch:
        patch.setattr(GitHistory, "sole_author", lambda self, path: None)
        return check_json(root, "--no-cache").json["findings"]


def _moved_after_the_code(history: Path) -> None:
    """docs/plans/a.md written once; the code it points at moves; then the doc is moved whole."""
    write_tree(history, {"docs/plans/a.md": "# A\n\nBeta is `src/funcs.ts:5-7`.\n"})
    commit_all(history, "doc")
    (history / "src/funcs.ts").write_text("// header\n\n" + FUNCS)
    commit_all(history, "insert two lines")
    (history / "docs/archive").mkdir()
    git(history, "mv", "docs/plans/a.md", "docs/archive/a.md")
    commit_all(history, "archive the plan")


def test_a_doc_moved_whole_is_credited_to_the_commit_that_added_it_without_a_blame(history, monkeypatch):
    """git follows a rename when it blames: every line of a doc that was added once and then
    moved (to an archive folder, say) without an edit is the adding commit's, known without
    running git blame, and drift finds what the blame would have it find."""
    _moved_after_the_code(history)
    blamed = _blames(monkeypatch)
    found = check_json(history, "--no-cache").json["findings"]
    assert [(f["path"], f["code"], f["suggestion"]) for f in found] == [("docs/archive/a.md", "DL003", "7-9")]
    assert blamed == []
    assert _git_blames_alone(history, monkeypatch) == found and blamed == ["docs/archive/a.md"]


@pytest.mark.parametrize("how", ["edited in the move", "edited before the move", "old name written again"])
def test_a_doc_moved_but_written_to_is_blamed(history, monkeypatch, how):
    """A move is no proof of one author when the doc changed in it, its old name was written
    to before it, or something else was written under the old name since: git blames it."""
    write_tree(history, {"docs/plans/a.md": "# A\n\nBeta is `src/funcs.ts:5-7`.\n\n" + "Words.\n" * 12})
    commit_all(history, "doc")
    (history / "src/funcs.ts").write_text("// header\n\n" + FUNCS)
    commit_all(history, "insert two lines")
    old, new = history / "docs/plans/a.md", history / "docs/archive/a.md"
    if how == "edited before the move":
        old.write_text(old.read_text() + "More.\n")
        commit_all(history, "the plan grows")
    (history / "docs/archive").mkdir()
    git(history, "mv", "docs/plans/a.md", "docs/archive/a.md")
    if how == "edited in the move":
        new.write_text(new.read_text() + "Done.\n")
    commit_all(history, "archive the plan")
    if how == "old name written again":
        write_tree(history, {"docs/plans/a.md": "# A, again\n"})
        commit_all(history, "a new plan under the old name")
    blamed = _blames(monkeypatch)
    found = check_json(history, "--no-cache").json["findings"]
    assert "docs/archive/a.md" in blamed
    assert [(f["path"], f["code"], f["suggestion"]) for f in found] == [("docs/archive/a.md", "DL003", "7-9")]
    assert _git_blames_alone(history, monkeypatch) == found


def _nested(tmp_path: Path, doc: str) -> tuple[Path, Path]:
    """A repository `top` whose doclint root `top/proj` lies below it, with the doc committed."""
    top = tmp_path / "top"
    root = top / "proj"
    root.mkdir(parents=True)
    git(top, "init", "-q")
    write_tree(root, {"doclint.toml": 'docs = ["docs/**/*.md"]\n', "src/funcs.ts": FUNCS,
                      "docs/a.md": doc})
    commit_all(top, "doc")
    return top, root


def test_a_root_below_the_repository_top_is_blamed_from_there(tmp_path):
    top, root = _nested(tmp_path, "# A\n\nBeta is `src/funcs.ts:5-7`.\n")
    write_tree(root, {"docs/a.md": "# A\n\nBeta is `src/funcs.ts:5-7`.\n\nMore.\n"})
    commit_all(top, "doc grows: two commits, so it needs a real blame")
    (root / "src/funcs.ts").write_text("// header\n\n" + FUNCS)
    commit_all(top, "insert two lines")
    found = check_json(root, "--no-cache").json["findings"]
    assert [(f["code"], f["suggestion"]) for f in found] == [("DL003", "7-9")]


def test_renamed_file_whose_linked_lines_are_all_rewritten(history):
    shared = "".join(f"export const keep{n} = {n};\n" for n in range(30))
    write_tree(history, {"src/big.ts": "export const a = 1;\nexport const b = 2;\n" + shared,
                         "docs/a.md": "See [a and b](../src/big.ts#L1-L2).\n"})
    commit_all(history, "doc")
    git(history, "mv", "src/big.ts", "src/lib.ts")
    (history / "src/lib.ts").write_text("export const c = 3;\nexport const d = 4;\n" + shared)
    commit_all(history, "rename, and rewrite the two lines the doc links to")
    run = check_json(history, "--no-cache")
    assert run.exit_code == 1, run.stderr
    codes = [(f["code"], f["suggestion"]) for f in run.json["findings"]]
    assert ("DL002", "../src/lib.ts#L1-L2") in codes  # the range kept as written: none of it survived


def test_root_relative_link_to_a_renamed_file(history):
    write_tree(history, {"docs/a.md": "See [funcs](/src/funcs.ts).\n"})
    commit_all(history, "doc")
    git(history, "mv", "src/funcs.ts", "src/functions.ts")
    commit_all(history, "rename")
    found = check_json(history, "--no-cache").json["findings"]
    assert [(f["code"], f["suggestion"]) for f in found] == [("DL002", "/src/functions.ts")]


def test_renamed_file_with_edit_is_followed_into_its_new_name(history):
    write_tree(history, {"docs/a.md": "Alpha lives in `src/funcs.ts` (lines 1-3), also `funcs.ts:5-7`.\n"})
    commit_all(history, "doc")
    (history / "src/lib").mkdir()
    git(history, "mv", "src/funcs.ts", "src/lib/functions.ts")
    (history / "src/lib/functions.ts").write_text("// moved\n" + FUNCS)
    commit_all(history, "rename plus edit")
    found = check_json(history).json["findings"]
    summary = [(f["code"], f["column"], f["suggestion"]) for f in found]
    assert summary == [("DL002", 17, "src/lib/functions.ts"), ("DL003", 38, "2-4"),
                       ("DL002", 50, "functions.ts"), ("DL003", 59, "6-8")]
    invoke("fix", "--root", str(history))
    assert (history / "docs/a.md").read_text() == (
        "Alpha lives in `src/lib/functions.ts` (lines 2-4), also `functions.ts:6-8`.\n")
    assert check_json(history).json["findings"] == []


def test_deleted_file_stays_missing_and_rewritten_lines_are_drift(history):
    write_tree(history, {"src/gone.ts": "export const g = 1;\n",
                         "docs/a.md": "File: `src/gone.ts`. Beta body: `src/funcs.ts:5-7`.\n"})
    commit_all(history, "doc")
    os.remove(history / "src/gone.ts")
    (history / "src/funcs.ts").write_text(FUNCS.replace("return 2;", "return compute(2);").replace(
        "export function beta() {", "export function beta(x: number) {"))
    commit_all(history, "delete and rewrite")
    found = check_json(history).json["findings"]
    assert [(f["code"], f["severity"]) for f in found] == [("DL001", "error"), ("DL013", "warning")]
    # only the closing brace survived: no content to anchor on, so no new place is claimed
    assert found[1]["message"].startswith("lines 5-7 of `src/funcs.ts` were rewritten or deleted since this doc line")


def test_uncommitted_doc_lines_fall_back_to_tree_checks(history):
    commit_all(history, "code")
    (history / "src/funcs.ts").write_text("\n\n" + FUNCS)
    commit_all(history, "move")
    write_tree(history, {"docs/a.md": "`src/funcs.ts:5-7`\n"})  # written now, never committed
    assert check_json(history).json["findings"] == []


def test_shallow_clone_says_so_once(history, tmp_path):
    write_tree(history, {"docs/a.md": "`src/funcs.ts:5-7` and `src/funcs.ts:1-3`\n"})
    commit_all(history, "doc")
    (history / "src/funcs.ts").write_text("\n" + FUNCS)
    commit_all(history, "move")
    clone = shallow_clone(history, tmp_path, 1)
    run = check_json(clone)
    assert run.json["findings"] == []
    assert run.stderr.count("shallow clone") == 1


def test_fix_keeps_crlf_bom_and_everything_else_byte_for_byte(history):
    doc = "\ufeff# T\r\n\r\nSee `src/funcs.ts:5-7` \u2014 caf\u00e9.\r\nLast line, no newline `src/funcs.ts:1-3`".encode()
    write_tree(history, {"docs/a.md": doc})
    commit_all(history, "doc")
    (history / "src/funcs.ts").write_text("\n" + FUNCS)
    commit_all(history, "move")
    (history / "docs/a.md").chmod(0o640)
    invoke("fix", "--root", str(history))
    after = (history / "docs/a.md").read_bytes()
    assert after == doc.replace(b"5-7", b"6-8").replace(b"1-3", b"2-4")
    assert stat.S_IMODE((history / "docs/a.md").stat().st_mode) == 0o640


def test_fix_diff_writes_nothing(history):
    write_tree(history, {"docs/a.md": "`src/funcs.ts:5-7`\n"})
    commit_all(history, "doc")
    (history / "src/funcs.ts").write_text("\n" + FUNCS)
    commit_all(history, "move")
    run = invoke("fix", "--root", str(history), "--diff")
    assert run.exit_code == 1
    assert "-`src/funcs.ts:5-7`\n+`src/funcs.ts:6-8`\n" in run.stdout
    assert (history / "docs/a.md").read_text() == "`src/funcs.ts:5-7`\n"


def test_fix_leaves_read_only_files_alone_and_says_why(history):
    write_tree(history, {"docs/a.md": "`src/funcs.ts:5-7`\n"})
    commit_all(history, "doc")
    (history / "src/funcs.ts").write_text("\n" + FUNCS)
    commit_all(history, "move")
    (history / "docs/a.md").chmod(0o444)
    run = invoke("fix", "--root", str(history))
    assert "docs/a.md: not fixed: the file is read-only" in run.stderr
    assert (history / "docs/a.md").read_text() == "`src/funcs.ts:5-7`\n"


def test_rewrite_only_touches_spans():
    data = "a `x:1-2` b\r\nc `y:3` d\r\n".encode()
    edits = [Edit(Span(1, 6, 1, 9), "10-20"), Edit(Span(2, 6, 2, 7), "30"), Edit(Span(2, 5, 2, 7), "zz")]
    new, applied = rewrite(data, edits)
    assert applied == 2  # the overlapping third edit waits for the next run
    assert new in (b"a `x:10-20` b\r\nc `y:30` d\r\n", b"a `x:10-20` b\r\nc `zz` d\r\n")
    assert rewrite(b"\xff\xfe", edits) == (None, 0)


EXEC = "export function a() {\n  return 1;\n}\nexport function run() {\n  return 2;\n}\n"


def test_reference_links_are_fixed_in_their_definitions(history):
    """A reference link's destination is in its definition: that is where the fix goes,
    in its written form, and the text line is left alone (it used to be overwritten)."""
    doc = ("See [the runner][r] now, [t][] and [t], [u] and [r] again.\n"
           "\n"
           "Inline: [ang](<../src/exec.ts#L4-L6>), [ti](../src/exec.ts#L4-L6 \"a title\"), "
           "[q](../src/exec.ts?plain=1#L4-L6).\n"
           "\n"
           "[r]: ../src/exec.ts#L4-L6\n"
           "[t]: <../src/exec.ts#L4-L6> 'title'\n"
           "[u]:\n"
           "  ../src/exec.ts#L4-L6\n")
    write_tree(history, {"docs/a.md": doc, "src/exec.ts": EXEC})
    commit_all(history, "doc")
    (history / "src/exec.ts").write_text("// one\n// two\n" + EXEC)
    commit_all(history, "two lines above")
    found = check_json(history).json["findings"]
    # one finding per definition, where its destination is written; inline ones on the destination
    lines = doc.splitlines()

    def at(line: int, before: str, written: str) -> tuple[str, int, int, int]:
        column = lines[line - 1].index(before + written) + len(before) + 1
        return "DL003", line, column, column + len(written)

    assert [(f["code"], f["line"], f["column"], f["end_column"]) for f in found] == [
        at(3, "[ang](", "<../src/exec.ts#L4-L6>"), at(3, "[ti](", "../src/exec.ts#L4-L6"),
        at(3, "[q](", "../src/exec.ts?plain=1#L4-L6"), at(5, "[r]: ", "../src/exec.ts#L4-L6"),
        at(6, "[t]: ", "<../src/exec.ts#L4-L6>"), at(8, "  ", "../src/exec.ts#L4-L6")]
    run = run_subprocess(["fix", "--root", str(history)], cwd=history)
    assert run.returncode == 0, run.stdout + run.stderr
    assert (history / "docs/a.md").read_text() == doc.replace("L4-L6", "L6-L8")


def test_renamed_definitions_keep_their_written_form(history):
    """DL002 from a git rename rewrites the definition in place: angle brackets, the query,
    the fragment and the author's percent-encoding kept; a bare destination gets encoded."""
    doc = ("Read [mine][m], [plain][p] and [angle][a].\n"
           "\n"
           "[m]: ../src/my%20file.ts?plain=1#L1\n"
           "[p]: ../src/plain.ts\n"
           "[a]: <../src/angle one.ts>\n")
    write_tree(history, {"docs/a.md": doc, "src/my file.ts": FUNCS, "src/plain.ts": FUNCS + "//p\n",
                         "src/angle one.ts": FUNCS + "//a\n"})
    commit_all(history, "doc")
    git(history, "mv", "src/my file.ts", "src/your file.ts")
    git(history, "mv", "src/plain.ts", "src/with space.ts")
    git(history, "mv", "src/angle one.ts", "src/angle two.ts")
    commit_all(history, "renames")
    found = check_json(history).json["findings"]
    assert [(f["code"], f["line"], f["fix"]["edits"][0]["line"]) for f in found] == [
        ("DL002", 3, 3), ("DL002", 4, 4), ("DL002", 5, 5)]
    assert invoke("fix", "--root", str(history)).exit_code == 0
    assert (history / "docs/a.md").read_text() == (
        "Read [mine][m], [plain][p] and [angle][a].\n"
        "\n"
        "[m]: ../src/your%20file.ts?plain=1#L1\n"
        "[p]: ../src/with%20space.ts\n"
        "[a]: <../src/angle two.ts>\n")
    assert check_json(history).json["findings"] == []


def test_moved_range_keeps_the_query_and_encoding_of_an_inline_link(history):
    doc = "See [x](../src/my%20file.ts?plain=1#L5-L7) and [y](<../src/my file.ts#L5>).\n"
    write_tree(history, {"docs/a.md": doc, "src/my file.ts": FUNCS})
    commit_all(history, "doc")
    (history / "src/my file.ts").write_text("\n" + FUNCS)
    commit_all(history, "move")
    assert invoke("fix", "--root", str(history)).exit_code == 0
    assert (history / "docs/a.md").read_text() == \
        "See [x](../src/my%20file.ts?plain=1#L6-L8) and [y](<../src/my file.ts#L6>).\n"


# Issue 15: drift that is right on every history.

def _found(root: Path) -> list[tuple[str, str | None]]:
    """(code, suggestion) of every finding of a fresh check."""
    return [(f["code"], f["suggestion"]) for f in check_json(root, "--no-cache").json["findings"]]


def _prepend(root: Path, path: str, count: int) -> None:
    target = root / path
    target.write_text("".join(f"// header {n}\n" for n in range(count)) + target.read_text())


def test_a_later_unrelated_doc_commit_keeps_drift_on(history):
    write_tree(history, {"docs/a.md": "# A\n\nBeta is `src/funcs.ts:5-7`.\n"})
    commit_all(history, "doc")
    _prepend(history, "src/funcs.ts", 3)
    commit_all(history, "insert three lines")
    write_tree(history, {"docs/a.md": "# A, retitled\n\nBeta is `src/funcs.ts:5-7`.\n"})
    commit_all(history, "unrelated doc edit")
    assert _found(history) == [("DL003", "8-10")]


def test_a_rename_before_a_later_doc_commit_is_still_dl002_with_a_fix(history):
    write_tree(history, {"docs/a.md": "# A\n\nSee `src/funcs.ts`.\n"})
    commit_all(history, "doc")
    git(history, "mv", "src/funcs.ts", "src/functions.ts")
    commit_all(history, "rename")
    write_tree(history, {"docs/a.md": "# A, retitled\n\nSee `src/funcs.ts`.\n"})
    commit_all(history, "unrelated doc edit")
    found = check_json(history, "--no-cache").json["findings"]
    assert [(f["code"], f["suggestion"]) for f in found] == [("DL002", "src/functions.ts")]
    assert "(git, since" in found[0]["message"]


def test_shallow_clone_never_fixes_on_the_boundary_commit(history, tmp_path):
    write_tree(history, {"docs/a.md": "Beta and more: `src/funcs.ts:4-7`.\n"})
    commit_all(history, "c1: doc")
    _prepend(history, "src/funcs.ts", 4)
    commit_all(history, "c2: four lines")
    _prepend(history, "src/funcs.ts", 2)
    commit_all(history, "c3: two lines")
    assert [f["suggestion"] for f in check_json(history, "--no-cache").json["findings"]] == ["10-13"]
    clone = shallow_clone(history, tmp_path, 2)
    run = check_json(clone, "--no-cache")
    assert [f for f in run.json["findings"] if f["code"] == "DL003"] == []
    assert "shallow clone" in run.stderr and "no fix" in run.stderr
    invoke("fix", "--root", str(clone))
    assert "`src/funcs.ts:4-7`" in (clone / "docs/a.md").read_text()  # not 6-9, measured from c2


def _branch_with_doc_and_main_with_rename(root: Path, rename_first: bool, monkeypatch) -> None:
    """main renames src/funcs.ts; a feature branch writes a doc naming the old path; merged."""
    write_tree(root, {"README.md": "x\n"})
    commit_all(root, "base")
    main = git(root, "branch", "--show-current").strip()
    doc_date, rename_date = ("2021-01-01T00:00:00", "2020-01-01T00:00:00")[:: 1 if rename_first else -1]
    git(root, "checkout", "-q", "-b", "feature")
    write_tree(root, {"docs/a.md": "See `src/funcs.ts` and `src/funcs.ts:5-7`.\n"})
    monkeypatch.setenv("GIT_COMMITTER_DATE", doc_date)
    commit_all(root, "doc on the branch")
    git(root, "checkout", "-q", main)
    git(root, "mv", "src/funcs.ts", "src/functions.ts")
    monkeypatch.setenv("GIT_COMMITTER_DATE", rename_date)
    commit_all(root, "rename on main")
    monkeypatch.delenv("GIT_COMMITTER_DATE")
    git(root, "merge", "-q", "--no-edit", "feature")


@pytest.mark.parametrize("rename_first", [True, False])
def test_merged_branches_follow_ancestry_not_dates(history, rename_first, monkeypatch):
    _branch_with_doc_and_main_with_rename(history, rename_first, monkeypatch)
    assert _found(history) == [("DL002", "src/functions.ts"), ("DL002", "src/functions.ts")]


def test_a_rename_made_inside_a_merge_commit_is_seen(history):
    write_tree(history, {"docs/a.md": "See `src/funcs.ts`.\n"})
    commit_all(history, "doc")
    _side_branch(history)
    write_tree(history, {"src/third.ts": "export const third = 1;\n"})
    commit_all(history, "main work")
    git(history, "merge", "-q", "--no-commit", "--no-ff", "side")
    git(history, "mv", "src/funcs.ts", "src/functions.ts")
    git(history, "commit", "-q", "-m", "merge side, renaming while at it")
    assert _found(history) == [("DL002", "src/functions.ts")]


def test_a_doc_reached_through_a_symlink_has_no_drift_once_the_real_doc_is_fixed(history):
    write_tree(history, {"docs/real.md": "Beta is `src/funcs.ts:5-7`.\n"})
    os.symlink("real.md", history / "docs/link.md")
    commit_all(history, "doc and its link")
    _prepend(history, "src/funcs.ts", 3)
    commit_all(history, "insert three lines")
    invoke("fix", "--root", str(history))
    assert (history / "docs/real.md").read_text() == "Beta is `src/funcs.ts:8-10`.\n"
    commit_all(history, "fixed")
    assert check_json(history, "--no-cache").json["findings"] == []


def test_pre_commit_with_a_staged_doc_rename_and_source_rename_says_dl002(history):
    write_tree(history, {"docs/a.md": "See `src/funcs.ts`.\n"})
    commit_all(history, "doc")
    git(history, "mv", "docs/a.md", "docs/b.md")
    git(history, "mv", "src/funcs.ts", "src/functions.ts")
    run = installed(["check", "--no-cache", "--format", "json", "docs/b.md"], cwd=history)
    found = json.loads(run.stdout)["findings"]
    assert [(f["code"], f["suggestion"]) for f in found] == [("DL002", "src/functions.ts")]


def test_git_dir_naming_another_repository_is_not_used(history, tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    git(other, "init", "-q")
    write_tree(other, {"docs/a.md": "x\n"})
    commit_all(other, "other")
    write_tree(history, {"docs/a.md": "Beta is `src/funcs.ts:5-7`.\n"})
    commit_all(history, "doc")
    _prepend(history, "src/funcs.ts", 3)
    commit_all(history, "insert three lines")
    run = installed(["check", "--no-cache", "--format", "json"], cwd=history, env={"GIT_DIR": str(other / ".git")})
    assert json.loads(run.stdout)["findings"] == []
    assert "not the repository holding" in run.stderr and "drift checks are off" in run.stderr
    run = installed(["check", "--no-cache", "--format", "json"], cwd=history, env={"GIT_DIR": "/nonexistent"})
    assert run.returncode == 0, run.stderr
    assert "GIT_DIR=/nonexistent is not a git repository" in run.stderr and "drift checks are off" in run.stderr


def _clone_without(source: Path, tmp_path: Path, blob: str) -> Path:
    """A clone of `source` whose objects are loose, less one blob: a damaged clone."""
    clone = tmp_path / "damaged"
    git(tmp_path, "clone", "-q", "--no-local", str(source), str(clone))
    for pack in list((clone / ".git/objects/pack").glob("*.pack")):
        data = pack.read_bytes()
        pack.unlink()
        pack.with_suffix(".idx").unlink()
        subprocess.run(["git", "unpack-objects", "-q"], cwd=clone, input=data, check=True)
    (clone / ".git/objects" / blob[:2] / blob[2:]).unlink()
    return clone


def test_a_clone_with_a_missing_blob_degrades_to_one_notice(history, tmp_path):
    write_tree(history, {"docs/a.md": "See `src/funcs.ts` and `src/funcs.ts:5-7`.\n",
                         "src/big.ts": "".join(f"export const v{n} = {n};\n" for n in range(40))})
    commit_all(history, "doc")
    blob = git(history, "rev-parse", "HEAD:src/big.ts").strip()
    git(history, "mv", "src/big.ts", "src/large.ts")
    (history / "src/large.ts").write_text((history / "src/large.ts").read_text() + "export const w = 1;\n")
    git(history, "mv", "src/funcs.ts", "src/functions.ts")
    commit_all(history, "renames")
    clone = _clone_without(history, tmp_path, blob)
    run = installed(["check", "--no-cache", "--format", "json"], cwd=clone)
    assert run.returncode in (0, 1), run.stderr
    assert "internal error" not in run.stderr
    assert run.stderr.count("drift checks") == 1, run.stderr
    run = installed(["check", "--no-cache", "docs/a.md"], cwd=clone)
    assert "internal error" not in run.stderr and run.returncode in (0, 1)


def test_files_through_a_directory_link_inside_the_root_are_found_and_kept_as_written(history):
    (history / "docs").mkdir()
    os.symlink("../src", history / "docs/api", target_is_directory=True)
    write_tree(history, {"docs/a.md": "See [beta](api/funcs.ts#L5-L7) and `docs/api/funcs.ts`.\n"})
    commit_all(history, "doc, through a linked folder")
    assert check_json(history, "--no-cache").json["findings"] == []
    _prepend(history, "src/funcs.ts", 3)
    commit_all(history, "insert three lines")
    assert _found(history) == [("DL003", "8-10")]
    invoke("fix", "--root", str(history))
    assert (history / "docs/a.md").read_text() == "See [beta](api/funcs.ts#L8-L10) and `docs/api/funcs.ts`.\n"


RUNNER = ["export class Runner {", "  private n = 0;", "", "  run(): void {", "    const frame = this.n;",
          *[f"    step{k}(frame);" for k in range(1, 11)], "    this.n += 1;", "  } // run", "", "  stop(): void {",
          "    this.n = 0;", "  }", "}"]


def test_a_rewritten_method_is_not_claimed_to_have_moved_to_a_guessed_range(history):
    write_tree(history, {"src/runner.ts": "\n".join(RUNNER) + "\n", "docs/a.md": "Run is `src/runner.ts:4-17`.\n"})
    commit_all(history, "doc")
    rewritten = RUNNER[:2] + ["  private m = 0;", "", "  reset(): void {", "    this.m = 0;", "  }", "",
                              "  run(): void {", "    const frame = this.n;", "    go(frame, this.m);", "  }"] + RUNNER[17:]
    (history / "src/runner.ts").write_text("\n".join(rewritten) + "\n")
    commit_all(history, "rewrite run, add reset above it")
    found = check_json(history, "--no-cache").json["findings"]
    # not "moved to 9-22": its last line was rewritten, so only its start says where it went
    assert [(f["code"], f["fix"]) for f in found] == [("DL003", None), ("DL013", None)]
    assert "line 4 is now 9; line 17 was rewritten, so the new range is not known" in found[0]["message"]


def test_a_range_whose_only_survivor_is_blank_is_not_re_anchored(history):
    write_tree(history, {"src/pair.ts": "export function one() {\n  return 1;\n\n  // one\n}\n",
                         "docs/a.md": "One is `src/pair.ts:2-4`.\n"})
    commit_all(history, "doc")
    (history / "src/pair.ts").write_text("export function zero() {\n  return 0;\n}\n\nexport function two() {\n"
                                         "  return 2 + 2;\n\n  // two\n}\n")
    commit_all(history, "rewrite every line with content")
    found = check_json(history, "--no-cache").json["findings"]
    assert [(f["code"], f["fix"]) for f in found] == [("DL013", None)]
    assert "rewritten or deleted" in found[0]["message"]


def test_a_range_past_the_end_when_written_was_never_right(history):
    write_tree(history, {"docs/a.md": "Beta is `src/funcs.ts:9-12`.\n"})  # funcs.ts has 7 lines
    commit_all(history, "doc, already wrong")
    (history / "src/funcs.ts").write_text(FUNCS + "".join(f"export const c{n} = {n};\n" for n in range(9)))
    commit_all(history, "the file grows past the range")
    found = check_json(history, "--no-cache").json["findings"]
    assert [(f["code"], f["fix"]) for f in found] == [("DL003", None)]
    assert "never matched: the file had 7 lines when this doc line was written" in found[0]["message"]


def test_a_rename_git_saw_wins_over_the_basename_guess_after_a_later_doc_commit(history):
    write_tree(history, {"docs/a.md": "# A\n\nSee `src/funcs.ts:5-7`.\n"})
    commit_all(history, "doc")
    (history / "src/lib").mkdir()
    git(history, "mv", "src/funcs.ts", "src/lib/funcs.ts")
    _prepend(history, "src/lib/funcs.ts", 2)
    commit_all(history, "move into lib, two lines on top")
    write_tree(history, {"docs/a.md": "# A, retitled\n\nSee `src/funcs.ts:5-7`.\n"})
    commit_all(history, "unrelated doc edit")
    found = check_json(history, "--no-cache").json["findings"]
    assert [(f["code"], f["suggestion"]) for f in found] == [("DL002", "src/lib/funcs.ts"), ("DL003", "7-9")]
    assert "(git, since" in found[0]["message"]


def test_fix_keeps_the_review_warning_until_a_person_edits_the_line(history):
    write_tree(history, {"docs/a.md": "# A\n\nBeta is `src/funcs.ts:5-7`.\n"})
    commit_all(history, "doc")
    (history / "src/funcs.ts").write_text("// a\n// b\n// c\n" + FUNCS.replace("return 2;", "return 22;"))
    commit_all(history, "three lines on top, beta's body changed")
    before = [(f["code"], f["suggestion"]) for f in check_json(history, "--no-cache").json["findings"]]
    assert before == [("DL003", "8-10"), ("DL013", None)]
    invoke("fix", "--root", str(history))
    assert (history / "docs/a.md").read_text() == "# A\n\nBeta is `src/funcs.ts:8-10`.\n"
    assert [f["code"] for f in check_json(history, "--no-cache").json["findings"]] == ["DL013"]
    commit_all(history, "the fix, committed")
    found = check_json(history, "--no-cache").json["findings"]
    assert [f["code"] for f in found] == ["DL013"]
    assert "1 of 3 lines of `src/funcs.ts` (8-10) changed" in found[0]["message"]
    write_tree(history, {"docs/a.md": "# A\n\nBeta, which returns 22, is `src/funcs.ts:8-10`.\n"})
    assert check_json(history, "--no-cache").json["findings"] == []  # reviewed: the words changed


def test_a_split_file_is_followed_to_the_piece_that_declares_the_named_symbol(history):
    parser = "".join(f"  rule{n}(): number {{\n    return {n};\n  }}\n" for n in range(30))
    big = f"export class Parser {{\n{parser}}}\n\nexport class Renderer {{\n  draw(): void {{}}\n}}\n"
    write_tree(history, {"src/big.ts": big,
                         "docs/a.md": "Drawing: `src/big.ts#Renderer`; also `Renderer` in `src/big.ts`.\n"})
    commit_all(history, "doc")
    os.remove(history / "src/big.ts")
    write_tree(history, {"src/parse.ts": f"export class Parser {{\n{parser}}}\n",
                         "src/render.ts": "export class Renderer {\n  draw(): void {}\n}\n"})
    commit_all(history, "split big.ts")
    assert "src/big.ts\tsrc/parse.ts" in git(history, "show", "-M", "--name-status", "--format=", "HEAD")
    found = check_json(history, "--no-cache").json["findings"]
    assert [(f["code"], f["suggestion"]) for f in found] == [("DL002", "src/render.ts"), ("DL002", "src/render.ts")]
    assert "`Renderer` is declared there" in found[0]["message"]


def test_a_bare_name_moved_deep_keeps_a_short_form_only_while_it_is_unambiguous(history):
    skills = {f"skills/{name}/SKILL.md": f"# {name}\n" for name in ("audit", "build", "deploy")}
    write_tree(history, {"docs/metrics.md": "# Metrics\n\nHow we measure.\n", **skills,
                         "docs/a.md": "See `metrics.md` and [the metrics](metrics.md).\n"})
    commit_all(history, "doc")
    (history / "skills/metrics").mkdir()
    git(history, "mv", "docs/metrics.md", "skills/metrics/SKILL.md")
    commit_all(history, "metrics becomes a skill")
    assert _found(history) == [("DL002", "metrics/SKILL.md"), ("DL002", "../skills/metrics/SKILL.md")]
    invoke("fix", "--root", str(history))
    assert check_json(history, "--no-cache").json["findings"] == []


def test_a_hooks_relative_git_dir_for_the_same_repository_keeps_drift_on(tmp_path):
    top, root = _nested(tmp_path, "Beta is `src/funcs.ts:5-7`.\n")
    _prepend(root, "src/funcs.ts", 3)
    commit_all(top, "insert three lines")
    run = installed(["check", "--root", "proj", "--no-cache", "--format", "json"], cwd=top,
                    env={"GIT_DIR": ".git", "GIT_INDEX_FILE": ".git/index"})  # as git gives a hook
    assert [(f["code"], f["suggestion"]) for f in json.loads(run.stdout)["findings"]] == [("DL003", "8-10")], run.stderr


def test_a_clone_missing_an_old_version_of_the_doc_says_so_once(history, tmp_path):
    write_tree(history, {"docs/a.md": "# A\n\nBeta is `src/funcs.ts:5-7`.\n"})
    commit_all(history, "doc")
    blob = git(history, "rev-parse", "HEAD:docs/a.md").strip()
    write_tree(history, {"docs/a.md": "# A, retitled\n\nBeta is `src/funcs.ts:5-7`.\n"})
    _prepend(history, "src/funcs.ts", 3)
    commit_all(history, "retitled; three lines on top")
    clone = _clone_without(history, tmp_path, blob)
    for args in (["check", "--no-cache"], ["check", "--no-cache", "docs/a.md"]):
        run = installed(args, cwd=clone)
        assert run.returncode == 0 and "internal error" not in run.stderr, run.stderr
        assert run.stderr.count("git history incomplete") == 1 and "drift checks skipped for docs/a.md" in run.stderr


def test_a_cached_run_without_history_is_not_reused_by_one_with_it(history):
    write_tree(history, {"docs/a.md": "Beta is `src/funcs.ts:5-7`.\n"})
    commit_all(history, "doc")
    _prepend(history, "src/funcs.ts", 3)
    commit_all(history, "insert three lines")
    for env, expected in (({"GIT_DIR": "/nonexistent"}, []), ({}, [("DL003", "8-10")])):
        run = installed(["check", "--format", "json"], cwd=history, env=env)  # the cache on
        assert [(f["code"], f["suggestion"]) for f in json.loads(run.stdout)["findings"]] == expected, run.stderr


def test_what_changed_since_a_commit_names_both_sides_of_a_rename_and_the_working_tree(history):
    """`changed_since` answers path by path (a mask of commits, not a set per commit): every path
    a later commit or the working tree touched is in it, old and new names of a rename, and
    nothing an earlier commit or another branch's history touched."""
    from doclint.history import GitHistory

    write_tree(history, {"src/old.ts": FUNCS, "src/kept.ts": FUNCS, "src/edited.ts": FUNCS, "docs/a.md": "# A\n"})
    commit_all(history, "base")
    base = git(history, "rev-parse", "HEAD").strip()
    (history / "src/edited.ts").write_text(FUNCS + "// more\n")
    commit_all(history, "edit")
    (history / "lib").mkdir()
    git(history, "mv", "src/old.ts", "lib/new.ts")
    commit_all(history, "rename")
    (history / "src/kept.ts").write_text(FUNCS + "// not committed\n")
    opened = GitHistory.open(history, ["docs/a.md"])
    assert opened is not None
    changed = opened.changed_since(base)
    assert {p for p in ["src/old.ts", "lib/new.ts", "src/edited.ts", "src/kept.ts", "src/funcs.ts", "docs/a.md"]
            if p in changed} == {"src/old.ts", "lib/new.ts", "src/edited.ts", "src/kept.ts"}
    assert set(changed) == {"src/old.ts", "lib/new.ts", "src/edited.ts", "src/kept.ts"}
    assert changed.any_named("new.ts") and changed.any_named("old.ts") and not changed.any_named("funcs.ts")
    renames = opened.renames_since(base)
    assert renames.get("src/old.ts") == "lib/new.ts" and renames.get("lib/new.ts") is None
    assert renames.get("src/kept.ts", "src/kept.ts") == "src/kept.ts"
    head = git(history, "rev-parse", "HEAD").strip()
    assert set(opened.changed_since(head)) == {"src/kept.ts"}
    opened.close()


def test_cached_walks_and_blames_agree_with_fresh_ones_through_commits_edits_and_resets(history):
    """The history walk is kept by the commit checked out and a blame by the doc's bytes too:
    whatever moves HEAD or edits the doc, a cached run says what a --no-cache run says."""
    def agree():
        cached = drift_found(history)
        assert cached == drift_found(history, "--no-cache")
        return cached

    write_tree(history, {"docs/a.md": "# A\n\nBeta is `src/funcs.ts:5-7`.\n"})
    commit_all(history, "doc")
    write_tree(history, {"docs/a.md": "# A\n\nBeta is `src/funcs.ts:5-7`.\n\nMore.\n"})
    commit_all(history, "doc grows: a real blame, not one commit's doc")
    assert agree() == []
    assert agree() == []  # warm
    (history / "src/funcs.ts").write_text("// header\n// more\n\n" + FUNCS)
    commit_all(history, "insert three lines")
    assert agree() == [("DL003", 3, "8-10")]
    write_tree(history, {"docs/a.md": "# A\n\nBeta is `src/funcs.ts:5-7`.\n\nMore, edited.\n"})
    assert agree() == [("DL003", 3, "8-10")]  # the doc's bytes changed: blamed again
    git(history, "checkout", "-q", "--", "docs/a.md")
    git(history, "reset", "-q", "--hard", "HEAD~1")
    assert agree() == []  # HEAD back where it was: that walk again


def test_a_shallow_clone_deepened_is_walked_again(history, tmp_path):
    """HEAD stays where it was when a shallow clone fetches the rest of its history, but the
    history is not the same: what the cache keeps by commit is kept by the boundary too."""
    write_tree(history, {"docs/a.md": "# A\n\nBeta is `src/funcs.ts:5-7`.\n"})
    commit_all(history, "doc")
    (history / "src/funcs.ts").write_text("// header\n// more\n\n" + FUNCS)
    commit_all(history, "insert three lines")
    write_tree(history, {"docs/a.md": "# A\n\nBeta is `src/funcs.ts:5-7`.\n\nMore.\n"})
    commit_all(history, "doc grows: its ranges line is blamed, not taken from one commit")
    clone = shallow_clone(history, tmp_path, 2)
    shallow = drift_found(clone)
    git(clone, "fetch", "-q", "--unshallow")
    deep = drift_found(clone)
    assert deep == drift_found(clone, "--no-cache")
    assert deep == [("DL003", 3, "8-10")] and shallow != deep


def test_paths_resolve_in_old_trees_as_in_what_ls_tree_lists_from_the_top_and_from_a_folder(history):
    """Old trees are read as tree objects through cat-file, each folder once: a written path
    resolves at every commit as it does in that commit's `git ls-tree -r` listing, from the
    repository's top and from a folder that did not exist in the first commit (odd names,
    links, a submodule, and a name two folders hold included)."""
    from doclint.history import GitHistory, resolve_at

    commit_all(history, "first: no lib/ yet")
    write_tree(history, {"lib/a b.ts": FUNCS, "lib/ünï/x.ts": FUNCS, "lib/deep/er/y.ts": FUNCS, "lib/two/x.ts": FUNCS})
    (history / "lib/link.ts").symlink_to("a b.ts")
    commit_all(history, "lib")
    sub = git(history, "rev-parse", "HEAD").strip()
    git(history, "mv", "lib/deep/er/y.ts", "lib/deep/z.ts")
    git(history, "update-index", "--add", "--cacheinfo", f"160000,{sub},lib/vendored")
    git(history, "commit", "-q", "-m", "a submodule, a move")  # not add -A: it would drop the submodule
    commits = git(history, "rev-list", "HEAD").split()
    written = ["y.ts", "er/y.ts", "deep/er/y.ts", "lib/deep/er/y.ts", "z.ts", "x.ts", "ünï/x.ts", "two/x.ts",
               "a b.ts", "link.ts", "vendored", "vendored/x.ts", "deep", "deep/", "./y.ts", "../lib/a b.ts",
               "src/funcs.ts", "funcs.ts", "/funcs.ts", "", "er//y.ts", "nothing.ts"]
    resolved = set()
    for root in (history, history / "lib"):
        opened = GitHistory.open(root)
        assert opened is not None
        for commit in commits:
            listed = subprocess.run(["git", "-c", "core.quotepath=off", "ls-tree", "-r", "--name-only", "-z", commit,
                                     "--", "."], cwd=root, capture_output=True, check=True).stdout
            tree = tuple(n for n in listed.decode().split("\0") if n)
            for path in written:
                for doc_dir in ("", "deep", "docs"):
                    expected = resolve_at(tree, path, doc_dir)
                    assert opened.resolve_at(commit, path, doc_dir) == expected, (root, commit, path, doc_dir)
                    resolved.add(expected)
        opened.close()
    assert {"lib/deep/er/y.ts", "deep/er/y.ts", "lib/ünï/x.ts", "ünï/x.ts", "link.ts", "vendored", "src/funcs.ts",
            "lib/a b.ts"} <= resolved


def test_old_file_contents_read_in_batches_come_back_in_order(history):
    """Blobs are asked of one cat-file process in batches: hundreds of them, a missing one among
    them, come back each to its own path."""
    from doclint.history import GitHistory

    files = {f"src/many/f{n:03}.ts": f"export const v{n} = {n};\n" * (n % 7 + 1) for n in range(300)}
    write_tree(history, files)
    commit_all(history, "many files")
    head = git(history, "rev-parse", "HEAD").strip()
    opened = GitHistory.open(history)
    assert opened is not None
    wanted = {(head, path) for path in files} | {(head, "src/many/absent.ts"), (head, "src/many")}
    opened.prefetch(wanted)
    assert {path: opened.file_at(head, path) for path in files} == files
    assert opened.file_at(head, "src/many/absent.ts") is None and opened.file_at(head, "src/many") is None
    opened.close()


def test_a_missing_name_with_spaces_keeps_cat_file_in_step(history):
    """git answers "<name> missing" for a name that is not there, and names hold spaces: the
    answers after it are still each its own object's."""
    from doclint.history import GitHistory

    write_tree(history, {"my docs/a.txt": "AAA\n", "my docs/b.txt": "BBB\n"})
    commit_all(history, "files in a folder with a space")
    head = git(history, "rev-parse", "HEAD").strip()
    opened = GitHistory.open(history)
    assert opened is not None
    opened.prefetch({(head, "my docs/absent one.txt"), (head, "my docs/a.txt"), (head, "my docs/b.txt")})
    assert opened.file_at(head, "my docs/absent one.txt") is None
    assert (opened.file_at(head, "my docs/a.txt"), opened.file_at(head, "my docs/b.txt")) == ("AAA\n", "BBB\n")
    opened.close()


def test_resolving_in_old_trees_from_a_folder_that_was_missing_or_a_file(history):
    """The root is a folder (with a space in its name) that an old commit did not have, and an
    older one had as a file: neither is damage; nothing resolves there, as in ls-tree's listing."""
    from doclint.history import GitHistory

    write_tree(history, {"my lib": "a file first\n"})
    commit_all(history, "my lib is a file")
    as_file = git(history, "rev-parse", "HEAD").strip()
    (history / "my lib").unlink()
    commit_all(history, "gone")
    gone = git(history, "rev-parse", "HEAD").strip()
    write_tree(history, {"my lib/x.ts": FUNCS})
    commit_all(history, "a folder now")
    opened = GitHistory.open(history / "my lib")
    assert opened is not None
    assert opened.resolve_at(as_file, "x.ts", "") is None and opened.resolve_at(gone, "x.ts", "") is None
    assert opened.resolve_at(git(history, "rev-parse", "HEAD").strip(), "x.ts", "") == "x.ts"
    opened.close()


def _tree_object(root: Path, entries: list[tuple[bytes, bytes, str]]) -> str:
    """A tree object written as given: (mode, name, object id) entries, in git's order."""
    data = b"".join(mode + b" " + name + b"\0" + bytes.fromhex(oid) for mode, name, oid in entries)
    return subprocess.run(["git", "hash-object", "-t", "tree", "-w", "--literally", "--stdin"], cwd=root,
                          input=data, capture_output=True, check=True).stdout.decode().strip()


def test_odd_trees_resolve_as_ls_tree_lists_them(history):
    """Names that are not UTF-8 (two that decode alike stay two), a folder written with a
    zero-padded mode, and folders nested deeper than Python recurses."""
    from doclint.history import GitHistory, resolve_at

    commit_all(history, "base")
    blob = subprocess.run(["git", "hash-object", "-w", "--stdin"], cwd=history, input=b"x\n", capture_output=True,
                          check=True).stdout.decode().strip()
    inner = _tree_object(history, [(b"100644", b"x.ts", blob)])
    deep = inner
    for _level in range(1200):
        deep = _tree_object(history, [(b"40000", b"d", deep)])
    top = _tree_object(history, [(b"40000", b"d", deep), (b"040000", b"padded", inner), (b"40000", b"\xfe", inner),
                                 (b"40000", b"\xff", inner)])
    commit = git(history, "commit-tree", top, "-m", "odd trees").strip()
    listed = subprocess.run(["git", "-c", "core.quotepath=off", "ls-tree", "-r", "--name-only", "-z", commit],
                            cwd=history, capture_output=True, check=True).stdout
    tree = tuple(n for n in listed.decode("utf-8", "replace").split("\0") if n)
    opened = GitHistory.open(history)
    assert opened is not None
    for written in ("x.ts", "padded/x.ts", "\ufffd/x.ts", "d/x.ts", "nothing.ts"):
        assert opened.resolve_at(commit, written, "") == resolve_at(tree, written, ""), written
    assert opened.resolve_at(commit, "padded/x.ts", "") == "padded/x.ts"
    opened.close()


def test_many_old_files_with_long_names_read_without_waiting_on_a_full_pipe(history):
    """More requests and more answers than any pipe holds, under a timeout."""
    import threading

    from doclint.history import GitHistory

    files = {f"src/{'long-folder-name/' * 6}f{n:04}.ts": f"// {n}\n" + "x" * 300 + "\n" for n in range(1500)}
    write_tree(history, files)
    commit_all(history, "many files with long names")
    head = git(history, "rev-parse", "HEAD").strip()
    opened = GitHistory.open(history)
    assert opened is not None
    reader = threading.Thread(target=opened.prefetch, args=({(head, path) for path in files},), daemon=True)
    reader.start()
    reader.join(timeout=60)
    assert not reader.is_alive()
    assert all(opened.file_at(head, path) == text for path, text in files.items())
    opened.close()



def test_line_mappings_are_kept_by_the_two_texts(history, monkeypatch):
    """How an old version became the working file is a function of the two texts: a later run
    (after a commit elsewhere, which checks every doc again) diffs nothing again, and says what
    a fresh run says."""
    from doclint import history as history_module

    diffed: list[int] = []
    real = history_module.line_opcodes
    monkeypatch.setattr(history_module, "line_opcodes",
                        lambda old, new, positions=None: diffed.append(len(old)) or real(old, new, positions))
    write_tree(history, {"docs/a.md": "# A\n\nBeta is `src/funcs.ts:5-7`.\n"})
    commit_all(history, "doc")
    (history / "src/funcs.ts").write_text("// header\n// more\n\n" + FUNCS)
    commit_all(history, "insert three lines")
    assert drift_found(history) == [("DL003", 3, "8-10")] and len(diffed) == 1
    write_tree(history, {"src/other.ts": FUNCS})
    commit_all(history, "a commit elsewhere")
    assert drift_found(history) == [("DL003", 3, "8-10")] and len(diffed) == 1
    assert drift_found(history, "--no-cache") == [("DL003", 3, "8-10")] and len(diffed) == 2


def test_kept_line_mappings_are_used_only_when_whole():
    from doclint.history import _decoded_opcodes

    whole = [["equal", 0, 2, 0, 2], ["insert", 2, 2, 2, 5], ["replace", 2, 3, 5, 6]]
    assert _decoded_opcodes(whole, 3, 6) == [tuple(block) for block in whole]
    for bad in ([["equal", 0, 2, 0, 2]], [["equal", 0, 2, 0, 2], ["insert", 2, 2, 3, 6]], [["moved", 0, 3, 0, 6]],
                [["equal", 0, 3.0, 0, 6]], [["equal", 0, 3, 0]], {"equal": 1}, None, [[True, 0, 3, 0, 6]],
                [["equal", 0, 3, 0, 6]], [["insert", 0, 3, 0, 6]], [["delete", 0, 3, 0, 6]],
                [["equal", 0, 0, 0, 0], ["replace", 0, 3, 0, 6]]):
        assert _decoded_opcodes(bad, 3, 6) is None, bad


def test_a_repository_without_commits_asks_git_once(tmp_path, monkeypatch):
    """The commit checked out is asked of git once a run (it keys the cache); a repository
    without one has no history to open, and no other git process is started for it."""
    from doclint import history
    from doclint.cli import main

    root = write_tree(tmp_path / "repo", {"doclint.toml": 'docs = ["docs/*.md"]\n',
                                          "docs/a.md": "# A\n\nNothing to check.\n"})
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    asked: list[tuple[str, ...]] = []
    real = history._git
    monkeypatch.setattr(history, "_git", lambda where, *args, **kw: asked.append(args) or real(where, *args, **kw))
    monkeypatch.chdir(root)
    assert main(["check", "-q", "--no-cache"]) == 0
    assert [args for args in asked if "rev-parse" in args] == [("rev-parse", "HEAD", "--git-path", "shallow")]
    git(root, "add", "-A")
    git(root, "commit", "-qm", "one")
    asked.clear()
    assert main(["check", "-q", "--no-cache"]) == 0
    assert [args for args in asked if args[:2] == ("rev-parse", "HEAD")] == [("rev-parse", "HEAD", "--git-path", "shallow")]
