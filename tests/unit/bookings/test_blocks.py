"""Blocks (a device held for a workshop, once or weekly) and staff bookings on any day: the
booking service over a real SQLite file."""

from __future__ import annotations

import csv
import dataclasses
import io
from datetime import timedelta
from pathlib import Path

import pytest
from icalendar import Calendar

from kiosk.core.bookings import (
    BookingKind,
    BookingProblem,
    BookingStatus,
    CheckInStatus,
    LookupStatus,
    VisitorLimits,
)
from kiosk.core.bookings.export import CSV_COLUMNS, bookings_csv, bookings_ics
from kiosk.core.stats.events import UsageEvents
from tests.unit.bookings.helpers import BERLIN, TABLET, TABLET_2, TUESDAY, VR, at, booking_site

WEEK = timedelta(weeks=1)


def test_a_weekly_block_hides_the_device_from_visitors_and_shows_on_the_staff_day(
    data_dir: Path,
) -> None:
    with booking_site(data_dir) as (service, _clock, _storage):
        before = service.free_slots("tablet-1", TUESDAY + WEEK)
        assert any(slot.start == at(TUESDAY + WEEK, "14:00") for slot in before)

        outcome = service.block(
            "tablet-1", at(TUESDAY, "14:00"), at(TUESDAY, "16:00"), " Workshop  Tablets ", weeks=3
        )

        assert outcome.refused == ()
        assert [block.start for block in outcome.made] == [
            at(TUESDAY + WEEK * week, "14:00") for week in range(3)
        ]
        for week in range(3):
            day = TUESDAY + WEEK * week
            free = service.free_slots("tablet-1", day)
            # Nothing from 14:00 until the block's end plus the device's turnaround (16:15).
            assert not [s for s in free if s.start < at(day, "16:15") and s.end > at(day, "14:00")]
            assert any(s.start == at(day, "16:15") for s in free)
            assert service.free_day(day)["tablet-1"] == free
            listed = [b for b in service.day(day) if b.kind is BookingKind.BLOCKED]
            assert len(listed) == 1
            block = listed[0]
            assert block.reason == "Workshop Tablets"
            assert (block.start, block.end) == (at(day, "14:00"), at(day, "16:00"))
            assert block.name is None and block.status is BookingStatus.CONFIRMED
            assert block.blocked and len(block.code) == 6
        # The fourth week was not asked for (staff could book it), and other devices were
        # never touched.
        fourth = at(TUESDAY + WEEK * 3, "14:00")
        assert service.check_slot("tablet-1", fourth, 60, staff=True) is None
        assert any(s.start == at(TUESDAY, "14:00") for s in service.free_slots("tablet-2", TUESDAY))


def test_a_week_already_booked_or_closed_is_refused_and_named_the_others_are_made(
    data_dir: Path,
) -> None:
    with booking_site(data_dir) as (service, _clock, _storage):
        second = TUESDAY + WEEK
        booked = service.book("tablet-1", at(second, "15:00"), 30, "Anna")
        assert booked.booking is not None
        outcome = service.block(
            "tablet-1", at(TUESDAY, "14:00"), at(TUESDAY, "16:00"), "Workshop", weeks=2
        )
        assert [b.start.date() for b in outcome.made] == [TUESDAY]
        assert outcome.refused == ((second, BookingProblem.OVERLAP),)
        # The visitor's booking is untouched.
        assert service.booking(booked.booking.code) == booked.booking

        # Monday: the site is closed all day; after 18:00 on a Tuesday it is closed too.
        monday = TUESDAY + timedelta(days=6)
        closed = service.block("tablet-2", at(monday, "10:00"), at(monday, "11:00"), "")
        assert closed.made == ()
        assert closed.refused == ((monday, BookingProblem.CLOSED),)
        late = service.block("tablet-2", at(TUESDAY, "17:00"), at(TUESDAY, "18:30"), "")
        assert late.refused == ((TUESDAY, BookingProblem.OUTSIDE_HOURS),)
        # Over the midday break (13-14) is fine: the block holds the device the whole time.
        lunch = service.block("tablet-2", at(TUESDAY, "12:00"), at(TUESDAY, "15:00"), "Kurs")
        assert len(lunch.made) == 1 and lunch.made[0].reason == "Kurs"
        starts = [slot.start for slot in service.free_slots("tablet-2", TUESDAY)]
        assert at(TUESDAY, "11:45") in starts and at(TUESDAY, "15:00") in starts
        assert not [
            start for start in starts if at(TUESDAY, "12:00") <= start < at(TUESDAY, "15:00")
        ]


def test_bad_reasons_and_week_counts_change_nothing(data_dir: Path) -> None:
    with booking_site(data_dir) as (service, _clock, _storage):
        for reason, weeks in (("x" * 61, 1), ("Kurs\u202e", 1), ("Kurs", 0), ("Kurs", 53)):
            with pytest.raises(ValueError, match="block"):
                service.block(
                    "tablet-1", at(TUESDAY, "14:00"), at(TUESDAY, "15:00"), reason, weeks=weeks
                )
        assert service.day(TUESDAY) == []
        unknown = service.block("nope", at(TUESDAY, "14:00"), at(TUESDAY, "15:00"), "", weeks=2)
        assert unknown.refused == (
            (TUESDAY, BookingProblem.UNKNOWN_DEVICE),
            (TUESDAY + WEEK, BookingProblem.UNKNOWN_DEVICE),
        )


def test_a_block_is_no_visit_no_show_lookup_or_count(data_dir: Path) -> None:
    with booking_site(data_dir) as (service, clock, storage):
        service = dataclasses.replace(
            service,
            usage=UsageEvents(storage.usage, BERLIN, clock),
            limits=VisitorLimits(max_open_per_name_per_day=1),
        )

        def counted() -> list[tuple[str, str]]:
            rows = storage.usage._db.execute(
                "SELECT kind, device_kind FROM usage_events ORDER BY id"
            ).fetchall()
            return [(str(kind), str(device)) for kind, device in rows]

        made = service.block("tablet-1", at(TUESDAY, "10:00"), at(TUESDAY, "11:00"), "Workshop")
        block = made.made[0]
        assert counted() == []  # nobody booked a visit

        # A visitor with the block's code finds nothing, and cannot cancel or check it in.
        assert service.find(block.printed_code).status is LookupStatus.UNKNOWN
        assert service.cancel(block.id) is False
        assert service.check_in(block.printed_code).status is CheckInStatus.UNKNOWN

        # Long after its start nobody has checked it in: it is no no-show, it holds its time.
        clock.advance(hours=1, minutes=30)
        assert service.release_no_shows() == []
        assert service.day(TUESDAY)[0].status is BookingStatus.CONFIRMED

        # The per-name limit (one a day) counts visits only, whatever the block's reason says.
        other = service.block("tablet-2", at(TUESDAY, "16:00"), at(TUESDAY, "17:00"), "Anna")
        assert other.made
        assert service.book("tablet-1", at(TUESDAY, "15:00"), 30, "Anna").ok
        assert service.book("tablet-1", at(TUESDAY, "16:00"), 30, "Anna").problem is (
            BookingProblem.NAME_LIMIT
        )
        assert counted() == [("booking_created", "tablet")]

        # Staff remove the block: uncounted as well.
        assert service.cancel(block.id, staff=True)
        assert counted() == [("booking_created", "tablet")]
        assert service.day(TUESDAY)[0].status is BookingStatus.CANCELLED


def test_the_name_purge_leaves_a_block_and_its_reason(data_dir: Path) -> None:
    with booking_site(data_dir, purge_days=1) as (service, clock, _storage):
        block = service.block("tablet-1", at(TUESDAY, "14:00"), at(TUESDAY, "15:00"), "Kurs")
        visit = service.book("tablet-2", at(TUESDAY, "14:00"), 30, "Anna")
        assert visit.booking is not None
        clock.advance(days=3)
        assert service.purge_names() == 1
        kept = {b.id: b for b in service.day(TUESDAY)}
        assert kept[block.made[0].id] == block.made[0]
        assert kept[visit.booking.id].name is None


def test_staff_book_any_day_beyond_visitor_limits_but_within_opening_hours(
    data_dir: Path,
) -> None:
    with booking_site(data_dir, now=at(TUESDAY, "09:50")) as (service, _clock, _storage):
        far = TUESDAY + timedelta(days=204)  # a Wednesday, open 10-18
        assert far.weekday() == 2
        visitor = service.book("tablet-1", at(far, "10:00"), 30, "Anna")
        assert visitor.problem is BookingProblem.TOO_FAR
        staff = service.book("tablet-1", at(far, "10:00"), 30, "Anna", by_staff=True)
        assert staff.booking is not None and staff.booking.start == at(far, "10:00")
        assert staff.booking.kind is BookingKind.VISIT

        # Inside the lead time (30 minutes) and off the slot grid: staff may.
        assert service.book("tablet-1", at(TUESDAY, "10:00"), 30, "Ben").problem is (
            BookingProblem.TOO_SOON
        )
        soon = service.book("tablet-1", at(TUESDAY, "10:05"), 30, "Ben", by_staff=True)
        assert soon.booking is not None
        assert service.book("tablet-1", at(TUESDAY, "11:05"), 30, "Ben").problem is (
            BookingProblem.OFF_GRID
        )

        # Opening hours, closures and overlaps still hold for staff.
        assert (
            service.book("tablet-1", at(far, "18:30"), 30, "Cem", by_staff=True).problem
            is BookingProblem.OUTSIDE_HOURS
        )
        assert (
            service.book(
                "tablet-1", at(TUESDAY.replace(day=24), "10:00"), 30, "Cem", by_staff=True
            ).problem
            is BookingProblem.CLOSED
        )
        assert (
            service.book("tablet-1", at(far, "10:15"), 30, "Cem", by_staff=True).problem
            is BookingProblem.OVERLAP
        )


def test_exports_carry_blocks_as_busy_time_with_their_reason(data_dir: Path) -> None:
    with booking_site(data_dir) as (service, _clock, _storage):
        block = service.block("tablet-1", at(TUESDAY, "14:00"), at(TUESDAY, "16:00"), "Workshop")
        visit = service.book("tablet-2", at(TUESDAY, "14:00"), 30, "Anna")
        assert visit.ok
        devices = {device.id: device for device in (TABLET, TABLET_2, VR)}
        bookings = service.day(TUESDAY)

        table = list(csv.reader(io.StringIO(bookings_csv(bookings, devices))))
        assert tuple(table[0][: len(CSV_COLUMNS) - 2]) == (
            "date",
            "start",
            "end",
            "device_id",
            "device",
            "kind",
            "code",
            "name",
            "status",
            "walk_in",
        )
        assert table[0][-2:] == ["booking_kind", "reason"]
        rows = {row[3]: dict(zip(table[0], row, strict=True)) for row in table[1:]}
        assert rows["tablet-1"]["booking_kind"] == "blocked"
        assert rows["tablet-1"]["reason"] == "Workshop"
        assert rows["tablet-1"]["name"] == ""
        assert rows["tablet-1"]["code"] == block.made[0].printed_code
        assert rows["tablet-2"]["booking_kind"] == "visit" and rows["tablet-2"]["reason"] == ""

        calendar = Calendar.from_ical(
            bookings_ics(bookings, devices, site_name="Probierladen", stamp=at(TUESDAY, "09:00"))
        )
        events = {str(event["uid"]): event for event in calendar.walk("VEVENT")}
        blocked = events[f"booking-{block.made[0].uid}@probierladen-kiosk.invalid"]
        assert str(blocked["summary"]) == "Tablet: Workshop"
        assert str(blocked["transp"]) == "OPAQUE"
        assert "Workshop" in str(blocked["description"])
        assert str(blocked["status"]) == "CONFIRMED"
        assert "Anna" not in calendar.to_ical().decode()
