"""The idle warning for visitors who listen: said aloud in their language in speech mode (and
after Read aloud), a double tap keeps the visit and chooses nothing else, a visitor who never
listened hears nothing, and reading aloud holds the idle wait (but not for ever)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from kiosk.app import KioskApp
from kiosk.ui.shell.screens import Screen
from kiosk.ui.shell.speech import idle_voice
from kiosk.ui.shell.speech.idle_voice import KEPT, TAP_TWICE, TOUCH_TO_CONTINUE
from tests.ui.speech_fake import RecordingBackend
from tests.ui.speech_mode_kiosk import LEFT, centre_of, mode_of, said_last, speech_kiosk

IDLE_MS = 700
WARNING_MS = 30_000


@pytest.fixture
def fake() -> RecordingBackend:
    return RecordingBackend()


@pytest.fixture
def kiosk(qtbot: QtBot, data_dir: Path, fake: RecordingBackend) -> Iterator[KioskApp]:
    """The kiosk with a 0.7 s idle wait and a 30 s countdown; no attract hint."""
    with speech_kiosk(
        qtbot, data_dir, fake, speech_hint_ms=0, visitor_idle_ms=IDLE_MS, warning_ms=WARNING_MS
    ) as app:
        yield app


def read_to_the_end(qtbot: QtBot, kiosk: KioskApp, fake: RecordingBackend) -> None:
    """Let the fake voice say everything queued, as a real one would."""
    reader = kiosk.window.access.reader
    for _ in range(100):
        if not reader.reading:
            return
        fake.finish()
        qtbot.wait(1)  # the voice's end arrives queued
    raise AssertionError("the reading never ended")


def start_speech_mode_in_english(kiosk: KioskApp) -> None:
    kiosk.window.start_session("en")
    mode_of(kiosk).start()


@pytest.mark.parametrize("idle_filter_first", [True, False])
def test_in_speech_mode_the_warning_is_said_and_a_double_tap_keeps_the_visit(
    qtbot: QtBot, kiosk: KioskApp, fake: RecordingBackend, idle_filter_first: bool
) -> None:
    window = kiosk.window
    window.watch_input()
    start_speech_mode_in_english(kiosk)
    if idle_filter_first:
        # Installed last, the idle timer's filter sees each touch first and ends the warning
        # before speech mode's filter sees the touch.
        app = QApplication.instance()
        assert app is not None
        app.removeEventFilter(window.idle)
        app.installEventFilter(window.idle)
    learn = window.home.learn
    qtbot.mouseClick(learn, LEFT, pos=centre_of(learn))  # said last before the warning
    read_to_the_end(qtbot, kiosk, fake)
    before = len(fake.calls)
    qtbot.waitUntil(lambda: window.idle.warning, timeout=IDLE_MS + 1500)
    overlay = window.overlay
    assert overlay.isVisible()
    read_to_the_end(qtbot, kiosk, fake)
    seconds = WARNING_MS // 1000
    assert fake.texts[before:] == [
        "Are you still there?",
        TAP_TWICE,
        f"{seconds} seconds left. Then we delete everything.",
    ]
    assert fake.calls[-1][1] == "en"  # in the visitor's language
    qtbot.mouseClick(overlay, LEFT, pos=centre_of(overlay))
    qtbot.mouseClick(overlay, LEFT, pos=centre_of(overlay))
    assert not window.idle.warning and not overlay.isVisible()
    assert kiosk.sessions.current is not None
    assert window.current_screen is Screen.HOME  # the double tap chose nothing else
    assert said_last(fake) == KEPT


def test_the_warning_is_said_in_german_in_the_overlays_own_words(
    qtbot: QtBot, kiosk: KioskApp, fake: RecordingBackend
) -> None:
    window = kiosk.window
    window.start_session("de")
    mode_of(kiosk).start()
    read_to_the_end(qtbot, kiosk, fake)
    before = len(fake.calls)
    qtbot.waitUntil(lambda: window.idle.warning, timeout=IDLE_MS + 1500)
    read_to_the_end(qtbot, kiosk, fake)
    overlay = window.overlay
    title = overlay.findChild(QLabel, "title")
    assert title is not None
    _ = kiosk.translator.gettext
    assert fake.calls[before:] == [
        (title.text(), "de"),
        (_(TAP_TWICE), "de"),
        (overlay.warning_text, "de"),
    ]


def test_after_read_aloud_the_warning_is_said_with_touch_to_continue(
    qtbot: QtBot, kiosk: KioskApp, fake: RecordingBackend
) -> None:
    window = kiosk.window
    window.start_session("en")
    header = window.header
    header.read_aloud.click()
    assert window.access.reader.reading
    read_to_the_end(qtbot, kiosk, fake)
    before = len(fake.calls)
    qtbot.waitUntil(lambda: window.idle.warning, timeout=IDLE_MS + 1500)
    read_to_the_end(qtbot, kiosk, fake)
    assert fake.texts[before:] == [
        "Are you still there?",
        TOUCH_TO_CONTINUE,
        f"{WARNING_MS // 1000} seconds left. Then we delete everything.",
    ]
    qtbot.mouseClick(window.overlay, LEFT, pos=QPoint(10, 10))  # any touch, as always
    assert not window.idle.warning
    assert said_last(fake) == KEPT


def test_a_visitor_who_never_listened_hears_no_warning(
    qtbot: QtBot, kiosk: KioskApp, fake: RecordingBackend
) -> None:
    window = kiosk.window
    window.start_session("en")
    qtbot.waitUntil(lambda: window.idle.warning, timeout=IDLE_MS + 1500)
    qtbot.wait(100)
    assert fake.calls == []


def test_reading_aloud_holds_the_idle_wait_and_it_runs_again_after(
    qtbot: QtBot, kiosk: KioskApp, fake: RecordingBackend
) -> None:
    window = kiosk.window
    start_speech_mode_in_english(kiosk)  # says that it is on, then reads the home screen
    assert window.access.reader.reading
    qtbot.wait(2 * IDLE_MS)
    assert not window.idle.warning  # someone is listening
    read_to_the_end(qtbot, kiosk, fake)
    qtbot.wait(IDLE_MS // 2)
    assert not window.idle.warning  # the wait starts over when the reading ends
    qtbot.waitUntil(lambda: window.idle.warning, timeout=IDLE_MS + 1500)


def test_a_reading_that_never_ends_holds_the_visit_only_so_long(
    qtbot: QtBot, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(idle_voice, "LONGEST_HOLD_MS", 2 * IDLE_MS)
    fake = RecordingBackend()
    with speech_kiosk(
        qtbot, data_dir, fake, speech_hint_ms=0, visitor_idle_ms=IDLE_MS, warning_ms=WARNING_MS
    ) as kiosk:
        start_speech_mode_in_english(kiosk)  # the fake never says it has finished
        qtbot.waitUntil(lambda: kiosk.window.idle.warning, timeout=3 * IDLE_MS + 1500)


def test_the_seconds_left_are_said_again_near_the_end(
    qtbot: QtBot, data_dir: Path, fake: RecordingBackend
) -> None:
    with speech_kiosk(
        qtbot, data_dir, fake, speech_hint_ms=0, visitor_idle_ms=IDLE_MS, warning_ms=11_000
    ) as kiosk:
        start_speech_mode_in_english(kiosk)
        read_to_the_end(qtbot, kiosk, fake)
        qtbot.waitUntil(lambda: kiosk.window.idle.warning, timeout=IDLE_MS + 1500)
        read_to_the_end(qtbot, kiosk, fake)
        assert said_last(fake) == "11 seconds left. Then we delete everything."
        reminder = "10 seconds left. Then we delete everything."
        qtbot.waitUntil(lambda: said_last(fake) == reminder, timeout=2000)
