"""Staff edit a booking in place (start, end, device), restore a no-show, and a visitor's lookup
says when the booked device is out of order — the booking service over a real SQLite file."""

from __future__ import annotations

import dataclasses
import sqlite3
from datetime import timedelta
from pathlib import Path

from kiosk.core.bookings import (
    BookingProblem,
    BookingService,
    BookingStatus,
    DeviceStatus,
    LookupStatus,
    Slot,
)
from kiosk.core.stats.events import UsageEvents
from kiosk.storage.database import Storage
from kiosk.storage.outbox_repo import KIND_BOOKING
from kiosk.storage.sync_store import SyncStore
from tests.unit.bookings.helpers import (
    BERLIN,
    TABLET,
    TABLET_2,
    TUESDAY,
    VR,
    Clock,
    at,
    booking_site,
    calendar,
)


def usage_kinds(storage: Storage) -> list[str]:
    with sqlite3.connect(storage.path) as conn:
        return [kind for (kind,) in conn.execute("SELECT kind FROM usage_events ORDER BY id")]


def test_extend_and_shorten_keep_the_code_and_uid_and_free_the_time(data_dir: Path) -> None:
    with booking_site(data_dir) as (service, _clock, storage):
        anna = service.book("tablet-2", at(TUESDAY, "10:00"), 30, "Anna").booking
        assert anna is not None
        assert service.edit(anna.id, end=at(TUESDAY, "11:00")) is None
        longer = service.booking(anna.code)
        assert longer is not None
        assert (longer.id, longer.code, longer.uid, longer.name) == (
            anna.id,
            anna.code,
            anna.uid,
            "Anna",
        )
        assert (longer.start, longer.end) == (at(TUESDAY, "10:00"), at(TUESDAY, "11:00"))
        assert longer.status is BookingStatus.CONFIRMED
        # Nobody else gets 10:30 now; back to 45 minutes, 10:45 is free again.
        refused = service.book("tablet-2", at(TUESDAY, "10:30"), 30, "Ben")
        assert refused.problem is BookingProblem.OVERLAP
        assert service.edit(anna.id, end=at(TUESDAY, "10:45")) is None
        assert service.book("tablet-2", at(TUESDAY, "10:45"), 30, "Ben").ok
        assert len(storage.bookings.between(0, 2**40)) == 2  # no new booking for the edit


def test_an_edit_into_another_booking_is_refused_and_changes_nothing(data_dir: Path) -> None:
    with booking_site(data_dir) as (service, _clock, storage):
        anna = service.book("tablet-1", at(TUESDAY, "10:00"), 30, "Anna").booking
        ben = service.book("tablet-1", at(TUESDAY, "11:00"), 30, "Ben").booking
        assert anna is not None and ben is not None
        rows = storage.bookings.between(0, 2**40)
        assert service.edit(anna.id, end=at(TUESDAY, "11:15")) is BookingProblem.OVERLAP
        # tablet-1 turns around in 15 minutes: an end at 10:50 runs into Ben's preparation.
        assert service.edit(anna.id, end=at(TUESDAY, "10:50")) is BookingProblem.BUFFER
        assert service.edit(ben.id, start=at(TUESDAY, "10:15")) is BookingProblem.OVERLAP
        assert service.edit(anna.id, end=at(TUESDAY, "13:30")) is BookingProblem.OUTSIDE_HOURS
        assert service.edit(anna.id, end=at(TUESDAY, "09:30")) is BookingProblem.TOO_SHORT
        assert storage.bookings.between(0, 2**40) == rows


def test_the_database_refuses_an_edit_the_service_did_not_see(data_dir: Path) -> None:
    with booking_site(data_dir) as (service, _clock, storage):
        anna = service.book("tablet-2", at(TUESDAY, "10:00"), 30, "Anna").booking
        assert anna is not None
        # Another process books 11:00 between the service's reading and its writing.
        blind = dataclasses.replace(service)
        blind._edits._ledger.blocks = lambda *_args, **_kw: []  # type: ignore[method-assign]
        assert service.book("tablet-2", at(TUESDAY, "11:00"), 30, "Ben").ok
        rows = storage.bookings.between(0, 2**40)
        assert blind.edit(anna.id, end=at(TUESDAY, "11:30")) is BookingProblem.OVERLAP
        assert storage.bookings.between(0, 2**40) == rows


def test_another_device_of_the_same_kind_and_only_that(data_dir: Path) -> None:
    with booking_site(data_dir) as (service, _clock, _storage):
        anna = service.book("tablet-1", at(TUESDAY, "14:00"), 30, "Anna").booking
        assert anna is not None
        assert service.edit(anna.id, device_id="vr-1") is BookingProblem.UNKNOWN_DEVICE
        assert service.edit(anna.id, device_id="no-such") is BookingProblem.UNKNOWN_DEVICE
        assert service.booking(anna.code) == anna
        # Device and time at once; tablet-2 has no turnaround buffer.
        assert (
            service.edit(
                anna.id, device_id="tablet-2", start=at(TUESDAY, "15:00"), end=at(TUESDAY, "16:30")
            )
            is None
        )
        moved = service.booking(anna.code)
        assert moved is not None
        assert (moved.device_id, moved.start, moved.end, moved.code) == (
            "tablet-2",
            at(TUESDAY, "15:00"),
            at(TUESDAY, "16:30"),
            anna.code,
        )
        service.set_device_status("tablet-1", DeviceStatus.BROKEN)
        assert service.edit(anna.id, device_id="tablet-1") is BookingProblem.DEVICE_UNAVAILABLE


def test_a_running_booking_is_extended_but_never_into_the_past(data_dir: Path) -> None:
    with booking_site(data_dir) as (service, clock, _storage):
        anna = service.book("tablet-2", at(TUESDAY, "10:00"), 30, "Anna").booking
        assert anna is not None
        clock.now = at(TUESDAY, "10:10")
        assert service.check_in(anna.code).booking is not None
        # Past the device's 60-minute visitor limit: staff decide how long she stays.
        assert service.edit(anna.id, end=at(TUESDAY, "11:30")) is None
        running = service.booking(anna.code)
        assert running is not None
        assert running.status is BookingStatus.CHECKED_IN and running.end == at(TUESDAY, "11:30")
        assert service.edit(anna.id, start=at(TUESDAY, "09:30")) is BookingProblem.IN_PAST
        assert service.edit(anna.id, end=at(TUESDAY, "10:10")) is BookingProblem.IN_PAST
        clock.now = at(TUESDAY, "12:00")
        assert service.edit(anna.id, end=at(TUESDAY, "12:30")) is BookingProblem.IN_PAST


def test_the_statistics_count_one_edit_and_no_cancellation_or_new_booking(
    data_dir: Path,
) -> None:
    with booking_site(data_dir) as (service, clock, storage):
        counted = dataclasses.replace(service, usage=UsageEvents(storage.usage, BERLIN, clock))
        anna = counted.book("tablet-2", at(TUESDAY, "10:00"), 30, "Anna").booking
        assert anna is not None
        assert counted.edit(anna.id, end=at(TUESDAY, "10:45")) is None
        assert counted.edit(anna.id, end=at(TUESDAY, "10:45")) is None  # no change: no event
        assert counted.edit(anna.id, end=at(TUESDAY, "13:30")) is not None  # refused: none
        assert usage_kinds(storage) == ["booking_created", "booking_edited"]


def test_a_joined_terminal_queues_the_edit_and_the_restore_for_the_hub(data_dir: Path) -> None:
    storage = Storage.open(data_dir, outbox=True)
    try:
        clock = Clock(at(TUESDAY, "09:00"))
        service = BookingService(
            storage.bookings,
            [TABLET, TABLET_2, VR],
            calendar(),
            storage.settings,
            clock=clock,
            shared=storage.bookings,
        )
        anna = service.book("tablet-2", at(TUESDAY, "10:00"), 30, "Anna", by_staff=True).booking
        assert anna is not None
        assert service.edit(anna.id, end=at(TUESDAY, "11:00")) is None
        clock.now = at(TUESDAY, "10:20")
        service.release_no_shows()
        assert service.restore_no_show(anna.id)
    finally:
        storage.close()
    with SyncStore.open(data_dir) as sync:
        ops = [row.body for row in sync.outbox.pending(100) if row.kind == KIND_BOOKING]
    edit, restore = ops[1], ops[2]
    assert {key: edit[key] for key in ("op", "uid", "device_id", "start_ts", "end_ts")} == {
        "op": "move",
        "uid": anna.uid,
        "device_id": "tablet-2",
        "start_ts": int(at(TUESDAY, "10:00").timestamp()),
        "end_ts": int(at(TUESDAY, "11:00").timestamp()),
    }
    # The edit keeps the booking's status (the hub decides a provisional one as any other).
    assert edit["status"] == "provisional"
    assert (restore["op"], restore["uid"], restore["status"]) == ("status", anna.uid, "checked_in")
    assert "no_show" in restore["expected"]


def test_a_no_show_is_restored_within_its_slot(data_dir: Path) -> None:
    with booking_site(data_dir, no_show_minutes=15) as (service, clock, _storage):
        anna = service.book("tablet-2", at(TUESDAY, "11:00"), 60, "Anna").booking
        assert anna is not None
        clock.now = at(TUESDAY, "11:20")
        assert [booking.id for booking in service.release_no_shows()] == [anna.id]
        assert service.restore_no_show(anna.id)
        restored = service.booking(anna.code)
        assert restored is not None and restored.status is BookingStatus.CHECKED_IN
        assert service.status_of("tablet-2") is DeviceStatus.NEEDS_WIPING  # in use now
        assert not service.restore_no_show(anna.id)  # not a no-show any more
        assert service.release_no_shows() == []  # and not released again


def test_no_restore_after_the_slot_or_when_its_time_was_given_away(data_dir: Path) -> None:
    with booking_site(data_dir, no_show_minutes=15) as (service, clock, _storage):
        anna = service.book("tablet-2", at(TUESDAY, "11:00"), 60, "Anna").booking
        bert = service.book("tablet-1", at(TUESDAY, "11:00"), 30, "Bert").booking
        assert anna is not None and bert is not None
        clock.now = at(TUESDAY, "11:20")
        service.release_no_shows()
        walk_in = service.book("tablet-2", at(TUESDAY, "11:30"), 30, "Cem", walk_in=True)
        assert walk_in.ok
        assert not service.restore_no_show(anna.id)  # Cem has her tablet now
        again = service.booking(anna.code)
        assert again is not None and again.status is BookingStatus.NO_SHOW
        clock.now = at(TUESDAY, "11:30")
        assert not service.restore_no_show(bert.id)  # his slot has ended
        late = service.booking(bert.code)
        assert late is not None and late.status is BookingStatus.NO_SHOW


def test_a_lookup_says_when_the_booked_device_is_out_of_order(data_dir: Path) -> None:
    with booking_site(data_dir) as (service, _clock, _storage):
        anna = service.book("tablet-1", at(TUESDAY, "14:00"), 30, "Anna").booking
        assert anna is not None
        assert not service.find(anna.code).device_unavailable
        service.set_device_status("tablet-1", DeviceStatus.BROKEN)
        found = service.find(anna.printed_code)
        assert found.status is LookupStatus.FOUND and found.device_unavailable
        service.set_device_status("tablet-1", DeviceStatus.IN_REPAIR)
        assert service.find(anna.code).device_unavailable
        assert service.cancel(anna.id, staff=True)
        assert not service.find(anna.code).device_unavailable  # it holds nothing any more


def test_a_move_to_a_device_with_other_lengths_still_meets_its_blackouts(data_dir: Path) -> None:
    """tablet-1 takes no 15-minute bookings and is blacked out on Wednesday morning: a 15-minute
    booking moved there from tablet-2 keeps its length (staff moved it), but not into the
    blackout (the length check used to end the rule check before it reached the blackout)."""
    wednesday = TUESDAY + timedelta(days=1)
    with booking_site(data_dir) as (service, _clock, _storage):
        anna = service.book("tablet-2", at(wednesday, "10:00"), 15, "Anna").booking
        assert anna is not None
        assert service.move(anna.id, "tablet-1") is BookingProblem.BLACKOUT
        later = Slot("tablet-1", at(wednesday, "11:00"), at(wednesday, "11:15"))
        assert service.reschedule(anna.id, later) is BookingProblem.BLACKOUT
        kept = service.booking(anna.code)
        assert kept is not None and kept.device_id == "tablet-2"
        # After the blackout the move keeps the booking's 15 minutes.
        ben = service.book("tablet-2", at(wednesday, "14:00"), 15, "Ben").booking
        assert ben is not None and service.move(ben.id, "tablet-1") is None
        moved = service.booking(ben.code)
        assert moved is not None and (moved.device_id, moved.end) == (
            "tablet-1",
            at(wednesday, "14:15"),
        )
