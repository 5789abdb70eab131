"""The attract screen's language buttons as a way into speech mode: one held as long as the
speech hold (two seconds) asks for speech mode in its language, and the lift after that hold
chooses nothing. A plain tap still starts a visit in that language."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QAbstractButton


class LanguageHold(QObject):
    """Watches a set of language buttons (code → button) for a long press."""

    held = Signal(str)
    """A language button was held long enough: the code of its language."""

    def __init__(
        self,
        buttons: Mapping[str, QAbstractButton],
        hold_ms: Callable[[], int],
        parent: QObject | None = None,
    ) -> None:
        """`hold_ms` says how long a hold lasts, asked at each press (the attract screen's
        speech hold, which tests shorten)."""
        super().__init__(parent)
        self._codes = {button: code for code, button in buttons.items()}
        self._hold_ms = hold_ms
        self._pressed: QAbstractButton | None = None
        self._fired = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._fire)
        for button in self._codes:
            button.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not isinstance(watched, QAbstractButton) or watched not in self._codes:
            return False
        kind = event.type()
        left = isinstance(event, QMouseEvent) and event.button() == Qt.MouseButton.LeftButton
        if kind == QEvent.Type.MouseButtonPress and left:
            self._pressed, self._fired = watched, False
            self._timer.start(self._hold_ms())
        elif kind == QEvent.Type.MouseMove and self._fired:
            return True  # the finger sliding on the button must not press it again
        elif kind == QEvent.Type.MouseButtonRelease and left:
            self._timer.stop()
            if self._fired:
                self._fired = False
                return True  # the lift that ends the hold is no tap
        return False

    def _fire(self) -> None:
        button = self._pressed
        if button is None:
            return
        self._fired = True
        button.setDown(False)  # drawn released; the lift can no longer click it
        self.held.emit(self._codes[button])
