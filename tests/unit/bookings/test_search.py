"""Staff find bookings by part of a first name, part of the code, device or time, and by what
needs them — the booking service over a real SQLite file."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from kiosk.core.bookings import Booking, BookingService, SearchFilter
from tests.unit.bookings.helpers import TUESDAY, at, booking_site


def names(found: list[Booking]) -> list[str | None]:
    return [booking.name for booking in found]


def booked(
    service: BookingService, device: str, hhmm: str, name: str, minutes: int = 30
) -> Booking:
    outcome = service.book(device, at(TUESDAY, hhmm), minutes, name, by_staff=True)
    assert outcome.booking is not None, outcome
    return outcome.booking


def test_part_of_a_first_name_without_case_or_accents(data_dir: Path) -> None:
    with booking_site(data_dir) as (service, _clock, _storage):
        booked(service, "tablet-1", "10:00", "Änna")
        booked(service, "tablet-2", "11:00", "Jürgen")
        booked(service, "tablet-2", "14:00", "Hannah")
        booked(service, "vr-1", "15:00", "Олена")
        assert names(service.search("anna")) == ["Änna", "Hannah"]
        assert names(service.search("ÄNN")) == ["Änna", "Hannah"]
        assert names(service.search("jurg")) == ["Jürgen"]
        assert names(service.search("олен")) == ["Олена"]
        assert names(service.search("anna tablet-2")) == ["Hannah"]  # every word must match
        assert service.search("zoe") == []


def test_part_of_the_code_with_or_without_the_dash(data_dir: Path) -> None:
    with booking_site(data_dir) as (service, _clock, _storage):
        # Names without a letter of the code alphabet: only the code can match.
        lilo = booked(service, "tablet-1", "10:00", "Lilo")
        booked(service, "tablet-2", "10:00", "Ulli")
        printed = lilo.printed_code  # e.g. "K7P-MR3"
        for typed in (printed, lilo.code, printed.lower(), printed[1:6], f" {lilo.code[2:5]} "):
            assert service.search(typed) == [lilo], typed
        assert service.search(lilo.code[:2]) == []  # two symbols are no piece of a code


def test_a_device_or_a_time_finds_the_bookings_running_then(data_dir: Path) -> None:
    with booking_site(data_dir) as (service, _clock, _storage):
        booked(service, "tablet-1", "10:00", "Anna", 60)
        booked(service, "tablet-2", "10:30", "Ben")
        booked(service, "vr-1", "14:00", "Cem")
        assert names(service.search("vr-1")) == ["Cem"]
        assert names(service.search("ipad")) == ["Ben"]  # tablet-2's configured name
        assert names(service.search("brille", names={"vr-1": "VR-Brille"})) == ["Cem"]
        assert names(service.search("10:45")) == ["Anna", "Ben"]
        assert names(service.search("10.30")) == ["Anna", "Ben"]
        assert names(service.search("11")) == []  # Anna's ends at 11:00
        assert names(service.search("14")) == ["Cem"]
        assert names(service.search("tablet 10:15")) == ["Anna"]


def test_the_span_is_today_on_and_a_week_back_for_names(data_dir: Path) -> None:
    with booking_site(data_dir) as (service, clock, _storage):
        booked(service, "tablet-2", "10:00", "Anna")
        clock.advance(days=3)
        assert names(service.search("anna")) == ["Anna"]  # three days ago, by name
        assert service.search("10:15") == []  # a time only from today on
        assert service.search("") == []
        clock.advance(days=5)
        assert service.search("anna") == []  # more than a week ago
        assert names(service.search("anna", first=TUESDAY)) == ["Anna"]


def test_each_filter_and_bookings_sorted_by_start(data_dir: Path) -> None:
    with booking_site(data_dir, no_show_minutes=15) as (service, clock, storage):
        gone = booked(service, "tablet-2", "10:00", "Gina")
        waiting = service.book("vr-1", at(TUESDAY, "15:00"), 30, "Wanda").booking
        assert waiting is not None
        later = service.book("vr-1", at(TUESDAY + timedelta(days=1), "11:00"), 30, "Lea").booking
        assert later is not None
        booked(service, "tablet-1", "14:00", "Anna")
        clock.now = at(TUESDAY, "10:20")
        assert [b.id for b in service.release_no_shows()] == [gone.id]
        assert names(service.search(only=SearchFilter.WAITING)) == ["Wanda", "Lea"]
        assert names(service.search("lea", only=SearchFilter.WAITING)) == ["Lea"]
        assert names(service.search(only=SearchFilter.NO_SHOW_TODAY)) == ["Gina"]
        assert service.search(only=SearchFilter.CONFLICT) == []
        anna = service.search("anna")[0]
        # The hub gave Anna's time to another terminal's booking (as a pull would leave it).
        assert storage.bookings.set_status(anna.id, "conflict", 0, expected=["confirmed"])
        assert names(service.search(only=SearchFilter.CONFLICT)) == ["Anna"]
        outcome = service.block("tablet-1", at(TUESDAY, "16:00"), at(TUESDAY, "17:00"), "Workshop")
        assert [block.reason for block in outcome.made] == ["Workshop"]
        assert [b.reason for b in service.search(only=SearchFilter.BLOCKED)] == ["Workshop"]
        assert [b.reason for b in service.search("works")] == ["Workshop"]
        assert names(service.search()) == ["Gina", "Anna", "Wanda", None, "Lea"]
        clock.advance(days=1)
        assert service.search(only=SearchFilter.NO_SHOW_TODAY) == []  # yesterday's
