"""An honest placeholder for a part of the kiosk that is not ready yet, with a way back."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from kiosk.core.i18n import Translator
from kiosk.ui.screens.base import ScreenBase, back_arrow, label


class ComingSoonScreen(ScreenBase):
    """Says plainly that this part is being prepared and that staff can help in person."""

    back_requested = Signal()
    """The visitor wants to go back to the home screen."""

    def __init__(
        self,
        translator: Translator,
        title: Callable[[], str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(translator, parent)
        self._title_text = title
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 32, 48, 32)
        layout.setSpacing(24)
        self._title = label(self, "title")
        self._body = label(self)
        self._help = label(self, "muted")
        self.back = QPushButton(self)
        self.back.clicked.connect(self.back_requested)
        row = QHBoxLayout()
        row.addWidget(self.back)
        row.addStretch(1)
        layout.addWidget(self._title)
        layout.addWidget(self._body)
        layout.addWidget(self._help)
        layout.addStretch(1)
        layout.addLayout(row)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        _ = self._tr.gettext
        self._title.setText(self._title_text())
        self._body.setText(_("This part of the kiosk is still being prepared."))
        self._help.setText(_("Our staff are happy to help you in person."))
        back = _("Back")
        self.back.setText(f"{back_arrow(self.layoutDirection())}  {back}")
        self.back.setAccessibleName(_("Back to the start"))
