"""The site logo, which opens staff mode when held (a gesture visitors do not stumble on)."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QIcon, QMouseEvent
from PySide6.QtWidgets import QToolButton, QWidget


class LogoButton(QToolButton):
    """Shows the logo; a short tap emits `tapped`, holding it emits `long_pressed`."""

    tapped = Signal()
    """Pressed and released before the hold time."""
    long_pressed = Signal()
    """Held for the whole hold time (opens the staff PIN pad)."""

    def __init__(self, icon: QIcon, size: int, hold_ms: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("logo")
        self.setIcon(icon)
        self.setIconSize(QSize(size, size))
        self.setAutoRaise(True)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        # Drawn without frame or background by the app style sheet (QToolButton#logo, theme.py).
        self._fired = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(hold_ms)
        self._timer.timeout.connect(self._fire)

    def set_hold_ms(self, hold_ms: int) -> None:
        self._timer.setInterval(hold_ms)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._fired = False
        self._timer.start()
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        held = self._fired
        self._timer.stop()
        super().mouseReleaseEvent(event)
        if not held:
            self.tapped.emit()

    def _fire(self) -> None:
        self._fired = True
        self.long_pressed.emit()
