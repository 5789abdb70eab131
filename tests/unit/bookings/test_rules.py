"""Slot rules: every reason a slot cannot be booked, and the free slots that remain."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from kiosk.core.bookings import Block, BookingProblem, free_slots, public_holidays, slot_problem
from kiosk.core.bookings.rules import DevicePolicy, Interval, SiteCalendar
from tests.unit.bookings.helpers import BERLIN, TABLET, TUESDAY, at, calendar

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


# --- the edges of each rule --------------------------------------------------------------------

NO_LEAD = replace(TABLET, lead_minutes=0)


def free_starts(device: DevicePolicy = TABLET, day: date = TUESDAY, now=NOW, **kw) -> list[str]:
    return [s.start.strftime("%H:%M") for s in free_slots(device, calendar(), day, now, [], **kw)]


def test_the_advance_window_ends_on_its_last_day_not_a_day_early() -> None:
    last_day, day_after = TUESDAY + timedelta(days=14), TUESDAY + timedelta(days=15)
    assert problem("11:00", day=last_day) is None
    assert problem("11:00", day=day_after) is BookingProblem.TOO_FAR
    assert free_starts(day=last_day)[0] == "10:00"
    assert free_starts(day=day_after) == []


def test_the_lead_time_is_met_exactly_at_its_end() -> None:
    ten = at(TUESDAY, "10:00")
    assert problem("10:30", now=ten) is None  # exactly the 30-minute lead
    assert free_starts(now=ten)[0] == "10:30"
    assert free_starts(now=at(TUESDAY, "10:01"))[0] == "10:45"


def test_a_slot_that_began_is_in_the_past_and_one_starting_now_is_not() -> None:
    ten = at(TUESDAY, "10:00")
    assert slot_problem(NO_LEAD, calendar(), ten, ten + timedelta(minutes=30), ten, []) is None
    a_second_late = ten + timedelta(seconds=1)
    later = ten + timedelta(minutes=10)
    for now in (a_second_late, later):
        found = slot_problem(NO_LEAD, calendar(), ten, ten + timedelta(minutes=30), now, [])
        assert found is BookingProblem.IN_PAST


def test_staff_may_book_up_to_one_step_back_and_no_further() -> None:
    # A walk-in arriving at 10:10 still gets the 10:00 slot; at 10:16 that slot is gone.
    assert problem("10:00", now=at(TUESDAY, "10:10"), staff=True) is None
    assert problem("10:00", now=at(TUESDAY, "10:15"), staff=True) is None
    assert problem("10:00", now=at(TUESDAY, "10:16"), staff=True) is BookingProblem.IN_PAST
    assert problem("10:00", now=at(TUESDAY, "10:10")) is BookingProblem.IN_PAST


def test_free_slots_of_the_longest_length_and_none_outside_the_lengths() -> None:
    longest = free_slots(TABLET, calendar(), TUESDAY, NOW, [], minutes=60)
    assert [slot.minutes for slot in longest] == [60] * len(longest)
    assert longest[0].end == at(TUESDAY, "11:00")
    assert free_starts(minutes=75) == []  # longer than max_minutes
    assert free_starts(minutes=15) == []  # shorter than min_minutes


def test_a_slot_may_touch_a_blackout_on_either_side() -> None:
    device = replace(NO_LEAD, blackouts=("2026-12-02 14:00-15:00",))
    wednesday = date(2026, 12, 2)
    starts = free_starts(device, wednesday)
    assert "13:30" in starts and "15:00" in starts  # ends at 14:00, starts at 15:00
    assert "13:45" not in starts and "14:45" not in starts
    begin = at(wednesday, "15:00")
    assert slot_problem(device, calendar(), begin, begin + timedelta(minutes=30), NOW, []) is None


def test_opening_hours_and_blackouts_keep_their_minutes() -> None:
    odd = SiteCalendar(zone=BERLIN, hours={"tue": "09:30-12:45"})
    starts = [s.start.strftime("%H:%M") for s in free_slots(NO_LEAD, odd, TUESDAY, NOW, [])]
    assert starts[0] == "09:30" and starts[-1] == "12:15"  # the last one ends at 12:45
    blackout = replace(NO_LEAD, blackouts=("2026-12-01 10:15-11:45",)).blackout_intervals(
        TUESDAY, BERLIN
    )
    assert blackout == [Interval(at(TUESDAY, "10:15"), at(TUESDAY, "11:45"))]


def test_a_whole_day_blackout_covers_exactly_that_day() -> None:
    ninth = date(2026, 12, 9)
    assert TABLET.blackout_intervals(ninth, BERLIN) == [
        Interval(at(ninth, "00:00"), at(date(2026, 12, 10), "00:00"))
    ]
    assert problem("10:00", day=date(2026, 12, 10)) is None  # the next day is bookable


def test_a_weekday_missing_from_the_hours_is_closed() -> None:
    only_tuesday = SiteCalendar(zone=BERLIN, hours={"tue": "10:00-18:00"})
    assert only_tuesday.opening(date(2026, 12, 2)) == []
    assert free_slots(NO_LEAD, only_tuesday, date(2026, 12, 2), NOW, []) == []


def test_closed_reason_tells_a_closure_from_a_holiday() -> None:
    # The staff screen prints a holiday's name and says "closed" for "closure".
    assert calendar().closed_reason(date(2026, 12, 24)) == "closure"
    assert calendar().closed_reason(date(2027, 1, 1)) == "Neujahr"
    assert calendar().closed_reason(TUESDAY) is None


def test_holiday_names_come_back_and_a_country_without_region_works() -> None:
    assert public_holidays("DE-TH")(date(2026, 10, 31)) == "Reformation Day"
    assert public_holidays("DE")(date(2026, 12, 25)) == "Christmas Day"


@pytest.fixture
def machine_far_west(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The computer's own clock zone 13 hours behind the site (a misconfigured kiosk PC)."""
    monkeypatch.setenv("TZ", "KIO+12")  # POSIX: UTC-12, no zone database needed
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.usefixtures("machine_far_west")
def test_days_are_the_sites_days_whatever_zone_the_machine_is_in() -> None:
    # 10:00 in Berlin is still the day before on the machine's own clock.
    assert problem("10:00") is None
    assert problem("11:00", day=TUESDAY + timedelta(days=14)) is None
    assert free_starts(day=TUESDAY + timedelta(days=14))[0] == "10:00"
    utc_moment = datetime(2026, 12, 1, 23, 30, tzinfo=UTC)
    site_now = calendar().now(utc_moment)
    assert site_now.tzinfo is BERLIN and site_now.date() == date(2026, 12, 2)


def test_the_lengths_on_offer_run_from_min_to_max_in_steps() -> None:
    assert TABLET.durations() == [30, 45, 60]
    assert replace(TABLET, max_minutes=44).durations() == [30, 44]
    assert replace(TABLET, max_minutes=46).durations() == [30, 45, 46]
    assert replace(TABLET, min_minutes=15, max_minutes=15).durations() == [15]


def test_device_texts_fall_back_through_the_languages() -> None:
    device = replace(TABLET, description={"de": "Ein Tablet", "en": "A tablet"})
    assert device.text("en") == "A tablet"
    assert device.text("fr", ("en",)) == "A tablet"
    assert device.text("fr") == "Ein Tablet"  # the first one written
    assert TABLET.text("de") == ""
