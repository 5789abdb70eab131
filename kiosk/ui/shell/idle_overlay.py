"""The 'Are you still there?' overlay with a countdown, what happens when it runs out, and one
big button."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import QFrame, QLabel, QPushButton, QVBoxLayout, QWidget

from kiosk.core.i18n import Translator


class IdleOverlay(QWidget):
    """Covers its parent while the idle countdown runs."""

    still_here = Signal()
    """The visitor pressed 'I'm still here'."""

    def __init__(self, translator: Translator, parent: QWidget) -> None:
        super().__init__(parent)
        self._parent = parent  # the overlay covers all of it
        self._tr = translator
        self.setObjectName("idleOverlay")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        outer = QVBoxLayout(self)
        outer.setAlignment(Qt.AlignmentFlag.AlignCenter)
        card = QFrame(self)
        card.setObjectName("idleCard")
        card.setMinimumWidth(640)
        card.setMaximumWidth(900)
        layout = QVBoxLayout(card)
        layout.setContentsMargins(48, 40, 48, 40)
        layout.setSpacing(20)
        self._title = QLabel(card)
        self._title.setObjectName("title")
        self._title.setWordWrap(True)
        self._title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._explanation = QLabel(card)
        self._explanation.setWordWrap(True)
        self._explanation.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._countdown = QLabel(card)
        self._countdown.setObjectName("countdown")
        self._countdown.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._button = QPushButton(card)
        self._button.setObjectName("primary")
        self._button.clicked.connect(self.still_here)
        for widget in (self._title, self._explanation, self._countdown, self._button):
            layout.addWidget(widget)
        outer.addWidget(card)
        self._seconds = 0
        self.retranslate_ui()
        self.hide()

    @property
    def button(self) -> QPushButton:
        return self._button

    @property
    def countdown_text(self) -> str:
        """The big number."""
        return self._countdown.text()

    @property
    def warning_text(self) -> str:
        """The sentences under the number: the time left with its unit, and what follows."""
        return self._explanation.text()

    def start(self, seconds: int) -> None:
        """Show the overlay over the whole parent with the first countdown value."""
        self.setGeometry(self._parent.rect())
        self.set_seconds(seconds)
        self.show()
        self.raise_()
        self._button.setFocus(Qt.FocusReason.OtherFocusReason)

    def set_seconds(self, seconds: int) -> None:
        self._seconds = seconds
        self._countdown.setText(self._tr.number(seconds))
        self._explanation.setText(self._warning())
        self._countdown.setAccessibleName(self._explanation.text())

    def _warning(self) -> str:
        # The number alone says neither what counts down nor what follows: say both.
        left = self._tr.ngettext("{n} second left.", "{n} seconds left.", self._seconds)
        then = self._tr.gettext("Then we delete everything.")
        return self._tr.joined(left.format(n=self._tr.number(self._seconds)), then)

    def retranslate_ui(self) -> None:
        _ = self._tr.gettext
        self._title.setText(_("Are you still there?"))
        self._button.setText(_("I'm still here"))
        self._button.setAccessibleName(_("I'm still here"))
        self._explanation.setText(self._warning())
        self._countdown.setAccessibleName(self._explanation.text())

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)
