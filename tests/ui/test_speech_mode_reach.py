"""Reaching everything in speech mode without seeing it: swipes right and left move through the
elements in reading order, swipes up and down turn the page and say where, the keyboard's focus
is said where it goes, and a held language button on the attract screen starts speech mode in
its language."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QLabel, QScrollArea
from pytestqt.qtbot import QtBot

from kiosk.app import KioskApp
from kiosk.ui.shell.attract import SPEECH_HOLD_MS
from kiosk.ui.shell.screens import Screen
from kiosk.ui.shell.speech import navigate
from kiosk.ui.shell.speech.explore import STARTED
from kiosk.ui.shell.speech.reading import describe
from kiosk.ui.shell.speech.touch import DOUBLE_TAP_MS, FIRST, LAST, SWIPE_PX
from tests.ui.speech_fake import RecordingBackend
from tests.ui.speech_mode_kiosk import (
    LEFT,
    centre_of,
    mode_of,
    said_last,
    speech_kiosk,
    swipe,
)

RIGHT = SWIPE_PX + 20


@pytest.fixture
def fake() -> RecordingBackend:
    return RecordingBackend()


@pytest.fixture
def kiosk(qtbot: QtBot, data_dir: Path, fake: RecordingBackend) -> Iterator[KioskApp]:
    with speech_kiosk(qtbot, data_dir, fake, speech_hint_ms=0) as app:
        yield app


def in_speech_mode(kiosk: KioskApp, language: str = "en") -> None:
    kiosk.window.start_session(language)
    mode_of(kiosk).start()


# -- swipes right and left ---------------------------------------------------------------------


def test_a_swipe_right_says_and_focuses_the_next_element_left_the_one_before(
    qtbot: QtBot, kiosk: KioskApp, fake: RecordingBackend
) -> None:
    window = kiosk.window
    in_speech_mode(kiosk)
    home = window.home
    learn, device = home.learn, home.try_device
    qtbot.mouseClick(learn, LEFT, pos=centre_of(learn))  # said, the place to move from
    qtbot.wait(DOUBLE_TAP_MS + 50)
    swipe(home, QPoint(100, home.height() - 30), RIGHT, 0)
    assert said_last(fake).startswith("Try a device.")
    assert device.hasFocus()
    assert mode_of(kiosk).explorer.last_spoken is device  # a double tap would open it
    swipe(home, QPoint(300, home.height() - 30), -RIGHT, 10)
    assert said_last(fake).startswith("Learn something.")
    assert learn.hasFocus()
    assert window.current_screen is Screen.HOME  # swipes choose nothing


def test_swipes_go_through_the_whole_window_in_reading_order(
    qtbot: QtBot, kiosk: KioskApp, fake: RecordingBackend
) -> None:
    window = kiosk.window
    in_speech_mode(kiosk)
    home = window.home
    site = window.header.findChild(QLabel, "siteName")
    assert site is not None
    qtbot.mouseClick(site, LEFT, pos=centre_of(site))
    said: list[str] = []
    for dx in (RIGHT, RIGHT, RIGHT, -RIGHT, -RIGHT, -RIGHT, -RIGHT, -RIGHT):
        swipe(home, QPoint(200, 200), dx, 0)
        said.append(said_last(fake))
    read_aloud = "Read aloud"  # (while it is said, the button offers "Stop reading")
    smaller, larger = (describe(button) for button in (window.header.smaller, window.header.larger))
    assert smaller is not None and larger is not None
    assert said == [
        read_aloud,
        smaller.text,
        larger.text,
        smaller.text,
        read_aloud,
        "Probierladen Jena",
        "Home",  # the logo
        FIRST,
    ]


def test_on_a_new_screen_a_swipe_right_begins_with_its_title(
    qtbot: QtBot, kiosk: KioskApp, fake: RecordingBackend
) -> None:
    window = kiosk.window
    in_speech_mode(kiosk)
    window.show_screen(Screen.LEARN)
    qtbot.waitUntil(lambda: said_last(fake) == "Learn something", timeout=1000)
    learn = window.screen_widget(Screen.LEARN)
    swipe(learn, QPoint(400, 300), RIGHT, 0)
    assert said_last(fake) == "Learn something"
    title = learn.findChild(QLabel, "title")
    assert mode_of(kiosk).explorer.last_spoken is title


def test_at_either_end_a_swipe_says_so(
    qtbot: QtBot, kiosk: KioskApp, fake: RecordingBackend
) -> None:
    window = kiosk.window
    in_speech_mode(kiosk)
    home = window.home
    last = navigate.elements(window.centralWidget(), kiosk.translator.gettext)[-1]
    assert last.widget is not None and home.isAncestorOf(last.widget)
    qtbot.mouseClick(last.widget, LEFT, pos=centre_of(last.widget))
    assert said_last(fake) == last.text
    swipe(home, QPoint(200, 200), RIGHT, 0)
    assert said_last(fake) == LAST
    assert mode_of(kiosk).explorer.last_spoken is last.widget  # still there
    swipe(home, QPoint(400, 200), -RIGHT, 0)
    assert said_last(fake).startswith("I have a code")


def test_in_an_open_panel_swipes_stay_in_the_panel(
    qtbot: QtBot, kiosk: KioskApp, fake: RecordingBackend
) -> None:
    window = kiosk.window
    in_speech_mode(kiosk)
    window.chrome.ask_to_end()
    confirm = window.chrome.end_confirm
    assert confirm.isVisible()
    reached = []
    for dx in (-RIGHT,) * 6 + (RIGHT,) * 6:
        swipe(confirm, QPoint(200, 200), dx, 0)
        spoken = mode_of(kiosk).explorer.last_spoken
        assert spoken is not None and confirm.isAncestorOf(spoken)
        reached.append(said_last(fake))
    assert reached[0] != reached[1]
    assert FIRST in reached and LAST in reached  # both ends are the panel's
    assert "Yes, finish and delete" in reached


def test_a_short_drag_is_no_swipe_and_a_swipe_is_no_tap(
    qtbot: QtBot, kiosk: KioskApp, fake: RecordingBackend
) -> None:
    window = kiosk.window
    in_speech_mode(kiosk)
    learn = window.home.learn
    swipe(learn, centre_of(learn), SWIPE_PX // 2, 0)  # a wobbly touch: says the tile
    assert said_last(fake).startswith("Learn something.")
    assert window.current_screen is Screen.HOME
    qtbot.wait(DOUBLE_TAP_MS + 50)
    swipe(learn, centre_of(learn), RIGHT, 0)  # a swipe starting on the tile
    assert said_last(fake).startswith("Try a device.")
    qtbot.mouseClick(learn, LEFT, pos=centre_of(learn))  # at once: a first tap, not a second
    assert window.current_screen is Screen.HOME


# -- swipes up and down --------------------------------------------------------------------------


def test_a_swipe_up_turns_the_page_and_says_which_and_what_is_first_on_it(
    qtbot: QtBot, kiosk: KioskApp, fake: RecordingBackend
) -> None:
    window = kiosk.window
    in_speech_mode(kiosk)
    window.show_screen(Screen.LEARN)
    qtbot.waitUntil(lambda: said_last(fake) == "Learn something", timeout=1000)  # its title
    learn = window.screen_widget(Screen.LEARN)
    area = learn.findChild(QScrollArea)
    assert area is not None
    bar = area.verticalScrollBar()
    assert bar.maximum() > area.viewport().height()  # the course list is longer than the view
    step = navigate.page_step(area)
    total = -(-bar.maximum() // step) + 1
    swipe(learn, QPoint(400, 500), 0, -RIGHT)
    assert bar.value() == step
    first = navigate.first_in_view(
        area, navigate.elements(window.centralWidget(), kiosk.translator.gettext)
    )
    assert first is not None and first.widget is not None
    assert fake.texts[-1] == f"Page 2 of {total}."
    fake.finish()
    qtbot.waitUntil(lambda: said_last(fake) == first.text, timeout=1000)
    assert bar.value() == step  # reading it did not scroll
    assert mode_of(kiosk).explorer.last_spoken is first.widget
    swipe(learn, QPoint(400, 300), 0, RIGHT)  # down again: the first page
    assert bar.value() == 0
    assert fake.texts[-1] == f"Page 1 of {total}."
    for _ in range(total + 1):
        swipe(learn, QPoint(400, 500), 0, -RIGHT)
    assert bar.value() == bar.maximum()
    assert fake.texts[-1] == f"Page {total} of {total}."


def test_a_page_turn_where_nothing_scrolls_says_page_1_of_1(
    qtbot: QtBot, kiosk: KioskApp, fake: RecordingBackend
) -> None:
    in_speech_mode(kiosk)
    home = kiosk.window.home
    swipe(home, QPoint(400, 500), 0, -RIGHT)
    assert said_last(fake) == "Page 1 of 1."


def test_the_page_is_said_in_the_visitors_language_and_digits(
    qtbot: QtBot, kiosk: KioskApp, fake: RecordingBackend
) -> None:
    in_speech_mode(kiosk, "fa")
    home = kiosk.window.home
    swipe(home, QPoint(400, 500), 0, -RIGHT)
    tr = kiosk.translator
    assert fake.calls[-1] == (
        tr.gettext("Page {page} of {total}.").format(page=tr.number(1), total=tr.number(1)),
        "fa",
    )
    assert "1" not in said_last(fake)  # Persian digits


# -- the keyboard ----------------------------------------------------------------------------


def test_in_speech_mode_tab_and_shift_tab_say_the_focused_element(
    qtbot: QtBot, kiosk: KioskApp, fake: RecordingBackend
) -> None:
    window = kiosk.window
    in_speech_mode(kiosk)
    learn = window.home.learn
    learn.setFocus(Qt.FocusReason.OtherFocusReason)
    said = len(fake.calls)
    qtbot.keyClick(learn, Qt.Key.Key_Tab)
    focused = QApplication.focusWidget()
    assert focused is not None and focused is not learn
    expected = describe(focused, kiosk.translator.gettext)
    assert expected is not None
    assert len(fake.calls) == said + 1 and said_last(fake) == expected.text
    qtbot.keyClick(focused, Qt.Key.Key_Backtab)
    assert QApplication.focusWidget() is learn
    assert said_last(fake).startswith("Learn something.")


def test_without_speech_mode_tab_says_nothing(
    qtbot: QtBot, kiosk: KioskApp, fake: RecordingBackend
) -> None:
    window = kiosk.window
    window.start_session("en")
    window.home.learn.setFocus(Qt.FocusReason.OtherFocusReason)
    qtbot.keyClick(window.home.learn, Qt.Key.Key_Tab)
    assert fake.calls == []


# -- a held language button --------------------------------------------------------------------


def test_holding_a_language_button_starts_speech_mode_in_that_language(
    qtbot: QtBot, kiosk: KioskApp, fake: RecordingBackend
) -> None:
    window = kiosk.window
    attract = window.attract
    assert attract.speech_hold_ms == SPEECH_HOLD_MS
    attract.set_speech_hold_ms(300)
    button = attract.language_buttons["uk"]
    qtbot.mousePress(button, LEFT, pos=centre_of(button))
    qtbot.wait(150)
    assert window.current_screen is Screen.ATTRACT
    qtbot.waitUntil(lambda: mode_of(kiosk).active, timeout=1500)
    qtbot.mouseRelease(button, LEFT, pos=centre_of(button))
    assert window.current_screen is Screen.HOME
    assert kiosk.translator.current.code == "uk"
    assert fake.calls[-1] == (kiosk.translator.gettext(STARTED), "uk")
    assert not button.isDown()
    assert mode_of(kiosk).active  # the lift did not start anything else


def test_a_tap_on_a_language_button_still_starts_a_plain_visit(
    qtbot: QtBot, kiosk: KioskApp, fake: RecordingBackend
) -> None:
    window = kiosk.window
    button = window.attract.language_buttons["ar"]
    qtbot.mouseClick(button, LEFT, pos=centre_of(button))
    assert window.current_screen is Screen.HOME
    assert kiosk.translator.current.code == "ar"
    assert not mode_of(kiosk).active
    qtbot.wait(300)
    assert fake.calls == []
