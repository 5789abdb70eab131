"""The real kiosk for speech-mode tests: its voice a recording fake, gestures as a finger makes
them (press, hold, swipe), and what was said last."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from kiosk import resources
from kiosk.app import KioskApp, build_app
from kiosk.config import load_config
from kiosk.ui.shell.attract import SPEECH_HOLD_MS
from kiosk.ui.shell.speech.explore import SpeechMode
from tests.ui.running_app import SLOW
from tests.ui.speech_fake import RecordingBackend

LEFT = Qt.MouseButton.LeftButton
HINT_MS = 300


@contextmanager
def speech_kiosk(
    qtbot: QtBot, data_dir: Path, fake: RecordingBackend, **timing: Any
) -> Iterator[KioskApp]:
    """The demo kiosk at 1280×800, the attract hint due every 300 ms unless `timing` says."""
    config = load_config(resources.DEMO_CONFIG)
    chosen = dataclasses.replace(
        SLOW, **{"speech_hint_ms": HINT_MS, "long_press_ms": 300, **timing}
    )
    app = build_app(
        config, data_dir, timing=chosen, open_storage_now=True, speech_backend=lambda: fake
    )
    app.window.resize(1280, 800)
    app.window.show()
    qtbot.waitExposed(app.window)
    qtbot.waitUntil(lambda: app.window.access.speech_built)  # on the turn after the first frame
    app.window.activateWindow()
    try:
        yield app
    finally:
        app.window.idle.disarm()
        app.window.close()
        app.window.deleteLater()
        if app.desk.storage is not None:
            app.desk.storage.close()


def mode_of(kiosk: KioskApp) -> SpeechMode:
    return kiosk.window.access.speech_mode


def centre_of(widget: QWidget) -> QPoint:
    return widget.rect().center()


def start_by_hold(qtbot: QtBot, kiosk: KioskApp) -> None:
    attract = kiosk.window.attract
    qtbot.mousePress(attract, LEFT, pos=QPoint(attract.width() // 2, 20))
    qtbot.waitUntil(lambda: mode_of(kiosk).active, timeout=SPEECH_HOLD_MS + 1000)
    qtbot.mouseRelease(attract, LEFT, pos=QPoint(attract.width() // 2, 20))


def said_last(fake: RecordingBackend) -> str:
    return fake.calls[-1][0] if fake.calls else ""


def swipe(widget: QWidget, start: QPoint, dx: int, dy: int, steps: int = 5) -> None:
    """A finger down at `start` of `widget`, moved by (dx, dy) in steps, and lifted."""

    def send(kind: QEvent.Type, at: QPoint, buttons: Qt.MouseButton) -> None:
        event = QMouseEvent(
            kind,
            QPointF(at),
            QPointF(widget.mapToGlobal(at)),
            LEFT if kind != QEvent.Type.MouseMove else Qt.MouseButton.NoButton,
            buttons,
            Qt.KeyboardModifier.NoModifier,
        )
        QApplication.sendEvent(widget, event)

    send(QEvent.Type.MouseButtonPress, start, LEFT)
    for step in range(1, steps + 1):
        at = start + QPoint(dx * step // steps, dy * step // steps)
        send(QEvent.Type.MouseMove, at, LEFT)
    send(QEvent.Type.MouseButtonRelease, start + QPoint(dx, dy), Qt.MouseButton.NoButton)
