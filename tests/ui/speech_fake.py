"""A speech backend for tests: it records what it was asked to say and speaks when told to."""

from __future__ import annotations

import re
from collections.abc import Callable

from kiosk.speech.engine import DEFAULT_VOLUME_INDEX, NORMAL_RATE_WPM, VOLUME_LEVELS

ALL_LANGUAGES = frozenset({"de", "de-x-ls", "en", "uk", "ar", "ru", "tr", "fa"})
_WORD = re.compile(r"\S+")


class RecordingBackend:
    """Implements kiosk.speech.engine.SpeechBackend without sound.

    `calls` keeps every (text, language) it was asked to say; a test then lets it speak the
    current text word by word (`speak_words`), end it (`finish`), or report one word.
    """

    def __init__(
        self, languages: frozenset[str] = ALL_LANGUAGES, *, reports_words: bool = True
    ) -> None:
        self.reports_words = reports_words
        self._languages = languages
        self.calls: list[tuple[str, str]] = []
        self.stops = 0
        self.rate = NORMAL_RATE_WPM
        self.volume = VOLUME_LEVELS[DEFAULT_VOLUME_INDEX]
        self._on_word: Callable[[int, int], None] | None = None
        self._on_done: Callable[[], None] | None = None

    # -- the protocol --------------------------------------------------------------------------

    def voice_languages(self) -> frozenset[str]:
        return self._languages

    def speak(
        self,
        text: str,
        language: str,
        on_word: Callable[[int, int], None],
        on_done: Callable[[], None],
    ) -> None:
        self.calls.append((text, language))
        self._on_word, self._on_done = on_word, on_done

    def stop(self) -> None:
        self.stops += 1
        self._on_word = self._on_done = None

    def set_rate(self, words_per_minute: int) -> None:
        self.rate = words_per_minute

    def set_volume(self, percent: int) -> None:
        self.volume = percent

    # -- what a test makes it do ---------------------------------------------------------------

    @property
    def speaking(self) -> bool:
        """Whether an utterance is under way (said, neither finished nor stopped)."""
        return self._on_done is not None

    @property
    def texts(self) -> list[str]:
        return [text for text, _language in self.calls]

    def words(self) -> list[tuple[int, int]]:
        """The (start, length) of each whitespace-separated word of the current text."""
        if not self.calls:
            return []
        return [(m.start(), m.end() - m.start()) for m in _WORD.finditer(self.calls[-1][0])]

    def report_word(self, number: int) -> None:
        """Report word `number` (from 0) of the current text as being spoken."""
        start, length = self.words()[number]
        if self._on_word is not None and self.reports_words:
            self._on_word(start, length)

    def finish(self) -> None:
        """The current utterance ends by itself."""
        done, self._on_word, self._on_done = self._on_done, None, None
        if done is not None:
            done()

    def speak_words(self) -> None:
        """Report every word of the current text in turn, then end it."""
        for number in range(len(self.words())):
            if self._on_done is None:
                return  # stopped meanwhile
            self.report_word(number)
        self.finish()
