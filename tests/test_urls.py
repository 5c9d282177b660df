"""URLs into this repository: its identity, each URL form, branch URLs against the tree
(with git renames and moved ranges fixed in the URL's own form), permalinks against git."""

from __future__ import annotations

import json

from conftest import check_json, git, installed, write_tree

from doclint.urls import Refs, Repository, Target, parse_remote, resolve_ref, split_url

WIDGET = Repository("github.com", "acme/widget")
SOURCE = "export function alpha() {\n  return 1;\n}\n\nexport function beta() {\n  return 2;\n}\n"


def test_remote_forms_name_one_repository():
    for url in ("https://github.com/Acme/Widget.git", "https://github.com/acme/widget", "git@github.com:Acme/Widget.git",
                "ssh://git@github.com/Acme/Widget.git", "ssh://git@github.com:22/acme/widget", "github.com/Acme/Widget",
                "https://user@github.com/Acme/Widget/"):
        assert parse_remote(url) == WIDGET, url
    assert parse_remote("git@gitlab.com:group/sub/tool.git") == Repository("gitlab.com", "group/sub/tool")
    assert parse_remote("/srv/git/widget.git") is None
    assert parse_remote("widget") is None


def test_url_forms_split_at_the_ref():
    blob = split_url("https://github.com/Acme/Widget/blob/main/src/a.ts#L10-L40", WIDGET)
    assert (blob.kind, blob.head, blob.rest, blob.fragment) == (
        "blob", "https://github.com/Acme/Widget/blob/", "main/src/a.ts", "L10-L40")
    assert split_url("https://github.com/acme/widget/tree/v2/src", WIDGET).kind == "tree"
    raw = split_url("https://raw.githubusercontent.com/Acme/Widget/main/src/a.ts", WIDGET)
    assert (raw.kind, raw.rest) == ("raw", "main/src/a.ts")
    lab = split_url("https://gitlab.com/group/sub/tool/-/blob/main/lib/x.ts#L3-9", Repository("gitlab.com", "group/sub/tool"))
    assert (lab.kind, lab.rest, lab.fragment) == ("blob", "main/lib/x.ts", "L3-9")
    for other in ("https://github.com/acme/widgets/blob/main/a.ts", "https://github.com/other/widget/blob/main/a.ts",
                  "https://github.com/Acme/Widget/issues/3", "https://example.com/acme/widget/blob/main/a.ts",
                  "https://github.com/Acme/Widget"):
        assert split_url(other, WIDGET) is None, other


def test_branch_names_with_slashes():
    refs = Refs(frozenset({"main", "feature/x", "feature"}), frozenset({"main", "HEAD"}))
    in_tree = {"src/a.ts", "x/src/a.ts"}.__contains__
    assert resolve_ref("feature/x/src/a.ts", refs, in_tree) == Target("feature/x", "src/a.ts", False)
    assert resolve_ref("main/src/gone.ts", refs, in_tree) == Target("main", "src/gone.ts", True)
    assert resolve_ref("release/2/src/a.ts", refs, in_tree) == Target("release/2", "src/a.ts", False)
    assert resolve_ref("release/2/src/gone.ts", refs, in_tree) is None  # cannot tell where the ref ends
    sha = "0123456789abcdef0123456789abcdef01234567"
    assert resolve_ref(f"{sha}/src/a.ts", refs, in_tree).permalink


def _repository(tmp_path, doc: str, config: str = 'docs = ["docs/*.md"]\n'):
    root = write_tree(tmp_path / "widget", {"doclint.toml": config, "src/a.ts": SOURCE, "docs/guide.md": doc})
    git(root, "init", "-q", "-b", "main")
    git(root, "remote", "add", "origin", "git@github.com:Acme/Widget.git")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "first")
    return root


def test_branch_urls_are_checked_against_the_tree(tmp_path):
    root = _repository(tmp_path, (
        "# Guide\n\n"
        "[ok](https://github.com/Acme/Widget/blob/main/src/a.ts#L1-L3)\n"
        "[gone](https://github.com/acme/widget/blob/main/src/zzz.ts)\n"
        "[far](https://github.com/Acme/Widget/blob/main/src/a.ts#L40-L50)\n"
        "[elsewhere](https://github.com/Other/Widget/blob/main/src/zzz.ts)\n"
        "[a branch](https://github.com/Acme/Widget/blob/feature/y/src/zzz.ts)\n"
        "[anchor](https://github.com/Acme/Widget/blob/main/docs/guide.md#gide)\n"
        "[raw](https://raw.githubusercontent.com/Acme/Widget/main/src/a.ts)\n"
        "[`gamma`](https://github.com/Acme/Widget/blob/main/src/a.ts)\n"))
    assert check_json(root).codes() == [("DL006", "docs/guide.md", 4), ("DL003", "docs/guide.md", 5),
                                        ("DL007", "docs/guide.md", 8), ("DL004", "docs/guide.md", 10)]


def test_renamed_file_and_moved_range_fixed_in_the_url(tmp_path):
    root = _repository(tmp_path, "# Guide\n\nSee [beta](https://github.com/Acme/Widget/blob/main/src/a.ts#L5-L7).\n")
    (root / "src/lib").mkdir()
    git(root, "mv", "src/a.ts", "src/lib/a.ts")
    git(root, "commit", "-qm", "move")
    (root / "src/lib/a.ts").write_text("// one\n// two\n" + SOURCE)
    git(root, "commit", "-qam", "shift")
    found = check_json(root).json["findings"]
    assert [(f["code"], f["suggestion"]) for f in found] == [
        ("DL002", "https://github.com/Acme/Widget/blob/main/src/lib/a.ts#L7-L9")]
    result = installed(["fix", "--root", str(root)], cwd=root)
    assert result.returncode == 0, result.stderr
    assert "(https://github.com/Acme/Widget/blob/main/src/lib/a.ts#L7-L9)" in (root / "docs/guide.md").read_text()


def test_moved_range_in_place_is_fixed(tmp_path):
    root = _repository(tmp_path, "# Guide\n\nSee [beta](https://github.com/Acme/Widget/blob/main/src/a.ts#L5-L7).\n")
    (root / "src/a.ts").write_text("// one\n" + SOURCE)
    git(root, "commit", "-qam", "shift")
    found = check_json(root).json["findings"]
    assert [(f["code"], f["suggestion"]) for f in found] == [
        ("DL003", "https://github.com/Acme/Widget/blob/main/src/a.ts#L6-L8")]


def test_permalinks_are_checked_against_their_commit(tmp_path):
    root = _repository(tmp_path, "# Guide\n")
    sha = git(root, "rev-parse", "HEAD").strip()
    (root / "docs/guide.md").write_text(
        "# Guide\n\n"
        f"[beta](https://github.com/Acme/Widget/blob/{sha}/src/a.ts#L5-L7)\n"
        f"[alpha](https://github.com/Acme/Widget/blob/{sha}/src/a.ts#L1-L3)\n"
        f"[absent](https://github.com/Acme/Widget/blob/{sha}/src/absent.ts)\n"
        f"[past](https://github.com/Acme/Widget/blob/{sha}/src/a.ts#L9-L12)\n"
        "[unknown](https://github.com/Acme/Widget/blob/ffffffffffffffffffffffffffffffffffffffff/src/x.ts)\n")
    (root / "src/a.ts").write_text("// one\n" + SOURCE.replace("return 2", "return 3"))
    git(root, "commit", "-qam", "change beta")
    result = installed(["check", "--format", "json", "--root", str(root)], cwd=root)
    found = json.loads(result.stdout)["findings"]
    assert [(f["code"], f["line"]) for f in found] == [("DL013", 3), ("DL006", 5), ("DL003", 6)]
    assert "at HEAD they are lines 6-8 of `src/a.ts`" in found[0]["message"]


def test_configured_repository_and_gitlab_urls(tmp_path):
    doc = "# G\n\n[x](https://gitlab.example.org/team/widget/-/blob/main/src/zzz.ts#L1-2)\n"
    root = write_tree(tmp_path / "w", {"doclint.toml": 'repository = "gitlab.example.org/team/widget"\n',
                                       "src/a.ts": SOURCE, "docs/g.md": doc})
    assert check_json(root).codes() == [("DL006", "docs/g.md", 3)]
    (root / "doclint.toml").write_text('repository = "widget"\n')
    assert check_json(root).exit_code == 2


def test_tag_urls_are_checked_against_the_tag(tmp_path):
    root = _repository(tmp_path, "# Guide\n\n[then](https://github.com/Acme/Widget/blob/v1/src/a.ts)\n"
                                 "[absent](https://github.com/Acme/Widget/blob/v1/src/absent.ts)\n")
    git(root, "tag", "v1")
    git(root, "rm", "-q", "src/a.ts")
    git(root, "commit", "-qm", "drop a.ts")
    assert check_json(root).codes() == [("DL006", "docs/guide.md", 4)]


def test_url_rewritten_after_the_move_is_fixed_from_the_rename(tmp_path):
    """The doc line was last written after the file moved: the rename is the last commit
    that touched the old path."""
    root = _repository(tmp_path, "# Guide\n")
    (root / "src/lib").mkdir()
    (root / "src/other").mkdir()
    git(root, "mv", "src/a.ts", "src/other/a.ts")
    (root / "src/lib/a.ts").write_text("export const other = 1;\n")  # a second a.ts: a guess would be ambiguous
    git(root, "add", "-A")
    git(root, "commit", "-qm", "move")
    (root / "docs/guide.md").write_text("# Guide\n\n[a](https://github.com/Acme/Widget/blob/main/src/a.ts)\n")
    git(root, "commit", "-qam", "link")
    found = check_json(root).json["findings"]
    assert [(f["code"], f["suggestion"]) for f in found] == [
        ("DL002", "https://github.com/Acme/Widget/blob/main/src/other/a.ts")]


def test_a_range_past_the_end_when_the_doc_line_was_written_is_reported(tmp_path):
    """The file grew to reach the range only after the doc line was written: the range never
    matched what the doc described (it used to stop the run with an internal error)."""
    root = _repository(tmp_path, "# Guide\n\nSee [later](https://github.com/Acme/Widget/blob/main/src/a.ts#L9-L10).\n")
    (root / "src/a.ts").write_text(SOURCE + "\nexport function gamma() {\n  return 3;\n}\n")
    git(root, "commit", "-qam", "grow")
    result = installed(["check", "--root", str(root), "--format", "json"], cwd=root)
    assert result.returncode == 1, result.stderr
    [finding] = json.loads(result.stdout)["findings"]
    assert (finding["code"], finding["line"]) == ("DL003", 3)
    assert finding["message"].startswith("lines 9-10 of `src/a.ts` never matched: the file had 7 lines")
