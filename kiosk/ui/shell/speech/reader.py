"""Reads utterances aloud one after another, marking on screen what is being said."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from PySide6.QtCore import QObject, QPoint, QRect, Signal
from PySide6.QtWidgets import QLabel, QScrollArea, QWidget

from kiosk.core.i18n import Translator
from kiosk.ui.shell.speech.highlight import Highlight
from kiosk.ui.shell.speech.reading import Utterance
from kiosk.ui.shell.speech.voice import Voice

log = logging.getLogger(__name__)
VIEW_MARGIN = 24  # px kept around an element scrolled into view to be read
# A spoken word that leaves the view brings its line to this part of the view's height from the
# top: a few lines read before it stay in view, and most of the view shows what comes next (one
# jump every few lines rather than a view creeping along line by line).
FOLLOW_AT = 1 / 4


class ReadAloud(QObject):
    """The "Read aloud" button's reading: each utterance through the voice in the visitor's
    language, the spoken word marked in its label (or the element framed), until the end or
    until `stop()`."""

    started = Signal()
    """Reading began."""
    stopped = Signal()
    """Reading ended: read to the end, stopped, or not possible."""
    unavailable = Signal(str)
    """Nothing could be read (no engine, or no voice for the language): what to tell the
    visitor, in their language."""

    def __init__(self, voice: Voice, translator: Translator, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._voice = voice
        self._tr = translator
        self._queue: list[Utterance] = []
        self._index = -1
        self._reading = False
        self._highlight = Highlight()
        voice.word.connect(self._on_word)
        voice.finished.connect(self._on_finished)
        voice.unavailable.connect(self._on_unavailable)

    @property
    def reading(self) -> bool:
        return self._reading

    @property
    def current(self) -> Utterance | None:
        """The utterance being read now."""
        if self._reading and 0 <= self._index < len(self._queue):
            return self._queue[self._index]
        return None

    @property
    def highlight(self) -> Highlight:
        """What is marked on screen now."""
        return self._highlight

    def read(self, utterances: Sequence[Utterance]) -> None:
        """Read `utterances` in order, from the first (whatever was being read stops)."""
        self.stop()
        queue = [utterance for utterance in utterances if utterance.text.strip()]
        if not queue:
            return
        self._queue, self._index, self._reading = queue, -1, True
        self.started.emit()
        self._next()

    def stop(self) -> None:
        """Stop at once: silent, nothing marked."""
        if not self._reading:
            return
        self._voice.stop()
        self._end()

    def _next(self) -> None:
        self._highlight.clear()
        self._index += 1
        if self._index >= len(self._queue):
            self._end()
            return
        utterance = self._queue[self._index]
        widget = utterance.widget
        if widget is not None:
            _scroll_into_view(widget)
            if not self._voice.reports_words or not _marks_words(utterance):
                self._mark_whole(utterance)
        # The voice may answer `unavailable` at once, which ends the reading.
        self._voice.say(utterance.text, self._tr.current.code)

    def _mark_whole(self, utterance: Utterance) -> None:
        widget = utterance.widget
        if isinstance(widget, QLabel) and _marks_words(utterance):
            span = utterance.shown_span(0, len(utterance.text))
            if span is not None:
                self._highlight.mark_text(widget, utterance.shown, *span)
                return
        if widget is not None:
            self._highlight.frame_widget(widget)

    def _on_word(self, start: int, length: int) -> None:
        utterance = self.current
        if utterance is None or utterance.widget is None:
            return
        span = utterance.shown_span(start, length)
        if isinstance(utterance.widget, QLabel) and _marks_words(utterance) and span is not None:
            self._highlight.mark_text(utterance.widget, utterance.shown, *span)
            line = self._highlight.marked_rect()
            if line is not None:
                _follow(utterance.widget, line)

    def _on_finished(self) -> None:
        if self._reading:
            self._next()

    def _on_unavailable(self, reason: str) -> None:
        if not self._reading:
            return
        log.info("nothing read aloud: %s", reason)
        language = self._tr.current.code
        self._end()
        _ = self._tr.gettext
        any_voice = any(self._voice.has_voice(other.code) for other in self._tr.languages)
        if any_voice and not self._voice.has_voice(language):
            self.unavailable.emit(_("Reading aloud is not available in this language."))
        else:
            self.unavailable.emit(_("Reading aloud is not available on this terminal."))

    def _end(self) -> None:
        self._reading = False
        self._queue, self._index = [], -1
        self._highlight.clear()
        self.stopped.emit()


def _marks_words(utterance: Utterance) -> bool:
    """Whether the utterance's words can be marked in its label's text (not in a picture)."""
    widget = utterance.widget
    if not isinstance(widget, QLabel) or not utterance.offsets:
        return False
    picture = widget.pixmap()
    return picture is None or picture.isNull()


def _scroll_into_view(widget: QWidget) -> None:
    """Scroll every scroll area around `widget` so it is in view while it is read."""
    parent = widget.parentWidget()
    while parent is not None:
        page = parent.widget() if isinstance(parent, QScrollArea) else None
        if isinstance(parent, QScrollArea) and page is not None:
            if widget.height() > parent.viewport().height():
                # Taller than the view (a long step's text): its beginning, where reading starts.
                top = widget.mapTo(page, QPoint(0, 0)).y() - VIEW_MARGIN
                parent.verticalScrollBar().setValue(max(0, top))
            else:
                parent.ensureWidgetVisible(widget, VIEW_MARGIN, VIEW_MARGIN)
        parent = parent.parentWidget()


def _follow(widget: QWidget, line: QRect) -> None:
    """Scroll every scroll area around `widget` that hides `line` (in `widget`'s coordinates:
    the spoken word's line) so that the line is in view, near the top."""
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QScrollArea) and parent.widget() is not None:
            view = parent.viewport()
            top = widget.mapTo(view, line.topLeft()).y()
            bottom = top + line.height()
            if top < VIEW_MARGIN or bottom > view.height() - VIEW_MARGIN:
                bar = parent.verticalScrollBar()
                bar.setValue(bar.value() + top - max(VIEW_MARGIN, int(view.height() * FOLLOW_AT)))
        parent = parent.parentWidget()
