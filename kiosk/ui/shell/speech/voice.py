"""The kiosk's voice on the UI thread: speaks through a speech backend and reports as Qt signals.

A backend calls back on its own thread (espeak-ng's audio thread). Those callbacks only emit
signals of a small relay object that lives on the UI thread, connected queued, so every slot
runs on the UI thread. Each utterance carries a serial number: once an utterance is stopped or
replaced, its late word and end events are dropped.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal

from kiosk.speech import SpeechBackend, load_backend
from kiosk.speech.engine import (
    DEFAULT_VOLUME_INDEX,
    NORMAL_RATE_WPM,
    SLOW_RATE_WPM,
    VOLUME_LEVELS,
)

NO_ENGINE = "no speech engine on this terminal"


class _Relay(QObject):
    """Carries backend callbacks from the engine's thread to the UI thread."""

    word_reported = Signal(int, int, int)
    """(serial, start, length) of a word the engine reached."""
    end_reported = Signal(int)
    """The utterance with this serial ended by itself."""


class Voice(QObject):
    """Speaks one utterance at a time in the visitor's language, at their speed and volume."""

    word = Signal(int, int)
    """(start, length) of the word now spoken in the current utterance."""
    finished = Signal()
    """The current utterance ended by itself (not by stop())."""
    unavailable = Signal(str)
    """Nothing can be spoken: no engine, or no voice for the language (reason, for the log)."""

    def __init__(
        self,
        parent: QObject | None = None,
        backend_factory: Callable[[], SpeechBackend | None] = load_backend,
    ) -> None:
        super().__init__(parent)
        self._factory = backend_factory
        self._backend: SpeechBackend | None = None
        self._loaded = False
        self._serial = 0
        self._speaking = False
        self._slow = False
        self._volume_index = DEFAULT_VOLUME_INDEX
        self._relay = _Relay(self)
        # Queued even when a backend calls back on the UI thread: a slot never runs inside
        # say(), and the order of events is the order the engine reported them.
        queued = Qt.ConnectionType.QueuedConnection
        self._relay.word_reported.connect(self._on_word, queued)
        self._relay.end_reported.connect(self._on_end, queued)

    def _load(self) -> SpeechBackend | None:
        """The backend, opened on first use (never before the first frame)."""
        if not self._loaded:
            self._loaded = True
            self._backend = self._factory()
            if self._backend is not None:
                self._apply_settings(self._backend)
        return self._backend

    def _apply_settings(self, backend: SpeechBackend) -> None:
        backend.set_rate(SLOW_RATE_WPM if self._slow else NORMAL_RATE_WPM)
        backend.set_volume(VOLUME_LEVELS[self._volume_index])

    @property
    def reports_words(self) -> bool:
        """False when the engine gives no word positions: highlight the whole utterance."""
        backend = self._load()
        return backend is not None and backend.reports_words

    def has_voice(self, language: str) -> bool:
        """Whether this terminal can speak `language` (loads the engine)."""
        backend = self._load()
        return backend is not None and language in backend.voice_languages()

    def say(self, text: str, language: str) -> None:
        """Speak `text` now, replacing what is being spoken; `unavailable` if it cannot."""
        self.stop()
        backend = self._load()
        if backend is None:
            self.unavailable.emit(NO_ENGINE)
            return
        if language not in backend.voice_languages():
            self.unavailable.emit(f"no voice for the language {language!r}")
            return
        serial = self._serial
        relay = self._relay

        # Called on the engine's thread: only emit, never touch widgets or this object's state.
        def on_word(start: int, length: int) -> None:
            relay.word_reported.emit(serial, start, length)

        def on_done() -> None:
            relay.end_reported.emit(serial)

        self._speaking = True
        backend.speak(text, language, on_word, on_done)

    def stop(self) -> None:
        """Stop speaking; events of the stopped utterance that are still queued are dropped."""
        self._serial += 1
        self._speaking = False
        if self._backend is not None:
            self._backend.stop()

    @property
    def speaking(self) -> bool:
        """True from say() until the utterance ends or is stopped."""
        return self._speaking

    @property
    def slow(self) -> bool:
        """True when the visitor chose the slower speed."""
        return self._slow

    def set_slow(self, on: bool) -> None:
        """Slower speed from the next utterance on."""
        self._slow = on
        if self._backend is not None:
            self._apply_settings(self._backend)

    @property
    def volume_index(self) -> int:
        """Index into VOLUME_LEVELS."""
        return self._volume_index

    def set_volume_index(self, index: int) -> None:
        """Volume level from the next utterance on (index into VOLUME_LEVELS)."""
        if not 0 <= index < len(VOLUME_LEVELS):
            raise ValueError(f"volume index {index} outside 0..{len(VOLUME_LEVELS) - 1}")
        self._volume_index = index
        if self._backend is not None:
            self._apply_settings(self._backend)

    def reset(self) -> None:
        """Back to a new visitor's voice: silent, normal speed, default volume."""
        self.stop()
        self._slow = False
        self._volume_index = DEFAULT_VOLUME_INDEX
        if self._backend is not None:
            self._apply_settings(self._backend)

    def _on_word(self, serial: int, start: int, length: int) -> None:
        if serial == self._serial and self._speaking:
            self.word.emit(start, length)

    def _on_end(self, serial: int) -> None:
        if serial == self._serial and self._speaking:
            self._speaking = False
            self.finished.emit()
