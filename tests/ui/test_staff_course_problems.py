"""Staff mode's terminal overview lists a course package the kiosk does not offer with its first
problem in the staff's language (the checker keeps message ids and arguments apart)."""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel import Locale
from babel.messages.catalog import Message
from babel.messages.mofile import read_mo, write_mo
from pytestqt.qtbot import QtBot

from kiosk import resources
from kiosk.app import KioskApp
from kiosk.config import load_config
from kiosk.core.i18n import catalogue_path, pseudo_localise
from kiosk.ui.shell.screens import Screen
from kiosk.ui.staff.home import StaffHomeScreen
from tests.ui.running_app import shown_kiosk
from tests.unit.courses.builders import edit, write_package

SHOTS = Path("/tmp/s32/shots")
MISSING = "required key {key} is missing"
MORE = ("{first} (and {n} more problem)", "{first} (and {n} more problems)")
# What a translator writes for the two messages the broken package below shows.
TRANSLATED = {
    "de": (
        "Der Schlüssel {key} fehlt.",
        ("{first} (und {n} weiteres Problem)", "{first} (und {n} weitere Probleme)"),
    ),
    "ar": (
        "المفتاح {key} مفقود.",
        (
            "{first} (ولا مشكلة أخرى)",
            "{first} (ومشكلة أخرى واحدة)",
            "{first} (ومشكلتان أخريان)",
            "{first} (و{n} مشاكل أخرى)",
            "{first} (و{n} مشكلة أخرى)",
            "{first} (و{n} مشكلة أخرى)",
        ),
    ),
}


@pytest.fixture
def courses(tmp_path: Path) -> Path:
    """A courses folder with one package that lacks `level` and `category` in course.toml."""
    root = tmp_path / "courses"
    folder = write_package(root)
    edit(folder / "course.toml", 'level = "beginner"\n', "")
    edit(folder / "course.toml", 'category = "communication"\n', "")
    return root


def translations(folder: Path) -> Path:
    """The shipped catalogues of German and Arabic, with the two messages the broken package
    shows translated as a translator would (whether the shipped ones have them yet or not)."""
    for code, (missing, more) in TRANSLATED.items():
        with catalogue_path(resources.TRANSLATIONS, code).open("rb") as file:
            catalog = read_mo(file)
        catalog.locale = Locale.parse(code)
        catalog[MISSING] = Message(MISSING, missing)
        catalog[MORE] = Message(MORE, more)
        path = catalogue_path(folder, code)
        path.parent.mkdir(parents=True)
        with path.open("wb") as file:
            write_mo(file, catalog)
    return folder


@pytest.fixture
def kiosk(
    qtbot: QtBot, data_dir: Path, courses: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[KioskApp]:
    """The whole kiosk in staff mode, on the broken courses folder, with the catalogues above."""
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(resources, "TRANSLATIONS", translations(tmp_path / "translations"))
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
        wanted = "✕ video-calls: Der Schlüssel 'category' fehlt. (und 1 weiteres Problem)"
    else:
        # The line is marked right-to-left, file names and keys are isolated (the Arabic
        # sentence cannot reorder them); the count takes Arabic's form for one (no number).
        wanted = (
            "✕ \u200f\u2068video-calls\u2069: "
            "المفتاح \u2068'category'\u2069 مفقود. (ومشكلة أخرى واحدة)"
        )
    assert wanted in home.courses.text().split("\n")
    if SHOTS.is_dir():
        kiosk.window.grab().save(str(SHOTS / f"L3b-staff-course-problem-{code}.png"))


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
