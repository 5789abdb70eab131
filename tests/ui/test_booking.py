"""Booking a device trial as a visitor does it: by taps from home, with a code, QR and slip;
refusals that explain and change nothing; "My booking" to look up and cancel; every language."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtPrintSupport import QPrinterInfo
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from kiosk import resources
from kiosk.app import KioskApp
from kiosk.config import SiteConfig, load_config
from kiosk.core.bookings import (
    Booking,
    BookingService,
    BookingStatus,
    DeviceStatus,
    Slot,
    device_policies,
    site_calendar,
)
from kiosk.core.resume_codes import format_code, generate_code
from kiosk.core.session import EndReason
from kiosk.ui.bookings.device_list import View
from kiosk.ui.bookings.lookup import Step
from kiosk.ui.bookings.screen import BookingScreen, Page
from kiosk.ui.parts.printing import render_slip_image
from kiosk.ui.parts.wrapping_button import WrappingButton
from kiosk.ui.shell.screens import Screen
from tests.ui.layout_checks import clipped_texts
from tests.ui.qr_decode import decode_qr
from tests.ui.running_app import shown_kiosk
from tests.unit.bookings.race import OtherTerminalFirst

BERLIN = ZoneInfo("Europe/Berlin")
# A Tuesday in the future, an hour before the Probierladen opens (10:00-13:00, 14:00-18:00).
TUESDAY_9AM = datetime(2026, 12, 1, 9, 0, tzinfo=BERLIN)


@dataclass
class Clock:
    """The time the booking service sees; a test moves it on by hand."""

    now: datetime = TUESDAY_9AM

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def site() -> SiteConfig:
    return load_config(resources.DEMO_CONFIG)


@pytest.fixture
def kiosk(
    qtbot: QtBot, site: SiteConfig, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[KioskApp]:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    with shown_kiosk(qtbot, site, data_dir) as app:
        yield app


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def service(kiosk: KioskApp, site: SiteConfig, clock: Clock) -> BookingService:
    """The real booking service over the kiosk's database, at a time the test chooses."""
    storage = kiosk.desk.storage
    assert storage is not None
    bookings = BookingService(
        storage.bookings,
        device_policies(site),
        site_calendar(site),
        storage.settings,
        clock=clock,
        no_show_minutes=site.bookings.no_show_minutes,
        purge_days=site.bookings.purge_days,
    )
    kiosk.window.attach_bookings(bookings)
    return bookings


class Taps:
    """Clicks like a finger does, and counts them."""

    def __init__(self, qtbot: QtBot) -> None:
        self._qtbot = qtbot
        self.count = 0

    def __call__(self, widget: QWidget) -> None:
        assert widget.isVisible() and widget.isEnabled(), widget
        self._qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)
        self.count += 1


def booking_screen(kiosk: KioskApp) -> BookingScreen:
    screen = kiosk.window.screen_widget(Screen.TRY_DEVICE)
    assert isinstance(screen, BookingScreen)
    return screen


def open_booking(qtbot: QtBot, kiosk: KioskApp, language: str = "en") -> BookingScreen:
    kiosk.window.start_session(language)
    qtbot.mouseClick(kiosk.window.home.try_device, Qt.MouseButton.LeftButton)
    assert kiosk.window.current_screen is Screen.TRY_DEVICE
    return booking_screen(kiosk)


def slot_button(screen: BookingScreen, device_id: str, index: int = 0) -> QWidget:
    """The button of a free time of ``device_id``, scrolled into view."""
    button = screen.list_page.cards[device_id].buttons[index]
    screen.list_page._scroll.ensureWidgetVisible(button)
    return button


def choose_slot(screen: BookingScreen, device_id: str, index: int = 0) -> Slot:
    button = slot_button(screen, device_id, index)
    slot = button.slot  # type: ignore[attr-defined]
    button.click()
    assert screen.page is Page.CONFIRM
    return slot


def stored(service: BookingService) -> list[Booking]:
    today = service.today()
    return service.bookings_between(today, today + timedelta(days=30))


def test_a_visitor_books_by_touch_from_home_and_gets_a_code_and_qr(
    qtbot: QtBot, kiosk: KioskApp, service: BookingService
) -> None:
    window = kiosk.window
    window.start_session("en")
    tap = Taps(qtbot)
    tap(window.home.try_device)
    screen = booking_screen(kiosk)
    assert screen.page is Page.LIST
    assert screen.list_page.view is View.TODAY  # nothing is free right now, today is
    button = slot_button(screen, "tablet-1")
    slot = button.slot  # type: ignore[attr-defined]
    tap(button)
    confirm = screen.confirm_page
    assert screen.page is Page.CONFIRM
    assert confirm.when.text() == "Tuesday, December 1, 10:00\u202fAM\u201310:15\u202fAM"
    tap(confirm.name)
    assert window.keyboard.isVisible()  # the on-screen keyboard came up by itself
    qtbot.keyClicks(confirm.name, "Anna")
    tap(confirm.confirm_button)

    assert tap.count <= 5
    assert screen.page is Page.BOOKED
    (booking,) = stored(service)
    assert (booking.device_id, booking.start, booking.name) == ("tablet-1", slot.start, "Anna")
    assert booking.status is BookingStatus.CONFIRMED
    done = screen.booked_page
    assert done.title.text() == "Booked!"
    assert done.code_label.text() == booking.printed_code
    assert done.qr.text() == booking.printed_code
    assert decode_qr(done.qr.grab().toImage()) == [booking.printed_code]
    slip = done.slip()
    assert slip is not None
    assert booking.printed_code in decode_qr(render_slip_image(slip))[0]

    # The time just booked is gone from the lists, for this visitor and the next.
    tap(done.done_button)  # ends the visit: the code is on screen and on the slip
    assert window.current_screen is Screen.ATTRACT
    window.start_session("en")
    tap(window.home.try_device)
    assert slot not in screen.list_page.visible_slots()
    assert service.free_slots("tablet-1", slot.start.date())[0].start > slot.start


def test_the_next_booking_starts_with_an_empty_name(
    qtbot: QtBot, kiosk: KioskApp, service: BookingService
) -> None:
    """A visitor who books again in one session (for a friend, say) types a name afresh: the
    last one is not left in the field for the new name to be appended to."""
    window = kiosk.window
    window.start_session("en")
    tap = Taps(qtbot)
    tap(window.home.try_device)
    screen = booking_screen(kiosk)
    tap(slot_button(screen, "tablet-1"))
    qtbot.keyClicks(screen.confirm_page.name, "Anna")
    tap(screen.confirm_page.confirm_button)
    assert screen.page is Page.BOOKED
    window.show_screen(Screen.HOME)  # as the header's home button does ("Done" ends the visit)
    tap(window.home.try_device)
    tap(slot_button(screen, "tablet-2"))
    assert screen.page is Page.CONFIRM
    assert screen.confirm_page.name.text() == ""


def test_booking_a_device_staff_must_confirm_says_so(
    qtbot: QtBot, kiosk: KioskApp, service: BookingService
) -> None:
    screen = open_booking(qtbot, kiosk)
    screen.list_page.choose_view(View.DAY, date(2026, 12, 2))
    choose_slot(screen, "vr-1")
    confirm = screen.confirm_page
    assert "Staff confirm each booking of this device." in confirm.notes.text()
    assert list(confirm.length_buttons) == [30, 60]  # the VR headset: 30 minutes at least
    confirm.name.setText("Kim")
    confirm.confirm_button.click()
    done = screen.booked_page
    assert done.title.text() == "Waiting for staff confirmation"
    assert done.pending.isVisible()
    assert done.booking is not None and done.booking.status is BookingStatus.PENDING


def test_printing_the_slip_says_what_happened(
    qtbot: QtBot, kiosk: KioskApp, service: BookingService
) -> None:
    screen = open_booking(qtbot, kiosk)
    choose_slot(screen, "tablet-2")
    screen.confirm_page.name.setText("Bo")
    screen.confirm_page.confirm()
    qtbot.mouseClick(screen.booked_page.print_button, Qt.MouseButton.LeftButton)
    message = screen.booked_page.message
    assert message.isVisible()
    if QPrinterInfo.defaultPrinter().isNull():
        assert message.text() == (
            "No printer is connected. Please write the code down or take a photo of it."
        )
    else:  # pragma: no cover - a machine with a printer
        assert message.text() == "Your slip is being printed."


def test_a_longer_visit_is_checked_again(
    qtbot: QtBot, kiosk: KioskApp, service: BookingService, clock: Clock
) -> None:
    eleven = datetime(2026, 12, 1, 11, 0, tzinfo=BERLIN)
    assert service.book("tablet-1", eleven, 15, "Someone").ok
    screen = open_booking(qtbot, kiosk)
    slot = choose_slot(screen, "tablet-1")  # 10:00, 15 minutes: free
    confirm = screen.confirm_page
    assert slot.start.hour == 10 and confirm.minutes == 15
    qtbot.mouseClick(confirm.length_buttons[60], Qt.MouseButton.LeftButton)
    assert confirm.refusal.isVisible()
    assert confirm.refusal.text() == "Just taken: someone else booked this slot a moment ago."
    assert not confirm.confirm_button.isEnabled()
    assert confirm.when.text().endswith("11:00\u202fAM")
    qtbot.mouseClick(confirm.length_buttons[30], Qt.MouseButton.LeftButton)
    assert not confirm.refusal.isVisible()
    assert confirm.confirm_button.isEnabled()


@pytest.mark.parametrize(
    ("name", "pasted", "message"),
    [
        ("", False, "Please type a first name or a nickname."),
        ("    ", False, "Please type a first name or a nickname."),
        ("A" * 2000, True, "The name is too long. Please use at most 40 characters."),
        ("Ann\x07a", True, "The name contains hidden characters."),
        ("Anna\u202eevil", True, "The name contains hidden characters."),
    ],
    ids=["empty", "spaces", "2000-characters", "control-character", "bidi-override"],
)
def test_a_bad_name_is_explained_and_nothing_is_stored(
    qtbot: QtBot, kiosk: KioskApp, service: BookingService, name: str, pasted: bool, message: str
) -> None:
    screen = open_booking(qtbot, kiosk)
    choose_slot(screen, "tablet-1")
    confirm = screen.confirm_page
    if pasted:  # as a scanner or the clipboard would put it there
        QGuiApplication.clipboard().setText(name)
        confirm.name.paste()
    else:
        confirm.name.setText(name)
    qtbot.mouseClick(confirm.confirm_button, Qt.MouseButton.LeftButton)
    assert screen.page is Page.CONFIRM
    assert confirm.name_error.isVisible()
    assert confirm.name_error.text().startswith(message)
    assert stored(service) == []
    assert confirm.confirm_button.isEnabled()  # fix the name and try again
    confirm.name.setText("Anna")
    confirm.confirm()
    assert screen.page is Page.BOOKED
    assert [b.name for b in stored(service)] == ["Anna"]


def test_a_time_taken_meanwhile_offers_the_next_free_times(
    qtbot: QtBot, kiosk: KioskApp, site: SiteConfig, service: BookingService, clock: Clock
) -> None:
    """Another terminal books the time after the service checked it was free and before it
    writes: only the database's trigger can refuse it, and the visitor hears "just taken"."""
    storage = kiosk.desk.storage
    assert storage is not None
    racing = OtherTerminalFirst(storage.bookings, storage.path.parent, competing=None)
    kiosk.window.attach_bookings(
        BookingService(
            racing,  # type: ignore[arg-type]
            device_policies(site),
            site_calendar(site),
            storage.settings,
            clock=clock,
        )
    )
    screen = open_booking(qtbot, kiosk)
    slot = choose_slot(screen, "tablet-1")
    confirm = screen.confirm_page
    confirm.name.setText("Anna")
    # Another terminal is faster: it books between the service's check and its write.
    device = service.device(slot.device_id)
    assert device is not None
    racing.competing = (slot.device_id, device.kind, slot.start, 15, "Other")
    qtbot.mouseClick(confirm.confirm_button, Qt.MouseButton.LeftButton)

    assert racing.competed, "the other terminal booked in between"
    assert screen.page is Page.CONFIRM
    assert confirm.refusal.text() == "Just taken: someone else booked this slot a moment ago."
    assert confirm.alternatives_title.isVisible()
    assert confirm.alternative_buttons
    assert not confirm.confirm_button.isEnabled()
    assert [b.name for b in stored(service)] == ["Other"]
    assert clipped_texts(kiosk.window) == []

    alternative = confirm.alternative_buttons[0]
    assert alternative.slot.start > slot.start  # type: ignore[attr-defined]
    qtbot.mouseClick(alternative, Qt.MouseButton.LeftButton)
    assert not confirm.refusal.isVisible()
    assert confirm.name.text() == "Anna"  # nothing to type again
    qtbot.mouseClick(confirm.confirm_button, Qt.MouseButton.LeftButton)
    assert screen.page is Page.BOOKED
    assert sorted(b.name or "" for b in stored(service)) == ["Anna", "Other"]


@pytest.mark.parametrize(
    ("device_id", "change", "message"),
    [
        ("tablet-1", "10:01", "This slot has already passed."),
        ("vr-1", "09:45", "This slot starts too soon. Please book at least 30 minutes ahead."),
        ("tablet-1", "wipe", "This device is being made ready for the next visitor."),
    ],
    ids=["in-past", "too-soon", "needs-wiping"],
)
def test_a_time_that_cannot_be_booked_any_more_is_explained(
    qtbot: QtBot,
    kiosk: KioskApp,
    service: BookingService,
    clock: Clock,
    device_id: str,
    change: str,
    message: str,
) -> None:
    screen = open_booking(qtbot, kiosk)
    choose_slot(screen, device_id)
    confirm = screen.confirm_page
    confirm.name.setText("Anna")
    if change == "wipe":  # the last visitor's data is still on the device
        service.set_device_status(device_id, DeviceStatus.NEEDS_WIPING)
    else:  # the visitor waited on this page
        hour, minute = (int(part) for part in change.split(":"))
        clock.now = TUESDAY_9AM.replace(hour=hour, minute=minute)
    qtbot.mouseClick(confirm.confirm_button, Qt.MouseButton.LeftButton)
    assert screen.page is Page.CONFIRM
    assert confirm.refusal.text().startswith(message)
    assert confirm.alternative_buttons  # and what else is free
    assert not confirm.confirm_button.isEnabled()
    assert stored(service) == []


def test_database_trouble_books_nothing_and_says_sorry(
    qtbot: QtBot, kiosk: KioskApp, service: BookingService
) -> None:
    screen = open_booking(qtbot, kiosk)
    choose_slot(screen, "tablet-1")
    confirm = screen.confirm_page
    confirm.name.setText("Anna")
    storage = kiosk.desk.storage
    assert storage is not None
    storage._db.execute("PRAGMA query_only = ON")  # every write fails, as on a broken disk
    try:
        qtbot.mouseClick(confirm.confirm_button, Qt.MouseButton.LeftButton)
    finally:
        storage._db.execute("PRAGMA query_only = OFF")
    assert screen.page is Page.CONFIRM
    assert confirm.refusal.text() == (
        "Sorry, the booking could not be saved. Nothing was booked. Please ask our staff."
    )
    assert stored(service) == []


def test_without_a_database_the_screen_says_so(qtbot: QtBot, kiosk: KioskApp) -> None:
    kiosk.window.set_language("en")
    screen = BookingScreen(
        kiosk.translator,
        lambda: None,
        house_rules={},
        fallback_languages=["en"],
        paper="a6",
        no_show_minutes=15,
    )
    qtbot.addWidget(screen)
    screen.enter()
    assert screen.list_page.message.text() == (
        "Booking is not possible at the moment. Please try again soon or ask our staff."
    )
    assert screen.list_page.visible_device_ids() == []


def test_my_booking_finds_the_booking_and_cancels_it(
    qtbot: QtBot, kiosk: KioskApp, service: BookingService
) -> None:
    start = datetime(2026, 12, 1, 10, 30, tzinfo=BERLIN)
    booking = service.book("tablet-1", start, 15, "Anna").booking
    assert booking is not None
    screen = open_booking(qtbot, kiosk)
    assert start not in [s.start for s in screen.list_page.cards["tablet-1"]._slots]
    tap = Taps(qtbot)
    tap(screen.list_page.my_booking)
    lookup = screen.lookup_page
    assert screen.page is Page.LOOKUP
    assert lookup.field.hasFocus()
    assert lookup.field.inputMethodHints() & Qt.InputMethodHint.ImhLatinOnly
    qtbot.keyClicks(lookup.field, booking.code.lower())  # any case, with or without hyphen
    tap(lookup.go)
    assert lookup.step is Step.SHOWN
    assert lookup.what.text() == "Android tablet"
    assert lookup.when.text() == "Tuesday, December 1, 10:30\u202fAM\u201310:45\u202fAM"
    assert lookup.status.text() == "Status: Booked"
    tap(lookup.cancel_button)
    assert lookup.step is Step.ASK
    tap(lookup.keep)  # changed their mind: nothing happens
    assert service.booking(booking.code).status is BookingStatus.CONFIRMED  # type: ignore[union-attr]
    tap(lookup.cancel_button)
    tap(lookup.yes_cancel)
    assert lookup.step is Step.CANCELLED
    assert lookup.outcome.isVisible()
    assert service.booking(booking.code).status is BookingStatus.CANCELLED  # type: ignore[union-attr]
    tap(lookup.back)
    assert screen.page is Page.LIST
    assert start in [s.start for s in screen.list_page.cards["tablet-1"]._slots]


def test_my_booking_explains_wrong_codes_and_asks_to_wait(
    qtbot: QtBot, kiosk: KioskApp, service: BookingService
) -> None:
    screen = open_booking(qtbot, kiosk)
    screen.open_lookup()
    lookup = screen.lookup_page

    def look_up(text: str) -> str:
        lookup.field.setText(text)
        lookup.submit()
        assert lookup.step is Step.ENTER
        return lookup.error.text()

    lengths = (
        "A code on a booking slip has 6 letters and digits, a code to continue a course has 8."
    )
    assert look_up("") == "Please type the code from your card or slip."
    assert look_up("K7P-M") == f"The code is too short. {lengths}"
    assert look_up("K7P-MR3X") == f"Please check the code. {lengths}"
    assert look_up("K7PM-R3XJK") == f"The code is too long. {lengths}"
    assert look_up("K0P-MR3").startswith("Codes never contain O, 0, I, 1")
    unknown = [format_code(generate_code(length=6)) for _ in range(4)]
    assert look_up(unknown[0]) == "We do not know this code. Please check it."
    for code in unknown[1:]:
        message = look_up(code)
    assert message.startswith("Too many wrong codes. Please wait")
    assert not lookup.go.isEnabled()


def test_a_broken_device_disappears_from_the_visitor_views(
    qtbot: QtBot, kiosk: KioskApp, service: BookingService
) -> None:
    screen = open_booking(qtbot, kiosk)
    assert "tablet-1" in screen.list_page.visible_device_ids()
    choose_slot(screen, "tablet-1")
    service.set_device_status("tablet-1", DeviceStatus.BROKEN)
    confirm = screen.confirm_page
    confirm.name.setText("Anna")
    confirm.confirm()
    assert confirm.refusal.text() == "Sorry, this device cannot be lent at the moment."
    assert stored(service) == []

    kiosk.window.show_screen(Screen.HOME)
    qtbot.mouseClick(kiosk.window.home.try_device, Qt.MouseButton.LeftButton)
    lists = screen.list_page
    for view, day in ((View.TODAY, None), (View.DAY, date(2026, 12, 3)), (View.NOW, None)):
        lists.choose_view(view, day)
        assert "tablet-1" not in lists.visible_device_ids()
    lists.choose_view(View.DAY, date(2026, 12, 3))
    assert "tablet-2" in lists.visible_device_ids()


def test_show_kind_shows_only_that_kind_and_all_again(
    qtbot: QtBot, kiosk: KioskApp, service: BookingService
) -> None:
    kiosk.window.start_session("en")
    kiosk.window.open_booking("tablet")  # as a course's "Try a device for this" does
    screen = booking_screen(kiosk)
    lists = screen.list_page
    assert lists.visible_device_ids() == ["tablet-1", "tablet-2"]
    assert lists.title.text() == "Try a tablet"
    assert lists.show_all.isVisible()
    qtbot.mouseClick(lists.show_all, Qt.MouseButton.LeftButton)
    assert len(lists.visible_device_ids()) == len(service.visitor_devices())
    assert lists.title.text() == "Try a device"
    assert not lists.show_all.isVisible()


def test_pick_a_day_shows_closed_days_as_closed(
    qtbot: QtBot, kiosk: KioskApp, service: BookingService
) -> None:
    screen = open_booking(qtbot, kiosk)
    lists = screen.list_page
    qtbot.mouseClick(lists.chip_days, Qt.MouseButton.LeftButton)
    sunday, wednesday = date(2026, 12, 6), date(2026, 12, 2)
    closed = lists.day_buttons[sunday]
    assert not closed.isEnabled()
    assert closed.text() == "Sunday\nDec 6\nClosed"
    assert lists.day_buttons[date(2026, 12, 1)].text().startswith("Today")
    assert max(lists.day_buttons) == date(2026, 12, 22)  # as far ahead as any device allows
    lists._scroll.ensureWidgetVisible(lists.day_buttons[wednesday])
    qtbot.mouseClick(lists.day_buttons[wednesday], Qt.MouseButton.LeftButton)
    assert lists.view is View.DAY
    assert lists.heading.text() == "Wednesday, December 2"
    assert lists.visible_slots()[0].start == datetime(2026, 12, 2, 10, 0, tzinfo=BERLIN)


def test_closure_days_are_shown_as_closed(
    qtbot: QtBot, kiosk: KioskApp, service: BookingService, clock: Clock
) -> None:
    clock.now = datetime(2026, 12, 22, 9, 0, tzinfo=BERLIN)
    screen = open_booking(qtbot, kiosk)
    lists = screen.list_page
    lists.choose_view(View.DAYS)
    assert lists.day_buttons[date(2026, 12, 23)].isEnabled()
    christmas_eve = lists.day_buttons[date(2026, 12, 24)]  # the site's closure days
    assert not christmas_eve.isEnabled()
    assert christmas_eve.text().endswith("Closed")
    lists.choose_view(View.DAY, date(2026, 12, 24))
    assert lists.message.text() == "We are closed on this day. Please pick another day."
    assert lists.visible_device_ids() == []


def test_free_now_lists_the_devices_free_within_half_an_hour(
    qtbot: QtBot, kiosk: KioskApp, service: BookingService, clock: Clock
) -> None:
    clock.now = datetime(2026, 12, 1, 10, 5, tzinfo=BERLIN)
    screen = open_booking(qtbot, kiosk)
    lists = screen.list_page
    assert lists.view is View.NOW
    shown = lists.visible_device_ids()
    assert "tablet-1" in shown and "vr-1" not in shown  # the VR headset needs 30 minutes notice
    assert all(slot.start <= clock.now + timedelta(minutes=30) for slot in lists.visible_slots())


def test_a_session_wipe_forgets_name_code_and_slot(
    qtbot: QtBot, kiosk: KioskApp, service: BookingService
) -> None:
    screen = open_booking(qtbot, kiosk)
    choose_slot(screen, "tablet-1")
    screen.confirm_page.name.setText("Anna")
    screen.confirm_page.confirm()
    assert screen.booked_page.code_label.text() != "—"
    screen.open_lookup()
    screen.lookup_page.field.setText("K7P-MR3")
    kiosk.window.end_session(EndReason.ENDED_BY_VISITOR)

    assert screen.page is Page.LIST
    assert screen.confirm_page.name.text() == ""
    assert screen.confirm_page.slot is None
    assert screen.booked_page.booking is None
    assert screen.booked_page.code_label.text() == "—"
    assert screen.booked_page.qr.text() == ""
    assert screen.lookup_page.field.text() == ""
    assert screen.lookup_page.booking is None

    # The typed name is forgotten too when the visitor leaves before confirming.
    screen = open_booking(qtbot, kiosk)
    choose_slot(screen, "tablet-2")
    screen.confirm_page.name.setText("Bert")
    kiosk.window.end_session(EndReason.IDLE)
    assert screen.confirm_page.name.text() == ""


def test_switching_the_language_keeps_the_visitors_place(
    qtbot: QtBot, kiosk: KioskApp, service: BookingService
) -> None:
    screen = open_booking(qtbot, kiosk, "de")
    choose_slot(screen, "tablet-1")
    confirm = screen.confirm_page
    confirm.name.setText("Anna")
    german = confirm.when.text()
    assert german.startswith("Dienstag, 1. Dezember")
    assert confirm.device_name.text() == "Android-Tablet"  # the site's own name in German
    kiosk.window.set_language("ar")
    assert screen.page is Page.CONFIRM
    assert confirm.name.text() == "Anna"
    assert confirm.when.text() != german
    assert confirm.device_name.text() == "جهاز لوحي أندرويد"


@pytest.mark.parametrize("language", ["de", "en", "ar"])
def test_every_booking_page_fits_without_clipped_text(
    qtbot: QtBot, kiosk: KioskApp, service: BookingService, language: str
) -> None:
    window = kiosk.window
    screen = open_booking(qtbot, kiosk, language)
    problems: dict[str, list[str]] = {}

    def check(name: str) -> None:
        found = clipped_texts(window)
        if (window.width(), window.height()) != (1280, 800):
            found.append(f"window grew to {window.width()}x{window.height()}")
        if found:
            problems[name] = found

    lists = screen.list_page
    check("today")
    lists.cards["tablet-1"].more.click()
    check("today, more times")
    lists.choose_view(View.DAYS)
    check("days")
    lists.choose_view(View.DAY, date(2026, 12, 6))
    check("closed day")
    lists.choose_view(View.NOW)
    check("nothing free now")
    lists.choose_view(View.DAY, date(2026, 12, 2))
    slot = choose_slot(screen, "vr-1")
    check("confirm")
    qtbot.mouseClick(screen.confirm_page.name, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(window.keyboard.isVisible)
    check("confirm with keyboard")
    screen.confirm_page.confirm()
    check("empty name")
    service.book(slot.device_id, slot.start, slot.minutes, "Other")
    screen.confirm_page.name.setText("Anna")
    screen.confirm_page.confirm()
    check("just taken")
    screen.confirm_page.alternative_buttons[0].click()
    screen.confirm_page.confirm()
    check("booked")
    screen.booked_page.print_slip()
    check("printed")
    code = screen.booked_page.booking.printed_code  # type: ignore[union-attr]
    screen.open_lookup()
    check("my booking")
    screen.lookup_page.field.setText("K7P-M")
    screen.lookup_page.submit()
    check("my booking, short code")
    screen.lookup_page.field.setText(code)
    screen.lookup_page.submit()
    check("my booking, found")
    screen.lookup_page.cancel_button.click()
    check("my booking, really cancel?")
    screen.lookup_page.yes_cancel.click()
    check("my booking, cancelled")
    assert problems == {}

    if language == "ar":  # right to left: Back sits on the right and points right
        screen.lookup_page.back.click()
        assert lists.back.x() > lists.my_booking.x()
        assert lists.back.text().startswith("→")
        assert lists.back.mapToGlobal(lists.back.rect().center()).x() > window.width() // 2


def test_a_course_end_leads_to_booking_its_device(
    qtbot: QtBot, kiosk: KioskApp, service: BookingService
) -> None:
    window = kiosk.window
    window.start_session("en")
    course = next(c for c in window.catalogue if c.device_kinds[:1] == ("smart-speaker",))
    window.open_course(course.id)
    while not window.lesson.at_end:
        window.lesson.go_next()

    def try_buttons() -> list[WrappingButton]:
        return [
            b
            for b in window.lesson.findChildren(WrappingButton)
            if b.isVisible() and b.label.text().startswith("Try a device for this")
        ]

    qtbot.waitUntil(lambda: len(try_buttons()) == 1)
    (try_it,) = try_buttons()
    qtbot.mouseClick(try_it, Qt.MouseButton.LeftButton)
    assert window.current_screen is Screen.TRY_DEVICE
    assert booking_screen(kiosk).list_page.visible_device_ids() == ["speaker-1"]
