"""After booking: where to go and how to cancel, "Done" ends the visit; what is booked stays in
view while the name is typed; the days to pick from stand in a week of seven columns."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import date, datetime
from itertools import pairwise
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from kiosk import resources
from kiosk.app import KioskApp
from kiosk.config import SiteConfig, load_config
from kiosk.core.bookings import BookingService, device_policies, site_calendar
from kiosk.ui.bookings.device_list import View
from kiosk.ui.bookings.screen import BookingScreen, Page
from kiosk.ui.shell.screens import Screen
from tests.ui.running_app import shown_kiosk

TUESDAY_9AM = datetime(2026, 12, 1, 9, 0, tzinfo=ZoneInfo("Europe/Berlin"))
LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def kiosk(qtbot: QtBot, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[KioskApp]:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    with shown_kiosk(qtbot, load_config(resources.DEMO_CONFIG), data_dir) as app:
        yield app


@pytest.fixture
def service(kiosk: KioskApp) -> BookingService:
    site: SiteConfig = kiosk.window._config  # type: ignore[attr-defined]
    storage = kiosk.desk.storage
    assert storage is not None
    bookings = BookingService(
        storage.bookings,
        device_policies(site),
        site_calendar(site),
        storage.settings,
        clock=lambda: TUESDAY_9AM,
        no_show_minutes=site.bookings.no_show_minutes,
        purge_days=site.bookings.purge_days,
    )
    kiosk.window.attach_bookings(bookings)
    return bookings


def open_booking(qtbot: QtBot, kiosk: KioskApp, language: str = "en") -> BookingScreen:
    kiosk.window.start_session(language)
    qtbot.mouseClick(kiosk.window.home.try_device, LEFT)
    screen = kiosk.window.screen_widget(Screen.TRY_DEVICE)
    assert isinstance(screen, BookingScreen)
    return screen


def book_tablet(qtbot: QtBot, screen: BookingScreen) -> None:
    card = screen.list_page.cards["tablet-1"]
    screen.list_page._scroll.ensureWidgetVisible(card.buttons[0])
    qtbot.mouseClick(card.buttons[0], LEFT)
    assert screen.page is Page.CONFIRM
    screen.confirm_page.name.setText("Anna")
    screen.confirm_page.confirm()
    assert screen.page is Page.BOOKED


def test_the_booked_page_says_where_to_go_and_that_the_code_cancels(
    qtbot: QtBot, kiosk: KioskApp, service: BookingService
) -> None:
    screen = open_booking(qtbot, kiosk)
    book_tablet(qtbot, screen)
    lines = screen.booked_page.explanation.text().split("\n")
    # The device's place and the site's reception, each isolated inside the sentence.
    assert "The device is here: \u2068Table 1\u2069" in lines
    assert "Show your code here: \u2068Reception, ground floor\u2069" in lines
    assert "Cannot come? Cancel at the kiosk with this code." in lines
    kiosk.window.set_language("de")
    assert "Empfang im Erdgeschoss" in screen.booked_page.explanation.text()


def test_done_ends_the_visit_without_asking_again(
    qtbot: QtBot, kiosk: KioskApp, service: BookingService
) -> None:
    window = kiosk.window
    screen = open_booking(qtbot, kiosk)
    book_tablet(qtbot, screen)
    with qtbot.waitSignal(window.session_ended) as ended:
        qtbot.mouseClick(screen.booked_page.done_button, LEFT)
    assert ended.args == ["ended_by_visitor"]
    assert window.current_screen is Screen.ATTRACT
    assert screen.booked_page.booking is None  # the code is not left for the next visitor
    assert len(service.day(TUESDAY_9AM.date())) == 1  # the booking itself stays


def test_what_is_booked_stays_in_view_while_the_name_is_typed(
    qtbot: QtBot, kiosk: KioskApp, service: BookingService
) -> None:
    window = kiosk.window
    screen = open_booking(qtbot, kiosk)
    card = screen.list_page.cards["tablet-1"]
    qtbot.mouseClick(card.buttons[0], LEFT)
    confirm = screen.confirm_page
    assert not confirm.pinned.isVisible()
    qtbot.mouseClick(confirm.name, LEFT)
    qtbot.waitUntil(window.keyboard.isVisible)
    assert confirm.pinned.isVisible()
    assert confirm.pinned.text() == (
        "\u2068Android tablet\u2069 | Tuesday, December 1, 10:00\u202fAM\u201310:15\u202fAM"
    )
    # Above the field and outside the scrolled part: in view however far the page scrolled.
    assert not confirm._scroll.isAncestorOf(confirm.pinned)
    field_top = confirm.name.mapTo(confirm, confirm.name.rect().topLeft()).y()
    assert confirm.pinned.geometry().bottom() < field_top
    screen.setFocus()
    qtbot.waitUntil(lambda: not confirm.pinned.isVisible())


@pytest.mark.parametrize("language", ["de", "de-x-ls", "en", "uk", "ar", "ru", "tr", "fa"])
def test_the_days_stand_in_seven_columns_in_every_language(
    qtbot: QtBot, kiosk: KioskApp, service: BookingService, language: str
) -> None:
    screen = open_booking(qtbot, kiosk, language)
    lists = screen.list_page
    lists.choose_view(View.DAYS)
    QApplication.processEvents()
    buttons = [lists.day_buttons[day] for day in sorted(lists.day_buttons)]
    assert len(buttons) > 7
    columns = {button.x() for button in buttons}
    assert len(columns) == 7
    # Each weekday keeps its column: a week later is straight below.
    for earlier, later in zip(buttons, buttons[7:], strict=False):
        assert later.x() == earlier.x() and later.y() > earlier.y()
    widths = {button.width() for button in buttons}
    assert max(widths) - min(widths) <= 1
    # A week runs from the left, and from the right in Arabic and Persian.
    pairs = [(a, b) for a, b in pairwise(buttons) if a.y() == b.y()]
    rtl = language in ("ar", "fa")
    assert pairs and all((b.x() < a.x()) == rtl for a, b in pairs)
    assert date(2026, 12, 1) in lists.day_buttons
