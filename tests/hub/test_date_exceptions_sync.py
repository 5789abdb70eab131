"""Date exceptions shared by a site's terminals through a real hub over PostgreSQL: one made at a
terminal closes the day at the hub (the web desk's service) and at the other terminals, the
last change wins, and a removal travels the same way."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, time
from pathlib import Path

import psycopg

from kiosk.core.bookings import BookingService
from kiosk.hub.site_rules import SiteRulesCache, booking_service
from tests.hub.booking_terminals import free_slots, kiosk, sync_once
from tests.hub.servers import add_site, make_terminal, threaded_hub


@contextmanager
def hub_service(database_url: str, site: str) -> Iterator[BookingService]:
    """The site's booking service at the hub, as the web desk uses it, in one transaction."""
    with psycopg.connect(database_url) as conn:
        rules = SiteRulesCache().rules(conn, site)
        assert rules is not None
        service, _store = booking_service(conn, site, rules, counted=None)
        yield service


def starts(service: BookingService, device_id: str, day: date) -> list[str]:
    return [slot.start.strftime("%H:%M") for slot in service.free_slots(device_id, day)]


def test_a_terminal_s_closed_day_reaches_the_hub_and_the_other_terminal_and_so_does_its_removal(
    hub_database: str, tmp_path: Path
) -> None:
    add_site(hub_database, "vhs", tmp_path)
    with threaded_hub(hub_database) as hub:
        a = make_terminal(tmp_path, hub_database, hub, "vhs", "vhs-1")
        b = make_terminal(tmp_path, hub_database, hub, "vhs", "vhs-2")
        with kiosk(a) as at_a, kiosk(b) as at_b:
            (slot,) = free_slots(at_a.service, "tablet-1", 30, 1)
            day = slot.start.date()
            anna = at_a.book(slot, "Anna")[1].booking
            assert anna is not None
            open_slots = starts(at_a.service, "tablet-1", day)  # Anna's time taken
            assert open_slots

            exception, affected = at_a.service.add_exception(day, closed=True, note="Training")
            assert [booking.uid for booking in affected] == [anna.uid]
            assert starts(at_a.service, "tablet-1", day) == []
            sync_once(a)

            with hub_service(hub_database, "vhs") as at_hub:
                [there] = at_hub.exceptions(day, day)
                assert (there.closed, there.note) == (True, "Training")
                assert at_hub.free_slots("tablet-1", day) == []
                assert [booking.uid for booking in at_hub.affected_by(there)] == [anna.uid]

            assert at_b.service.exceptions(day, day) == []  # B has not pulled yet
            assert sync_once(b).shared >= 1
            [at_b_exception] = at_b.service.exceptions(day, day)
            assert (at_b_exception.day, at_b_exception.closed) == (day, True)
            assert starts(at_b.service, "tablet-1", day) == []
            assert at_b.service.calendar.closed_reason(day) == "Training"

            # Staff at B shorten the hours instead (a later change): A gets the new hours.
            at_b.service.add_exception(day, closed=False, opens=time(10), closes=time(12))
            sync_once(b)
            sync_once(a)
            [shorter] = at_a.service.exceptions(day, day)
            assert (shorter.id, shorter.closed, shorter.opens, shorter.closes) == (
                exception.id,
                False,
                time(10),
                time(12),
            )
            slots = at_a.service.free_slots("tablet-1", day)
            assert slots[-1].end.time() == time(12)

            # The web desk removes it: both terminals offer the config's hours again.
            with hub_service(hub_database, "vhs") as at_hub:
                [there] = at_hub.exceptions(day, day)
                assert at_hub.remove_exception(there.id)
                assert at_hub.exceptions(day, day) == []
            sync_once(a)
            sync_once(b)
            assert at_a.service.exceptions(day, day) == []
            assert at_b.service.exceptions(day, day) == []
            assert starts(at_b.service, "tablet-1", day) == open_slots


def test_the_web_desk_s_exception_reaches_every_terminal(hub_database: str, tmp_path: Path) -> None:
    add_site(hub_database, "vhs", tmp_path)
    with threaded_hub(hub_database) as hub:
        a = make_terminal(tmp_path, hub_database, hub, "vhs", "vhs-1")
        with kiosk(a) as at_a:
            (slot,) = free_slots(at_a.service, "tablet-1", 30, 1)
            day = slot.start.date()
            with hub_service(hub_database, "vhs") as at_hub:
                made, _affected = at_hub.add_exception(day, closed=True)
                assert at_hub.exceptions(day, day) == [made]
                assert at_hub.free_slots("tablet-1", day) == []
            assert sync_once(a).shared >= 1
            assert [found.day for found in at_a.service.exceptions(day, day)] == [day]
            assert starts(at_a.service, "tablet-1", day) == []
