"""One free time as a big button that remembers its slot."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QWidget

from kiosk.core.bookings import Slot

SLOT_BUTTON_MIN_WIDTH = 128


class SlotButton(QPushButton):
    """One free time: a big target showing its start time; it remembers its slot."""

    def __init__(
        self, slot: Slot, parent: QWidget | None = None, *, time_only: bool = True
    ) -> None:
        super().__init__(parent)
        self.slot = slot
        self.setObjectName("slotButton")
        self.setMinimumWidth(SLOT_BUTTON_MIN_WIDTH)
        if time_only:
            # A bare time stays readable in right-to-left text ("10:15", never "15:10").
            self.setLayoutDirection(Qt.LayoutDirection.LeftToRight)

    def set_texts(self, text: str, accessible: str) -> None:
        self.setText(text)
        self.setAccessibleName(accessible)
