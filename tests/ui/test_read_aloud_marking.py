"""The spoken word's mark: a lesson text keeps its bullets and bold while a word in it is marked,
course text stays text (never read as markup), and a long text scrolls to follow the word at the
largest text size at 1280×800."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QLabel, QScrollArea, QWidget
from pytestqt.qtbot import QtBot

from kiosk import resources
from kiosk.app import KioskApp
from kiosk.config import load_config
from kiosk.core.session import TEXT_SCALES
from kiosk.ui.shell.speech.highlight import MARK_BACKGROUND, Highlight
from kiosk.ui.shell.speech.reading import describe, plain_text
from tests.ui.running_app import shown_kiosk
from tests.ui.speech_fake import RecordingBackend

LARGEST = len(TEXT_SCALES) - 1
# The marker's colour as a 32-bit pixel in memory (blue, green, red, alpha).
_MARK_PIXEL = bytes.fromhex(MARK_BACKGROUND[5:7] + MARK_BACKGROUND[3:5] + MARK_BACKGROUND[1:3])


@pytest.fixture
def engine() -> RecordingBackend:
    return RecordingBackend()


@pytest.fixture
def kiosk(
    qtbot: QtBot, data_dir: Path, monkeypatch: pytest.MonkeyPatch, engine: RecordingBackend
) -> Iterator[KioskApp]:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    site = load_config(resources.DEMO_CONFIG)
    with shown_kiosk(qtbot, site, data_dir, speech_backend=lambda: engine) as app:
        yield app
        app.window.access.reader.stop()


def read_up_to(qtbot: QtBot, kiosk: KioskApp, engine: RecordingBackend, widget: QWidget) -> None:
    """Tap "Read aloud" and let the engine end each utterance until `widget` is being read."""
    reader = kiosk.window.access.reader
    qtbot.mouseClick(kiosk.window.header.read_aloud, Qt.MouseButton.LeftButton)
    for _ in range(50):
        current = reader.current
        assert current is not None, "read to the end without reading the widget"
        if current.widget is widget:
            return
        engine.finish()
        qtbot.waitUntil(lambda: reader.current is not current)  # noqa: B023
    raise AssertionError("the widget was not read")


def shows_mark(widget: QWidget) -> bool:
    """Whether the marker's yellow is among the pixels `widget` shows."""
    image = widget.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    pixels = bytes(image.constBits())
    found = pixels.find(_MARK_PIXEL + b"\xff")
    while found >= 0 and found % 4:  # a match across two pixels is none
        found = pixels.find(_MARK_PIXEL + b"\xff", found + 1)
    return found >= 0


def test_a_list_keeps_its_bullets_and_bold_while_a_word_in_it_is_marked(
    qtbot: QtBot, kiosk: KioskApp, engine: RecordingBackend
) -> None:
    window = kiosk.window
    window.start_session("en")
    window.open_course(next(iter(window.catalogue)).id)
    body = window.lesson.body
    assert "<li>" in body.text()  # step 1: a paragraph, a list of chatbots in bold, a paragraph
    original = body.text()
    read_up_to(qtbot, kiosk, engine, body)
    said = engine.texts[-1]
    word = next(i for i, w in enumerate(said.split()) if w == "Copilot")
    engine.report_word(word)
    qtbot.waitUntil(lambda: MARK_BACKGROUND in body.text())
    shown = body.text()
    assert body.textFormat() == Qt.TextFormat.RichText
    # Still a list with its items, the words in bold still bold, and only "Copilot" marked.
    assert shown.count("<li") == original.count("<li>") and "<ul" in shown
    assert "font-weight:700" in shown
    marked = shown.split(f"background-color:{MARK_BACKGROUND}", 1)[1].split(">", 1)[1]
    assert marked.split("</span>", 1)[0] == "Copilot"
    assert shows_mark(body)
    # Its plain text is unchanged (what is said is what is shown), and the end restores it.
    current = kiosk.window.access.reader.current
    assert current is not None and plain_text(body) == current.shown
    engine.finish()
    qtbot.waitUntil(lambda: body.text() == original)


def test_course_text_that_looks_like_markup_stays_text(qtbot: QtBot) -> None:
    label = QLabel("Type <b>hello</b> & press 😀 Enter")
    label.setTextFormat(Qt.TextFormat.PlainText)
    qtbot.addWidget(label)
    utterance = describe(label)
    assert utterance is not None and utterance.text == "Type <b>hello</b> & press  Enter"
    highlight = Highlight()
    start = utterance.shown.index("Enter")
    highlight.mark_text(label, utterance.shown, start, start + len("Enter"))
    shown = label.text()
    assert "&lt;b&gt;hello&lt;/b&gt; &amp; press 😀 " in shown
    # After an emoji (two UTF-16 units in Qt) the mark still covers the word, not its neighbour.
    assert (
        shown.split(f"background-color:{MARK_BACKGROUND}", 1)[1]
        .split(">", 1)[1]
        .startswith("Enter</span>")
    )
    highlight.clear()
    assert label.text() == "Type <b>hello</b> & press 😀 Enter"
    assert label.textFormat() == Qt.TextFormat.PlainText


def test_a_long_text_scrolls_to_follow_the_spoken_word_at_the_largest_size(
    qtbot: QtBot, kiosk: KioskApp, engine: RecordingBackend
) -> None:
    window = kiosk.window
    window.start_session("en")
    for _ in range(LARGEST):
        window.header.larger.click()
    window.open_course(next(iter(window.catalogue)).id)
    body = window.lesson.body
    scroll = window.lesson.findChild(QScrollArea)
    assert scroll is not None
    view = scroll.viewport()
    QApplication.processEvents()
    assert body.height() > 2 * view.height()  # a text that does not fit the view twice over
    read_up_to(qtbot, kiosk, engine, body)
    words = len(engine.words())
    bar = scroll.verticalScrollBar()
    positions = []
    for word in [*range(0, words, 7), words - 1]:
        engine.report_word(word)
        QApplication.processEvents()  # the engine's word reaches the UI thread
        line = window.access.reader.highlight.marked_rect()
        assert line is not None
        top = body.mapTo(view, line.topLeft()).y()
        assert top >= 0 and top + line.height() <= view.height(), f"word {word} out of view"
        assert shows_mark(view), f"word {word} not shown"
        positions.append(bar.value())
    # It went down with the reading, never back up, and in a few jumps rather than line by line.
    assert positions == sorted(positions) and positions[-1] > positions[0]
    assert len(set(positions)) <= len(positions) // 2 + 1
