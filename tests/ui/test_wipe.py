"""A wipe step that fails does not stop the wipe: every other step runs, the failure is logged
without what the visitor typed, and the failing screen is built afresh for the next visitor."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot
from shiboken6 import isValid

from kiosk import resources
from kiosk.app import KioskApp
from kiosk.config import load_config
from kiosk.core.session import EndReason
from kiosk.ui.bookings.screen import BookingScreen
from kiosk.ui.shell.screens import Screen
from tests.ui.running_app import shown_kiosk


@pytest.fixture
def kiosk(qtbot: QtBot, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[KioskApp]:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    with shown_kiosk(qtbot, load_config(resources.DEMO_CONFIG), data_dir) as app:
        yield app


def fail_with_visitor_text() -> None:
    raise RuntimeError("Anna Beispiel 4711")  # what an error's message could quote


def test_a_failing_screen_reset_leaves_the_rest_wiped_and_is_rebuilt(
    qtbot: QtBot,
    kiosk: KioskApp,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    window = kiosk.window
    window.start_session("en")
    home = window.home  # built before the others, so its reset runs first
    monkeypatch.setattr(home, "reset", fail_with_visitor_text)
    window.open_booking("tablet")
    booking = window.screen_widget(Screen.TRY_DEVICE)
    assert isinstance(booking, BookingScreen)
    assert booking.list_page.kind == "tablet"
    window.show_screen(Screen.RESUME_ENTRY)
    code_field = window.screen_widget(Screen.RESUME_ENTRY).findChild(QLineEdit)
    assert code_field is not None
    code_field.setText("KX7P")
    QApplication.clipboard().setText("Anna")

    with caplog.at_level(logging.INFO, logger="kiosk"):
        window.end_session(EndReason.ENDED_BY_VISITOR)

    assert window.current_screen is Screen.ATTRACT
    assert booking.list_page.kind == "", "a later screen's reset still ran"
    assert code_field.text() == ""
    assert QApplication.clipboard().text() == ""
    failures = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(failures) == 1
    assert failures[0].startswith("wipe step home failed: RuntimeError at test_wipe.py:")
    assert "Anna" not in caplog.text and "4711" not in caplog.text
    assert "session ended" in caplog.text

    fresh = window.home
    assert fresh is not home, "the screen whose reset failed is built anew"
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert not isValid(home), "the old screen is deleted"
    window.start_session("de")
    assert window.current_screen is Screen.HOME
    assert window.stack.currentWidget() is fresh
    assert fresh.isVisible()


def test_a_failing_session_wipe_hook_does_not_stop_the_others(
    qtbot: QtBot, kiosk: KioskApp, caplog: pytest.LogCaptureFixture
) -> None:
    """Hooks registered with the session service (progress, the window) all run."""
    kiosk.sessions.on_wipe(fail_with_visitor_text)
    later: list[str] = []
    kiosk.sessions.on_wipe(lambda: later.append("ran"))
    kiosk.window.start_session("en")
    kiosk.window.end_session(EndReason.IDLE)
    assert later == ["ran"]
    assert kiosk.window.current_screen is Screen.ATTRACT
    assert "a session wipe step failed: RuntimeError" in caplog.text
    assert "Anna" not in caplog.text
