"""Hostile inputs that used to hang doclint or exhaust its memory, each run through the installed
`doclint` command with a timeout: every run must end cleanly within a few seconds.

| input | was |
|---|---|
| a FIFO named `docs/pipe.md` or `src/x.ts` | hung, with or without the cache |
| a character device named `docs/zero.md` | read until memory ran out |
| pack `[invariants] id = "(a|aa)+b"`, a doc of 42 `a`s | 60 s (exponential backtracking) |
| the same pattern in a tampered lock, sources absent | 29 s at 40 `a`s |
| `exclude = ["**a**a**a**a**a**b"]`, a 200-character file name | over 60 s |
| `docs = ["*" * 5000 + ".md"]` | over 100 s |
| `--jobs 100000000`, a cold run of 400 files | over 20 s (a process per job) |
| a cited ID, a title, then 100,000 spaces on the line | minutes (quadratic title pattern) |
"""

from __future__ import annotations

import json
import os
import shutil
import time

import pytest

from conftest import installed, write_tree

# Each run is small: a clean run takes well under a second. A run over this has hung.
LIMIT = 8.0


def run(root, *args):
    started = time.monotonic()
    proc = installed(list(args), cwd=root, timeout=LIMIT)
    elapsed = time.monotonic() - started
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr, proc.stderr
    return proc, elapsed


def base(tmp_path, **files):
    return write_tree(tmp_path / "repo", {
        "doclint.toml": 'docs = ["docs/**/*.md"]\n',
        "src/ok.ts": "export function ok(): number {\n  return 1;\n}\n",
        "docs/guide.md": "# Guide\n\n`ok()` in `src/ok.ts`.\n",
        **files,
    })


@pytest.mark.parametrize("special", ["docs/pipe.md", "src/x.ts"])
def test_a_fifo_is_not_read(tmp_path, special):
    root = base(tmp_path)
    os.mkfifo(root / special)
    for args in (["check"], ["check", special], ["lock"], ["check", "--no-cache"]):  # cold, from the cache
        proc, _ = run(root, *args)
        assert proc.returncode == 0, (args, proc.stdout, proc.stderr)
        if args in (["check"], ["check", "--no-cache"]):  # a notice is said once per cache
            assert f"doclint: {special}: skipped, not a regular file" in proc.stderr.splitlines()


def test_a_character_device_is_not_read(tmp_path):
    root = base(tmp_path)
    try:
        os.mknod(root / "docs/zero.md", 0o600 | 0o020000, os.makedev(1, 5))  # what /dev/zero is
    except PermissionError:
        pytest.skip("creating a device node needs root")
    proc, _ = run(root, "check")
    assert proc.returncode == 0 and "docs/zero.md: skipped, not a regular file" in proc.stderr


def with_spec(tmp_path, pattern, spec, doc):
    """A repository whose rule pack finds IDs matching `pattern`, defined in `spec`, cited in `doc`."""
    return base(tmp_path, **{
        "doclint.toml": 'docs = ["docs/**/*.md"]\nrules = ["rules/spec.toml"]\n',
        "rules/spec.toml": f'[pack]\nname = "spec"\n\n[invariants]\nfiles = ["spec/INVARIANTS.md"]\nid = "{pattern}"\n',
        "spec/INVARIANTS.md": f"# Invariants\n\n### {spec}\n",
        "docs/cites.md": f"# Cites\n\n{doc}\n",
    })


def test_a_backtracking_invariant_pattern_in_a_pack(tmp_path):
    # (only text with a letter then a digit, as in `I7`, is searched for IDs)
    root = with_spec(tmp_path, "(a|aa)+b", "aab: Defined", "a" * 42 + " I7, then aab: Defined, and aaab.")
    proc, elapsed = run(root, "check", "--format", "json")
    findings = [(f["code"], f["target"]) for f in json.loads(proc.stdout)["findings"]]
    assert findings == [("DL008", "aaab")], proc.stderr  # the pattern still works, in linear time
    assert elapsed < LIMIT


def test_a_backtracking_pattern_in_a_tampered_lock_with_sources_absent(tmp_path):
    root = with_spec(tmp_path, "I[0-9]+", "I1: Defined", "a" * 40 + " I1")
    proc, _ = run(root, "lock")
    assert proc.returncode == 0, proc.stderr
    lock = json.loads((root / "doclint.lock").read_text())
    lock["packs"]["invariant_pattern"] = "(a|aa)+b"
    (root / "doclint.lock").write_text(json.dumps(lock))
    shutil.rmtree(root / "src")
    proc, _ = run(root, "check")
    assert proc.returncode == 0 and "sources absent" in proc.stdout, proc.stdout + proc.stderr


def test_an_exclude_glob_with_many_double_stars(tmp_path):
    root = base(tmp_path, **{
        "doclint.toml": 'docs = ["docs/**/*.md"]\nexclude = ["**a**a**a**a**a**b"]\n',
        "docs/" + "a" * 196 + ".md": "# Long\n",
    })
    proc, _ = run(root, "check")
    assert proc.returncode == 0 and "in 2 files" in proc.stdout, proc.stdout


@pytest.mark.parametrize("stars", [1000, 5000])
def test_a_docs_glob_of_thousands_of_stars(tmp_path, stars):
    root = base(tmp_path, **{"doclint.toml": f'docs = ["{"*" * stars}.md"]\n', "a.md": "# A\n"})
    proc, _ = run(root, "check")
    assert proc.returncode == 0 and "in 2 files" in proc.stdout, proc.stdout  # `**.md`: every doc


def test_jobs_beyond_the_cores_on_a_cold_run(tmp_path):
    files = {f"docs/d{i}.md": f"# Doc {i}\n\n`ok()` in `src/ok.ts`.\n" for i in range(300)}
    files |= {f"src/m{i}.ts": f"export const m{i} = {i};\n" for i in range(100)}
    root = base(tmp_path, **files)
    proc, _ = run(root, "check", "--no-cache", "--jobs", "100000000")
    assert proc.returncode == 0 and "in 301 files" in proc.stdout, proc.stdout + proc.stderr


def test_a_long_run_of_spaces_after_a_cited_title(tmp_path):
    root = with_spec(tmp_path, "I[0-9]+", "I7: Cycles cross a stateful boundary", "I7 - cycles" + " " * 100_000 + "x")
    proc, _ = run(root, "check")
    assert proc.returncode == 0, proc.stdout + proc.stderr
