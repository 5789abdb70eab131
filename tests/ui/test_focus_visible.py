"""Focus is always visible: every control a keyboard reaches on a visitor screen looks different
at its edge while it has the focus (a focus ring), in the normal look and in high contrast."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from kiosk import resources
from kiosk.app import KioskApp
from kiosk.config import load_config
from kiosk.tour import tour_stops
from kiosk.ui import theme
from kiosk.ui.shell.screens import VISITOR_SCREENS, Screen
from tests.ui.running_app import shown_kiosk

EDGE = 4  # the band along a control's border where its focus ring is drawn, in pixels


@pytest.fixture
def kiosk(qtbot: QtBot, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[KioskApp]:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    with shown_kiosk(qtbot, load_config(resources.DEMO_CONFIG), data_dir) as app:
        app.window.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is app.window)
        yield app


def edge_differs(before: QImage, after: QImage) -> bool:
    """Some pixel within EDGE of the image's border differs between the two images."""
    width, height = min(before.width(), after.width()), min(before.height(), after.height())
    for y in range(height):
        inner_row = EDGE <= y < height - EDGE
        xs = (
            list(range(min(EDGE, width))) + list(range(max(0, width - EDGE), width))
            if inner_row
            else range(width)
        )
        for x in xs:
            if before.pixel(x, y) != after.pixel(x, y):
                return True
    return False


def tab_stops(root: QWidget) -> list[QWidget]:
    return [
        w
        for w in root.findChildren(QWidget)
        if w.isVisible()
        and w.isEnabled()
        and bool(w.focusPolicy() & Qt.FocusPolicy.TabFocus)
        and w.width() > 0
    ]


def unringed(kiosk: KioskApp) -> list[str]:
    """The Tab stops of the screen shown whose edge looks the same with and without focus."""
    window = kiosk.window
    missing = []
    for widget in tab_stops(window):
        window.setFocus()  # the window holds it: no control has the focus
        widget.clearFocus()
        QApplication.processEvents()
        without = widget.grab().toImage()
        widget.setFocus(Qt.FocusReason.TabFocusReason)
        QApplication.processEvents()
        if not widget.hasFocus():
            continue  # it passes the focus on (an unchosen button of a group): not a stop
        with_focus = widget.grab().toImage()
        widget.clearFocus()
        if not edge_differs(without, with_focus):
            name = widget.accessibleName() or getattr(widget, "text", lambda: "")()
            missing.append(f"{type(widget).__name__}#{widget.objectName()} {name!r}")
    return missing


@pytest.mark.parametrize("high", [False, True], ids=["normal", "high contrast"])
def test_every_visitor_control_shows_a_focus_ring(kiosk: KioskApp, high: bool) -> None:
    window = kiosk.window
    problems: dict[str, list[str]] = {}
    checked = 0
    try:
        for name, go in tour_stops(kiosk):
            go()
            window.set_language("en")
            window.access.contrast.set_high(high)  # again after each stop: the wipe resets it
            QApplication.processEvents()
            if window.current_screen not in VISITOR_SCREENS | {Screen.ATTRACT}:
                continue
            assert theme.is_high_contrast() is high
            checked += 1
            found = unringed(kiosk)
            if found:
                problems[name] = found
    finally:
        window.access.contrast.set_high(False)
    assert checked >= 10
    assert not problems, "\n".join(f"{k}: {v}" for k, v in problems.items())
