"""Staff mode's ways out: "Quit kiosk" asks first; the staff timeout counts from the last touch."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QElapsedTimer, QEvent, QPoint, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from kiosk import resources
from kiosk.app import KioskApp, build_app
from kiosk.config import load_config
from kiosk.ui.shell.quit_confirm import QuitConfirm
from kiosk.ui.shell.screens import Screen, Timing

STAYS = Timing(
    visitor_idle_ms=600_000,
    staff_idle_ms=600_000,
    warning_ms=30_000,
    notice_ms=60_000,
    greeting_ms=100_000,
    long_press_ms=3000,
)
# Staff mode ends 2 s after the last touch: 1.2 s quiet, then a 0.8 s warning.
STAFF_IDLE_MS, WARNING_MS = 1200, 800
TIMEOUT_MS = STAFF_IDLE_MS + WARNING_MS
SHORT = Timing(
    visitor_idle_ms=600_000,
    staff_idle_ms=STAFF_IDLE_MS,
    warning_ms=WARNING_MS,
    notice_ms=60_000,
    greeting_ms=100_000,
    long_press_ms=3000,
)

MakeApp = Callable[[Timing], KioskApp]


@pytest.fixture
def make_app(qtbot: QtBot, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[MakeApp]:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    built: list[KioskApp] = []

    def make(timing: Timing) -> KioskApp:
        app = build_app(
            load_config(resources.DEMO_CONFIG), data_dir, timing=timing, open_storage_now=True
        )
        app.window.resize(1280, 800)
        app.window.show()
        qtbot.waitExposed(app.window)
        # The composition root starts watching input after the first frame; a test touches
        # right away, so it starts watching now (watching twice is a no-op).
        app.window.watch_input()
        built.append(app)
        return app

    yield make
    for app in built:
        app.window.idle.disarm()
        app.window.close()
        app.window.deleteLater()
        if app.desk.storage is not None:
            app.desk.storage.close()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def in_staff_mode(app: KioskApp) -> None:
    app.window.enter_staff_mode()
    assert app.window.current_screen is Screen.STAFF_HOME
    assert app.window.staff_header.quit.isVisible()


def question(app: KioskApp) -> QuitConfirm:
    asked = app.window.staff_header.quit_question
    assert asked is not None
    return asked


def test_quit_kiosk_asks_and_a_tap_alone_does_not_quit(
    qtbot: QtBot, make_app: MakeApp, caplog: pytest.LogCaptureFixture
) -> None:
    app = make_app(STAYS)
    in_staff_mode(app)
    app.window.set_language("en")  # the texts below are the English ones
    with caplog.at_level(logging.INFO, logger="kiosk.ui.shell.main_window"):
        qtbot.mouseClick(app.window.staff_header.quit, Qt.MouseButton.LeftButton)
    asked = question(app)
    assert asked.isVisible()
    central = app.window.centralWidget()
    assert central is not None
    assert asked.geometry() == central.rect()  # over everything
    assert asked.question_text == (
        "Really quit the kiosk? The terminal shows nothing until it is started again."
    )
    assert (asked.quit_button.text(), asked.keep_button.text()) == ("Quit", "Keep running")
    assert app.window.focusWidget() is asked.keep_button  # Enter keeps the kiosk running
    assert app.window.isVisible()
    assert app.window.staff_active
    assert "kiosk closed from staff mode" not in caplog.messages

    qtbot.mouseClick(asked.keep_button, Qt.MouseButton.LeftButton)
    assert not asked.isVisible()
    assert app.window.isVisible()
    assert app.window.current_screen is Screen.STAFF_HOME


def test_confirming_the_question_quits_the_kiosk(
    qtbot: QtBot, make_app: MakeApp, caplog: pytest.LogCaptureFixture
) -> None:
    app = make_app(STAYS)
    in_staff_mode(app)
    qtbot.mouseClick(app.window.staff_header.quit, Qt.MouseButton.LeftButton)
    with caplog.at_level(logging.INFO, logger="kiosk.ui.shell.main_window"):
        qtbot.mouseClick(question(app).quit_button, Qt.MouseButton.LeftButton)
    assert "kiosk closed from staff mode" in caplog.messages
    assert not app.window.isVisible()


def test_a_touch_beside_the_card_keeps_the_kiosk_running(qtbot: QtBot, make_app: MakeApp) -> None:
    app = make_app(STAYS)
    in_staff_mode(app)
    qtbot.mouseClick(app.window.staff_header.quit, Qt.MouseButton.LeftButton)
    asked = question(app)
    qtbot.mouseClick(asked, Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    assert not asked.isVisible()
    assert app.window.isVisible()
    assert app.window.staff_active


def test_leaving_staff_mode_closes_the_question(qtbot: QtBot, make_app: MakeApp) -> None:
    app = make_app(STAYS)
    in_staff_mode(app)
    qtbot.mouseClick(app.window.staff_header.quit, Qt.MouseButton.LeftButton)
    app.window.leave_staff_mode()
    assert app.window.current_screen is Screen.ATTRACT
    assert not question(app).isVisible()
    # Back in staff mode later, nothing is asked until staff tap "Quit kiosk" again.
    in_staff_mode(app)
    assert not question(app).isVisible()


def test_the_staff_timeout_closes_the_question(qtbot: QtBot, make_app: MakeApp) -> None:
    app = make_app(SHORT)
    in_staff_mode(app)
    qtbot.mouseClick(app.window.staff_header.quit, Qt.MouseButton.LeftButton)
    assert question(app).isVisible()
    qtbot.waitUntil(lambda: not app.window.staff_active, timeout=TIMEOUT_MS * 3)
    assert app.window.current_screen is Screen.ATTRACT
    assert not question(app).isVisible()
    assert app.window.isVisible()


def test_the_staff_timeout_counts_from_the_last_touch(qtbot: QtBot, make_app: MakeApp) -> None:
    app = make_app(SHORT)
    clock = QElapsedTimer()
    left_at: list[int] = []
    app.window.screen_changed.connect(
        lambda screen: left_at.append(clock.elapsed()) if screen == Screen.ATTRACT.value else None
    )
    in_staff_mode(app)
    clock.start()
    qtbot.wait(round(TIMEOUT_MS * 0.6))
    assert app.window.staff_active
    touched_at = clock.elapsed()
    qtbot.mouseClick(app.window.staff_header, Qt.MouseButton.LeftButton, pos=QPoint(4, 4))

    # The first timeout has passed: staff are still there, because they touched the screen.
    qtbot.wait(TIMEOUT_MS - touched_at + 200)
    assert clock.elapsed() > TIMEOUT_MS
    assert app.window.staff_active
    assert not left_at

    # A whole timeout after the touch, staff mode ends (Qt's coarse timers may be 5 % early).
    qtbot.waitUntil(lambda: bool(left_at), timeout=TIMEOUT_MS * 3)
    assert left_at[0] - touched_at >= TIMEOUT_MS * 0.9
    assert not app.window.staff_active
