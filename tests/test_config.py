"""Configuration: where it is found, what it accepts, and one clear line when it is wrong."""

from __future__ import annotations

import pytest

from conftest import check_json, doclint, write_tree

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
        "pyproject.toml": '[project]\nname = "x"\n\n[tool.doclint]\ndocs = ["guide/*.md"]\n[tool.doclint.severity]\nunknown-symbol = "off"\n',
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
