"""Backups: online copies, atomic names, one a day, one before an update, N days kept."""

from __future__ import annotations

import logging
import sqlite3
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from kiosk.storage import StorageError
from kiosk.storage.connection import connect
from kiosk.storage.database import Storage
from kiosk.storage.files import TEMP_PREFIX
from kiosk.storage.migrations import MIGRATIONS

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
    # No temporary or -wal/-shm files are left next to the backups; the day keeps its newest.
    assert backup_names(data_dir) == ["kiosk-20260302-093500.sqlite3"]
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600  # it holds visitors' names


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
    # The day keeps its newest: -2 is newer than -1, which is newer than the one at open.
    assert backup_names(data_dir) == [third.name]
    assert read_rows(third, "SELECT value FROM settings") == [("2",)]


def test_ten_opens_in_a_row_make_one_backup(
    data_dir: Path, open_storage: Callable[..., Storage], clock: FakeClock
) -> None:
    reports = []
    for _ in range(10):  # ten commands run by an administrator, a few seconds apart
        with open_storage() as storage:
            reports.append(storage.report)
        clock.advance(seconds=7)

    assert backup_names(data_dir) == ["kiosk-20260302-093000.sqlite3"]
    assert [report.backup_made is not None for report in reports] == [True] + [False] * 9


def test_yesterdays_backup_survives_ten_opens_today(
    data_dir: Path, open_storage: Callable[..., Storage], clock: FakeClock
) -> None:
    with open_storage(backups_keep=1) as storage:
        storage.settings.set("state", "yesterday")
    clock.advance(days=1, hours=-9)  # 00:30 the next day
    for _ in range(10):
        with open_storage(backups_keep=2) as storage:
            storage.settings.set("state", "today")
        clock.advance(minutes=1)

    assert backup_names(data_dir) == [
        "kiosk-20260302-093000.sqlite3",
        "kiosk-20260303-003000.sqlite3",
    ]
    yesterday = data_dir / "backups" / "kiosk-20260302-093000.sqlite3"
    assert read_rows(yesterday, "SELECT value FROM settings WHERE key = 'state'") == []


def test_ten_days_with_keep_7_leave_the_newest_backup_of_each_of_the_last_7_days(
    data_dir: Path, open_storage: Callable[..., Storage], clock: FakeClock
) -> None:
    storage = open_storage(backups_keep=7)
    for day in range(9):  # 2 to 11 March: ten days with backups
        storage.settings.set("day", str(day))
        clock.advance(hours=8)  # 17:30: staff press "back up now" as well
        storage.backup_now()
        clock.advance(hours=16)  # 09:30 the next morning
        assert storage.backup_if_due() is not None

    names = backup_names(data_dir)
    # 5 to 11 March: each day's newest (its 17:30 backup; the 11th has only its 09:30 one).
    assert names == [f"kiosk-202603{day:02}-173000.sqlite3" for day in range(5, 11)] + [
        "kiosk-20260311-093000.sqlite3"
    ]
    assert read_rows(data_dir / "backups" / names[0], "SELECT value FROM settings") == [("3",)]


def test_days_without_a_backup_do_not_count(
    data_dir: Path, open_storage: Callable[..., Storage], clock: FakeClock
) -> None:
    storage = open_storage(backups_keep=2)  # 2 March
    clock.advance(days=30)  # the terminal was off for a month
    storage.backup_if_due()

    assert backup_names(data_dir) == [
        "kiosk-20260302-093000.sqlite3",
        "kiosk-20260401-093000.sqlite3",
    ]


def test_backup_if_due_once_per_calendar_day(
    data_dir: Path, open_storage: Callable[..., Storage], clock: FakeClock
) -> None:
    storage = open_storage()  # backs up at 09:30:00

    clock.advance(hours=14, minutes=29, seconds=59)  # 23:59:59
    assert storage.backup_if_due() is None
    clock.advance(seconds=1)  # midnight: a new day
    due = storage.backup_if_due()
    assert due is not None
    assert due.name == "kiosk-20260303-000000.sqlite3"
    clock.advance(hours=23)
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
    leftovers = [
        data_dir / "backups" / "kiosk-20260301-120000.sqlite3.partial",  # older versions
        data_dir / "backups" / f"{TEMP_PREFIX}0a1b2c-kiosk-20260301-120000.sqlite3",
        data_dir / "backups" / f"{TEMP_PREFIX}0a1b2c-kiosk-20260301-120000.sqlite3-journal",
    ]
    for leftover in leftovers:
        leftover.write_bytes(b"half a backup")
    clock.advance(minutes=1)

    storage.backup_now()

    assert [leftover.exists() for leftover in leftovers] == [False, False, False]


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


def make_database_before_the_last_migration(data_dir: Path) -> str:
    """A database as the release before the newest migration left it; returns that migration."""
    last = MIGRATIONS._migrations[-1].name
    data_dir.mkdir(parents=True, exist_ok=True)
    db = connect(data_dir / "kiosk.sqlite3")
    try:
        MIGRATIONS.apply(db, stop_before=last)
        with db.conn:
            db.conn.execute("INSERT INTO settings VALUES ('release', 'old')")
    finally:
        db.close()
    return last


def test_an_update_of_the_schema_is_preceded_by_a_backup_that_is_not_a_days_backup(
    data_dir: Path, open_storage: Callable[..., Storage]
) -> None:
    last = make_database_before_the_last_migration(data_dir)

    storage = open_storage()

    before = data_dir / "backups" / "kiosk-20260302-093000-before-update.sqlite3"
    assert storage.report.before_update == before
    applied = read_rows(before, "SELECT name FROM _sqlite_migrations")
    assert (last,) not in applied and len(applied) == len(MIGRATIONS._migrations) - 1
    assert read_rows(before, "SELECT value FROM settings") == [("old",)]
    assert stat.S_IMODE(before.stat().st_mode) == 0o600
    # It does not stand for the day: the updated database gets its day's backup as well.
    assert storage.report.backup_made == data_dir / "backups" / "kiosk-20260302-093000-1.sqlite3"
    assert (last,) in read_rows(storage.report.backup_made, "SELECT name FROM _sqlite_migrations")


def test_no_update_backup_for_a_new_database_or_one_that_is_up_to_date(
    data_dir: Path, open_storage: Callable[..., Storage], clock: FakeClock
) -> None:
    with open_storage() as storage:
        assert storage.report.before_update is None
    clock.advance(days=1)
    with open_storage() as storage:
        assert storage.report.before_update is None
    assert not any("before-update" in name for name in backup_names(data_dir))


def test_the_backup_before_an_update_stays_until_keep_later_days_have_one(
    data_dir: Path, open_storage: Callable[..., Storage], clock: FakeClock
) -> None:
    make_database_before_the_last_migration(data_dir)
    storage = open_storage(backups_keep=3)
    before = storage.report.before_update
    assert before is not None
    for _ in range(2):  # the 3rd and 4th of March
        clock.advance(days=1)
        storage.backup_if_due()
        assert before.exists()  # the update's own day is still among the 3 days kept

    clock.advance(days=1)  # the 5th: the 3 days kept are all after the update
    storage.backup_if_due()

    assert not before.exists()
    assert backup_names(data_dir) == [
        "kiosk-20260303-093000.sqlite3",
        "kiosk-20260304-093000.sqlite3",
        "kiosk-20260305-093000.sqlite3",
    ]


def test_an_update_backup_is_restored_when_it_is_the_newest_sound_one(
    data_dir: Path, open_storage: Callable[..., Storage]
) -> None:
    make_database_before_the_last_migration(data_dir)
    with open_storage() as storage:
        assert storage.report.backup_made is not None
        storage.report.backup_made.write_bytes(b"not a database")  # the day's backup is lost
    (data_dir / "kiosk.sqlite3").write_bytes(b"garbage" * 1000)

    with open_storage() as storage:
        assert storage.report.restored_from is not None
        assert storage.report.restored_from.name.endswith("-before-update.sqlite3")
        assert storage.settings.get("release") == "old"  # and migrated again at open
