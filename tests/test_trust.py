"""doclint answers only with what it computed: an edited, copied or corrupt cache is a miss,
and a tampered lock or pack is exit 2 naming the file, the key and what was expected."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3

import pytest

from doclint.cache import CACHE_DIR, SCHEMA, Cache
from tests.conftest import installed, write_tree

DOC = "# Doc\n\n`src/gone.ts`, `gone()`, `nope()`, `lost()` and `away()`; `run()` holds.\n"


def make(tmp_path):
    """A repository whose doc has 5 errors, checked once so that the cache holds it."""
    root = write_tree(tmp_path / "repo", {"doclint.toml": "", "src/a.ts": "export function run(): void {}\n",
                                          "docs/a.md": DOC})
    for path in root.rglob("*"):  # old enough for the cache to trust an unchanged size and time
        os.utime(path, (1_700_000_000, 1_700_000_000))
    assert errors(root) == 5
    return root


def errors(root, *args: str) -> int:
    run = installed("check", "--format", "json", *args, cwd=root, timeout=60)
    assert run.returncode in (0, 1) and "internal error" not in run.stderr, run.stderr
    return json.loads(run.stdout)["summary"]["errors"]


def database(root):
    return sqlite3.connect(root / CACHE_DIR / f"cache-v{SCHEMA}.sqlite", isolation_level=None)


def edit(root, sql: str) -> None:
    db = database(root)
    db.executescript(sql)
    db.close()


def forge(root, kind: str, change) -> None:
    """Rewrite every entry of `kind` through doclint's own cache code, as the cache's owner could."""
    cache = Cache(root)
    for key, value in cache.db.execute("SELECT key, value FROM entries WHERE kind = ?", (kind,)).fetchall():
        cache.put(kind, key, change(json.loads(value)))
    cache.flush()
    cache.close()


def no_findings(entry: dict) -> dict:
    return {**entry, "findings": []} if "findings" in entry else {**entry, "problems": []}


def test_an_edited_cache_entry_is_a_miss_not_an_answer(tmp_path):
    root = make(tmp_path)
    edit(root, "UPDATE entries SET value = json_set(value, '$.findings', json('[]')) WHERE kind = 'result';"
               "UPDATE entries SET value = json_set(value, '$.problems', json('[]')) WHERE kind = 'doc';")
    assert errors(root) == 5
    edit(root, "DELETE FROM entries WHERE kind = 'result';"
               "UPDATE entries SET value = json_set(value, '$.problems', json('[]')) WHERE kind = 'doc';")
    assert errors(root) == 5 == errors(root, "--no-cache")


def test_a_cache_copied_from_elsewhere_is_not_trusted(tmp_path):
    root = make(tmp_path)
    forge(root, "result", no_findings)
    forge(root, "doc", no_findings)
    assert errors(root) == 0  # where they were made, the owner's entries are the cache's own
    # the same folder copied wholesale (as a CI cache restore or a committed cache brings it),
    # to the same place, with modes and times kept: it verifies nothing
    shutil.move(root, tmp_path / "elsewhere")
    shutil.copytree(tmp_path / "elsewhere", root, symlinks=True)
    assert errors(root) == 5
    assert errors(root) == 5  # and what it rebuilt holds


def test_a_cache_key_file_not_private_to_the_user_is_replaced(tmp_path):
    root = make(tmp_path)
    forge(root, "result", no_findings)
    key = root / CACHE_DIR / "key"
    os.chmod(key, 0o644)  # as a checkout of a committed cache leaves it
    assert errors(root) == 5
    assert key.stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize("forged", [False, True])
def test_a_consulted_path_outside_the_root_is_never_opened(tmp_path, forged):
    root = make(tmp_path)
    fifo = tmp_path / "outside.fifo"
    os.mkfifo(fifo)  # opening it for reading would block the run for good
    consulted = json.dumps({str(fifo): "0" * 64, "/etc/hostname": None})
    if forged:
        forge(root, "doc", lambda entry: {**no_findings(entry), "consulted": json.loads(consulted)})
        edit(root, "DELETE FROM entries WHERE kind = 'result'")
    else:
        edit(root, "DELETE FROM entries WHERE kind = 'result';"
                   f"UPDATE entries SET value = json_set(value, '$.consulted', json('{consulted}')) WHERE kind = 'doc';")
    assert errors(root) == 5


ROWS = {
    "result is a list": "UPDATE entries SET value = '[1,2,3]' WHERE kind = 'result'",
    "doc entry is a list": "DELETE FROM entries WHERE kind = 'result'; UPDATE entries SET value = '[1,2,3]' WHERE kind = 'doc'",
    "doc entry is a string": "DELETE FROM entries WHERE kind = 'result'; UPDATE entries SET value = '\"s\"' WHERE kind = 'doc'",
    "every value is a list": "UPDATE entries SET value = '[1,2,3]'",
    "a NULL hash": "DELETE FROM entries WHERE kind IN ('result', 'doc'); UPDATE stats SET sha = NULL",
    "NULL values": "UPDATE entries SET value = NULL",
    "binary values": "UPDATE entries SET value = x'00ff'",
    "a column missing": "DROP TABLE stats; CREATE TABLE stats (path TEXT PRIMARY KEY, size INTEGER, mtime INTEGER)",
    "bad schema text": "PRAGMA writable_schema = ON; UPDATE sqlite_master SET sql = 'garbage' WHERE name = 'entries'",
    "a table made a view": "DROP TABLE entries; CREATE VIEW entries AS SELECT 'result' AS kind, 'k' AS key, '[]' AS value",
}


@pytest.mark.parametrize("sql", ROWS.values(), ids=ROWS.keys())
def test_every_malformed_cache_row_is_a_miss(tmp_path, sql):
    root = make(tmp_path)
    edit(root, sql)
    assert errors(root) == 5
    assert errors(root) == 5  # not only once: the cache is sound again
