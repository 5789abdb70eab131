"""Bookings for the storage tests: rows written straight into the repository, and the hub's."""

from __future__ import annotations

import itertools
from pathlib import Path

from kiosk.core.bookings.shared import SharedBooking
from kiosk.storage.bookings_repo import Added, BookingRepository, StoredBooking
from tests.unit.bookings.helpers import TUESDAY, at

EVERYTHING = (0, 2**40)
_CODES = (f"C{n:05d}" for n in itertools.count())  # unique across a test run


def ts(hhmm: str) -> int:
    """A time on the test Tuesday as the store keeps it."""
    return int(at(TUESDAY, hhmm).timestamp())


def uid(n: int) -> str:
    return f"{n:032x}"


def add(
    repo: BookingRepository,
    device_id: str = "tablet-1",
    start: str = "10:00",
    minutes: int = 30,
    *,
    status: str = "confirmed",
    n: int = 1,
    code: str = "",
    buffer: int = 15,
) -> Added:
    """A booking written straight into the repository, with uid ``uid(n)``."""
    end = ts(start) + minutes * 60
    return repo.add(
        uid=uid(n),
        code=code or next(_CODES),
        device_id=device_id,
        device_kind="tablet",
        start_ts=ts(start),
        end_ts=end,
        block_until_ts=end + buffer * 60,
        name="Anna",
        status=status,
        walk_in=False,
        now_ts=ts("09:00"),
    )


def shared(
    n: int,
    device_id: str = "tablet-1",
    start: str = "10:00",
    minutes: int = 30,
    *,
    status: str = "confirmed",
    code: str = "",
    name: str | None = "Ben",
    moved: bool = False,
    updated: str = "09:30",
    buffer: int = 15,
) -> SharedBooking:
    """A booking as the hub sends it, with uid ``uid(n)``."""
    end = ts(start) + minutes * 60
    return SharedBooking(
        uid=uid(n),
        code=code or f"HUB{n:03d}",
        device_id=device_id,
        device_kind="tablet",
        start_ts=ts(start),
        end_ts=end,
        block_until_ts=end + buffer * 60,
        name=name,
        status=status,
        walk_in=False,
        moved=moved,
        updated_ts=ts(updated),
    )


def rows(repo: BookingRepository) -> list[StoredBooking]:
    return repo.between(*EVERYTHING)


def by_uid(repo: BookingRepository, n: int) -> StoredBooking:
    row = repo.by_uid(uid(n))
    assert row is not None, f"no booking with uid {n}"
    return row


def database_file(data_dir: Path) -> Path:
    return data_dir / "kiosk.sqlite3"
