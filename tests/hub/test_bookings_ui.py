"""The visitor's and the staff's screens of terminals joined to a real hub: a booking confirmed by
the hub, "just taken" with the hub's free times, a provisional booking while the hub is down or
silent (the screen keeps running and a wipe shows nothing), the desk sent to the desk by the
"refuse" policy, and two terminals that booked the same time offline: one conflict on the desk
and in "My booking", moved in one tap and confirmed by the hub."""

from __future__ import annotations

import socket
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import psycopg
import pytest
from PySide6.QtCore import QCoreApplication, QElapsedTimer, Qt, QThreadPool, QTimer
from pytestqt.qtbot import QtBot

from kiosk.app import KioskApp
from kiosk.config import load_config
from kiosk.core.bookings import (
    BookingRequest,
    BookingService,
    BookingStatus,
    SharedBooking,
    Slot,
)
from kiosk.core.resume_codes import generate_code
from kiosk.core.session import EndReason
from kiosk.sync.client import ask_to_book, hub_settings
from kiosk.ui.bookings.device_list import View
from kiosk.ui.bookings.lookup import Step
from kiosk.ui.bookings.screen import BookingScreen, Page
from kiosk.ui.shell.screens import Screen
from kiosk.ui.staff.desk import StaffBookingsScreen
from tests.hub.servers import HubProcess, Terminal, add_site, make_terminal, threaded_hub
from tests.ui.layout_checks import clipped_texts
from tests.ui.running_app import shown_kiosk

pytestmark = pytest.mark.gui
NOWHERE = "http://127.0.0.1:9/"  # nothing listens there: a connection is refused at once


@dataclass(frozen=True)
class HubRow:
    uid: str
    code: str
    device_id: str
    start_ts: int
    status: str
    moved: bool


def hub_rows(database_url: str) -> list[HubRow]:
    """Every booking the hub keeps, in the order they were made."""
    with psycopg.connect(database_url) as conn:
        rows = conn.execute(
            "SELECT uid, code, device_id, start_ts, status, moved FROM bookings ORDER BY id"
        ).fetchall()
    return [HubRow(*row) for row in rows]


def service_of(kiosk: KioskApp) -> BookingService:
    service = kiosk.window.bookings
    assert service is not None and service.joined
    return service


def free_slot(service: BookingService, device_id: str = "tablet-1", minutes: int = 15) -> Slot:
    """A free slot of the device by today's rules, two days ahead or later (no lead time can
    refuse it, whenever the test runs)."""
    device = service.device(device_id)
    assert device is not None
    for ahead in range(2, device.advance_days):
        slots = service.free_slots(device_id, service.today() + timedelta(days=ahead), minutes)
        if slots:
            return slots[0]
    raise AssertionError(f"no free slot of {device_id} in its booking window")


def booking_screen(kiosk: KioskApp, language: str = "en") -> BookingScreen:
    kiosk.window.start_session(language)
    kiosk.window.show_screen(Screen.TRY_DEVICE)
    screen = kiosk.window.screen_widget(Screen.TRY_DEVICE)
    assert isinstance(screen, BookingScreen)
    return screen


def confirm(qtbot: QtBot, screen: BookingScreen, slot: Slot, name: str) -> None:
    """The visitor's last two touches: the name, then "Confirm booking"."""
    screen.open_slot(slot)
    assert screen.page is Page.CONFIRM
    screen.confirm_page.name.setText(name)
    qtbot.mouseClick(screen.confirm_page.confirm_button, Qt.MouseButton.LeftButton)


def set_offline_policy(terminal: Terminal, policy: str) -> None:
    text = terminal.config.read_text(encoding="utf-8")
    assert "\n[bookings]\n" in text
    terminal.config.write_text(
        text.replace("\n[bookings]\n", f'\n[bookings]\noffline_bookings = "{policy}"\n'),
        encoding="utf-8",
    )


@contextmanager
def silent_hub() -> Iterator[str]:
    """An address that takes connections and never answers: a hub hanging on a busy database.
    The terminal waits its whole [hub] timeout_s (2 s here) for a booking."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(16)  # connections wait in the backlog; nobody ever reads them
        yield f"http://127.0.0.1:{server.getsockname()[1]}"


def test_a_booking_confirmed_by_the_hub(qtbot: QtBot, hub_database: str, tmp_path: Path) -> None:
    add_site(hub_database, "vhs", tmp_path)
    with threaded_hub(hub_database) as url:
        terminal = make_terminal(tmp_path, hub_database, url, "vhs", "vhs-1")
        with shown_kiosk(qtbot, load_config(terminal.config), terminal.data_dir) as kiosk:
            service = service_of(kiosk)
            slot = free_slot(service)
            screen = booking_screen(kiosk)
            confirm(qtbot, screen, slot, "Anna")
            page = screen.confirm_page
            assert page.waiting and page.busy.isVisible()
            assert not page.confirm_button.isEnabled()
            qtbot.waitUntil(lambda: screen.page is Page.BOOKED, timeout=10_000)
            booked = screen.booked_page
            assert booked.title.text() == "Booked!"
            assert not booked.pending.isVisible()
            booking = booked.booking
            assert booking is not None and booking.status is BookingStatus.CONFIRMED
            (row,) = hub_rows(hub_database)
            # The code the visitor takes away is the one the hub keeps.
            assert (row.uid, row.code, row.status) == (booking.uid, booking.code, "confirmed")
            assert booked.code_label.text() == booking.printed_code
            assert not any("provisional" in line for line in booked.slip().lines)  # type: ignore[union-attr]


def test_the_hub_gives_the_time_to_another_terminal_first(
    qtbot: QtBot, hub_database: str, tmp_path: Path
) -> None:
    add_site(hub_database, "vhs", tmp_path)
    with threaded_hub(hub_database) as url:
        a = make_terminal(tmp_path, hub_database, url, "vhs", "vhs-1")
        b = make_terminal(tmp_path, hub_database, url, "vhs", "vhs-2")
        with shown_kiosk(qtbot, load_config(b.config), b.data_dir) as kiosk:
            kiosk.desk.stop_sync()  # B does not hear of A's booking before its visitor confirms
            service = service_of(kiosk)
            slot = free_slot(service)
            screen = booking_screen(kiosk)
            screen.open_slot(slot)
            # Meanwhile a visitor at terminal A books the same time.
            first = ask_to_book(
                hub_settings(load_config(a.config)),
                BookingRequest(
                    uid=uuid.uuid4().hex,
                    code=generate_code(length=6),
                    device_id=slot.device_id,
                    start=slot.start,
                    minutes=slot.minutes,
                    name="Olena",
                ),
            )
            assert isinstance(first, SharedBooking)
            confirm(qtbot, screen, slot, "Anna")
            page = screen.confirm_page
            qtbot.waitUntil(lambda: not page.waiting, timeout=10_000)
            assert screen.page is Page.CONFIRM
            assert page.refusal.text() == "Just taken: someone else booked this slot a moment ago."
            assert page.alternatives_title.isVisible() and page.alternative_buttons
            offered = [button.slot for button in page.alternative_buttons]  # type: ignore[attr-defined]
            assert slot not in offered and all(s.start >= slot.start for s in offered)
            assert [row.uid for row in hub_rows(hub_database)] == [first.uid]
            assert service.day(slot.start.date()) == []  # nothing kept here for Anna
            # One tap on the hub's next free time, and it is booked.
            qtbot.mouseClick(page.alternative_buttons[0], Qt.MouseButton.LeftButton)
            qtbot.mouseClick(page.confirm_button, Qt.MouseButton.LeftButton)
            qtbot.waitUntil(lambda: screen.page is Page.BOOKED, timeout=10_000)
            booking = screen.booked_page.booking
            assert booking is not None and booking.status is BookingStatus.CONFIRMED
            assert booking.start == offered[0].start


def test_while_the_hub_is_down_the_booking_is_provisional_on_screen_and_slip(
    qtbot: QtBot, hub_database: str, tmp_path: Path
) -> None:
    add_site(hub_database, "vhs", tmp_path)
    terminal = make_terminal(tmp_path, hub_database, NOWHERE, "vhs", "vhs-1")
    with shown_kiosk(qtbot, load_config(terminal.config), terminal.data_dir) as kiosk:
        service = service_of(kiosk)
        slot = free_slot(service)
        screen = booking_screen(kiosk, "de")
        confirm(qtbot, screen, slot, "Anna")
        qtbot.waitUntil(lambda: screen.page is Page.BOOKED, timeout=10_000)
        booked = screen.booked_page
        assert booked.title.text() == "Vorläufig gebucht"
        assert booked.pending.text().startswith(
            "Ihre Buchung ist vorläufig: Dieser Kiosk ist gerade offline."
        )
        assert booked.booking is not None
        assert booked.booking.status is BookingStatus.PROVISIONAL
        slip = booked.slip()
        assert slip is not None
        assert any(line.startswith("Ihre Buchung ist vorläufig") for line in slip.lines)
        kiosk.window.set_language("en")
        assert booked.title.text() == "Booked provisionally"
        assert clipped_texts(kiosk.window) == []
        # "My booking" says the same until the hub has taken it.
        screen.open_lookup()
        screen.lookup_page.field.setText(booked.booking.printed_code)
        screen.lookup_page.submit()
        assert screen.lookup_page.status.text() == "Status: Booked, not yet confirmed"


def test_the_refuse_policy_sends_the_visitor_to_the_desk(
    qtbot: QtBot, hub_database: str, tmp_path: Path
) -> None:
    add_site(hub_database, "vhs", tmp_path)
    terminal = make_terminal(tmp_path, hub_database, NOWHERE, "vhs", "vhs-1")
    set_offline_policy(terminal, "refuse")
    with shown_kiosk(qtbot, load_config(terminal.config), terminal.data_dir) as kiosk:
        service = service_of(kiosk)
        slot = free_slot(service)
        screen = booking_screen(kiosk)
        confirm(qtbot, screen, slot, "Anna")
        page = screen.confirm_page
        qtbot.waitUntil(lambda: not page.waiting, timeout=10_000)
        assert screen.page is Page.CONFIRM
        assert page.refusal.text() == (
            "Bookings need the network at the moment. Please ask at the desk."
        )
        assert service.day(slot.start.date()) == []


def test_the_wait_for_a_silent_hub_keeps_the_screen_alive_and_a_wipe_drops_the_answer(
    qtbot: QtBot, hub_database: str, tmp_path: Path
) -> None:
    add_site(hub_database, "vhs", tmp_path)
    with silent_hub() as url:
        terminal = make_terminal(tmp_path, hub_database, url, "vhs", "vhs-1")
        with shown_kiosk(qtbot, load_config(terminal.config), terminal.data_dir) as kiosk:
            service = service_of(kiosk)
            slot = free_slot(service)
            screen = booking_screen(kiosk)
            gaps: list[int] = []
            clock = QElapsedTimer()
            ticker = QTimer()
            ticker.setInterval(10)
            ticker.timeout.connect(lambda: gaps.append(clock.restart()))
            clock.start()
            ticker.start()
            confirm(qtbot, screen, slot, "Anna")
            page = screen.confirm_page
            assert page.waiting
            qtbot.waitUntil(lambda: screen.page is Page.BOOKED, timeout=15_000)
            ticker.stop()
            # About two seconds of waiting for the hub; the event loop went on all the while.
            assert sum(gaps) >= 1500 and len(gaps) >= 50, (sum(gaps), len(gaps))
            assert max(gaps[1:]) < 250, max(gaps[1:])
            assert screen.booked_page.booking is not None
            assert screen.booked_page.booking.status is BookingStatus.PROVISIONAL

            # The next visitor confirms, and the session is wiped before the hub answers.
            screen.booked_page.done_button.click()
            screen = booking_screen(kiosk)
            other = free_slot(service, "tablet-2")
            confirm(qtbot, screen, other, "Bert")
            assert screen.confirm_page.waiting
            kiosk.window.end_session(EndReason.IDLE)
            assert kiosk.window.current_screen is Screen.ATTRACT
            pool = QThreadPool.globalInstance()
            qtbot.waitUntil(lambda: pool.activeThreadCount() == 0, timeout=15_000)
            QCoreApplication.processEvents()
            screen = booking_screen(kiosk)
            assert screen.page is Page.LIST
            assert screen.booked_page.booking is None
            assert not screen.confirm_page.busy.isVisible()
            # Bert left without a booking: no provisional one holds the time for nobody.
            assert [
                b.name for b in service.day(other.start.date()) if b.device_id == "tablet-2"
            ] == []


def test_two_terminals_booked_the_same_time_offline_one_conflict_moved_on_the_desk(
    qtbot: QtBot, hub_database: str, tmp_path: Path
) -> None:
    add_site(hub_database, "vhs", tmp_path)
    hub = HubProcess(hub_database, tmp_path / "hub.log")  # its address is fixed; down for now
    a = make_terminal(tmp_path, hub_database, hub.url, "vhs", "vhs-1")
    b = make_terminal(tmp_path, hub_database, hub.url, "vhs", "vhs-2")
    # Both terminals book the same slot while the hub is down: provisional on each.
    booked: dict[str, tuple[str, str, datetime]] = {}
    for terminal, name in ((a, "Anna"), (b, "Bert")):
        with shown_kiosk(qtbot, load_config(terminal.config), terminal.data_dir) as kiosk:
            service = service_of(kiosk)
            slot = free_slot(service)
            screen = booking_screen(kiosk)
            confirm(qtbot, screen, slot, name)
            qtbot.waitUntil(lambda s=screen: s.page is Page.BOOKED, timeout=10_000)  # type: ignore[misc]
            booking = screen.booked_page.booking
            assert booking is not None and booking.status is BookingStatus.PROVISIONAL
            booked[terminal.name] = (booking.uid, booking.code, booking.start)
    assert booked["vhs-1"][2] == booked["vhs-2"][2]

    with hub:
        # A sends its booking first: the hub confirms it.
        with shown_kiosk(qtbot, load_config(a.config), a.data_dir) as kiosk:
            sync = kiosk.desk.sync
            assert sync is not None
            sync.wake()
            qtbot.waitUntil(
                lambda: sync.status().state == "online" and sync.status().backlog == 0,
                timeout=20_000,
            )
        # B sends its booking second: a conflict, shown on B's desk and in B's "My booking".
        with shown_kiosk(qtbot, load_config(b.config), b.data_dir) as kiosk:
            service = service_of(kiosk)
            uid, code, _start = booked["vhs-2"]
            sync = kiosk.desk.sync
            assert sync is not None
            sync.wake()

            def status() -> BookingStatus | None:
                found = service.booking(code)
                return None if found is None else found.status

            qtbot.waitUntil(lambda: status() is BookingStatus.CONFLICT, timeout=20_000)
            statuses = sorted(row.status for row in hub_rows(hub_database))
            assert statuses == ["confirmed", "conflict"]

            screen = booking_screen(kiosk)
            screen.open_lookup()
            screen.lookup_page.field.setText(code)
            screen.lookup_page.submit()
            assert screen.lookup_page.step is Step.SHOWN
            assert screen.lookup_page.status.text() == "Status: Needs a new slot"
            assert screen.lookup_page.news.text().startswith(
                "This kiosk was offline when you booked."
            )

            window = kiosk.window
            window.enter_staff_mode()
            window.set_language("en")
            # The terminal overview says it first, beside the state of the city network.
            home = window.screen_widget(Screen.STAFF_HOME)
            assert home.conflicts.isVisible()  # type: ignore[attr-defined]
            assert home.hub.isVisible()  # type: ignore[attr-defined]
            for language in ("de", "ar", "en"):
                window.set_language(language)
                assert clipped_texts(window) == [], language
            window.show_screen(Screen.STAFF_BOOKINGS)
            desk = window.screen_widget(Screen.STAFF_BOOKINGS)
            assert isinstance(desk, StaffBookingsScreen)
            assert desk.conflict_bar.isVisible()
            qtbot.mouseClick(desk.conflict_bar, Qt.MouseButton.LeftButton)
            (card,) = desk.conflicts.cards.values()
            new_time = card.choices.slots[0]
            qtbot.mouseClick(card.choices.buttons[0], Qt.MouseButton.LeftButton)
            # The move goes to the hub at once; the hub takes it and the desk shows it confirmed.
            qtbot.waitUntil(lambda: status() is BookingStatus.CONFIRMED, timeout=20_000)
            assert not desk.conflict_bar.isVisible()
            moved = service.booking(code)
            assert moved is not None and moved.moved and moved.start == new_time.start
            row = next(r for r in hub_rows(hub_database) if r.uid == uid)
            assert (row.code, row.status, row.moved) == (code, "confirmed", True)
            assert row.start_ts == int(new_time.start.timestamp())


def test_a_time_booked_at_another_terminal_leaves_the_free_times_shown_here(
    qtbot: QtBot, hub_database: str, tmp_path: Path
) -> None:
    """A visitor at B looks at the free times while a visitor at A books one of them: within
    seconds, without a tap at B, that time is no longer offered there."""
    add_site(hub_database, "vhs", tmp_path)
    with threaded_hub(hub_database) as url:
        a = make_terminal(tmp_path, hub_database, url, "vhs", "vhs-1")
        b = make_terminal(tmp_path, hub_database, url, "vhs", "vhs-2")
        with shown_kiosk(qtbot, load_config(b.config), b.data_dir) as kiosk:
            service = service_of(kiosk)
            slot = free_slot(service)
            screen = booking_screen(kiosk)
            page = screen.list_page
            page.choose_view(View.DAY, slot.start.date())

            def offered() -> bool:
                return slot in page._free.get(slot.device_id, [])

            assert offered()
            booked = ask_to_book(
                hub_settings(load_config(a.config)),
                BookingRequest(
                    uid=uuid.uuid4().hex,
                    code=generate_code(length=6),
                    device_id=slot.device_id,
                    start=slot.start,
                    minutes=slot.minutes,
                    name="Olena",
                ),
            )
            assert isinstance(booked, SharedBooking)
            qtbot.waitUntil(lambda: not offered(), timeout=15_000)
            assert screen.page is Page.LIST and page.view is View.DAY  # the visitor's view kept


class DribblingHub:
    """A hub that answers one byte at a time: each read of the client is quick, so no timeout
    of the HTTP client ends the wait. Only the visitor's deadline does."""

    def __init__(self) -> None:
        self._server = socket.socket()
        self._server.bind(("127.0.0.1", 0))
        self._server.listen(4)
        self._server.settimeout(0.2)
        self.url = f"http://127.0.0.1:{self._server.getsockname()[1]}"
        self.sending = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self._server.accept()
            except TimeoutError:
                continue
            with connection:
                connection.recv(65536)
                self.sending.set()
                for byte in b"HTTP/1.1 200 OK\r\n" * 40:  # about half a minute of it
                    if self._stop.wait(0.05):
                        break
                    try:
                        connection.sendall(bytes([byte]))
                    except OSError:
                        break
                self.sending.clear()

    def __enter__(self) -> DribblingHub:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join(5)
        self._server.close()


def test_a_hub_that_answers_a_byte_at_a_time_does_not_hold_the_visitor(
    qtbot: QtBot, hub_database: str, tmp_path: Path
) -> None:
    add_site(hub_database, "vhs", tmp_path)
    with DribblingHub() as hub:
        terminal = make_terminal(tmp_path, hub_database, hub.url, "vhs", "vhs-1")
        with shown_kiosk(qtbot, load_config(terminal.config), terminal.data_dir) as kiosk:
            service = service_of(kiosk)
            slot = free_slot(service)
            screen = booking_screen(kiosk)
            confirm(qtbot, screen, slot, "Anna")
            assert screen.confirm_page.waiting
            qtbot.waitUntil(lambda: screen.page is Page.BOOKED, timeout=15_000)
            # The hub is still sending its answer: the visitor did not wait for it to end.
            assert hub.sending.is_set()
            booking = screen.booked_page.booking
            assert booking is not None and booking.status is BookingStatus.PROVISIONAL
    pool = QThreadPool.globalInstance()
    qtbot.waitUntil(lambda: pool.activeThreadCount() == 0, timeout=15_000)
