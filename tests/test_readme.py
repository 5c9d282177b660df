"""The README's rule table is generated from the registry and must not drift from it."""

from __future__ import annotations

import json
import re
from pathlib import Path

from conftest import installed, invoke, write_tree

README = Path(__file__).resolve().parents[1] / "README.md"


def test_rule_table_matches_doclint_rules():
    text = README.read_text(encoding="utf-8")
    start = text.index("<!-- rules-table")
    block = text[text.index("\n", start) + 1 : text.index("<!-- end rules-table -->")]
    assert block == invoke("rules", "--format", "markdown").stdout


def test_readme_first_screen_shows_the_two_commands():
    first_screen = "\n".join(README.read_text(encoding="utf-8").splitlines()[:15])
    assert "make check" in first_screen and "make test" in first_screen


def _worked_example() -> tuple[dict[str, str], str]:
    """The files of the README's rule-pack example (each block opens with a comment naming its
    path, not part of the file), and the output it shows for `doclint check`."""
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## Rule packs and coverage"):text.index("## Speed and the cache")]
    files, shown = {}, ""
    for block in re.findall(r"^```[a-z]*\n(.*?)^```$", section, re.MULTILINE | re.DOTALL):
        first, _, body = block.partition("\n")
        named = re.fullmatch(r"(?://|#|<!--) (\S+\.\w+)(?: -->)?", first)
        if named:
            files[named.group(1)] = body
        elif first == "$ doclint check":
            shown = body
    return files, shown


def test_rule_pack_example_runs_as_shown(tmp_path):
    files, shown = _worked_example()
    assert set(files) == {"src/shapes.ts", "src/render.ts", "src/editor/new-shape.ts", "src/tools/pen.ts",
                          "rules/drawing.toml", "docs/shapes.md", "docs/tools.md", "docs/spec/RULES.md"}
    root = write_tree(tmp_path / "drawing", {
        **files, "doclint.toml": 'docs = ["docs/**/*.md"]\nrules = ["rules/drawing.toml"]\n'})
    (root / ".git").mkdir()
    run = installed(["check"], cwd=root)
    assert (run.returncode, run.stdout) == (1, shown)
    coverage = json.loads(installed(["coverage", "--format", "json"], cwd=root).stdout)
    assert [(s["name"], s["documented_pct"]) for s in coverage["sets"]] == [("shape", 66.7), ("tool", 100.0)]
