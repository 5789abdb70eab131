"""The question before staff quit the kiosk application: quit, or keep it running.

A tap on "Quit kiosk" alone must not close the kiosk: once closed, the terminal shows nothing
until someone starts it again, and staff may not be there to do so.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QWidget

from kiosk.core.i18n import Translator
from kiosk.ui.shell.card_overlay import CardOverlay


class QuitConfirm(CardOverlay):
    """'Really quit the kiosk?' with two big answers; the harmless one has the focus."""

    confirmed = Signal()
    """Staff want the kiosk application closed now."""
    kept = Signal()
    """Staff want the kiosk to keep running."""

    def __init__(self, translator: Translator, parent: QWidget) -> None:
        super().__init__(parent)
        self._tr = translator
        self.card.setMinimumWidth(560)
        self._title = QLabel(self.card)
        self._title.setObjectName("title")
        self._explanation = QLabel(self.card)
        for text in (self._title, self._explanation):
            text.setWordWrap(True)
            text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.quit_button = QPushButton(self.card)
        self.quit_button.setObjectName("navPrimary")
        self.keep_button = QPushButton(self.card)
        self.keep_button.setObjectName("navButton")
        self.quit_button.clicked.connect(self._quit)
        self.keep_button.clicked.connect(self._keep)
        self.dismissed.connect(self._keep)
        for widget in (self._title, self._explanation, self.quit_button, self.keep_button):
            self.card_layout.addWidget(widget)
        self.retranslate_ui()

    @property
    def question_text(self) -> str:
        return f"{self._title.text()} {self._explanation.text()}"

    def ask(self) -> None:
        """Show the question over the whole window."""
        self.open()
        # Enter on a physical keyboard keeps the kiosk running.
        self.keep_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def _quit(self) -> None:
        self.hide()
        self.confirmed.emit()

    def _keep(self) -> None:
        self.hide()
        self.kept.emit()

    def retranslate_ui(self) -> None:
        _ = self._tr.gettext
        self._title.setText(_("Really quit the kiosk?"))
        self._explanation.setText(_("The terminal shows nothing until it is started again."))
        self.quit_button.setText(_("Quit"))
        self.quit_button.setAccessibleName(_("Quit the kiosk application now"))
        self.keep_button.setText(_("Keep running"))
        self.keep_button.setAccessibleName(_("Keep the kiosk running"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)
