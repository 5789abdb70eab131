"""One visitor cannot book everything, as the visitor and staff see it: the confirm page says
why and books nothing, counts a cool-down down, and the staff desk's walk-ins are not limited."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from kiosk import resources
from kiosk.app import KioskApp
from kiosk.config import SiteConfig, load_config
from kiosk.core.bookings import (
    Booking,
    BookingService,
    VisitorLimits,
    device_policies,
    site_calendar,
)
from kiosk.core.session import EndReason
from kiosk.ui.bookings.device_list import View
from kiosk.ui.bookings.screen import BookingScreen, Page
from kiosk.ui.shell.screens import Screen
from kiosk.ui.staff.desk import StaffBookingsScreen
from tests.ui.looks import keep_look
from tests.ui.running_app import shown_kiosk

BERLIN = ZoneInfo("Europe/Berlin")
# A Tuesday; the demo site opens 10:00-13:00 and 14:00-18:00.
TUESDAY_9AM = datetime(2026, 12, 1, 9, 0, tzinfo=BERLIN)


@dataclass
class Clock:
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


def attach(
    kiosk: KioskApp, site: SiteConfig, clock: Clock, limits: VisitorLimits
) -> BookingService:
    """The kiosk's database, the demo site's rules, these limits, at the test's time."""
    storage = kiosk.desk.storage
    assert storage is not None
    service = BookingService(
        storage.bookings,
        device_policies(site),
        site_calendar(site),
        storage.settings,
        clock=clock,
        limits=limits,
    )
    kiosk.window.attach_bookings(service)
    kiosk.desk.bookings = service
    return service


def stored(service: BookingService) -> list[Booking]:
    today = service.today()
    return service.bookings_between(today, today + timedelta(days=14))


def confirm_page_for(qtbot: QtBot, kiosk: KioskApp, device_id: str, language: str = "en"):
    """A fresh visitor's confirm page for the first free time of ``device_id`` today."""
    window = kiosk.window
    window.start_session(language)
    qtbot.mouseClick(window.home.try_device, Qt.MouseButton.LeftButton)
    screen = window.screen_widget(Screen.TRY_DEVICE)
    assert isinstance(screen, BookingScreen)
    screen.list_page.choose_view(View.TODAY)
    screen.list_page.cards[device_id].buttons[0].click()
    assert screen.page is Page.CONFIRM
    return screen, screen.confirm_page


def test_a_name_with_two_bookings_today_is_told_so_and_nothing_is_booked(
    qtbot: QtBot, kiosk: KioskApp, site: SiteConfig, clock: Clock
) -> None:
    limits = VisitorLimits(max_open_per_name_per_day=2, cooldown_s=0)
    service = attach(kiosk, site, clock, limits)
    for start in (10, 11):
        begin = TUESDAY_9AM.replace(hour=start)
        assert service.book("tablet-1", begin, 30, "Anna").ok
    screen, confirm = confirm_page_for(qtbot, kiosk, "tablet-2")
    confirm.name.setText("  ANNA ")
    booked: list[object] = []
    confirm.booked.connect(booked.append)
    qtbot.mouseClick(confirm.confirm_button, Qt.MouseButton.LeftButton)

    assert screen.page is Page.CONFIRM and booked == []
    assert confirm.refusal.isVisible()
    assert confirm.refusal.text() == (
        "You already have 2 bookings today. Please cancel one with its code, or ask the staff."
    )
    assert not confirm.alternatives_title.isVisible()  # another time would not help
    assert not confirm.confirm_button.isEnabled()
    assert len(stored(service)) == 2

    # The same name on another day is fine, and says "on this day" when it is full.
    assert service.book("tablet-1", TUESDAY_9AM.replace(day=2, hour=10), 30, "Anna").ok
    assert service.book("tablet-1", TUESDAY_9AM.replace(day=2, hour=11), 30, "Anna").ok
    screen.open_slot(service.free_slots("tablet-2", TUESDAY_9AM.date() + timedelta(days=1))[0])
    confirm.name.setText("anna")
    confirm.confirm()
    assert confirm.refusal.text() == (
        "You already have 2 bookings on this day. "
        "Please cancel one with its code, or ask the staff."
    )
    assert len(stored(service)) == 4


def test_the_cool_down_says_how_long_counts_down_and_then_books(
    qtbot: QtBot, kiosk: KioskApp, site: SiteConfig, clock: Clock
) -> None:
    service = attach(kiosk, site, clock, VisitorLimits(cooldown_s=2))
    _screen, confirm = confirm_page_for(qtbot, kiosk, "tablet-1")
    confirm.name.setText("Anna")
    confirm.confirm()
    assert len(stored(service)) == 1

    kiosk.window.end_session(EndReason.ENDED_BY_VISITOR)  # the next visitor comes at once
    screen, confirm = confirm_page_for(qtbot, kiosk, "tablet-2")
    confirm.name.setText("Ben")
    confirm.confirm()
    assert screen.page is Page.CONFIRM
    assert confirm.refusal.text() == (
        "A booking was just made at this kiosk. Please wait 2 seconds, then try again."
    )
    assert not confirm.confirm_button.isEnabled()
    qtbot.waitUntil(lambda: "wait 1 second," in confirm.refusal.text(), timeout=2000)
    qtbot.waitUntil(lambda: not confirm.refusal.isVisible(), timeout=2000)
    assert confirm.confirm_button.isEnabled()
    assert len(stored(service)) == 1
    clock.now += timedelta(seconds=2)
    qtbot.mouseClick(confirm.confirm_button, Qt.MouseButton.LeftButton)
    assert screen.page is Page.BOOKED
    assert [b.name for b in stored(service)] == ["Anna", "Ben"]


def test_staff_walk_ins_are_not_limited(
    qtbot: QtBot, kiosk: KioskApp, site: SiteConfig, clock: Clock
) -> None:
    limits = VisitorLimits(max_open_per_name_per_day=1, cooldown_s=30)
    service = attach(kiosk, site, clock, limits)
    assert service.book("tablet-1", TUESDAY_9AM.replace(hour=10), 30, "Fatima").ok
    clock.now = TUESDAY_9AM.replace(hour=10, minute=5)
    window = kiosk.window
    window.enter_staff_mode()
    window.set_language("en")
    window.show_screen(Screen.STAFF_BOOKINGS)
    desk = window.screen_widget(Screen.STAFF_BOOKINGS)
    assert isinstance(desk, StaffBookingsScreen)
    desk.open_walk_in("tablet-2")
    walk_in = desk.walk_in
    walk_in.name.setText("fatima")
    qtbot.mouseClick(walk_in.book_button, Qt.MouseButton.LeftButton)
    names = sorted((b.name or "", b.walk_in) for b in stored(service))
    assert names == [("Fatima", False), ("fatima", True)]
    assert desk.panel == "booking"


@pytest.mark.parametrize("language", ["de", "en", "ar"])
def test_screenshots_of_the_refusal(
    qtbot: QtBot, kiosk: KioskApp, site: SiteConfig, clock: Clock, language: str
) -> None:
    service = attach(kiosk, site, clock, VisitorLimits(max_open_per_name_per_day=2))
    for start in (10, 11):
        assert service.book("tablet-1", TUESDAY_9AM.replace(hour=start), 30, "Anna").ok
    _screen, confirm = confirm_page_for(qtbot, kiosk, "tablet-2", language)
    confirm.name.setText("Anna")
    confirm.confirm()
    assert confirm.refusal.isVisible() and confirm.refusal.text()
    keep_look(kiosk.window, f"name-limit-{language}")
