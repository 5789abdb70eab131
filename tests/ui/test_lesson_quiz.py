"""Quizzes as a visitor meets them: Next waits for an answer, the verdict stands at the chosen
answer with a sign and words, and it is in view after "Check answer" in every language."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from kiosk import resources
from kiosk.app import KioskApp
from kiosk.config import load_config
from kiosk.core.courses import Course, Quiz, QuizOption, StepKind, step_text
from kiosk.core.i18n import Translator
from kiosk.ui.learning.lesson import LessonScreen
from kiosk.ui.learning.quiz_view import QuizPanel
from tests.ui.looks import keep_look
from tests.ui.running_app import shown_kiosk

LANGUAGES = ["de", "de-x-ls", "en", "uk", "ar", "ru", "tr", "fa"]
COURSE = "phishing-fake-shops"


@pytest.fixture
def kiosk(qtbot: QtBot, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[KioskApp]:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    with shown_kiosk(qtbot, load_config(resources.DEMO_CONFIG), data_dir) as app:
        yield app


def quiz_steps(course: Course) -> list[str]:
    return [step.id for step in course.steps if step.kind is StepKind.QUIZ]


def open_step(kiosk: KioskApp, language: str, course_id: str, step_id: str) -> LessonScreen:
    window = kiosk.window
    if window.lesson.course is None:
        window.start_session(language)
    window.open_course(course_id)
    assert window.lesson.open(course_id, step_id)
    return window.lesson


def visible_part(lesson: LessonScreen, widget: QWidget) -> tuple[int, int, int]:
    """`widget`'s top and bottom in the lesson's view, and the lowest line a reader sees there
    (above the "more below" fade while it shows)."""
    viewport = lesson._scroll.viewport()
    top = widget.mapTo(viewport, QPoint(0, 0)).y()
    fade = viewport.findChild(QWidget, "scrollFade")
    seen = fade.y() if fade is not None and fade.isVisible() else viewport.height()
    return top, top + widget.height(), seen


def fully_in_view(lesson: LessonScreen, widget: QWidget) -> bool:
    top, bottom, seen = visible_part(lesson, widget)
    return widget.isVisible() and top >= 0 and bottom <= seen


def test_next_waits_for_an_answer(qtbot: QtBot, kiosk: KioskApp) -> None:
    course = kiosk.window.catalogue.get(COURSE)
    assert course is not None
    step = quiz_steps(course)[0]
    lesson = open_step(kiosk, "en", COURSE, step)
    qtbot.mouseClick(lesson.next, Qt.MouseButton.LeftButton)
    assert lesson.current_step_id() == step  # not skipped past
    assert lesson.quiz.prompt.isVisible()
    assert lesson.quiz.prompt.text() == "Please choose an answer first. Then tap “Check answer”."
    qtbot.waitUntil(lambda: fully_in_view(lesson, lesson.quiz.prompt), timeout=1000)
    # A chosen answer: Next checks it first, so the visitor reads the verdict before going on.
    lesson.choose_option(0)
    assert not lesson.quiz.prompt.isVisible()
    qtbot.mouseClick(lesson.next, Qt.MouseButton.LeftButton)
    assert lesson.current_step_id() == step
    assert lesson.result.isVisible()
    qtbot.mouseClick(lesson.next, Qt.MouseButton.LeftButton)
    assert lesson.current_step_id() != step
    # Coming back to a quiz answered in this visit, Next goes straight on.
    qtbot.mouseClick(lesson.back, Qt.MouseButton.LeftButton)
    assert lesson.current_step_id() == step
    qtbot.mouseClick(lesson.next, Qt.MouseButton.LeftButton)
    assert lesson.current_step_id() != step


def test_check_without_an_answer_asks_for_one_and_counts_nothing(
    qtbot: QtBot, kiosk: KioskApp
) -> None:
    answers: list[bool] = []
    course = kiosk.window.catalogue.get(COURSE)
    assert course is not None
    lesson = open_step(kiosk, "en", COURSE, quiz_steps(course)[0])
    lesson._on_quiz = lambda course, step_id, right: answers.append(right)
    qtbot.mouseClick(lesson.check, Qt.MouseButton.LeftButton)
    assert lesson.quiz.prompt.isVisible()
    assert not lesson.result.isVisible()
    assert answers == []
    assert lesson.waits_for_answer()


@pytest.mark.parametrize("multiple", [False, True], ids=["one answer", "several answers"])
def test_the_chosen_answer_is_marked_right_or_wrong_with_a_sign(
    qtbot: QtBot, kiosk: KioskApp, multiple: bool
) -> None:
    course = kiosk.window.catalogue.get(COURSE)
    assert course is not None
    step = next(
        s
        for s in course.steps
        if s.kind is StepKind.QUIZ
        and (quiz := step_text(s, "en")[0].quiz) is not None
        and quiz.multiple is multiple
    )
    quiz = step_text(step, "en")[0].quiz
    assert quiz is not None
    lesson = open_step(kiosk, "en", COURSE, step.id)
    wrong = next(i for i, option in enumerate(quiz.options) if not option.correct)
    lesson.choose_option(wrong)
    qtbot.mouseClick(lesson.check, Qt.MouseButton.LeftButton)
    button = lesson.quiz.buttons[wrong]
    assert button.mark.isVisible()
    assert button.mark.text() == "✗ Wrong answer"  # a sign and words, not colour alone
    assert button.property("verdict") == "wrong"  # the answer's own frame
    assert "Wrong answer" in button.accessibleName()
    assert lesson.result.text().startswith("✗ ")
    others = [b for i, b in enumerate(lesson.quiz.buttons) if i != wrong]
    assert not any(b.mark.isVisible() for b in others)
    keep_look(kiosk.window, f"lesson-quiz-wrong-{'multiple' if multiple else 'single'}")
    # Another tap (taking the wrong answer back, or choosing another) takes the verdict away.
    right = sorted(quiz.correct)
    lesson.choose_option(wrong if multiple else right[0])
    assert not button.mark.isVisible() and button.property("verdict") is None
    assert not lesson.result.isVisible()
    for i in right:
        if not lesson.quiz.buttons[i].isChecked():
            lesson.choose_option(i)
    qtbot.mouseClick(lesson.check, Qt.MouseButton.LeftButton)
    for i in right:
        assert lesson.quiz.buttons[i].mark.text() == "✓ Right answer"
        assert lesson.quiz.buttons[i].property("verdict") == "right"
    assert lesson.result.text() == "✓ Right! Tap Next to go on."


def verdict_problems(qtbot: QtBot, kiosk: KioskApp, language: str) -> list[str]:
    """For every quiz of the demo courses: a wrong and then the right answer checked; where the
    verdict is not right below the chosen answer, or not wholly in view."""
    problems: list[str] = []
    for course in kiosk.window.catalogue:
        for step_id in quiz_steps(course):
            lesson = open_step(kiosk, language, course.id, step_id)
            step = next(s for s in course.steps if s.id == step_id)
            quiz = step_text(step, language, kiosk.window.lesson._fallback)[0].quiz
            assert quiz is not None
            # The last wrong answer: the lowest on the page, the hardest to keep in view.
            wrong = [i for i, option in enumerate(quiz.options) if not option.correct][-1]
            for choice in ([wrong], sorted(quiz.correct)):
                for button in lesson.quiz.buttons:
                    if button.isChecked():
                        button.click()
                for i in choice:
                    lesson.choose_option(i)
                lesson.check.click()
                verdict, chosen = lesson.result, lesson.quiz.buttons[choice[-1]]
                where = f"{course.id}/{step_id} {choice}"
                try:
                    qtbot.waitUntil(
                        lambda lesson=lesson, verdict=verdict: fully_in_view(lesson, verdict),
                        timeout=500,
                    )
                except AssertionError:
                    top, bottom, seen = visible_part(lesson, verdict)
                    problems.append(f"{where}: verdict at {top}..{bottom}px, view ends {seen}px")
                # Laid out by now: the verdict follows the chosen answer (and its feedback).
                if verdict.y() < chosen.y() + chosen.height():
                    problems.append(f"{where}: verdict above the chosen answer")
                below = [b for b in lesson.quiz.buttons if b.y() > chosen.y()]
                if below and verdict.y() > below[0].y():
                    problems.append(f"{where}: another answer between answer and verdict")
    return problems


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_verdict_is_in_view_after_check_at_1280x800(
    qtbot: QtBot, kiosk: KioskApp, language: str
) -> None:
    assert (kiosk.window.width(), kiosk.window.height()) == (1280, 800)
    assert verdict_problems(qtbot, kiosk, language) == []


@pytest.mark.parametrize("language", ["en", "de", "de-x-ls", "ar"])
def test_every_quiz_with_several_right_answers_says_so_above_its_answers(
    kiosk: KioskApp, language: str
) -> None:
    several = kiosk.translator.gettext_in(language, "Several answers are right.")
    seen = {True: 0, False: 0}
    for course in kiosk.window.catalogue:
        for step_id in quiz_steps(course):
            lesson = open_step(kiosk, language, course.id, step_id)
            quiz = step_text(course.step(step_id), language, lesson._fallback)[0].quiz
            assert quiz is not None
            line = lesson.quiz.how_to_answer
            where = f"{course.id}/{step_id}"
            if len(quiz.correct) > 1:
                assert line.isVisible(), where
                assert line.text() == several, where
                # Read before the answers: above the first one.
                assert line.y() + line.height() <= lesson.quiz.buttons[0].y(), where
                if not seen[True]:
                    keep_look(kiosk.window, f"lesson-quiz-several-right-{language}")
            else:
                assert not quiz.multiple, where
                assert not line.isVisible(), where  # one right answer: nothing to say
            seen[len(quiz.correct) > 1] += 1
    assert seen[True] and seen[False]  # the demo courses have quizzes of both kinds
    if language == "en":
        assert several == "Several answers are right."


def test_a_check_box_quiz_with_one_right_answer_asks_for_all_right_ones(qtbot: QtBot) -> None:
    translator = Translator(resources.TRANSLATIONS, ["en"], "en")
    panel = QuizPanel(translator)
    qtbot.addWidget(panel)
    panel.show()
    right, wrong = QuizOption("Yes", True, "Right."), QuizOption("No", False, "Wrong.")
    panel.show_quiz(Quiz(multiple=True, options=(wrong, right, wrong)))
    # True whatever the number: it does not give away that only one is right.
    assert panel.how_to_answer.isVisible()
    assert panel.how_to_answer.text() == "Choose all answers that are right."
    panel.show_quiz(Quiz(multiple=False, options=(wrong, right)))
    assert not panel.how_to_answer.isVisible()
    panel.show_quiz(Quiz(multiple=True, options=(right, wrong, right)))
    assert panel.how_to_answer.text() == "Several answers are right."
    panel.clear()
    assert not panel.how_to_answer.isVisible()
