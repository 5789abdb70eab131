"""Every language's real screens, read by the real espeak-ng into WAV files: audible, of a
length that fits the text, with word events at the words of the text."""

from __future__ import annotations

import array
import math
import wave
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from kiosk import resources
from kiosk.app import KioskApp
from kiosk.config import load_config
from kiosk.core.i18n import LANGUAGE_CODES
from kiosk.speech.espeak import EspeakBackend
from kiosk.ui.shell.screens import Screen
from kiosk.ui.shell.speech.reading import screen_utterances
from tests.ui.running_app import shown_kiosk

# Measured with espeak-ng 1.51 at 160 words per minute on the demo site's home and first
# lesson step in all eight languages: 0.059 to 0.102 s of speech per character of text. The
# bounds leave room for other engine versions but catch an empty, truncated or runaway render.
SECONDS_PER_CHAR = (0.04, 0.16)
# 16-bit samples: full scale is 32767. Silence renders as 0; speech measured 2800 to 3300 RMS.
MIN_RMS = 800


@pytest.fixture
def kiosk(qtbot: QtBot, data_dir: Path) -> Iterator[KioskApp]:
    with shown_kiosk(qtbot, load_config(resources.DEMO_CONFIG), data_dir) as app:
        yield app


def rendered(path: Path) -> tuple[float, float]:
    """(seconds, RMS) of a 16-bit mono WAV file."""
    with wave.open(str(path), "rb") as wav:
        assert (wav.getnchannels(), wav.getsampwidth()) == (1, 2)
        frames = wav.readframes(wav.getnframes())
        seconds = wav.getnframes() / wav.getframerate()
    samples = array.array("h", frames)
    rms = math.sqrt(sum(s * s for s in samples) / len(samples)) if samples else 0.0
    return seconds, rms


def screen_text(kiosk: KioskApp, screen: Screen) -> str:
    """What the read-aloud button says on this screen, as one text."""
    root = kiosk.window.screen_widget(screen)
    return " ".join(u.text for u in screen_utterances(root, kiosk.translator.gettext))


def check_spoken(text: str, language: str, path: Path) -> None:
    backend = EspeakBackend.to_file(path)
    words: list[tuple[int, int]] = []
    done: list[bool] = []
    backend.speak(text, language, lambda s, n: words.append((s, n)), lambda: done.append(True))
    assert done == [True]
    seconds, rms = rendered(path)
    assert rms > MIN_RMS, (language, rms)
    low, high = SECONDS_PER_CHAR
    assert low * len(text) < seconds < high * len(text), (language, seconds, len(text))
    # Word events: inside the text, each a piece of one word: the word's start, or a later piece
    # of a word whose start was reported before (the engine says "ChatGPT" as "Chat" "GPT" and a
    # number digit by digit in Arabic). Positions off by a byte count land mid-word.
    assert len(words) >= len(text.split()) // 2, (language, len(words))
    starts: set[int] = set()
    for start, length in words:
        piece = text[start : start + length]
        assert start >= 0 and length > 0 and start + length <= len(text), (start, length)
        assert piece[0].isalnum() and not any(c.isspace() for c in piece), (language, piece)
        word_start = start
        while word_start > 0 and text[word_start - 1].isalnum():
            word_start -= 1
        assert word_start == start or word_start in starts, (language, text[word_start:], piece)
        starts.add(start)


@pytest.mark.parametrize("language", LANGUAGE_CODES)
def test_home_screen_is_spoken_in_every_language(
    kiosk: KioskApp, language: str, tmp_path: Path
) -> None:
    kiosk.window.start_session(language)
    assert kiosk.window.current_screen is Screen.HOME
    text = screen_text(kiosk, Screen.HOME)
    assert len(text) > 40
    check_spoken(text, language, tmp_path / f"home-{language}.wav")


@pytest.mark.parametrize("language", LANGUAGE_CODES)
def test_lesson_step_is_spoken_in_every_language(
    kiosk: KioskApp, language: str, tmp_path: Path
) -> None:
    window = kiosk.window
    window.start_session(language)
    course = next(iter(window.catalogue))
    window.open_course(course.id)
    screen = window.current_screen
    text = screen_text(kiosk, screen)
    assert len(text) > 40
    check_spoken(text, language, tmp_path / f"lesson-{language}.wav")
