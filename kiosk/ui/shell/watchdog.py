"""Keeps systemd's watchdog fed from the UI thread's event loop, so a frozen kiosk is restarted.

The ping is a QTimer on the UI thread: while the event loop turns, "WATCHDOG=1" goes out every
half WatchdogSec; when the loop hangs (a slot that never returns, a deadlock), the pings stop
and systemd restarts the unit. Without NOTIFY_SOCKET (Windows, development) nothing is sent.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from PySide6.QtCore import QObject, QTimer

from kiosk.watchdog import notify, ping_interval_ms, supervised


class WatchdogPinger(QObject):
    """Tells the service manager the kiosk is ready, alive (from its event loop) and stopping."""

    def __init__(
        self, parent: QObject | None = None, *, environ: Mapping[str, str] = os.environ
    ) -> None:
        super().__init__(parent)
        self._environ = environ
        self._ready_sent = False
        self._timer = QTimer(self)
        self._timer.setInterval(ping_interval_ms(environ))
        self._timer.timeout.connect(self.ping)

    @property
    def interval_ms(self) -> int:
        return self._timer.interval()

    @property
    def pinging(self) -> bool:
        return self._timer.isActive()

    def start(self) -> None:
        """Ping from now on (nothing happens at all when no service manager listens)."""
        if supervised(self._environ) and not self._timer.isActive():
            self.ping()
            self._timer.start()

    def ping(self) -> None:
        notify("WATCHDOG=1", self._environ)

    def ready(self) -> None:
        """The first frame is shown: the unit counts as started (once per process)."""
        if not self._ready_sent and supervised(self._environ):
            self._ready_sent = True
            notify("READY=1", self._environ)

    def stopping(self) -> None:
        """The kiosk ends on purpose: a stop, not a hang (the timer stops too)."""
        self._timer.stop()
        if supervised(self._environ):
            notify("STOPPING=1", self._environ)
