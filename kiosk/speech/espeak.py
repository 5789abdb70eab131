"""libespeak-ng driven through ctypes: speaks on the sound device or renders WAV files."""

from __future__ import annotations

from pathlib import Path

from kiosk.speech.engine import SpeechUnavailable


class EspeakBackend:
    """The espeak-ng speech backend."""

    @classmethod
    def open(cls) -> EspeakBackend:
        """Plays on the sound device."""
        raise SpeechUnavailable("the espeak-ng backend is not built yet")

    @classmethod
    def to_file(cls, path: Path) -> EspeakBackend:
        """Each speak() writes a WAV file at `path`."""
        raise SpeechUnavailable("the espeak-ng backend is not built yet")
