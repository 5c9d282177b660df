"""Nothing doclint reads or writes lies outside the root: the one check for every path it is
configured with (the lock, rule packs) or keeps of its own (the config file, the cache).

A repository is untrusted input: its doclint.toml, its symbolic links and its cache folder
may all have been written to make doclint read or overwrite a file elsewhere. Paths given
on the command line (`--root`, `--config`, `--source-root`, `--output`) are the user's own
choice and are not confined.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from doclint.errors import ConfigError

KINDS = {"file": (stat.S_ISREG, "a regular file"), "dir": (stat.S_ISDIR, "a directory")}


def contains(real_root: str, real: str) -> bool:
    """Is the real path `real` the real root itself or under it?"""
    return real == real_root or real.startswith(real_root.rstrip(os.sep) + os.sep)


def inside_root(root: Path, written: str, where: str, key: str | None = None, kind: str = "file",
                links: bool = True) -> Path:
    """`written`, a path relative to the root, as the real path it names inside the root.

    It may be absent (a lock not yet written); if present it must be a `kind` ("file" or
    "dir"). With `links=False` no symbolic link may lie on the way, even one that stays
    inside (for doclint's own cache, which nothing else should redirect). Anything
    else is a ConfigError naming `where` (the file that says so, or the path itself) and
    `key` (the setting, if any)."""
    prefix = f"key '{key}': `{written}` " if key else ""
    if os.path.isabs(written):
        raise ConfigError(f"{prefix}is an absolute path; doclint only reads and writes inside the root", where)
    real_root = os.path.realpath(root)
    if not links:
        step = real_root
        parts = Path(os.path.normpath(written)).parts
        for depth, part in enumerate(parts, start=1):
            step = os.path.join(step, part)
            if os.path.islink(step):
                which = "" if depth == len(parts) else f" on the way ({os.path.relpath(step, real_root)})"
                raise ConfigError(f"{prefix}is a symbolic link{which}; doclint keeps its own files only in real "
                                  "folders inside the root (delete the link)", where)
    real = os.path.realpath(os.path.join(real_root, written))
    if not contains(real_root, real):
        how = "leads" if os.path.normpath(written).startswith("..") else "is a symbolic link that leads"
        raise ConfigError(f"{prefix}{how} outside the root ({real}); doclint only reads and writes inside it", where)
    try:
        mode = os.stat(real).st_mode
    except FileNotFoundError:
        return Path(real)
    except OSError as exc:
        raise ConfigError(f"{prefix}cannot be read: {exc.strerror}", where) from None
    test, expected = KINDS[kind]
    if not test(mode):
        raise ConfigError(f"{prefix}is not {expected}", where)
    return Path(real)
