"""The command line, in-process and as a real subprocess: exit codes, formats, options."""

from __future__ import annotations

import json

from conftest import check_json, doclint, installed, invoke, run_subprocess, write_tree

from doclint import __version__
from doclint.registry import RULES

BROKEN = {"docs/a.md": "# A\n\nSee `src/gone.ts` and `FrameRunnerz`.\n", "docs/b.md": "# B\n\nFine.\n"}


def test_subprocess_exit_codes_and_json_shape(repo):
    root = repo(BROKEN)
    proc = run_subprocess(["check", "--format", "json"], cwd=root)
    assert proc.returncode == 1, proc.stderr
    payload = json.loads(proc.stdout)
    assert payload["version"] == 1 and payload["root"] == str(root.resolve())
    assert set(payload["summary"]) == {"docs", "references", "errors", "warnings", "fixable", "baselined"}
    assert payload["summary"]["docs"] == 2 and payload["summary"]["errors"] == 1
    first = payload["findings"][0]
    assert list(first) == ["code", "name", "severity", "path", "line", "column", "end_line", "end_column",
                           "message", "target", "suggestion", "fix"]
    assert (first["code"], first["path"], first["line"], first["column"]) == ("DL001", "docs/a.md", 3, 6)

    clean = run_subprocess(["check", "docs/b.md"], cwd=root)
    assert clean.returncode == 0 and clean.stdout.strip().endswith("0 errors, 0 warnings in 1 file (0 fixable)")

    usage = run_subprocess(["check", "--format", "yaml"], cwd=root)
    assert usage.returncode == 2 and "Invalid value for '--format'" in usage.stderr

    missing_root = run_subprocess(["check", "--root", str(root / "nope")], cwd=root)
    assert missing_root.returncode == 2 and "Traceback" not in missing_root.stderr


def test_text_output_is_sorted_with_summary(repo):
    root = repo(BROKEN | {"docs/0.md": "`src/zero.ts`\n"})
    run = doclint(root)
    lines = run.stdout.splitlines()
    assert lines == [
        "docs/0.md:1:2: DL001 missing-file path `src/zero.ts` does not exist",
        "docs/a.md:3:6: DL001 missing-file path `src/gone.ts` does not exist",
        "docs/a.md:3:24: DL004 unknown-symbol `FrameRunnerz` is not declared anywhere in the sources; "
        "did you mean `FrameRunner`?",
        "2 errors, 1 warning in 3 files (0 fixable)",
    ]


def test_full_output_shows_the_line_and_a_caret(repo):
    root = repo(BROKEN)
    run = doclint(root, "--format", "full", env={"NO_COLOR": "1"})
    assert "3 | See `src/gone.ts` and `FrameRunnerz`." in run.stdout
    assert "  |      ^^^^^^^^^^^" in run.stdout
    assert "\x1b[" not in run.stdout


def test_github_format_and_auto_selection(repo):
    root = repo(BROKEN)
    run = doclint(root, env={"GITHUB_ACTIONS": "true"})
    assert run.stdout.startswith("::error file=docs/a.md,line=3,col=6,")
    assert "title=DL001 missing-file::path `src/gone.ts` does not exist" in run.stdout


def test_select_ignore_strict_exit_zero_statistics_quiet(repo):
    root = repo(BROKEN)
    assert [f["code"] for f in check_json(root, "--select", "unknown-symbol").json["findings"]] == ["DL004"]
    assert check_json(root, "--select", "DL004").exit_code == 0  # a warning alone does not fail
    assert check_json(root, "--select", "DL004", "--strict").exit_code == 1
    assert [f["code"] for f in check_json(root, "--ignore", "DL001,DL004").json["findings"]] == []
    assert doclint(root, "--exit-zero").exit_code == 0
    stats = doclint(root, "--statistics", "--quiet").stdout.splitlines()
    assert stats[-2:] == ["    1\tDL001\tmissing-file", "    1\tDL004\tunknown-symbol"]
    bad = doclint(root, "--select", "DL404")
    assert bad.exit_code == 2 and "unknown rule 'DL404'" in bad.stderr


def test_paths_narrow_to_docs_and_docs_that_refer_to_given_sources(repo):
    root = repo({
        "docs/uses.md": "`executeFrame()` runs frames; `src/gone.ts`.\n",
        "docs/other.md": "`src/also-gone.ts`\n",
    })
    run = check_json(root, str(root / "docs/other.md"))
    assert [f["path"] for f in run.json["findings"]] == ["docs/other.md"]
    run = check_json(root, str(root / "src/runtime/executor.ts"))
    assert [f["path"] for f in run.json["findings"]] == ["docs/uses.md"]


def test_rules_and_explain(repo):
    listing = invoke("rules").stdout.splitlines()
    assert len(listing) == len(RULES)
    assert listing[1].split()[:4] == ["DL002", "renamed-file", "error", "fixable"]
    for key in ("DL003", "broken-anchor"):
        text = invoke("explain", key).stdout
        assert "Fails:" in text and "Passes:" in text and "Suppress:" in text
    assert invoke("explain", "nope").exit_code == 2
    assert invoke("--version").stdout.strip() == f"doclint {__version__}"


def test_no_traceback_on_unreadable_and_binary_docs(repo):
    root = repo({"docs/bin.md": b"\x00\xff\xfe# x\n`src/\xff.ts`\n", "docs/bom.md": b"\xef\xbb\xbf# Title\n[x](#title)\n"})
    run = check_json(root)
    assert run.exit_code in (0, 1)
    assert [f for f in run.json["findings"] if f["path"] == "docs/bom.md"] == []


COMMAND_PACK = """\
[pack]
name = "runtime"

[[union]]
name = "step-kind"
file = "src/runtime/executor.ts"
type = "Step"
docs = ["docs/a.md"]
"""


def test_every_command_exits_as_documented_without_a_traceback(repo):
    root = repo({"doclint.toml": 'docs = ["docs/**/*.md"]\nrules = ["rules/runtime.toml"]\n',
                 "rules/runtime.toml": COMMAND_PACK,
                 "docs/a.md": "# A\n\n`executeFrame()` runs `'evalSig'` and `'stateWrite'` steps.\n"})
    commands = [(["check"], 0), (["check", "--format", "sarif"], 0), (["check", "--format", "full"], 0),
                (["fix"], 0), (["fix", "--diff"], 0), (["lock"], 0), (["check"], 0), (["coverage"], 0),
                (["coverage", "--format", "json"], 0), (["rules"], 0), (["rules", "--format", "json"], 0),
                (["rules", "--format", "markdown"], 0), (["explain", "DL001"], 0), (["explain", "stale-line"], 0),
                (["explain", "DL999"], 2), (["check", "--format", "yaml"], 2), (["--version"], 0), (["--help"], 0)]
    commands += [([name, "--help"], 0) for name in ("check", "fix", "lock", "coverage", "rules", "explain")]
    for args, expected in commands:
        proc = installed(args, cwd=root)
        assert (proc.returncode, "Traceback" in proc.stderr) == (expected, False), (args, proc.stderr)


def test_a_path_argument_must_exist_under_the_root(repo, tmp_path):
    root = repo({"docs/a.md": "# A\n", "notes.txt": "not a doc\n", "drafts/x.md": "`src/gone.ts`\n",
                 "doclint.toml": 'docs = ["docs/**/*.md"]\n'})
    outside = write_tree(tmp_path / "elsewhere", {"b.md": "`src/gone.ts`\n"})
    for command in ("check", "fix"):
        for given, message in (("docs/nonexistent.md", "docs/nonexistent.md: no such file or directory"),
                               (str(outside / "b.md"), f"{outside / 'b.md'}: not under the root ({root})"),
                               ("../elsewhere/b.md", f"../elsewhere/b.md: not under the root ({root})")):
            proc = installed([command, given], cwd=root)
            assert (proc.returncode, proc.stderr) == (2, f"doclint: {message}\n"), (command, given, proc.stderr)
    # as pre-commit passes every staged Markdown file: one the config does not select passes silently
    proc = installed(["check", "notes.txt", "drafts/x.md", "docs/a.md"], cwd=root)
    assert (proc.returncode, proc.stderr) == (0, ""), proc.stderr
    assert proc.stdout.endswith("in 1 file (0 fixable)\n")


def test_a_control_character_in_a_file_name_cannot_forge_a_finding(repo):
    name = "docs/a\nb.md:1:1: DL001 missing-file forged.md"
    root = repo({name: "See `src/gone.ts`.\n"})
    text = installed(["check"], cwd=root).stdout.splitlines()
    assert text == ["docs/a\\nb.md:1:1: DL001 missing-file forged.md:1:6: DL001 missing-file path `src/gone.ts` "
                    "does not exist", "1 error, 0 warnings in 1 file (0 fixable)"]
    full = installed(["check", "--format", "full"], cwd=root).stdout.splitlines()
    assert full[0].startswith("docs/a\\nb.md:1:1: DL001") and sum("DL001" in line for line in full) == 1
    github = installed(["check", "--format", "github"], cwd=root).stdout.splitlines()
    assert len(github) == 2 and github[0].startswith("::error file=docs/a%0Ab.md%3A1%3A1%3A DL001")
