"""The window staff see instead of the kiosk when its data folder cannot be written.

A kiosk that exits here would be started again by systemd within seconds, forever, with
nothing on the screen to say why. This window stays up instead: it says what is wrong in the
site's default language, shows the log's last lines when they can be read, keeps feeding the
watchdog from its event loop, and starts the kiosk once the folder can be written again.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Mapping
from pathlib import Path

from PySide6.QtCore import QEventLoop, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget

from kiosk import resources
from kiosk.config import SiteConfig
from kiosk.core.i18n import N_, Translator
from kiosk.logs import start_logging
from kiosk.ui import theme
from kiosk.ui.parts.screen_base import label
from kiosk.ui.shell.qt_language import apply_direction
from kiosk.ui.shell.watchdog import WatchdogPinger

log = logging.getLogger(__name__)
TITLE = N_("The kiosk cannot start")
MESSAGE = N_(
    "The kiosk cannot write its data folder {path} (read-only or full). Ask the administrator."
)
LOG_TITLE = N_("Last lines of the log:")
LOG_LINES_SHOWN = 12
RETRY_MS = 30_000  # how often the folder is tried again


def last_log_lines(folder: Path, count: int = LOG_LINES_SHOWN) -> list[str]:
    """The log file's last lines, or none when it cannot be read (it holds no personal data)."""
    try:
        with (folder / "logs" / "kiosk.log").open(encoding="utf-8", errors="replace") as file:
            return [line.rstrip("\n") for line in file.readlines()[-count:]]
    except OSError:
        return []


def _log_can_start(folder: Path) -> bool:
    try:
        start_logging(folder)
    except OSError:
        return False
    return True


class DataFolderErrorWindow(QWidget):
    """A plain, calm page: what is wrong, whom to ask, and the log's last lines."""

    closed = Signal()
    """The window was closed (the folder can be written again, or a demo window was shut)."""

    def __init__(self, translator: Translator, folder: Path, reason: str) -> None:
        super().__init__()
        self.setObjectName("dataFolderError")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        _ = translator.gettext
        self.setWindowTitle(_(TITLE))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(64, 48, 64, 48)
        layout.setSpacing(20)
        self.title = label(self, "title")
        self.title.setText(_(TITLE))
        self.message = label(self)
        # The path kept whole and left to right inside Arabic or Persian text.
        self.message.setText(_(MESSAGE).format(path=f"\u2066{folder}\u2069"))
        # The operating system's words, for the administrator (untranslated, like the log).
        self.reason = label(self, "muted")
        self.reason.setText(reason)
        lines = last_log_lines(folder)
        self.log_title = label(self, "muted")
        self.log_title.setText(_(LOG_TITLE))
        self.log_lines = label(self, "muted")
        # Log lines read left to right in every language (a mark starts each line, or one
        # beginning with a date would be laid out right to left under an Arabic interface).
        self.log_lines.setText("\n".join(f"\u200e{line}" for line in lines))
        for technical in (self.reason, self.log_lines):
            technical.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
            technical.setAlignment(
                Qt.AlignmentFlag.AlignLeft
                | Qt.AlignmentFlag.AlignAbsolute
                | Qt.AlignmentFlag.AlignTop
            )
        self.log_title.setVisible(bool(lines))
        self.log_lines.setVisible(bool(lines))
        for widget in (self.title, self.message, self.reason, self.log_title, self.log_lines):
            layout.addWidget(widget)
        layout.addStretch(1)

    def closeEvent(self, event: QCloseEvent) -> None:
        super().closeEvent(event)
        self.closed.emit()


def wait_for_data_folder(
    config: SiteConfig,
    folder: Path,
    error: OSError,
    *,
    writable: Callable[[], bool] | None = None,
    kiosk_mode: bool = False,
    retry_ms: int = RETRY_MS,
    environ: Mapping[str, str] = os.environ,
) -> bool:
    """Show the error until ``writable()`` (default: the log can be started in ``folder``)
    says the folder can be written (True: start the kiosk now) or the window is closed (False;
    a windowed demo only). The caller has said what is wrong on stderr already."""
    app = QApplication.instance()
    qt = app if isinstance(app, QApplication) else QApplication([])
    translator = Translator(
        resources.TRANSLATIONS, config.languages.enabled, config.languages.default
    )
    qt.setFont(theme.app_font(theme.register_fonts(resources.FONTS)))
    theme.apply(qt)
    apply_direction(translator.current)
    window = DataFolderErrorWindow(translator, folder, error.strerror or str(error))
    pinger = WatchdogPinger(window, environ=environ)
    became_writable: list[bool] = []

    def try_again() -> None:
        if (writable or (lambda: _log_can_start(folder)))():
            log.info("the data folder can be written again; starting the kiosk")
            became_writable.append(True)
            window.close()

    # A loop of its own, not qt.exec(): once the application's loop has returned, Qt treats the
    # application as closing, and the kiosk started afterwards would get no timers.
    loop = QEventLoop()
    window.closed.connect(loop.quit)
    retry = QTimer(window)
    retry.timeout.connect(try_again)
    retry.start(retry_ms)
    if kiosk_mode:
        window.showFullScreen()
    else:
        window.resize(1280, 800)
        window.show()
    pinger.start()
    QTimer.singleShot(0, pinger.ready)  # the window is up: systemd need not wait any longer
    loop.exec()
    retry.stop()
    window.deleteLater()
    return bool(became_writable)
