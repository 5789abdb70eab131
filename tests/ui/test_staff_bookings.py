"""The staff desk for bookings as staff use it: scan to check in, no-shows, walk-ins, approvals,
moves, cancellations, device states and exports, on a real database and a clock the test moves."""

from __future__ import annotations

import csv
import stat
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QLabel, QPushButton
from pytestqt.qtbot import QtBot

from kiosk import resources
from kiosk.app import KioskApp
from kiosk.config import SiteConfig, load_config
from kiosk.core.bookings import (
    Booking,
    BookingService,
    BookingStatus,
    DeviceStatus,
    device_policies,
    site_calendar,
)
from kiosk.core.i18n import Translator, format_time
from kiosk.core.resume_codes import format_code, generate_code
from kiosk.storage.drives import ExportPlaces
from kiosk.ui import theme
from kiosk.ui.parts import desk_style
from kiosk.ui.shell.screens import Screen
from kiosk.ui.staff import paint as staff_paint
from kiosk.ui.staff.desk import StaffBookingsScreen
from tests.ui.layout_checks import clipped_texts
from tests.ui.running_app import shown_kiosk

BERLIN = ZoneInfo("Europe/Berlin")
TUESDAY = datetime(2026, 12, 1, 9, 0, tzinfo=BERLIN)  # demo hours: 10:00-13:00, 14:00-18:00


def at(hour: int, minute: int = 0) -> datetime:
    return TUESDAY.replace(hour=hour, minute=minute)


@dataclass
class Clock:
    """The time the booking service sees; tests move it."""

    now: datetime = TUESDAY

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Desk:
    kiosk: KioskApp
    service: BookingService
    clock: Clock
    screen: StaffBookingsScreen

    def book(self, device: str, start: datetime, minutes: int, name: str) -> Booking:
        outcome = self.service.book(device, start, minutes, name)
        assert outcome.booking is not None, outcome
        return outcome.booking

    def status(self, booking: Booking) -> BookingStatus:
        found = self.service.booking(booking.code)
        assert found is not None
        return found.status


@pytest.fixture
def export_folder(tmp_path: Path) -> Path:
    """The folder `[storage] export_folder` names (outside the data folder)."""
    folder = tmp_path / "export-folder"
    folder.mkdir()
    return folder


@pytest.fixture
def site(export_folder: Path) -> SiteConfig:
    demo = load_config(resources.DEMO_CONFIG)
    return replace(demo, storage=replace(demo.storage, export_folder=str(export_folder)))


@pytest.fixture
def kiosk(
    qtbot: QtBot, site: SiteConfig, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[KioskApp]:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    with shown_kiosk(qtbot, site, data_dir) as app:
        yield app


@pytest.fixture
def desk(kiosk: KioskApp, site: SiteConfig) -> Desk:
    """The bookings of the demo site on a clock the test moves, and the desk screen for them."""
    storage = kiosk.desk.storage
    assert storage is not None
    clock = Clock()
    service = BookingService(
        storage.bookings,
        device_policies(site),
        site_calendar(site),
        storage.settings,
        clock=clock,
        no_show_minutes=site.bookings.no_show_minutes,
    )
    kiosk.window.attach_bookings(service)
    kiosk.desk.bookings = service  # the app's own no-show timer uses the same clock
    screen = kiosk.window.screen_widget(Screen.STAFF_BOOKINGS)
    assert isinstance(screen, StaffBookingsScreen)
    return Desk(kiosk, service, clock, screen)


def open_desk(desk: Desk, language: str = "en") -> StaffBookingsScreen:
    window = desk.kiosk.window
    window.enter_staff_mode()
    window.set_language(language)
    window.show_screen(Screen.STAFF_BOOKINGS)
    assert window.current_screen is Screen.STAFF_BOOKINGS
    return desk.screen


def tap(qtbot: QtBot, widget: QPushButton) -> None:
    assert widget.isVisible(), widget.objectName()
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def tap_block(qtbot: QtBot, screen: StaffBookingsScreen, booking: Booking) -> None:
    rect = screen.timeline.block_rect(booking.id)
    assert not rect.isEmpty()
    qtbot.mouseClick(screen.timeline, Qt.MouseButton.LeftButton, pos=rect.center())
    assert screen.panel == "booking"


def scan(qtbot: QtBot, screen: StaffBookingsScreen, text: str) -> None:
    """What a USB scanner does: type the code, then Enter."""
    qtbot.keyClicks(screen.bar.code_field, text)
    qtbot.keyClick(screen.bar.code_field, Qt.Key.Key_Return)


# -- check-in ------------------------------------------------------------------------------


def test_scanning_a_code_checks_in_and_the_field_is_ready_for_the_next(
    qtbot: QtBot, desk: Desk
) -> None:
    anna = desk.book("tablet-1", at(10), 30, "Anna")
    desk.clock.now = at(9, 55)
    screen = open_desk(desk)
    assert screen.bar.code_field.hasFocus()
    scan(qtbot, screen, anna.printed_code.lower())
    assert desk.status(anna) is BookingStatus.CHECKED_IN
    assert screen.bar.feedback.property("tone") == "ok"
    text = screen.bar.feedback.text()
    assert "Checked in" in text and "Anna" in text and "Android tablet" in text
    assert "10:00" in text
    assert screen.bar.code_field.text() == "" and screen.bar.code_field.hasFocus()
    # In use now: the device must be wiped before visitors get it again.
    assert desk.service.status_of("tablet-1") is DeviceStatus.NEEDS_WIPING
    assert screen.timeline.block(anna.id).status is BookingStatus.CHECKED_IN  # type: ignore[union-attr]
    scan(qtbot, screen, anna.printed_code)
    assert screen.bar.feedback.property("tone") == "warn"
    assert "Already checked in" in screen.bar.feedback.text()


def test_a_wrong_or_unknown_code_gets_a_clear_red_answer(qtbot: QtBot, desk: Desk) -> None:
    desk.book("tablet-1", at(10), 30, "Anna")
    screen = open_desk(desk)
    scan(qtbot, screen, "hello")
    assert screen.bar.feedback.property("tone") == "error"
    assert "is not a booking code" in screen.bar.feedback.text()
    assert "K7P-MR3" in screen.bar.feedback.text()  # what a code looks like
    unknown = generate_code(length=6)
    scan(qtbot, screen, unknown)
    assert screen.bar.feedback.property("tone") == "error"
    shown = screen.bar.feedback.text().replace("\u2066", "").replace("\u2069", "")  # bidi isolates
    assert f"No booking has the code {format_code(unknown)}." in shown
    assert screen.bar.code_field.text() == ""


def test_check_in_too_early_or_pending_says_why(qtbot: QtBot, desk: Desk) -> None:
    later = desk.book("tablet-1", at(15), 30, "Olena")
    vr = desk.book("vr-1", at(11), 30, "Mehmet")
    screen = open_desk(desk)
    scan(qtbot, screen, later.printed_code)
    assert "Too early" in screen.bar.feedback.text()
    assert "60 minutes before the start" in screen.bar.feedback.text()
    scan(qtbot, screen, vr.printed_code)
    assert screen.bar.feedback.property("tone") == "error"
    assert "Not approved yet" in screen.bar.feedback.text()
    # The pending booking is opened beside the timeline, ready to approve.
    assert screen.panel == "booking" and screen.booking_panel.approve.isVisible()
    assert desk.status(later) is BookingStatus.CONFIRMED


def test_a_scanner_typing_while_something_else_has_focus_still_checks_in(
    qtbot: QtBot, desk: Desk
) -> None:
    anna = desk.book("tablet-1", at(10), 30, "Anna")
    desk.clock.now = at(10, 2)
    screen = open_desk(desk)
    tap_block(qtbot, screen, anna)  # staff tapped the timeline; focus left the field
    screen.timeline.setFocus()
    qtbot.keyClicks(screen.timeline, anna.printed_code)
    qtbot.keyClick(screen.bar.code_field, Qt.Key.Key_Return)
    assert desk.status(anna) is BookingStatus.CHECKED_IN


# -- no-shows and refresh ------------------------------------------------------------------


def test_a_no_show_released_by_the_clock_shows_after_the_next_refresh(
    qtbot: QtBot, desk: Desk
) -> None:
    late = desk.book("tablet-1", at(10), 30, "Karl")
    desk.clock.now = at(10, 5)
    screen = open_desk(desk)
    assert screen.timeline.block(late.id).status is BookingStatus.CONFIRMED  # type: ignore[union-attr]
    assert screen.refresh_timer.isActive()  # the screen reads again while it is shown
    desk.clock.now = at(10, 16)  # 15 minutes after the start nobody has checked in
    screen.refresh_timer.setInterval(20)
    qtbot.waitUntil(
        lambda: screen.timeline.block(late.id).status is BookingStatus.NO_SHOW,  # type: ignore[union-attr]
        timeout=2000,
    )
    assert desk.status(late) is BookingStatus.NO_SHOW
    assert any("No-show" in line for line in screen.agenda.entry_texts())
    scan(qtbot, screen, late.printed_code)
    assert "released as a no-show" in screen.bar.feedback.text()
    desk.kiosk.window.show_screen(Screen.STAFF_HOME)
    assert not screen.refresh_timer.isActive()


# -- walk-ins ------------------------------------------------------------------------------


def test_a_walk_in_gets_the_slot_running_now_and_a_code(qtbot: QtBot, desk: Desk) -> None:
    desk.clock.now = at(10, 7)
    screen = open_desk(desk)
    tap(qtbot, screen.bar.walk_in_button)
    assert screen.panel == "walk_in"
    walk_in = screen.walk_in
    tap(qtbot, walk_in.device_buttons["tablet-2"])
    assert walk_in.device is not None and walk_in.device.id == "tablet-2"
    # The slot that started at 10:00 can still be given away (walk-ins: one step back).
    assert walk_in.chosen_start == at(10)
    assert walk_in.start_buttons[0].text() == f"Now, {format_time(at(10), 'en')}"
    tap(qtbot, walk_in.book_button)  # no name typed: a neutral word is stored
    booked = [b for b in desk.service.day(at(10).date()) if b.walk_in]
    assert len(booked) == 1
    walk = booked[0]
    assert walk.device_id == "tablet-2" and walk.start == at(10)
    assert walk.name == "Walk-in" and walk.status is BookingStatus.CONFIRMED
    assert screen.panel == "booking"
    assert screen.booking_panel.code.text() == walk.printed_code
    assert walk.printed_code in screen.booking_panel.message.text()


def test_a_walk_in_with_a_name_and_a_longer_slot(qtbot: QtBot, desk: Desk) -> None:
    anna = desk.book("tablet-1", at(10), 30, "Anna")
    desk.clock.now = at(10)
    desk.service.check_in(anna.printed_code)
    desk.service.mark_wiped("tablet-1")  # wiped in advance: the next visitor may follow
    desk.clock.now = at(10, 20)
    screen = open_desk(desk)
    screen.show_device("tablet-1")
    tap(qtbot, screen.device_panel.walk_in)
    walk_in = screen.walk_in
    # Anna's slot and its turnaround come first: the next start is 10:45.
    assert walk_in.chosen_start == at(10, 45)
    thirty = walk_in.length_group.button(30)
    tap(qtbot, thirty)
    qtbot.keyClicks(walk_in.name, "  Fatima ")
    qtbot.keyClick(walk_in.name, Qt.Key.Key_Return)
    walk = next(b for b in desk.service.day(at(10).date()) if b.walk_in)
    assert (walk.name, walk.end - walk.start) == ("Fatima", timedelta(minutes=30))


def test_a_device_still_holding_data_offers_no_walk_in_until_wiped(
    qtbot: QtBot, desk: Desk
) -> None:
    anna = desk.book("tablet-1", at(10), 15, "Anna")
    desk.clock.now = at(10)
    desk.service.check_in(anna.printed_code)
    desk.clock.now = at(10, 20)
    screen = open_desk(desk)
    screen.open_walk_in("tablet-1")
    walk_in = screen.walk_in
    assert walk_in.start_buttons == [] and walk_in.wiped.isVisible()
    assert not walk_in.book_button.isEnabled()
    tap(qtbot, walk_in.wiped)
    assert desk.service.status_of("tablet-1") is DeviceStatus.AVAILABLE
    assert walk_in.chosen_start is not None and walk_in.book_button.isEnabled()


# -- actions on a booking ------------------------------------------------------------------


def test_cancel_asks_first_and_frees_the_slot(qtbot: QtBot, desk: Desk) -> None:
    anna = desk.book("tablet-1", at(11), 30, "Anna")
    screen = open_desk(desk)
    tap_block(qtbot, screen, anna)
    panel = screen.booking_panel
    cancelling = panel.cancelling
    tap(qtbot, cancelling.cancel)
    assert cancelling.question.isVisible() and not cancelling.cancel.isVisible()
    tap(qtbot, cancelling.no)
    assert desk.status(anna) is BookingStatus.CONFIRMED
    assert cancelling.cancel.isVisible() and not cancelling.question.isVisible()
    tap(qtbot, cancelling.cancel)
    tap(qtbot, cancelling.yes)
    assert desk.status(anna) is BookingStatus.CANCELLED
    assert "Cancelled" in panel.message.text() and panel.status.text() == "Cancelled"
    assert not cancelling.isVisible() and not panel.check_in.isVisible()
    assert screen.timeline.block(anna.id).status is BookingStatus.CANCELLED  # type: ignore[union-attr]


def test_approve_a_pending_vr_booking(qtbot: QtBot, desk: Desk) -> None:
    vr = desk.book("vr-1", at(11), 30, "Mehmet")
    assert vr.status is BookingStatus.PENDING
    screen = open_desk(desk)
    assert "1 waiting for approval" in screen.agenda.summary.text()
    tap_block(qtbot, screen, vr)
    panel = screen.booking_panel
    assert panel.status.text() == "Waiting for approval" and not panel.check_in.isVisible()
    tap(qtbot, panel.approve)
    assert desk.status(vr) is BookingStatus.CONFIRMED
    assert panel.check_in.isVisible() and not panel.approve.isVisible()
    assert "Approved" in panel.message.text()


def test_move_to_the_other_tablet_and_a_refused_move_says_why(qtbot: QtBot, desk: Desk) -> None:
    anna = desk.book("tablet-1", at(11), 30, "Anna")
    screen = open_desk(desk)
    tap_block(qtbot, screen, anna)
    panel = screen.booking_panel
    assert list(panel.move_buttons) == ["tablet-2"]  # same kind only
    tap(qtbot, panel.move_buttons["tablet-2"])
    moved = desk.service.booking(anna.code)
    assert moved is not None and moved.device_id == "tablet-2"
    assert panel.message.text().endswith("Moved to iPad.")
    assert screen.timeline.block(anna.id).device_id == "tablet-2"  # type: ignore[union-attr]
    desk.book("tablet-1", at(11), 30, "Olena")  # the first tablet is now taken at that time
    tap(qtbot, panel.move_buttons["tablet-1"])
    assert "Cannot move to Android tablet" in panel.message.text()
    assert "already booked at this time" in panel.message.text()
    assert desk.service.booking(anna.code).device_id == "tablet-2"  # type: ignore[union-attr]


# -- device states ---------------------------------------------------------------------------


def test_marking_a_device_broken_lists_who_is_affected_and_hides_it(
    qtbot: QtBot, desk: Desk
) -> None:
    anna = desk.book("tablet-1", at(11), 30, "Anna")
    screen = open_desk(desk)
    qtbot.mouseClick(
        screen.timeline,
        Qt.MouseButton.LeftButton,
        pos=screen.timeline.row_rect("tablet-1").center(),
    )
    assert screen.panel == "device"
    panel = screen.device_panel
    tap(qtbot, panel.broken)
    assert desk.service.status_of("tablet-1") is DeviceStatus.BROKEN
    assert "tablet-1" not in [d.id for d in desk.service.visitor_devices()]
    assert "1 upcoming booking is affected" in panel.message.text()
    assert panel.upcoming_title.text().startswith("Affected bookings")
    [affected] = panel.upcoming_buttons
    assert "Anna" in affected.label.text() and anna.printed_code in affected.label.text()  # type: ignore[attr-defined]
    tap(qtbot, affected)  # straight to the booking, to call or move the visitor
    assert screen.panel == "booking" and screen.booking_panel.booking.id == anna.id  # type: ignore[union-attr]
    screen.show_device("tablet-1")
    tap(qtbot, panel.available)
    assert desk.service.status_of("tablet-1") is DeviceStatus.AVAILABLE
    assert "tablet-1" in [d.id for d in desk.service.visitor_devices()]


def test_in_repair_and_mark_wiped(qtbot: QtBot, desk: Desk) -> None:
    anna = desk.book("phone-1", at(10), 15, "Anna")
    desk.clock.now = at(10, 1)
    desk.service.check_in(anna.printed_code)
    desk.clock.now = at(10, 20)  # Anna is done
    screen = open_desk(desk)
    screen.show_device("phone-1")
    panel = screen.device_panel
    assert panel.state.text() == "Status: Needs wiping"
    tap(qtbot, panel.wiped)
    assert desk.service.status_of("phone-1") is DeviceStatus.AVAILABLE
    assert not panel.wiped.isVisible()
    tap(qtbot, panel.in_repair)
    assert desk.service.status_of("phone-1") is DeviceStatus.IN_REPAIR
    assert "No upcoming bookings are affected." in panel.upcoming_title.text()
    row = next(r for r in screen.timeline.day.rows if r.device_id == "phone-1")
    assert row.badge == "In repair"


# -- week view -------------------------------------------------------------------------------


def test_week_view_counts_bookings_and_a_tap_opens_the_day(qtbot: QtBot, desk: Desk) -> None:
    desk.book("tablet-1", at(10), 30, "Anna")
    desk.book("tablet-1", at(11), 30, "Olena")
    thursday = at(11) + timedelta(days=2)
    desk.book("tablet-2", thursday, 30, "Karl")
    screen = open_desk(desk)
    tap(qtbot, screen.bar.week_button)
    assert screen.week_view
    view = screen.week.view
    assert view.cells[("tablet-1", at(10).date())].count == 2
    assert view.cells[("tablet-2", thursday.date())].count == 1
    assert view.cells[("tablet-1", (at(10) - timedelta(days=1)).date())].closed  # Monday
    assert screen.bar.date_label.text().startswith("Week 49")
    rect = screen.week.cell_rect("tablet-2", thursday.date())
    qtbot.mouseClick(screen.week, Qt.MouseButton.LeftButton, pos=rect.center())
    assert not screen.week_view and screen.shown_day == thursday.date()
    tap(qtbot, screen.bar.next)
    assert screen.shown_day == thursday.date() + timedelta(days=1)
    tap(qtbot, screen.bar.today)
    assert screen.shown_day == at(10).date()


# -- exports ---------------------------------------------------------------------------------


def test_export_the_day_as_csv_and_as_calendar(
    qtbot: QtBot, desk: Desk, data_dir: Path, export_folder: Path
) -> None:
    from icalendar import Calendar

    anna = desk.book("tablet-1", at(10), 30, "Anna")
    desk.book("vr-1", at(14), 30, "=Mehmet")  # pending; a formula-like name stays text
    screen = open_desk(desk)
    tap(qtbot, screen.bar.export_button)
    export = screen.export
    tap(qtbot, export.csv)
    written = export_folder / "bookings-2026-12-01.csv"
    assert written.exists()
    assert stat.S_IMODE(written.stat().st_mode) == 0o600  # it holds visitors' names
    assert export.message.text() == "✓  Saved on export-folder: bookings-2026-12-01.csv"
    assert not (data_dir / "exports").exists()
    with written.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert [(r["start"], r["device_id"], r["code"], r["name"]) for r in rows] == [
        ("10:00", "tablet-1", anna.printed_code, "Anna"),
        ("14:00", "vr-1", rows[1]["code"], "'=Mehmet"),
    ]
    tap(qtbot, export.ics)
    calendar = Calendar.from_ical((export_folder / "bookings-2026-12-01.ics").read_bytes())
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 2
    first = next(e for e in events if anna.printed_code in str(e["summary"]))
    start = first["dtstart"]
    assert start.params["TZID"] == "Europe/Berlin"
    assert start.dt == at(10) and start.dt.utcoffset() == timedelta(hours=1)
    assert "Anna" not in calendar.to_ical().decode()  # calendar files carry no names


def test_export_the_week(qtbot: QtBot, desk: Desk, export_folder: Path) -> None:
    desk.book("tablet-1", at(10), 30, "Anna")
    desk.book("tablet-2", at(10) + timedelta(days=3), 30, "Karl")
    screen = open_desk(desk)
    screen.set_week(True)
    screen.bar.export_button.click()
    path = screen.export.export_csv()
    assert path == export_folder / "bookings-2026-W49.csv"
    with path.open(encoding="utf-8-sig", newline="") as stream:
        assert [row["date"] for row in csv.DictReader(stream)] == ["2026-12-01", "2026-12-04"]


def test_an_export_folder_gone_says_so_and_leaves_nothing(
    qtbot: QtBot, desk: Desk, export_folder: Path
) -> None:
    desk.book("tablet-1", at(10), 30, "Anna")
    screen = open_desk(desk)
    tap(qtbot, screen.bar.export_button)
    assert screen.export.folder == export_folder
    export_folder.rmdir()  # e.g. a network share gone, and a file in its place
    export_folder.write_text("x", encoding="utf-8")
    assert screen.export.export_csv() is None
    assert screen.export.export_ics() is None
    message = screen.export.message.text()
    assert message == "✕  Please insert a USB stick first."
    assert "Insert a USB stick" in screen.export.chooser.empty.text()
    assert not screen.export.csv.isEnabled()
    assert export_folder.read_text(encoding="utf-8") == "x"
    export_folder.unlink()
    export_folder.mkdir()
    screen.export.chooser.refresh()
    assert screen.export.export_csv() == export_folder / "bookings-2026-12-01.csv"


# -- without a database, in every language, right to left ------------------------------------


def test_without_a_database_the_desk_says_so(qtbot: QtBot, tmp_path: Path) -> None:
    translator = Translator(resources.TRANSLATIONS, default="en")
    screen = StaffBookingsScreen(translator, lambda: None, export_places=ExportPlaces(tmp_path))
    qtbot.addWidget(screen)
    screen.resize(1280, 700)
    screen.show()
    screen.enter()
    assert screen.unavailable.isVisible()
    assert "database is not open" in screen.unavailable.text()
    assert not screen.bar.code_field.isEnabled() and not screen.bar.walk_in_button.isEnabled()
    assert screen.bar.back.isEnabled()
    screen.leave()


def walk_every_panel(desk: Desk, screen: StaffBookingsScreen) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    vr = next(b for b in desk.service.day(at(10).date()) if b.device_id == "vr-1")
    steps = {
        "day": lambda: screen.set_week(False),
        "booking": lambda: screen.select_booking(vr.id),
        "check-in": lambda: screen.check_in_code(vr.printed_code),
        "device": lambda: screen.show_device("tablet-1"),
        "walk-in devices": lambda: screen.open_walk_in(""),
        "walk-in": lambda: screen.open_walk_in("tablet-2"),
        "export": lambda: screen.bar.export_button.click(),
        "week": lambda: (screen.show_agenda(), screen.set_week(True)),
    }
    for name, step in steps.items():
        step()
        problems = clipped_texts(desk.kiosk.window)
        if problems:
            found[name] = problems
    return found


@pytest.mark.parametrize("language", ["de", "en", "ar"])
def test_nothing_is_cut_off(qtbot: QtBot, desk: Desk, language: str) -> None:
    for device, hour, name in (
        ("tablet-1", 10, "Anna"),
        ("vr-1", 11, "Karl-Heinz"),
        ("phone-1", 12, "Ölüdeniz"),
    ):
        desk.book(device, at(hour), 30, name)
    desk.clock.now = at(10, 20)
    screen = open_desk(desk, language)
    found = walk_every_panel(desk, screen)
    assert found == {}, "\n".join(f"{k}: {v}" for k, v in found.items())
    window = desk.kiosk.window
    assert (window.width(), window.height()) == (1280, 800)


@pytest.mark.parametrize("language", ["de", "ar"])
def test_nothing_is_cut_off_on_a_big_screen_without_the_on_screen_keyboard(
    qtbot: QtBot, desk: Desk, language: str
) -> None:
    for device, hour, name in (("tablet-1", 10, "Anna"), ("vr-1", 11, "Karl-Heinz")):
        desk.book(device, at(hour), 30, name)
    desk.clock.now = at(10, 20)
    window = desk.kiosk.window
    window.resize(1920, 1080)
    screen = open_desk(desk, language)
    qtbot.keyClick(screen.bar.code_field, Qt.Key.Key_Shift)  # a hardware key: the keyboard goes
    assert not window.keyboard.isVisible()
    found = walk_every_panel(desk, screen)
    assert found == {}, "\n".join(f"{k}: {v}" for k, v in found.items())
    assert (window.width(), window.height()) == (1920, 1080)


def test_nothing_is_cut_off_in_the_pseudo_locale(qtbot: QtBot, desk: Desk) -> None:
    desk.book("vr-1", at(11), 30, "Karl-Heinz")
    desk.clock.now = at(10, 20)
    screen = open_desk(desk)
    desk.kiosk.translator.set_pseudo(True)
    try:
        found = walk_every_panel(desk, screen)
        assert found == {}, "\n".join(f"{k}: {v}" for k, v in found.items())
    finally:
        desk.kiosk.translator.set_pseudo(False)


def test_right_to_left_mirrors_the_desk(qtbot: QtBot, desk: Desk) -> None:
    early = desk.book("tablet-1", at(10), 30, "Anna")
    late = desk.book("tablet-1", at(16), 30, "Olena")
    screen = open_desk(desk, "ar")
    assert screen.bar.back.text().startswith("→")
    qtbot.waitUntil(lambda: screen.bar.back.x() > screen.bar.check_in_button.x(), timeout=1000)
    # Time runs from right to left, device names stand on the right.
    assert screen.timeline.block_rect(early.id).x() > screen.timeline.block_rect(late.id).x()
    assert screen.timeline.row_rect("tablet-1").x() > screen.timeline.block_rect(early.id).x()
    assert (
        screen.bar.code_field.layoutDirection() == Qt.LayoutDirection.LeftToRight
    )  # codes stay LTR
    tap_block(qtbot, screen, late)
    assert screen.booking_panel.code.text() == late.printed_code


def test_keyboard_moves_through_the_bookings(qtbot: QtBot, desk: Desk) -> None:
    first = desk.book("tablet-1", at(10), 30, "Anna")
    second = desk.book("tablet-1", at(11), 30, "Olena")
    below = desk.book("tablet-2", at(11), 30, "Karl")
    screen = open_desk(desk)
    screen.timeline.setFocus()
    qtbot.keyClick(screen.timeline, Qt.Key.Key_Right)
    assert screen.timeline.selected_booking == first.id and screen.panel == "booking"
    qtbot.keyClick(screen.timeline, Qt.Key.Key_Right)
    assert screen.timeline.selected_booking == second.id
    qtbot.keyClick(screen.timeline, Qt.Key.Key_Down)
    assert screen.timeline.selected_booking == below.id
    assert screen.booking_panel.booking is not None and screen.booking_panel.booking.id == below.id


def test_leaving_forgets_the_last_visitor_on_screen(qtbot: QtBot, desk: Desk) -> None:
    anna = desk.book("tablet-1", at(10), 30, "Anna")
    desk.clock.now = at(10)
    screen = open_desk(desk)
    scan(qtbot, screen, anna.printed_code)
    assert "Anna" in screen.bar.feedback.text()
    desk.kiosk.window.leave_staff_mode()
    assert "Anna" not in screen.bar.feedback.text() and screen.panel == "agenda"


@pytest.mark.parametrize(
    "name,fg,bg",
    [*staff_paint.TEXT_PAIRS, *desk_style.TEXT_PAIRS],
    ids=[p[0] for p in (*staff_paint.TEXT_PAIRS, *desk_style.TEXT_PAIRS)],
)
def test_desk_colours_are_readable(name: str, fg: str, bg: str) -> None:
    assert theme.contrast_ratio(fg, bg) >= 4.5


def test_a_tap_beside_a_booking_opens_the_device(desk: Desk, qtbot: QtBot) -> None:
    """A tap in a device row but beside every booking opens the device, not a booking."""
    anna = desk.book("tablet-1", at(10), 30, "Anna")
    screen = open_desk(desk)
    rect = screen.timeline.block_rect(anna.id)
    outside = QPoint(rect.right() + 80, rect.center().y())
    qtbot.mouseClick(screen.timeline, Qt.MouseButton.LeftButton, pos=outside)
    assert screen.panel == "device" and screen.device_panel.device.id == "tablet-1"  # type: ignore[union-attr]


def test_the_scanner_field_waits_for_a_tap_before_the_keyboard_comes(
    qtbot: QtBot, desk: Desk
) -> None:
    window = desk.kiosk.window
    screen = open_desk(desk)
    qtbot.waitUntil(lambda: screen.bar.code_field.hasFocus())
    assert not window.keyboard.isVisible()  # focused for the scanner, keyboard not in the way
    qtbot.mouseClick(screen.bar.code_field, Qt.MouseButton.LeftButton)
    assert window.keyboard.isVisible()


def painted_contrast(label: QLabel) -> float:
    """The contrast between a label's text and what is painted behind it, read from the
    pixels of the screen around it: the most common colour is the background, the colour most
    unlike it is the text."""
    window = label.window()
    image = window.grab(QRect(label.mapTo(window, QPoint(0, 0)), label.size())).toImage()
    counts = Counter(
        image.pixelColor(x, y).name() for x in range(image.width()) for y in range(image.height())
    )
    background = counts.most_common(1)[0][0]
    return max(theme.contrast_ratio(colour, background) for colour in counts)


@pytest.mark.parametrize("tone", ["ok", "warn", "error"])
def test_a_panel_s_confirmation_is_readable_as_painted(qtbot: QtBot, desk: Desk, tone: str) -> None:
    """What a side panel says after an action (approved, saved, the walk-in's code, why a move
    is not possible) stands out from the panel, as painted, in its tone's colours."""
    anna = desk.book("tablet-1", at(10), 30, "Anna")
    screen = open_desk(desk)
    screen.timeline.setFocus()
    qtbot.keyClick(screen.timeline, Qt.Key.Key_Right)
    assert screen.panel == "booking" and screen.booking_panel.booking is not None
    assert screen.booking_panel.booking.id == anna.id
    screen.booking_panel.say(tone, "Gespeichert")
    qtbot.waitUntil(screen.booking_panel.message.isVisible)
    assert painted_contrast(screen.booking_panel.message) >= 4.5, tone
    rect = screen.timeline.block_rect(anna.id)
    qtbot.mouseClick(
        screen.timeline, Qt.MouseButton.LeftButton, pos=QPoint(rect.right() + 80, rect.center().y())
    )
    assert screen.panel == "device"
    screen.device_panel.say(tone, "Gespeichert")
    qtbot.waitUntil(screen.device_panel.message.isVisible)
    assert painted_contrast(screen.device_panel.message) >= 4.5, tone
