"""Takes what the hub delivered into use at the next idle moment: new course versions and a new
site config. A visitor is never interrupted: while one is here (or staff are), nothing changes,
so a visitor in the middle of a lesson finishes it on the version they started."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, QTimer

from kiosk.core.session import SessionService
from kiosk.ui.parts.printers import printer_state
from kiosk.ui.shell.screens import Screen

if TYPE_CHECKING:
    from kiosk.ui.shell.main_window import MainWindow

log = logging.getLogger(__name__)
CHECK_MS = 2000  # a look at two small files
HEARTBEAT_MS = 60 * 1000


class FleetDesk(Protocol):
    """What the watch needs of the terminal (kiosk.terminal.TerminalDesk)."""

    def config_waiting(self) -> bool:
        """A checked site config from the hub waits to be taken into use."""

    def take_waiting_config(self) -> bool:
        """Take it into use; True when the kiosk must be built anew (it differs from the
        config the kiosk runs with)."""

    def course_updates(self) -> list[Path]:
        """The course folders the hub delivered, as installed now."""

    def prune_courses(self, keep: list[Path]) -> None:
        """Delete installed course versions no longer in use."""

    def heartbeat(self, printer: str) -> None:
        """Still running, and the printer's state."""


class FleetWatch(QObject):
    """Looks every two seconds whether the hub's deliveries changed and the kiosk is idle.

    ``apply_config`` builds the kiosk anew with the site config in use (kiosk.app.run_kiosk);
    without it a new config waits for the next start.
    """

    def __init__(
        self,
        window: MainWindow,
        sessions: SessionService,
        desk: FleetDesk,
        *,
        apply_config: Callable[[], None] | None,
        check_ms: int = CHECK_MS,
        heartbeat_ms: int = HEARTBEAT_MS,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._sessions = sessions
        self._desk = desk
        self._apply_config = apply_config
        # None: whatever the catalogue was loaded with, it is loaded anew at the first idle look
        # (a visitor may have opened it before the hub's courses were known).
        self._courses_in_use: list[Path] | None = None
        self._check = QTimer(self)
        self._check.setInterval(check_ms)
        self._check.timeout.connect(self.check)
        self._heartbeat = QTimer(self)
        self._heartbeat.setInterval(heartbeat_ms)
        self._heartbeat.timeout.connect(self.beat)

    def start(self) -> None:
        self.beat()
        self._check.start()
        self._heartbeat.start()

    def idle(self) -> bool:
        """No visitor session, no staff, the attract screen showing."""
        window = self._window
        return (
            self._sessions.current is None
            and not window.staff_active
            and window.current_screen == Screen.ATTRACT
        )

    def check(self) -> str:
        """Take what arrived into use if the kiosk is idle; says what was done ("" = nothing)."""
        if not self.idle():
            return ""
        rebuild = (
            self._apply_config is not None
            and self._desk.config_waiting()
            and self._desk.take_waiting_config()
        )
        if rebuild and self._apply_config is not None:
            log.info("the kiosk is built anew with the site config from the hub")
            self._apply_config()
            return "config"
        updates = self._desk.course_updates()
        if updates == self._courses_in_use:
            return ""
        first = self._courses_in_use is None
        self._courses_in_use = updates
        self._window.reload_courses()
        # Nothing uses the replaced versions any more: no visitor, the screens are gone.
        self._desk.prune_courses(keep=updates)
        if not first:
            log.info("course packages from the hub taken into use: %d installed", len(updates))
        return "courses"

    def beat(self) -> None:
        self._desk.heartbeat(printer_state())
