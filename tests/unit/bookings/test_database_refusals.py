"""The database itself refuses double bookings: both triggers, every condition, at the edges.

The service checks the free slots before it writes, so a test that only books through the
service never reaches the triggers. Here another terminal books between the service's check and
its write (tests/unit/bookings/race.py), or rows are written straight into the repository, so
each refusal below can only come from the triggers of migration m003.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.core.bookings import BookingProblem, BookingService
from kiosk.storage.bookings_repo import BookingRepository, StoredBooking
from kiosk.storage.database import Storage
from tests.unit.bookings.helpers import TABLET, TABLET_2, TUESDAY, VR, Clock, at, calendar
from tests.unit.bookings.race import OtherTerminalFirst

EVERYTHING = (0, 2**40)


@pytest.fixture
def storage(data_dir: Path) -> Iterator[Storage]:
    opened = Storage.open(data_dir)
    yield opened
    opened.close()


def service_over(store: object, storage: Storage) -> BookingService:
    return BookingService(
        store,  # type: ignore[arg-type]
        [TABLET, TABLET_2, VR],
        calendar(),
        storage.settings,
        clock=Clock(at(TUESDAY, "09:00")),
    )


def add(
    repo: BookingRepository,
    device_id: str,
    start: str,
    minutes: int = 30,
    *,
    buffer: int = 0,
    status: str = "confirmed",
    code: str = "",
) -> int | None:
    """A row written straight into the repository (no service check); its id or None."""
    start_ts = int(at(TUESDAY, start).timestamp())
    end_ts = start_ts + minutes * 60
    added = repo.add(
        uid=uuid.uuid4().hex,
        code=code or f"C{device_id[-1]}{start.replace(':', '')}{status[0]}"[:6].upper(),
        device_id=device_id,
        device_kind="vr-headset" if device_id.startswith("vr") else "tablet",
        start_ts=start_ts,
        end_ts=end_ts,
        block_until_ts=end_ts + buffer * 60,
        name="Test",
        status=status,
        walk_in=False,
        now_ts=start_ts - 7200,
    )
    return added.id


def rows(repo: BookingRepository) -> list[StoredBooking]:
    return repo.between(*EVERYTHING)


# -- the race: another terminal books after the service's own check ---------------------------


def test_a_slot_taken_after_the_check_is_refused_by_the_database_as_just_taken(
    data_dir: Path, storage: Storage
) -> None:
    start = at(TUESDAY, "10:00")
    store = OtherTerminalFirst(
        storage.bookings, data_dir, ("tablet-1", "tablet", start, 30, "Other")
    )
    service = service_over(store, storage)
    assert service.check_slot("tablet-1", start, 30) is None  # free when the visitor taps

    outcome = service.book("tablet-1", start, 30, "Anna")

    assert store.competed, "the other terminal booked in between"
    assert not outcome.ok
    assert outcome.problem is BookingProblem.OVERLAP
    assert outcome.alternatives and all(s.start >= start for s in outcome.alternatives)
    assert [(row.name, row.device_id) for row in rows(storage.bookings)] == [("Other", "tablet-1")]


def test_a_move_onto_a_booking_made_meanwhile_is_refused_by_the_database(
    data_dir: Path, storage: Storage
) -> None:
    plain = service_over(storage.bookings, storage)
    anna = plain.book("tablet-1", at(TUESDAY, "14:00"), 30, "Anna").booking
    assert anna is not None
    store = OtherTerminalFirst(
        storage.bookings,
        data_dir,
        ("tablet-2", "tablet", at(TUESDAY, "14:15"), 30, "Other"),
        on="move",
    )
    service = service_over(store, storage)

    assert service.move(anna.id, "tablet-2") is BookingProblem.OVERLAP

    assert store.competed
    moved = storage.bookings.by_id(anna.id)
    assert moved is not None and moved.device_id == "tablet-1"  # nothing changed
    assert sorted((row.name, row.device_id) for row in rows(storage.bookings)) == [
        ("Anna", "tablet-1"),
        ("Other", "tablet-2"),
    ]


# -- the UPDATE trigger: moves and status changes ---------------------------------------------


def test_a_move_onto_an_overlapping_active_booking_is_refused(storage: Storage) -> None:
    repo = storage.bookings
    there = add(repo, "tablet-2", "10:15")
    mine = add(repo, "tablet-1", "10:00")
    assert there is not None and mine is not None
    block = int(at(TUESDAY, "10:30").timestamp())

    assert repo.move(mine, "tablet-2", block, 0) is False

    moved = repo.by_id(mine)
    assert moved is not None and moved.device_id == "tablet-1"


def test_a_move_next_to_a_booking_is_allowed(storage: Storage) -> None:
    """Blocks that only touch (one ends when the other starts) do not overlap."""
    repo = storage.bookings
    assert add(repo, "tablet-2", "10:30") is not None  # starts when mine ends
    assert add(repo, "tablet-2", "09:30", buffer=0) is not None  # ends when mine starts
    mine = add(repo, "tablet-1", "10:00")
    assert mine is not None

    assert repo.move(mine, "tablet-2", int(at(TUESDAY, "10:30").timestamp()), 0) is True


def test_a_move_onto_a_cancelled_or_finished_booking_is_allowed(storage: Storage) -> None:
    repo = storage.bookings
    for status in ("cancelled", "no_show"):
        assert add(repo, "tablet-2", "10:00", status=status, code=f"X{status[:5]}") is not None
    mine = add(repo, "tablet-1", "10:00")
    assert mine is not None

    assert repo.move(mine, "tablet-2", int(at(TUESDAY, "10:30").timestamp()), 0) is True


def test_a_booking_may_change_its_own_status_and_block(storage: Storage) -> None:
    """The UPDATE trigger leaves the row being changed out of the overlap check."""
    repo = storage.bookings
    mine = add(repo, "vr-1", "10:00", status="pending")
    assert mine is not None
    assert repo.set_status(mine, "confirmed", 0, expected=["pending"]) is True
    assert repo.set_status(mine, "checked_in", 0, expected=["confirmed"]) is True
    assert repo.move(mine, "vr-1", int(at(TUESDAY, "10:45").timestamp()), 0) is True


def test_reactivating_a_booking_onto_an_active_one_is_refused(storage: Storage) -> None:
    """A status change back to active is checked like a new booking."""
    repo = storage.bookings
    old = add(repo, "tablet-1", "10:00", status="cancelled")
    assert old is not None
    assert add(repo, "tablet-1", "10:15") is not None  # booked after the cancellation

    assert repo.set_status(old, "confirmed", 0, expected=["cancelled"]) is False

    row = repo.by_id(old)
    assert row is not None and row.status == "cancelled"


def test_reactivating_a_booking_where_nothing_overlaps_is_allowed(storage: Storage) -> None:
    repo = storage.bookings
    old = add(repo, "tablet-1", "10:00", status="cancelled")
    assert old is not None
    assert add(repo, "tablet-1", "10:30") is not None  # touches, does not overlap
    assert add(repo, "tablet-2", "10:00") is not None  # another device
    assert add(repo, "tablet-1", "10:00", status="no_show", code="NOSHW1") is not None

    assert repo.set_status(old, "pending", 0, expected=["cancelled"]) is True


# -- the INSERT trigger ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("device_id", "start", "status", "taken"),
    [
        ("tablet-1", "10:00", "confirmed", True),  # the same time
        ("tablet-1", "10:29", "confirmed", True),  # starts inside
        ("tablet-1", "09:31", "confirmed", True),  # ends inside
        ("tablet-1", "10:30", "confirmed", False),  # starts when the other ends
        ("tablet-1", "09:30", "confirmed", False),  # ends when the other starts
        ("tablet-1", "10:00", "pending", True),  # pending blocks like confirmed
        ("tablet-1", "10:00", "checked_in", True),
        ("tablet-1", "10:00", "cancelled", False),  # an inactive row blocks nothing
        ("tablet-2", "10:00", "confirmed", False),  # another device
    ],
)
def test_the_insert_trigger_refuses_exactly_the_overlaps(
    storage: Storage, device_id: str, start: str, status: str, taken: bool
) -> None:
    repo = storage.bookings
    assert add(repo, "tablet-1", "10:00") is not None
    assert (add(repo, device_id, start, status=status, code="SECOND") is None) is taken


@pytest.mark.parametrize("status", ["cancelled", "no_show"])
def test_inactive_bookings_do_not_block_new_ones(storage: Storage, status: str) -> None:
    repo = storage.bookings
    assert add(repo, "tablet-1", "10:00", status=status) is not None
    assert add(repo, "tablet-1", "10:00", code="SECOND") is not None


def test_the_block_includes_the_buffer(storage: Storage) -> None:
    repo = storage.bookings
    assert add(repo, "tablet-1", "10:00", buffer=15) is not None  # blocked until 10:45
    assert add(repo, "tablet-1", "10:30", code="SECOND") is None
    assert add(repo, "tablet-1", "10:45", code="THIRD1") is not None
    assert [row.code for row in rows(repo)] == ["C11000", "THIRD1"]


@pytest.mark.parametrize("status", ["pending", "confirmed", "checked_in"])
def test_every_active_booking_blocks_new_ones(storage: Storage, status: str) -> None:
    repo = storage.bookings
    assert add(repo, "tablet-1", "10:00", status=status) is not None
    assert add(repo, "tablet-1", "10:15", code="SECOND") is None
