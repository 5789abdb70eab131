"""The question before staff quit the kiosk application: quit, or keep it running.

A tap on "Quit kiosk" alone must not close the kiosk: once closed, the terminal shows nothing
until someone starts it again, and staff may not be there to do so.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from kiosk.core.i18n import Translator
from kiosk.ui.shell.card_overlay import QuestionCard


class QuitConfirm(QuestionCard):
    """'Really quit the kiosk?' with two big answers; ``confirmed``: close the application now,
    ``kept``: keep it running. The harmless answer has the focus."""

    def __init__(self, translator: Translator, parent: QWidget) -> None:
        super().__init__(translator, parent)
        self.quit_button = self.confirm_button
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        _ = self._tr.gettext
        self.title.setText(_("Really quit the kiosk?"))
        self.explanation.setText(_("The terminal shows nothing until it is started again."))
        self.quit_button.setText(_("Quit"))
        self.quit_button.setAccessibleName(_("Quit the kiosk application now"))
        self.keep_button.setText(_("Keep running"))
        self.keep_button.setAccessibleName(_("Keep the kiosk running"))
