"""Date exceptions over a real SQLite file: a closed day or shorter hours take effect at once in
free slots and the calendar, list the bookings they affect, and go away without a trace."""

from __future__ import annotations

from datetime import date, time, timedelta
from pathlib import Path

import pytest

from kiosk.core.bookings import (
    NOTE_MAX,
    Booking,
    BookingProblem,
    BookingService,
    ExceptionProblem,
    ExceptionRefusedError,
)
from kiosk.storage.database import Storage
from tests.unit.bookings.helpers import TABLET, TABLET_2, TUESDAY, VR, at, booking_site, calendar

THURSDAY = TUESDAY + timedelta(days=2)  # open 10-19 by the config
MONDAY = TUESDAY + timedelta(days=6)  # closed by the config


def book(service: BookingService, device_id: str, day: date, hhmm: str, minutes: int) -> Booking:
    outcome = service.book(device_id, at(day, hhmm), minutes, "Anna")
    assert outcome.booking is not None, outcome.problem
    return outcome.booking


def starts(service: BookingService, device_id: str, day: date) -> list[str]:
    return [slot.start.strftime("%H:%M") for slot in service.free_slots(device_id, day)]


def test_a_closed_day_offers_no_slot_and_lists_every_booking_of_the_day(data_dir: Path) -> None:
    with booking_site(data_dir) as (service, _clock, _storage):
        late = book(service, "tablet-1", THURSDAY, "15:00", 30)
        early = book(service, "tablet-2", THURSDAY, "11:00", 30)
        cancelled = book(service, "tablet-2", THURSDAY, "12:00", 30)
        assert service.cancel(cancelled.id)
        other_day = book(service, "tablet-2", THURSDAY + timedelta(days=1), "11:00", 30)
        assert starts(service, "tablet-2", THURSDAY)

        exception, affected = service.add_exception(THURSDAY, closed=True, note=" Training ")

        assert (exception.day, exception.closed, exception.note) == (THURSDAY, True, "Training")
        assert [booking.id for booking in affected] == [early.id, late.id]
        assert service.affected_by(exception) == affected
        assert service.free_day(THURSDAY) == {"tablet-1": [], "tablet-2": [], "vr-1": []}
        assert service.check_slot("tablet-2", at(THURSDAY, "16:00"), 30) is BookingProblem.CLOSED
        # Staff cannot book it either: the exception closes the day for everyone.
        walk_in = service.book("tablet-2", at(THURSDAY, "16:00"), 30, "Ben", by_staff=True)
        assert walk_in.problem is BookingProblem.CLOSED
        assert service.calendar.opening(THURSDAY) == []
        assert service.calendar.closed_reason(THURSDAY) == "Training"
        assert service.exceptions(TUESDAY, THURSDAY + timedelta(days=7)) == [exception]
        # The bookings stay as they were: staff move or cancel them.
        assert service.booking(late.code) == late
        assert starts(service, "tablet-2", THURSDAY + timedelta(days=1))
        assert other_day not in affected


def test_shorter_hours_list_only_the_bookings_outside_them(data_dir: Path) -> None:
    with booking_site(data_dir) as (service, _clock, _storage):
        inside = book(service, "tablet-2", THURSDAY, "10:00", 60)
        across = book(service, "tablet-2", THURSDAY, "15:30", 60)
        after = book(service, "tablet-1", THURSDAY, "17:00", 30)

        exception, affected = service.add_exception(
            THURSDAY, closed=False, opens=time(10), closes=time(16)
        )

        assert (exception.opens, exception.closes) == (time(10), time(16))
        assert [booking.id for booking in affected] == [across.id, after.id]
        assert inside.id not in {booking.id for booking in affected}
        free = starts(service, "tablet-2", THURSDAY)
        # 15-minute slots end by 16:00; 15:30 is taken by the booking that runs over.
        assert free[-1] == "15:15" and "11:00" in free
        assert service.check_slot("tablet-2", at(THURSDAY, "16:00"), 15) is (
            BookingProblem.OUTSIDE_HOURS
        )
        assert service.calendar.closed_reason(THURSDAY) is None
        [opening] = service.calendar.opening(THURSDAY)
        assert (opening.start, opening.end) == (at(THURSDAY, "10:00"), at(THURSDAY, "16:00"))


def test_removing_the_exception_brings_back_the_config_s_slots(data_dir: Path) -> None:
    with booking_site(data_dir) as (service, _clock, _storage):
        before = starts(service, "tablet-2", THURSDAY)
        exception, _ = service.add_exception(THURSDAY, closed=True)
        assert starts(service, "tablet-2", THURSDAY) == []

        assert service.remove_exception(exception.id)

        assert starts(service, "tablet-2", THURSDAY) == before
        assert service.calendar.closed_reason(THURSDAY) is None
        assert service.exceptions(THURSDAY, THURSDAY) == []
        assert not service.remove_exception(exception.id)  # gone already
        assert not service.remove_exception(exception.id + 99)


def test_a_new_exception_replaces_the_day_s_earlier_one(data_dir: Path) -> None:
    with booking_site(data_dir) as (service, _clock, _storage):
        first, _ = service.add_exception(THURSDAY, closed=True, note="Training")
        second, _ = service.add_exception(THURSDAY, closed=False, opens=time(12), closes=time(14))
        assert second.id == first.id
        assert service.exceptions(THURSDAY, THURSDAY) == [second]
        assert starts(service, "tablet-2", THURSDAY)[0] == "12:00"


def test_an_exception_opens_a_day_the_config_keeps_closed_until_midnight(
    data_dir: Path,
) -> None:
    with booking_site(data_dir) as (service, _clock, _storage):
        assert starts(service, "tablet-2", MONDAY) == []
        # 00:00 as the closing time is midnight at the day's end.
        service.add_exception(MONDAY, closed=False, opens=time(18), closes=time(0))
        free = starts(service, "tablet-2", MONDAY)
        assert (free[0], free[-1]) == ("18:00", "23:45")


def test_another_connection_sees_the_exception_without_a_restart(data_dir: Path) -> None:
    with booking_site(data_dir) as (service, _clock, _storage):
        other_storage = Storage.open(data_dir)
        try:
            other = BookingService(
                other_storage.bookings,
                [TABLET, TABLET_2, VR],
                calendar(),
                other_storage.settings,
                clock=service.clock,
            )
            assert starts(other, "tablet-2", THURSDAY)  # read once before the change
            exception, _ = service.add_exception(THURSDAY, closed=True)
            assert starts(other, "tablet-2", THURSDAY) == []
            assert other.exceptions(THURSDAY, THURSDAY) == [exception]
            service.remove_exception(exception.id)
            assert starts(other, "tablet-2", THURSDAY)
        finally:
            other_storage.close()


@pytest.mark.parametrize(
    ("day", "options", "problem"),
    [
        (TUESDAY - timedelta(days=1), {"closed": True}, ExceptionProblem.IN_PAST),
        (THURSDAY, {"closed": False, "opens": time(10)}, ExceptionProblem.NO_HOURS),
        (
            THURSDAY,
            {"closed": False, "opens": time(16), "closes": time(10)},
            ExceptionProblem.CLOSES_BEFORE_OPENS,
        ),
        (
            THURSDAY,
            {"closed": False, "opens": time(10), "closes": time(10)},
            ExceptionProblem.CLOSES_BEFORE_OPENS,
        ),
        (
            THURSDAY,
            {"closed": False, "opens": time(10, 0, 30), "closes": time(12)},
            ExceptionProblem.BAD_HOURS,
        ),
        (THURSDAY, {"closed": True, "note": "x" * (NOTE_MAX + 1)}, ExceptionProblem.NOTE_TOO_LONG),
        (
            THURSDAY,
            {"closed": True, "note": "Schulung\u202e"},
            ExceptionProblem.NOTE_HIDDEN_CHARACTER,
        ),
    ],
)
def test_bad_input_is_refused_with_its_problem_and_changes_nothing(
    data_dir: Path, day: date, options: dict[str, object], problem: ExceptionProblem
) -> None:
    with booking_site(data_dir) as (service, _clock, _storage):
        before = starts(service, "tablet-2", THURSDAY)
        with pytest.raises(ExceptionRefusedError) as refused:
            service.add_exception(day, **options)  # type: ignore[arg-type]
        assert refused.value.problem is problem
        assert service.exceptions(day, THURSDAY) == []
        assert starts(service, "tablet-2", THURSDAY) == before


def test_today_may_close_early_and_lists_only_bookings_not_yet_over(data_dir: Path) -> None:
    with booking_site(data_dir, now=at(TUESDAY, "09:00")) as (service, clock, _storage):
        morning = book(service, "tablet-2", TUESDAY, "10:00", 30)
        evening = book(service, "tablet-2", TUESDAY, "17:00", 30)
        clock.advance(hours=3)  # 12:00: the morning booking is over
        _exception, affected = service.add_exception(
            TUESDAY, closed=False, opens=time(14), closes=time(16)
        )
        assert [booking.id for booking in affected] == [evening.id]
        assert morning.id not in {booking.id for booking in affected}


def test_a_closed_day_without_a_note_is_closed_for_a_closure(data_dir: Path) -> None:
    """The desk names the reason for a closed day: the exception's note, or, without one, the
    same "closure" a closure day of the config gives (the desk shows it as "Closed")."""
    with booking_site(data_dir) as (service, _clock, _storage):
        service.add_exception(THURSDAY, closed=True)
        assert service.calendar.closed_reason(THURSDAY) == "closure"
        assert service.calendar.opening(THURSDAY) == []
