"""Blocks through a real hub over PostgreSQL: a block made at one terminal's desk reaches the hub
and the site's other terminals with its reason, holds its time there, and is never a no-show or
a counted booking; the hub's own service (the web desk) blocks under the database constraint."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import psycopg

from kiosk.core.bookings import BookingKind, BookingProblem, BookingStatus
from kiosk.hub.site_rules import SiteRules, booking_service
from tests.hub.booking_terminals import free_slots, hub_usage, kiosk, sync_once
from tests.hub.servers import add_site, make_terminal, threaded_hub
from tests.unit.bookings.helpers import TABLET, TABLET_2, TUESDAY, VR, Clock, at, calendar


def hub_blocks(database_url: str) -> list[tuple[str, str, str, str | None, str | None]]:
    with psycopg.connect(database_url) as conn:
        rows = conn.execute(
            "SELECT uid, status, kind, reason, name FROM bookings ORDER BY start_ts"
        ).fetchall()
    return [(str(u), str(s), str(k), r, n) for u, s, k, r, n in rows]


def test_a_block_at_one_terminal_reaches_the_hub_and_the_other_terminal(
    hub_database: str, tmp_path: Path
) -> None:
    add_site(hub_database, "vhs", tmp_path)
    with threaded_hub(hub_database) as hub:
        a = make_terminal(tmp_path, hub_database, hub, "vhs", "vhs-1")
        b = make_terminal(tmp_path, hub_database, hub, "vhs", "vhs-2")
        with kiosk(a) as at_a, kiosk(b) as at_b:
            (slot,) = free_slots(at_a.service, "tablet-1", 30, 1)
            start: datetime = slot.start
            end = start + timedelta(minutes=90)
            made = at_a.service.block("tablet-1", start, end, "Workshop Tablets")
            assert made.refused == ()
            (block,) = made.made
            # Held at A until the hub takes it, as a staff booking made here is.
            assert block.status is BookingStatus.PROVISIONAL and block.blocked
            assert not at_a.service.free_slots("tablet-1", start.date(), 30).count(slot)

            sync_once(a)
            assert hub_blocks(hub_database) == [
                (block.uid, "confirmed", "blocked", "Workshop Tablets", None)
            ]
            sync_once(a)
            assert at_a.reload(block).status is BookingStatus.CONFIRMED

            sync_once(b)
            there = at_b.reload(block)
            assert (there.kind, there.reason, there.name, there.status) == (
                BookingKind.BLOCKED,
                "Workshop Tablets",
                None,
                BookingStatus.CONFIRMED,
            )
            assert (there.start, there.end, there.code) == (start, end, block.code)
            free_at_b = at_b.service.free_slots("tablet-1", start.date(), 30)
            assert not [s for s in free_at_b if s.start < end and s.end > start]

            # B's desk removes the block; A hears of it.
            assert at_b.service.cancel(there.id, staff=True)
            sync_once(b)
            sync_once(a)
            assert at_a.reload(block).status is BookingStatus.CANCELLED
            assert slot in at_a.service.free_slots("tablet-1", start.date(), 30)
    # Nobody visited: neither the block nor its removal is counted.
    assert hub_usage(hub_database, "booking_created") == 0
    assert hub_usage(hub_database, "booking_cancelled") == 0


def test_the_hubs_service_blocks_weekly_and_never_releases_a_block_as_a_no_show(
    hub_database: str, tmp_path: Path
) -> None:
    add_site(hub_database, "vhs", tmp_path)
    rules = SiteRules(
        devices=(TABLET, TABLET_2, VR), calendar=calendar(), no_show_minutes=15, purge_days=7
    )
    clock = Clock(at(TUESDAY, "09:00"))
    week = timedelta(weeks=1)
    with psycopg.connect(hub_database) as conn:
        service, _store = booking_service(conn, "vhs", rules, clock=clock, counted=None)
        anna = service.book(
            "tablet-2", at(TUESDAY + week, "14:30"), 30, "Anna", by_staff=True
        ).booking
        assert anna is not None
        outcome = service.block(
            "tablet-2", at(TUESDAY, "14:00"), at(TUESDAY, "16:00"), "Kurs", weeks=3
        )
        assert [b.start for b in outcome.made] == [
            at(TUESDAY, "14:00"),
            at(TUESDAY + 2 * week, "14:00"),
        ]
        assert outcome.refused == ((TUESDAY + week, BookingProblem.OVERLAP),)
        assert all(b.kind is BookingKind.BLOCKED and b.reason == "Kurs" for b in outcome.made)
        # A staff booking 200 days ahead, beyond the visitor's 14-day window.
        far = TUESDAY + timedelta(days=204)
        assert service.book("tablet-2", at(far, "10:00"), 30, "Ben").problem is (
            BookingProblem.TOO_FAR
        )
        assert service.book("tablet-2", at(far, "10:00"), 30, "Ben", by_staff=True).ok

        clock.now = at(TUESDAY, "15:00")  # an hour into the first block: no one checked it in
        assert service.release_no_shows() == []
        assert [b.status for b in service.day(TUESDAY)] == [BookingStatus.CONFIRMED]
        conn.commit()
    assert hub_usage(hub_database, "booking_created") == 2
    assert hub_usage(hub_database, "booking_no_show") == 0
