"""The end of a course and the lesson's reading width: next steps first, a positive score, the
way back pointing back, no resume offer once finished, ~70 characters a line at any size."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QFontMetrics
from pytestqt.qtbot import QtBot

from kiosk import resources
from kiosk.app import KioskApp
from kiosk.config import load_config
from kiosk.core.i18n import Translator
from kiosk.ui.learning.lesson import LessonScreen
from kiosk.ui.learning.lesson_end import score_line
from kiosk.ui.learning.text_column import CHARACTERS_PER_LINE
from kiosk.ui.shell.screens import Screen
from tests.ui.layout_checks import clipped_texts
from tests.ui.looks import keep_look
from tests.ui.running_app import shown_kiosk

COURSE = "video-calls"  # written in all eight languages, with a device to try


@pytest.fixture
def kiosk(qtbot: QtBot, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[KioskApp]:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    with shown_kiosk(qtbot, load_config(resources.DEMO_CONFIG), data_dir) as app:
        yield app


def finish(kiosk: KioskApp, language: str) -> LessonScreen:
    window = kiosk.window
    window.start_session(language)
    window.open_course(COURSE)
    while not window.lesson.at_end:
        window.lesson.go_next()
    return window.lesson


def test_the_score_is_said_positively() -> None:
    tr = Translator(resources.TRANSLATIONS, ["en"], "en")
    none_right = score_line(tr, 0, 3)
    assert "0" not in none_right and "Mistakes are part of learning" in none_right
    assert score_line(tr, 2, 3) == "2 of 3 quiz questions right at the first try."
    assert score_line(tr, 3, 3) == "You answered all 3 quiz questions right at the first try."
    assert score_line(tr, 1, 1) == "You answered the quiz question right at the first try."
    assert score_line(tr, 0, 0) == ""  # resumed after the quizzes: nothing to score


@pytest.mark.parametrize("language", ["de", "en", "ar"])
def test_the_end_shows_next_steps_first_and_points_back(
    qtbot: QtBot, kiosk: KioskApp, language: str
) -> None:
    lesson = finish(kiosk, language)
    end = lesson.end
    assert not lesson.save_place.isVisible()  # a finished course has nothing to continue
    rtl = language == "ar"
    assert lesson.next.text().startswith("→" if rtl else "←")
    assert not lesson.next.text().endswith("→" if not rtl else "←")
    viewport = lesson._scroll.viewport()

    def in_view_before_help() -> bool:
        for button in end.suggestions:
            top = button.mapTo(viewport, QPoint(0, 0)).y()
            if top < 0 or top + button.height() > viewport.height():
                return False
        return bool(end.suggestions) and end.suggestions[-1].y() < end.help.y()

    # Trying the device and the next courses: all in view at 1280×800, before the help text.
    qtbot.waitUntil(in_view_before_help, timeout=1000)
    assert len(end.suggestions) == 3
    assert lesson._scroll.verticalScrollBar().value() == 0
    assert [p for p in clipped_texts(kiosk.window) if "saveButton" in p] == []
    keep_look(kiosk.window, f"lesson-end-{language}")
    qtbot.mouseClick(lesson.next, Qt.MouseButton.LeftButton)
    assert kiosk.window.current_screen is Screen.LEARN


def body_geometry(lesson: LessonScreen) -> tuple[int, int, int]:
    """The body text's width, and its distance from the view's left and right edges."""
    viewport = lesson._scroll.viewport()
    left = lesson.body.mapTo(viewport, QPoint(0, 0)).x()
    return lesson.body.width(), left, viewport.width() - left - lesson.body.width()


def test_lesson_lines_keep_to_about_70_characters_centred_at_any_text_size(
    qtbot: QtBot, kiosk: KioskApp
) -> None:
    window = kiosk.window
    window.resize(1920, 1080)
    window.start_session("de")
    window.open_course(COURSE)
    lesson = window.lesson
    lesson.go_next()
    qtbot.waitUntil(lambda: lesson.body.isVisible() and body_geometry(lesson)[0] > 0)

    def characters() -> float:
        """Characters of running text (the step's own) a full line holds."""
        metrics = QFontMetrics(lesson.body.font())
        text = " ".join(lesson.body.text().split()[:40])  # a plain paragraph of the step
        return body_geometry(lesson)[0] / (metrics.horizontalAdvance(text) / len(text))

    qtbot.waitUntil(lambda: characters() <= CHARACTERS_PER_LINE + 8, timeout=1000)
    assert characters() >= CHARACTERS_PER_LINE - 8
    width, left, right = body_geometry(lesson)
    assert abs(left - right) <= 2  # centred
    narrow = width
    for _ in range(3):  # the largest text size: the column grows with the letters
        window.header.larger.click()
    qtbot.waitUntil(lambda: body_geometry(lesson)[0] > narrow * 1.4, timeout=1000)
    assert characters() <= CHARACTERS_PER_LINE + 8
    keep_look(window, "lesson-1920-largest-text")


@pytest.mark.parametrize("language", ["de", "de-x-ls", "en", "ar"])
def test_continue_later_is_not_cut_at_the_largest_text_size(
    qtbot: QtBot, kiosk: KioskApp, language: str
) -> None:
    window = kiosk.window
    window.start_session(language)
    for _ in range(3):
        window.header.larger.click()
    cut = []
    for course in window.catalogue:  # every course title beside it, the longest included
        window.open_course(course.id)
        window.lesson.go_next()
        assert window.lesson.save_place.isVisible()
        cut += [f"{course.id}: {p}" for p in clipped_texts(window) if "saveButton" in p]
    assert cut == []
