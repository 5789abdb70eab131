"""Notices when nobody has touched the kiosk, warns, counts down, and then says time is up."""

from __future__ import annotations

import math

from PySide6.QtCore import QElapsedTimer, QEvent, QObject, QTimer, Signal

# Anything a person does: touch, click, drag, wheel, keys (physical or on-screen).
ACTIVITY_EVENTS = frozenset(
    {
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonRelease,
        QEvent.Type.MouseMove,
        QEvent.Type.TouchBegin,
        QEvent.Type.TouchUpdate,
        QEvent.Type.Wheel,
        QEvent.Type.KeyPress,
        QEvent.Type.TabletPress,
    }
)


class IdleMonitor(QObject):
    """An application-wide event filter with two phases: idle wait, then a warning countdown.

    Any activity during either phase starts over; only the full countdown without activity ends
    the session. Durations are given in milliseconds so tests can make them tiny.
    """

    warning_started = Signal(int)
    """Nobody touched the screen for the idle time; the countdown (whole seconds left) began."""
    countdown_ticked = Signal(int)
    """Seconds left in the warning countdown."""
    warning_cancelled = Signal()
    """Someone touched the screen during the countdown."""
    timed_out = Signal()
    """The countdown ran out: the session must be wiped."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._idle_ms = 0
        self._warning_ms = 0
        self._armed = False
        self._warning = False
        self._held = False
        self._idle_timer = QTimer(self)
        self._idle_timer.setSingleShot(True)
        self._idle_timer.timeout.connect(self._start_warning)
        self._deadline = QTimer(self)
        self._deadline.setSingleShot(True)
        self._deadline.timeout.connect(self._expire)
        self._ticker = QTimer(self)
        self._ticker.setInterval(200)
        self._ticker.timeout.connect(self._tick)
        self._elapsed = QElapsedTimer()
        self._last_shown = -1

    @property
    def armed(self) -> bool:
        return self._armed

    @property
    def warning(self) -> bool:
        """True while the countdown runs."""
        return self._warning

    def arm(self, idle_ms: int, warning_ms: int) -> None:
        """Start (or restart) watching with these durations."""
        self._idle_ms, self._warning_ms = idle_ms, warning_ms
        self._armed = True
        self._stop_warning()
        if not self._held:
            self._idle_timer.start(self._idle_ms)

    def disarm(self) -> None:
        """Stop watching (nobody is in a session, e.g. on the attract screen)."""
        self._armed = False
        self._idle_timer.stop()
        self._stop_warning()

    def seconds_left(self) -> int:
        if not self._warning:
            return math.ceil(self._warning_ms / 1000)
        remaining = max(0, self._warning_ms - self._elapsed.elapsed())
        return math.ceil(remaining / 1000)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self._armed and event.type() in ACTIVITY_EVENTS:
            self.activity()
        return False

    def activity(self) -> None:
        """Someone is there: cancel a running warning and restart the idle wait."""
        if not self._armed:
            return
        if self._warning:
            self._stop_warning()
            self.warning_cancelled.emit()
        if not self._held:
            self._idle_timer.start(self._idle_ms)

    @property
    def held(self) -> bool:
        """True while something the visitor listens to holds the idle wait."""
        return self._held

    def hold(self, held: bool) -> None:
        """While held (the kiosk reads aloud to the visitor), the idle wait does not run: someone
        listening is there, touching nothing. Released, the wait starts over. A countdown already
        running goes on: the warning itself may be read aloud."""
        self._held = held
        if held:
            self._idle_timer.stop()
        elif self._armed and not self._warning:
            self._idle_timer.start(self._idle_ms)

    def _start_warning(self) -> None:
        self._warning = True
        self._elapsed.start()
        self._deadline.start(self._warning_ms)
        self._ticker.start()
        self._last_shown = self.seconds_left()
        self.warning_started.emit(self._last_shown)

    def _tick(self) -> None:
        left = self.seconds_left()
        if left != self._last_shown:
            self._last_shown = left
            self.countdown_ticked.emit(left)

    def _stop_warning(self) -> None:
        self._warning = False
        self._deadline.stop()
        self._ticker.stop()

    def _expire(self) -> None:
        self._stop_warning()
        self._armed = False
        self.timed_out.emit()
