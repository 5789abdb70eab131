"""Rolling backups: online copies, atomic names, rotation and the 24-hour rhythm."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from kiosk.storage import StorageError
from kiosk.storage.database import Storage

from .conftest import FakeClock, read_rows


def backup_names(data_dir: Path) -> list[str]:
    return sorted(p.name for p in (data_dir / "backups").iterdir())


def test_open_makes_a_backup_named_after_the_clock(
    data_dir: Path, open_storage: Callable[..., Storage]
) -> None:
    storage = open_storage()

    assert storage.report.backup_made == data_dir / "backups" / "kiosk-20260302-093000.sqlite3"
    assert backup_names(data_dir) == ["kiosk-20260302-093000.sqlite3"]


def test_a_backup_is_a_complete_self_contained_copy(
    data_dir: Path, open_storage: Callable[..., Storage], clock: FakeClock
) -> None:
    storage = open_storage()
    storage.settings.set("pin_hash", "scrypt$abc")
    storage.staff_events.add("staff_login")
    clock.advance(minutes=5)

    backup = storage.backup_now()

    assert read_rows(backup, "SELECT key, value FROM settings") == [("pin_hash", "scrypt$abc")]
    assert read_rows(backup, "PRAGMA journal_mode") == [("delete",)]
    assert read_rows(backup, "PRAGMA integrity_check") == [("ok",)]
    # No temporary or -wal/-shm files are left next to the backups.
    assert backup_names(data_dir) == [
        "kiosk-20260302-093000.sqlite3",
        "kiosk-20260302-093500.sqlite3",
    ]


def test_two_backups_in_the_same_second_get_distinct_names_in_order(
    data_dir: Path, open_storage: Callable[..., Storage]
) -> None:
    storage = open_storage(backups_keep=2)
    storage.settings.set("step", "1")
    second = storage.backup_now()
    storage.settings.set("step", "2")
    third = storage.backup_now()

    assert second.name == "kiosk-20260302-093000-1.sqlite3"
    assert third.name == "kiosk-20260302-093000-2.sqlite3"
    # Rotation knows -2 is newer than -1, which is newer than the one at open.
    assert backup_names(data_dir) == [second.name, third.name]
    assert read_rows(third, "SELECT value FROM settings") == [("2",)]


def test_rotation_keeps_only_the_newest_backups(
    data_dir: Path, open_storage: Callable[..., Storage], clock: FakeClock
) -> None:
    storage = open_storage(backups_keep=3)
    made = [storage.report.backup_made]
    for _ in range(5):
        clock.advance(days=1)
        made.append(storage.backup_now())

    assert backup_names(data_dir) == sorted(p.name for p in made[-3:] if p is not None)


def test_backup_if_due_honours_24_hours(
    data_dir: Path, open_storage: Callable[..., Storage], clock: FakeClock
) -> None:
    storage = open_storage()  # backs up at 09:30:00

    clock.advance(hours=23, minutes=59, seconds=59)
    assert storage.backup_if_due() is None
    clock.advance(seconds=1)
    due = storage.backup_if_due()
    assert due is not None
    assert due.name == "kiosk-20260303-093000.sqlite3"
    clock.advance(hours=1)
    assert storage.backup_if_due() is None
    assert len(backup_names(data_dir)) == 2


def test_backup_if_due_when_there_is_no_backup_yet(
    data_dir: Path, open_storage: Callable[..., Storage]
) -> None:
    storage = open_storage()
    for backup in (data_dir / "backups").iterdir():
        backup.unlink()

    assert storage.backup_if_due() is not None


def test_leftovers_of_an_interrupted_backup_are_cleaned_up(
    data_dir: Path, open_storage: Callable[..., Storage], clock: FakeClock
) -> None:
    storage = open_storage()
    leftover = data_dir / "backups" / "kiosk-20260301-120000.sqlite3.partial"
    leftover.write_bytes(b"half a backup")
    clock.advance(minutes=1)

    storage.backup_now()

    assert not leftover.exists()


def test_unrelated_files_in_the_backup_dir_are_left_alone(
    data_dir: Path, open_storage: Callable[..., Storage], clock: FakeClock
) -> None:
    (data_dir / "backups").mkdir()
    note = data_dir / "backups" / "README.txt"
    note.write_text("copied to USB on Monday")
    storage = open_storage(backups_keep=1)
    clock.advance(days=1)
    storage.backup_now()

    assert note.read_text() == "copied to USB on Monday"
    assert backup_names(data_dir) == ["README.txt", "kiosk-20260303-093000.sqlite3"]


def test_backups_keep_must_be_positive(data_dir: Path) -> None:
    with pytest.raises(ValueError, match="backups_keep"):
        Storage.open(data_dir, backups_keep=0)
    assert not (data_dir / "kiosk.sqlite3").exists()


def test_a_backup_taken_while_another_connection_writes_is_consistent(
    open_storage: Callable[..., Storage], clock: FakeClock
) -> None:
    storage = open_storage()
    writer = sqlite3.connect(storage.path, timeout=5)
    try:
        writer.execute("INSERT INTO settings VALUES ('written', 'elsewhere')")
        writer.commit()
        clock.advance(minutes=1)
        backup = storage.backup_now()
    finally:
        writer.close()

    assert read_rows(backup, "SELECT value FROM settings WHERE key = 'written'") == [("elsewhere",)]


def test_a_failing_backup_warns_but_never_blocks_the_kiosk(
    data_dir: Path,
    open_storage: Callable[..., Storage],
    clock: FakeClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # A plain file where the backup directory should be: no backup can be written there.
    (data_dir / "backups").write_text("not a directory")

    with caplog.at_level(logging.WARNING, logger="kiosk.storage"):
        storage = open_storage()
        clock.advance(days=1)
        scheduled = storage.backup_if_due()

    assert storage.report.backup_made is None
    assert scheduled is None
    assert caplog.text.count("Could not write a backup") == 2
    storage.settings.set("still", "working")
    with pytest.raises(StorageError):
        storage.backup_now()  # asked for explicitly, so the failure is raised
