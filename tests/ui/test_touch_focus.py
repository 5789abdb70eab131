"""A touch that takes the visitor to another screen leaves no focus ring behind: the tapped
button is gone, and Qt would pass its focus to the next button in the chain (the header's A+),
which then looks chosen. With a keyboard the focus stays visible wherever it goes."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication
from pytestqt.qtbot import QtBot

from kiosk import resources
from kiosk.app import KioskApp
from kiosk.config import load_config
from kiosk.tour import stop_clock
from kiosk.ui.bookings.screen import BookingScreen
from kiosk.ui.shell.screens import Screen
from tests.ui.running_app import shown_kiosk
from tests.ui.test_keyboard_only import next_tuesday_9am


@pytest.fixture
def kiosk(qtbot: QtBot, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[KioskApp]:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    with shown_kiosk(qtbot, load_config(resources.DEMO_CONFIG), data_dir) as app:
        app.window.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is app.window)
        app.window.watch_input()  # as after the first frame
        yield app


def day_picker(qtbot: QtBot, kiosk: KioskApp) -> list[QAbstractButton]:
    """Home → "Try a device" → "Pick a day", all by touch; the days that can be chosen."""
    window = kiosk.window
    stop_clock(kiosk, next_tuesday_9am())
    window.start_session("de")
    QTest.mouseClick(window.home.try_device, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.current_screen is Screen.TRY_DEVICE)
    screen = window.screen_widget(Screen.TRY_DEVICE)
    assert isinstance(screen, BookingScreen)
    listing = screen.list_page
    QTest.mouseClick(listing.chip_days, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: any(b.isVisible() for b in listing.day_buttons.values()))
    return [b for b in listing.day_buttons.values() if b.isEnabled()]


def test_a_tap_that_changes_the_page_leaves_no_focus_ring_in_the_header(
    qtbot: QtBot, kiosk: KioskApp
) -> None:
    days = day_picker(qtbot, kiosk)
    QTest.mouseClick(days[1], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not days[1].isVisible())
    focus = QApplication.focusWidget()
    header = kiosk.window.header
    assert focus is None or not header.isAncestorOf(focus), focus


def test_with_the_keyboard_the_focus_moves_on_and_stays_visible(
    qtbot: QtBot, kiosk: KioskApp
) -> None:
    days = day_picker(qtbot, kiosk)
    days[1].setFocus(Qt.FocusReason.TabFocusReason)
    QTest.keyClick(days[1], Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not days[1].isVisible())
    focus = QApplication.focusWidget()
    assert focus is not None and focus.isVisible()
