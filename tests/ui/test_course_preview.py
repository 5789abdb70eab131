"""`kiosk courses preview`: a course package in the lesson player, in an ordinary window, reloaded
within a second of a save on the same step; the checker's problems with their lines beside it
(the last good version stays in the player); one tap switches the language."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from kiosk import resources
from kiosk.cli import main
from kiosk.config import load_config
from kiosk.core.courses import step_text
from kiosk.core.i18n import LANGUAGE_CODES, Translator, isolate
from kiosk.ui.authoring.launch import build_preview
from kiosk.ui.authoring.preview import CoursePreview
from kiosk.ui.learning.lesson import LessonScreen
from tests.ui.looks import keep_look

COURSE = "video-calls"  # written in all eight languages, with pictures and quizzes
STEP = "wifi-or-data"  # the second step
TITLE_EN = "## explain wifi-or-data: Wi-Fi or mobile data?"


def author_words() -> Translator:
    """The preview's own words as it says them: in the site's default language (whichever that
    is and however far its catalogue is translated), so the tests compare message ids through it."""
    default = load_config(resources.DEMO_CONFIG).languages.default
    return Translator(resources.TRANSLATIONS, LANGUAGE_CODES, default)


@pytest.fixture
def package(tmp_path: Path) -> Path:
    folder = tmp_path / COURSE
    shutil.copytree(resources.COURSES / COURSE, folder)
    return folder


def open_preview(qtbot: QtBot, folder: Path, language: str = "en") -> CoursePreview:
    window = build_preview(folder, load_config(resources.DEMO_CONFIG), language=language)
    qtbot.addWidget(window)
    window.show()
    window.resize(1700, 940)
    return window


@pytest.fixture
def preview(qtbot: QtBot, package: Path) -> Iterator[CoursePreview]:
    window = open_preview(qtbot, package)
    yield window
    window.watcher.blockSignals(True)  # files removed with tmp_path are no reload any more


def lesson_of(window: CoursePreview) -> LessonScreen:
    assert window.lesson is not None
    return window.lesson


def save(path: Path, text: str) -> None:
    """Save as editors do: a new file renamed over the old one (the old file's watch ends)."""
    spare = path.with_name(f".{path.name}.tmp")
    spare.write_text(text, encoding="utf-8")
    os.replace(spare, path)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    save(path, text.replace(old, new, 1))


def test_an_edited_step_is_shown_within_a_second_on_the_same_step(
    qtbot: QtBot, preview: CoursePreview, package: Path
) -> None:
    preview.jump(1)
    lesson = lesson_of(preview)
    assert lesson.current_step_id() == STEP
    assert lesson.step_title.text() == "Wi-Fi or mobile data?"
    english = package / "content" / "en.md"
    edit(english, TITLE_EN, "## explain wifi-or-data: Wi-Fi or mobile internet?")
    qtbot.waitUntil(
        lambda: lesson_of(preview).step_title.text() == "Wi-Fi or mobile internet?", timeout=1000
    )
    assert lesson_of(preview).current_step_id() == STEP  # the author stays where they work
    assert preview.steps.currentText() == f"2. {isolate('Wi-Fi or mobile internet?')}"
    # The save replaced the file: the new one is watched too, so a save that writes into the
    # file (and leaves the folder as it was) shows as well.
    text = english.read_text(encoding="utf-8")
    english.write_text(text.replace("two ways to get internet:", "two ways online:"), "utf-8")
    qtbot.waitUntil(
        lambda: "There are two ways online:" in lesson_of(preview).body.text(), timeout=1000
    )
    assert lesson_of(preview).current_step_id() == STEP


def test_a_removed_step_leaves_the_player_at_the_same_place(
    qtbot: QtBot, preview: CoursePreview, package: Path
) -> None:
    preview.jump(1)
    course = preview.course
    assert course is not None
    folder = package / "content"
    for language in course.languages:
        text = (folder / f"{language}.md").read_text(encoding="utf-8")
        start = text.index("## explain wifi-or-data")
        end = text.index("## ", start + 3)
        save(folder / f"{language}.md", text[:start] + text[end:])
    qtbot.waitUntil(
        lambda: preview.course is not None and len(preview.course.steps) == len(course.steps) - 1,
        timeout=1000,
    )
    assert preview.problems.problems == ()
    assert lesson_of(preview).current_step_id() == "check-connection"  # the next, now second
    assert preview.position() == 1


@pytest.mark.parametrize(
    ("broken_file", "old", "new", "place"),
    [
        ("course.toml", 'level = "beginner"', 'level = "beginner', "course.toml:5: TOML syntax"),
        (
            "content/en.md",
            "## explain what-you-need:",
            "## explain what-you-need\nWhat you need:",
            "content/en.md:3: a step heading looks like",
        ),
        ("images/wifi-data.svg", "", "", "content/en.md:28: image not found"),
    ],
    ids=["course.toml syntax", "step file", "missing picture"],
)
def test_a_broken_save_lists_the_problem_at_its_line_and_keeps_the_last_good_version(
    qtbot: QtBot,
    preview: CoursePreview,
    package: Path,
    broken_file: str,
    old: str,
    new: str,
    place: str,
) -> None:
    _ = author_words()
    preview.jump(1)
    assert preview.problems.heading.text() == _.gettext("No problems found.")
    shown = lesson_of(preview)
    path = package / broken_file
    good = path.read_bytes()
    if old:
        edit(path, old, new)
    else:
        path.unlink()
    qtbot.waitUntil(lambda: bool(preview.problems.problems), timeout=1000)
    lines = [preview.problems.list.item(i).text() for i in range(preview.problems.list.count())]
    # Each line is a problem as `courses check` finds it, in the author's language.
    assert lines == [problem.translated(_) for problem in preview.problems.problems]
    file, line, english = place.split(":", 2)
    [found] = [
        problem
        for problem in preview.problems.problems
        if problem.path == package / file
        and problem.line == int(line)
        and str(problem.message).startswith(english.strip())
    ]
    wanted = found.translated(_)
    count = len(preview.problems.problems)
    assert preview.problems.heading.text() == _.ngettext(
        "{n} problem. The preview shows the last version without problems.",
        "{n} problems. The preview shows the last version without problems.",
        count,
    ).format(n=_.number(count))
    # The last good version stays, on the same step.
    assert preview.lesson is shown and preview.player.currentWidget() is shown
    assert shown.current_step_id() == STEP
    assert shown.step_title.text() == "Wi-Fi or mobile data?"
    # A tapped problem says which file and line (and shows that line of the file).
    row = lines.index(wanted)
    item = preview.problems.list.item(row)
    preview.problems.list.scrollToItem(item)
    rect = preview.problems.list.visualItemRect(item)
    QTest.mouseClick(
        preview.problems.list.viewport(),
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
        rect.center(),
    )
    detail = preview.problems.detail
    assert detail.isVisible()
    assert detail.text().startswith(
        _.gettext("{file}, line {line}").format(file=package / file, line=line)
    )
    keep_look(preview, f"course-preview-broken-{broken_file.replace('/', '-')}")
    # Fixed: the problems go, the player shows the package again.
    path.write_bytes(good)
    qtbot.waitUntil(lambda: not preview.problems.problems, timeout=1000)
    assert preview.problems.heading.text() == _.gettext("No problems found.")
    assert lesson_of(preview).current_step_id() == STEP


def test_a_package_broken_from_the_start_says_so_in_the_player(qtbot: QtBot, package: Path) -> None:
    edit(package / "course.toml", 'level = "beginner"', 'level = "beginner')
    window = open_preview(qtbot, package)
    _ = author_words()
    assert window.lesson is None and window.course is None
    assert window.player.currentWidget() is window.not_shown
    assert window.not_shown.text() == _.gettext(
        "This course cannot be shown yet. Fix the problems listed beside it: "
        "the preview reloads when you save a file."
    )
    assert window.problems.heading.text() == _.ngettext(
        "{n} problem. The course can be shown once it is fixed.",
        "{n} problems. The course can be shown once they are fixed.",
        1,
    ).format(n=_.number(1))
    assert not window.next.isEnabled() and not window.previous.isEnabled()
    keep_look(window, "course-preview-never-good")
    edit(package / "course.toml", 'level = "beginner', 'level = "beginner"')
    qtbot.waitUntil(lambda: window.lesson is not None, timeout=1000)
    assert lesson_of(window).current_step_id() == "what-you-need"
    window.watcher.blockSignals(True)


@pytest.mark.parametrize("language", ["de", "ar", "de-x-ls"])
def test_one_tap_switches_the_language_on_the_same_step(
    qtbot: QtBot, preview: CoursePreview, language: str
) -> None:
    preview.jump(1)
    course = preview.course
    assert course is not None
    QTest.mouseClick(preview.languages.buttons()[language], Qt.MouseButton.LeftButton)
    lesson = lesson_of(preview)
    wanted = step_text(course.step(STEP), language)[0].title
    assert wanted != "Wi-Fi or mobile data?"
    assert lesson.step_title.text() == wanted
    assert lesson.current_step_id() == STEP
    # Isolated, an Arabic title keeps "2." on the left of the author's left-to-right row.
    assert preview.steps.currentText() == f"2. {isolate(wanted)}"
    rtl = Qt.LayoutDirection.RightToLeft if language == "ar" else Qt.LayoutDirection.LeftToRight
    assert lesson.layoutDirection() == rtl
    # The preview's own words stay in the author's language and direction.
    assert preview.layoutDirection() == Qt.LayoutDirection.LeftToRight
    assert preview.problems.heading.text() == author_words().gettext("No problems found.")
    assert preview.languages.buttons()[language].isChecked()
    keep_look(preview, f"course-preview-{language}")


def test_the_author_jumps_to_any_step_and_past_an_unanswered_quiz(
    preview: CoursePreview,
) -> None:
    course = preview.course
    assert course is not None
    assert preview.steps.count() == len(course.steps) + 1  # every step, and the end
    quiz = next(i for i, step in enumerate(course.steps) if step.id == "data-quiz")
    preview.jump(quiz)
    lesson = lesson_of(preview)
    assert lesson.waits_for_answer()
    preview.next.click()
    assert lesson.current_step_id() == course.steps[quiz + 1].id
    preview.steps.activated.emit(len(course.steps))  # "End of the course" chosen in the list
    assert lesson.at_end and not preview.next.isEnabled()
    preview.previous.click()
    assert lesson.current_step_id() == course.steps[-1].id
    # The lesson's own Next moves the step list along.
    preview.jump(0)
    lesson.next.click()
    assert preview.steps.currentIndex() == 1 and preview.previous.isEnabled()


def test_quizzes_are_answered_as_visitors_do(preview: CoursePreview) -> None:
    course = preview.course
    assert course is not None
    preview.jump(next(i for i, step in enumerate(course.steps) if step.id == "privacy-quiz"))
    lesson = lesson_of(preview)
    quiz = step_text(course.step("privacy-quiz"), "en")[0].quiz
    assert quiz is not None and quiz.multiple
    for index in sorted(quiz.correct):
        lesson.choose_option(index)
    lesson.check.click()
    assert lesson.result.text() == "✓ Right! Tap Next to go on."


def test_the_preview_is_an_ordinary_window(preview: CoursePreview, package: Path) -> None:
    assert not preview.isFullScreen()
    assert not preview.windowState() & Qt.WindowState.WindowFullScreen
    flags = preview.windowFlags()
    assert not flags & Qt.WindowType.FramelessWindowHint
    assert not flags & Qt.WindowType.WindowStaysOnTopHint
    title = author_words().gettext("Course preview: {folder}")
    assert preview.windowTitle() == title.format(folder=package)


@pytest.mark.parametrize(
    ("given", "message"),
    [("missing", "no such folder"), ("empty", "not a course folder (it has no course.toml)")],
)
def test_preview_of_a_path_without_a_course_exits_2_and_says_why(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], given: str, message: str
) -> None:
    (tmp_path / "empty").mkdir()
    assert main(["courses", "preview", str(tmp_path / given)]) == 2
    error = capsys.readouterr().err
    assert error.startswith(f"kiosk courses preview: {tmp_path / given}: {message}")
