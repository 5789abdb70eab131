"""Night mode on the real window: it blanks outside opening hours when nobody is there, a touch
shows the kiosk for a minute, it wakes at opening; "shutdown" powers off only at a closing."""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from kiosk import resources
from kiosk.app import KioskApp
from kiosk.config import SiteConfig, load_config
from kiosk.core.bookings import site_calendar
from kiosk.core.night import NightPlan, power_state
from kiosk.core.session import EndReason
from kiosk.power import DisplayPower
from kiosk.ui.shell.night import NightWatch
from kiosk.ui.shell.screens import Screen
from tests.ui.looks import keep_look
from tests.ui.running_app import shown_kiosk

BERLIN = ZoneInfo("Europe/Berlin")


class Clock:
    """The time the test says it is."""

    def __init__(self, text: str) -> None:
        self.now = datetime.fromisoformat(text).replace(tzinfo=BERLIN)

    def __call__(self) -> datetime:
        return self.now

    def set(self, text: str) -> None:
        self.now = datetime.fromisoformat(text).replace(tzinfo=BERLIN)


class Commands:
    """What would have been run, in order."""

    def __init__(self, succeed: bool = True) -> None:
        self.run: list[str] = []
        self._succeed = succeed

    def __call__(self, command: Sequence[str]) -> bool:
        self.run.append(" ".join(command))
        return self._succeed


def night_site(mode: str = "blank") -> SiteConfig:
    config = load_config(resources.DEMO_CONFIG)
    hours = {day: "10:00-18:00" for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
    return dataclasses.replace(
        config,
        opening_hours=dataclasses.replace(config.opening_hours, **hours),
        bookings=dataclasses.replace(config.bookings, closures=(), public_holidays=""),
        power=dataclasses.replace(config.power, night=mode),
    )


@pytest.fixture
def kiosk(qtbot: QtBot, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[KioskApp]:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    with shown_kiosk(qtbot, night_site(), data_dir) as app:
        yield app


def watch_of(
    app: KioskApp,
    clock: Clock,
    display: Commands,
    mode: str = "blank",
    switch_off: Commands | None = None,
) -> NightWatch:
    config = app.config
    calendar = site_calendar(config)
    plan = NightPlan(mode, timedelta(minutes=15), timedelta(minutes=15))
    window = app.window
    return NightWatch(
        window,
        mode=mode,
        schedule=lambda now: power_state(calendar, plan, now),
        idle=lambda: app.sessions.current is None and window.current_screen is Screen.ATTRACT,
        site_name=config.site.name,
        clock=clock,
        display=DisplayPower(
            environ={"WAYLAND_DISPLAY": "wayland-0"}, which=lambda _n: "wlopm", run=display
        ),
        switch_off=(lambda: switch_off(["poweroff"])) if switch_off else (lambda: False),
        check_ms=3_600_000,  # the test asks the schedule itself
    )


def test_the_window_blanks_at_night_wakes_for_a_touch_and_at_opening(
    qtbot: QtBot, kiosk: KioskApp
) -> None:
    clock = Clock("2025-03-05T12:00")
    display = Commands()
    watch = watch_of(kiosk, clock, display)
    watch.start()
    assert not watch.is_blank

    clock.set("2025-03-05T18:16")
    watch.check()
    assert watch.is_blank
    assert watch.screen.geometry() == kiosk.window.rect(), "the black page covers everything"
    assert display.run == ["wlopm --off *"]
    keep_look(kiosk.window, "night")
    image = watch.screen.grab().toImage()
    assert image.pixelColor(5, 5).name() == "#000000"

    qtbot.mouseClick(watch.screen, Qt.MouseButton.LeftButton)
    assert not watch.is_blank
    assert display.run[-1] == "wlopm --on *"
    assert kiosk.window.current_screen is Screen.ATTRACT, "the waking touch starts nothing"
    assert kiosk.sessions.current is None

    clock.now += timedelta(seconds=50)
    watch.check()
    assert not watch.is_blank, "a touch shows the kiosk for a minute"
    clock.now += timedelta(seconds=11)
    watch.check()
    assert watch.is_blank

    clock.set("2025-03-06T09:46")
    watch.check()
    assert not watch.is_blank
    assert display.run[-1] == "wlopm --on *"


def test_a_visitor_at_night_is_never_blanked(qtbot: QtBot, kiosk: KioskApp) -> None:
    clock = Clock("2025-03-05T22:00")
    watch = watch_of(kiosk, clock, Commands())
    watch.start()
    assert watch.is_blank
    qtbot.mouseClick(watch.screen, Qt.MouseButton.LeftButton)
    kiosk.window.start_session("ar")
    clock.now += timedelta(minutes=5)
    watch.check()
    assert not watch.is_blank
    kiosk.window.end_session(EndReason.ENDED_BY_VISITOR)
    watch.check()
    assert watch.is_blank, "once the visitor is gone and the minute is over"


def test_shutdown_powers_off_at_closing_but_not_when_started_at_night(
    qtbot: QtBot, kiosk: KioskApp
) -> None:
    clock = Clock("2025-03-05T17:00")
    off = Commands()
    watch = watch_of(kiosk, clock, Commands(), mode="shutdown", switch_off=off)
    watch.start()
    clock.set("2025-03-05T18:15")
    watch.check()
    assert off.run == ["poweroff"]
    assert not watch.is_blank

    started_at_night = Clock("2025-03-05T23:00")
    off_again = Commands()
    night_watch = watch_of(
        kiosk, started_at_night, Commands(), mode="shutdown", switch_off=off_again
    )
    night_watch.start()
    assert off_again.run == [], "switched on at night for maintenance: stays on, blanked"
    assert night_watch.is_blank


def test_a_refused_power_off_blanks_instead(qtbot: QtBot, kiosk: KioskApp) -> None:
    clock = Clock("2025-03-05T17:00")
    refused = Commands(succeed=False)
    watch = watch_of(kiosk, clock, Commands(), mode="shutdown", switch_off=refused)
    watch.start()
    clock.set("2025-03-05T18:30")
    watch.check()
    assert refused.run == ["poweroff"]
    assert watch.is_blank


def test_the_kiosk_starts_night_mode_from_its_config(qtbot: QtBot, kiosk: KioskApp) -> None:
    qtbot.waitUntil(lambda: kiosk.window.findChild(NightWatch) is not None)


def test_night_mode_off_builds_nothing(qtbot: QtBot, data_dir: Path) -> None:
    with shown_kiosk(qtbot, night_site("off"), data_dir) as app:
        qtbot.wait(50)
        assert app.window.findChild(NightWatch) is None
