"""Shows on screen what is being read aloud: the spoken word marked in its label (karaoke), or a
frame around the element being read."""

from __future__ import annotations

import html

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QLabel, QWidget
from shiboken6 import isValid

from kiosk.ui import theme

# A highlighter pen's yellow under black text: 15:1, and it reads the same on the normal and the
# high-contrast theme (both the colour and the text colour are set).
MARK_BACKGROUND = "#ffd84d"
MARK_TEXT = "#000000"
FRAME_WIDTH = 4


def marked_html(shown: str, start: int, end: int) -> str:
    """`shown` as rich text with `shown[start:end]` marked; everything escaped, line breaks and
    spaces kept as they were."""
    start, end = max(0, start), min(len(shown), end)

    def escaped(part: str) -> str:
        return html.escape(part, quote=False)

    mark = f"background-color:{MARK_BACKGROUND}; color:{MARK_TEXT};"
    return (
        '<div style="white-space:pre-wrap">'
        f"{escaped(shown[:start])}"
        f'<span style="{mark}">{escaped(shown[start:end])}</span>'
        f"{escaped(shown[end:])}</div>"
    )


class _Frame(QWidget):
    """A frame drawn over a widget while it is read; touches pass through to the widget."""

    def __init__(self, target: QWidget) -> None:
        super().__init__(target)
        self.setObjectName("readingFrame")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setProperty("decorative", True)
        self.setGeometry(target.rect())
        target.installEventFilter(self)
        self.raise_()
        self.show()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.parent() and event.type() == QEvent.Type.Resize:
            target = self.parentWidget()
            if target is not None:
                self.setGeometry(target.rect())
        return False

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        # Two rings, the theme's focus colour outside and the marker yellow inside: one of them
        # stands out on whatever the widget shows.
        half = FRAME_WIDTH / 2
        outer = QPen(QColor(theme.colours().focus), FRAME_WIDTH)
        painter.setPen(outer)
        painter.drawRoundedRect(self.rect().toRectF().adjusted(half, half, -half, -half), 12, 12)
        inner = QPen(QColor(MARK_BACKGROUND), FRAME_WIDTH / 2)
        painter.setPen(inner)
        inset = FRAME_WIDTH + FRAME_WIDTH / 4
        painter.drawRoundedRect(self.rect().toRectF().adjusted(inset, inset, -inset, -inset), 9, 9)
        painter.end()


class Highlight:
    """At most one thing marked at a time; `clear()` puts every label back as it was."""

    def __init__(self) -> None:
        self._label: QLabel | None = None
        self._original: tuple[str, Qt.TextFormat] = ("", Qt.TextFormat.PlainText)
        self._marked = ""  # the rich text set on the label, to tell it from a newer text
        self._frame: _Frame | None = None

    @property
    def marked_label(self) -> QLabel | None:
        """The label whose text is marked now, if any."""
        return self._label

    @property
    def frame(self) -> QWidget | None:
        """The frame drawn over the widget being read, if any."""
        return self._frame

    def mark_text(self, label: QLabel, shown: str, start: int, end: int) -> None:
        """Mark `shown[start:end]` in `label`, whose plain text is `shown`."""
        if self._label is not label:
            self.clear()
            self._label = label
            self._original = (label.text(), label.textFormat())
        self._marked = marked_html(shown, start, end)
        label.setTextFormat(Qt.TextFormat.RichText)
        label.setText(self._marked)

    def frame_widget(self, widget: QWidget) -> None:
        """Draw a frame around `widget`."""
        frame = self._frame
        if frame is not None and isValid(frame) and frame.parentWidget() is widget:
            return
        self.clear()
        self._frame = _Frame(widget)

    def clear(self) -> None:
        label, self._label = self._label, None
        if label is not None and isValid(label):
            text, text_format = self._original
            label.setTextFormat(text_format)
            # The screen may have changed the text meanwhile (a new language): that one stays.
            if label.text() == self._marked:
                label.setText(text)
        frame, self._frame = self._frame, None
        if frame is not None and isValid(frame):
            frame.hide()
            frame.deleteLater()
