"""A card over a dimmed window, inside the kiosk window: for the questions the shell asks.

In-window rather than a dialog window: a kiosk has one full-screen window, a dialog could sit
behind it on some window managers, and the wipe closes the card like any other part of a visit.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal, SignalInstance
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QFrame, QLabel, QPushButton, QVBoxLayout, QWidget

from kiosk.core.i18n import Translator
from kiosk.ui import theme


# Local to the overlays (the app-wide sheet styles the idle overlay the same way); fonts and
# sizes still come from the app-wide sheet, so A+ scales the card's text.
def overlay_look(palette: theme.Palette) -> str:
    return f"""
#cardOverlay {{ background: rgba(0, 0, 0, 170); }}
#overlayCard {{ background: {palette.surface}; border-radius: 24px; }}
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
        theme.follow_look(self, overlay_look)  # the card follows the visitor's high-contrast switch
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


class QuestionCard(CardOverlay):
    """A yes/no question on a card: a title, what follows, the answer that acts and the harmless
    one (which has the focus, and which a touch beside the card also gives). Subclasses set the
    texts in ``retranslate_ui`` and may put further answers above the two (``add_answer``)."""

    confirmed = Signal()
    """The answer that acts was chosen."""
    kept = Signal()
    """The harmless answer was chosen (or the card was dismissed)."""

    def __init__(self, translator: Translator, parent: QWidget) -> None:
        super().__init__(parent)
        self._tr = translator
        self.card.setMinimumWidth(560)
        self.title = QLabel(self.card)
        self.title.setObjectName("title")
        self.explanation = QLabel(self.card)
        for text in (self.title, self.explanation):
            text.setWordWrap(True)
            text.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.card_layout.addWidget(text)
        self._answers = QVBoxLayout()
        self._answers.setSpacing(20)
        self.card_layout.addLayout(self._answers)
        self.confirm_button = QPushButton(self.card)
        self.confirm_button.setObjectName("navPrimary")
        self.keep_button = QPushButton(self.card)
        self.keep_button.setObjectName("navButton")
        self.card_layout.addWidget(self.confirm_button)
        self.card_layout.addWidget(self.keep_button)
        self.confirm_button.clicked.connect(lambda: self._answer(self.confirmed))
        self.keep_button.clicked.connect(lambda: self._answer(self.kept))
        self.dismissed.connect(lambda: self._answer(self.kept))

    def add_answer(self) -> QPushButton:
        """A further answer above the two, for a subclass to connect and label."""
        button = QPushButton(self.card)
        button.setObjectName("navButton")
        self._answers.addWidget(button)
        return button

    @property
    def question_text(self) -> str:
        return f"{self.title.text()} {self.explanation.text()}"

    def ask(self) -> None:
        """Show the question over the whole parent; Enter on a keyboard gives the harmless
        answer."""
        self.open()
        self.keep_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def _answer(self, signal: SignalInstance) -> None:
        self.hide()
        signal.emit()

    def retranslate_ui(self) -> None:
        raise NotImplementedError

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)
