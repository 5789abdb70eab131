"""The espeak-ng backend with the real library: word positions, stopping, speed, volume."""

from __future__ import annotations

import array
import logging
import math
import wave
from pathlib import Path

import pytest

from kiosk import speech
from kiosk.speech import espeak
from kiosk.speech.engine import NORMAL_RATE_WPM, SLOW_RATE_WPM, SpeechUnavailable
from kiosk.speech.espeak import EspeakBackend, word_span
from kiosk.speech.voices import voice_report

WORDS = {
    "ru": "Привет, как дела? Хорошо.",
    "ar": "مرحبا بكم في المكتبة",
    "fa": "سلام، به کتابخانه خوش آمدید",
    "de": "Größe über Äpfel",
}


def spoken(backend: EspeakBackend, text: str, language: str) -> list[str]:
    words: list[tuple[int, int]] = []
    backend.speak(text, language, lambda s, n: words.append((s, n)), lambda: None)
    return [text[s : s + n] for s, n in words]


def wav_seconds_and_rms(path: Path) -> tuple[float, float]:
    with wave.open(str(path), "rb") as wav:
        samples = array.array("h", wav.readframes(wav.getnframes()))
        seconds = wav.getnframes() / wav.getframerate()
    return seconds, math.sqrt(sum(s * s for s in samples) / max(len(samples), 1))


def test_word_span_turns_one_based_character_positions_into_str_indices() -> None:
    text = "Привет, как дела?"
    assert word_span(text, 9, 3) == (8, 3)
    assert text[8:11] == "как"
    assert word_span("مرحبا بكم", 7, 3) == (6, 3)
    assert word_span("12 ab", 2, 2) == (1, 1)  # the trailing space is not highlighted
    assert word_span("ab", 5, 3) == (2, 0)  # past the end: empty, never out of range


@pytest.mark.parametrize("language", sorted(WORDS))
def test_word_events_are_the_words_of_non_latin_text(tmp_path: Path, language: str) -> None:
    text = WORDS[language]
    backend = EspeakBackend.to_file(tmp_path / "words.wav")
    expected = [w.strip(",.?،") for w in text.split()]
    assert spoken(backend, text, language) == expected


def test_stop_during_an_utterance_ends_it_without_on_done(tmp_path: Path) -> None:
    path = tmp_path / "stopped.wav"
    backend = EspeakBackend.to_file(path)
    words: list[int] = []
    done: list[bool] = []

    def on_word(start: int, length: int) -> None:
        words.append(start)
        backend.stop()

    backend.speak("One two three four five.", "en", on_word, lambda: done.append(True))
    assert words == [0]  # nothing after the stop
    assert done == []
    assert not path.exists()
    # The backend speaks again normally afterwards.
    backend.speak("Again.", "en", lambda s, n: None, lambda: done.append(True))
    assert done == [True]
    assert path.exists()


def test_slower_rate_makes_the_same_text_longer(tmp_path: Path) -> None:
    path = tmp_path / "rate.wav"
    backend = EspeakBackend.to_file(path)
    text = "Guten Tag. Hier können Sie Kurse lernen und Geräte ausprobieren."
    backend.set_rate(NORMAL_RATE_WPM)
    backend.speak(text, "de", lambda s, n: None, lambda: None)
    normal, _ = wav_seconds_and_rms(path)
    backend.set_rate(SLOW_RATE_WPM)
    backend.speak(text, "de", lambda s, n: None, lambda: None)
    slow, _ = wav_seconds_and_rms(path)
    assert slow > normal * 1.2


def test_lower_volume_makes_the_speech_quieter(tmp_path: Path) -> None:
    path = tmp_path / "volume.wav"
    backend = EspeakBackend.to_file(path)
    backend.set_volume(100)
    backend.speak("Hello, welcome to the library.", "en", lambda s, n: None, lambda: None)
    _, loud = wav_seconds_and_rms(path)
    backend.set_volume(50)
    backend.speak("Hello, welcome to the library.", "en", lambda s, n: None, lambda: None)
    _, quiet = wav_seconds_and_rms(path)
    assert quiet < loud * 0.75


def test_every_kiosk_language_has_a_voice_and_others_are_refused(tmp_path: Path) -> None:
    backend = EspeakBackend.to_file(tmp_path / "x.wav")
    assert backend.voice_languages() == {"de", "de-x-ls", "en", "uk", "ar", "ru", "tr", "fa"}
    with pytest.raises(SpeechUnavailable, match="no voice"):
        backend.speak("Bonjour", "fr", lambda s, n: None, lambda: None)


def test_voice_report_names_languages_with_and_without_voice() -> None:
    assert voice_report(["de", "en", "fa"], frozenset({"de", "en", "fa"})) == (
        "Speech: voices for de, en, fa"
    )
    assert voice_report(["de", "ar"], frozenset({"de"})) == "Speech: voices for de; none for ar"
    assert "no speech engine" in voice_report(["de"], None)


def test_no_sound_output_means_no_backend_and_one_log_line(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(espeak, "_no_sound_output", lambda: "no sound device here")
    monkeypatch.setattr(speech, "_reported", set())
    with caplog.at_level(logging.WARNING, logger="kiosk.speech"):
        assert speech.load_backend() is None
        assert speech.load_backend() is None
    assert [r.getMessage() for r in caplog.records] == [
        "speech output unavailable: no sound device here"
    ]
