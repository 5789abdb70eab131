"""The web desk's planning without HTTP (kiosk.hub.desk.planning) against a real PostgreSQL:
find, edit with the code kept and the constraint respected, a no-show undone within its slot,
weekly device blocks hidden from visitors, and date exceptions with the bookings they affect;
each change audited without a name and pulled by the site's terminals."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import psycopg

from kiosk.core.bookings import Booking, BookingKind, BookingStatus, SearchFilter
from kiosk.hub.desk import planning
from kiosk.hub.desk.views import SiteDesk
from tests.hub.booking_terminals import hub_usage, kiosk, sync_once
from tests.hub.desk.test_views import audit_rows, open_wednesday, staff
from tests.hub.servers import add_site, make_terminal, threaded_hub

SITE = "probierladen"
BERLIN = ZoneInfo("Europe/Berlin")  # the demo site's zone
NAMES = {"tablet-1": "Android-Tablet", "tablet-2": "iPad"}


def _at(desk: SiteDesk, day: date, when: time) -> datetime:
    return datetime.combine(day, when, desk.zone)


def _booked(desk: SiteDesk, code: str) -> Booking:
    found = desk.service.booking(code)
    assert found is not None
    return found


def test_find_matches_part_of_a_first_name_or_code_and_filters_by_status(
    hub_database: str, tmp_path: Path
) -> None:
    add_site(hub_database, SITE, tmp_path)
    frieda = staff(hub_database)
    with psycopg.connect(hub_database) as conn:
        desk = SiteDesk(conn, SITE)
        day = open_wednesday(desk)
        lena = desk.phone_booking(frieda, "tablet-1", _at(desk, day, time(10)), 30, "Lena")
        ben = desk.phone_booking(frieda, "tablet-2", _at(desk, day, time(14)), 30, "Ben")
        assert lena.ok and ben.ok
        by_name = planning.find(desk, "LEN", None, NAMES)
        assert [b.printed_code for b in by_name] == [lena.code]
        by_code = planning.find(desk, ben.code[-4:].lower(), None, NAMES)
        assert ben.code in [b.printed_code for b in by_code]
        assert planning.find(desk, "", SearchFilter.CONFLICT, NAMES) == []
        assert planning.find(desk, "Nobody", None, NAMES) == []


def test_an_edit_extends_and_moves_a_booking_with_its_code_and_the_constraint_holds(
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
            ben = desk.phone_booking(frieda, "tablet-1", _at(desk, day, time(12)), 30, "Ben")
            uid = _booked(desk, anna.code).uid
            # Extended to an hour: the same booking, the same code.
            longer = planning.edit(
                desk, frieda, uid, _at(desk, day, time(10)), _at(desk, day, time(11)), "tablet-1"
            )
            assert (longer.done, longer.code) == ("edited", anna.code)
            # Into Ben's time: refused by the rules, nothing changes.
            onto_ben = planning.edit(
                desk,
                frieda,
                uid,
                _at(desk, day, time(10)),
                _at(desk, day, time(12, 15)),
                "tablet-1",
            )
            assert onto_ben.problem in ("overlap", "buffer") and onto_ben.code == anna.code
            # To the other tablet, later: still Anna's code.
            moved = planning.edit(
                desk, frieda, uid, _at(desk, day, time(15)), _at(desk, day, time(16)), "tablet-2"
            )
            assert moved.done == "edited"
            unchanged = planning.edit(
                desk, frieda, uid, _at(desk, day, time(15)), _at(desk, day, time(16)), "tablet-2"
            )
            assert unchanged.problem == "unchanged"
            assert (
                planning.edit(
                    desk, frieda, "0" * 32, _at(desk, day, time(15)), _at(desk, day, time(16)), "x"
                ).problem
                == "unknown_booking"
            )

        with psycopg.connect(hub_database) as conn:
            desk = SiteDesk(conn, SITE)
            after = _booked(desk, anna.code)
            assert (after.uid, after.device_id, after.start, after.end) == (
                uid,
                "tablet-2",
                _at(desk, day, time(15)),
                _at(desk, day, time(16)),
            )
            assert _booked(desk, ben.code).status is BookingStatus.CONFIRMED
        assert [(action, detail.split()[0]) for _, action, _, detail in audit_rows(hub_database)][
            2:
        ] == [("booking_edit", anna.code), ("booking_edit", anna.code)]
        assert not any("Anna" in row[3] for row in audit_rows(hub_database))
        # An edit is counted as one, not as a cancellation and a new booking.
        assert hub_usage(hub_database, "booking_edited") == 2
        assert hub_usage(hub_database, "booking_cancelled") == 0
        assert hub_usage(hub_database, "booking_created") == 2

        with kiosk(terminal) as there:
            sync_once(terminal)
            pulled = there.service.booking(anna.code)
            assert pulled is not None
            assert (pulled.device_id, pulled.start, pulled.end) == (
                "tablet-2",
                _at(desk, day, time(15)),
                _at(desk, day, time(16)),
            )


def test_a_late_visitor_s_no_show_is_undone_within_the_slot_only(
    hub_database: str, tmp_path: Path
) -> None:
    add_site(hub_database, SITE, tmp_path)
    frieda = staff(hub_database)
    with psycopg.connect(hub_database) as conn:
        desk = SiteDesk(conn, SITE)
        day = open_wednesday(desk)
        made = desk.phone_booking(frieda, "tablet-1", _at(desk, day, time(10)), 60, "Anna")
        uid = _booked(desk, made.code).uid
        # 10:30: the visitor did not come within the demo site's 15 minutes.
        late = SiteDesk(conn, SITE, clock=lambda: _at(desk, day, time(10, 30)))
        late.agenda(day)
        assert _booked(late, made.code).status is BookingStatus.NO_SHOW
        restored = planning.restore_no_show(late, frieda, uid)
        assert (restored.done, restored.code) == ("restored", made.code)
        assert _booked(late, made.code).status is BookingStatus.CHECKED_IN
        assert planning.restore_no_show(late, frieda, uid).problem == "not_restorable"

        other = desk.phone_booking(frieda, "tablet-2", _at(desk, day, time(12)), 30, "Ben")
        over = SiteDesk(conn, SITE, clock=lambda: _at(desk, day, time(12, 45)))
        over.agenda(day)
        gone = planning.restore_no_show(over, frieda, _booked(over, other.code).uid)
        assert gone.problem == "not_restorable"
        assert _booked(over, other.code).status is BookingStatus.NO_SHOW
    assert [a for _, a, _, _ in audit_rows(hub_database)].count("booking_restore") == 1


def test_a_weekly_block_hides_the_device_from_visitors_and_refuses_a_taken_week(
    hub_database: str, tmp_path: Path
) -> None:
    add_site(hub_database, SITE, tmp_path)
    frieda = staff(hub_database)
    with psycopg.connect(hub_database) as conn:
        # A Monday morning in March: the next three Wednesdays are open, the first in reach.
        desk = SiteDesk(conn, SITE, clock=lambda: datetime(2027, 3, 1, 9, tzinfo=BERLIN))
        day = date(2027, 3, 3)
        second = day + timedelta(days=7)
        taken = desk.phone_booking(frieda, "tablet-1", _at(desk, second, time(14)), 30, "Cem")
        assert taken.ok
        result = planning.block(
            desk,
            frieda,
            "tablet-1",
            _at(desk, day, time(14)),
            _at(desk, day, time(16)),
            "Workshop",
            3,
        )
        assert [b.start.date() for b in result.made] == [day, day + timedelta(days=14)]
        assert [(d, p.value) for d, p in result.refused] == [(second, "overlap")]
        assert all(b.kind is BookingKind.BLOCKED and b.reason == "Workshop" for b in result.made)
        # Visitors are offered the rest of the day, never the blocked hours.
        starts = {s.start.time() for s in desk.free_times("tablet-1", day, 30)}
        assert not starts & {time(14), time(14, 30), time(15), time(15, 30)}
        assert time(11) in starts
        shown = planning.plan(desk)
        assert [b.start.date() for b in shown.blocks] == [day, day + timedelta(days=14)]

        removed = planning.remove_block(desk, frieda, shown.blocks[0].uid)
        assert removed.done == "unblocked"
        starts = {s.start.time() for s in desk.free_times("tablet-1", day, 30)}
        assert time(14) in starts
        # A visitor's booking is not a block: it cannot be removed as one.
        cem = _booked(desk, taken.code)
        assert planning.remove_block(desk, frieda, cem.uid).problem == "unknown_block"
    actions = [a for _, a, _, _ in audit_rows(hub_database)]
    assert actions.count("device_block") == 2 and actions.count("device_unblock") == 1


def test_a_date_exception_lists_the_bookings_it_affects_and_can_be_removed(
    hub_database: str, tmp_path: Path
) -> None:
    add_site(hub_database, SITE, tmp_path)
    frieda = staff(hub_database)
    with psycopg.connect(hub_database) as conn:
        desk = SiteDesk(conn, SITE)
        day = open_wednesday(desk)
        early = desk.phone_booking(frieda, "tablet-1", _at(desk, day, time(10)), 30, "Anna")
        late = desk.phone_booking(frieda, "tablet-2", _at(desk, day, time(16)), 30, "Ben")
        refused = planning.add_exception(
            desk, frieda, day, closed=False, opens=time(14), closes=time(12), note=""
        )
        assert refused.problem == "exception_hours"
        added = planning.add_exception(
            desk, frieda, day, closed=False, opens=time(12), closes=time(15), note="Team day"
        )
        assert added.done == "exception_added"
        (row,) = planning.plan(desk).exceptions
        assert (row.exception.day, row.exception.closed, row.exception.note) == (
            day,
            False,
            "Team day",
        )
        assert sorted(b.printed_code for b in row.affected) == sorted([early.code, late.code])
        starts = {s.start.time() for s in desk.free_times("tablet-2", day, 30)}
        assert starts and min(starts) >= time(12) and max(starts) < time(15)

        assert planning.remove_exception(desk, frieda, row.exception.id).done == (
            "exception_removed"
        )
        assert planning.plan(desk).exceptions == ()
        assert planning.remove_exception(desk, frieda, row.exception.id).problem == (
            "unknown_exception"
        )
    actions = [(a, d) for _, a, _, d in audit_rows(hub_database)]
    assert ("date_exception_add", f"{day.isoformat()} 12:00-15:00") in actions
    assert ("date_exception_remove", day.isoformat()) in actions


def test_a_block_s_reason_and_an_exception_s_note_are_read_strictly() -> None:
    assert planning.clean_text("  Workshop   Senioren ", 80) == "Workshop Senioren"
    assert planning.clean_text("x" * 81, 80) is None
    assert planning.clean_text("Work\u202eshop", 80) is None
    assert planning.clean_text("Work\x00shop", 80) is None
    assert planning.search_filter("no_show_today") is SearchFilter.NO_SHOW_TODAY
    assert planning.search_filter("everything") is None
