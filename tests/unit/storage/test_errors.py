"""A full disk or a read-only file raises a StorageError subclass and changes nothing."""

from __future__ import annotations

import errno
import os
import shutil
import stat
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kiosk.storage import StorageError, StorageFullError, StorageReadOnlyError
from kiosk.storage.connection import storage_error_from_os, write_transaction
from kiosk.storage.database import Storage

BIG = "x" * 200_000  # needs many new pages


def fill_the_disk(storage: Storage) -> None:
    # SQLite's own size limit makes it report SQLITE_FULL exactly as a full disk does.
    # It is per connection, so it is set on the connection Storage writes through.
    page_count = storage._db.execute("PRAGMA page_count").fetchone()[0]
    storage._db.execute(f"PRAGMA max_page_count = {page_count}")


def make_room(storage: Storage) -> None:
    storage._db.execute("PRAGMA max_page_count = 1073741823")


def test_disk_full_raises_storage_full_and_changes_nothing(
    open_storage: Callable[..., Storage],
) -> None:
    storage = open_storage()
    storage.settings.set("pin_hash", "scrypt$abc")
    storage.session_state.put("s1", "lesson", "1")
    event_id = storage.staff_events.add("staff_login")
    fill_the_disk(storage)

    with pytest.raises(StorageFullError):
        storage.settings.set("pin_hash", BIG)
    with pytest.raises(StorageFullError):
        storage.session_state.put("s1", "lesson", BIG)
    with pytest.raises(StorageFullError):
        storage.staff_events.add("pin_locked", BIG)

    assert storage.settings.get("pin_hash") == "scrypt$abc"
    assert storage.session_state.get("s1", "lesson") == "1"
    assert [e.id for e in storage.staff_events.recent()] == [event_id]
    assert storage._db.conn.in_transaction is False
    make_room(storage)
    storage.settings.set("pin_hash", BIG)  # usable again once there is space
    assert storage.settings.get("pin_hash") == BIG


def test_a_failed_transaction_rolls_back_its_earlier_statements(
    open_storage: Callable[..., Storage],
) -> None:
    storage = open_storage()
    fill_the_disk(storage)

    with pytest.raises(StorageFullError), write_transaction(storage._db) as db:
        db.execute("INSERT INTO settings VALUES ('small', 'fits')")
        db.execute("INSERT INTO settings VALUES ('big', ?)", [BIG])

    assert storage.settings.get("small") is None


def test_storage_full_is_a_storage_error() -> None:
    assert issubclass(StorageFullError, StorageError)
    assert issubclass(StorageReadOnlyError, StorageError)


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        (errno.ENOSPC, StorageFullError),
        (errno.EDQUOT, StorageFullError),
        (errno.EROFS, StorageReadOnlyError),
        (errno.EACCES, StorageReadOnlyError),
        (errno.EIO, StorageError),
    ],
)
def test_file_system_errors_map_to_storage_errors(
    number: int, expected: type[StorageError]
) -> None:
    assert type(storage_error_from_os(OSError(number, os.strerror(number)))) is expected


def _run_checked(command: list[str]) -> None:
    subprocess.run(command, check=True)


@pytest.fixture
def make_read_only() -> Iterator[Callable[[Path], None]]:
    """Makes a file unwritable in a way that also binds root.

    chmod does not stop root, so as root the file gets the immutable attribute (chattr +i),
    which the kernel enforces for every user; it is removed again after the test.
    """
    undo: list[Callable[[], None]] = []

    def _make_read_only(path: Path) -> None:
        if os.geteuid() != 0:
            mode = path.stat().st_mode
            path.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
            undo.append(lambda: path.chmod(mode))
            return
        chattr = shutil.which("chattr")
        if chattr is None:
            pytest.skip("running as root without chattr: cannot make a file read-only for root")
        result = subprocess.run([chattr, "+i", str(path)], capture_output=True, check=False)
        if result.returncode != 0:
            pytest.skip(f"running as root and chattr +i failed: {result.stderr.decode().strip()}")
        undo.append(lambda: _run_checked([chattr, "-i", str(path)]))

    yield _make_read_only
    for step in reversed(undo):
        step()


def test_a_read_only_database_opens_for_reading_and_refuses_writes(
    data_dir: Path,
    open_storage: Callable[..., Storage],
    make_read_only: Callable[[Path], None],
) -> None:
    first = open_storage()
    first.settings.set("pin_hash", "scrypt$abc")
    first.close()
    make_read_only(data_dir / "kiosk.sqlite3")

    storage = open_storage()

    assert storage.report.recovered is False
    assert storage.settings.get("pin_hash") == "scrypt$abc"
    with pytest.raises(StorageReadOnlyError):
        storage.settings.set("pin_hash", "scrypt$def")
    with pytest.raises(StorageReadOnlyError):
        storage.staff_events.add("staff_login")
    assert storage.settings.get("pin_hash") == "scrypt$abc"
    assert storage.staff_events.recent() == []
    assert storage._db.conn.in_transaction is False
