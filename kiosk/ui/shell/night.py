"""Night mode on the screen: outside opening hours, with nobody at the kiosk, a black page
covers the window and the display sleeps; a touch shows the kiosk for a minute; it wakes at
opening. With [power] night = "shutdown" the terminal is switched off at closing instead.

The schedule itself (kiosk.core.night) is pure; this module only asks it, on a timer, with a
clock the tests replace.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QKeyEvent, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget

from kiosk.config import SiteConfig
from kiosk.core.bookings import site_calendar
from kiosk.core.night import NightPlan, PowerState, power_state
from kiosk.core.session import SessionService
from kiosk.power import DisplayPower, power_off
from kiosk.ui.shell.screens import Screen

if TYPE_CHECKING:
    from kiosk.ui.shell.main_window import MainWindow

log = logging.getLogger(__name__)
CHECK_MS = 30_000  # how often the schedule is asked (clock changes and DST need no special case)
TOUCH_AWAKE = timedelta(minutes=1)
DIM_TEXT = QColor("#3a3a3a")  # the site's name, barely visible on black


class NightScreen(QWidget):
    """A black page over the whole window, the site's name dimmed; any touch wakes."""

    touched = Signal()
    """Someone touched the black screen (or pressed a key)."""

    def __init__(self, site_name: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("nightScreen")
        self._parent = parent
        self._site_name = site_name
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName(site_name)
        parent.installEventFilter(self)
        self.hide()

    def cover(self) -> None:
        self.setGeometry(self._parent.rect())
        self.show()
        self.raise_()
        self.setFocus(Qt.FocusReason.OtherFocusReason)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._parent and event.type() == QEvent.Type.Resize and self.isVisible():
            self.setGeometry(self._parent.rect())
        return False

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), Qt.GlobalColor.black)
        painter.setPen(DIM_TEXT)
        painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self._site_name)
        painter.end()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        event.accept()  # the touch that wakes the kiosk starts nothing else
        self.touched.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        event.accept()
        self.touched.emit()


class NightWatch(QObject):
    """Blanks the window (or powers off) when the schedule says asleep and nobody is there."""

    blanked = Signal(bool)
    """The black page was put up (True) or taken away (False)."""

    def __init__(
        self,
        window: QWidget,
        *,
        mode: str,
        schedule: Callable[[datetime], PowerState],
        idle: Callable[[], bool],
        site_name: str,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        display: DisplayPower | None = None,
        switch_off: Callable[[], bool] = power_off,
        check_ms: int = CHECK_MS,
        touch_awake: timedelta = TOUCH_AWAKE,
    ) -> None:
        super().__init__(window)
        self._mode = mode
        self._schedule = schedule
        self._idle = idle
        self._clock = clock
        self._display = display if display is not None else DisplayPower()
        self._switch_off = switch_off
        self._touch_awake = touch_awake
        self._touched_until: datetime | None = None
        # Powering off only at a closing seen while running: a terminal switched on at night
        # (for maintenance) must not go straight off again.
        self._seen_awake = False
        self.screen = NightScreen(site_name, window)
        self.screen.touched.connect(self.touched)
        self._timer = QTimer(self)
        self._timer.setInterval(check_ms)
        self._timer.timeout.connect(self.check)

    @property
    def is_blank(self) -> bool:
        return self.screen.isVisible()

    def start(self) -> None:
        self._timer.start()
        self.check()

    def check(self) -> None:
        """Ask the schedule now and blank, wake or power off accordingly."""
        now = self._clock()
        if self._schedule(now).awake:
            self._seen_awake = True
            self._touched_until = None
            if self.is_blank:
                log.info("night mode: awake (opening hours)")
                self._unblank()
            return
        if self.is_blank or not self._idle():
            return
        if self._touched_until is not None and now < self._touched_until:
            return
        self._touched_until = None
        if self._mode == "shutdown" and self._seen_awake:
            self._seen_awake = False
            if self._switch_off():
                return
            log.warning("night mode: the terminal could not be powered off; blanking instead")
        log.info("night mode: asleep (outside opening hours)")
        self.screen.cover()
        self._display.sleep()
        self.blanked.emit(True)

    def touched(self) -> None:
        """A touch at night shows the kiosk for a while; then it blanks again if idle."""
        self._touched_until = self._clock() + self._touch_awake
        self._unblank()
        QTimer.singleShot(int(self._touch_awake.total_seconds() * 1000) + 50, self.check)

    def _unblank(self) -> None:
        self.screen.hide()
        self._display.wake()
        self.blanked.emit(False)


def watch_nights(window: MainWindow, sessions: SessionService, config: SiteConfig) -> NightWatch:
    """Night mode for this window by the site config's [power] section and opening hours."""
    power = config.power
    calendar = site_calendar(config)
    plan = NightPlan(
        power.night,
        wake_before=timedelta(minutes=power.wake_before_opening_min),
        sleep_after=timedelta(minutes=power.sleep_after_closing_min),
    )

    def idle() -> bool:
        # Only the attract screen sleeps: never under a visitor, staff, or someone at the PIN pad.
        return (
            sessions.current is None
            and not window.staff_active
            and window.current_screen is Screen.ATTRACT
        )

    watch = NightWatch(
        window,
        mode=power.night,
        schedule=lambda now: power_state(calendar, plan, now),
        idle=idle,
        site_name=config.site.name,
    )
    watch.start()
    return watch
