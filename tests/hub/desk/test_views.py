"""The web desk's bookings without HTTP (kiosk.hub.desk.views) against a real PostgreSQL: phone
bookings, cancel, check in and move through the site's booking service and the database's
constraint, each audited without a name, counted for the city, and pulled by a terminal."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, time, timedelta
from pathlib import Path

import psycopg
import pytest

from kiosk.core.bookings import CODE_LENGTH, Booking, BookingStatus, DeviceStatus
from kiosk.core.resume_codes import generate_code
from kiosk.hub.bookings import PgBookingStore
from kiosk.hub.desk import accounts
from kiosk.hub.desk.accounts import StaffUser
from kiosk.hub.desk.views import (
    NoRulesError,
    SiteDesk,
    fleet,
    parse_clock,
    parse_day,
    parse_minutes,
)
from tests.hub.booking_terminals import hub_bookings, hub_usage, kiosk, sync_once
from tests.hub.servers import add_site, enrol, make_terminal, threaded_hub

SITE = "probierladen"
OTHER = "bibliothek"
PASSWORD = "correct horse battery"  # noqa: S105 - a test account


def staff(database_url: str, name: str = "frieda", sites: tuple[str, ...] = (SITE,)) -> StaffUser:
    with psycopg.connect(database_url) as conn:
        return accounts.add_account(conn, name, PASSWORD, sites)


def open_wednesday(desk: SiteDesk) -> date:
    """A Wednesday (open 10 to 18 at the demo site) a few days ahead, not a holiday."""
    for ahead in range(3, 14):
        day = desk.today() + timedelta(days=ahead)
        if day.weekday() == 2 and desk.rules.calendar.closed_reason(day) is None:
            return day
    raise AssertionError("no open Wednesday in the booking window")


def audit_rows(database_url: str) -> list[tuple[str, str, str | None, str]]:
    with psycopg.connect(database_url) as conn:
        rows = conn.execute(
            "SELECT account, action, site, detail FROM staff_audit ORDER BY id"
        ).fetchall()
    return [(str(a), str(b), c, str(d)) for a, b, c, d in rows]


def test_a_phone_booking_is_stored_audited_counted_and_pulled_by_a_terminal(
    hub_database: str, tmp_path: Path
) -> None:
    add_site(hub_database, SITE, tmp_path)
    frieda = staff(hub_database)
    with threaded_hub(hub_database) as hub:
        terminal = make_terminal(tmp_path, hub_database, hub, SITE, "laden-1")
        with psycopg.connect(hub_database) as conn:
            desk = SiteDesk(conn, SITE)
            day = open_wednesday(desk)
            slot = desk.free_times("tablet-1", day, 30)[0]
            outcome = desk.phone_booking(frieda, "tablet-1", slot.start, 30, "  Anna   Lena ")
        assert outcome.ok and outcome.done == "booked" and len(outcome.code) == 7

        (row,) = hub_bookings(hub_database)
        assert (row.device_id, row.start, row.status) == ("tablet-1", slot.start, "confirmed")
        assert audit_rows(hub_database) == [
            ("frieda", "booking_phone", SITE, f"{outcome.code} tablet-1")
        ]
        assert hub_usage(hub_database, "booking_created") == 1

        with kiosk(terminal) as there:
            assert there.service.booking(outcome.code) is None
            assert sync_once(terminal).shared >= 1
            pulled = there.service.booking(outcome.code)
            assert pulled is not None
            assert (pulled.name, pulled.start, pulled.status) == (
                "Anna Lena",  # cleaned as a terminal cleans it
                slot.start,
                BookingStatus.CONFIRMED,
            )
            assert slot not in there.service.free_slots("tablet-1", day, 30)


def test_a_phone_booking_on_a_device_that_needs_approval_is_confirmed(
    hub_database: str, tmp_path: Path
) -> None:
    add_site(hub_database, SITE, tmp_path)
    frieda = staff(hub_database)
    with psycopg.connect(hub_database) as conn:
        desk = SiteDesk(conn, SITE)
        assert desk.service.device("vr-1") is not None
        day = open_wednesday(desk)
        slot = desk.free_times("vr-1", day)[0]
        outcome = desk.phone_booking(frieda, "vr-1", slot.start, slot.minutes, "Ben")
    assert outcome.ok
    assert [row.status for row in hub_bookings(hub_database)] == ["confirmed"]


@pytest.mark.parametrize(
    ("device", "when", "minutes", "name", "problem"),
    [
        ("tablet-1", time(7, 0), 30, "Anna", "outside_hours"),
        ("tablet-1", time(10, 0), 30, "Anna", "overlap"),
        ("tablet-1", time(10, 15), 30, "Anna", "buffer"),
        ("tablet-1", time(12, 0), 300, "Anna", "too_long"),
        ("tablet-1", time(12, 0), 30, "   ", "name_empty"),
        ("tablet-1", time(12, 0), 30, "Anna\u202e", "name_hidden_character"),
        ("tablet-1", time(12, 0), 30, "A" * 41, "name_too_long"),
        ("tablet-9", time(12, 0), 30, "Anna", "unknown_device"),
    ],
)
def test_a_phone_booking_that_breaks_a_rule_is_refused_and_changes_nothing(
    hub_database: str,
    tmp_path: Path,
    device: str,
    when: time,
    minutes: int,
    name: str,
    problem: str,
) -> None:
    add_site(hub_database, SITE, tmp_path)
    frieda = staff(hub_database)
    with psycopg.connect(hub_database) as conn:
        desk = SiteDesk(conn, SITE)
        day = open_wednesday(desk)
        first = desk.phone_booking(frieda, "tablet-1", _at(desk, day, time(10, 0)), 15, "Cem")
        assert first.ok
    before = (hub_bookings(hub_database), audit_rows(hub_database))

    with psycopg.connect(hub_database) as conn:
        desk = SiteDesk(conn, SITE)
        outcome = desk.phone_booking(frieda, device, _at(desk, day, when), minutes, name)
    assert (outcome.ok, outcome.problem) == (False, problem)
    assert (hub_bookings(hub_database), audit_rows(hub_database)) == before


def test_the_database_refuses_a_double_booking_the_rules_did_not_see(
    hub_database: str, tmp_path: Path
) -> None:
    """Two desks read the same free slot; the exclusion constraint lets exactly one book it."""
    add_site(hub_database, SITE, tmp_path)
    frieda = staff(hub_database)
    with psycopg.connect(hub_database) as first, psycopg.connect(hub_database) as second:
        desk = SiteDesk(first, SITE)
        slot = desk.free_times("tablet-2", open_wednesday(desk), 30)[0]
        assert desk.phone_booking(frieda, "tablet-2", slot.start, 30, "Anna").ok
        # The second desk's reading was made before the first committed.
        late = SiteDesk(second, SITE)
        assert slot in late.free_times("tablet-2", slot.start.date(), 30)
        second.commit()
        first.commit()
        outcome = late.phone_booking(frieda, "tablet-2", slot.start, 30, "Ben")
    assert outcome.problem == "overlap"
    assert len(hub_bookings(hub_database)) == 1


def test_move_check_in_and_cancel_reach_the_terminal_with_an_audit_row_each(
    hub_database: str, tmp_path: Path
) -> None:
    add_site(hub_database, SITE, tmp_path)
    frieda = staff(hub_database)
    with threaded_hub(hub_database) as hub:
        terminal = make_terminal(tmp_path, hub_database, hub, SITE, "laden-1")
        with psycopg.connect(hub_database) as conn:
            desk = SiteDesk(conn, SITE)
            day = open_wednesday(desk)
            anna = desk.phone_booking(frieda, "tablet-1", _at(desk, day, time(10)), 30, "Anna")
            ben = desk.phone_booking(frieda, "tablet-1", _at(desk, day, time(11)), 30, "Ben")
        with psycopg.connect(hub_database) as conn:
            desk = SiteDesk(conn, SITE)
            anna_row = _by_code(desk, anna.code)
            ben_row = _by_code(desk, ben.code)
            choices = desk.move_choices(anna_row)
            assert choices and all(c.minutes == 30 for c in choices)
            assert {c.device_id for c in choices} <= {"tablet-1", "tablet-2"}
            # To the other tablet at 14:00: the same code and length.
            moved = desk.move(frieda, anna_row.uid, "tablet-2", _at(desk, day, time(14)))
            assert (moved.done, moved.code) == ("moved", anna.code)
            # Onto Ben's time: refused, nothing changes.
            taken = desk.move(frieda, anna_row.uid, "tablet-1", _at(desk, day, time(11)))
            assert taken.problem == "overlap"
            assert desk.cancel(frieda, ben_row.uid).done == "cancelled"
            assert desk.cancel(frieda, ben_row.uid).problem == "not_active"
            assert desk.check_in(frieda, anna_row.uid).problem == "check_in_not_now"
            at_start = SiteDesk(conn, SITE, clock=lambda: _at(desk, day, time(14)))
            assert at_start.check_in(frieda, anna_row.uid).done == "checked_in"
            assert at_start.check_in(frieda, anna_row.uid).problem == "check_in_already"
            assert desk.check_in(frieda, "0" * 32).problem == "unknown_booking"

        assert [
            (action, detail.split()[0]) for _who, action, _site, detail in audit_rows(hub_database)
        ] == [
            ("booking_phone", anna.code),
            ("booking_phone", ben.code),
            ("booking_move", anna.code),
            ("booking_cancel", ben.code),
            ("booking_check_in", anna.code),
        ]
        assert not any("Anna" in row[3] or "Ben" in row[3] for row in audit_rows(hub_database))
        assert hub_usage(hub_database, "booking_cancelled") == 1
        assert hub_usage(hub_database, "booking_checked_in") == 1

        with kiosk(terminal) as there:
            sync_once(terminal)
            pulled = there.service.booking(anna.code)
            assert pulled is not None
            assert (pulled.device_id, pulled.start, pulled.status, pulled.moved) == (
                "tablet-2",
                _at(desk, day, time(14)),
                BookingStatus.CHECKED_IN,
                True,
            )
            cancelled = there.service.booking(ben.code)
            assert cancelled is not None and cancelled.status is BookingStatus.CANCELLED
            # Checked in: the tablet must be wiped after the visitor, on every terminal.
            assert there.service.status_of("tablet-2") is DeviceStatus.NEEDS_WIPING


def test_a_conflict_is_listed_with_free_times_and_moved_to_one(
    hub_database: str, tmp_path: Path
) -> None:
    add_site(hub_database, SITE, tmp_path)
    frieda = staff(hub_database)
    with psycopg.connect(hub_database) as conn:
        desk = SiteDesk(conn, SITE)
        day = open_wednesday(desk)
        won = desk.phone_booking(frieda, "tablet-1", _at(desk, day, time(10)), 30, "Anna")
        winner = _by_code(desk, won.code)
        # A terminal booked the same time offline; the hub gave it to Anna first.
        PgBookingStore(conn, SITE).insert(
            uid="c" * 32,
            code=generate_code(length=CODE_LENGTH),
            device_id="tablet-1",
            device_kind="tablet",
            start_ts=int(winner.start.timestamp()),
            end_ts=int(winner.end.timestamp()),
            block_until_ts=int(winner.end.timestamp()) + 600,
            name="Ben",
            status="conflict",
            walk_in=False,
            moved=False,
            now_ts=int(winner.start.timestamp()) - 86400,
        )
        (conflict,) = desk.conflicts()
        assert conflict.booking.uid == "c" * 32
        assert conflict.alternatives and winner.start not in [
            a.start for a in conflict.alternatives if a.device_id == "tablet-1"
        ]
        assert desk.check_in(frieda, "c" * 32).problem == "check_in_conflict"
        choice = conflict.alternatives[0]
        outcome = desk.move(frieda, "c" * 32, choice.device_id, choice.start)
        assert outcome.done == "moved"
        assert desk.conflicts() == []
        moved = desk.booking("c" * 32)
        assert moved is not None and moved.status is BookingStatus.CONFIRMED and moved.moved


def test_the_agenda_shows_a_day_or_a_monday_to_sunday_week_per_device(
    hub_database: str, tmp_path: Path
) -> None:
    add_site(hub_database, SITE, tmp_path)
    frieda = staff(hub_database)
    with psycopg.connect(hub_database) as conn:
        desk = SiteDesk(conn, SITE)
        day = open_wednesday(desk)
        made = desk.phone_booking(frieda, "phone-1", _at(desk, day, time(15)), 30, "Anna")
        agenda = desk.agenda(day)
        assert agenda.days == (day,) and not agenda.week
        assert (agenda.previous, agenda.next) == (day - timedelta(1), day + timedelta(1))
        by_device = {row.device.id: row for row in agenda.devices}
        assert [b.printed_code for b in by_device["phone-1"].bookings] == [made.code]
        assert by_device["tablet-1"].bookings == ()
        week = desk.agenda(day + timedelta(days=2), week=True)
        assert week.days[0] == day - timedelta(days=2) and len(week.days) == 7
        assert week.days[0].weekday() == 0
        phone_days = dict({row.device.id: row for row in week.devices}["phone-1"].days)
        assert [b.printed_code for b in phone_days[day]] == [made.code]
        assert sum(len(b) for b in phone_days.values()) == 1
        sunday = week.days[6]
        assert desk.free_times("phone-1", sunday) == []  # the demo site is closed on Sundays


def test_a_site_without_a_config_has_no_desk(hub_database: str) -> None:
    with psycopg.connect(hub_database) as conn, pytest.raises(NoRulesError):
        SiteDesk(conn, "nowhere")


def test_the_fleet_lists_only_the_terminals_of_the_person_s_sites(
    hub_database: str, tmp_path: Path
) -> None:
    add_site(hub_database, SITE, tmp_path)
    add_site(hub_database, OTHER, tmp_path)
    enrol(hub_database, SITE, "laden-1")
    enrol(hub_database, OTHER, "bib-1")
    frieda = staff(hub_database)
    admin = dataclasses.replace(frieda, admin=True)
    now = datetime.now().astimezone()
    with psycopg.connect(hub_database) as conn:
        mine = fleet(conn, frieda, now)
        every = fleet(conn, admin, now)
    assert [(row.terminal.site, row.terminal.name) for row in mine] == [(SITE, "laden-1")]
    assert {row.terminal.name for row in every} == {"laden-1", "bib-1"}
    # Never seen, no report yet: silent, nothing else known.
    assert mine[0].flags == ("silent",)
    assert (mine[0].printer, mine[0].disk, mine[0].courses) == ("unknown", None, [])


def test_form_values_are_read_strictly() -> None:
    assert parse_day("2026-03-04") == date(2026, 3, 4)
    assert [parse_day(text) for text in ("2026-3-4", "2026-02-30", "", "tomorrow")] == [None] * 4
    assert parse_clock("09:45") == time(9, 45)
    assert [parse_clock(text) for text in ("9:45", "24:00", "09:45:00", "ab:cd")] == [None] * 4
    assert parse_minutes("30") == 30
    assert [parse_minutes(text) for text in ("0", "-5", "1441", "٣٠", "3.5", "")] == [None] * 6


def _at(desk: SiteDesk, day: date, when: time) -> datetime:
    return datetime.combine(day, when, desk.zone)


def _by_code(desk: SiteDesk, printed: str) -> Booking:
    found = desk.service.booking(printed)
    assert found is not None
    return found
