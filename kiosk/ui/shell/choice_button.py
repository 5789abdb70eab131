"""A big touch card: a title and a word-wrapped description, pressable as one button."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget


class ChoiceButton(QPushButton):
    """A QPushButton whose content wraps (plain QPushButton text never wraps)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("bigChoice")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(32, 24, 32, 24)
        self._layout.setSpacing(12)
        self.title = QLabel(self)
        self.title.setObjectName("choiceTitle")
        self.description = QLabel(self)
        self.description.setObjectName("choiceText")
        for child in (self.title, self.description):
            child.setWordWrap(True)
            child.setAlignment(Qt.AlignmentFlag.AlignCenter)
            child.setTextFormat(Qt.TextFormat.PlainText)
            # Presses go to the button underneath, so the whole card is one target.
            child.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        self._layout.addStretch(1)
        self._layout.addWidget(self.title)
        self._layout.addWidget(self.description)
        self._layout.addStretch(1)

    def set_texts(self, title: str, description: str) -> None:
        self.title.setText(title)
        self.description.setText(description)
        self.setAccessibleName(title)
        self.setAccessibleDescription(description)

    def sizeHint(self) -> QSize:
        return self._layout.sizeHint().expandedTo(QSize(320, 240))
