"""A terminal joined to a hub: requests checked here, the hub's answer settled, offline bookings
provisional, conflicts moved by staff — the booking service over a real SQLite file."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path

from icalendar import Calendar

from kiosk.core.bookings import (
    Booking,
    BookingProblem,
    BookingRequest,
    BookingService,
    BookingStatus,
    CheckInStatus,
    HubRefusal,
    LookupStatus,
    SharedBooking,
    Slot,
)
from kiosk.core.bookings.export import write_ics
from kiosk.core.bookings.ledger import timestamp
from kiosk.core.bookings.records import CODE_LENGTH
from kiosk.core.resume_codes import format_code, generate_code
from kiosk.storage.database import Storage
from tests.unit.bookings.helpers import TABLET, TUESDAY, Clock, at, booking_site


@contextmanager
def joined_site(
    data_dir: Path, offline: str = "provisional"
) -> Iterator[tuple[BookingService, Clock, Storage]]:
    with booking_site(data_dir) as (service, clock, storage):
        yield (
            dataclasses.replace(service, shared=storage.bookings, offline_bookings=offline),
            clock,
            storage,
        )


def hub_booking(
    request: BookingRequest, *, code: str = "", status: str = "confirmed"
) -> SharedBooking:
    """The hub's answer to a request, as the hub would give it."""
    end = request.start + timedelta(minutes=request.minutes)
    return SharedBooking(
        uid=request.uid,
        code=code or request.code,
        device_id=request.device_id,
        device_kind="tablet",
        start_ts=timestamp(request.start),
        end_ts=timestamp(end),
        block_until_ts=timestamp(end + TABLET.buffer),
        name=request.name,
        status=status,
        walk_in=request.walk_in,
        moved=False,
        updated_ts=timestamp(request.start),
    )


def requested(service: BookingService, start: datetime, name: str = "Anna") -> BookingRequest:
    checked = service.request_booking("tablet-1", start, 30, name)
    assert isinstance(checked, BookingRequest), checked
    return checked


def test_a_request_is_checked_here_first_and_stores_nothing(data_dir: Path) -> None:
    with joined_site(data_dir) as (service, _clock, storage):
        refused = service.request_booking("tablet-1", at(TUESDAY, "13:00"), 30, "Anna")
        assert not isinstance(refused, BookingRequest)
        assert refused.problem is BookingProblem.OUTSIDE_HOURS
        assert refused.alternatives  # the next free times, as on a terminal alone
        request = requested(service, at(TUESDAY, "10:00"), "  Anna  ")
        assert request.name == "Anna"
        assert len(request.uid) == 32 and int(request.uid, 16) >= 0
        assert requested(service, at(TUESDAY, "10:00")).uid != request.uid
        assert storage.bookings.between(0, 2**40) == []


def test_the_hubs_booking_is_kept_with_the_hubs_code(data_dir: Path) -> None:
    with joined_site(data_dir) as (service, _clock, storage):
        request = requested(service, at(TUESDAY, "10:00"))
        hubs_code = generate_code(length=CODE_LENGTH)
        outcome = service.settle_booking(request, hub_booking(request, code=hubs_code))
        assert outcome.booking is not None
        assert outcome.booking.code == hubs_code  # the hub replaced a code in use at the site
        assert outcome.booking.status is BookingStatus.CONFIRMED
        assert outcome.booking.uid == request.uid
        assert service.find(format_code(hubs_code)).status is LookupStatus.FOUND
        assert len(storage.bookings.between(0, 2**40)) == 1


def test_a_refusal_by_the_hub_offers_its_times_and_stores_nothing(data_dir: Path) -> None:
    with joined_site(data_dir) as (service, _clock, storage):
        request = requested(service, at(TUESDAY, "10:00"))
        offered = (Slot("tablet-2", at(TUESDAY, "10:00"), at(TUESDAY, "10:30")),)
        outcome = service.settle_booking(request, HubRefusal(BookingProblem.OVERLAP, offered))
        assert not outcome.ok
        assert outcome.problem is BookingProblem.OVERLAP
        assert outcome.alternatives == offered
        assert storage.bookings.between(0, 2**40) == []


def test_without_an_answer_the_booking_is_provisional_and_holds_the_slot(data_dir: Path) -> None:
    with joined_site(data_dir) as (service, _clock, _storage):
        request = requested(service, at(TUESDAY, "10:00"))
        outcome = service.settle_booking(request, None)
        assert outcome.booking is not None
        assert outcome.booking.status is BookingStatus.PROVISIONAL
        assert outcome.booking.provisional and outcome.booking.active
        assert outcome.booking.code == request.code
        taken = service.book("tablet-1", at(TUESDAY, "10:00"), 30, "Ben")
        assert taken.problem is BookingProblem.OVERLAP


def test_without_an_answer_a_site_that_refuses_sends_visitors_to_the_desk(data_dir: Path) -> None:
    with joined_site(data_dir, offline="refuse") as (service, _clock, storage):
        request = requested(service, at(TUESDAY, "10:00"))
        outcome = service.settle_booking(request, None)
        assert not outcome.ok
        assert outcome.problem is BookingProblem.NO_NETWORK
        assert storage.bookings.between(0, 2**40) == []


def test_a_slot_taken_here_while_the_hub_was_asked_is_not_booked_twice(data_dir: Path) -> None:
    with joined_site(data_dir) as (service, _clock, _storage):
        request = requested(service, at(TUESDAY, "10:00"))
        # Meanwhile a walk-in got the same time at this terminal's desk.
        assert service.book("tablet-1", at(TUESDAY, "10:00"), 30, "Ben", walk_in=True).ok
        outcome = service.settle_booking(request, None)
        assert outcome.problem is BookingProblem.OVERLAP
        assert outcome.alternatives


def test_the_hub_takes_a_retried_request_once(data_dir: Path) -> None:
    with booking_site(data_dir) as (hub, _clock, storage):
        request = requested(hub, at(TUESDAY, "10:00"))
        rival = requested(hub, at(TUESDAY, "10:00"), "Ben")  # another terminal, same time
        first = hub.decide(request)
        again = hub.decide(request)  # the terminal did not get the first answer
        assert first.booking is not None and again.booking is not None
        assert again.booking.id == first.booking.id
        assert len(storage.bookings.between(0, 2**40)) == 1
        other = hub.decide(rival)
        assert other.problem is BookingProblem.OVERLAP
        assert other.alternatives


def test_a_retry_that_comes_too_late_for_the_rules_still_gets_its_booking(
    data_dir: Path,
) -> None:
    """The answer was lost and the terminal asks again after the slot began: the rules would
    refuse the time now, but the booking was made in time and is the answer."""
    with booking_site(data_dir) as (hub, clock, _storage):
        request = requested(hub, at(TUESDAY, "10:00"))
        first = hub.decide(request)
        assert first.booking is not None
        clock.now = at(TUESDAY, "10:20")
        again = hub.decide(request)
        assert again.booking is not None and again.booking.id == first.booking.id
        assert hub.decide(dataclasses.replace(request, uid="f" * 32)).problem is not None


def test_the_hub_replaces_a_code_in_use_at_the_site(data_dir: Path) -> None:
    with booking_site(data_dir) as (hub, _clock, _storage):
        first = hub.decide(requested(hub, at(TUESDAY, "10:00")))
        assert first.booking is not None
        clash = dataclasses.replace(requested(hub, at(TUESDAY, "15:00")), code=first.booking.code)
        second = hub.decide(clash)
        assert second.booking is not None
        assert second.booking.code != first.booking.code
        assert second.booking.uid == clash.uid


def test_the_hubs_rules_decide_not_the_terminals(data_dir: Path) -> None:
    with booking_site(data_dir) as (hub, _clock, _storage):
        closed = BookingRequest(
            uid="0" * 32,
            code="K7PMR3",
            device_id="tablet-1",
            start=at(TUESDAY, "13:00"),
            minutes=30,
            name="Anna",
        )
        outcome = hub.decide(closed)
        assert outcome.problem is BookingProblem.OUTSIDE_HOURS
        pending = hub.decide(
            dataclasses.replace(closed, uid="1" * 32, device_id="vr-1", start=at(TUESDAY, "10:00"))
        )
        assert pending.booking is not None and pending.booking.status is BookingStatus.PENDING


def _conflict(service: BookingService, storage: Storage) -> tuple[int, str]:
    """A provisional booking that the hub gave to someone else first: a conflict here."""
    theirs = requested(service, at(TUESDAY, "10:15"), "Ben")  # booked at another terminal
    mine = service.settle_booking(requested(service, at(TUESDAY, "10:00")), None).booking
    assert mine is not None
    storage.bookings.keep_shared([hub_booking(theirs)])
    return mine.id, mine.code


def test_a_provisional_booking_the_hub_gave_away_is_a_conflict_for_staff(data_dir: Path) -> None:
    with joined_site(data_dir) as (service, _clock, storage):
        booking_id, code = _conflict(service, storage)
        conflicts = service.conflicts()
        assert [booking.id for booking in conflicts] == [booking_id]
        assert not conflicts[0].active
        found = service.find(code)
        assert found.booking is not None and found.booking.status is BookingStatus.CONFLICT
        assert service.check_in(code).status is CheckInStatus.CONFLICT
        offered = service.alternatives(conflicts[0])
        assert 0 < len(offered) <= 5
        assert all(slot.minutes == 30 for slot in offered)
        assert {slot.device_id for slot in offered} <= {"tablet-1", "tablet-2"}


def test_staff_move_a_conflict_to_a_free_time_keeping_its_code(data_dir: Path) -> None:
    with joined_site(data_dir) as (service, _clock, storage):
        booking_id, code = _conflict(service, storage)
        conflict = service.conflicts()[0]
        slot = service.alternatives(conflict)[0]
        assert service.reschedule(booking_id, slot) is None
        moved = service.find(code).booking
        assert moved is not None
        assert moved.moved and moved.code == code
        assert (moved.device_id, moved.start) == (slot.device_id, slot.start)
        assert moved.end - moved.start == timedelta(minutes=30)
        # Joined: the hub confirms the new time on the next sync.
        assert moved.status is BookingStatus.PROVISIONAL
        assert service.conflicts() == []


def test_moving_onto_a_taken_time_is_refused_and_changes_nothing(data_dir: Path) -> None:
    with booking_site(data_dir) as (service, _clock, _storage):
        first = service.book("tablet-1", at(TUESDAY, "10:00"), 30, "Anna").booking
        second = service.book("tablet-1", at(TUESDAY, "11:00"), 30, "Ben").booking
        assert first is not None and second is not None
        taken = Slot("tablet-1", at(TUESDAY, "10:15"), at(TUESDAY, "10:45"))
        assert service.reschedule(second.id, taken) is BookingProblem.OVERLAP
        other_kind = Slot("vr-1", at(TUESDAY, "15:00"), at(TUESDAY, "15:30"))
        assert service.reschedule(second.id, other_kind) is BookingProblem.UNKNOWN_DEVICE
        unchanged = service.find(second.code).booking
        assert unchanged == second
        # Standing alone, a booking staff move is confirmed at once (staff chose the time).
        free = Slot("tablet-1", at(TUESDAY, "15:00"), at(TUESDAY, "15:30"))
        assert service.reschedule(second.id, free) is None
        moved = service.find(second.code).booking
        assert moved is not None and moved.status is BookingStatus.CONFIRMED and moved.moved


def test_a_provisional_booking_can_be_checked_in_while_offline(data_dir: Path) -> None:
    with joined_site(data_dir) as (service, clock, _storage):
        booking = service.settle_booking(requested(service, at(TUESDAY, "10:00")), None).booking
        assert booking is not None
        clock.now = at(TUESDAY, "09:55")
        checked = service.check_in(booking.code)
        assert checked.status is CheckInStatus.CHECKED_IN


def test_staff_can_close_a_conflict_nobody_can_move(data_dir: Path) -> None:
    with joined_site(data_dir) as (service, _clock, storage):
        booking_id, code = _conflict(service, storage)
        assert not service.cancel(booking_id)  # visitors cannot
        assert service.cancel(booking_id, staff=True)
        closed = service.find(code).booking
        assert closed is not None and closed.status is BookingStatus.CANCELLED
        assert service.conflicts() == []


def test_a_shared_booking_is_one_calendar_event_wherever_it_is_exported(
    tmp_path: Path,
) -> None:
    """Two terminals of a site keep their own ids for the same booking; the calendar event's UID
    is the booking's uid, so both exports update one event. Provisional is tentative."""
    common = {
        "code": generate_code(length=CODE_LENGTH),
        "device_id": "tablet-1",
        "device_kind": "tablet",
        "start": at(TUESDAY, "10:00"),
        "end": at(TUESDAY, "10:30"),
        "name": "Anna",
        "uid": "ab" * 16,
    }
    here = Booking(id=3, status=BookingStatus.PROVISIONAL, **common)
    there = Booking(id=41, status=BookingStatus.CONFIRMED, **common)
    events = []
    for booking in (here, there):
        out = tmp_path / f"{booking.id}.ics"
        write_ics(out, [booking], {"tablet-1": TABLET}, site_name="vhs", stamp=at(TUESDAY, "09:00"))
        (event,) = Calendar.from_ical(out.read_bytes()).walk("VEVENT")
        events.append(event)
    assert str(events[0]["uid"]) == str(events[1]["uid"])
    assert "ab" * 16 in str(events[0]["uid"])
    assert [str(event["status"]) for event in events] == ["TENTATIVE", "CONFIRMED"]
