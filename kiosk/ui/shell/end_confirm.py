"""The question before a visitor's own 'done' deletes their data: end now, or keep going.

In a course with progress it first offers the code to continue later, which the wipe would
otherwise take with it.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from kiosk.core.i18n import Translator
from kiosk.ui.shell.card_overlay import QuestionCard


class EndConfirm(QuestionCard):
    """'Really finish? Your entries will be deleted.' with two big answers (and maybe a third);
    ``confirmed``: delete now, ``kept``: go on where the visitor was."""

    resume_code_requested = Signal()
    """The visitor wants the code to continue the course later, before anything is deleted."""

    def __init__(self, translator: Translator, parent: QWidget) -> None:
        super().__init__(translator, parent)
        self.resume_button = self.add_answer()
        self.resume_button.clicked.connect(self.resume_code_requested)
        self.end_button = self.confirm_button
        self.retranslate_ui()

    def ask(self, *, offer_resume_code: bool = False) -> None:
        """Show the question; with the resume-code offer when a course has progress to keep."""
        self.resume_button.setVisible(offer_resume_code)
        super().ask()

    def retranslate_ui(self) -> None:
        _ = self._tr.gettext
        self.title.setText(_("Really finish?"))
        self.explanation.setText(_("Your entries will be deleted."))
        self.end_button.setText(_("Yes, finish and delete"))
        self.end_button.setAccessibleName(_("Yes, finish now and delete my data"))
        self.keep_button.setText(_("No, keep going"))
        self.keep_button.setAccessibleName(_("No, keep going"))
        self.resume_button.setText(_("First get my code to continue later"))
        self.resume_button.setAccessibleName(_("First get my code to continue later"))
