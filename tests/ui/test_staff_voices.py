"""Staff mode's terminal overview says which languages can be read aloud on this terminal."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from kiosk import resources
from kiosk.app import KioskApp
from kiosk.config import load_config
from kiosk.ui.shell.screens import Screen
from kiosk.ui.staff.home import StaffHomeScreen
from tests.ui.looks import keep_look
from tests.ui.running_app import shown_kiosk


@pytest.fixture
def kiosk(qtbot: QtBot, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[KioskApp]:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    with shown_kiosk(qtbot, load_config(resources.DEMO_CONFIG), data_dir) as app:
        app.window.enter_staff_mode()
        yield app


@pytest.mark.parametrize("language", ["en", "de", "ar"])
def test_the_overview_lists_the_voices_of_this_terminal(kiosk: KioskApp, language: str) -> None:
    kiosk.window.set_language(language)
    home = kiosk.window.screen_widget(Screen.STAFF_HOME)
    assert isinstance(home, StaffHomeScreen)
    home.refresh()
    names = [f"\u2068{lang.native_name}\u2069" for lang in kiosk.translator.languages]
    assert home.speech.isVisible()
    if language == "en":
        assert home.speech.text() == "Voices for: " + ", ".join(names)
    assert all(name in home.speech.text() for name in names)
    keep_look(kiosk.window, f"staff-voices-{language}")


def test_languages_without_voice_or_engine_are_named(kiosk: KioskApp) -> None:
    kiosk.window.set_language("en")
    asked: list[int] = []

    def only_german() -> frozenset[str]:
        asked.append(1)
        return frozenset({"de", "de-x-ls"})

    home = StaffHomeScreen(kiosk.translator, kiosk.desk, voices=only_german)
    assert asked == []  # nothing is loaded until staff open the overview
    home.enter()
    assert asked == [1]
    lines = home.speech.text().split("\n")
    assert lines[0] == "Voices for: \u2068Deutsch\u2069, \u2068Leichte Sprache\u2069"
    assert lines[1].startswith("No voice for: \u2068English\u2069, ")
    none_here = StaffHomeScreen(kiosk.translator, kiosk.desk, voices=lambda: None)
    none_here.enter()
    assert none_here.speech.text().startswith("No speech engine on this terminal")
