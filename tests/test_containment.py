"""Nothing doclint reads or writes lies outside the root: a hostile doclint.toml, symbolic
links and a planted cache folder all stop the run with one line and exit 2."""

from __future__ import annotations

import os

import pytest

from doclint.cache import SCHEMA
from conftest import OSCILLA_TREE, RUNTIME_TS, git, installed, write_tree

DOC = "`executeFrame()` and `src/gone.ts` and `missingThing()`\n"
PACK = ('[pack]\nname = "outside"\n\n[[domain]]\nname = "d"\nfiles = ["src/**/*.ts"]\n'
        'query = "(string (string_fragment) @member)"\n')
OBEYED = '[severity]\nmissing-file = "off"\nunknown-symbol = "off"\n'  # if read, the doc's two errors vanish


def make(tmp_path, config: str = "", extra: dict | None = None):
    """A repository with two errors in its doc, and a folder beside it that doclint must never touch."""
    outside = write_tree(tmp_path / "outside", {"victim.txt": "precious\n", "pack.toml": PACK, "doclint.toml": OBEYED})
    root = write_tree(tmp_path / "repo", {"doclint.toml": config, "src/runtime/executor.ts": RUNTIME_TS,
                                          "docs/a.md": DOC, **(extra or {})})
    return root, outside


def assert_stopped(run, *words: str) -> None:
    """Exit 2 with exactly one line on stderr, naming what it must name."""
    assert run.returncode == 2, (run.returncode, run.stdout, run.stderr)
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in run.stderr and "internal error" not in run.stderr, run.stderr
    for word in words:
        assert word in lines[0], (word, lines[0])


@pytest.mark.parametrize("where", ["relative", "absolute"])
def test_a_lock_outside_the_root_is_never_written_or_read(tmp_path, where):
    victim = tmp_path / "outside" / "victim.txt"
    written = "../outside/victim.txt" if where == "relative" else str(victim)
    root, _outside = make(tmp_path, f'lock = "{written}"\n')
    for command in ("lock", "check"):
        assert_stopped(installed([command], cwd=root), "doclint.toml", "key 'lock'", written)
    assert victim.read_text() == "precious\n"


def test_check_reads_no_lock_outside_the_root(tmp_path):
    root, outside = make(tmp_path, 'lock = "/etc/hostname"\n')
    assert_stopped(installed(["check"], cwd=root), "doclint.toml", "key 'lock'", "/etc/hostname")
    # a lock of another repository, reached through a symbolic link named like the default
    other = write_tree(tmp_path / "other", {"doclint.toml": "", "src/x.ts": "export function missingThing() {}\n",
                                            "docs/a.md": "`missingThing()`\n"})
    assert installed(["lock"], cwd=other).returncode == 0
    root.joinpath("doclint.toml").write_text("")
    os.symlink(other / "doclint.lock", root / "doclint.lock")
    (root / "src/runtime/executor.ts").unlink()  # sources absent: check would replay the lock
    assert_stopped(installed(["check"], cwd=root), "doclint.lock", "outside the root")


def test_a_lock_that_is_a_directory_exits_2(tmp_path):
    root, _outside = make(tmp_path, 'lock = "docs"\n')
    for command in ("lock", "check"):
        assert_stopped(installed([command], cwd=root), "doclint.toml", "key 'lock'", "directory")
    root.joinpath("doclint.toml").write_text('lock = "nowhere/doclint.lock"\n')
    assert_stopped(installed(["lock"], cwd=root), "doclint.toml", "key 'lock'", "nowhere")


def test_a_lock_inside_the_root_may_be_anywhere_in_it(tmp_path):
    root, _outside = make(tmp_path, 'lock = "docs/../meta/doclint.lock"\n', {"meta/.keep": ""})
    assert installed(["lock"], cwd=root).returncode == 0
    assert (root / "meta/doclint.lock").is_file()
    assert installed(["check"], cwd=root).returncode == 1


@pytest.mark.parametrize("entry", ["../outside/pack.toml", "ABSOLUTE", "/etc/passwd", "rules/linked.toml"])
def test_rule_packs_outside_the_root_are_never_read(tmp_path, entry):
    if entry == "ABSOLUTE":
        entry = str(tmp_path / "outside" / "pack.toml")
    root, outside = make(tmp_path, f'rules = ["{entry}"]\n')
    (root / "rules").mkdir()
    os.symlink(outside / "pack.toml", root / "rules" / "linked.toml")
    for command in ("check", "coverage"):
        assert_stopped(installed([command], cwd=root), "doclint.toml", "key 'rules'", entry)


def test_bundled_packs_by_name_and_packs_inside_the_root_are_read(tmp_path):
    root, outside = make(tmp_path, 'rules = ["oscilla", "rules/local.toml"]\n',
                         {"rules/local.toml": PACK, **OSCILLA_TREE})
    run = installed(["coverage", "--format", "json"], cwd=root)
    assert run.returncode == 0 and '"name": "d"' in run.stdout


@pytest.mark.parametrize("name", ["doclint.toml", ".doclint.toml", "pyproject.toml"])
def test_a_config_file_linked_outside_the_root_is_not_obeyed(tmp_path, name):
    root, outside = make(tmp_path)
    (root / "doclint.toml").unlink()
    (root / ".git").mkdir()  # the root, whatever its config files
    target = outside / "doclint.toml"
    if name == "pyproject.toml":
        target = outside / "pyproject.toml"
        target.write_text(OBEYED.replace("[severity]", "[tool.doclint.severity]"))
    os.symlink(target, root / name)
    assert_stopped(installed(["check"], cwd=root), name, "outside the root")


def test_a_config_named_on_the_command_line_is_the_users_choice(tmp_path):
    root, outside = make(tmp_path)
    # it is read wherever it is; what it names (the lock, packs) must still be inside the root
    assert installed(["check", "--config", str(outside / "doclint.toml")], cwd=root).returncode == 0
    assert installed(["check"], cwd=root).returncode == 1
    (outside / "doclint.toml").write_text('lock = "../outside/victim.txt"\n')
    assert_stopped(installed(["lock", "--config", str(outside / "doclint.toml")], cwd=root), "key 'lock'")
    assert (outside / "victim.txt").read_text() == "precious\n"


def test_a_linked_cache_folder_writes_nothing_outside(tmp_path):
    root, outside = make(tmp_path)
    elsewhere = outside / "cache"
    elsewhere.mkdir()
    os.symlink(elsewhere, root / ".doclint_cache")
    assert_stopped(installed(["check"], cwd=root), ".doclint_cache", "symbolic link")
    assert list(elsewhere.iterdir()) == []
    assert installed(["check", "--no-cache"], cwd=root).returncode == 1  # the way round it
    assert list(elsewhere.iterdir()) == []


DATABASE = f"cache-v{SCHEMA}.sqlite"


@pytest.mark.parametrize("name", [".gitignore", "key", DATABASE, DATABASE + "-wal", DATABASE + "-shm", "git",
                                  "git/info", "git/info/commit-graph"])
def test_dangling_links_in_the_cache_create_nothing_outside(tmp_path, name):
    root, outside = make(tmp_path)
    (root / ".doclint_cache" / name).parent.mkdir(parents=True)
    os.symlink(outside / "made", root / ".doclint_cache" / name)
    assert_stopped(installed(["check"], cwd=root), f".doclint_cache/{name}", "symbolic link")
    assert sorted(p.name for p in outside.iterdir()) == ["doclint.toml", "pack.toml", "victim.txt"]


def test_a_gitignore_linked_outside_the_root_is_not_read(tmp_path):
    root, outside = make(tmp_path)
    (outside / "ignore-everything").write_text("*\n")
    os.symlink(outside / "ignore-everything", root / "docs" / ".gitignore")
    run = installed(["check"], cwd=root)
    assert run.returncode == 1 and "2 errors" in run.stdout  # docs/a.md is still checked


def test_check_since_writes_nothing_through_a_linked_cache_folder(tmp_path):
    root, outside = make(tmp_path)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "first")
    (root / ".doclint_cache").mkdir()
    elsewhere = outside / "since"
    elsewhere.mkdir()
    os.symlink(elsewhere, root / ".doclint_cache" / "since")
    assert_stopped(installed(["check", "--since", "HEAD"], cwd=root), ".doclint_cache/since", "symbolic link")
    assert list(elsewhere.iterdir()) == []
