"""Shows on screen what is being read aloud: the spoken word marked in its label (karaoke), with
the label's own formatting kept, or a frame around the element being read."""

from __future__ import annotations

import html

from PySide6.QtCore import QEvent, QObject, QRect, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QPainter,
    QPaintEvent,
    QPen,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import QLabel, QWidget
from shiboken6 import isValid

from kiosk.ui import theme
from kiosk.ui.shell.speech.reading import document_text, label_document

# A highlighter pen's yellow under black text: 15:1, and it reads the same on the normal and the
# high-contrast theme (both the colour and the text colour are set).
MARK_BACKGROUND = "#ffd84d"
MARK_TEXT = "#000000"
FRAME_WIDTH = 4


def marked_html(shown: str, start: int, end: int) -> str:
    """`shown` as rich text with `shown[start:end]` marked; everything escaped, line breaks and
    spaces kept as they were (for a label whose text no longer gives `shown`)."""
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


def utf16_position(text: str, index: int) -> int:
    """Qt's position (UTF-16 units) of the Python index `index` in `text`: characters beyond
    the Basic Multilingual Plane (emoji, some scripts) count twice in Qt."""
    return index + sum(1 for char in text[:index] if ord(char) > 0xFFFF)


def mark_document(document: QTextDocument, shown: str, start: int, end: int) -> None:
    """Give `shown[start:end]` (`shown` being `document_text(document)`) the marker's colours,
    keeping every other format (bold, lists, links) of the document."""
    start, end = max(0, start), min(len(shown), end)
    cursor = QTextCursor(document)
    cursor.setPosition(utf16_position(shown, start))
    cursor.setPosition(utf16_position(shown, end), QTextCursor.MoveMode.KeepAnchor)
    mark = QTextCharFormat()
    mark.setBackground(QBrush(QColor(MARK_BACKGROUND)))
    mark.setForeground(QBrush(QColor(MARK_TEXT)))
    cursor.mergeCharFormat(mark)


def text_rect(label: QLabel, document: QTextDocument, start: int, end: int) -> QRect:
    """Where the lines holding `document`'s positions `start`..`end` (UTF-16) stand in `label`
    when it shows `document`: the label's full width, from the first line's top to the last
    line's bottom, in the label's coordinates."""
    margin = label.margin()
    area = label.contentsRect().adjusted(margin, margin, -margin, -margin)
    document.setTextWidth(area.width() - max(0, label.indent()) if label.wordWrap() else -1)
    top = _line_box(document, start)
    bottom = _line_box(document, max(start, end - 1))
    height = document.size().height()
    offset = float(area.top())
    # A label taller than its text shows the text where it is aligned.
    if label.alignment() & Qt.AlignmentFlag.AlignBottom:
        offset += area.height() - height
    elif label.alignment() & Qt.AlignmentFlag.AlignVCenter:
        offset += (area.height() - height) / 2
    box = QRectF(area.left(), offset + top.top(), area.width(), bottom.bottom() - top.top())
    return box.toAlignedRect()


def _line_box(document: QTextDocument, position: int) -> QRectF:
    """The line holding `position`, in document coordinates (top and bottom; full width)."""
    block = document.findBlock(position)
    frame = document.documentLayout().blockBoundingRect(block)
    layout = block.layout()
    line = layout.lineForTextPosition(position - block.position()) if layout else None
    if line is None or not line.isValid():
        return frame
    top = frame.top() + line.y()
    return QRectF(frame.left(), top, frame.width(), line.height())


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
        self._document: QTextDocument | None = None  # what the label shows while marked
        self._span = (0, 0)  # the marked positions in it (UTF-16)
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
        """Mark `shown[start:end]` in `label`, whose plain text is `shown`; lists, bold and the
        rest of a rich text stay as they are."""
        if self._label is not label:
            self.clear()
            self._label = label
            self._original = (label.text(), label.textFormat())
        document = label_document(label, *self._original)
        if document_text(document) == shown:
            mark_document(document, shown, start, end)
            self._marked = document.toHtml()  # escaped by Qt, formats and all
        else:  # the label was given another text meanwhile: `shown` as plain text, marked
            self._marked = marked_html(shown, start, end)
            document = label_document(label, self._marked, Qt.TextFormat.RichText)
        self._document = document
        self._span = (utf16_position(shown, start), utf16_position(shown, end))
        label.setTextFormat(Qt.TextFormat.RichText)
        label.setText(self._marked)

    def marked_rect(self) -> QRect | None:
        """The lines of the marked words, in the marked label's coordinates, as laid out at the
        label's present width; None when no words are marked."""
        label, document = self._label, self._document
        if label is None or document is None or not isValid(label):
            return None
        return text_rect(label, document, *self._span)

    def frame_widget(self, widget: QWidget) -> None:
        """Draw a frame around `widget`."""
        frame = self._frame
        if frame is not None and isValid(frame) and frame.parentWidget() is widget:
            return
        self.clear()
        self._frame = _Frame(widget)

    def clear(self) -> None:
        label, self._label = self._label, None
        self._document = None
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
