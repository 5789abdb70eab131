"""A corrupt database is moved aside, never deleted, and restored from the newest sound backup."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from kiosk.storage.database import Storage

from .conftest import FakeClock, read_rows


def fill_and_back_up(open_storage: Callable[..., Storage]) -> tuple[Path, Path]:
    """Store recognisable data, back it up, close cleanly; returns (database, backup)."""
    storage = open_storage()
    storage.settings.set("pin_hash", "scrypt$abc")
    for n in range(300):  # several pages, so a truncated file loses real content
        storage.staff_events.add("staff_login", f"terminal {n:03d} " + "x" * 40)
    backup = storage.backup_now()
    path = storage.path
    storage.close()  # checkpoints the WAL into the file and removes it
    assert not path.with_name("kiosk.sqlite3-wal").exists()
    return path, backup


def assert_recovered_from(storage: Storage, backup: Path, bad_bytes: bytes) -> None:
    report = storage.report
    assert report.recovered is True
    assert report.restored_from == backup
    assert report.moved_aside is not None
    assert report.moved_aside.name.startswith("kiosk.sqlite3.corrupt-")
    assert report.moved_aside.read_bytes() == bad_bytes  # kept aside byte for byte
    assert storage.settings.get("pin_hash") == "scrypt$abc"
    assert storage.integrity_ok()
    newest = storage.staff_events.recent(limit=1)[0]
    assert newest.kind == "database_restored"
    assert report.moved_aside.name in newest.detail
    assert backup.name in newest.detail
    assert str(storage.data_dir) not in newest.detail  # file names only, no absolute paths


def test_garbage_over_the_file_is_restored_from_the_newest_backup(
    open_storage: Callable[..., Storage], caplog: pytest.LogCaptureFixture
) -> None:
    path, backup = fill_and_back_up(open_storage)
    garbage = os.urandom(path.stat().st_size)
    path.write_bytes(garbage)

    with caplog.at_level(logging.WARNING, logger="kiosk.storage"):
        storage = open_storage()

    assert_recovered_from(storage, backup, garbage)
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert any(
        r.name == "kiosk.storage"
        and str(storage.report.moved_aside) in r.getMessage()
        and str(backup) in r.getMessage()
        for r in warnings
    )
    assert "scrypt$abc" not in caplog.text


def test_a_truncated_file_is_restored_from_the_newest_backup(
    open_storage: Callable[..., Storage], caplog: pytest.LogCaptureFixture
) -> None:
    path, backup = fill_and_back_up(open_storage)
    truncated = path.read_bytes()[: path.stat().st_size // 2]
    path.write_bytes(truncated)

    with caplog.at_level(logging.WARNING, logger="kiosk.storage"):
        storage = open_storage()

    assert_recovered_from(storage, backup, truncated)
    assert str(storage.report.moved_aside) in caplog.text


def test_garbage_inside_one_page_is_caught_by_quick_check(
    open_storage: Callable[..., Storage],
) -> None:
    path, backup = fill_and_back_up(open_storage)
    damaged = bytearray(path.read_bytes())
    damaged[4096 * 3 : 4096 * 4] = os.urandom(4096)  # the header is intact, a page is not
    path.write_bytes(bytes(damaged))

    storage = open_storage()

    assert_recovered_from(storage, backup, bytes(damaged))


def test_an_emptied_file_with_backups_is_restored(open_storage: Callable[..., Storage]) -> None:
    path, backup = fill_and_back_up(open_storage)
    path.write_bytes(b"")

    storage = open_storage()

    assert_recovered_from(storage, backup, b"")


def test_without_a_backup_a_fresh_database_starts_and_the_bad_file_is_kept(
    data_dir: Path, open_storage: Callable[..., Storage], caplog: pytest.LogCaptureFixture
) -> None:
    path, _ = fill_and_back_up(open_storage)
    for backup in (data_dir / "backups").iterdir():
        backup.unlink()
    garbage = os.urandom(path.stat().st_size)
    path.write_bytes(garbage)

    with caplog.at_level(logging.WARNING, logger="kiosk.storage"):
        storage = open_storage()

    report = storage.report
    assert report.recovered is True
    assert report.restored_from is None
    assert report.moved_aside is not None
    assert report.moved_aside.read_bytes() == garbage
    assert storage.settings.get("pin_hash") is None
    [event] = storage.staff_events.recent()
    assert event.kind == "database_recreated"
    assert report.moved_aside.name in event.detail
    assert "no usable backup" in caplog.text
    assert report.backup_made is not None  # the fresh database is backed up straight away


def test_corrupt_newest_backups_are_skipped_for_an_older_good_one(
    open_storage: Callable[..., Storage], clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    path, older_backup = fill_and_back_up(open_storage)
    clock.advance(days=1)
    storage = open_storage()
    storage.settings.set("pin_hash", "scrypt$newer")
    clock.advance(days=1)
    newest_backup = storage.backup_if_due()
    bad_backups = [newest_backup, storage.report.backup_made]
    storage.close()
    for bad in bad_backups:
        assert bad is not None
        bad.write_bytes(os.urandom(bad.stat().st_size))
    garbage = os.urandom(path.stat().st_size)
    path.write_bytes(garbage)
    clock.advance(hours=1)

    with caplog.at_level(logging.WARNING, logger="kiosk.storage"):
        recovered = open_storage()

    assert recovered.report.restored_from == older_backup
    assert recovered.settings.get("pin_hash") == "scrypt$abc"
    for bad in bad_backups:
        assert str(bad) in caplog.text
        assert bad is not None and bad.exists()  # a bad backup is reported, not deleted


def test_wal_and_shm_files_move_aside_with_the_database(
    open_storage: Callable[..., Storage],
) -> None:
    path, _ = fill_and_back_up(open_storage)
    wal_bytes = os.urandom(5000)
    path.with_name("kiosk.sqlite3-wal").write_bytes(wal_bytes)
    path.with_name("kiosk.sqlite3-shm").write_bytes(b"\0" * 32768)
    path.write_bytes(os.urandom(path.stat().st_size))

    storage = open_storage()

    aside = storage.report.moved_aside
    assert aside is not None
    assert aside.with_name(aside.name + "-wal").read_bytes() == wal_bytes
    assert aside.with_name(aside.name + "-shm").exists()
    assert storage.settings.get("pin_hash") == "scrypt$abc"


def test_two_recoveries_in_the_same_second_keep_both_bad_files(
    data_dir: Path, open_storage: Callable[..., Storage]
) -> None:
    path, _ = fill_and_back_up(open_storage)
    first_garbage = os.urandom(8192)
    path.write_bytes(first_garbage)
    open_storage().close()
    second_garbage = os.urandom(8192)
    path.write_bytes(second_garbage)

    open_storage()

    kept = {p.read_bytes() for p in data_dir.glob("kiosk.sqlite3.corrupt-*")}
    assert kept == {first_garbage, second_garbage}


def test_recovered_database_is_the_one_later_opens_use(
    open_storage: Callable[..., Storage],
) -> None:
    path, _ = fill_and_back_up(open_storage)
    path.write_bytes(os.urandom(path.stat().st_size))
    open_storage().close()

    again = open_storage()

    assert again.report.recovered is False
    kinds = [row[0] for row in read_rows(again.path, "SELECT kind FROM staff_events")]
    assert kinds.count("database_restored") == 1
