"""Slot rules: every reason a slot cannot be booked, and the free slots that remain."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from kiosk.core.bookings import Block, BookingProblem, free_slots, public_holidays, slot_problem
from tests.unit.bookings.helpers import TABLET, TUESDAY, at, calendar

NOW = at(TUESDAY, "09:00")


def problem(start: str, minutes: int = 30, day: date = TUESDAY, booked=(), now=NOW, **kw):
    begin = at(day, start)
    return slot_problem(
        TABLET, calendar(), begin, begin + timedelta(minutes=minutes), now, booked, **kw
    )


def block(start: str, minutes: int = 30, buffer: int = 15, day: date = TUESDAY) -> Block:
    begin = at(day, start)
    end = begin + timedelta(minutes=minutes)
    return Block(begin, end, end + timedelta(minutes=buffer))


def test_a_slot_inside_opening_hours_is_fine() -> None:
    assert problem("10:00") is None
    assert problem("17:00", 60) is None


@pytest.mark.parametrize(
    ("start", "minutes", "day", "expected"),
    [
        ("08:30", 30, date(2026, 12, 3), BookingProblem.OUTSIDE_HOURS),  # before opening
        ("12:45", 30, TUESDAY, BookingProblem.OUTSIDE_HOURS),  # runs into the lunch break
        ("17:45", 30, TUESDAY, BookingProblem.OUTSIDE_HOURS),  # runs past closing
        ("11:00", 30, date(2026, 12, 7), BookingProblem.OUTSIDE_HOURS),  # Monday: closed
        ("11:00", 30, date(2026, 12, 24), BookingProblem.TOO_FAR),  # beyond 14 days
        ("10:30", 30, date(2026, 12, 2), BookingProblem.BLACKOUT),  # device blackout 10-12
        ("14:00", 30, date(2026, 12, 9), BookingProblem.BLACKOUT),  # all-day blackout
        ("10:00", 15, TUESDAY, BookingProblem.TOO_SHORT),
        ("10:00", 75, TUESDAY, BookingProblem.TOO_LONG),
        ("10:10", 30, TUESDAY, BookingProblem.OFF_GRID),
    ],
)
def test_each_rule_rejects_with_its_own_reason(start, minutes, day, expected) -> None:
    assert problem(start, minutes, day) is expected


def test_closure_days_and_public_holidays_are_closed() -> None:
    late_december = at(date(2026, 12, 20), "09:00")
    assert problem("11:00", day=date(2026, 12, 24), now=late_december) is BookingProblem.CLOSED
    assert problem("11:00", day=date(2026, 12, 31), now=late_december) is BookingProblem.CLOSED
    new_year = date(2027, 1, 1)  # a Friday, normally open
    assert problem("11:00", day=new_year, now=late_december) is BookingProblem.CLOSED


def test_lead_time_and_the_past() -> None:
    ten = at(TUESDAY, "10:00")
    assert problem("10:15", now=ten) is BookingProblem.TOO_SOON  # lead time is 30 minutes
    assert problem("10:30", now=ten) is None
    assert problem("10:00", now=at(TUESDAY, "10:20")) is BookingProblem.IN_PAST
    # Staff at the desk (walk-ins) may book right now, without the lead time.
    assert problem("10:15", now=at(TUESDAY, "10:05"), staff=True) is None


def test_overlap_and_buffer_are_told_apart() -> None:
    booked = [block("11:00", 30, buffer=15)]  # blocks 11:00-11:45
    assert problem("11:15", booked=booked) is BookingProblem.OVERLAP
    assert problem("10:30", booked=booked) is BookingProblem.BUFFER  # its own buffer to 11:15
    assert problem("11:30", booked=booked) is BookingProblem.BUFFER  # inside 11:30-11:45
    assert problem("11:45", booked=booked) is None


def test_free_slots_skip_every_blocked_time() -> None:
    booked = [block("11:00", 30, buffer=15)]
    slots = free_slots(TABLET, calendar(), TUESDAY, NOW, booked)
    starts = [slot.start.strftime("%H:%M") for slot in slots]
    assert starts[:3] == ["10:00", "10:15", "11:45"]  # 10:30 would end in 11:00's way
    assert "12:30" in starts and "12:45" not in starts  # must end by the lunch break
    assert starts[-1] == "17:30"
    for slot in slots:
        assert problem(slot.start.strftime("%H:%M"), booked=booked) is None


def test_free_slots_agree_with_the_rules_on_a_busy_day() -> None:
    booked = [block("10:15", 45), block("14:30", 60, buffer=0), block("16:00", 30)]
    now = at(TUESDAY, "10:20")
    free = {s.start for s in free_slots(TABLET, calendar(), TUESDAY, now, booked)}
    for minute in range(0, 24 * 60, 15):
        start = at(TUESDAY, f"{minute // 60:02d}:{minute % 60:02d}")
        expected = problem(start.strftime("%H:%M"), booked=booked, now=now) is None
        assert (start in free) is expected, start


def test_no_slots_beyond_the_window_or_on_closed_days() -> None:
    assert free_slots(TABLET, calendar(), date(2026, 12, 20), NOW, []) == []
    assert free_slots(TABLET, calendar(), date(2026, 12, 7), NOW, []) == []  # a Monday


def test_public_holidays_of_thuringia() -> None:
    lookup = public_holidays("DE-TH")
    assert lookup(date(2026, 10, 31))  # Reformation Day, a holiday in Thuringia
    assert lookup(date(2026, 9, 20))  # World Children's Day, only in Thuringia
    assert lookup(date(2026, 12, 1)) is None
    assert public_holidays("")(date(2026, 12, 25)) is None
