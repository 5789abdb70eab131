"""The one atomic-write helper: content, private mode, all or nothing, no leftovers, fsyncs."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from kiosk.storage import files
from kiosk.storage.files import (
    TEMP_PREFIX,
    atomic_file,
    atomic_path,
    fsync_directory,
    fsync_file,
    write_atomically,
)


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def leftovers(folder: Path) -> list[str]:
    return sorted(entry.name for entry in folder.iterdir() if entry.name.startswith(TEMP_PREFIX))


class Recorder:
    """Wraps a real fsync function: counts the calls and still flushes to disk."""

    def __init__(self, real: Callable[[Path], None], log: list[tuple[str, Path]], name: str):
        self._real = real
        self._log = log
        self._name = name

    def __call__(self, path: Path) -> None:
        self._log.append((self._name, Path(path)))
        self._real(path)


@pytest.fixture
def fsync_log(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, Path]]:
    log: list[tuple[str, Path]] = []
    monkeypatch.setattr(files, "fsync_file", Recorder(fsync_file, log, "file"))
    monkeypatch.setattr(files, "fsync_directory", Recorder(fsync_directory, log, "directory"))
    return log


def test_writes_the_content_privately_by_default(tmp_path: Path) -> None:
    target = tmp_path / "bookings.csv"
    write_atomically(target, b"name;code\nAda;ABC\n")
    assert target.read_bytes() == b"name;code\nAda;ABC\n"
    assert mode_of(target) == 0o600
    assert leftovers(tmp_path) == []


def test_replacing_a_world_readable_file_makes_it_private(tmp_path: Path) -> None:
    target = tmp_path / "bookings.csv"
    target.write_bytes(b"old")
    target.chmod(0o644)
    write_atomically(target, b"new")
    assert target.read_bytes() == b"new"
    assert mode_of(target) == 0o600


def test_an_explicit_mode_is_applied(tmp_path: Path) -> None:
    target = tmp_path / "slip.pdf"
    write_atomically(target, b"%PDF", mode=0o644)
    assert mode_of(target) == 0o644


def test_the_old_file_survives_a_writer_that_fails_midway(tmp_path: Path) -> None:
    target = tmp_path / "report.csv"
    target.write_bytes(b"yesterday's report")
    with pytest.raises(RuntimeError, match="disk went away"), atomic_file(target) as stream:
        stream.write(b"half of today's rep")
        raise RuntimeError("disk went away")
    assert target.read_bytes() == b"yesterday's report"
    assert leftovers(tmp_path) == []


def test_the_old_file_survives_a_failing_write(tmp_path: Path) -> None:
    target = tmp_path / "report.csv"
    target.write_bytes(b"yesterday's report")
    with pytest.raises(TypeError):
        write_atomically(target, "not bytes")  # type: ignore[arg-type]
    assert target.read_bytes() == b"yesterday's report"
    assert leftovers(tmp_path) == []


def test_a_failing_rename_leaves_no_temporary_file(tmp_path: Path) -> None:
    # A non-empty folder where the file should go: the rename itself fails, for real.
    target = tmp_path / "export.csv"
    target.mkdir()
    (target / "keep").write_bytes(b"x")
    with pytest.raises(OSError):
        write_atomically(target, b"data")
    assert (target / "keep").read_bytes() == b"x"
    assert leftovers(tmp_path) == []


def test_a_missing_folder_raises_and_creates_nothing(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        write_atomically(tmp_path / "gone" / "export.csv", b"data")
    assert list(tmp_path.iterdir()) == []


def test_the_file_then_the_folder_are_flushed_around_the_rename(
    tmp_path: Path, fsync_log: list[tuple[str, Path]]
) -> None:
    target = tmp_path / "export.csv"
    write_atomically(target, b"data")
    assert [kind for kind, _ in fsync_log] == ["file", "directory"]
    flushed_file, flushed_folder = (path for _, path in fsync_log)
    assert flushed_file.parent == tmp_path and flushed_file.name.startswith(TEMP_PREFIX)
    assert flushed_folder == tmp_path


def test_nothing_is_flushed_or_renamed_when_the_writer_fails(
    tmp_path: Path, fsync_log: list[tuple[str, Path]]
) -> None:
    with pytest.raises(ValueError), atomic_file(tmp_path / "export.csv"):
        raise ValueError("stop")
    assert fsync_log == []
    assert list(tmp_path.iterdir()) == []


def test_atomic_path_gives_a_private_temporary_file_to_writers_that_open_by_name(
    tmp_path: Path,
) -> None:
    target = tmp_path / "backup.sqlite3"
    with atomic_path(target) as temp:
        assert temp.parent == tmp_path
        assert temp.name.startswith(TEMP_PREFIX)
        # It exists already and is private, so a writer that truncates it keeps it private.
        assert mode_of(temp) == 0o600
        assert not target.exists()
        temp.write_bytes(b"SQLite format 3\x00")
    assert target.read_bytes() == b"SQLite format 3\x00"
    assert mode_of(target) == 0o600
    assert leftovers(tmp_path) == []


def test_the_temporary_file_is_private_while_it_is_written(tmp_path: Path) -> None:
    previous = os.umask(0o022)  # the usual umask: a plain open() would make the file 0644
    try:
        with atomic_file(tmp_path / "bookings.csv") as stream:
            stream.write(b"Ada")
            (temp,) = (tmp_path / name for name in leftovers(tmp_path))
            assert mode_of(temp) == 0o600
    finally:
        os.umask(previous)


def test_fsync_directory_flushes_a_real_folder(tmp_path: Path) -> None:
    fsync_directory(tmp_path)  # raises on a POSIX system that cannot open the folder
    (tmp_path / "f").write_bytes(b"x")
    fsync_file(tmp_path / "f")
