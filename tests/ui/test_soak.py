"""A short soak in `make test`: sixty visitor sessions through the real window leave no more
widgets or Qt objects behind than the first ten did (the full thousand, with the memory they
take, is `make bench`'s soak_rss_growth)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tests.bench import soak


def counts() -> tuple[int, int]:
    """Widgets alive, and Qt objects owned by the application (translators, timers, …)."""
    app = QApplication.instance()
    assert app is not None
    return len(QApplication.allWidgets()), len(app.findChildren(QObject))


def test_sixty_sessions_leave_nothing_behind(qtbot: QtBot, data_dir: Path) -> None:
    app = soak.start_kiosk(data_dir)
    try:
        soak.run_sessions(app, 10)  # every language and every course once
        warm = counts()
        soak.run_sessions(app, 50, first=10)
        assert counts() == warm
    finally:
        app.window.idle.disarm()
        app.window.close()
        app.window.deleteLater()
        soak.settle()
        if app.desk.storage is not None:
            app.desk.storage.close()
