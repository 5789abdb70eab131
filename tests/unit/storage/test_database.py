"""Opening the kiosk database: schema, pragmas, migrations, reopening."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from kiosk.storage import StorageError
from kiosk.storage.database import Storage, check_database_file
from kiosk.storage.migrations import MIGRATIONS, apply_migrations

from .conftest import read_rows


def pragma(storage: Storage, name: str) -> object:
    # Tests look at the live connection directly: pragmas are per connection.
    return storage._db.execute(f"PRAGMA {name}").fetchone()[0]


def test_fresh_open_creates_the_database_and_schema(
    data_dir: Path, open_storage: Callable[..., Storage]
) -> None:
    storage = open_storage()

    assert storage.path == data_dir / "kiosk.sqlite3"
    assert storage.data_dir == data_dir
    assert storage.path.is_file()
    tables = {row[0] for row in read_rows(storage.path, "SELECT name FROM sqlite_master")}
    assert {"settings", "session_state", "staff_events", "_sqlite_migrations"} <= tables
    columns = {
        row[1]: (row[2], row[3], row[4], row[5])  # type, notnull, default, pk position
        for row in read_rows(storage.path, "PRAGMA table_info(staff_events)")
    }
    assert columns == {
        "id": ("INTEGER", 0, None, 1),
        "at": ("TEXT", 1, None, 0),
        "kind": ("TEXT", 1, None, 0),
        "detail": ("TEXT", 1, "''", 0),
    }
    # (name, type, notnull, pk position) for the other two tables
    settings = read_rows(storage.path, "PRAGMA table_info(settings)")
    assert [(r[1], r[2], r[3], r[5]) for r in settings] == [
        ("key", "TEXT", 0, 1),
        ("value", "TEXT", 1, 0),
    ]
    session_state = read_rows(storage.path, "PRAGMA table_info(session_state)")
    assert [(r[1], r[2], r[3], r[5]) for r in session_state] == [
        ("session_id", "TEXT", 0, 1),
        ("key", "TEXT", 0, 2),
        ("value", "TEXT", 0, 0),
    ]


def test_open_creates_a_missing_data_dir(tmp_path: Path) -> None:
    data_dir = tmp_path / "not" / "there" / "yet"
    with Storage.open(data_dir) as storage:
        assert storage.path.is_file()
        assert storage.report.recovered is False


def test_pragmas_are_in_effect(open_storage: Callable[..., Storage]) -> None:
    """The connection runs the pragmas a terminal's data relies on.

    This is the test that guards durability across a power loss: a confirmed booking is on disk
    when the commit returns because of WAL with ``synchronous=FULL`` (fsync at every commit).
    No test here can pull the plug; the SIGKILL test (test_durability.py) proves only that
    commits are atomic across process kills, and passes with ``synchronous=OFF`` too.
    """
    storage = open_storage()

    assert pragma(storage, "journal_mode") == "wal"
    assert pragma(storage, "synchronous") == 2  # FULL
    assert pragma(storage, "foreign_keys") == 1
    assert pragma(storage, "busy_timeout") == 5000
    # A purged name is overwritten in the file, not left in a free page.
    assert pragma(storage, "secure_delete") == 1


def test_migrations_are_applied_once_and_reopening_is_idempotent(
    open_storage: Callable[..., Storage],
) -> None:
    first = open_storage()
    first.settings.set("site", "Jena")
    first.close()

    second = open_storage()

    applied = read_rows(
        second.path, "SELECT migration_set, name FROM _sqlite_migrations ORDER BY id"
    )
    assert applied == [("kiosk", name) for name in [m.name for m in MIGRATIONS._migrations]]
    assert MIGRATIONS.pending(second._db) == []
    assert apply_migrations(second._db) == []
    assert second.settings.get("site") == "Jena"
    assert second.report.recovered is False


def test_first_open_makes_a_backup_and_a_reopen_reports_a_healthy_database(
    open_storage: Callable[..., Storage],
) -> None:
    first = open_storage()
    assert first.report.backup_made is not None
    assert first.report.backup_made.is_file()
    first.close()

    second = open_storage()

    assert second.report.recovered is False
    assert second.report.moved_aside is None
    assert second.report.restored_from is None
    assert second.report.backup_made is None  # today has its backup already


def test_a_database_in_use_by_another_connection_is_not_moved_aside(
    data_dir: Path, open_storage: Callable[..., Storage]
) -> None:
    running = open_storage()
    running.staff_events.add("staff_login")

    second = open_storage()  # e.g. `kiosk check` while the kiosk runs

    assert second.report.recovered is False
    assert [e.kind for e in second.staff_events.recent()] == ["staff_login"]
    assert sorted(p.name for p in data_dir.glob("kiosk.sqlite3.corrupt-*")) == []


def test_an_unopenable_database_raises_and_is_left_in_place(data_dir: Path) -> None:
    # A directory where the file should be: SQLite cannot open it, but it is not corrupt.
    (data_dir / "kiosk.sqlite3").mkdir()

    with pytest.raises(StorageError):
        Storage.open(data_dir)

    assert (data_dir / "kiosk.sqlite3").is_dir()
    assert list(data_dir.glob("kiosk.sqlite3.corrupt-*")) == []


def test_integrity_ok_on_a_healthy_database(open_storage: Callable[..., Storage]) -> None:
    storage = open_storage()
    storage.staff_events.add("staff_login")

    assert storage.integrity_ok() is True


def test_close_is_idempotent_and_storage_is_a_context_manager(data_dir: Path) -> None:
    with Storage.open(data_dir) as storage:
        storage.settings.set("a", "1")
    storage.close()

    assert read_rows(data_dir / "kiosk.sqlite3", "SELECT value FROM settings") == [("1",)]


def test_check_database_file_passes_a_healthy_database(
    open_storage: Callable[..., Storage],
) -> None:
    storage = open_storage()
    storage.staff_events.add("staff_login")

    assert check_database_file(storage.path) == []  # also while the kiosk has it open


def test_check_database_file_reports_damage_without_touching_the_file(data_dir: Path) -> None:
    with Storage.open(data_dir) as storage:
        for n in range(300):
            storage.staff_events.add("staff_login", f"{n:03d} " + "x" * 40)
    path = data_dir / "kiosk.sqlite3"
    damaged = bytearray(path.read_bytes())
    damaged[4096 * 3 : 4096 * 4] = os.urandom(4096)
    path.write_bytes(bytes(damaged))
    garbage = data_dir / "garbage.sqlite3"
    garbage.write_bytes(os.urandom(8192))

    damage_report = check_database_file(path)
    garbage_report = check_database_file(garbage)

    assert damage_report
    assert all(line.startswith(("integrity_check:", "cannot be read")) for line in damage_report)
    assert len(damage_report) <= 6
    assert garbage_report == ["cannot be read (SQLITE_NOTADB: file is not a database)"]
    assert path.read_bytes() == bytes(damaged)
    assert list(data_dir.glob("kiosk.sqlite3.corrupt-*")) == []
