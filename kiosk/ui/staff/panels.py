"""The side panels of the staff desk: what every panel has, and the list of the shown day or week.

Each panel shows what staff chose on the timeline and offers what can be done with it; when the
booking service refuses an action the panel says why, in the staff member's language.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from kiosk.core.bookings import (
    BookingService,
)
from kiosk.core.i18n import Translator
from kiosk.ui.parts.desk_style import action_button, panel_frame
from kiosk.ui.parts.screen_base import back_arrow, label
from kiosk.ui.parts.wrapping_button import WrappingButton

log = logging.getLogger(__name__)

BookingsGetter = Callable[[], BookingService | None]


def back_text(tr: Translator, widget: QWidget) -> str:
    """The words "All bookings" with the arrow back in the reading direction."""
    all_bookings = tr.gettext("All bookings")
    return f"{back_arrow(widget.layoutDirection())}  {all_bookings}"


class CancelWithQuestion(QWidget):
    """ "Cancel booking…", and once tapped the question with yes and no beneath it: a booking is
    never cancelled by one stray tap. ``confirmed`` says yes was tapped."""

    confirmed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.cancel = action_button(self, "danger")
        self.cancel.clicked.connect(self.ask)
        self.question = QWidget(self)
        question_layout = QVBoxLayout(self.question)
        question_layout.setContentsMargins(0, 0, 0, 0)
        self.question_text = label(self.question)
        row = QHBoxLayout()
        self.yes = action_button(self.question, "danger")
        self.yes.clicked.connect(self._yes)
        self.no = action_button(self.question)
        self.no.clicked.connect(self.keep)
        row.addWidget(self.yes)
        row.addWidget(self.no)
        question_layout.addWidget(self.question_text)
        question_layout.addLayout(row)
        layout.addWidget(self.cancel)
        layout.addWidget(self.question)
        self.question.hide()

    @property
    def asking(self) -> bool:
        return not self.question.isHidden()

    def ask(self) -> None:
        self.cancel.hide()
        self.question.show()
        self.no.setFocus()

    def keep(self) -> None:
        """Back to the button (no, or another booking shown)."""
        self.question.hide()
        self.cancel.show()

    def _yes(self) -> None:
        self.keep()
        self.confirmed.emit()

    def retranslate(self, tr: Translator, question: str) -> None:
        _ = tr.gettext
        self.cancel.set_text(_("Cancel booking…"))
        self.question_text.setText(question)
        self.yes.set_text(_("Yes, cancel it"))
        self.no.set_text(_("No, keep it"))


class DeskPanel(QWidget):
    """A card with a way back to the list at its top."""

    closed = Signal()
    """Staff want the list of bookings again."""

    def __init__(self, translator: Translator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tr = translator
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.frame = panel_frame(self)
        outer.addWidget(self.frame)
        outer.addStretch(1)
        self.body = QVBoxLayout(self.frame)
        self.body.setContentsMargins(16, 12, 16, 16)
        self.body.setSpacing(10)
        self.back = action_button(self.frame)
        self.back.clicked.connect(self.closed)
        self.body.addWidget(self.back)

    def retranslate_ui(self) -> None:
        self.back.set_text(back_text(self._tr, self))
        self.back.setAccessibleName(self._tr.gettext("Back to the list of bookings"))


class AgendaPanel(QWidget):
    """The shown day's (or week's) bookings as a list of big entries; a tap opens one."""

    booking_chosen = Signal(int)
    """A booking in the list was tapped; its id."""

    def __init__(self, translator: Translator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tr = translator
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        self.title = label(self, "panelTitle")
        self.summary = label(self, "muted")
        layout.addWidget(self.title)
        layout.addWidget(self.summary)
        self._list = QVBoxLayout()
        self._list.setSpacing(6)
        layout.addLayout(self._list)
        layout.addStretch(1)
        # Entries are kept and reused: the list is rebuilt twice a minute.
        self._entries: list[WrappingButton] = []
        self._ids: list[int] = []

    def show_entries(self, title: str, summary: str, entries: Sequence[tuple[int, str]]) -> None:
        self.title.setText(title)
        self.summary.setText(summary)
        while len(self._entries) < len(entries):
            button = action_button(self)
            index = len(self._entries)
            button.clicked.connect(lambda _checked=False, i=index: self._clicked(i))
            self._list.addWidget(button)
            self._entries.append(button)
        self._ids = [booking_id for booking_id, _text in entries]
        for index, button in enumerate(self._entries):
            if index < len(entries):
                button.set_text(entries[index][1])
            button.setVisible(index < len(entries))

    @property
    def entries(self) -> list[WrappingButton]:
        return self._entries[: len(self._ids)]

    def entry_texts(self) -> list[str]:
        return [button.label.text() for button in self.entries]

    def _clicked(self, index: int) -> None:
        if index < len(self._ids):
            self.booking_chosen.emit(self._ids[index])
