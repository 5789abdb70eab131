"""The question before a visitor's own 'done' deletes their data: end now, or keep going.

In a course with progress it first offers the code to continue later, which the wipe would
otherwise take with it.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QWidget

from kiosk.core.i18n import Translator
from kiosk.ui.shell.card_overlay import CardOverlay


class EndConfirm(CardOverlay):
    """'Really finish? Your entries will be deleted.' with two big answers (and maybe a third)."""

    confirmed = Signal()
    """The visitor wants their data deleted now."""
    kept = Signal()
    """The visitor wants to go on where they were."""
    resume_code_requested = Signal()
    """The visitor wants the code to continue the course later, before anything is deleted."""

    def __init__(self, translator: Translator, parent: QWidget) -> None:
        super().__init__(parent)
        self._tr = translator
        self.card.setMinimumWidth(560)
        self._title = QLabel(self.card)
        self._title.setObjectName("title")
        self._explanation = QLabel(self.card)
        for label in (self._title, self._explanation):
            label.setWordWrap(True)
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.resume_button = QPushButton(self.card)
        self.resume_button.setObjectName("navButton")
        self.end_button = QPushButton(self.card)
        self.end_button.setObjectName("navPrimary")
        self.keep_button = QPushButton(self.card)
        self.keep_button.setObjectName("navButton")
        self.end_button.clicked.connect(self.confirmed)
        self.keep_button.clicked.connect(self.kept)
        self.resume_button.clicked.connect(self.resume_code_requested)
        self.dismissed.connect(self.kept)
        for widget in (
            self._title,
            self._explanation,
            self.resume_button,
            self.end_button,
            self.keep_button,
        ):
            self.card_layout.addWidget(widget)
        self.retranslate_ui()

    @property
    def question_text(self) -> str:
        return f"{self._title.text()} {self._explanation.text()}"

    def ask(self, *, offer_resume_code: bool) -> None:
        """Show the question; with the resume-code offer when a course has progress to keep."""
        self.resume_button.setVisible(offer_resume_code)
        self.open()
        # Focus on the harmless answer: Enter on a physical keyboard keeps the visit.
        self.keep_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def retranslate_ui(self) -> None:
        _ = self._tr.gettext
        self._title.setText(_("Really finish?"))
        self._explanation.setText(_("Your entries will be deleted."))
        self.end_button.setText(_("Yes, finish and delete"))
        self.end_button.setAccessibleName(_("Yes, finish now and delete my data"))
        self.keep_button.setText(_("No, keep going"))
        self.keep_button.setAccessibleName(_("No, keep going"))
        self.resume_button.setText(_("First get my code to continue later"))
        self.resume_button.setAccessibleName(_("First get my code to continue later"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)
