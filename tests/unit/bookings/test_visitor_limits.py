"""One visitor cannot book everything: the per-name limit and the terminal's cool-down, as rules
and in the booking service over a real SQLite file (staff are not limited)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from kiosk.core.bookings import (
    BookingProblem,
    BookingRequest,
    BookingService,
    BookingStatus,
    HubRefusal,
    VisitorLimits,
    name_key,
)
from kiosk.core.bookings.rules import (
    NamedBooking,
    cooldown_wait_s,
    name_limit_problem,
    open_bookings_of,
)
from kiosk.core.stats.events import UsageEvents
from kiosk.storage.database import Storage
from tests.unit.bookings.helpers import BERLIN, TUESDAY, Clock, at, booking_site

NOW = at(TUESDAY, "09:00")
TWO = VisitorLimits(max_open_per_name_per_day=2, cooldown_s=0)
WEDNESDAY = TUESDAY + timedelta(days=1)


def held(name: str | None, start: str, day: date = TUESDAY, active: bool = True) -> NamedBooking:
    begin = at(day, start)
    return NamedBooking(name=name, start=begin, end=begin + timedelta(minutes=30), active=active)


def limit(name: str, *bookings: NamedBooking, limits: VisitorLimits = TWO, now: datetime = NOW):
    return name_limit_problem(limits, name, at(TUESDAY, "16:00"), now, BERLIN, bookings)


# -- the rules ---------------------------------------------------------------------------------


def test_exactly_the_limit_refuses_one_less_allows() -> None:
    assert limit("Anna", held("Anna", "10:00")) is None
    assert limit("Anna", held("Anna", "10:00"), held("Anna", "14:00")) is BookingProblem.NAME_LIMIT
    three = VisitorLimits(max_open_per_name_per_day=3)
    assert limit("Anna", held("Anna", "10:00"), held("Anna", "14:00"), limits=three) is None


@pytest.mark.parametrize("spelling", ["anna", "  ANNA ", "Ａｎｎａ", "Anna\u00a0", "AnNa"])
def test_names_differing_in_case_space_or_width_are_one_name(spelling: str) -> None:
    assert name_key(spelling) == name_key("Anna")
    booked = (held(spelling, "10:00"), held("Anna", "14:00"))
    assert limit("anna", *booked) is BookingProblem.NAME_LIMIT


def test_spaces_inside_a_name_are_one_space_and_other_names_are_others() -> None:
    assert name_key("Anna  Maria") == name_key(" anna maria")
    assert name_key("Anna Maria") != name_key("AnnaMaria")
    assert name_key("Straße") == name_key("STRASSE")  # casefold, not lower
    assert limit("Anna", held("Anne", "10:00"), held("Hanna", "14:00")) is None
    assert limit("Anna", held(None, "10:00"), held(None, "14:00")) is None  # purged names


def test_a_cancelled_or_ended_booking_frees_its_place() -> None:
    cancelled = held("Anna", "10:00", active=False)
    assert limit("Anna", cancelled, held("Anna", "14:00")) is None
    # At 10:30 the 10:00 booking has ended: it is no longer open.
    ended_now = at(TUESDAY, "10:30")
    assert limit("Anna", held("Anna", "10:00"), held("Anna", "14:00"), now=ended_now) is None
    a_minute_before = at(TUESDAY, "10:29")
    booked = (held("Anna", "10:00"), held("Anna", "14:00"))
    assert limit("Anna", *booked, now=a_minute_before) is BookingProblem.NAME_LIMIT


def test_the_limit_is_per_day_of_the_slot() -> None:
    monday_bookings = (held("Anna", "10:00", WEDNESDAY), held("Anna", "14:00", WEDNESDAY))
    assert limit("Anna", *monday_bookings) is None
    assert open_bookings_of("Anna", WEDNESDAY, BERLIN, NOW, monday_bookings) == 2
    assert open_bookings_of("Anna", TUESDAY, BERLIN, NOW, monday_bookings) == 0
    # 23:30 UTC on Tuesday is already Wednesday in Berlin: the site's day counts.
    late = datetime(2026, 12, 1, 23, 30, tzinfo=UTC)
    utc_late = NamedBooking("Anna", late, late + timedelta(minutes=30), True)
    assert open_bookings_of("Anna", TUESDAY, BERLIN, NOW, [utc_late]) == 0
    assert open_bookings_of("Anna", WEDNESDAY, BERLIN, NOW, [utc_late]) == 1


def test_the_day_is_the_sites_day_of_the_slot_asked_for() -> None:
    # 00:30 on Wednesday in Berlin is still Tuesday in UTC: Wednesday's bookings count.
    just_after_midnight = at(WEDNESDAY, "00:30")
    # The earlier one is Tuesday in UTC too: each booking's day is the site's as well.
    wednesday = (held("Anna", "00:15", WEDNESDAY), held("Anna", "14:00", WEDNESDAY))
    problem = name_limit_problem(TWO, "Anna", just_after_midnight, NOW, BERLIN, wednesday)
    assert problem is BookingProblem.NAME_LIMIT
    tuesday = (held("Anna", "10:00"), held("Anna", "14:00"))
    assert name_limit_problem(TWO, "Anna", just_after_midnight, NOW, BERLIN, tuesday) is None


def test_a_limit_of_one_allows_one() -> None:
    one = VisitorLimits(max_open_per_name_per_day=1)
    assert limit("Anna", limits=one) is None
    assert limit("Anna", held("Anna", "10:00"), limits=one) is BookingProblem.NAME_LIMIT


def test_zero_switches_the_name_limit_off() -> None:
    many = [held("Anna", f"{hour}:00") for hour in (10, 11, 12, 14, 15)]
    assert limit("Anna", *many, limits=VisitorLimits(max_open_per_name_per_day=0)) is None


def test_the_cool_down_counts_whole_seconds_down() -> None:
    thirty = VisitorLimits(cooldown_s=30)
    assert cooldown_wait_s(thirty, None, NOW) == 0
    assert cooldown_wait_s(thirty, NOW, NOW) == 30
    assert cooldown_wait_s(thirty, NOW, NOW + timedelta(seconds=29.5)) == 1
    assert cooldown_wait_s(thirty, NOW, NOW + timedelta(seconds=29)) == 1
    assert cooldown_wait_s(thirty, NOW, NOW + timedelta(seconds=28.9)) == 2
    assert cooldown_wait_s(thirty, NOW, NOW + timedelta(seconds=30)) == 0
    assert cooldown_wait_s(thirty, NOW, NOW + timedelta(hours=1)) == 0
    # A clock set back an hour waits the cool-down, not an hour.
    assert cooldown_wait_s(thirty, NOW, NOW - timedelta(hours=1)) == 30
    assert cooldown_wait_s(VisitorLimits(cooldown_s=0), NOW, NOW) == 0
    assert cooldown_wait_s(VisitorLimits(cooldown_s=0), NOW, NOW - timedelta(hours=1)) == 0
    assert cooldown_wait_s(VisitorLimits(cooldown_s=1), NOW, NOW) == 1


# -- the booking service ---------------------------------------------------------------------


@contextmanager
def limited_site(
    data_dir: Path, limits: VisitorLimits
) -> Iterator[tuple[BookingService, Clock, Storage]]:
    with booking_site(data_dir) as (service, clock, storage):
        usage = UsageEvents(storage.usage, BERLIN, clock)
        yield dataclasses.replace(service, limits=limits, usage=usage), clock, storage


def created_events(storage: Storage) -> int:
    row = storage.usage._db.execute(
        "SELECT count(*) FROM usage_events WHERE kind = 'booking_created'"
    ).fetchone()
    return int(row[0])


def stored(service: BookingService) -> int:
    return len(service.bookings_between(TUESDAY, WEDNESDAY))


def test_the_third_booking_of_a_name_is_refused_and_nothing_is_counted(data_dir: Path) -> None:
    with limited_site(data_dir, TWO) as (service, _clock, storage):
        assert service.book("tablet-1", at(TUESDAY, "10:00"), 30, "Anna").ok
        assert service.book("tablet-2", at(TUESDAY, "11:00"), 30, " anna ").ok
        refused = service.book("tablet-1", at(TUESDAY, "15:00"), 30, "ANNA")
        assert refused.booking is None
        assert refused.problem is BookingProblem.NAME_LIMIT
        assert refused.alternatives == ()  # another time would not help
        assert stored(service) == 2
        assert created_events(storage) == 2
        # Another name, and the same name on another day, are fine.
        assert service.book("tablet-1", at(TUESDAY, "15:00"), 30, "Ben").ok
        assert service.book("tablet-1", at(WEDNESDAY, "15:00"), 30, "Anna").ok


def test_cancelling_frees_the_allowance(data_dir: Path) -> None:
    with limited_site(data_dir, TWO) as (service, _clock, _storage):
        first = service.book("tablet-1", at(TUESDAY, "10:00"), 30, "Anna").booking
        assert first is not None
        assert service.book("tablet-2", at(TUESDAY, "11:00"), 30, "Anna").ok
        assert service.book("tablet-1", at(TUESDAY, "15:00"), 30, "Anna").problem is (
            BookingProblem.NAME_LIMIT
        )
        assert service.cancel(first.id)
        assert service.book("tablet-1", at(TUESDAY, "15:00"), 30, "Anna").ok


def test_the_cool_down_says_how_long_and_then_books(data_dir: Path) -> None:
    limits = VisitorLimits(max_open_per_name_per_day=0, cooldown_s=30)
    with limited_site(data_dir, limits) as (service, clock, storage):
        assert service.book("tablet-1", at(TUESDAY, "10:00"), 30, "Anna").ok
        clock.advance(seconds=12)
        refused = service.book("tablet-2", at(TUESDAY, "11:00"), 30, "Ben")
        assert refused.problem is BookingProblem.COOL_DOWN and refused.wait_s == 18
        assert stored(service) == 1 and created_events(storage) == 1
        clock.advance(seconds=17.5)
        assert service.book("tablet-2", at(TUESDAY, "11:00"), 30, "Ben").wait_s == 1
        clock.advance(seconds=0.5)
        assert service.book("tablet-2", at(TUESDAY, "11:00"), 30, "Ben").ok


def test_a_refused_booking_does_not_start_the_cool_down(data_dir: Path) -> None:
    limits = VisitorLimits(max_open_per_name_per_day=1, cooldown_s=30)
    with limited_site(data_dir, limits) as (service, clock, _storage):
        assert service.book("tablet-1", at(TUESDAY, "10:00"), 30, "Anna").ok
        clock.advance(seconds=31)
        assert service.book("tablet-1", at(TUESDAY, "15:00"), 30, "Anna").problem is (
            BookingProblem.NAME_LIMIT
        )
        assert service.book("tablet-1", at(TUESDAY, "10:00"), 30, "Ben").problem is (
            BookingProblem.OVERLAP
        )
        assert service.book("tablet-1", at(TUESDAY, "15:00"), 30, "Ben").ok


def test_staff_are_not_limited(data_dir: Path) -> None:
    limits = VisitorLimits(max_open_per_name_per_day=1, cooldown_s=30)
    with limited_site(data_dir, limits) as (service, clock, _storage):
        assert service.book("tablet-1", at(TUESDAY, "10:00"), 30, "Anna").ok
        # Walk-ins at the desk, and bookings staff make otherwise (web desk, command line),
        # within the cool-down and over the name's limit.
        assert service.book("tablet-2", at(TUESDAY, "10:00"), 30, "Anna", walk_in=True).ok
        assert service.book("tablet-1", at(TUESDAY, "15:00"), 30, "Anna", by_staff=True).ok
        # What staff booked counts for the visitor: one booking a day, already three.
        clock.advance(seconds=31)
        assert service.book("tablet-2", at(TUESDAY, "16:00"), 30, "Anna").problem is (
            BookingProblem.NAME_LIMIT
        )


def test_staff_bookings_start_no_cool_down(data_dir: Path) -> None:
    limits = VisitorLimits(cooldown_s=30)
    with limited_site(data_dir, limits) as (service, _clock, _storage):
        assert service.book("tablet-1", at(TUESDAY, "10:00"), 30, "Anna", walk_in=True).ok
        assert service.book("tablet-1", at(TUESDAY, "15:00"), 30, "Anna", by_staff=True).ok
        assert service.book("tablet-2", at(TUESDAY, "15:00"), 30, "Ben").ok


def test_without_limits_a_name_books_as_often_as_it_likes(data_dir: Path) -> None:
    with limited_site(data_dir, VisitorLimits()) as (service, _clock, _storage):
        for start in ("10:00", "11:00", "14:00", "15:00"):
            assert service.book("tablet-1", at(TUESDAY, start), 30, "Anna").ok


# -- a terminal joined to a hub ----------------------------------------------------------------


def test_offline_the_terminal_holds_to_what_it_knows(data_dir: Path) -> None:
    limits = VisitorLimits(max_open_per_name_per_day=2, cooldown_s=30)
    with limited_site(data_dir, limits) as (service, clock, storage):
        joined = dataclasses.replace(service, shared=storage.bookings)
        for start in ("10:00", "11:00"):
            request = joined.request_booking("tablet-1", at(TUESDAY, start), 30, "Anna")
            assert isinstance(request, BookingRequest)
            outcome = joined.settle_booking(request, None)  # no answer: provisional
            assert outcome.booking is not None
            assert outcome.booking.status is BookingStatus.PROVISIONAL
            # A provisional booking starts the cool-down as any other.
            waiting = joined.request_booking("tablet-2", at(TUESDAY, "17:00"), 30, "Ben")
            assert not isinstance(waiting, BookingRequest)
            assert waiting.problem is BookingProblem.COOL_DOWN and waiting.wait_s == 30
            clock.advance(seconds=30)
        third = joined.request_booking("tablet-1", at(TUESDAY, "15:00"), 30, "anna")
        assert not isinstance(third, BookingRequest)
        assert third.problem is BookingProblem.NAME_LIMIT
        assert stored(joined) == 2


def test_a_refusal_by_the_hub_books_nothing_and_starts_no_cool_down(data_dir: Path) -> None:
    limits = VisitorLimits(max_open_per_name_per_day=2, cooldown_s=30)
    with limited_site(data_dir, limits) as (service, _clock, storage):
        joined = dataclasses.replace(service, shared=storage.bookings)
        request = joined.request_booking("tablet-1", at(TUESDAY, "10:00"), 30, "Anna")
        assert isinstance(request, BookingRequest)
        outcome = joined.settle_booking(request, HubRefusal(BookingProblem.NAME_LIMIT))
        assert outcome.booking is None and outcome.problem is BookingProblem.NAME_LIMIT
        assert stored(joined) == 0 and created_events(storage) == 0
        assert isinstance(
            joined.request_booking("tablet-1", at(TUESDAY, "10:00"), 30, "Ben"), BookingRequest
        )
