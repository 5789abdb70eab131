"""Staff mode's terminal overview lists a course package the kiosk does not offer with its first
problem in the staff's language (the checker keeps message ids and arguments apart)."""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from kiosk import resources
from kiosk.app import KioskApp
from kiosk.config import load_config
from kiosk.core.i18n import pseudo_localise
from kiosk.ui.shell.screens import Screen
from kiosk.ui.staff.home import StaffHomeScreen
from tests.ui.looks import keep_look
from tests.ui.running_app import shown_kiosk
from tests.unit.courses.builders import edit, write_package

MISSING = "required key {key} is missing"
MORE = ("{first} (and {n} more problem)", "{first} (and {n} more problems)")


@pytest.fixture
def courses(tmp_path: Path) -> Path:
    """A courses folder with one package that lacks `level` and `category` in course.toml."""
    root = tmp_path / "courses"
    folder = write_package(root)
    edit(folder / "course.toml", 'level = "beginner"\n', "")
    edit(folder / "course.toml", 'category = "communication"\n', "")
    return root


@pytest.fixture
def kiosk(
    qtbot: QtBot, data_dir: Path, courses: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[KioskApp]:
    """The whole kiosk in staff mode, on the broken courses folder, with the shipped catalogues."""
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    site = load_config(resources.DEMO_CONFIG)
    site = dataclasses.replace(
        site, learning=dataclasses.replace(site.learning, courses_dir=str(courses))
    )
    with shown_kiosk(qtbot, site, data_dir) as app:
        app.window.enter_staff_mode()
        yield app


@pytest.mark.parametrize("code", ["de", "ar"])
def test_a_broken_course_is_listed_in_the_staff_language(kiosk: KioskApp, code: str) -> None:
    kiosk.window.set_language(code)
    kiosk.window.show_screen(Screen.STAFF_HOME)
    home = kiosk.window.screen_widget(Screen.STAFF_HOME)
    assert isinstance(home, StaffHomeScreen)
    home.refresh()
    # The first problem is `category` (both are on line 1, in the order of their text); the
    # other one is counted.
    if code == "de":
        wanted = "✕ video-calls: Der Pflichtschlüssel 'category' fehlt. (und 1 weiteres Problem)"
    else:
        # The line is marked right-to-left, file names and keys are isolated (the Arabic
        # sentence cannot reorder them); the count takes Arabic's form for one (no number).
        wanted = (
            "✕ \u200f\u2068video-calls\u2069: "
            "المفتاح المطلوب \u2068'category'\u2069 مفقود (ومشكلة أخرى واحدة)"
        )
    assert wanted in home.courses.text().split("\n")
    keep_look(kiosk.window, f"staff-course-problem-{code}")


def test_the_overview_translates_the_problem_whenever_the_language_changes(
    kiosk: KioskApp,
) -> None:
    """The terminal's own overview (as the window builds it) translates the checker's message,
    not only its own words: in the pseudo-locale every translated text is marked."""
    kiosk.window.set_language("en")
    kiosk.window.show_screen(Screen.STAFF_HOME)
    home = kiosk.window.screen_widget(Screen.STAFF_HOME)
    assert isinstance(home, StaffHomeScreen)
    home.refresh()
    english = "✕ video-calls: required key 'category' is missing (and 1 more problem)"
    assert english in home.courses.text().split("\n")
    kiosk.translator.set_pseudo(True)
    home.refresh()
    pseudo = pseudo_localise(MORE[0]).format(
        first=pseudo_localise(MISSING).format(key="'category'"), n=1
    )
    assert f"✕ video-calls: {pseudo}" in home.courses.text().split("\n")
    kiosk.translator.set_pseudo(False)
