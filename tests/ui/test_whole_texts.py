"""Whole texts at the largest text size at 1280×800: the week of days shortens its words
instead of cutting them, and the home, code entry and code card pages scroll instead of
squeezing their texts or growing past the screen."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from kiosk import resources
from kiosk.app import KioskApp
from kiosk.config import SiteConfig, load_config
from kiosk.core.bookings import BookingService, device_policies, site_calendar
from kiosk.core.session import TEXT_SCALES
from kiosk.ui.bookings.day_button import DayButton
from kiosk.ui.bookings.device_list import View
from kiosk.ui.bookings.screen import BookingScreen
from kiosk.ui.shell.screens import Screen
from tests.ui.layout_checks import clipped_texts
from tests.ui.running_app import shown_kiosk

TUESDAY_9AM = datetime(2026, 12, 1, 9, 0, tzinfo=ZoneInfo("Europe/Berlin"))
LARGEST = len(TEXT_SCALES) - 1


@pytest.fixture
def kiosk(qtbot: QtBot, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[KioskApp]:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    with shown_kiosk(qtbot, load_config(resources.DEMO_CONFIG), data_dir) as app:
        yield app


@pytest.fixture
def service(kiosk: KioskApp) -> BookingService:
    site: SiteConfig = kiosk.window._config
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


def start_large(kiosk: KioskApp, language: str) -> None:
    """A visit in ``language`` at the largest text size, as a visitor sets it (A+)."""
    kiosk.window.start_session(language)
    for _ in range(LARGEST):
        kiosk.window.header.larger.click()


def week_of_days(kiosk: KioskApp) -> dict[date, DayButton]:
    kiosk.window.show_screen(Screen.TRY_DEVICE)
    screen = kiosk.window.screen_widget(Screen.TRY_DEVICE)
    assert isinstance(screen, BookingScreen)
    screen.list_page.choose_view(View.DAYS)
    QApplication.processEvents()
    return screen.list_page.day_buttons


def shown_lines_fit(button: DayButton) -> bool:
    metrics = button.fontMetrics()
    return all(
        metrics.horizontalAdvance(line) <= button.room() for line in button.text().split("\n")
    )


@pytest.mark.parametrize("language", ["de", "de-x-ls", "en", "ar", "ru", "uk"])
def test_the_week_of_days_shortens_words_to_its_columns_at_the_largest_size(
    qtbot: QtBot, kiosk: KioskApp, service: BookingService, language: str
) -> None:
    start_large(kiosk, language)
    buttons = week_of_days(kiosk)
    assert len({button.x() for button in buttons.values()}) == 7  # the columns stay
    assert all(button.height() >= 48 for button in buttons.values())
    qtbot.waitUntil(lambda: all(shown_lines_fit(button) for button in buttons.values()))
    assert clipped_texts(kiosk.window) == []
    # Said in full all the same: to a screen reader, and on the button as far as it fits.
    thursday, sunday = buttons[date(2026, 12, 10)], buttons[date(2026, 12, 6)]
    if language == "en":
        assert thursday.accessibleName() == "Thursday Dec 10"
        assert sunday.accessibleName() == "Sunday Dec 6 Closed"
        assert thursday.text().split("\n")[0] == "Thu"
    if language == "de":
        assert thursday.accessibleName() == "Donnerstag 10. Dez."
        assert thursday.text() == "Do.\n10.12."
    assert not sunday.isEnabled()
    assert len(sunday.text().split("\n")) == 3  # a closed day still says so, in short


def test_the_week_of_days_shows_the_full_words_where_they_fit(
    qtbot: QtBot, kiosk: KioskApp, service: BookingService
) -> None:
    kiosk.window.start_session("en")
    buttons = week_of_days(kiosk)
    qtbot.waitUntil(lambda: buttons[date(2026, 12, 6)].isVisible())
    assert buttons[date(2026, 12, 6)].text() == "Sunday\nDec 6\nClosed"
    assert buttons[date(2026, 12, 2)].text() == "Tomorrow\nDec 2"
    # Smaller again: the full words come back (the forms follow the text size both ways).
    start_large(kiosk, "en")
    thursday = week_of_days(kiosk)[date(2026, 12, 10)]
    qtbot.waitUntil(lambda: thursday.text().startswith("Thu\n"))
    for _ in range(LARGEST):
        kiosk.window.header.smaller.click()
    qtbot.waitUntil(lambda: thursday.text() == "Thursday\nDec 10")


def fits_the_screen(kiosk: KioskApp) -> list[str]:
    """What is cut off, and whether the page pushed the window past 1280×800."""
    found = clipped_texts(kiosk.window)
    if kiosk.window.size().toTuple() != (1280, 800):
        found.append(f"window grew to {kiosk.window.width()}x{kiosk.window.height()}")
    return found


@pytest.mark.parametrize("language", ["de", "de-x-ls", "en"])
def test_home_scrolls_to_show_both_cards_whole_at_the_largest_size(
    qtbot: QtBot, kiosk: KioskApp, language: str
) -> None:
    start_large(kiosk, language)
    home = kiosk.window.home
    assert kiosk.window.current_screen is Screen.HOME
    assert fits_the_screen(kiosk) == []
    # The cards take the height their words need; the page scrolls to the code entry.
    assert home.page.scrolls
    assert home.try_device.height() >= home.try_device.heightForWidth(home.try_device.width())
    assert home.page.cue.down.isVisible()
    home.page.cue.scroll_by_page(1)
    home.page.cue.scroll_by_page(1)
    corner = home.have_code.mapTo(home.page.viewport(), home.have_code.rect().bottomLeft())
    assert 0 <= corner.y() <= home.page.viewport().height()


def test_home_does_not_scroll_at_the_usual_size(qtbot: QtBot, kiosk: KioskApp) -> None:
    kiosk.window.start_session("de-x-ls")
    QApplication.processEvents()
    home = kiosk.window.home
    assert fits_the_screen(kiosk) == []
    assert not home.page.scrolls
    assert not home.page.verticalScrollBar().isVisible()  # the page looks as it always did


@pytest.mark.parametrize("language", ["de-x-ls", "en", "ar"])
def test_code_entry_scrolls_instead_of_growing_and_keeps_the_field_in_view(
    qtbot: QtBot, kiosk: KioskApp, language: str
) -> None:
    start_large(kiosk, language)
    kiosk.window.show_screen(Screen.RESUME_ENTRY)
    entry = kiosk.window.screen_widget(Screen.RESUME_ENTRY)
    field = entry.field  # type: ignore[attr-defined]
    field.setText("K7PM-R3X")  # one character short
    entry.submit()  # type: ignore[attr-defined]
    qtbot.waitUntil(kiosk.window.keyboard.isVisible)
    assert entry.message.isVisible()  # type: ignore[attr-defined]
    assert fits_the_screen(kiosk) == []
    viewport = entry.page.viewport()  # type: ignore[attr-defined]

    def field_in_view() -> bool:
        top: int = field.mapTo(viewport, field.rect().topLeft()).y()
        return top >= 0 and top + int(field.height()) <= viewport.height()

    qtbot.waitUntil(field_in_view)


@pytest.mark.parametrize("language", ["de", "de-x-ls"])
def test_the_code_card_explanation_is_whole_at_the_largest_size(
    qtbot: QtBot, kiosk: KioskApp, language: str
) -> None:
    start_large(kiosk, language)
    kiosk.window.show_screen(Screen.RESUME_CARD)
    card = kiosk.window.screen_widget(Screen.RESUME_CARD)
    assert card.explanation.text()  # type: ignore[attr-defined]
    assert fits_the_screen(kiosk) == []
    assert card.page.scrolls  # type: ignore[attr-defined]
