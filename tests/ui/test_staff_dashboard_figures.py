"""The staff dashboard shows the counts that were stored: expected figures are written down from
the seeded events, never taken from the `dashboard()` the screen itself reads."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pytestqt.qtbot import QtBot

from kiosk import resources
from kiosk.app import KioskApp
from kiosk.config import SiteConfig, load_config
from kiosk.storage.database import Storage
from kiosk.ui.shell.screens import Screen
from kiosk.ui.stats.screen import StaffStatsScreen
from tests.ui.running_app import shown_kiosk


@pytest.fixture
def site() -> SiteConfig:
    return load_config(resources.DEMO_CONFIG)


def today_at(site: SiteConfig) -> date:
    return datetime.now(ZoneInfo(site.site.timezone)).date()


def seeded_events(today: date) -> list[tuple[str, str, str, str, str, str, str]]:
    """Known counts: sessions on three days of the last 14 (and one day too old to show),
    courses started, bookings per kind, consultations today and yesterday."""
    rows: list[tuple[str, str, str, str, str, str, str]] = []

    def add(day: date, kind: str, times: int, *, language: str = "", course: str = "",
            device: str = "", format: str = "") -> None:  # fmt: skip
        hour = f"{day.isoformat()}T11"
        rows.extend([(hour, kind, language, course, device, format, "")] * times)

    add(today, "session_started", 7, language="de")
    add(today, "session_started", 3, language="ar")
    add(today - timedelta(days=1), "session_started", 4, language="uk")
    add(today - timedelta(days=13), "session_started", 2, language="de")
    add(today - timedelta(days=14), "session_started", 50, language="en")  # outside the 14 days
    add(today, "course_started", 5, course="video-calls", format="self_learning")
    add(today - timedelta(days=1), "course_started", 2, course="safe-passwords")
    add(today, "booking_created", 3, device="tablet")
    add(today - timedelta(days=2), "booking_created", 1, device="vr-headset")
    add(today, "consultation", 2, format="consultation")
    add(today - timedelta(days=1), "consultation", 9, format="consultation")  # not today
    return rows


@pytest.fixture
def kiosk(
    qtbot: QtBot, site: SiteConfig, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[KioskApp]:
    storage = Storage.open(data_dir)
    try:
        storage.usage.add_events(seeded_events(today_at(site)))
    finally:
        storage.close()
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    with shown_kiosk(qtbot, site, data_dir) as app:
        yield app


def test_the_dashboard_shows_the_seeded_counts(kiosk: KioskApp) -> None:
    kiosk.window.enter_staff_mode()
    kiosk.window.set_language("en")
    kiosk.window.show_screen(Screen.STAFF_STATS)
    screen = kiosk.window.screen_widget(Screen.STAFF_STATS)
    assert isinstance(screen, StaffStatsScreen)

    # Oldest first: 13 days ago 2, then nothing until yesterday 4 and today 7 + 3.
    assert screen.days_chart.values == [2, *[0] * 11, 4, 10]
    assert screen.days_summary.text() == "16 in the last 14 days"
    assert screen.ranked["courses"].values == [5, 2]
    assert screen.ranked["devices"].values == [3, 1]
    assert screen.ranked["languages"].values == [9, 4, 3]  # de 7 + 2, uk 4, ar 3
    assert screen.ranked["languages"].labels[0] == "Deutsch"
    assert screen.consultations_today.text() == "2"
