"""Drift through git history, and `doclint fix`, on real repositories built in tmp_path."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from conftest import check_json, git, invoke, run_subprocess, write_tree

from doclint.findings import Edit, Span
from doclint.fixer import rewrite

FUNCS = "export function alpha() {\n  return 1;\n}\n\nexport function beta() {\n  return 2;\n}\n"


def commit_all(root: Path, message: str) -> None:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)


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


def test_a_doc_edited_only_in_a_merge_is_blamed_not_assumed(history):
    """A doc one commit added looks unchanged to `git log --name-status` when a merge
    rewrote it; its lines must still be blamed, not credited to that first commit."""
    write_tree(history, {"docs/a.md": "Beta is `src/funcs.ts:5-7`.\n"})
    commit_all(history, "doc")
    git(history, "checkout", "-q", "-b", "side")
    write_tree(history, {"src/other.ts": "export const other = 1;\n"})
    commit_all(history, "side work")
    git(history, "checkout", "-q", "-")
    (history / "src/funcs.ts").write_text("// header\n\n" + FUNCS)
    commit_all(history, "insert two lines")
    git(history, "merge", "-q", "--no-commit", "--no-ff", "side")
    write_tree(history, {"docs/a.md": "Beta is `src/funcs.ts:7-9`.\n"})  # brought up to date in the merge
    git(history, "add", "-A")
    git(history, "commit", "-q", "-m", "merge side")
    assert check_json(history, "--no-cache").json["findings"] == []


def test_a_root_below_the_repository_top_is_blamed_from_there(tmp_path):
    top = tmp_path / "top"
    root = top / "proj"
    root.mkdir(parents=True)
    git(top, "init", "-q")
    write_tree(root, {"doclint.toml": 'docs = ["docs/**/*.md"]\n', "src/funcs.ts": FUNCS,
                      "docs/a.md": "# A\n\nBeta is `src/funcs.ts:5-7`.\n"})
    commit_all(top, "doc")
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
                         "docs/a.md": "Gone: `src/gone.ts`. Beta body: `src/funcs.ts:5-7`.\n"})
    commit_all(history, "doc")
    os.remove(history / "src/gone.ts")
    (history / "src/funcs.ts").write_text(FUNCS.replace("return 2;", "return compute(2);").replace(
        "export function beta() {", "export function beta(x: number) {"))
    commit_all(history, "delete and rewrite")
    found = check_json(history).json["findings"]
    assert [(f["code"], f["severity"]) for f in found] == [("DL001", "error"), ("DL013", "warning")]
    assert found[1]["message"].startswith("2 of 3 lines of `src/funcs.ts` (5-7) changed since this doc line")


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
    clone = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{history}", str(clone))
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
