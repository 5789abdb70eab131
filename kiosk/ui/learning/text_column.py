"""A page whose text keeps a readable line length on wide screens, centred, at any text size."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QFontMetrics, QResizeEvent
from PySide6.QtWidgets import QWidget

# Lines much longer than this are hard to follow back to the next line's start (WCAG 1.4.8
# asks for at most 80); at 1920×1080 a full-width lesson line held ~180 characters.
CHARACTERS_PER_LINE = 70
# Characters are counted as in running text: the font's own average width (its every glyph,
# capitals and wide signs included) is ~20 % wider than a sentence's letters and spaces.
SAMPLE = "Mit einem Videoanruf sehen Sie Ihre Familie, auch wenn sie weit weg wohnt. "


class TextColumn(QWidget):
    """A widget whose layout is kept at most CHARACTERS_PER_LINE characters wide, centred.

    The characters are measured in the font of a label the page shows (its body text), so the
    column grows with the visitor's text size.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._measure: QWidget = self
        self._side = -1

    def measure_by(self, widget: QWidget) -> None:
        """Measure line length in `widget`'s font (it follows the text size)."""
        self._measure.removeEventFilter(self)
        self._measure = widget
        widget.installEventFilter(self)
        self._fit()

    def column_width(self) -> int:
        """The widest the text may run, in pixels."""
        metrics = QFontMetrics(self._measure.font())
        return round(metrics.horizontalAdvance(SAMPLE) / len(SAMPLE) * CHARACTERS_PER_LINE)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._measure and event.type() in (
            QEvent.Type.FontChange,
            QEvent.Type.StyleChange,
        ):
            self._fit()
        return False

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        layout = self.layout()
        if layout is None:
            return
        side = max(0, (self.width() - self.column_width()) // 2)
        if side == self._side:
            return
        self._side = side
        margins = layout.contentsMargins()
        layout.setContentsMargins(side, margins.top(), side, margins.bottom())
