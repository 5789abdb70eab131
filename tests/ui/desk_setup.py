"""The staff desk of the demo site on a real database and a clock the test moves (shared by the
desk's find and edit tests)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from kiosk import resources
from kiosk.app import KioskApp
from kiosk.config import SiteConfig, load_config
from kiosk.core.bookings import Booking, BookingService, device_policies, site_calendar
from kiosk.ui.shell.screens import Screen
from kiosk.ui.staff.desk import StaffBookingsScreen
from tests.ui.running_app import shown_kiosk

BERLIN = ZoneInfo("Europe/Berlin")
TUESDAY = datetime(2026, 12, 1, 9, 0, tzinfo=BERLIN)  # demo hours: 10:00-13:00, 14:00-18:00


def at(hour: int, minute: int = 0, *, days: int = 0) -> datetime:
    return TUESDAY.replace(day=TUESDAY.day + days, hour=hour, minute=minute)


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

    def open(self, language: str = "en") -> StaffBookingsScreen:
        window = self.kiosk.window
        window.enter_staff_mode()
        window.set_language(language)
        window.show_screen(Screen.STAFF_BOOKINGS)
        assert window.current_screen is Screen.STAFF_BOOKINGS
        return self.screen


@pytest.fixture
def desk(qtbot: QtBot, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Desk]:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    site: SiteConfig = load_config(resources.DEMO_CONFIG)
    with shown_kiosk(qtbot, site, data_dir) as kiosk:
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
        kiosk.desk.bookings = service
        screen = kiosk.window.screen_widget(Screen.STAFF_BOOKINGS)
        assert isinstance(screen, StaffBookingsScreen)
        yield Desk(kiosk, service, clock, screen)


def tap(qtbot: QtBot, widget: QPushButton) -> None:
    assert widget.isVisible(), widget.objectName()
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)
