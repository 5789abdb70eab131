"""The Qt Voice: engine callbacks from another thread arrive on the UI thread; a stopped
utterance reports nothing more; settings reach the engine and the wipe resets them."""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from kiosk.speech.engine import (
    DEFAULT_VOLUME_INDEX,
    NORMAL_RATE_WPM,
    SLOW_RATE_WPM,
    VOLUME_LEVELS,
)
from kiosk.ui.shell.speech.voice import Voice


class ThreadedBackend:
    """Keeps each utterance's callbacks; the test fires them from a thread of its own."""

    reports_words = True

    def __init__(self) -> None:
        self.utterances: list[tuple[str, Callable[[int, int], None], Callable[[], None]]] = []
        self.stops = 0
        self.rate = 0
        self.volume = 0

    def voice_languages(self) -> frozenset[str]:
        return frozenset({"de", "en", "ar"})

    def speak(
        self,
        text: str,
        language: str,
        on_word: Callable[[int, int], None],
        on_done: Callable[[], None],
    ) -> None:
        self.utterances.append((text, on_word, on_done))

    def stop(self) -> None:
        self.stops += 1

    def set_rate(self, words_per_minute: int) -> None:
        self.rate = words_per_minute

    def set_volume(self, percent: int) -> None:
        self.volume = percent

    def from_engine_thread(self, index: int, *words: tuple[int, int], done: bool) -> None:
        """Report words (and the end) of utterance `index` the way espeak-ng does: elsewhere."""
        _, on_word, on_done = self.utterances[index]

        def run() -> None:
            for start, length in words:
                on_word(start, length)
            if done:
                on_done()

        thread = threading.Thread(target=run)
        thread.start()
        thread.join()


def test_engine_events_arrive_as_signals_on_the_ui_thread(qtbot: QtBot) -> None:
    backend = ThreadedBackend()
    voice = Voice(backend_factory=lambda: backend)
    seen: list[tuple[int, int, bool]] = []
    ui_thread = QApplication.instance().thread()  # type: ignore[union-attr]
    voice.word.connect(lambda s, n: seen.append((s, n, QThread.currentThread() is ui_thread)))
    voice.say("Guten Tag", "de")
    with qtbot.waitSignal(voice.finished, timeout=2000):
        backend.from_engine_thread(0, (0, 5), (6, 3), done=True)
    assert seen == [(0, 5, True), (6, 3, True)]
    assert not voice.speaking


def test_events_of_a_stopped_utterance_are_dropped(qtbot: QtBot) -> None:
    backend = ThreadedBackend()
    voice = Voice(backend_factory=lambda: backend)
    words: list[tuple[int, int]] = []
    finished: list[bool] = []
    voice.word.connect(lambda s, n: words.append((s, n)))
    voice.finished.connect(lambda: finished.append(True))
    voice.say("first text", "de")
    voice.stop()
    assert backend.stops == 1
    # The engine was already reporting the first utterance when it was stopped.
    backend.from_engine_thread(0, (0, 5), done=True)
    voice.say("second", "de")
    with qtbot.waitSignal(voice.word, timeout=2000):
        backend.from_engine_thread(1, (0, 6), done=False)
    # A late end of the first utterance, after the second began: still dropped.
    backend.from_engine_thread(0, (6, 4), done=True)
    qtbot.wait(50)
    assert words == [(0, 6)]
    assert finished == []
    assert voice.speaking


def test_the_engine_loads_on_first_use_and_its_absence_is_reported(qtbot: QtBot) -> None:
    calls: list[int] = []

    def no_engine() -> None:
        calls.append(1)

    voice = Voice(backend_factory=no_engine)
    assert calls == []  # nothing loads with the window
    with qtbot.waitSignal(voice.unavailable, timeout=1000) as blocker:
        voice.say("Hallo", "de")
    assert blocker.args == ["no speech engine on this terminal"]
    assert not voice.has_voice("de")
    assert calls == [1]  # tried once, not at every say()


def test_a_language_without_voice_is_unavailable_not_spoken(qtbot: QtBot) -> None:
    backend = ThreadedBackend()
    voice = Voice(backend_factory=lambda: backend)
    assert voice.has_voice("ar") and not voice.has_voice("fa")
    with qtbot.waitSignal(voice.unavailable, timeout=1000):
        voice.say("سلام", "fa")
    assert backend.utterances == []


def test_speed_and_volume_reach_the_engine_and_reset_restores_them(qtbot: QtBot) -> None:
    backend = ThreadedBackend()
    voice = Voice(backend_factory=lambda: backend)
    voice.set_slow(True)
    voice.set_volume_index(0)
    voice.say("Hallo", "de")  # loads the engine with the visitor's choices
    assert (backend.rate, backend.volume) == (SLOW_RATE_WPM, VOLUME_LEVELS[0])
    voice.reset()
    assert (voice.slow, voice.volume_index) == (False, DEFAULT_VOLUME_INDEX)
    assert (backend.rate, backend.volume) == (NORMAL_RATE_WPM, VOLUME_LEVELS[-1])
    assert not voice.speaking
