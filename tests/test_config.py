"""Configuration: where it is found, what it accepts, and one clear line when it is wrong."""

from __future__ import annotations

import pytest

from conftest import check_json, doclint, installed, write_tree

from doclint.config import find_root, load_config
from doclint.errors import ConfigError


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('docs = ["a"]\nbogus = 1\n', "unknown key 'bogus'"),
        ('docs = "x"\nsources = 3\n', "key 'sources' must be a list of non-empty strings"),
        ('[severity]\nmissing-file = "loud"\n', "key 'severity.missing-file' must be one of error, warning, off"),
        ('[severity]\nDL999 = "off"\n', "key 'severity.DL999': unknown rule"),
        ('docs = ["docs/[abc.md"]\n', "unclosed '['"),
        ('docs = [\n', "invalid TOML"),
        ('lock = 3\n', "key 'lock' must be a file path string"),
        ('lock = "."\n', "key 'lock' names a directory"),
        ('max-parse-seconds = inf\n', "key 'max-parse-seconds' must be a positive number of seconds, at most"),
        ('max-parse-seconds = nan\n', "key 'max-parse-seconds' must be a positive number of seconds, at most"),
        ('max-parse-seconds = 1e300\n', "key 'max-parse-seconds' must be a positive number of seconds, at most"),
        ('docs = ' + '[' * 5000 + ']' * 5000 + '\n', "invalid TOML: arrays or tables nested too deeply"),
    ],
)
def test_bad_config_exits_2_with_one_line(tmp_path, text, message):
    write_tree(tmp_path, {"doclint.toml": text, "a.md": "x\n"})
    run = doclint(tmp_path)
    assert run.exit_code == 2
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and "doclint.toml" in lines[0] and message in lines[0]
    assert "Traceback" not in run.stderr


def test_pyproject_table_and_root_discovery(tmp_path):
    write_tree(tmp_path, {
        "pyproject.toml": ('[project]\nname = "x"\n\n[tool.doclint]\ndocs = ["guide/*.md"]\n'
                           '[tool.doclint.severity]\nunknown-symbol = "off"\n'),
        "guide/a.md": "`src/missing.ts` and `nothing()`\n",
        "other/b.md": "`src/missing.ts`\n",
        "src/present.ts": "export const present = 1;\n",
    })
    (tmp_path / "guide" / "deep").mkdir()
    assert find_root(tmp_path / "guide" / "deep") == tmp_path
    config = load_config(tmp_path)
    assert config.docs == ("guide/*.md",) and config.severity == {"DL004": "off"}
    run = check_json(tmp_path)
    assert [(f["code"], f["path"]) for f in run.json["findings"]] == [("DL001", "guide/a.md")]


def test_severity_override_turns_error_into_warning(repo):
    root = repo({"doclint.toml": '[severity]\nmissing-file = "warning"\n', "a.md": "`src/gone.ts`\n"})
    run = check_json(root)
    assert [f["severity"] for f in run.json["findings"]] == ["warning"]
    assert run.exit_code == 0
    assert check_json(root, "--strict").exit_code == 1


def test_exclude_hides_files_and_references_into_them(repo):
    root = repo({"doclint.toml": 'exclude = ["build/**", "drafts/**"]\n',
                 "drafts/x.md": "`src/gone.ts`\n", "a.md": "`build/out.js` and `build/sub/x.ts`\n"})
    run = check_json(root)
    assert run.json["findings"] == []


def test_load_config_error_names_the_file(tmp_path):
    write_tree(tmp_path, {".doclint.toml": "rules = [1]\n"})
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path)
    assert ".doclint.toml" in str(info.value) and "rules" in str(info.value)


def test_a_directory_as_the_lock_is_a_config_error(tmp_path):
    root = write_tree(tmp_path, {"doclint.toml": 'lock = "docs"\n', "docs/a.md": "# A\n"})
    for command in ("check", "lock"):
        proc = installed([command], cwd=root)
        assert proc.returncode == 2 and proc.stderr.strip().splitlines() == [
            "doclint: doclint.toml: key 'lock' names a directory ('docs'); give the lock file's path"], proc.stderr


BROKEN_PYPROJECT = '[project]\nname = "x"\nversion = 1.2.3\n\n[tool.doclint]\ndocs = ["guide/*.md"]\n'


def test_a_pyproject_that_does_not_parse_is_an_error_not_the_defaults(tmp_path):
    # with its [tool.doclint] intact but a syntax error elsewhere, the settings were silently dropped
    root = write_tree(tmp_path / "p", {"pyproject.toml": BROKEN_PYPROJECT, "other/b.md": "`src/missing.ts`\n"})
    (root / "guide").mkdir()
    for cwd in (root, root / "guide"):  # found as the root, or on the way up to it
        proc = installed(["check"], cwd=cwd)
        [line] = proc.stderr.strip().splitlines()
        assert proc.returncode == 2 and "pyproject.toml: invalid TOML" in line and "(at line 3, column" in line, line
    # the root's own pyproject.toml, with no doclint.toml: doclint would have read it
    write_tree(root, {"pyproject.toml": '[project]\nname = "x\n', ".git/HEAD": "ref: refs/heads/main\n"})
    proc = installed(["check"], cwd=root)
    assert proc.returncode == 2 and "pyproject.toml: invalid TOML" in proc.stderr and "line 2" in proc.stderr


def test_a_broken_pyproject_that_is_not_doclints_is_passed_on_the_way_up(tmp_path):
    outer = write_tree(tmp_path / "outer", {"pyproject.toml": '[project]\nname = "x\n',
                                           "inner/doclint.toml": "", "inner/a.md": "# A\n"})
    proc = installed(["check"], cwd=outer / "inner")
    assert proc.returncode == 0 and proc.stderr == "", proc.stderr
    (outer / "inner/doclint.toml").unlink()
    proc = installed(["check"], cwd=outer / "inner")  # no root marker below: the walk passes it
    assert proc.returncode == 0 and proc.stderr == "", proc.stderr

