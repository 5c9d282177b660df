"""The one writer: the lock, the baseline and fixed docs are replaced whole, keeping the file's mode."""

from __future__ import annotations

import os
import stat

import pytest

from doclint import writing


def test_a_whole_file_write_keeps_the_mode_and_leaves_no_temp_file(tmp_path):
    target = tmp_path / "doclint.lock"
    target.write_text("old\n")
    os.chmod(target, 0o640)
    writing.write_text(target, "new\n")
    assert target.read_text() == "new\n" and stat.S_IMODE(os.stat(target).st_mode) == 0o640
    fresh = tmp_path / "baseline.json"
    umask = os.umask(0o027)
    try:
        writing.write_text(fresh, "{}\n")
    finally:
        os.umask(umask)
    assert stat.S_IMODE(os.stat(fresh).st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["baseline.json", "doclint.lock"]


def test_a_write_that_fails_leaves_the_old_file_whole(tmp_path, monkeypatch):
    target = tmp_path / "doclint.lock"
    target.write_text("old\n")

    def refuse(*_args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", refuse)
    with pytest.raises(OSError):
        writing.write_text(target, "new\n")
    assert target.read_text() == "old\n" and [p.name for p in tmp_path.iterdir()] == ["doclint.lock"]
