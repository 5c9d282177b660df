"""What a run can take from the cache instead of recomputing.

Three levels, each keyed by everything it depends on: whole results (every input of the
run), per-doc results (the doc's bytes, the files it consulted, and the shared context),
and per-file scans (scanning.py). A key that cannot be pinned down is None: no reuse.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from doclint import lock, packs, serial, sites, urls
from doclint.cache import Cache
from doclint.checks import Doc
from doclint.findings import Problem
from doclint.history import GitHistory
from doclint.outside import MARKER as OUTSIDE_CODE
from doclint.scanning import hash_files
from doclint.tree import FileTree
from doclint.workspace import Workspace, is_markdown


def doc_context(ws: Workspace, payload: dict | None, replaying: bool, cache: Cache) -> str | None:
    """Everything a doc's findings depend on besides its own bytes and the files it consulted:
    the config, the lock, the commit, the file listing, the sources, and the rule-pack facts."""
    if not cache.enabled or cache.db is None:
        return None
    parts = [str(ws.source_root), str(replaying), repr(ws.git_head), str(urls.repository(ws.root, ws.config.repository)),
             sites.context(ws), GitHistory.environment_key()]
    for path in (ws.config.path, lock.lock_path(ws.root, ws.config)):
        if path is not None and path.is_file():
            parts.append(hashlib.sha256(path.read_bytes()).hexdigest())
    for tree in ws.trees:
        parts.append(f"tree {tree.root}")
        parts.extend(sorted(getattr(tree, "files", ())))
        parts.extend(sorted(getattr(tree, "dirs", ())))
    parts.extend(f"{p} {h}" for p, h in sorted(ws.source_hashes.items()))
    if payload is not None:
        parts.append(json.dumps(payload.get("packs"), sort_keys=True))
    if ws.pack_facts is not None:
        parts.append(json.dumps(packs.facts_to_json(ws.pack_facts), sort_keys=True))
    return Cache.key("doc-context", *parts)


def doc_entry(found: list[Problem], doc: Doc, consulted: set[str], ws: Workspace, cache: Cache) -> dict:
    return {"problems": [serial.encode_problem(p) for p in found],
            "suppressions": [serial.encode_suppression(x) for x in doc.scan.suppressions],
            "references": doc.scan.reference_count,
            "consulted": {absolute: consulted_sha(absolute, ws, cache) for absolute in sorted(consulted)}}


def entry_still_holds(entry: object, ws: Workspace, cache: Cache) -> bool:
    """A stored doc result holds while every other file it read is unchanged."""
    consulted = entry.get("consulted") if isinstance(entry, dict) else None
    if not isinstance(consulted, dict):
        return False
    return all(isinstance(absolute, str) and consulted_sha(absolute, ws, cache) == sha
               for absolute, sha in consulted.items())


def consulted_sha(absolute: str, ws: Workspace, cache: Cache) -> str | None:
    """The hash of a file a doc read, or None when no walked tree holds it: whatever path an
    entry names, nothing outside the trees (nor anything the walk skipped) is opened. The code
    outside the index, which a doc consults as a whole, has a digest of its own."""
    if absolute == OUTSIDE_CODE:
        return ws.outside_code.digest(cache)
    for tree in ws.trees:
        prefix = os.path.join(tree.root, "")
        if not isinstance(tree, FileTree) or not absolute.startswith(prefix):
            continue  # a locked tree has no files to read
        path = absolute[len(prefix):]
        if path in tree.files and tree.stays_inside(path):
            hashed = cache.file_sha(absolute, follow=path in tree.linked)
            return hashed[0] if hashed else None
    return None


def world_key(ws: Workspace, options, cache: Cache) -> str | None:
    """A hash of every input of a check run, or None when some input cannot be pinned down."""
    if not cache.enabled or cache.db is None:
        return None
    paths = tuple(str(Path(p).resolve()) for p in options.paths)  # as `_narrow` reads them
    parts = [repr((paths, options.select, options.ignore, options.strict, str(ws.source_root)))]
    for path in (ws.config.path, lock.lock_path(ws.root, ws.config)):
        if path is not None and path.is_file():
            parts.append(f"{path}:{hashlib.sha256(path.read_bytes()).hexdigest()}")
    for entry in ws.config.rules:  # bundled packs are in the code digest
        pack_file = packs.pack_path(entry, ws.root, ws.config.where)
        if pack_file is not None and pack_file.is_file():
            parts.append(hashlib.sha256(pack_file.read_bytes()).hexdigest())
    head = ws.git_head
    parts.append(f"HEAD {head} {GitHistory.environment_key()}")
    parts.append(sites.context(ws))
    other_markdown = [p for p in ws.trees[0].files if is_markdown(p) and p not in ws.hashed_docs]
    extra = hash_files(str(ws.root), sorted(other_markdown), cache, ws.config.max_file_size, [], ws.trees[0])
    for tree in ws.trees:
        parts.append(f"tree {tree.root}")
        parts.extend(sorted(tree.files))
        parts.extend(sorted(tree.dirs))
    parts.extend(f"{p} {h}" for p, h in sorted(ws.source_hashes.items()))
    parts.extend(f"{p} {h.sha}" for p, h in sorted(ws.hashed_docs.items()))
    parts.extend(f"{p} {h.sha}" for p, h in sorted(extra.items()))
    return Cache.key("result", *parts)
