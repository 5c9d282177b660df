"""`doclint baseline` and checks against it, through the installed command."""

from __future__ import annotations

import json

from conftest import git, installed, write_tree

DOC = """\
# Guide

Run `executeFrame()` in `src/runtime/executor.ts`.

The old entry point was `src/runtime/old.ts`.
"""


def _json(root, *args):
    run = installed(["check", "--format", "json", *args], root)
    assert "Traceback" not in run.stderr
    return run, json.loads(run.stdout)


def test_baseline_accepts_todays_findings_and_reports_only_new_ones(repo):
    root = repo({"docs/guide.md": DOC})
    run, data = _json(root)
    assert run.returncode == 1 and [f["target"] for f in data["findings"]] == ["src/runtime/old.ts"]

    made = installed(["baseline"], root)
    assert made.returncode == 0, made.stderr
    assert "1 finding accepted (1 new, 0 fixed" in made.stdout
    stored = json.loads((root / "doclint-baseline.json").read_text())
    assert stored["findings"] == [{"path": "docs/guide.md", "code": "DL001", "name": "missing-file",
                                   "target": "src/runtime/old.ts", "text": "src/runtime/old.ts", "count": 1}]

    run, data = _json(root)
    assert run.returncode == 0 and data["findings"] == [] and data["summary"]["baselined"] == 1
    text = installed(["check"], root)
    assert text.returncode == 0 and "1 baselined" in text.stdout

    everything = installed(["check", "--no-baseline"], root)
    assert everything.returncode == 1 and "src/runtime/old.ts" in everything.stdout


def test_entries_survive_edits_elsewhere_but_not_a_new_copy(repo):
    root = repo({"docs/guide.md": DOC})
    assert installed(["baseline"], root).returncode == 0
    # Lines added above move the old finding; it stays accepted.
    (root / "docs/guide.md").write_text("# Guide\n\nIntro.\n\nMore intro.\n" + DOC.split("\n", 1)[1])
    run, data = _json(root)
    assert run.returncode == 0 and data["summary"]["baselined"] == 1
    # The same broken reference written a second time is new.
    (root / "docs/guide.md").write_text(DOC + "\nSee also `src/runtime/old.ts`.\n")
    run, data = _json(root)
    assert run.returncode == 1 and [f["line"] for f in data["findings"]] == [7]
    # A different broken reference is new too.
    (root / "docs/guide.md").write_text(DOC + "\nAnd `src/runtime/gone.ts`.\n")
    run, data = _json(root)
    assert [f["target"] for f in data["findings"]] == ["src/runtime/gone.ts"]


def test_rerun_drops_fixed_entries(repo):
    root = repo({"docs/guide.md": DOC})
    installed(["baseline"], root)
    (root / "docs/guide.md").write_text(DOC.replace("src/runtime/old.ts", "src/runtime/executor.ts"))
    again = installed(["baseline"], root)
    assert "0 findings accepted (0 new, 1 fixed" in again.stdout
    assert json.loads((root / "doclint-baseline.json").read_text())["findings"] == []


def test_configured_baseline_path_and_bad_files(repo):
    root = repo({"docs/guide.md": DOC, "doclint.toml": 'docs = ["**/*.md"]\nbaseline = "ci/accepted.json"\n'})
    (root / "ci").mkdir()
    missing = installed(["check"], root)
    assert missing.returncode == 2 and "ci/accepted.json" in missing.stderr and "Traceback" not in missing.stderr
    assert installed(["baseline"], root).returncode == 0
    assert (root / "ci/accepted.json").is_file() and not (root / "doclint-baseline.json").exists()
    assert installed(["check"], root).returncode == 0

    (root / "ci/accepted.json").write_text('{"version": 1, "findings": [{"path": 3}]}')
    bad = installed(["check"], root)
    assert bad.returncode == 2 and "ci/accepted.json" in bad.stderr and "findings[0]" in bad.stderr
    (root / "ci/accepted.json").write_text("{not json")
    bad = installed(["check"], root)
    assert bad.returncode == 2 and "not valid JSON" in bad.stderr

    outside = repo({"doclint.toml": 'baseline = "../elsewhere.json"\n'})
    escaped = installed(["check"], outside)
    assert escaped.returncode == 2 and "outside the root" in escaped.stderr


def test_precommit_style_paths_honour_the_baseline(repo):
    root = repo({"docs/guide.md": DOC})
    git(root, "init", "-q")
    installed(["baseline"], root)
    assert installed(["check", "--", "docs/guide.md"], root).returncode == 0
    write_tree(root, {"docs/new.md": "# New\n\nSee `src/runtime/missing.ts`.\n"})
    run = installed(["check", "--", "docs/guide.md", "docs/new.md"], root)
    assert run.returncode == 1 and "missing.ts" in run.stdout and "old.ts" not in run.stdout
