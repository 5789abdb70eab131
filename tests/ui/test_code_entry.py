"""One way back in from home: "I have a code" takes a resume code or a booking code, and the
on-screen keyboard offers only the characters codes contain while the code field has focus."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.qtbot import QtBot

from kiosk import resources
from kiosk.app import KioskApp
from kiosk.config import SiteConfig, load_config
from kiosk.core.bookings import Booking, BookingService, device_policies, site_calendar
from kiosk.core.resume_codes import ALPHABET, format_code, generate_code
from kiosk.core.session import EndReason
from kiosk.ui.bookings.lookup import Step
from kiosk.ui.bookings.screen import BookingScreen, Page
from kiosk.ui.learning.resume import ResumeEntryScreen
from kiosk.ui.parts.keyboard import OnScreenKeyboard
from kiosk.ui.shell.screens import Screen
from tests.ui.running_app import shown_kiosk
from tests.ui.test_booking import TUESDAY_9AM, Clock

COURSE = "phishing-fake-shops"
LENGTHS = "A code on a booking slip has 6 letters and digits, a code to continue a course has 8."


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
def service(kiosk: KioskApp, site: SiteConfig) -> BookingService:
    """The real booking service over the kiosk's database, on a Tuesday before opening."""
    storage = kiosk.desk.storage
    assert storage is not None
    bookings = BookingService(
        storage.bookings,
        device_policies(site),
        site_calendar(site),
        storage.settings,
        clock=Clock(TUESDAY_9AM),
        no_show_minutes=site.bookings.no_show_minutes,
        purge_days=site.bookings.purge_days,
    )
    kiosk.window.attach_bookings(bookings)
    return bookings


def booked(service: BookingService) -> Booking:
    slot = service.free_slots("tablet-1", date(2026, 12, 1))[0]
    outcome = service.book(slot.device_id, slot.start, slot.minutes, "Anna")
    assert outcome.booking is not None
    return outcome.booking


def open_code_entry(qtbot: QtBot, kiosk: KioskApp, language: str = "en") -> ResumeEntryScreen:
    window = kiosk.window
    window.start_session(language)
    qtbot.mouseClick(window.home.have_code, Qt.MouseButton.LeftButton)
    assert window.current_screen is Screen.RESUME_ENTRY
    entry = window.screen_widget(Screen.RESUME_ENTRY)
    assert isinstance(entry, ResumeEntryScreen)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is entry.field)
    return entry


def type_code(qtbot: QtBot, entry: ResumeEntryScreen, text: str) -> None:
    """Typed as a visitor or a scanner does: key by key, then Return."""
    entry.field.clear()
    qtbot.keyClicks(entry.field, text)
    qtbot.keyClick(entry.field, Qt.Key.Key_Return)


def booking_screen(kiosk: KioskApp) -> BookingScreen:
    screen = kiosk.window.screen_widget(Screen.TRY_DEVICE)
    assert isinstance(screen, BookingScreen)
    return screen


def typing_key(keyboard: OnScreenKeyboard, value: str) -> QPushButton:
    (found,) = [b for b in keyboard.findChildren(QPushButton) if getattr(b, "value", None) == value]
    return found


def test_a_booking_code_at_home_shows_that_booking(
    qtbot: QtBot, kiosk: KioskApp, service: BookingService
) -> None:
    booking = booked(service)
    entry = open_code_entry(qtbot, kiosk)
    type_code(qtbot, entry, booking.printed_code.lower())  # as copied from the slip
    assert kiosk.window.current_screen is Screen.TRY_DEVICE
    screen = booking_screen(kiosk)
    assert screen.page is Page.LOOKUP
    lookup = screen.lookup_page
    assert lookup.step is Step.SHOWN
    assert lookup.booking is not None and lookup.booking.code == booking.code
    assert lookup.what.isVisible() and lookup.what.text() == "Android tablet"
    assert entry.field.text() == ""  # nothing of it is left behind at the entry


def test_a_resume_code_at_home_continues_the_course_at_its_step(
    qtbot: QtBot, kiosk: KioskApp
) -> None:
    window = kiosk.window
    progress = window.progress
    assert progress is not None
    window.start_session("en")
    course = window.catalogue.get(COURSE)
    assert course is not None
    step = course.steps[2].id
    window.open_course(COURSE, step)
    assert window.lesson.current_step_id() == step
    code = progress.take_resume_code().code
    window.end_session(EndReason.ENDED_BY_VISITOR)
    assert progress.progress_for(COURSE) is None

    entry = open_code_entry(qtbot, kiosk)
    type_code(qtbot, entry, code)
    assert window.current_screen is Screen.LESSON
    assert window.lesson.course is not None and window.lesson.course.id == COURSE
    assert window.lesson.current_step_id() == step


def test_a_booking_code_from_the_learning_entry_and_a_resume_code_from_my_booking_are_passed_on(
    qtbot: QtBot, kiosk: KioskApp, service: BookingService
) -> None:
    """All three entries read codes alike: each hands the other kind on to where it belongs."""
    window = kiosk.window
    booking = booked(service)
    window.start_session("en")
    window.show_screen(Screen.LEARN)
    catalogue = window.screen_widget(Screen.LEARN)
    qtbot.mouseClick(catalogue.have_code, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    entry = window.screen_widget(Screen.RESUME_ENTRY)
    assert isinstance(entry, ResumeEntryScreen)
    type_code(qtbot, entry, booking.printed_code)
    assert booking_screen(kiosk).lookup_page.booking == booking

    progress = window.progress
    assert progress is not None
    window.open_course(COURSE)
    code = progress.take_resume_code().code
    window.end_session(EndReason.ENDED_BY_VISITOR)
    window.start_session("en")
    qtbot.mouseClick(window.home.try_device, Qt.MouseButton.LeftButton)
    screen = booking_screen(kiosk)
    screen.open_lookup()
    qtbot.keyClicks(screen.lookup_page.field, code)
    qtbot.keyClick(screen.lookup_page.field, Qt.Key.Key_Return)
    assert window.current_screen is Screen.LESSON
    assert window.lesson.course is not None and window.lesson.course.id == COURSE
    # Back from the entry leads where the visitor came from (home here, not the courses).
    window.show_screen(Screen.HOME)
    qtbot.mouseClick(window.home.have_code, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(entry.back, Qt.MouseButton.LeftButton)
    assert window.current_screen is Screen.HOME


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("K7", f"The code is too short. {LENGTHS}"),
        ("K7PM-R3X", f"Please check the code. {LENGTHS}"),
        ("K7PM-R3XJK", f"The code is too long. {LENGTHS}"),
    ],
)
def test_text_that_is_neither_code_gets_a_message_and_changes_nothing(
    qtbot: QtBot, kiosk: KioskApp, service: BookingService, typed: str, message: str
) -> None:
    booked(service)
    entry = open_code_entry(qtbot, kiosk)
    type_code(qtbot, entry, typed)
    assert kiosk.window.current_screen is Screen.RESUME_ENTRY
    assert entry.message.isVisible() and entry.message.text() == message
    assert entry.field.text() == typed  # kept, to be corrected
    assert kiosk.window.progress is not None
    assert kiosk.window.progress.progress_for(COURSE) is None
    storage = kiosk.desk.storage
    assert storage is not None
    for kind in ("resume", "booking"):  # not looked up: no guess counted against anyone
        assert storage.settings.get(f"{kind}.failed_attempts") is None


def test_a_mistyped_booking_code_is_caught_before_it_is_looked_up(
    qtbot: QtBot, kiosk: KioskApp, service: BookingService
) -> None:
    code = booked(service).code
    wrong = code[:-1] + next(symbol for symbol in ALPHABET if symbol != code[-1])
    entry = open_code_entry(qtbot, kiosk)
    type_code(qtbot, entry, format_code(wrong))
    assert kiosk.window.current_screen is Screen.RESUME_ENTRY
    assert entry.message.text() == "One character seems mistyped. Please check the code."


def test_characters_no_code_contains_are_left_out_and_explained(
    qtbot: QtBot, kiosk: KioskApp
) -> None:
    entry = open_code_entry(qtbot, kiosk)
    qtbot.keyClicks(entry.field, "K0O1-")  # a physical keyboard or a scanner
    assert entry.field.text() == "K-"
    assert entry.message.isVisible()
    assert entry.message.text().startswith("Codes never contain O, 0, I, 1")
    unknown = format_code(generate_code())
    entry.field.clear()
    qtbot.keyClicks(entry.field, unknown)
    assert entry.field.text() == unknown  # every character of a real code gets through


def test_keys_of_impossible_characters_are_grey_while_the_code_field_has_focus(
    qtbot: QtBot, kiosk: KioskApp, service: BookingService
) -> None:
    window = kiosk.window
    keyboard = window.keyboard
    entry = open_code_entry(qtbot, kiosk)
    qtbot.waitUntil(keyboard.isVisible)
    for value in "kmr3479-":
        assert typing_key(keyboard, value).isEnabled(), value
    for value in "oilszbuv01258.":
        assert not typing_key(keyboard, value).isEnabled(), value
    qtbot.mouseClick(typing_key(keyboard, "k"), Qt.MouseButton.LeftButton)
    assert entry.field.text() == "k"

    qtbot.mouseClick(entry.back, Qt.MouseButton.LeftButton)  # the field is left
    assert all(typing_key(keyboard, value).isEnabled() for value in "oils0158.")
    # The next field to bring the keyboard takes every letter: a name with an "o" in it.
    qtbot.mouseClick(window.home.try_device, Qt.MouseButton.LeftButton)
    screen = booking_screen(kiosk)
    slot_button = screen.list_page.cards["tablet-1"].buttons[0]
    screen.list_page._scroll.ensureWidgetVisible(slot_button)
    slot_button.click()
    screen.confirm_page.name.setFocus(Qt.FocusReason.MouseFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is screen.confirm_page.name)
    qtbot.mouseClick(typing_key(keyboard, "o"), Qt.MouseButton.LeftButton)
    assert screen.confirm_page.name.text().endswith("o")
