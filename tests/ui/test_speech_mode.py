"""Speech mode for blind visitors: the attract screen says how to start it, a two-second hold or
F1 starts it with the session, a touch says what is there, a double tap chooses, the wipe ends
it, and staff's logo hold still opens the PIN pad."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QPushButton, QWidget
from pytestqt.qtbot import QtBot

from kiosk import resources
from kiosk.app import KioskApp, build_app
from kiosk.config import load_config
from kiosk.core.session import EndReason
from kiosk.speech.engine import DEFAULT_VOLUME_INDEX, VOLUME_LEVELS
from kiosk.ui.shell.attract import SPEECH_HOLD_MS
from kiosk.ui.shell.screens import Screen, Timing
from kiosk.ui.shell.speech.explore import BANNER, ENDED, HINT, STARTED
from kiosk.ui.shell.speech.touch import DOUBLE_TAP_MS
from tests.ui.running_app import SLOW
from tests.ui.speech_fake import RecordingBackend
from tests.ui.speech_mode_kiosk import (
    HINT_MS,
    LEFT,
    centre_of,
    mode_of,
    said_last,
    speech_kiosk,
    start_by_hold,
)


@pytest.fixture
def fake() -> RecordingBackend:
    return RecordingBackend()


@pytest.fixture
def kiosk(qtbot: QtBot, data_dir: Path, fake: RecordingBackend) -> Iterator[KioskApp]:
    """The real kiosk, its voice the recording fake, the attract hint due every 300 ms."""
    with speech_kiosk(qtbot, data_dir, fake) as app:
        yield app


# -- the way in ------------------------------------------------------------------------------


def test_the_attract_screen_says_quietly_how_to_start_speech_mode_in_german_then_english(
    qtbot: QtBot, kiosk: KioskApp, fake: RecordingBackend
) -> None:
    tr = kiosk.translator
    qtbot.waitUntil(lambda: len(fake.calls) == 1, timeout=2000)
    assert fake.calls[0] == (tr.gettext_in("de", HINT), "de")
    assert "hold a finger anywhere on the screen for two seconds" in HINT
    assert fake.volume == VOLUME_LEVELS[0]  # quietly: the lowest level
    fake.finish()
    qtbot.waitUntil(lambda: len(fake.calls) == 2, timeout=3000)
    assert fake.calls[1] == (HINT, "en")
    fake.finish()
    # Back to the visitor's volume once said; nothing else is said meanwhile.
    qtbot.waitUntil(lambda: fake.volume == VOLUME_LEVELS[DEFAULT_VOLUME_INDEX], timeout=1000)
    assert kiosk.window.current_screen is Screen.ATTRACT


def test_the_hint_follows_the_config_and_0_means_never(data_dir: Path, qtbot: QtBot) -> None:
    config = load_config(resources.DEMO_CONFIG)
    assert Timing.from_config(config).speech_hint_ms == 60_000  # the default: once a minute
    silent = dataclasses.replace(
        config, session=dataclasses.replace(config.session, speech_hint_s=0)
    )
    never = Timing.from_config(silent).speech_hint_ms
    assert never == 0
    fake = RecordingBackend()
    timing = dataclasses.replace(SLOW, speech_hint_ms=never)
    app = build_app(
        silent, data_dir, timing=timing, open_storage_now=True, speech_backend=lambda: fake
    )
    try:
        app.window.show()
        qtbot.wait(3 * HINT_MS)
        assert fake.calls == []
    finally:
        app.window.idle.disarm()
        app.window.close()
        app.window.deleteLater()
        if app.desk.storage is not None:
            app.desk.storage.close()


def test_a_two_second_hold_starts_speech_mode_and_the_session(
    qtbot: QtBot, kiosk: KioskApp, fake: RecordingBackend
) -> None:
    window = kiosk.window
    attract = window.attract
    assert attract.speech_hold_ms == 2000
    qtbot.mousePress(attract, LEFT, pos=QPoint(attract.width() // 2, 20))
    qtbot.wait(SPEECH_HOLD_MS - 500)
    assert window.current_screen is Screen.ATTRACT  # a press alone starts nothing yet
    qtbot.waitUntil(lambda: mode_of(kiosk).active, timeout=1500)
    qtbot.mouseRelease(attract, LEFT, pos=QPoint(attract.width() // 2, 20))
    assert kiosk.sessions.current is not None
    assert window.current_screen is Screen.HOME
    assert kiosk.translator.current.code == "de"  # no hint heard yet: the default language
    assert fake.calls[-1] == (kiosk.translator.gettext(STARTED), "de")
    title = window.home.findChild(QWidget, "title")
    assert title is not None
    fake.finish()  # then the home screen, from its title
    qtbot.waitUntil(lambda: said_last(fake) == title.text(), timeout=1000)  # type: ignore[attr-defined]
    banner = mode_of(kiosk).banner
    assert banner is not None and banner.isVisible()
    assert banner.text() == kiosk.translator.gettext(BANNER)


def test_a_short_touch_on_the_attract_screen_still_starts_a_plain_visit(
    qtbot: QtBot, kiosk: KioskApp
) -> None:
    attract = kiosk.window.attract
    qtbot.mouseClick(attract, LEFT, pos=QPoint(attract.width() // 2, 20))
    assert kiosk.window.current_screen is Screen.HOME
    assert not mode_of(kiosk).active


def test_the_hold_starts_in_the_language_of_the_hint_heard(
    qtbot: QtBot, kiosk: KioskApp, fake: RecordingBackend
) -> None:
    qtbot.waitUntil(lambda: len(fake.calls) == 1, timeout=2000)
    fake.finish()
    qtbot.waitUntil(lambda: len(fake.calls) == 2, timeout=3000)  # the English hint
    qtbot.wait(700)  # the hand arrives while English is said
    kiosk.window.attract.set_speech_hold_ms(200)
    start_by_hold(qtbot, kiosk)
    assert kiosk.translator.current.code == "en"
    assert fake.calls[-1] == (STARTED, "en")
    assert fake.volume == VOLUME_LEVELS[DEFAULT_VOLUME_INDEX]  # the hint's low volume is gone


def test_f1_starts_speech_mode_and_turns_it_off_again(
    qtbot: QtBot, kiosk: KioskApp, fake: RecordingBackend
) -> None:
    window = kiosk.window
    _ = kiosk.translator.gettext
    qtbot.keyClick(window.attract, Qt.Key.Key_F1)
    assert mode_of(kiosk).active
    assert window.current_screen is Screen.HOME and kiosk.sessions.current is not None
    assert said_last(fake) == _(STARTED)
    qtbot.keyClick(window.home, Qt.Key.Key_F1)
    assert not mode_of(kiosk).active
    assert said_last(fake) == _(ENDED)
    assert kiosk.sessions.current is not None  # the visit goes on, without speech mode


# -- in speech mode ----------------------------------------------------------------------------


def test_a_tap_says_the_tile_and_does_not_open_it_a_double_tap_opens_it(
    qtbot: QtBot, kiosk: KioskApp, fake: RecordingBackend
) -> None:
    window = kiosk.window
    kiosk.window.attract.set_speech_hold_ms(200)
    start_by_hold(qtbot, kiosk)
    learn = window.home.learn
    qtbot.mouseClick(learn, LEFT, pos=centre_of(learn))
    assert said_last(fake).startswith(learn.title.text())
    assert learn.description.text() in said_last(fake)
    assert learn.hasFocus()  # the focus ring shows what was said
    qtbot.wait(DOUBLE_TAP_MS + 100)
    assert window.current_screen is Screen.HOME  # said, not opened
    qtbot.mouseClick(learn, LEFT, pos=centre_of(learn))
    qtbot.mouseClick(learn, LEFT, pos=centre_of(learn))
    assert window.current_screen is Screen.LEARN
    learn_screen = window.screen_widget(Screen.LEARN)
    title = learn_screen.findChild(QWidget, "title")
    assert title is not None
    qtbot.waitUntil(lambda: said_last(fake) == title.text(), timeout=1000)  # type: ignore[attr-defined]


def test_a_double_tap_anywhere_chooses_what_was_said_last(
    qtbot: QtBot, kiosk: KioskApp, fake: RecordingBackend
) -> None:
    window = kiosk.window
    window.attract.set_speech_hold_ms(200)
    start_by_hold(qtbot, kiosk)
    device = window.home.try_device
    qtbot.mouseClick(device, LEFT, pos=centre_of(device))
    qtbot.wait(DOUBLE_TAP_MS + 100)
    said = len(fake.calls)
    home = window.home
    empty = QPoint(10, home.height() - 10)  # the screen's margin: nothing there to say
    qtbot.mouseClick(home, LEFT, pos=empty)
    assert len(fake.calls) == said  # empty space says nothing
    qtbot.mouseClick(home, LEFT, pos=empty)
    assert window.current_screen is Screen.TRY_DEVICE


def test_the_wipe_ends_speech_mode(qtbot: QtBot, kiosk: KioskApp, fake: RecordingBackend) -> None:
    window = kiosk.window
    window.attract.set_speech_hold_ms(200)
    start_by_hold(qtbot, kiosk)
    banner = mode_of(kiosk).banner
    window.end_session(EndReason.IDLE)
    assert not mode_of(kiosk).active
    assert banner is not None and not banner.isVisible()
    # The next visitor's touches act at once again.
    qtbot.mouseClick(window.attract, LEFT, pos=QPoint(window.attract.width() // 2, 20))
    qtbot.mouseClick(window.home.learn, LEFT, pos=centre_of(window.home.learn))
    assert window.current_screen is Screen.LEARN


def test_the_visitors_own_done_ends_speech_mode(qtbot: QtBot, kiosk: KioskApp) -> None:
    window = kiosk.window
    window.attract.set_speech_hold_ms(200)
    start_by_hold(qtbot, kiosk)
    end = window.header.end_session
    qtbot.mouseClick(end, LEFT, pos=centre_of(end))
    qtbot.mouseClick(end, LEFT, pos=centre_of(end))  # double tap: the end question opens
    confirm = window.chrome.end_confirm
    assert confirm.isVisible()
    qtbot.wait(DOUBLE_TAP_MS + 100)
    qtbot.mouseClick(confirm.end_button, LEFT, pos=centre_of(confirm.end_button))
    qtbot.mouseClick(confirm.end_button, LEFT, pos=centre_of(confirm.end_button))
    assert window.current_screen is Screen.ATTRACT
    assert not mode_of(kiosk).active


# -- staff ---------------------------------------------------------------------------------------


def test_holding_the_logo_still_opens_the_pin_pad(qtbot: QtBot, kiosk: KioskApp) -> None:
    window = kiosk.window
    logo = window.attract.logo
    qtbot.mousePress(logo, LEFT, pos=centre_of(logo))
    qtbot.waitUntil(lambda: window.current_screen is Screen.STAFF_LOGIN, timeout=1000)
    qtbot.mouseRelease(logo, LEFT, pos=centre_of(logo))
    assert not mode_of(kiosk).active
    assert kiosk.sessions.current is None


def test_in_speech_mode_the_logo_hold_and_the_pin_pad_work_as_usual(
    qtbot: QtBot, kiosk: KioskApp
) -> None:
    window = kiosk.window
    window.attract.set_speech_hold_ms(200)
    start_by_hold(qtbot, kiosk)
    logo = window.header.logo
    qtbot.mousePress(logo, LEFT, pos=centre_of(logo))
    qtbot.waitUntil(lambda: window.current_screen is Screen.STAFF_LOGIN, timeout=1000)
    qtbot.mouseRelease(logo, LEFT, pos=centre_of(logo))
    pad = window.staff_login.pad
    one = next(key for key in pad.findChildren(QPushButton) if key.text() == "1")
    with qtbot.waitSignal(one.clicked, timeout=500):
        qtbot.mouseClick(one, LEFT, pos=centre_of(one))  # one tap types, as always
