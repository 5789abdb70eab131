"""Terminals of one site booking through the hub, for the booking tests: a terminal's desk with
its booking service as the kiosk wires them, free slots by today's rules, and the hub's rows."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

import psycopg

from kiosk.config import SiteConfig, load_config
from kiosk.core.bookings import Booking, BookingRequest, BookingService, BookOutcome, Slot
from kiosk.storage.sync_store import SyncStore
from kiosk.sync.client import HubClient, hub_settings
from kiosk.sync.worker import RoundReport, Syncer
from kiosk.terminal import TerminalDesk, make_booking_service, make_usage
from tests.hub.servers import Terminal


@dataclass
class Kiosk:
    """One terminal as the kiosk runs it, without its window: the desk (which asks the hub and
    runs the sync thread, when started) and the booking service over the terminal's database."""

    terminal: Terminal
    config: SiteConfig
    desk: TerminalDesk
    service: BookingService

    def book(
        self, slot: Slot, name: str = "Anna", *, walk_in: bool = False
    ) -> tuple[BookingRequest | None, BookOutcome]:
        """The visitor's path on a joined terminal: checked here, asked of the hub (on the
        kiosk: in a background thread), settled here."""
        checked = self.service.request_booking(
            slot.device_id, slot.start, slot.minutes, name, walk_in=walk_in
        )
        if isinstance(checked, BookOutcome):
            return None, checked
        return checked, self.service.settle_booking(checked, self.desk.book_at_hub(checked))

    def reload(self, booking: Booking) -> Booking:
        """The booking as kept here now (found by its uid: a code may have changed)."""
        return self.by_uid(booking.uid)

    def reload_code(self, code: str) -> Booking:
        found = self.service.booking(code)
        assert found is not None, code
        return found

    def by_uid(self, uid: str) -> Booking:
        today = self.service.today()
        every = self.service.bookings_between(today - timedelta(days=30), today + timedelta(400))
        (found,) = [booking for booking in every if booking.uid == uid]
        return found


@contextmanager
def kiosk(terminal: Terminal, *, sync_thread: bool = False) -> Iterator[Kiosk]:
    """The terminal's desk and booking service as build_app wires them. Without its sync
    thread the test syncs by hand (`sync_once`), so what arrives when is certain."""
    config = load_config(terminal.config)
    desk = TerminalDesk(config, terminal.data_dir)
    desk.open_storage()
    storage = desk.storage
    assert storage is not None, desk.failure
    if sync_thread:
        desk.start_sync()
        assert desk.sync is not None
    else:
        desk.hub = hub_settings(config)
    usage, desk.statistics = make_usage(config, storage)
    desk.usage = usage
    desk.bookings = make_booking_service(config, storage, usage)
    try:
        yield Kiosk(terminal, config, desk, desk.bookings)
    finally:
        desk.stop_sync()
        storage.close()


def sync_once(terminal: Terminal) -> RoundReport:
    """One round of the terminal's sync: push its outbox, pull what changed."""
    settings = hub_settings(load_config(terminal.config))
    with SyncStore.open(terminal.data_dir) as store, HubClient(settings) as client:
        return Syncer(store, client).round()


def free_slots(service: BookingService, device_id: str, minutes: int, count: int) -> list[Slot]:
    """``count`` slots of one device that do not touch each other (with the device's buffer),
    free by today's rules, from two days ahead on (the lead time never matters)."""
    device = service.device(device_id)
    assert device is not None
    chosen: list[Slot] = []
    for ahead in range(2, device.advance_days):
        day = service.today() + timedelta(days=ahead)
        for slot in service.free_slots(device_id, day, minutes):
            if not chosen or slot.start >= chosen[-1].end + device.buffer:
                chosen.append(slot)
                if len(chosen) == count:
                    return chosen
    raise AssertionError(f"not {count} free slots of {device_id} in its booking window")


@dataclass(frozen=True)
class HubRow:
    uid: str
    code: str
    device_id: str
    start: datetime
    status: str
    moved: bool


def hub_bookings(database_url: str) -> list[HubRow]:
    """Every booking the hub keeps, in the order they were made."""
    with psycopg.connect(database_url) as conn:
        rows = conn.execute(
            "SELECT uid, code, device_id, start_ts, status, moved FROM bookings ORDER BY id"
        ).fetchall()
    return [
        HubRow(uid, code, device, datetime.fromtimestamp(start).astimezone(), status, moved)
        for uid, code, device, start, status, moved in rows
    ]


def hub_usage(database_url: str, kind: str) -> int:
    """Usage events of one kind at the hub (sent by terminals or recorded by the hub)."""
    with psycopg.connect(database_url) as conn:
        row = conn.execute("SELECT count(*) FROM usage_events WHERE kind = %s", [kind]).fetchone()
    assert row is not None
    return int(row[0])


def wait_for(condition: Callable[[], bool], timeout_s: float = 10.0) -> float:
    """Seconds until ``condition()`` held; fails after ``timeout_s``."""
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > timeout_s:
            raise AssertionError(f"not within {timeout_s} s")
        time.sleep(0.02)
    return time.monotonic() - started


def set_offline_policy(terminal: Terminal, policy: str) -> None:
    """[bookings] offline_bookings of the terminal's config."""
    text = terminal.config.read_text(encoding="utf-8")
    terminal.config.write_text(
        text.replace("[bookings]\n", f'[bookings]\noffline_bookings = "{policy}"\n', 1),
        encoding="utf-8",
    )


def set_hub(terminal: Terminal, *, url: str | None = None, timeout_s: float | None = None) -> None:
    """Keys of the [hub] section (the last section of a test terminal's config)."""
    head, hub = terminal.config.read_text(encoding="utf-8").rsplit("[hub]\n", 1)
    lines = hub.splitlines()
    for key, value in (("url", url), ("timeout_s", timeout_s)):
        if value is not None:
            lines = [line for line in lines if not line.startswith(f"{key} =")]
            lines.append(f'{key} = "{value}"' if isinstance(value, str) else f"{key} = {value}")
    terminal.config.write_text(head + "[hub]\n" + "\n".join(lines) + "\n", encoding="utf-8")
