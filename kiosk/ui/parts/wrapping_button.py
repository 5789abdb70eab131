"""A push button whose text wraps and keeps its own reading direction (quiz answers, links)."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QWidget


class WrappingButton(QPushButton):
    """A QPushButton drawing its text with a word-wrapped label.

    Plain QPushButton text never wraps, and is laid out in the application's direction; a
    label wraps long answers and follows the direction of the text it shows.
    """

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.text_layout = QHBoxLayout(self)
        self.text_layout.setContentsMargins(24, 14, 24, 14)
        self.label = QLabel(self)
        self.label.setObjectName("buttonText")
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setAlignment(Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignVCenter)
        # Presses go to the button underneath: the whole area is one target.
        self.label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        self.text_layout.addWidget(self.label)
        self.set_text(text)

    def set_text(self, text: str) -> None:
        self.label.setText(text)
        self.setAccessibleName(text)

    def sizeHint(self) -> QSize:
        return self.text_layout.sizeHint()

    def minimumSizeHint(self) -> QSize:
        return self.text_layout.minimumSize()

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self.text_layout.heightForWidth(width)
