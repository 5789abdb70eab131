"""What the kiosk asks of a speech engine: the backend protocol, its settings and its failure."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

# Words per minute. The slow rate is what a visitor gets from the "Slower" button; Leichte
# Sprache deliberately uses the normal rate (its texts are already short).
NORMAL_RATE_WPM = 160
SLOW_RATE_WPM = 120
# Percent of the engine's full volume, cycled by the visitor's "Volume" button.
VOLUME_LEVELS = (50, 75, 100)
DEFAULT_VOLUME_INDEX = 2


class SpeechUnavailable(Exception):  # noqa: N818 - the name says the state, not an error kind
    """The engine cannot speak here; str(error) says why, for the log and for staff."""


class SpeechBackend(Protocol):
    """One speech engine. Callbacks may come on the engine's own thread."""

    # False: the engine does not report word positions, so the whole utterance is highlighted.
    reports_words: bool

    def voice_languages(self) -> frozenset[str]:
        """The kiosk language codes this engine has a voice for."""
        ...

    def speak(
        self,
        text: str,
        language: str,
        on_word: Callable[[int, int], None],
        on_done: Callable[[], None],
    ) -> None:
        """Start speaking `text` at once, replacing whatever is being spoken.

        `on_word(start, length)` gets Python str indices into `text`; `on_done()` is called once
        at the natural end, never after `stop()`.
        """
        ...

    def stop(self) -> None:
        """Stop speaking now; the stopped utterance reports nothing more."""
        ...

    def set_rate(self, words_per_minute: int) -> None:
        """Speed of the next utterances."""
        ...

    def set_volume(self, percent: int) -> None:
        """Volume of the next utterances, 0 to 100."""
        ...
