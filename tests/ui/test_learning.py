"""Learning as a visitor does it: catalogue, search, a whole course by taps, quiz feedback."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from kiosk import resources
from kiosk.app import KioskApp, build_app
from kiosk.config import SiteConfig, load_config
from kiosk.core.courses import StepKind, step_text
from kiosk.core.session import EndReason
from kiosk.ui.learning.catalogue import CatalogueScreen
from kiosk.ui.shell.screens import Screen
from tests.ui.layout_checks import clipped_texts
from tests.ui.running_app import SLOW, shown_kiosk

COURSE = "phishing-fake-shops"


@pytest.fixture
def site(tmp_path: Path) -> SiteConfig:
    """The demo site, with its courses copied so a test may break one package."""
    courses = tmp_path / "courses"
    shutil.copytree(resources.COURSES, courses, ignore=shutil.ignore_patterns("README.md"))
    config_file = tmp_path / "site.toml"
    text = resources.DEMO_CONFIG.read_text(encoding="utf-8")
    config_file.write_text(
        text.replace('courses_dir = ""', f'courses_dir = "{courses.as_posix()}"'),
        encoding="utf-8",
    )
    return load_config(config_file)


@pytest.fixture
def kiosk(
    qtbot: QtBot, site: SiteConfig, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[KioskApp]:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    with shown_kiosk(qtbot, site, data_dir) as app:
        yield app


def catalogue_screen(kiosk: KioskApp) -> CatalogueScreen:
    screen = kiosk.window.screen_widget(Screen.LEARN)
    assert isinstance(screen, CatalogueScreen)
    return screen


def open_learn(qtbot: QtBot, kiosk: KioskApp, language: str = "en") -> CatalogueScreen:
    kiosk.window.start_session(language)
    qtbot.mouseClick(kiosk.window.home.learn, Qt.MouseButton.LeftButton)
    assert kiosk.window.current_screen is Screen.LEARN
    return catalogue_screen(kiosk)


def test_catalogue_lists_the_shipped_courses(qtbot: QtBot, kiosk: KioskApp) -> None:
    screen = open_learn(qtbot, kiosk)
    shown = screen.visible_course_ids()
    assert COURSE in shown
    assert shown == [course.id for course in kiosk.window.catalogue.for_visitors]
    card = screen.cards[COURSE]
    assert card.title.text() == "Spotting phishing and fake shops"
    assert "minutes" in card.details.text()
    assert not card.language_note.isVisible()  # every step is there in English


def test_search_filters_as_you_type_and_says_when_nothing_matches(
    qtbot: QtBot, kiosk: KioskApp
) -> None:
    screen = open_learn(qtbot, kiosk, "de")
    course = kiosk.window.catalogue.get(COURSE)
    assert course is not None
    qtbot.keyClicks(screen.search, course.title_in("de"))
    assert screen.visible_course_ids()[0] == COURSE  # title matches come first
    screen.search.setText("")
    qtbot.keyClicks(screen.search, "PHISH")  # any case, any language's words
    assert COURSE in screen.visible_course_ids()
    assert len(screen.visible_course_ids()) < len(kiosk.window.catalogue)
    screen.search.setText("")
    qtbot.keyClicks(screen.search, "xyzzy")
    assert screen.visible_course_ids() == []
    assert screen._empty.isVisible()
    screen.search.setText("")
    assert len(screen.visible_course_ids()) == len(kiosk.window.catalogue)


def test_a_visitor_takes_a_whole_course_by_taps(qtbot: QtBot, kiosk: KioskApp) -> None:
    screen = open_learn(qtbot, kiosk)
    screen._scroll.ensureWidgetVisible(screen.cards[COURSE])
    qtbot.wait(10)
    qtbot.mouseClick(screen.cards[COURSE], Qt.MouseButton.LeftButton)
    window = kiosk.window
    assert window.current_screen is Screen.LESSON
    lesson = window.lesson
    course = window.catalogue.get(COURSE)
    assert course is not None
    total = len(course.steps)
    for number, step in enumerate(course.steps, start=1):
        assert lesson.current_step_id() == step.id
        assert lesson.position.text() == f"Step {number} of {total}"
        assert lesson.progress_bar.value() == number
        text, used = step_text(step, "en")
        assert used == "en"
        assert lesson.step_title.text() == text.title
        if step.kind is StepKind.QUIZ:
            assert text.quiz is not None
            wrong = [i for i, o in enumerate(text.quiz.options) if not o.correct]
            lesson.choose_option(wrong[0])
            qtbot.mouseClick(lesson.check, Qt.MouseButton.LeftButton)
            assert lesson.result.isVisible()
            assert lesson.result.text().startswith("✗ Not quite")
            assert lesson.quiz.feedback[wrong[0]].isVisible()
            assert lesson.quiz.feedback[wrong[0]].text() == text.quiz.options[wrong[0]].feedback
            lesson.choose_option(wrong[0])  # take the wrong one back (toggles in multiple choice)
            for i in sorted(text.quiz.correct):
                if not lesson.quiz.buttons[i].isChecked():
                    lesson.choose_option(i)
            qtbot.mouseClick(lesson.check, Qt.MouseButton.LeftButton)
            assert lesson.result.text().startswith("✓ Right")
        qtbot.mouseClick(lesson.next, Qt.MouseButton.LeftButton)
    assert lesson.at_end
    assert lesson.end.title.text() == "Well done! You finished this course."
    # Every quiz was answered wrong at the first try: no "0 of 3", but encouragement.
    assert "Mistakes are part of learning" in lesson.end.score.text()
    assert "Digital consultation" in lesson.end.help.text()
    qtbot.mouseClick(lesson.next, Qt.MouseButton.LeftButton)
    assert window.current_screen is Screen.LEARN


def without_language(site: SiteConfig, course_id: str, code: str) -> None:
    """Take one language's text out of a (copied) course package."""
    folder = site.resolve(site.learning.courses_dir) / course_id
    (folder / "content" / f"{code}.md").unlink(missing_ok=True)
    manifest = folder / "course.toml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text.replace(f', "{code}"', "").replace(f'"{code}", ', ""), "utf-8")


def test_switching_language_mid_lesson_keeps_the_step(
    qtbot: QtBot, site: SiteConfig, kiosk: KioskApp
) -> None:
    without_language(site, COURSE, "ar")  # read when the visitor first opens the catalogue
    window = kiosk.window
    open_learn(qtbot, kiosk, "de")
    window.open_course(COURSE)
    lesson = window.lesson
    for _ in range(3):
        qtbot.mouseClick(lesson.next, Qt.MouseButton.LeftButton)
    step = lesson.current_step_id()
    german = lesson.step_title.text()
    qtbot.mouseClick(window.header.language_bar.buttons()["en"], Qt.MouseButton.LeftButton)
    assert lesson.current_step_id() == step
    assert lesson.step_title.text() != german
    assert not lesson.fallback_note.isVisible()
    # Arabic has no text for this course: the fallback chain shows English, and says so.
    qtbot.mouseClick(window.header.language_bar.buttons()["ar"], Qt.MouseButton.LeftButton)
    assert lesson.current_step_id() == step
    assert lesson.fallback_note.isVisible()
    assert "English" in lesson.fallback_note.text()
    assert lesson._page.layoutDirection() == Qt.LayoutDirection.LeftToRight
    assert lesson.layoutDirection() == Qt.LayoutDirection.RightToLeft
    qtbot.waitUntil(lambda: lesson.back.x() > lesson.next.x(), timeout=1000)


def test_a_broken_package_is_not_offered_but_the_others_are(
    qtbot: QtBot, site: SiteConfig, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    manifest = site.resolve(site.learning.courses_dir) / COURSE / "course.toml"
    manifest.write_text("id = [broken", encoding="utf-8")
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    app = build_app(site, data_dir, timing=SLOW, open_storage_now=True)
    try:
        app.window.start_session("en")
        app.window.show_screen(Screen.LEARN)
        shown = catalogue_screen(app).visible_course_ids()
        assert COURSE not in shown
        assert shown, "the good packages are still offered"
        assert COURSE in [b.path.name for b in app.window.catalogue.broken]
        # Staff see which package is not offered, and why.
        app.window.open_staff_login()
        app.window.staff_login.authenticated.emit()
        staff_home = app.window.screen_widget(Screen.STAFF_HOME)
        courses_text = staff_home.courses.text()
        assert f"{COURSE}: " in courses_text
        assert "course.toml" in courses_text or "TOML" in courses_text or "syntax" in courses_text
    finally:
        app.window.close()
        app.window.deleteLater()
        if app.desk.storage is not None:
            app.desk.storage.close()
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def test_the_wipe_forgets_search_and_lesson(qtbot: QtBot, kiosk: KioskApp) -> None:
    screen = open_learn(qtbot, kiosk)
    qtbot.keyClicks(screen.search, "phish")
    kiosk.window.open_course(COURSE)
    kiosk.window.end_session(EndReason.IDLE)
    assert screen.search.text() == ""
    assert kiosk.window.lesson.course is None


@pytest.mark.parametrize("language", ["de", "en", "ar", "fa", "de-x-ls", "uk", "ru", "tr"])
def test_learning_screens_cut_no_text(qtbot: QtBot, kiosk: KioskApp, language: str) -> None:
    window = kiosk.window
    open_learn(qtbot, kiosk, language)
    problems = [f"catalogue: {p}" for p in clipped_texts(window)]
    course = window.catalogue.get(COURSE)
    assert course is not None
    window.open_course(COURSE)
    for _step in course.steps:
        problems += [f"{window.lesson.current_step_id()}: {p}" for p in clipped_texts(window)]
        window.lesson.go_next()
    problems += [f"end: {p}" for p in clipped_texts(window)]
    assert problems == []


# -- progress and resume codes ---------------------------------------------------------------


def test_resume_code_brings_the_progress_back_on_a_fresh_app(
    qtbot: QtBot, site: SiteConfig, data_dir: Path, kiosk: KioskApp
) -> None:
    window = kiosk.window
    assert window.progress is not None
    open_learn(qtbot, kiosk, "de")
    window.open_course(COURSE)
    for _ in range(4):
        qtbot.mouseClick(window.lesson.next, Qt.MouseButton.LeftButton)
    step = window.lesson.current_step_id()
    qtbot.mouseClick(window.lesson.save_place, Qt.MouseButton.LeftButton)
    assert window.current_screen is Screen.RESUME_CARD
    card = window.screen_widget(Screen.RESUME_CARD)
    code = card.code  # type: ignore[attr-defined]
    assert code is not None
    assert card.code_label.text() == code.code  # type: ignore[attr-defined]
    assert len(code.code) == 9 and code.code[4] == "-"
    window.end_session(EndReason.IDLE)
    assert window.progress.progress_for(COURSE) is None  # wiped: only the code leads back

    # Another instance on the same data directory, as after a restart (or another terminal
    # of the site once they share their data).
    fresh = build_app(site, data_dir, timing=SLOW, open_storage_now=True)
    try:
        fresh.window.start_session("de")
        fresh.window.show_screen(Screen.LEARN)
        assert catalogue_screen(fresh)._continue_cards == []
        qtbot.mouseClick(catalogue_screen(fresh).have_code, Qt.MouseButton.LeftButton)
        entry = fresh.window.screen_widget(Screen.RESUME_ENTRY)
        qtbot.keyClicks(entry.field, code.code.lower().replace("-", " "))  # type: ignore[attr-defined]
        qtbot.keyClick(entry.field, Qt.Key.Key_Return)  # type: ignore[attr-defined]
        assert fresh.window.current_screen is Screen.LESSON
        assert fresh.window.lesson.course is not None
        assert fresh.window.lesson.course.id == COURSE
        assert fresh.window.lesson.current_step_id() == step
    finally:
        fresh.window.close()
        fresh.window.deleteLater()
        if fresh.desk.storage is not None:
            fresh.desk.storage.close()


def test_an_expired_code_gets_a_clear_message(qtbot: QtBot, kiosk: KioskApp) -> None:
    from datetime import UTC, datetime, timedelta

    from kiosk.core.progress import ProgressService

    storage = kiosk.desk.storage
    assert storage is not None
    then = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)
    clock = [then]
    progress = ProgressService(
        storage.progress, storage.settings, clock=lambda: clock[0], code_valid_days=30
    )
    kiosk.window.attach_progress(progress)
    kiosk.sessions.on_wipe(progress.forget)
    open_learn(qtbot, kiosk, "en")
    kiosk.window.open_course(COURSE)
    code = progress.take_resume_code().code
    kiosk.window.end_session(EndReason.ENDED_BY_VISITOR)
    clock[0] = then + timedelta(days=31)
    open_learn(qtbot, kiosk, "en")
    kiosk.window.show_screen(Screen.RESUME_ENTRY)
    entry = kiosk.window.screen_widget(Screen.RESUME_ENTRY)
    qtbot.keyClicks(entry.field, code)  # type: ignore[attr-defined]
    qtbot.keyClick(entry.field, Qt.Key.Key_Return)  # type: ignore[attr-defined]
    assert kiosk.window.current_screen is Screen.RESUME_ENTRY
    assert entry.message.isVisible()  # type: ignore[attr-defined]
    assert "expired" in entry.message.text()  # type: ignore[attr-defined]


def test_wrong_codes_are_explained_and_then_slowed_down(qtbot: QtBot, kiosk: KioskApp) -> None:
    open_learn(qtbot, kiosk, "en")
    kiosk.window.show_screen(Screen.RESUME_ENTRY)
    entry = kiosk.window.screen_widget(Screen.RESUME_ENTRY)
    field = entry.field  # type: ignore[attr-defined]
    qtbot.keyClicks(field, "K7PM")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert "too short" in entry.message.text()  # type: ignore[attr-defined]
    messages = []
    from kiosk.core.resume_codes import format_code, generate_code

    for _ in range(5):  # well-formed codes (right check character) that nobody was given
        field.setText(format_code(generate_code()))
        entry.submit()  # type: ignore[attr-defined]
        messages.append(entry.message.text())  # type: ignore[attr-defined]
    assert any("wait" in m for m in messages), messages
    assert not entry.go.isEnabled()  # type: ignore[attr-defined]


def test_the_resume_card_qr_code_decodes_to_the_code(qtbot: QtBot, kiosk: KioskApp) -> None:
    from tests.ui.qr_decode import decode_qr

    open_learn(qtbot, kiosk, "ar")
    kiosk.window.open_course(COURSE)
    qtbot.mouseClick(kiosk.window.lesson.save_place, Qt.MouseButton.LeftButton)
    card = kiosk.window.screen_widget(Screen.RESUME_CARD)
    image = card.qr.grab().toImage()  # type: ignore[attr-defined]
    assert decode_qr(image) == [card.code.code]  # type: ignore[attr-defined]
    whole_screen = kiosk.window.grab().toImage()
    assert card.code.code in decode_qr(whole_screen)  # type: ignore[attr-defined]


def test_catalogue_offers_to_continue_and_marks_completed(qtbot: QtBot, kiosk: KioskApp) -> None:
    window = kiosk.window
    screen = open_learn(qtbot, kiosk, "en")
    window.open_course(COURSE)
    qtbot.mouseClick(window.lesson.next, Qt.MouseButton.LeftButton)
    window.show_screen(Screen.LEARN)
    assert [c.course.id for c in screen._continue_cards] == [COURSE]
    other = next(c for c in window.catalogue if c.id != COURSE)
    window.open_course(other.id)
    while not window.lesson.at_end:
        window.lesson.go_next()
    window.show_screen(Screen.LEARN)
    assert screen.cards[other.id].done.isVisible()
    assert not screen.cards[COURSE].done.isVisible()


def test_print_says_what_happened_with_and_without_a_printer(qtbot: QtBot) -> None:
    from kiosk.core.i18n import Translator
    from kiosk.core.resume_codes import ResumeCode
    from kiosk.ui.learning.resume import ResumeCardScreen

    sent: list[tuple[str, str, str]] = []

    def receipt_printer(code: ResumeCode, title: str, lines: list[str], paper: str) -> bool:
        sent.append((code.code, lines[-1], paper))
        return True

    translator = Translator(resources.TRANSLATIONS, default="en")
    screen = ResumeCardScreen(translator, lambda: None, receipt_printer, paper="receipt")
    qtbot.addWidget(screen)
    screen.show()
    screen.enter()
    assert not screen.print.isEnabled()  # no database yet: no code, nothing to print
    assert screen.message.isVisible()
    assert "ask our staff" in screen.message.text()

    from datetime import UTC, datetime

    screen.code = ResumeCode("K7PMR3XJ", datetime(2027, 5, 21, 12, tzinfo=UTC))
    screen.retranslate_ui()
    qtbot.mouseClick(screen.print, Qt.MouseButton.LeftButton)
    assert sent == [("K7PM-R3XJ", "Valid until May 21, 2027.", "receipt")]
    assert screen.message.text() == "Your card is being printed."

    no_printer = ResumeCardScreen(translator, lambda: None, lambda *args: False)
    qtbot.addWidget(no_printer)
    no_printer.code = screen.code
    no_printer.retranslate_ui()
    qtbot.mouseClick(no_printer.print, Qt.MouseButton.LeftButton)
    assert "No printer" in no_printer.message.text()


def test_the_on_screen_keyboard_comes_with_the_first_text_field(
    qtbot: QtBot, kiosk: KioskApp
) -> None:
    screen = open_learn(qtbot, kiosk, "uk")
    qtbot.wait(50)
    # Opening the catalogue does not throw a keyboard over it; a tap on the field does.
    assert kiosk.window._keyboard is None or not kiosk.window._keyboard.isVisible()
    qtbot.mouseClick(screen.search, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: kiosk.window.keyboard.isVisible(), timeout=1000)
    kiosk.window.end_session(EndReason.IDLE)
    assert not kiosk.window.keyboard.isVisible()
