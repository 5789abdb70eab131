"""Speech output without Qt: the engine protocol and the one way the kiosk gets a backend."""

from __future__ import annotations

import logging

from kiosk.speech.engine import SpeechBackend, SpeechUnavailable

log = logging.getLogger(__name__)

_reported: set[str] = set()


def load_backend() -> SpeechBackend | None:
    """The espeak-ng backend playing on the sound device, or None (the reason is logged once)."""
    # Imported here: ctypes and the library are loaded only when speech is first used, never
    # before the kiosk's first frame.
    from kiosk.speech.espeak import EspeakBackend

    try:
        return EspeakBackend.open()
    except SpeechUnavailable as error:
        reason = str(error)
        if reason not in _reported:
            _reported.add(reason)
            log.warning("speech output unavailable: %s", reason)
        return None


__all__ = ["SpeechBackend", "SpeechUnavailable", "load_backend"]
