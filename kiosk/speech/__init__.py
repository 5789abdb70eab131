"""Speech output without Qt: the engine protocol and the one way the kiosk gets a backend."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from kiosk.speech.engine import SpeechBackend, SpeechUnavailable
from kiosk.speech.voices import voice_report

log = logging.getLogger(__name__)

_reported: set[str] = set()


def load_backend() -> SpeechBackend | None:
    """The espeak-ng backend playing on the sound device, or None (the reason is logged once)."""
    # Imported here: ctypes and the library are loaded only when speech is first used (or
    # voices are listed), never before the kiosk's first frame.
    from kiosk.speech.espeak import EspeakBackend

    try:
        return EspeakBackend.open()
    except SpeechUnavailable as error:
        reason = str(error)
        if reason not in _reported:
            _reported.add(reason)
            log.warning("speech output unavailable: %s", reason)
        return None


def languages_with_voice_here() -> frozenset[str] | None:
    """Kiosk languages that can be read aloud here; None when there is no speech engine."""
    from kiosk.speech.espeak import voice_languages_here

    try:
        return voice_languages_here()
    except SpeechUnavailable:
        return None


def voice_summary(languages: Sequence[str]) -> str:
    """One line saying which of `languages` have a voice here (see voices.voice_report)."""
    return voice_report(languages, languages_with_voice_here())


__all__ = [
    "SpeechBackend",
    "SpeechUnavailable",
    "languages_with_voice_here",
    "load_backend",
    "voice_summary",
]
