"""Course pictures never freeze the kiosk, and course text is shown as typed, never as HTML."""

from __future__ import annotations

import dataclasses
import itertools
import random
import time
from pathlib import Path
from types import MappingProxyType

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QColor, QTextDocument
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from kiosk.core.courses import Catalogue, Course, Image, load_catalogue
from kiosk.core.i18n import Translator
from kiosk.ui import theme
from kiosk.ui.learning.catalogue import CourseCard
from kiosk.ui.learning.lesson import LessonScreen
from tests.unit.courses.builders import write_package
from tests.unit.courses.test_image_limits import nested_use_bomb, png_header

RICH_ALT = "<img src=x><b>bold</b>"
RICH_TITLE = '<a href="https://example.org">Click</a> here'


def busy_svg(shapes: int) -> bytes:
    """An SVG within every limit that still takes long to draw: a red ground and many large,
    translucent, curved shapes over each other (4:3, so it fills the picture's place)."""
    rng = random.Random(7)
    parts = [
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1000 750">',
        '<rect width="1000" height="750" fill="#ff0000"/>',
    ]
    for _ in range(shapes):
        curve = " ".join(
            f"Q{rng.randint(100, 900)} {rng.randint(100, 650)} "
            f"{rng.randint(100, 900)} {rng.randint(100, 650)}"
            for _ in range(12)
        )
        parts.append(
            f'<path d="M500 375 {curve}" fill="#{rng.randint(0, 0xFFFFFF):06x}" '
            'fill-opacity="0.5" stroke="#000" stroke-width="3"/>'
        )
    parts.append("</svg>")
    return "\n".join(parts).encode()


def lesson_screen(qtbot: QtBot, catalogue: Catalogue) -> LessonScreen:
    screen = LessonScreen(
        Translator(Path("/nonexistent"), default="en"), catalogue, fallback_languages=("en", "de")
    )
    qtbot.addWidget(screen)
    screen.resize(1280, 800)
    screen.show()
    return screen


def corner(label: QLabel) -> QColor:
    return label.pixmap().toImage().pixelColor(2, 2)


def test_a_slow_picture_is_drawn_while_the_screen_keeps_working(
    qtbot: QtBot, tmp_path: Path
) -> None:
    folder = write_package(tmp_path / "courses")
    (folder / "images" / "call.svg").write_bytes(busy_svg(1200))
    screen = lesson_screen(qtbot, load_catalogue(tmp_path / "courses"))
    ticks: list[float] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start(5)
    started = time.perf_counter()
    assert screen.open("video-calls")  # the first step shows call.svg
    opened = time.perf_counter() - started
    # The step is there at once, with a calm placeholder where the picture will be.
    assert opened < 0.25
    assert corner(screen.image) == QColor(theme.PRIMARY_SOFT)
    qtbot.waitUntil(lambda: corner(screen.image) == QColor("#ff0000"), timeout=60_000)
    drawn = time.perf_counter() - started
    timer.stop()
    gaps = [b - a for a, b in itertools.pairwise(ticks)]
    # The event loop kept turning while the picture was drawn (the drawing took many times
    # longer than the longest pause between two ticks).
    assert len(ticks) >= 10
    assert max(gaps) < 0.25
    assert drawn > 4 * max(gaps)


@pytest.mark.parametrize(
    ("name", "data"), [("call.svg", nested_use_bomb()), ("call.png", png_header(16000, 16000))]
)
def test_a_picture_over_the_limits_shows_its_description_instead(
    qtbot: QtBot, tmp_path: Path, name: str, data: bytes
) -> None:
    folder = write_package(tmp_path / "courses")
    catalogue = load_catalogue(tmp_path / "courses")
    # The package changes after it was checked (as one arriving later could): the kiosk
    # checks again before drawing.
    (folder / "images" / "call.svg").unlink()
    (folder / "images" / name).write_bytes(data)
    course = with_image(catalogue.get("video-calls"), folder / "images" / name, RICH_ALT)
    screen = lesson_screen(qtbot, Catalogue([course]))
    started = time.perf_counter()
    assert screen.open("video-calls")
    qtbot.waitUntil(lambda: screen.image.text() == RICH_ALT, timeout=5_000)
    assert time.perf_counter() - started < 5
    assert screen.image.pixmap().isNull()
    assert screen.image.textFormat() == GuiQt.TextFormat.PlainText
    assert screen.image.accessibleName() == RICH_ALT


def test_course_text_is_shown_as_typed(qtbot: QtBot, tmp_path: Path) -> None:
    folder = write_package(tmp_path / "courses")
    course = with_image(
        load_catalogue(tmp_path / "courses").get("video-calls"),
        folder / "images" / "call.svg",
        RICH_ALT,
        title=RICH_TITLE,
    )
    course = dataclasses.replace(
        course, titles=MappingProxyType({**course.titles, "en": RICH_TITLE})
    )
    screen = lesson_screen(qtbot, Catalogue([course]))
    assert screen.open("video-calls")
    # A tooltip is read as rich text whenever it looks like HTML: what Qt shows of it must be
    # the description as typed.
    assert as_qt_shows_it(screen.image.toolTip()) == RICH_ALT
    for label in (screen.step_title, screen._course_title):
        assert label.text() == RICH_TITLE
        assert label.textFormat() == GuiQt.TextFormat.PlainText
    card = CourseCard(course)
    qtbot.addWidget(card)
    card.retranslate(Translator(Path("/nonexistent"), default="en"), ("en", "de"))
    assert card.title.text() == RICH_TITLE
    assert card.title.textFormat() == GuiQt.TextFormat.PlainText
    assert card.accessibleName() == RICH_TITLE


def as_qt_shows_it(text: str) -> str:
    """The text a QLabel with Qt's automatic format (tooltips have no other) displays."""
    document = QTextDocument()
    if GuiQt.mightBeRichText(text):
        document.setHtml(text)
    else:
        document.setPlainText(text)
    return document.toPlainText()


def with_image(course: Course | None, path: Path, alt: str, *, title: str = "") -> Course:
    """The course with its first step's English picture (and title) replaced."""
    assert course is not None
    first = course.steps[0]
    text = first.texts["en"]
    text = dataclasses.replace(text, image=Image(path, alt), title=title or text.title)
    step = dataclasses.replace(first, texts=MappingProxyType({**first.texts, "en": text}))
    return dataclasses.replace(course, steps=(step, *course.steps[1:]))
