"""A card over a dimmed window, inside the kiosk window: for the questions the shell asks.

In-window rather than a dialog window: a kiosk has one full-screen window, a dialog could sit
behind it on some window managers, and the wipe closes the card like any other part of a visit.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QFrame, QVBoxLayout, QWidget

from kiosk.ui import theme

# Local to the overlays (the app-wide sheet styles the idle overlay the same way); fonts and
# sizes still come from the app-wide sheet, so A+ scales the card's text.
_LOOK = f"""
#cardOverlay {{ background: rgba(0, 0, 0, 170); }}
#overlayCard {{ background: {theme.SURFACE}; border-radius: 24px; }}
"""


class CardOverlay(QWidget):
    """Covers its parent (and follows its size); a touch beside the card dismisses it."""

    dismissed = Signal()
    """The visitor touched the dimmed area beside the card."""

    def __init__(self, parent: QWidget, *, max_width: int = 900) -> None:
        super().__init__(parent)
        self._parent = parent
        self.setObjectName("cardOverlay")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(_LOOK)
        outer = QVBoxLayout(self)
        outer.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.card = QFrame(self)
        self.card.setObjectName("overlayCard")
        self.card.setMaximumWidth(max_width)
        self.card_layout = QVBoxLayout(self.card)
        self.card_layout.setContentsMargins(40, 32, 40, 32)
        self.card_layout.setSpacing(20)
        outer.addWidget(self.card)
        parent.installEventFilter(self)
        self.hide()

    def open(self) -> None:
        """Show over the whole parent, above everything else in it."""
        self.setGeometry(self._parent.rect())
        self.show()
        self.raise_()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._parent and event.type() == QEvent.Type.Resize and self.isVisible():
            self.setGeometry(self._parent.rect())
        return False

    def mousePressEvent(self, event: QMouseEvent) -> None:
        # Reaches the overlay only outside the card (the card's buttons take their presses).
        event.accept()
        if not self.card.geometry().contains(event.position().toPoint()):
            self.dismissed.emit()
