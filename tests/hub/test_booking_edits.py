"""A staff edit and a restored no-show through a real hub over PostgreSQL: what one terminal's
desk changes reaches the hub and the site's other terminals with the same code, the hub's
constraint refuses an edit into a time it gave away, and the hub's own service (the web desk)
edits and restores under the same rules."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import psycopg

from kiosk.core.bookings import BookingProblem, BookingStatus
from kiosk.hub.site_rules import SiteRules, booking_service
from tests.hub.booking_terminals import free_slots, hub_usage, kiosk, sync_once
from tests.hub.servers import add_site, make_terminal, threaded_hub
from tests.unit.bookings.helpers import TABLET, TABLET_2, TUESDAY, VR, Clock, at, calendar


def hub_times(database_url: str, uid: str) -> tuple[int, int, str, str]:
    with psycopg.connect(database_url) as conn:
        row = conn.execute(
            "SELECT start_ts, end_ts, device_id, code FROM bookings WHERE uid = %s", [uid]
        ).fetchone()
    assert row is not None
    return int(row[0]), int(row[1]), str(row[2]), str(row[3])


def test_an_edit_at_one_terminal_reaches_the_hub_and_the_other_terminal(
    hub_database: str, tmp_path: Path
) -> None:
    add_site(hub_database, "vhs", tmp_path)
    with threaded_hub(hub_database) as hub:
        a = make_terminal(tmp_path, hub_database, hub, "vhs", "vhs-1")
        b = make_terminal(tmp_path, hub_database, hub, "vhs", "vhs-2")
        with kiosk(a) as at_a, kiosk(b) as at_b:
            first, second, _third, fourth = free_slots(at_a.service, "tablet-1", 30, 4)
            anna = at_a.book(first, "Anna")[1].booking
            ben = at_a.book(fourth, "Ben")[1].booking
            assert anna is not None and ben is not None
            sync_once(b)
            # A's desk gives Anna 15 more minutes.
            longer = first.end + timedelta(minutes=15)
            assert at_a.service.edit(at_a.reload(anna).id, end=longer) is None
            sync_once(a)
            assert hub_times(hub_database, anna.uid) == (
                int(first.start.timestamp()),
                int(longer.timestamp()),
                "tablet-1",
                anna.code,
            )
            sync_once(b)
            there = at_b.reload(anna)
            assert (there.code, there.start, there.end, there.status) == (
                anna.code,
                first.start,
                longer,
                BookingStatus.CONFIRMED,
            )

            # B books Cem right after Anna; A, not yet told, extends Anna into Cem's time. The
            # hub's constraint refuses it, and A gets Anna back as the hub keeps her.
            cem_slot = next(
                slot
                for slot in at_b.service.free_slots("tablet-1", first.start.date(), 30)
                if slot.start >= longer and slot.end <= second.end + timedelta(hours=1)
            )
            cem = at_b.book(cem_slot, "Cem")[1].booking
            assert cem is not None and cem.status is BookingStatus.CONFIRMED
            assert at_a.service.edit(at_a.reload(anna).id, end=cem_slot.end) is None
            sync_once(a)
            sync_once(a)
            assert at_a.reload(anna).end == longer
            assert hub_times(hub_database, anna.uid)[1] == int(longer.timestamp())
            assert at_a.reload(cem).status is BookingStatus.CONFIRMED
    # Two edits made at A's desk, no cancellation for either.
    assert hub_usage(hub_database, "booking_cancelled") == 0


def test_the_hubs_service_edits_and_restores_under_the_database_constraint(
    hub_database: str, tmp_path: Path
) -> None:
    add_site(hub_database, "vhs", tmp_path)
    rules = SiteRules(
        devices=(TABLET, TABLET_2, VR), calendar=calendar(), no_show_minutes=15, purge_days=7
    )
    clock = Clock(at(TUESDAY, "09:00"))
    with psycopg.connect(hub_database) as conn:
        service, _store = booking_service(conn, "vhs", rules, clock=clock, counted=None)
        anna = service.book("tablet-2", at(TUESDAY, "10:00"), 30, "Anna", by_staff=True).booking
        ben = service.book("tablet-2", at(TUESDAY, "11:00"), 30, "Ben", by_staff=True).booking
        assert anna is not None and ben is not None
        assert service.edit(anna.id, end=at(TUESDAY, "11:15")) is BookingProblem.OVERLAP
        assert service.edit(anna.id, end=at(TUESDAY, "10:45")) is None
        edited = service.booking(anna.code)
        assert edited is not None and (edited.uid, edited.end) == (anna.uid, at(TUESDAY, "10:45"))
        assert service.edit(anna.id, device_id="vr-1") is BookingProblem.UNKNOWN_DEVICE

        # Ben is late: released at 11:15, restored at 11:20 (he is at the desk).
        clock.now = at(TUESDAY, "11:16")
        assert ben.id in [b.id for b in service.release_no_shows()]
        clock.now = at(TUESDAY, "11:20")
        assert service.restore_no_show(ben.id)
        restored = service.booking(ben.code)
        assert restored is not None and restored.status is BookingStatus.CHECKED_IN
        conn.commit()
    assert hub_usage(hub_database, "booking_edited") == 1
    assert hub_usage(hub_database, "booking_created") == 2
    assert hub_usage(hub_database, "booking_cancelled") == 0
