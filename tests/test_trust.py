"""doclint answers only with what it computed: an edited, copied or corrupt cache is a miss,
and a tampered lock or pack is exit 2 naming the file, the key and what was expected."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3

import pytest

from doclint.cache import CACHE_DIR, SCHEMA, Cache, stored_kind
from conftest import installed, invoke, write_tree
from test_packs import GOOD_DOC, fixture

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
    run = installed(["check", "--format", "json", *args], cwd=root)
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
    for key, value in cache.db.execute("SELECT key, value FROM entries WHERE kind = ?", (stored_kind(kind),)).fetchall():
        cache.put(kind, key, change(json.loads(value)))
    cache.flush()
    cache.close()


NO_RESULT = "DELETE FROM entries WHERE kind LIKE 'result@%';"  # so that the doc entries are read


def no_findings(entry: dict) -> dict:
    return {**entry, "findings": []} if "findings" in entry else {**entry, "problems": []}


def test_an_edited_cache_entry_is_a_miss_not_an_answer(tmp_path):
    root = make(tmp_path)
    edit(root, "UPDATE entries SET value = json_set(value, '$.findings', json('[]')) WHERE kind LIKE 'result@%';"
               "UPDATE entries SET value = json_set(value, '$.problems', json('[]')) WHERE kind LIKE 'doc@%';")
    assert errors(root) == 5
    edit(root, NO_RESULT + "UPDATE entries SET value = json_set(value, '$.problems', json('[]')) WHERE kind LIKE 'doc@%';")
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
        edit(root, NO_RESULT)
    else:
        edit(root, NO_RESULT + f"UPDATE entries SET value = json_set(value, '$.consulted', json('{consulted}'))"
                               " WHERE kind LIKE 'doc@%';")
    assert errors(root) == 5


ROWS = {
    "result is a list": "UPDATE entries SET value = '[1,2,3]' WHERE kind LIKE 'result@%'",
    "doc entry is a list": NO_RESULT + "UPDATE entries SET value = '[1,2,3]' WHERE kind LIKE 'doc@%'",
    "doc entry is a string": NO_RESULT + "UPDATE entries SET value = '\"s\"' WHERE kind LIKE 'doc@%'",
    "every value is a list": "UPDATE entries SET value = '[1,2,3]'",
    "a NULL hash": "DELETE FROM entries WHERE (kind LIKE 'result@%' OR kind LIKE 'doc@%'); UPDATE stats SET sha = NULL",
    "NULL values": "UPDATE entries SET value = NULL",
    "binary values": "UPDATE entries SET value = x'00ff'",
    "a column missing": "DROP TABLE stats; CREATE TABLE stats (path TEXT PRIMARY KEY, size INTEGER, mtime INTEGER)",
    "bad schema text": "PRAGMA writable_schema = ON; UPDATE sqlite_master SET sql = 'garbage' WHERE name = 'entries'",
    "a table made a view": "DROP TABLE entries; CREATE VIEW entries AS SELECT 'result' AS kind, 'k' AS key, 'v' AS value",
}


@pytest.mark.parametrize("sql", ROWS.values(), ids=ROWS.keys())
def test_every_malformed_cache_row_is_a_miss(tmp_path, sql):
    root = make(tmp_path)
    edit(root, sql)
    assert errors(root) == 5
    assert errors(root) == 5  # not only once: the cache is sound again


# --------------------------------------------------------------------------- the lock and packs


@pytest.fixture(scope="module")
def locked_once(tmp_path_factory):
    root = fixture(tmp_path_factory.mktemp("locked"),
                   doc=GOOD_DOC + "\n`runSteps()` in `src/executor.ts:3-5`, `StepRead.slot`.\n")
    assert installed(["lock"], cwd=root).returncode == 0
    for source in (root / "src").rglob("*.ts"):
        source.unlink()
    assert installed(["check", "--no-cache"], cwd=root).returncode == 0
    return root


@pytest.fixture
def locked(locked_once, tmp_path):
    """A repository with rule packs, its lock written, its sources gone: checks replay the lock."""
    root = shutil.copytree(locked_once, tmp_path / "repo")
    return root, json.loads((root / "doclint.lock").read_text())


def with_key(payload: dict, path: tuple, value) -> dict:
    """A copy of the lock with the value at `path` replaced (or deleted, for DELETE)."""
    payload = json.loads(json.dumps(payload))
    parent = payload
    for part in path[:-1]:
        parent = parent[part]
    if value is DELETE:
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    return payload


DELETE = object()
TAMPERED = {
    "a missing key": (("lookups",), DELETE, "key 'lookups': expected a list"),
    "a line as text": (("references", 0, "start"), "12", "key 'references[0].start': expected a whole number"),
    "a count too large": (("files", "src/executor.ts", "lines"), 10**40, "key 'files[\"src/executor.ts\"].lines'"),
    "a list for an object": (("files",), [], "key 'files': expected an object, found a list"),
    "a null lookup": (("lookups", 0), None, "key 'lookups[0]': expected an object"),
    "an unknown lookup": (("lookups", 0, "ask"), "everything", "key 'lookups[0].ask': expected one of \"declared\""),
    "a made-up answer": (("lookups", 0, "answer"), {"symbol": ["f"]}, "key 'lookups[0].answer': expected an answer"),
    "an argument as a list": (("lookups", 0, "args"), [["x"]], "key 'lookups[0].args[0]': expected a string"),
    "a wrong kind": (("references", 0, "kind"), "file",
                     "key 'references[0].kind': expected one of \"symbol\", \"range\""),
    "an absolute path": (("dirs",), ["/etc"], "key 'dirs[0]': expected a path relative to the root"),
    "a path climbing out": (("references", 0, "path"), "../../etc/passwd", "key 'references[0].path'"),
    "a bad regex": (("packs", "invariant_pattern"), "I[0-9",
                    "key 'packs.invariant_pattern': expected a regular expression"),
    "a regex RE2 refuses": (("packs", "invariant_pattern"), "(?<!x)I[0-9]+", "key 'packs.invariant_pattern'"),
    "a member set without members": (("packs", "sets", 0, "members"), DELETE, "key 'packs.sets[0].members'"),
    "a glob that is not one": (("packs", "sets", 0, "docs"), ["/abs/*.md"], "key 'packs.sets[0].docs[0]'"),
    "an unknown version": (("version",), 1, "key 'version': expected 2"),
}


@pytest.mark.parametrize("path, value, message", TAMPERED.values(), ids=TAMPERED.keys())
def test_a_tampered_lock_is_exit_2_naming_the_file_and_the_key(locked, path, value, message):
    root, payload = locked
    (root / "doclint.lock").write_text(json.dumps(with_key(payload, path, value)))
    run = installed(["check"], cwd=root)
    assert run.returncode == 2 and len(run.stderr.strip().splitlines()) == 1, run.stderr
    assert "doclint.lock: lock is malformed" in run.stderr and message in run.stderr, run.stderr


@pytest.mark.parametrize("text", ["[" * 100_000 + "]" * 100_000, '{"version": 1' + "0" * 5000 + "}", "[1, 2, 3]"],
                         ids=["nested too deeply", "a number too long to read", "not an object"])
def test_a_lock_that_is_not_one_is_exit_2_naming_the_file(locked, text):
    root, _payload = locked
    (root / "doclint.lock").write_text(text)
    run = installed(["check"], cwd=root)
    assert run.returncode == 2 and len(run.stderr.strip().splitlines()) == 1, run.stderr
    assert "doclint.lock: lock is" in run.stderr and "internal error" not in run.stderr


def test_no_value_anywhere_in_the_lock_crashes_a_check(locked):
    """Every key of a real lock, replaced by values of every other kind: each run is either a
    check or one clean line naming the lock and the key. (In-process: hundreds of runs.)"""
    root, payload = locked

    def places(value, path=()):
        yield path
        children = value.items() if isinstance(value, dict) else \
            enumerate(value[:1]) if isinstance(value, list) else ()
        for part, child in children:
            yield from places(child, (*path, part))

    for path in list(places(payload))[1:]:
        for value in (None, -1, "x", [], {}, True, [[]], DELETE):
            if value is DELETE and isinstance(path[-1], int):
                continue
            (root / "doclint.lock").write_text(json.dumps(with_key(payload, path, value)))
            run = invoke("check", "--root", str(root), "--no-cache")
            if run.exit_code == 2:
                assert "doclint.lock: lock is malformed: key '" in run.stderr, (path, value, run.stderr)
                assert len(run.stderr.strip().splitlines()) == 1
            else:
                assert run.exit_code in (0, 1) and "internal error" not in run.stderr, (path, value, run.stderr)


PACKS = {
    "nested too deeply": ('[pack]\nname = "p"\n[[union]]\nname = ' + "[" * 5000 + "]" * 5000 + "\n",
                          "rule pack is not valid TOML: arrays or tables nested too deeply"),
    "a regex that backtracks": ('[pack]\nname = "p"\n[invariants]\nfiles = ["spec/*.md"]\nid = "(I)\\\\1"\n',
                                "key 'invariants.id'"),
    "a regex bad only alone": ('[pack]\nname = "p"\n[invariants]\nfiles = ["spec/*.md"]\nid = "a)("\n',
                               "key 'invariants.id'"),
    "a description not text": ('[pack]\nname = "p"\ndescription = 5\n', "key 'pack.description' must be a string"),
    "an unknown key in [pack]": ('[pack]\nname = "p"\ninvariants = 5\n', "unknown key 'pack.invariants'"),
    "a union file outside": ('[pack]\nname = "p"\n[[union]]\nname = "u"\nfile = "/etc/passwd"\ntype = "T"\n',
                             "key 'union[0].file' must be a path relative to the root"),
    "a handler file outside": ('[pack]\nname = "p"\n[[union]]\nname = "u"\nfile = "src/types.ts"\ntype = "Step"\n'
                               'handler = { file = "../x.ts", function = "f" }\n', "key 'union[0].handler' must be"),
}


@pytest.mark.parametrize("pack, message", PACKS.values(), ids=PACKS.keys())
def test_a_malformed_pack_value_is_exit_2_naming_the_file_and_the_key(tmp_path, pack, message):
    root = fixture(tmp_path, pack=pack)
    run = installed(["check"], cwd=root)
    assert run.returncode == 2 and len(run.stderr.strip().splitlines()) == 1, run.stderr
    assert f"rules/fixture.toml: {message}" in run.stderr, run.stderr
