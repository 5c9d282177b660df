"""Rows written by other builds of doclint are dropped once that build has not opened the
cache for a week: no other build can read them (every key names its build), and an upgrade
would otherwise leave a whole tree's scans behind each time."""

from __future__ import annotations

import json
import re
import sqlite3
import time

import pytest

from conftest import installed
from doclint.cache import CACHE_DIR, OTHER_BUILDS_KEPT_DAYS, SCHEMA

OTHER = "0123456789abcdef"
DAY = 86400


def database(root) -> sqlite3.Connection:
    return sqlite3.connect(root / CACHE_DIR / f"cache-v{SCHEMA}.sqlite", isolation_level=None)


def check(root) -> str:
    run = installed(["check", "--format", "json"], cwd=root)
    assert run.returncode in (0, 1), run.stderr
    assert "Traceback" not in run.stderr
    return json.dumps(json.loads(run.stdout)["findings"])


def builds(root) -> dict[str, float]:
    db = database(root)
    row = db.execute("SELECT value FROM meta WHERE name = 'builds'").fetchone()
    db.close()
    return json.loads(row[0])


def kinds(root) -> dict[str, int]:
    db = database(root)
    rows = dict(db.execute("SELECT kind, COUNT(*) FROM entries GROUP BY kind").fetchall())
    db.close()
    return rows


def plant(root, seen: dict[str, float], rows: int = 2000) -> None:
    """Rows of another build and rows from before builds were named, and when each was last seen."""
    db = database(root)
    filler = "x" * 2000
    db.executemany("INSERT INTO entries VALUES (?, ?, ?, ?)",
                   [(f"md@{OTHER}", f"k{n}", filler, "m") for n in range(rows)]
                   + [("md", f"k{n}", filler, "m") for n in range(rows)])
    db.execute("INSERT OR REPLACE INTO meta VALUES ('builds', ?)", (json.dumps(seen),))
    db.close()


def own_build(root) -> str:
    suffixes = {kind.rsplit("@", 1)[1] for kind in kinds(root) if "@" in kind}
    assert len(suffixes) == 1
    return suffixes.pop()


def test_every_row_names_the_build_that_wrote_it_and_the_build_is_seen(repo):
    root = repo()
    before = time.time()
    check(root)
    own = own_build(root)
    assert re.fullmatch(r"[0-9a-f]{16}", own)
    assert all(kind.endswith(f"@{own}") for kind in kinds(root))
    seen = builds(root)
    assert before - 1 <= seen[own] <= time.time() + 1
    check(root)
    assert builds(root) == seen  # written again at most once an hour, not on every run


def test_a_build_unused_for_a_week_loses_its_rows_and_the_file_shrinks(repo):
    root = repo()
    findings = check(root)
    own = own_build(root)
    now = time.time()
    plant(root, {own: now, OTHER: now - (OTHER_BUILDS_KEPT_DAYS + 1) * DAY, "": now - DAY})
    size = (root / CACHE_DIR / f"cache-v{SCHEMA}.sqlite").stat().st_size
    assert check(root) == findings
    left = kinds(root)
    assert f"md@{OTHER}" not in left and left["md"] == 2000  # the other build gone, the old rows not yet
    assert all(kind.endswith(f"@{own}") for kind in left if kind != "md")
    assert OTHER not in builds(root) and "" in builds(root)
    seen = builds(root)
    seen[""] = now - (OTHER_BUILDS_KEPT_DAYS + 1) * DAY
    db = database(root)
    db.execute("INSERT OR REPLACE INTO meta VALUES ('builds', ?)", (json.dumps(seen),))
    db.close()
    assert check(root) == findings
    assert "md" not in kinds(root)
    assert (root / CACHE_DIR / f"cache-v{SCHEMA}.sqlite").stat().st_size < size / 2
    assert check(root) == findings  # this build's own rows were kept: the run still agrees


def test_a_build_used_this_week_keeps_its_rows(repo):
    root = repo()
    check(root)
    own = own_build(root)
    now = time.time()
    plant(root, {own: now, OTHER: now - (OTHER_BUILDS_KEPT_DAYS - 1) * DAY, "": now - DAY})
    check(root)
    assert kinds(root)[f"md@{OTHER}"] == 2000 and kinds(root)["md"] == 2000


def test_a_cache_from_before_builds_were_named_keeps_its_rows_for_a_week(repo):
    root = repo()
    check(root)
    db = database(root)
    db.execute("UPDATE entries SET kind = substr(kind, 1, instr(kind, '@') - 1)")  # as an older doclint wrote them
    db.execute("DELETE FROM meta WHERE name = 'builds'")
    db.close()
    before = time.time()
    check(root)
    assert before - 1 <= builds(root)[""] <= time.time() + 1
    assert any("@" not in kind for kind in kinds(root))


@pytest.mark.parametrize("value", [
    "not json", "[1, 2]", '"%"', '{"%": 0, "_": 0}', '{"abc": 0}', f'{{"{OTHER}": "yesterday"}}',
    f'{{"{OTHER}": NaN}}', f'{{"{OTHER}": true}}', '{"": Infinity}', '{"": -Infinity}',
], ids=["text", "a list", "a wildcard", "wildcard names", "a short name", "a string time", "NaN", "a boolean",
        "infinitely late", "infinitely early"])
def test_a_builds_row_written_by_hand_never_drops_this_builds_rows(repo, value):
    root = repo()
    findings = check(root)
    own = own_build(root)
    mine = kinds(root)
    db = database(root)
    db.execute("INSERT OR REPLACE INTO meta VALUES ('builds', ?)", (value,))
    db.close()
    assert check(root) == findings
    assert {kind: count for kind, count in kinds(root).items() if kind.endswith(own)} == mine
    assert own in builds(root)
