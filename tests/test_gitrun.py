"""The commit-graph doclint keeps for git in its cache: made, used, refreshed, and never
handed to git unless it is the file doclint wrote."""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
from pathlib import Path

import pytest

from conftest import git, installed, write_tree
from test_history import FUNCS, commit_all, drift_found

GRAPH = ".doclint_cache/git/info/commit-graph"


def _graph_facts(graph: Path) -> tuple[int, set[bytes]]:
    """(commits in a commit-graph file, its chunk ids), read from the format's header."""
    data = graph.read_bytes()
    assert data[:4] == b"CGPH"
    chunks = {}
    for index in range(data[6]):
        at = 8 + 12 * index
        chunks[data[at:at + 4]] = struct.unpack(">Q", data[at + 4:at + 12])[0]
    fanout = chunks[b"OIDF"]
    return struct.unpack(">I", data[fanout + 255 * 4:fanout + 256 * 4])[0], set(chunks)


def _verified_by_git(root: Path) -> bool:
    folder = str((root / GRAPH).parent.parent)
    result = subprocess.run(["git", "commit-graph", "verify", "--object-dir", folder], cwd=root, capture_output=True,
                            env={**os.environ, "GIT_ALTERNATE_OBJECT_DIRECTORIES": folder})
    return result.returncode == 0


@pytest.fixture
def blamed(tmp_path):
    """A repository whose doc needs a real blame (two commits wrote it) and has drift."""
    root = tmp_path / "proj"
    root.mkdir()
    git(root, "init", "-q")
    write_tree(root, {"doclint.toml": 'docs = ["docs/**/*.md"]\n', "src/funcs.ts": FUNCS,
                      "docs/a.md": "# A\n\nBeta is `src/funcs.ts:5-7`.\n"})
    commit_all(root, "doc")
    write_tree(root, {"docs/a.md": "# A\n\nBeta is `src/funcs.ts:5-7`.\n\nMore.\n"})
    commit_all(root, "doc grows")
    (root / "src/funcs.ts").write_text("// header\n// more\n\n" + FUNCS)
    commit_all(root, "insert three lines")
    return root


def test_blames_walk_by_a_graph_of_heads_history_refreshed_when_head_moves(blamed):
    assert drift_found(blamed) == [("DL003", 3, "8-10")] == drift_found(blamed, "--no-cache")
    commits, chunks = _graph_facts(blamed / GRAPH)
    assert commits == 3 and b"BIDX" in chunks and b"BDAT" in chunks  # with changed-path filters
    assert _verified_by_git(blamed)
    write_tree(blamed, {"docs/a.md": "# A\n\nBeta is `src/funcs.ts:5-7`.\n\nMore, again.\n"})
    commit_all(blamed, "doc edited")
    assert drift_found(blamed) == [("DL003", 3, "8-10")] == drift_found(blamed, "--no-cache")
    assert _graph_facts(blamed / GRAPH)[0] == 4


def test_a_graph_doclint_did_not_write_is_replaced_not_used(blamed):
    drift_found(blamed)
    graph = blamed / GRAPH
    graph.chmod(0o644)
    graph.write_bytes(b"CGPH\x01\x01\x00\x00" + b"\xff" * 64)  # another file in its place
    with (blamed / "docs/a.md").open("a") as doc:
        doc.write("\nAn edit: the doc is blamed again.\n")
    assert drift_found(blamed) == [("DL003", 3, "8-10")]
    assert _graph_facts(graph)[0] == 3 and _verified_by_git(blamed)


def test_a_repository_with_a_graph_of_its_own_gets_none_from_doclint(blamed):
    git(blamed, "commit-graph", "write", "--reachable")
    assert drift_found(blamed) == [("DL003", 3, "8-10")]
    assert not (blamed / GRAPH).exists()


def test_no_cache_writes_no_graph(blamed):
    assert drift_found(blamed, "--no-cache") == [("DL003", 3, "8-10")]
    assert not (blamed / ".doclint_cache").exists()


@pytest.mark.parametrize("in_the_way", ["file", "link"])
def test_something_in_the_graphs_place_stops_the_run_as_in_the_rest_of_the_cache(blamed, tmp_path, in_the_way):
    cache = blamed / ".doclint_cache"
    drift_found(blamed)
    shutil.rmtree(cache / "git")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    if in_the_way == "file":
        (cache / "git").write_text("not a folder\n")
    else:
        (cache / "git").symlink_to(elsewhere)
    run = installed(["check"], cwd=blamed)
    assert run.returncode == 2 and ".doclint_cache/git" in run.stderr, run.stderr
    assert ("symbolic link" if in_the_way == "link" else "not a directory") in run.stderr
    assert list(elsewhere.iterdir()) == []
    assert installed(["check", "--no-cache"], cwd=blamed).returncode == 1  # the way round it


def test_a_lock_left_by_a_killed_git_is_removed_once_stale(blamed):
    """git refuses to write the graph while its lock file exists: a fresh one is another run's
    (left alone, and tried again next run), an old one a killed git's (removed)."""
    drift_found(blamed)
    lock = blamed / ".doclint_cache/git/info/commit-graph.lock"
    graph = blamed / GRAPH
    before = graph.read_bytes()
    write_tree(blamed, {"docs/a.md": "# A\n\nBeta is `src/funcs.ts:5-7`.\n\nMore, again.\n"})
    commit_all(blamed, "doc edited: HEAD moves, so the graph is written again")
    lock.write_text("")
    assert drift_found(blamed) == [("DL003", 3, "8-10")]
    assert graph.read_bytes() == before and lock.exists()  # a lock held now: not written
    os.utime(lock, (0, 0))
    write_tree(blamed, {"docs/a.md": "# A\n\nBeta is `src/funcs.ts:5-7`.\n\nMore, once more.\n"})
    assert drift_found(blamed) == [("DL003", 3, "8-10")]
    assert not lock.exists() and _graph_facts(graph)[0] == 4


def test_git_blames_by_the_graph(blamed, tmp_path):
    """git itself says it answered the blame through the graph's changed-path filters."""
    trace = tmp_path / "trace2.log"
    run = installed(["check"], cwd=blamed, env={"GIT_TRACE2_PERF": str(trace)})
    assert run.returncode == 1, run.stderr
    assert "bloom/queries" in trace.read_text()


def test_nothing_but_the_graph_is_left_where_git_is_pointed(blamed, tmp_path):
    """Writing a graph, git deletes a split graph's files in info/commit-graphs, and it reads
    packs and further alternates from an object directory: whatever else is in the graph's
    folder is removed first (a link is removed, not followed)."""
    drift_found(blamed)
    outside = tmp_path / "outside"
    outside.mkdir()
    for name in ("commit-graph-chain", "graph-0123.graph", "victim.txt"):
        (outside / name).write_text("keep me\n")
    info = blamed / ".doclint_cache/git/info"
    (info / "commit-graphs").symlink_to(outside)
    (info / "alternates").write_text(f"{outside}\n")
    (info.parent / "pack").mkdir()
    write_tree(blamed, {"docs/a.md": "# A\n\nBeta is `src/funcs.ts:5-7`.\n\nMore, again.\n"})
    commit_all(blamed, "doc edited: HEAD moves, so the graph is written again")
    assert drift_found(blamed) == [("DL003", 3, "8-10")]
    assert sorted(p.name for p in outside.iterdir()) == ["commit-graph-chain", "graph-0123.graph", "victim.txt"]
    assert sorted(p.name for p in info.iterdir()) == ["commit-graph"] and os.listdir(info.parent) == ["info"]
    assert _graph_facts(info / "commit-graph")[0] == 4
