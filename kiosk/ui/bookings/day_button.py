"""A day of the "Pick a day" week: each line in its longest form that fits the button's width.

The week keeps 7 equal columns in every language and at every text size, so a column can be
narrower than "Donnerstag" or "Geschlossen" at the larger sizes. Single words cannot wrap;
instead every line has shorter forms ("Donnerstag" → "Do.", "10. Dez." → "10.12."), and the
button shows, line by line, the longest one that fits. The full words stay its accessible name.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent
from PySide6.QtGui import QResizeEvent, QShowEvent
from PySide6.QtWidgets import QPushButton, QStyle, QStyleOptionButton, QWidget

Forms = Sequence[str]
"""One line of the button in every form it can take, the longest (the full words) first."""


class DayButton(QPushButton):
    """A push button whose lines shorten to fit its width rather than be cut off."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dayButton")
        self._lines: tuple[tuple[str, ...], ...] = ()

    def set_lines(self, lines: Sequence[Forms]) -> None:
        """The lines of the button, each as its forms (longest first)."""
        self._lines = tuple(tuple(forms) for forms in lines if forms)
        full = [forms[0] for forms in self._lines]
        self.setAccessibleName(" ".join(full))
        self.fit()

    @property
    def full_text(self) -> str:
        """The lines in their full forms, whether they fit now or not."""
        return "\n".join(forms[0] for forms in self._lines)

    def room(self) -> int:
        """How wide a line may be: the button's width inside its border and padding."""
        option = QStyleOptionButton()
        self.initStyleOption(option)
        rect = self.style().subElementRect(QStyle.SubElement.SE_PushButtonContents, option, self)
        return rect.width()

    def fit(self) -> None:
        """Show each line in the longest form that fits (the shortest if none does)."""
        metrics = self.fontMetrics()
        # Until shown the button has no width of its own yet (its layout gives it one then):
        # the full words meanwhile.
        room = self.room() if self.isVisible() else 1 << 20
        shown = []
        for forms in self._lines:
            fitting = (form for form in forms if metrics.horizontalAdvance(form) <= room)
            shown.append(next(fitting, forms[-1]))
        text = "\n".join(shown)
        if text != self.text():
            self.setText(text)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.fit()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        # A new text size arrives as a font change; a focus ring or a disabled look as a new
        # style (other padding): both change what fits.
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self.fit()
