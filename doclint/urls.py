"""URLs into this repository (`https://github.com/o/r/blob/main/src/x.ts#L10-L20`) as
references: a branch URL is checked against the working tree, a permalink (a commit id)
against that commit. Other repositories' URLs are never checked, and nothing is fetched.

The repository is named by config (`repository = "github.com/o/r"`) or by the `origin`
remote. A URL's ref and path are one string (`blob/feature/x/src/a.ts`); the ref is the
longest one git knows that starts it, else the longest start that leaves a path in the tree.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Literal
from urllib.parse import unquote

from doclint.checks import Doc
from doclint.destinations import rewrite_destination
from doclint.checks.drift import _fragment, _move  # one way to move a range and rewrite `#L` numbers
from doclint.findings import Edit, Fix, Problem, Span
from doclint.gitrun import GitUnavailable
from doclint.gitrun import git as _git
from doclint.history import GitHistory, RangeMove
from doclint.mdrefs import LineRange, LinkRef, fragment_lines
from doclint.tree import text_lines
from doclint.workspace import is_markdown

if TYPE_CHECKING:
    from doclint.context import Context

_COMMIT = re.compile(r"[0-9a-f]{40}")
_SCP_REMOTE = re.compile(r"(?:[\w.-]+@)?(?P<host>[\w.-]+):(?P<path>[^/].*)")  # git@host:owner/name.git
# Names the default branch goes by in URLs written before a rename, or for whatever it is.
_DEFAULT_ALIASES = ("HEAD", "main", "master")


@dataclass(frozen=True)
class Repository:
    host: str  # lower case: github.com, gitlab.com, git.example.org
    path: str  # owner/name (GitLab: group/subgroup/name), lower case

    def __str__(self) -> str:
        return f"{self.host}/{self.path}"


def parse_remote(url: str) -> Repository | None:
    """A repository from a remote URL or a `host/owner/name` string: https, ssh://,
    `git@host:owner/name`, with or without `.git`."""
    url = url.strip()
    if "://" in url:
        rest = url.split("://", 1)[1]
        host, _, path = rest.partition("/")
        host = host.rsplit("@", 1)[-1].split(":", 1)[0]  # user@ and :port
    else:
        scp = _SCP_REMOTE.fullmatch(url)
        if scp and "/" not in scp.group("host"):
            host, path = scp.group("host"), scp.group("path")
        else:
            host, _, path = url.partition("/")
    path = path.strip("/")
    if path.endswith(".git"):
        path = path[:-4]
    if not host or "." not in host or path.count("/") < 1 or any(not part for part in path.split("/")):
        return None
    return Repository(host.lower(), path.lower())


@lru_cache(maxsize=8)
def repository(root: Path, configured: str | None) -> Repository | None:
    if configured:
        return parse_remote(configured)
    try:
        return parse_remote(_git(root, "remote", "get-url", "origin").decode())
    except GitUnavailable:
        return None


@dataclass(frozen=True)
class Refs:
    names: frozenset[str]  # branches and tags git knows here (remote ones without their prefix)
    main: frozenset[str]  # the ones whose files are the working tree's: HEAD, the current and default branch
    tags: frozenset[str] = frozenset()  # never move: a URL on one is checked against the tag's files


@lru_cache(maxsize=8)
def known_refs(root: Path) -> Refs:
    try:
        out = _git(root, "for-each-ref", "--format=%(refname) %(symref)").decode("utf-8", "replace")
        current = _git(root, "rev-parse", "--abbrev-ref", "HEAD").decode().strip()
    except GitUnavailable:
        return Refs(frozenset(), frozenset(_DEFAULT_ALIASES))
    names, main, tags = set(), set(_DEFAULT_ALIASES) | {current}, set()
    for line in out.splitlines():
        ref, _, symref = line.partition(" ")
        for prefix in ("refs/heads/", "refs/tags/"):
            if ref.startswith(prefix):
                names.add(ref[len(prefix):])
                if prefix == "refs/tags/":
                    tags.add(ref[len(prefix):])
        if ref.startswith("refs/remotes/") and ref.count("/") >= 3:
            names.add(ref.split("/", 3)[3])
            if ref.endswith("/HEAD") and symref.count("/") >= 3:  # origin/HEAD -> the default branch
                main.add(symref.split("/", 3)[3])
    return Refs(frozenset(names), frozenset(main), frozenset(tags))


@dataclass(frozen=True)
class RepoLink:
    """A URL into this repository, cut at the ref."""

    kind: Literal["blob", "tree", "raw"]  # a file, a folder, a file's bytes
    head: str  # everything before the ref, as written
    rest: str  # `<ref>/<path>`, as written (percent-encoded)
    fragment: str | None


def split_url(href: str, repo: Repository) -> RepoLink | None:
    """The parts of a URL that points into `repo`; None for any other URL."""
    match = re.match(r"https?://(?P<host>[^/?#]+)/(?P<rest>[^?#]*)", href)
    if match is None:
        return None
    host, rest = match.group("host").lower(), match.group("rest")
    fragment = href.split("#", 1)[1] if "#" in href else None
    scheme_host = href[: match.start("rest")]
    if repo.host == "github.com" and host == "raw.githubusercontent.com":
        owner_name = "/".join(rest.split("/")[:2])
        if owner_name.lower() != repo.path or rest.count("/") < 3:
            return None
        return RepoLink("raw", scheme_host + owner_name + "/", rest[len(owner_name) + 1:], fragment)
    if host != repo.host and host != "www." + repo.host:
        return None
    lowered = rest.lower()
    if not lowered.startswith(repo.path + "/"):
        return None
    after = rest[len(repo.path) + 1:]
    dash = "-/" if after.startswith("-/") else ""  # GitLab: /-/blob/
    after = after[len(dash):]
    kind, _, ref_and_path = after.partition("/")
    if kind not in ("blob", "tree", "raw") or not ref_and_path:
        return None
    head = scheme_host + rest[: len(repo.path) + 1] + dash + kind + "/"
    return RepoLink("tree" if kind == "tree" else "raw" if kind == "raw" else "blob", head, ref_and_path, fragment)


@dataclass(frozen=True)
class Target:
    ref: str
    path: str  # from the repository's top, decoded; "" for the top itself
    checked: bool  # a permalink, or a ref whose files are the working tree's (a missing path is an error)
    permalink: bool = False


def resolve_ref(rest: str, refs: Refs, exists: Callable[[str], bool]) -> Target | None:
    """Split `<ref>/<path>`: a commit id; else the longest ref git knows; else the longest
    start that leaves a path `exists` accepts. None when that cannot be told."""
    decoded = unquote(rest).rstrip("/")
    segments = decoded.split("/")
    if _COMMIT.fullmatch(segments[0]):
        return Target(segments[0], "/".join(segments[1:]), True, permalink=True)
    starts = ["/".join(segments[:count]) for count in range(len(segments), 0, -1)]
    for start in starts:
        if start in refs.names or start in refs.main:
            return Target(start, decoded[len(start) + 1:], start in refs.main)
    for start in starts:
        path = decoded[len(start) + 1:]
        if path and exists(path):
            return Target(start, path, start in refs.main)
    return None


# --------------------------------------------------------------------------- the check


@dataclass(frozen=True)
class _UrlRef:
    link: LinkRef
    parts: RepoLink
    target: Target
    path: str  # relative to the root


def local_link(ws: Context, href: str) -> str | None:
    """`/path` for a branch URL into this repository (what a relative link would say);
    None for any other URL."""
    found = _url_ref(ws, LinkRef(href, Span(0, 0, 0, 0), ""))
    return None if found is None or found.target.permalink else "/" + found.path


def _url_ref(ws: Context, link: LinkRef) -> _UrlRef | None:
    if not link.href.startswith(("http://", "https://")):
        return None
    repo = repository(ws.root, ws.config.repository)
    if repo is None:
        return None
    parts = split_url(link.href, repo)
    if parts is None:
        return None
    prefix = _prefix(ws.root)
    target = resolve_ref(parts.rest, known_refs(ws.root),
                         lambda path: path.startswith(prefix) and _exists(ws, path[len(prefix):]))
    if target is None or not target.path.startswith(prefix):
        return None  # unsure where the ref ends, or outside the root
    return _UrlRef(link, parts, target, target.path[len(prefix):])


@lru_cache(maxsize=8)
def _prefix(root: Path) -> str:
    """The root's place below the repository's top (`docs/` or ``): URLs name paths from the top."""
    try:
        return _git(root, "rev-parse", "--show-prefix").decode().strip()
    except GitUnavailable:
        return ""


def _exists(ws: Context, path: str) -> bool:
    return any(tree.exists(path) for tree in ws.trees)


def check(doc: Doc, ws: Context, git: GitHistory | None) -> Iterator[Problem]:
    refs = [found for link in doc.scan.links if (found := _url_ref(ws, link)) is not None]
    for ref in refs:
        try:
            if ref.target.permalink:
                yield from _permalink(ref, ws, git)
            else:
                yield from _branch(ref, doc, ws, git)
        except GitUnavailable:
            git = None  # a damaged repository: what the tree alone says still holds


def _branch(ref: _UrlRef, doc: Doc, ws: Context, git: GitHistory | None) -> Iterator[Problem]:
    path, link = ref.path, ref.link
    lines = fragment_lines(ref.parts.fragment)
    if not _exists(ws, path):
        if not ref.target.checked:
            yield from _tagged(ref, ws, git)  # another branch or a tag: its files need not be in the working tree
            return
        moved, how = _moved(ref, doc, ws, git)
        if moved is None:
            yield Problem("DL006", link.span, f"`{ref.target.path}` does not exist in this repository", target=path)
            return
        replacement = _with_path(ref, moved, _moved_fragment(ref, doc, git, path, moved) if lines else None)
        fix = Fix((Edit(link.span, replacement),)) if link.href_found else None
        yield Problem("DL002", link.span, f"`{ref.target.path}` was renamed to `{moved}` ({how})",
                      target=path, suggestion=replacement, fix=fix)
        return
    tree = next(t for t in ws.trees if t.exists(path))
    if not tree.is_file(path) or ref.parts.kind == "tree" or not ref.target.checked:
        return
    if lines is not None:
        count = ws.line_count(tree, path)
        if count is not None and lines.end > count:
            yield Problem("DL003", link.span, f"{_noun(lines)} {_shown(lines)} of `{path}` past the end of the file "
                          f"({count} lines)", target=path)
            return
        yield from _moved_lines(ref, doc, git, lines)
    elif ref.parts.fragment and is_markdown(path) and ref.parts.kind == "blob":
        from doclint.checks.links import anchor

        scan = ws.doc_scan(tree, path)
        if scan is not None:
            yield from anchor(scan.anchors, unquote(ref.parts.fragment), link.span, path, same_file=False)


def _tagged(ref: _UrlRef, ws: Context, git: GitHistory | None) -> Iterator[Problem]:
    """A URL on a tag names a file of that tag, which git has here."""
    if git is None or ref.target.ref not in known_refs(ws.root).tags:
        return
    if git._object(f"refs/tags/{ref.target.ref}", ref.path)[0] is None:
        yield Problem("DL006", ref.link.span, f"`{ref.target.path}` does not exist at tag `{ref.target.ref}`",
                      target=ref.path)


def _moved(ref: _UrlRef, doc: Doc, ws: Context, git: GitHistory | None) -> tuple[str | None, str]:
    """Where a gone path went: git's rename since the doc line was written, else the one
    file with the same tail in the tree (a guess, offered without a fix)."""
    commit = _written_at(ref, doc, git)
    if commit is not None and git is not None:
        renamed = git.renames_since(commit).get(ref.path)
        if renamed is not None and _exists(ws, renamed):
            return renamed, f"git, since {commit[:8]}"
    if git is not None:
        gone = _last_rename(git, ref.path)
        if gone is not None and _exists(ws, gone[1]):
            return gone[1], f"git, in {gone[0][:8]}"
    relocated = ws.resolve_link("/" + ref.path, "").moved_to
    return relocated, "the only file matching it"


def _last_rename(git: GitHistory, path: str) -> tuple[str, str] | None:
    """(commit, where the file is now) when the last commit that touched `path` renamed it:
    a URL written (or rewritten) after the move still names the old path."""
    try:
        commit = _git(git.root, "log", "-1", "--format=%H", "--", path).decode().strip()
        if not commit:
            return None
        out = _git(git.root, "show", "-M", "--format=", "--name-status", commit).decode("utf-8", "replace")
    except GitUnavailable:
        return None
    for line in out.splitlines():
        fields = line.split("\t")
        if len(fields) == 3 and fields[0].startswith("R") and fields[1] == git.prefix + path \
                and fields[2].startswith(git.prefix):
            moved = fields[2][len(git.prefix):]
            return commit, git.renames_since(commit).get(moved, moved)
    return None


def _written_at(ref: _UrlRef, doc: Doc, git: GitHistory | None) -> str | None:
    if git is None or doc.path not in git.last_commit:
        return None
    return git.blame(doc.path, {ref.link.span.line}).get(ref.link.span.line)


def _moved_lines(ref: _UrlRef, doc: Doc, git: GitHistory | None, lines: LineRange) -> Iterator[Problem]:
    """A range into a file that changed since the doc line was written: DL003 with the new
    numbers when its lines moved, DL013 when they were rewritten."""
    last = git.last_commit.get(doc.path) if git is not None else None
    if git is None or last is None or ref.path not in git.changed_since(last):
        return
    commit = _written_at(ref, doc, git)
    if commit is None:
        return
    move = _move(lines, commit, ref.path, ref.path, git)
    if move is None:
        return
    short, link = commit[:8], ref.link
    if move == "deleted":
        yield Problem("DL013", link.span, f"{_noun(lines)} {_shown(lines)} of `{ref.path}` were rewritten or "
                      f"deleted since this doc line was written ({short})", target=ref.path)
        return
    if move == "never":  # as drift says it of a path in inline code
        length = len(text_lines(git.file_at(commit, ref.path) or ""))
        yield Problem("DL003", link.span, f"{_noun(lines)} {_shown(lines)} of `{ref.path}` never matched: the file had "
                      f"{length} lines when this doc line was written ({short})", target=ref.path)
        return
    if move.start is None or move.end is None:  # as drift says it: where the range went is not known
        yield Problem("DL013", link.span, f"{move.changed} of {move.total} lines of `{ref.path}` changed since this doc "
                      f"line was written ({short}), its first or last line among them, so where {_noun(lines)} "
                      f"{_shown(lines)} went is not known; review the text", target=ref.path)
        return
    if (move.start, move.end) != (lines.start, lines.end):
        replacement = _with_path(ref, ref.path, _fragment(ref.parts.fragment or "", move.start, move.end))
        yield Problem("DL003", link.span, f"{_noun(lines)} {_shown(lines)} of `{ref.path}` moved to "
                      f"{_range(move.start, move.end)} since this doc line was written ({short})",
                      target=ref.path, suggestion=replacement,
                      fix=Fix((Edit(link.span, replacement),)) if link.href_found else None)
    if move.changed:
        yield Problem("DL013", link.span, f"{move.changed} of {move.total} lines of `{ref.path}` "
                      f"({_range(move.start, move.end)}) changed since this doc line was written ({short}); "
                      "review the text", target=ref.path)


def _moved_fragment(ref: _UrlRef, doc: Doc, git: GitHistory | None, old: str, new: str) -> str | None:
    fragment, lines = ref.parts.fragment, fragment_lines(ref.parts.fragment)
    commit = _written_at(ref, doc, git)
    move = _move(lines, commit, old, new, git) if commit and git is not None and lines else None
    if not isinstance(move, RangeMove) or move.start is None or move.end is None:
        return fragment  # nothing of the range survived, or its ends did not: the fragment stays as written
    return _fragment(fragment or "", move.start, move.end)


def _permalink(ref: _UrlRef, ws: Context, git: GitHistory | None) -> Iterator[Problem]:
    """A commit's file never changes; what can be wrong is the path or the lines, and what
    can go stale is the code at HEAD the reader is sent to look at."""
    if git is None:
        return
    commit, path, link = ref.target.ref, ref.path, ref.link
    if git._raw(commit) is None:
        return  # a commit this clone does not have: nothing to say
    object_id, text = git._object(commit, path) if path else (commit, None)
    short = commit[:8]
    if object_id is None:
        yield Problem("DL006", link.span, f"`{ref.target.path}` does not exist at commit {short}", target=path)
        return
    lines = fragment_lines(ref.parts.fragment)
    if text is None or lines is None:
        return
    old_lines = text_lines(text)
    if lines.end > len(old_lines):
        yield Problem("DL003", link.span, f"{_noun(lines)} {_shown(lines)} of `{path}` past the end of the file "
                      f"at {short} ({len(old_lines)} lines)", target=path)
        return
    try:
        now = git.renames_since(commit).get(path, path)
    except GitUnavailable:
        now = path  # a commit outside HEAD's history (a merged branch): compared at the same path
    if not ws.trees[0].is_file(now):
        yield Problem("DL013", link.span, f"`{path}` (permalink at {short}) no longer exists at HEAD", target=path)
        return
    move = _move(lines, commit, path, now, git)
    if move == "deleted":
        yield Problem("DL013", link.span, f"{_noun(lines)} {_shown(lines)} of `{path}` at {short} were rewritten or "
                      "deleted since; the permalink shows code HEAD no longer has", target=path)
    elif isinstance(move, RangeMove) and move.changed:
        if move.start is None or move.end is None:  # where the range went is not known
            yield Problem("DL013", link.span, f"{move.changed} of {move.total} lines of `{path}` ({_shown(lines)} at "
                          f"{short}) changed since, their first or last line among them; the permalink shows code "
                          "HEAD no longer has", target=path)
            return
        yield Problem("DL013", link.span, f"{move.changed} of {move.total} lines of `{path}` ({_shown(lines)} at "
                      f"{short}) changed since; at HEAD they are lines {_range(move.start, move.end)} of `{now}`",
                      target=path, suggestion=f"{now}#{_fragment(ref.parts.fragment or '', move.start, move.end)}")


def _with_path(ref: _UrlRef, path: str, fragment: str | None) -> str:
    """The URL with another path (and fragment, None: kept): host, repository and ref as
    they are. In the author's written form when the destination was located, so that the
    fix changes nothing else (rewrite_destination keeps brackets, query and encoding)."""
    full = ref.target.ref + "/" + _prefix_of(ref) + path
    old = ref.target.ref + "/" + ref.target.path
    written = ref.link.written
    url = unquote((written.strip("<>") if written else ref.link.href).split("#", 1)[0].split("?", 1)[0])
    at = url.rfind(old)
    if at < 0:
        url = ref.parts.head + full  # (not located: the suggestion is built from the parsed URL)
    else:
        url = url[:at] + full + url[at + len(old):]
    if written:
        return rewrite_destination(written, path=url, fragment=fragment)
    return url + ("#" + fragment if fragment is not None else "")


def _prefix_of(ref: _UrlRef) -> str:
    return ref.target.path[: len(ref.target.path) - len(ref.path)]


def _noun(lines: LineRange) -> str:
    return "line" if lines.start == lines.end else "lines"


def _shown(lines: LineRange) -> str:
    return _range(lines.start, lines.end)


def _range(start: int, end: int) -> str:
    return f"{start}-{end}" if end != start else str(start)
