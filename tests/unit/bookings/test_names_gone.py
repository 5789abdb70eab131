"""After the name purge no byte of a visitor's name is left in any file under the data folder.

Canary names go everywhere a name can go on a terminal joined to a hub: the bookings, the hub's
queue and its refused changes, a day's backup and one before an update, a damaged copy that
recovery moved aside, the log (at DEBUG), an export offered inside the data folder if any place
still offers it. Past the retention, the purge runs the way the app runs it (the hourly upkeep),
and then every file under the data folder is read, byte by byte.
"""

from __future__ import annotations

import logging
import secrets
import shutil
import string
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from kiosk.config import SiteConfig
from kiosk.core.bookings import BookingService
from kiosk.core.bookings.export import write_csv
from kiosk.logs import setup_logging
from kiosk.storage.database import Storage
from kiosk.storage.drives import ExportPlaces
from kiosk.storage.sync_store import SyncStore
from kiosk.terminal import TerminalDesk

from .helpers import TABLET, TABLET_2, TUESDAY, VR, Clock, at, calendar

PURGE_DAYS = 7


def canary() -> str:
    """A name no code, test or catalogue contains by chance."""
    return "Kanari" + "".join(secrets.choice(string.ascii_lowercase) for _ in range(10))


def encodings(name: str) -> list[bytes]:
    # SQLite stores text as UTF-8 here; a UTF-16 database or log would hide it from a UTF-8 search.
    return [name.encode("utf-8"), name.encode("utf-16-le"), name.encode("utf-16-be")]


def files_holding(data_dir: Path, names: list[str]) -> list[str]:
    """Every file under the data folder that holds one of the names, as 'path: name'."""
    found = []
    for path in sorted(data_dir.rglob("*")):
        if path.is_file():
            content = path.read_bytes()
            for name in names:
                if any(encoded in content for encoded in encodings(name)):
                    found.append(f"{path.relative_to(data_dir)}: {name}")
    return found


@pytest.fixture
def kiosk_log(data_dir: Path) -> Iterator[Path]:
    """The kiosk's log file in the data folder, at DEBUG, as the app opens it."""
    root = logging.getLogger("kiosk")
    handlers, level = list(root.handlers), root.level
    path = setup_logging(data_dir, level=logging.DEBUG)
    yield path
    for handler in [h for h in root.handlers if h not in handlers]:
        root.removeHandler(handler)
        handler.close()
    root.setLevel(level)


def open_terminal(data_dir: Path, clock: Clock) -> TerminalDesk:
    """The terminal's database and booking service, joined to a hub, as the app builds them."""
    desk = TerminalDesk(SiteConfig(), data_dir)
    # The storage's clock is the system's local time (as kiosk.storage.database.local_now).
    desk.storage = Storage.open(data_dir, now=lambda: clock().astimezone(), outbox=True)
    desk.bookings = BookingService(
        desk.storage.bookings,
        [TABLET, TABLET_2, VR],
        calendar(),
        desk.storage.settings,
        clock=clock,
        purge_days=PURGE_DAYS,
    )
    return desk


def test_no_name_is_left_anywhere_under_the_data_folder_after_the_purge(
    data_dir: Path, kiosk_log: Path
) -> None:
    names = [canary() for _ in range(4)]
    clock = Clock(at(TUESDAY, "09:00"))
    desk = open_terminal(data_dir, clock)
    assert desk.storage is not None and desk.bookings is not None
    service = desk.bookings
    booked = [
        service.book("tablet-1", at(TUESDAY, "10:00"), 30, names[0]).booking,
        service.book("tablet-2", at(TUESDAY, "11:00"), 30, names[1]).booking,
        service.book("vr-1", at(TUESDAY, "14:00"), 30, names[2]).booking,
        service.book("tablet-1", at(TUESDAY, "15:00"), 30, names[3]).booking,
    ]
    assert all(booking is not None for booking in booked)
    assert service.check_in(booked[0].code).status is not None  # type: ignore[union-attr]
    # The hub refused one of the queued bookings: it is kept aside, with its name.
    with SyncStore.open(data_dir) as sync:
        refused = sync.outbox.pending(10)[1]
        sync.outbox.set_aside(refused, "malformed")
    # A day's backup and one from before an update, both with every name.
    backup = desk.storage.backup_now()
    shutil.copyfile(backup, backup.with_name(backup.stem + "-before-update.sqlite3"))
    # An export to every place offered, with a drive mounted inside the data folder as well.
    (data_dir / "exports").mkdir()
    mounts = data_dir / "mounts"
    mounts.write_text(f"/dev/sdb1 {data_dir / 'exports'} vfat rw 0 0\n")
    places = ExportPlaces(
        data_dir, folder=data_dir / "exports", mount_table=mounts, media_roots=(data_dir,)
    )
    for place in places.destinations():
        write_csv(place.path / "bookings.csv", service.bookings_between(TUESDAY, TUESDAY), {})
    desk.storage.close()

    # A power cut damaged the database: recovery keeps the damaged copy and restores the backup.
    database = data_dir / "kiosk.sqlite3"
    damaged = bytearray(database.read_bytes())
    damaged[:16] = b"not a database!!"
    database.write_bytes(bytes(damaged))
    clock.now = at(TUESDAY, "16:00")
    desk = open_terminal(data_dir, clock)
    assert desk.storage is not None and desk.storage.report.moved_aside is not None
    held = files_holding(data_dir, names)
    assert any(".corrupt-" in line for line in held)  # the damaged copy has the names
    assert any(line.startswith("backups/") for line in held)

    # One day past the retention of the last slot (15:30), the hourly upkeep runs.
    clock.now = at(TUESDAY + timedelta(days=PURGE_DAYS + 1), "15:31")
    desk.hourly_upkeep()
    local = clock().astimezone()

    assert files_holding(data_dir, names) == []  # the kiosk still running: -wal and -shm too
    desk.storage.close()
    assert files_holding(data_dir, names) == []
    # Purged, not deleted: they can still be restored; and the upkeep's day backup.
    assert sorted(p.name for p in (data_dir / "backups").iterdir()) == sorted(
        [
            backup.name,
            backup.stem + "-before-update.sqlite3",
            f"kiosk-{local:%Y%m%d-%H%M%S}.sqlite3",
        ]
    )
    assert kiosk_log.is_file() and kiosk_log.stat().st_size > 0


def test_names_within_the_retention_stay_in_the_copies(data_dir: Path) -> None:
    """The purge takes only what is due: a restored backup still has the names it needs."""
    names = [canary() for _ in range(2)]
    clock = Clock(at(TUESDAY, "09:00"))
    desk = open_terminal(data_dir, clock)
    assert desk.storage is not None and desk.bookings is not None
    assert desk.bookings.book("tablet-1", at(TUESDAY, "10:00"), 30, names[0]).booking
    assert desk.bookings.book("tablet-1", at(TUESDAY, "15:00"), 30, names[1]).booking
    backup = desk.storage.backup_now()

    clock.now = at(TUESDAY + timedelta(days=PURGE_DAYS), "12:00")  # 10:30 is due, 15:30 not
    desk.hourly_upkeep()
    desk.storage.close()

    content = backup.read_bytes()
    assert names[0].encode() not in content
    assert names[1].encode() in content
