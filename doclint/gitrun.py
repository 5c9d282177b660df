"""Running git: the environment every git process gets, and the commit-graph doclint keeps
for git in its cache.

`git blame` walks a doc's history commit by commit, and without a commit-graph that has
changed-path (Bloom) filters it opens every commit's trees to learn whether the doc changed
there. Most clones have none (`git clone` writes none; `git gc` and `git maintenance` write
one without filters unless configured). doclint writes one of HEAD's history into its cache
folder and names that folder to git as an alternate object directory, which git reads
commit-graphs from but never writes objects to: on Oscilla's history that halves the CPU
of its 241 blames (3.9 s to 1.8 s) for 0.07 s of writing. The graph is an index git keeps
exact (commits are immutable, and a filter's "maybe" is checked by a real diff), so every
answer is the one git gives without it. The file is handed to git only while its SHA-256
matches the one recorded in the cache's verified rows when doclint wrote it.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import subprocess
import time
from pathlib import Path

from doclint.cache import Cache

GIT_TIMEOUT = 60
# Names that point git at a repository other than the one it would find from the root.
REPOSITORY_VARIABLES = ("GIT_DIR", "GIT_WORK_TREE", "GIT_COMMON_DIR", "GIT_OBJECT_DIRECTORY")
# A partial clone must not fetch from the network behind a linter's back: a missing object
# is a notice, not a download.
_ENVIRONMENT = {"GIT_NO_LAZY_FETCH": "1"}
_ALTERNATES = "GIT_ALTERNATE_OBJECT_DIRECTORIES"
GRAPH_FOLDER = "git/info"  # under the cache folder: git looks for <alternate>/info/commit-graph


class GitUnavailable(Exception):
    pass


def environment(as_given: bool = False, alternate: str | None = None) -> dict[str, str]:
    """What git runs with: it finds the repository from the root, whatever repository the
    environment names (`GitHistory.open` checks that it is the same one); `as_given` keeps
    those names, made absolute, since git runs in the root, not where doclint started.
    `alternate` is an object directory git reads a commit-graph from (`commit_graph`)."""
    env = {**os.environ, **_ENVIRONMENT}
    for name in (*REPOSITORY_VARIABLES, "GIT_INDEX_FILE"):
        if env.get(name):
            if as_given or name == "GIT_INDEX_FILE":  # a hook's index (a partial commit's) is the one to read
                env[name] = os.path.abspath(env[name])
            else:
                del env[name]
    if alternate:
        if os.pathsep in alternate or alternate.startswith('"'):  # git reads a C-quoted entry as one path
            alternate = '"' + alternate.replace("\\", "\\\\").replace('"', '\\"') + '"'
        env[_ALTERNATES] = os.pathsep.join(filter(None, (alternate, env.get(_ALTERNATES))))
    return env


def git(cwd: Path, *args: str, input_bytes: bytes | None = None, as_given: bool = False,
        alternate: str | None = None) -> bytes:
    """git's output; GitUnavailable, saying why, when it cannot be run or fails."""
    try:
        proc = subprocess.run(["git", "-c", "core.quotepath=off", *args], cwd=cwd, input=input_bytes,
                              capture_output=True, timeout=GIT_TIMEOUT, check=False,
                              env=environment(as_given, alternate))
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise GitUnavailable(str(exc)) from None
    if proc.returncode != 0:
        raise GitUnavailable(proc.stderr.decode("utf-8", "replace").strip())
    return proc.stdout


def commit_graph(root: Path, cache: Cache, head: str, toplevel: Path) -> str | None:
    """The folder to name to git as an alternate object directory: it holds a commit-graph,
    with changed-path filters, of `head`'s history, written now if the one kept is older or
    cannot be vouched for. None when git is better off without: no working cache, the
    repository has a commit-graph of its own (git reads the first it finds, and theirs comes
    first), or git could not write one (an older git, a partial clone short of trees); a
    failure is remembered for this HEAD, so it is not paid for on every run. Writing it diffs
    each commit once, as the history walk the same run makes already does (with rename
    detection on top), and a new HEAD adds only its new commits' filters: the old graph, kept
    until git has written the new one, lends git the rest."""
    try:
        own = os.fsdecode(git(root, "rev-parse", "--git-path", "objects/info/commit-graph",
                              "--git-path", "objects/info/commit-graphs")).split("\n")
    except GitUnavailable:
        return None
    if any(line.strip() and (root / line.strip()).exists() for line in own):
        return None
    folder = cache.own_folder(GRAPH_FOLDER)
    if folder is None:
        return None
    objects, graph = folder.parent, folder / "commit-graph"
    if not _only_the_graph(objects):
        return None
    key = Cache.key("git-graph", str(toplevel))
    stored = cache.get("git-graph", key)
    stored = stored if isinstance(stored, dict) else {}
    found = _sha256(graph)
    if found is not None and found != stored.get("sha"):
        if not _remove(graph):  # not the file doclint wrote: never handed to git
            return None
        found = None
    if stored.get("head") == head:
        if stored.get("failed"):
            return None
        if found is not None:
            return str(objects)
    _drop_stale_lock(folder / "commit-graph.lock")
    try:  # an older graph, kept, lends git the filters it already computed
        git(root, "commit-graph", "write", "--object-dir", str(objects), "--stdin-commits", "--changed-paths",
            input_bytes=f"{head}\n".encode(), alternate=str(objects))
    except GitUnavailable as exc:
        if not (folder / "commit-graph.lock").exists():  # another run holding git's lock is no reason to stop trying
            cache.put("git-graph", key, {"head": head, "failed": str(exc)[:200]})
        return None
    written = _sha256(graph)
    if written is None:
        return None
    cache.put("git-graph", key, {"head": head, "sha": written})
    return str(objects)


def _only_the_graph(objects: Path) -> bool:
    """Leave nothing in the graph's object directory but the graph and git's lock on it. git
    reads everything an object directory may hold (packs, loose objects, further alternates)
    and, writing a graph, deletes a split graph's files in `info/commit-graphs`: anything else
    there (a link out of the root, say) is removed before git is pointed at it. False when
    something cannot be removed."""
    expected = {objects: {"info": stat.S_ISDIR}, objects / "info": {"commit-graph": stat.S_ISREG,
                                                                     "commit-graph.lock": stat.S_ISREG}}
    for folder, allowed in expected.items():
        try:
            names = os.listdir(folder)
        except OSError:
            return False
        for name in names:
            try:
                mode = os.lstat(folder / name).st_mode
            except OSError:
                return False
            if not (name in allowed and allowed[name](mode)) and not _remove(folder / name):
                return False
    return True


def _remove(path: Path) -> bool:
    """Remove a file, a link (not what it leads to) or a folder of the cache's own."""
    try:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            if os.name == "nt":
                os.chmod(path, 0o600)  # git writes the graph read-only, which Windows will not delete
            path.unlink()
    except OSError:
        return False
    return True


def _drop_stale_lock(lock: Path) -> None:
    """git's lock on the graph, left by a git that was killed while writing (it would refuse
    every later write): removed once it is older than any write doclint waits for."""
    try:
        if time.time() - lock.lstat().st_mtime > 2 * GIT_TIMEOUT:
            lock.unlink()
    except OSError:
        pass


def _sha256(path: Path) -> str | None:
    """The SHA-256 of a regular file (not through a symbolic link); None when there is none."""
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    with open(descriptor, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            return None
        return hashlib.file_digest(handle, "sha256").hexdigest()
