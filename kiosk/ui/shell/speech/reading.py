"""What a screen says aloud: its visible content as utterances, in reading order."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from PySide6 import QtGui
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSlider,
    QAbstractSpinBox,
    QComboBox,
    QLabel,
    QLayout,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QTextEdit,
    QWidget,
)

from kiosk.core.i18n import N_

SPELL_PROPERTY = "spell"
"""A widget with this dynamic property set to True is read character by character (codes)."""
DECORATIVE_PROPERTY = "decorative"
"""A widget with this dynamic property set to True is never read (ornaments, cues)."""

CHOSEN = N_("chosen")

# Marks that shape how text is shown but are not said: the isolation marks around names and
# numbers in right-to-left text, direction marks, soft hyphens and zero-width spaces.
_SILENT = frozenset("\u2066\u2067\u2068\u2069\u200e\u200f\u00ad\u200b\u2060")
_PAUSE = ", "  # what a "-" in a spelled code becomes: the engine pauses at a comma


@dataclass(frozen=True)
class Utterance:
    """One piece of a screen said in one go, and where it is shown."""

    text: str
    """What the engine says (plain text, nothing but words and punctuation)."""
    widget: QWidget | None = None
    """Highlighted while it is read."""
    spell: bool = False
    """Read character by character (booking and resume codes)."""
    shown: str = ""
    """The widget's text as shown (plain), when `text` was made from it; else empty."""
    offsets: tuple[int, ...] = ()
    """For each character of `text`, its index in `shown` (the word highlighting's map)."""

    def shown_span(self, start: int, length: int) -> tuple[int, int] | None:
        """Where `text[start:start + length]` stands in `shown`, as (start, end); None when the
        utterance was not made from shown text or the span is outside it."""
        if not self.offsets or length <= 0 or start < 0 or start >= len(self.offsets):
            return None
        last = min(start + length, len(self.offsets)) - 1
        return self.offsets[start], self.offsets[last] + 1


Gettext = Callable[[str], str]


def _same(message: str) -> str:
    return message


def speakable(shown: str) -> tuple[str, tuple[int, ...]]:
    """`shown` without the characters that are shown but not said, and each kept character's
    index in `shown`; symbols standing for words said beside them (✓, ✗, arrows) go too."""
    kept: list[str] = []
    offsets: list[int] = []
    for index, char in enumerate(shown):
        if char in _SILENT or _is_picture_sign(char):
            continue
        kept.append(char)
        offsets.append(index)
    return _trimmed("".join(kept), offsets)


def spelled(shown: str) -> tuple[str, tuple[int, ...]]:
    """`shown` (a code) with its characters apart, so the engine says each one: letters as
    letters, digits as digits, and a pause for each "-"."""
    kept: list[str] = []
    offsets: list[int] = []
    for index, char in enumerate(shown):
        if char in _SILENT or char.isspace():
            continue
        piece = _PAUSE if char in "-\u2010\u2011\u2212" else f"{char} "
        if piece == _PAUSE and kept and kept[-1].endswith(" "):
            kept[-1] = kept[-1][:-1]  # "H, N", not "H , N"
            offsets.pop()
        kept.append(piece)
        offsets.extend([index] * len(piece))
    return _trimmed("".join(kept), offsets)


def _trimmed(text: str, offsets: list[int]) -> tuple[str, tuple[int, ...]]:
    start, end = 0, len(text)
    while start < end and (text[start].isspace() or text[start] == ","):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
        end -= 1
    return text[start:end], tuple(offsets[start:end])


def _is_picture_sign(char: str) -> bool:
    # "So" covers ✓ ✗ ★ and pictographs; the arrows (Sm) point the way but say nothing.
    return unicodedata.category(char) == "So" or "\u2190" <= char <= "\u21ff"


def is_rich(text: str, text_format: Qt.TextFormat) -> bool:
    """Whether a label with this text and format shows it as rich text."""
    return text_format == Qt.TextFormat.RichText or (
        text_format == Qt.TextFormat.AutoText and QtGui.Qt.mightBeRichText(text)
    )


def label_document(
    label: QLabel, text: str | None = None, text_format: Qt.TextFormat | None = None
) -> QTextDocument:
    """The label's text (or `text` in `text_format`, as the label would show it) as a document in
    the label's font: rich text as HTML, Markdown as Markdown, anything else as plain text.

    `document_text` of it is what the label says; its character positions are those of the
    highlight and of a word's place on screen.
    """
    text = label.text() if text is None else text
    text_format = label.textFormat() if text_format is None else text_format
    document = QTextDocument()
    document.setDefaultFont(label.font())
    document.setDocumentMargin(0)  # as QLabel lays out its text
    if is_rich(text, text_format):
        document.setHtml(text)
    elif text_format == Qt.TextFormat.MarkdownText:
        document.setMarkdown(text)
    else:
        document.setPlainText(text)
    return document


def document_text(document: QTextDocument) -> str:
    """A document's text as a label shows it, plain: one character for each of the document's
    (paragraph and line breaks as "\n", no-break spaces as spaces), so an index in it is the
    document's position (counted in Python characters, not Qt's UTF-16 units)."""
    plain = document.toPlainText()
    return plain.replace("\u2029", "\n").replace("\u2028", "\n").replace("\u00a0", " ")


def plain_text(label: QLabel) -> str:
    """What a label shows, as plain text (rich text is rendered and its tags dropped)."""
    return document_text(label_document(label))


def _from_shown(widget: QWidget, shown: str, spell: bool) -> Utterance | None:
    text, offsets = spelled(shown) if spell else speakable(shown)
    if not text:
        return None
    return Utterance(text, widget, spell, shown, offsets)


def _said(widget: QWidget, text: str) -> Utterance | None:
    spoken, _offsets = speakable(text)
    return Utterance(spoken, widget) if spoken else None


def _joined(parts: list[str]) -> str:
    # A full stop between parts makes the engine pause, unless a part ends in punctuation.
    out = ""
    for part in (p.strip() for p in parts):
        if not part:
            continue
        if out:
            out += " " if unicodedata.category(out[-1]).startswith("P") else ". "
        out += part
    return out


def _button_parts(button: QAbstractButton) -> list[str]:
    # Buttons that draw their text with labels (wrapping answers, with a verdict mark) say
    # those labels, in their order; others their own text or, for icons, their name.
    parts = [
        plain_text(child)
        for child in button.findChildren(QLabel)
        if child.isVisibleTo(button) and child.text()
    ]
    if not parts:
        parts = [button.text().replace("&&", "\0").replace("&", "").replace("\0", "&")]
    if not _has_a_word(speakable(parts[0])[0]) and button.accessibleName():
        # A sign ("A+", "◐") or a lone letter tells a listener nothing: the name says what it does.
        parts = [button.accessibleName()]
    return parts


def _has_a_word(text: str) -> bool:
    """Whether `text` holds a word of two letters or more (in any script)."""
    run = 0
    for char in text:
        run = run + 1 if char.isalpha() else 0
        if run >= 2:
            return True
    return False


def describe(widget: QWidget, gettext: Gettext = _same) -> Utterance | None:
    """What one element says when it is read or touched; None for what says nothing.

    `gettext` translates the words the kiosk adds (an answer's "chosen").
    """
    if widget.property(DECORATIVE_PROPERTY):
        return None
    spell = bool(widget.property(SPELL_PROPERTY))
    if isinstance(widget, QLabel):
        picture = widget.pixmap()
        if (picture is not None and not picture.isNull()) or widget.movie() is not None:
            # A picture says its description (alt text); one without is an ornament.
            alt = widget.accessibleDescription() or widget.accessibleName()
            return _said(widget, alt) if alt else None
        return _from_shown(widget, plain_text(widget), spell)
    if isinstance(widget, QAbstractButton):
        parts = _button_parts(widget)
        if widget.isCheckable() and widget.isChecked():
            parts.insert(1, gettext(CHOSEN))  # after the answer, before its verdict
        return _said(widget, _joined([speakable(part)[0] for part in parts]))
    if isinstance(widget, QLineEdit | QPlainTextEdit | QTextEdit | QComboBox | QAbstractSpinBox):
        return _field(widget, spell)
    if isinstance(widget, QAbstractSlider | QProgressBar):
        return None  # scroll bars and progress bars: the screen's words say where one is
    # A painted widget (timeline, week grid, chart, QR code) says its accessible name and
    # description; a container says nothing itself (its children speak).
    if _has_visible_children(widget):
        return None
    name = _joined([widget.accessibleName(), widget.accessibleDescription()])
    return _said(widget, name) if name else None


def _field(widget: QWidget, spell: bool) -> Utterance | None:
    """A text field says its name and what is in it (a hidden password stays unsaid)."""
    if isinstance(widget, QLineEdit):
        name = widget.accessibleName() or widget.placeholderText()
        content = "" if widget.echoMode() != QLineEdit.EchoMode.Normal else widget.text()
    elif isinstance(widget, QPlainTextEdit | QTextEdit):
        name = widget.accessibleName() or widget.placeholderText()
        content = widget.toPlainText()
    elif isinstance(widget, QComboBox):
        name, content = widget.accessibleName(), widget.currentText()
    else:
        spin = widget if isinstance(widget, QAbstractSpinBox) else None
        name, content = widget.accessibleName(), spin.text() if spin else ""
    said_content = (spelled(content) if spell else speakable(content))[0]
    text = _joined([speakable(name)[0], said_content])
    return Utterance(text, widget, spell) if text else None


def _has_visible_children(widget: QWidget) -> bool:
    return any(child.isVisibleTo(widget) for child in widget.findChildren(QWidget))


def _is_leaf(widget: QWidget) -> bool:
    return isinstance(
        widget,
        QLabel
        | QAbstractButton
        | QLineEdit
        | QPlainTextEdit
        | QTextEdit
        | QComboBox
        | QAbstractSpinBox
        | QAbstractSlider
        | QProgressBar,
    )


def _layout_widgets(layout: QLayout) -> Iterator[QWidget]:
    """The widgets of `layout` and its nested layouts, in the order they were added (the
    screens build their layouts in reading order)."""
    for index in range(layout.count()):
        item = layout.itemAt(index)
        if item is None:
            continue
        child = item.widget()
        if child is not None:
            yield child
            continue
        nested = item.layout()
        if nested is not None:
            yield from _layout_widgets(nested)


def reading_order(root: QWidget) -> Iterator[QWidget]:
    """Every widget under `root` that is shown (or only scrolled out of view), leaves and
    painted widgets, in reading order: layout order first, then widgets outside layouts."""
    seen: set[int] = set()

    def walk(widget: QWidget) -> Iterator[QWidget]:
        if id(widget) in seen:
            return
        seen.add(id(widget))
        if not (widget is root or widget.isVisibleTo(root)) or widget.property(DECORATIVE_PROPERTY):
            return
        if _is_leaf(widget) or not _has_visible_children(widget):
            yield widget
            return
        layout = widget.layout()
        if layout is not None:
            for child in _layout_widgets(layout):
                yield from walk(child)
        # Children outside any layout (a scroll area's page, overlays) come after.
        for other in widget.children():
            if isinstance(other, QWidget) and not other.isWindow():
                yield from walk(other)

    yield from walk(root)


def screen_utterances(root: QWidget, gettext: Gettext = _same) -> list[Utterance]:
    """The visible content of a screen (or any widget), in reading order."""
    said = (describe(widget, gettext) for widget in reading_order(root))
    return [utterance for utterance in said if utterance is not None]
