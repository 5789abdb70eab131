"""Site texts in the reader's language on real screens: a device's place on the visitor's
booking screens, the staff log as sentences, a public holiday's name on the staff desk."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtWidgets import QListWidget, QWidget
from pytestqt.qtbot import QtBot

from kiosk import resources
from kiosk.app import KioskApp
from kiosk.config import SiteConfig, load_config
from kiosk.core.bookings import BookingService
from kiosk.ui.bookings.screen import BookingScreen
from kiosk.ui.shell.screens import Screen
from kiosk.ui.staff.home import StaffHomeScreen
from tests.ui import desk_setup, test_booking_done
from tests.ui.desk_setup import Desk
from tests.ui.looks import keep_look
from tests.ui.running_app import shown_kiosk

desk = desk_setup.desk
service = test_booking_done.service  # the demo's bookings on a Tuesday morning


def tablet_placed_in_three_languages(config: SiteConfig) -> SiteConfig:
    """The demo site with the first tablet's place in German, English and Arabic only."""
    place = {"de": "Tisch 1", "en": "Table 1", "ar": "الطاولة 1"}
    devices = tuple(replace(d, location=place) if d.id == "tablet-1" else d for d in config.devices)
    return replace(config, devices=devices)


@pytest.fixture
def kiosk(qtbot: QtBot, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[KioskApp]:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    site = tablet_placed_in_three_languages(load_config(resources.DEMO_CONFIG))
    with shown_kiosk(qtbot, site, data_dir) as app:
        yield app


def booking_screen(qtbot: QtBot, kiosk: KioskApp, language: str) -> BookingScreen:
    return test_booking_done.open_booking(qtbot, kiosk, language)


def shot(widget: QWidget, name: str) -> None:
    keep_look(widget, f"site-texts-{name}")


def test_the_place_is_in_the_visitor_s_language_and_leichte_sprache_reads_german(
    qtbot: QtBot, kiosk: KioskApp, service: BookingService
) -> None:
    arabic = booking_screen(qtbot, kiosk, "ar")
    card = arabic.list_page.cards["tablet-1"]
    assert "\u2068الطاولة 1\u2069" in card.location.text()
    assert "Tisch" not in card.location.text() and "Table" not in card.location.text()
    shot(kiosk.window, "booking-ar")
    kiosk.window.set_language("en")
    assert "\u2068Table 1\u2069" in card.location.text()
    shot(kiosk.window, "booking-en")
    kiosk.window.set_language("de")
    shot(kiosk.window, "booking-de")
    # No Leichte Sprache text: German, although the site falls back to English first.
    kiosk.window.set_language("de-x-ls")
    assert "\u2068Tisch 1\u2069" in card.location.text()
    shot(kiosk.window, "booking-de-x-ls")
    # The other devices keep the demo's own texts in every language.
    assert "Schau·fenster" in arabic.list_page.cards["vacuum-1"].location.text()


def test_the_staff_log_reads_as_sentences_in_the_staff_s_language(kiosk: KioskApp) -> None:
    storage = kiosk.desk.storage
    assert storage is not None
    storage.staff_events.add("staff_pin_wrong", "2")
    storage.staff_events.add("staff_login")
    storage.staff_events.add("a_kind_from_a_newer_kiosk")
    window = kiosk.window
    window.open_staff_login()
    window.staff_login.authenticated.emit()
    window.set_language("en")
    home = window.screen_widget(Screen.STAFF_HOME)
    assert isinstance(home, StaffHomeScreen)
    home.refresh()
    log = home.findChild(QListWidget)
    assert log is not None
    lines = [log.item(row).text() for row in range(log.count())]
    assert any(line.endswith("  Staff signed in.") for line in lines), lines
    assert any(line.endswith("  Wrong PIN: 2 wrong tries in a row.") for line in lines), lines
    unknown = "  Something happened that this version of the kiosk cannot describe."
    assert any(line.endswith(unknown) for line in lines), lines
    for line in lines:
        assert "staff_" not in line and "a_kind" not in line, line
    shot(window, "staff-log-en")
    window.set_language("de")
    home.refresh()
    german = [log.item(row).text() for row in range(log.count())]
    signed_in = window._tr.gettext("Staff signed in.")
    assert any(line.endswith(f"  {signed_in}") for line in german), german
    assert not any("staff_" in line for line in german)
    shot(window, "staff-log-de")
    window.set_language("ar")
    home.refresh()
    shot(window, "staff-log-ar")


def test_a_public_holiday_is_named_in_the_staff_s_language_on_the_desk(desk: Desk) -> None:
    screen = desk.open("en")
    screen.show_day(date(2026, 10, 31))  # a Saturday, Thuringia's Reformation Day
    assert screen.timeline.day.closed_text == "Closed: Reformation Day"
    shot(desk.kiosk.window, "holiday-en")
    desk.kiosk.window.set_language("de")
    # Read again on the language switch: the name follows the staff's language.
    assert "Reformationstag" in screen.timeline.day.closed_text
    shot(desk.kiosk.window, "holiday-de")
    desk.kiosk.window.set_language("ar")
    assert "Reformationstag" in screen.timeline.day.closed_text
    shot(desk.kiosk.window, "holiday-ar")
