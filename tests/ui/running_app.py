"""The real kiosk, shown at 1280×800 for a test, and torn down cleanly afterwards."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from kiosk.app import KioskApp, build_app
from kiosk.config import SiteConfig
from kiosk.ui.shell.screens import Timing

# Nothing fires on its own while a test clicks through (idle, greeting, notice).
SLOW = Timing(
    visitor_idle_ms=600_000,
    staff_idle_ms=600_000,
    warning_ms=30_000,
    notice_ms=8000,
    greeting_ms=100_000,
    long_press_ms=3000,
)


@contextmanager
def shown_kiosk(
    qtbot: QtBot, site: SiteConfig, data_dir: Path, **options: Any
) -> Iterator[KioskApp]:
    """The whole app with its database open, shown and exposed; closed again afterwards.
    ``options`` go to build_app."""
    app = build_app(site, data_dir, timing=SLOW, open_storage_now=True, **options)
    app.window.resize(1280, 800)
    app.window.show()
    qtbot.waitExposed(app.window)
    try:
        yield app
    finally:
        app.desk.stop_sync()  # a joined terminal's sync thread must not outlive its test
        app.window.idle.disarm()
        app.window.close()
        app.window.deleteLater()
        QGuiApplication.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        if app.desk.storage is not None:
            app.desk.storage.close()
