"""A visitor with only a keyboard (or a switch device) learns a course and books a device:
Tab, Shift+Tab, the arrow keys, Enter and Space, and typing a name, nothing else."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget
from pytestqt.qtbot import QtBot

from kiosk import resources
from kiosk.app import KioskApp
from kiosk.config import load_config
from kiosk.tour import stop_clock
from kiosk.ui.bookings.screen import BookingScreen, Page
from kiosk.ui.bookings.slot_button import SlotButton
from kiosk.ui.shell.screens import Screen
from tests.ui.running_app import shown_kiosk

BERLIN = ZoneInfo("Europe/Berlin")
MAX_TABS = 80  # more stops than any visitor screen has: reaching none of them is a failure


@pytest.fixture
def kiosk(qtbot: QtBot, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[KioskApp]:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    with shown_kiosk(qtbot, load_config(resources.DEMO_CONFIG), data_dir) as app:
        app.window.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is app.window)
        yield app


class Keyboard:
    """Presses keys where a real keyboard's presses go: to the widget with the focus."""

    def __init__(self, kiosk: KioskApp) -> None:
        self._window = kiosk.window
        self.presses = 0

    def press(
        self, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
    ) -> None:
        target = QApplication.focusWidget() or self._window
        QTest.keyClick(target, key, modifier)
        self.presses += 1

    def type(self, text: str) -> None:
        target = QApplication.focusWidget()
        assert target is not None
        QTest.keyClicks(target, text)

    def tab_to(self, wanted: Callable[[QWidget], bool], *, backwards: bool = False) -> QWidget:
        """Tab (or Shift+Tab) until the focused widget is the wanted one."""
        seen: list[str] = []
        for _ in range(MAX_TABS):
            focus = QApplication.focusWidget()
            if focus is not None and wanted(focus):
                return focus
            seen.append(f"{type(focus).__name__}:{_name(focus)}")
            if backwards:
                self.press(Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
            else:
                self.press(Qt.Key.Key_Tab)
        raise AssertionError(f"Tab never reached it; the focus went through {seen}")

    def tab_to_widget(self, widget: QWidget, *, backwards: bool = False) -> None:
        self.tab_to(lambda w: w is widget, backwards=backwards)


def _name(widget: QWidget | None) -> str:
    if widget is None:
        return "-"
    if isinstance(widget, QAbstractButton):
        return widget.text() or widget.accessibleName()
    return widget.accessibleName() or widget.objectName()


def test_learn_a_course_with_the_keyboard_only(qtbot: QtBot, kiosk: KioskApp) -> None:
    window = kiosk.window
    keys = Keyboard(kiosk)
    assert window.current_screen is Screen.ATTRACT
    keys.press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.current_screen is Screen.HOME)
    # The language: the header's language buttons (or its menu) by Tab and Space.
    # The language buttons are one group: Tab reaches the chosen one, the arrows the others.
    keys.tab_to(lambda w: type(w.parentWidget()).__name__ == "LanguageBar")
    for _ in range(len(kiosk.translator.languages)):
        if _name(QApplication.focusWidget()) == "English":
            break
        keys.press(Qt.Key.Key_Right)
    keys.press(Qt.Key.Key_Space)
    assert kiosk.translator.current.code == "en"
    keys.tab_to_widget(window.home.learn)
    keys.press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.current_screen is Screen.LEARN)
    keys.tab_to(lambda w: type(w).__name__ == "CourseCard")
    first_card = QApplication.focusWidget()
    keys.press(Qt.Key.Key_Down)  # the arrows move through the grid of courses
    assert QApplication.focusWidget() is not first_card
    assert type(QApplication.focusWidget()).__name__ == "CourseCard"
    keys.press(Qt.Key.Key_Up)
    assert QApplication.focusWidget() is first_card
    keys.press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.current_screen is Screen.LESSON)
    lesson = window.lesson
    answered = False
    for _ in range(60):
        if lesson.at_end:
            break
        if lesson.check.isVisible() and not lesson.check.isHidden():
            # A quiz: Tab to an answer, choose it with Space, then check it with Enter.
            keys.tab_to(lambda w: type(w).__name__ == "AnswerButton")
            keys.press(Qt.Key.Key_Space)
            keys.tab_to_widget(lesson.check)
            keys.press(Qt.Key.Key_Return)
            answered = True
        step = lesson.current_step_id()
        keys.tab_to_widget(lesson.next)
        keys.press(Qt.Key.Key_Return)
        if lesson.current_step_id() == step and not lesson.at_end:
            # A wrong answer keeps the step: try the next answer.
            continue
    assert answered
    assert lesson.at_end


def next_tuesday_9am() -> datetime:
    """A Tuesday ahead, an hour before the Probierladen opens: the next days have free times."""
    today = datetime.now(BERLIN).date()
    day = today + timedelta(days=7 + (1 - today.weekday()) % 7)
    return datetime(day.year, day.month, day.day, 9, 0, tzinfo=BERLIN)


def test_book_a_device_with_the_keyboard_only(qtbot: QtBot, kiosk: KioskApp) -> None:
    window = kiosk.window
    stop_clock(kiosk, next_tuesday_9am())
    keys = Keyboard(kiosk)
    keys.press(Qt.Key.Key_Space)  # the attract screen starts with Space as with Enter
    qtbot.waitUntil(lambda: window.current_screen is Screen.HOME)
    keys.tab_to(lambda w: type(w.parentWidget()).__name__ == "LanguageBar")
    for _ in range(len(kiosk.translator.languages)):
        if _name(QApplication.focusWidget()) == "English":
            break
        keys.press(Qt.Key.Key_Right)
    keys.press(Qt.Key.Key_Return)
    assert kiosk.translator.current.code == "en"
    keys.tab_to_widget(window.home.try_device)
    keys.press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.current_screen is Screen.TRY_DEVICE)
    screen = window.screen_widget(Screen.TRY_DEVICE)
    assert isinstance(screen, BookingScreen)
    listing = screen.list_page
    # "Pick a day": the chips are one group, reached by Tab and moved through by the arrows.
    chips = (listing.chip_now, listing.chip_today, listing.chip_days)
    keys.tab_to(lambda w: any(w is chip for chip in chips))
    for _ in range(3):
        if QApplication.focusWidget() is listing.chip_days:
            break
        keys.press(Qt.Key.Key_Right)
    keys.press(Qt.Key.Key_Space)
    # Buttons added to a shown layout appear with the next round of events.
    qtbot.waitUntil(lambda: any(b.isVisible() for b in listing.day_buttons.values()))
    days = [b for b in listing.day_buttons.values() if b.isEnabled()]
    keys.tab_to_widget(days[0])
    keys.press(Qt.Key.Key_Right)  # the day after, beside it in the week's row
    assert QApplication.focusWidget() is days[1]
    chosen_day = next(d for d, b in listing.day_buttons.items() if b is days[1])
    keys.press(Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: (
            listing.day == chosen_day
            and any(b.isVisible() for c in listing.cards.values() for b in c.buttons)
        )
    )
    first_time = next(c.buttons[0] for c in listing.cards.values() if c.isVisible() and c.buttons)
    keys.tab_to_widget(first_time)
    keys.press(Qt.Key.Key_Right)  # the next free time of the same device
    second_time = QApplication.focusWidget()
    assert isinstance(second_time, SlotButton) and second_time is not first_time
    keys.press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: screen.page is Page.CONFIRM)
    confirm = screen.confirm_page
    keys.tab_to_widget(confirm.name)
    # The on-screen keyboard comes up for the name; a physical keyboard still types into it.
    qtbot.waitUntil(lambda: window.keyboard.isVisible())
    keys.type("Anna")
    assert confirm.name.text() == "Anna"
    assert QApplication.focusWidget() is confirm.name
    keys.tab_to_widget(confirm.confirm_button)
    keys.press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: screen.page is Page.BOOKED)
    code = screen.booked_page.code_label.text()
    assert code.strip()
    booking = screen.booked_page.booking
    assert booking is not None
    assert isinstance(second_time, SlotButton)
    assert booking.start == second_time.slot.start
