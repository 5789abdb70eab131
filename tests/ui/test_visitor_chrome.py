"""The frame of every visitor screen as a visitor meets it: ending a visit asks first (and offers
the course code), one language button on inner screens, labelled text size, the attract screen's
language, and a longer reading time in lessons."""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from kiosk import resources
from kiosk.app import KioskApp, build_app
from kiosk.config import ConfigError, load_config, parse_config
from kiosk.core.session import TEXT_SCALES, EndReason
from kiosk.ui.shell.screens import Screen, Timing
from tests.ui.layout_checks import clipped_texts

LANGUAGES = ("de", "de-x-ls", "en", "uk", "ar", "ru", "tr", "fa")
QUIET = Timing(
    visitor_idle_ms=3_600_000,
    staff_idle_ms=3_600_000,
    warning_ms=30_000,
    notice_ms=3_600_000,
    greeting_ms=3_600_000,
    long_press_ms=3000,
)
# A visitor screen waits 0.3 s, a lesson 1.5 s: long enough apart to tell, short for a test.
SHORT_IDLE = dataclasses.replace(QUIET, visitor_idle_ms=300, lesson_idle_ms=1500, warning_ms=1500)

MakeApp = Callable[..., KioskApp]


@pytest.fixture
def make_app(qtbot: QtBot, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[MakeApp]:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    built: list[KioskApp] = []

    def make(timing: Timing = QUIET, size: tuple[int, int] = (1280, 800)) -> KioskApp:
        app = build_app(
            load_config(resources.DEMO_CONFIG), data_dir, timing=timing, open_storage_now=True
        )
        app.window.resize(*size)
        app.window.show()
        qtbot.waitExposed(app.window)
        built.append(app)
        return app

    yield make
    for app in built:
        app.window.idle.disarm()
        app.window.close()
        app.window.deleteLater()
        if app.desk.storage is not None:
            app.desk.storage.close()
    QGuiApplication.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.fixture
def kiosk(make_app: MakeApp) -> KioskApp:
    return make_app()


def click(qtbot: QtBot, widget: object) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def open_first_course(kiosk: KioskApp) -> None:
    window = kiosk.window
    course = next(iter(window.catalogue))
    window.open_course(course.id)
    assert window.current_screen is Screen.LESSON
    window.lesson.go_next()  # a second step: the course has progress worth a code


# -- ending a visit -------------------------------------------------------------------------------


def test_the_end_button_asks_first_and_deletes_nothing(qtbot: QtBot, kiosk: KioskApp) -> None:
    window = kiosk.window
    window.start_session("en")
    window.show_screen(Screen.LEARN)
    session = kiosk.sessions.current
    click(qtbot, window.header.end_session)
    confirm = window.chrome.end_confirm
    assert confirm.isVisible()
    assert confirm.question_text == "Really finish? Your entries will be deleted."
    assert kiosk.sessions.current is session
    assert window.current_screen is Screen.LEARN
    # Two big answers, and no course code to offer outside a lesson.
    assert confirm.end_button.isVisible() and confirm.keep_button.isVisible()
    assert min(confirm.end_button.height(), confirm.keep_button.height()) >= 72
    assert not confirm.resume_button.isVisible()
    # The end button is a plain word button now, not the filled primary one.
    assert window.header.end_session.objectName() != "primary"
    assert window.header.end_session.text() == "Done – delete my data"


def test_confirming_ends_the_visit_and_resets_text_size(qtbot: QtBot, kiosk: KioskApp) -> None:
    window = kiosk.window
    window.start_session("uk")
    click(qtbot, window.header.larger)
    click(qtbot, window.header.larger)
    big = QApplication.instance().styleSheet()
    click(qtbot, window.header.end_session)
    with qtbot.waitSignal(window.session_ended) as ended:
        click(qtbot, window.chrome.end_confirm.end_button)
    assert ended.args == [EndReason.ENDED_BY_VISITOR.value]
    assert kiosk.sessions.current is None
    assert window.current_screen is Screen.ATTRACT
    assert not window.chrome.end_confirm.isVisible()
    assert QApplication.instance().styleSheet() != big
    assert window.attract.notice_text  # the farewell, in the visitor's language


def test_keep_going_returns_to_the_same_screen_with_the_same_state(
    qtbot: QtBot, kiosk: KioskApp
) -> None:
    window = kiosk.window
    window.start_session("de")
    click(qtbot, window.header.larger)
    open_first_course(kiosk)
    step = window.lesson.current_step_id()
    session = kiosk.sessions.current
    click(qtbot, window.header.end_session)
    click(qtbot, window.chrome.end_confirm.keep_button)
    assert not window.chrome.end_confirm.isVisible()
    assert window.current_screen is Screen.LESSON
    assert window.lesson.current_step_id() == step
    assert kiosk.sessions.current is session
    assert session is not None and session.text_scale_index == 1
    # A touch beside the card is "keep going" too, never "delete".
    click(qtbot, window.header.end_session)
    confirm = window.chrome.end_confirm
    qtbot.mouseClick(confirm, Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    assert not confirm.isVisible()
    assert kiosk.sessions.current is session


def test_in_a_lesson_the_end_question_offers_the_code_first(qtbot: QtBot, kiosk: KioskApp) -> None:
    window = kiosk.window
    window.start_session("en")
    open_first_course(kiosk)
    session = kiosk.sessions.current
    click(qtbot, window.header.end_session)
    confirm = window.chrome.end_confirm
    assert confirm.resume_button.isVisible()
    assert confirm.resume_button.text() == "First get my code to continue later"
    click(qtbot, confirm.resume_button)
    assert window.current_screen is Screen.RESUME_CARD
    assert not confirm.isVisible()
    assert kiosk.sessions.current is session  # nothing was deleted


def test_the_idle_timeout_during_the_question_still_wipes_and_closes_it(
    qtbot: QtBot, make_app: MakeApp
) -> None:
    kiosk = make_app(dataclasses.replace(QUIET, visitor_idle_ms=300, warning_ms=600))
    window = kiosk.window
    window.start_session("en")
    click(qtbot, window.header.end_session)
    assert window.chrome.end_confirm.isVisible()
    with qtbot.waitSignal(window.session_ended, timeout=5000) as ended:
        pass
    assert ended.args == [EndReason.IDLE.value]
    assert not window.chrome.end_confirm.isVisible()
    window.start_session("en")
    assert not window.chrome.end_confirm.isVisible()


# -- one language button on inner screens ----------------------------------------------------------


def test_inner_screens_show_one_language_button_that_opens_all_languages(
    qtbot: QtBot, kiosk: KioskApp
) -> None:
    window = kiosk.window
    header = window.header
    window.start_session("de")
    assert header.language_bar.isVisible() and not header.language_button.isVisible()
    home_height = header.height()
    window.show_screen(Screen.LEARN)
    qtbot.waitUntil(lambda: header.height() < home_height)
    assert home_height - header.height() >= 50  # a whole row for the screen's content
    assert not header.language_bar.isVisible()
    assert header.language_button.text() == "Deutsch"
    click(qtbot, header.language_button)
    panel = window.chrome.languages
    assert panel.isVisible()
    buttons = panel.buttons()
    assert len(buttons) == 8 and all(b.isVisible() and b.height() >= 48 for b in buttons.values())
    assert buttons["de"].isChecked()
    click(qtbot, buttons["ar"])
    assert not panel.isVisible()
    assert kiosk.translator.current.code == "ar"
    assert window.current_screen is Screen.LEARN
    assert header.language_button.text() == "العربية"
    # Right to left: the panel's first language sits at the right.
    click(qtbot, header.language_button)
    qtbot.waitUntil(lambda: buttons["de"].x() > buttons["de-x-ls"].x())
    click(qtbot, panel.close_button)
    assert not panel.isVisible()


def test_the_language_panel_closes_on_wipe_and_on_staff_login(
    qtbot: QtBot, kiosk: KioskApp
) -> None:
    window = kiosk.window
    window.start_session("en")
    window.show_screen(Screen.TRY_DEVICE)
    click(qtbot, window.header.language_button)
    assert window.chrome.languages.isVisible()
    window.end_session(EndReason.IDLE)
    assert not window.chrome.languages.isVisible()
    window.start_session("en")
    window.show_screen(Screen.LEARN)
    click(qtbot, window.header.language_button)
    window.open_staff_login()
    assert not window.chrome.languages.isVisible()


# -- text size -------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_text_size_buttons_say_what_they_do_and_the_header_fits(
    qtbot: QtBot, kiosk: KioskApp, language: str
) -> None:
    window = kiosk.window
    header = window.header
    window.start_session(language)
    for _ in TEXT_SCALES:
        click(qtbot, header.larger)
    for screen in (Screen.HOME, Screen.LEARN):
        window.show_screen(screen)
        # Reading aloud and not: "Stop reading" and the speech settings fit too.
        for reading in (False, True):
            header.set_reading(reading)
            controls = (header.read_aloud, header.smaller, header.larger, header.contrast)
            for button in controls:
                assert len(button.accessibleName()) > 4  # a word, not only "A+"
                assert button.height() >= 48
            assert clipped_texts(header) == [], (screen, language, reading)
            visible = [w for w in (*controls, header.end_session) if w.isVisible()]
            assert all(w.x() >= 0 and w.x() + w.width() <= header.width() for w in visible)
        header.set_reading(False)
    if language == "en":
        assert header.smaller.accessibleName() == "Smaller text"
        assert "A\u2212" in header.smaller.text() and "A+" in header.larger.text()
        assert header.contrast.accessibleName() == "High contrast"


# -- attract screen --------------------------------------------------------------------------------


def touch_attract(qtbot: QtBot, kiosk: KioskApp) -> None:
    attract = kiosk.window.attract
    # Beside the logo and the language bar: the "anywhere" of "touch the screen".
    qtbot.mouseClick(attract, Qt.MouseButton.LeftButton, pos=QPoint(attract.width() // 2, 20))


def test_a_touch_on_the_attract_screen_starts_in_the_language_shown(
    qtbot: QtBot, kiosk: KioskApp
) -> None:
    attract = kiosk.window.attract
    for _ in range(4):  # Deutsch, Leichte Sprache, English, Українська, العربية
        attract.show_next_greeting()
    assert attract.shown_language == "ar"
    qtbot.wait(700)  # the visitor read it
    touch_attract(qtbot, kiosk)
    assert kiosk.window.current_screen is Screen.HOME
    assert kiosk.translator.current.code == "ar"
    assert kiosk.sessions.current is not None and kiosk.sessions.current.language == "ar"
    assert kiosk.window.layoutDirection() == Qt.LayoutDirection.RightToLeft


def test_a_touch_just_as_the_greeting_changes_takes_the_one_before(
    qtbot: QtBot, kiosk: KioskApp
) -> None:
    attract = kiosk.window.attract
    attract.show_next_greeting()
    attract.show_next_greeting()  # English, just now: the hand was on its way to Leichte Sprache
    touch_attract(qtbot, kiosk)
    assert kiosk.translator.current.code == "de-x-ls"


# -- reading time ----------------------------------------------------------------------------------


def test_a_lesson_waits_longer_for_a_touch_than_other_screens(
    qtbot: QtBot, make_app: MakeApp
) -> None:
    kiosk = make_app(SHORT_IDLE)
    window = kiosk.window
    window.start_session("en")
    window.show_screen(Screen.LEARN)
    qtbot.waitUntil(lambda: window.overlay.isVisible(), timeout=1200)
    window.idle.activity()
    open_first_course(kiosk)
    assert not window.overlay.isVisible()
    qtbot.wait(900)  # three times the other screens' wait
    assert not window.overlay.isVisible()
    qtbot.waitUntil(lambda: window.overlay.isVisible(), timeout=2000)
    window.idle.activity()
    window.show_screen(Screen.LEARN)  # back out of the lesson: the short wait again
    qtbot.waitUntil(lambda: window.overlay.isVisible(), timeout=1000)


def test_the_lesson_reading_time_comes_from_the_site_config() -> None:
    config = load_config(resources.DEMO_CONFIG)
    assert Timing.from_config(config).lesson_idle_ms == 180_000  # the default: three minutes
    longer = dataclasses.replace(
        config, session=dataclasses.replace(config.session, lesson_idle_timeout_s=300)
    )
    assert Timing.from_config(longer).lesson_idle_ms == 300_000
    with pytest.raises(ConfigError, match="lesson_idle_timeout_s"):
        parse_config("[session]\nlesson_idle_timeout_s = 5\n")


def test_the_warning_says_the_unit_and_what_happens_then(qtbot: QtBot, kiosk: KioskApp) -> None:
    window = kiosk.window
    window.start_session("en")
    window.overlay.start(27)
    assert window.overlay.warning_text == "27 seconds left. Then we delete everything."
    window.overlay.set_seconds(1)
    assert window.overlay.warning_text == "1 second left. Then we delete everything."
    assert window.overlay.countdown_text == "1"
    # Leichte Sprache: one sentence per line, also where two messages make up the warning.
    window.set_language("de-x-ls")
    window.overlay.set_seconds(27)
    assert window.overlay.warning_text == "Noch 27 Sekunden.\nDann löschen wir alles."
