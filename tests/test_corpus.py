"""The corpus script's matching and scoring (benchmarks/corpus/run.py), on small in-memory inputs."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

RUN_PY = Path(__file__).resolve().parent.parent / "benchmarks" / "corpus" / "run.py"
_spec = importlib.util.spec_from_file_location("corpus_run", RUN_PY)
assert _spec and _spec.loader
run = importlib.util.module_from_spec(_spec)
sys.modules["corpus_run"] = run
_spec.loader.exec_module(run)


def finding(path="docs/a.md", line=3, code="DL001", target="src/x.ts", severity="error"):
    return run.Finding(path, line, 1, code, severity, target, "message")


def label(path="docs/a.md", line=3, code="DL001", target="src/x.ts", verdict=True, reason="gone"):
    return run.Label(path, line, code, target, verdict, reason)


def test_match_needs_path_line_and_target():
    labels = [label()]
    assert run.match(finding(), labels) == labels[0]
    assert run.match(finding(line=4), labels) is None
    assert run.match(finding(target="src/y.ts"), labels) is None
    assert run.match(finding(path="docs/b.md"), labels) is None


def test_code_breaks_ties_and_a_changed_code_still_matches():
    as_missing = label(code="DL001", verdict=True)
    as_renamed = label(code="DL002", verdict=False)
    assert run.match(finding(code="DL002"), [as_missing, as_renamed]) == as_renamed
    assert run.match(finding(code="DL001"), [as_renamed, as_missing]) == as_missing
    assert run.match(finding(code="DL006"), [as_missing]) == as_missing


def test_score_counts_error_precision_and_unlabelled():
    labels = [label(line=1, verdict=True), label(line=2, verdict=False), label(line=3, verdict=True)]
    findings = [finding(line=1), finding(line=2), finding(line=9), finding(line=3, severity="warning")]
    s = run.score(findings, labels)
    assert (s.findings, s.errors, s.labelled_errors, s.true, s.false, s.unlabelled_errors) == (4, 3, 2, 1, 1, 1)
    assert s.precision == 0.5
    # line 3 is a warning: still reported, so found; a true label nothing reports is missed
    assert (s.recall_found, s.recall_total) == (2, 2)
    assert run.score(findings[:2], labels).recall == 0.5


def test_recall_ignores_true_labels_outside_the_mode_scope():
    labels = [label(path="docs/a.md"), label(path="blog/old.md")]
    s = run.score([finding(path="docs/a.md")], labels, in_scope=lambda p: p.startswith("docs/"))
    assert (s.recall_found, s.recall_total) == (1, 1)
    assert run.score([], labels).recall == 0.0
    assert run.score([], []).precision is None and run.score([], []).recall is None


def test_scores_add_up_to_the_overall_row():
    a = run.score([finding(line=1)], [label(line=1)])
    b = run.score([finding(line=2)], [label(line=2, verdict=False)])
    total = run.ZERO + a + b
    assert (total.labelled_errors, total.true, total.precision) == (2, 1, 0.5)


def test_sample_is_seeded_stable_and_lists_every_agent_finding():
    others = [finding(path=f"docs/d{i}.md", line=i) for i in range(50)]
    agent = [finding(path="AGENTS.md", line=7, severity="warning"), finding(path="pkg/.claude/rules/x.md")]
    first = run.sample(others + agent, [], 10, "13:o/r:bare")
    assert first == run.sample(list(reversed(others + agent)), [], 10, "13:o/r:bare")
    assert first != run.sample(others + agent, [], 10, "14:o/r:bare")
    assert [f for f in first if run.is_agent_file(f.path)] == sorted(agent, key=run.sort_key)
    assert len(first) == 12
    # labelling part of the draw leaves the rest of the same draw
    done = [label(path=f.path, line=f.line, target=f.target) for f in first[:5]]
    assert run.sample(others + agent, done, 10, "13:o/r:bare") == first[5:]


def test_agent_files_follow_the_spec_list():
    for path in ("CLAUDE.md", "a/b/AGENTS.md", ".github/copilot-instructions.md", ".cursor/rules/x.mdc",
                 ".clinerules", ".clinerules/a.md", ".roo/rules-code/x.md", ".claude/skills/s/SKILL.md"):
        assert run.is_agent_file(path), path
    for path in ("README.md", "docs/agents.md", "src/claude.ts"):
        assert not run.is_agent_file(path), path


def test_thresholds():
    good = run.score([finding()], [label()])
    bad = run.score([finding(), finding(line=4)], [label(), label(line=4, verdict=False)])
    assert run.check_thresholds({("overall", "bare"): good, ("o/r", "bare"): good}) == []
    failures = run.check_thresholds({("overall", "bare"): bad, ("o/r", "config"): bad})
    assert len(failures) == 2 and any(f.startswith("o/r config: precision") for f in failures)


def test_labels_round_trip_and_bad_lines_name_the_line():
    lb = label(target="`x`", reason="file exists under packages/x")
    assert run.parse_labels([run.label_line(lb), ""], "l.jsonl") == [lb]
    with pytest.raises(run.CorpusError, match="l.jsonl:2"):
        run.parse_labels([run.label_line(lb), json.dumps({"path": "a"})], "l.jsonl")
    with pytest.raises(run.CorpusError, match="l.jsonl:1"):
        run.parse_labels([run.label_line(lb).replace('"true"', '"yes"')], "l.jsonl")


def test_export_writes_the_pinned_commit_and_a_missing_mirror_says_how_to_fetch(tmp_path):
    source = tmp_path / "src"
    source.mkdir()
    git = ["git", "-C", str(source), "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run(["git", "init", "-q", str(source)], check=True)
    (source / "docs").mkdir()
    (source / "docs" / "a b.md").write_text("# A\n")
    (source / "node_modules").mkdir()
    (source / "node_modules" / "x.js").write_text("x\n")
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "one"], check=True)
    commit = subprocess.run([*git, "rev-parse", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()
    mirrors = tmp_path / "mirrors"
    subprocess.run(["git", "clone", "-q", "--bare", str(source), str(mirrors / "o+r" / "repo")], check=True)
    trees = tmp_path / "trees"
    trees.mkdir()
    tree = run.ensure_tree(run.Repo("o/r", commit), trees, mirrors)
    assert (tree / "docs" / "a b.md").read_text() == "# A\n"
    assert not (tree / "node_modules").exists()
    assert run.ensure_tree(run.Repo("o/r", commit), trees, mirrors) == tree
    with pytest.raises(run.CorpusError, match="fetch tool"):
        run.ensure_tree(run.Repo("o/other", commit), trees, mirrors)
