"""Staff mode's terminal overview in every language at 1280×800: nothing cut off, every figure
shown without scrolling (a broken course listed), no "(0)" for no courses, the repair command
kept whole in right-to-left text, lists and the staff log's times written the language's way."""

from __future__ import annotations

import dataclasses
import re
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QScrollArea
from pytestqt.qtbot import QtBot

from kiosk import resources
from kiosk.app import KioskApp
from kiosk.config import load_config
from kiosk.core.i18n import LANGUAGE_CODES, format_date, format_time
from kiosk.core.staff_auth import EVENT_LOGIN
from kiosk.ui.shell.screens import Screen
from kiosk.ui.staff.home import StaffHomeScreen
from tests.ui.layout_checks import clipped_texts
from tests.ui.looks import keep_look
from tests.ui.running_app import shown_kiosk
from tests.unit.courses.builders import edit, write_package

COMMAND = "\u2068'kiosk courses check'\u2069"
ANY_ZERO = re.compile(r"[0\u0660\u06f0]")  # Latin, Arabic-Indic and Persian zero


@pytest.fixture
def kiosk(qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[KioskApp]:
    """The whole kiosk in staff mode, its only course package broken (none is offered), one
    entry in the staff log. Its data folder has a path as short as a terminal's
    (/var/lib/probierladen-kiosk): pytest's long temporary path is one word wider than the
    figures' column in some languages."""
    data_dir = Path(tempfile.mkdtemp(prefix="kiosk-"))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    courses = tmp_path / "courses"
    folder = write_package(courses)
    edit(folder / "course.toml", 'level = "beginner"\n', "")
    site = load_config(resources.DEMO_CONFIG)
    site = dataclasses.replace(
        site, learning=dataclasses.replace(site.learning, courses_dir=str(courses))
    )
    try:
        with shown_kiosk(qtbot, site, data_dir) as app:
            app.desk.record(EVENT_LOGIN)
            app.window.enter_staff_mode()
            yield app
    finally:
        shutil.rmtree(data_dir)


def home_in(kiosk: KioskApp, code: str) -> StaffHomeScreen:
    kiosk.window.set_language(code)
    kiosk.window.show_screen(Screen.STAFF_HOME)
    home = kiosk.window.screen_widget(Screen.STAFF_HOME)
    assert isinstance(home, StaffHomeScreen)
    home.refresh()
    return home


@pytest.mark.parametrize("code", LANGUAGE_CODES)
def test_the_overview_fits_at_1280x800_in_every_language(kiosk: KioskApp, code: str) -> None:
    home = home_in(kiosk, code)
    assert clipped_texts(kiosk.window) == []  # also runs the layout, as the next frame would
    assert (kiosk.window.width(), kiosk.window.height()) == (1280, 800)
    # Every figure shows: the courses' three lines and the voices too, no half line at the
    # bottom of the figures that only scrolling would reveal.
    figures = home.findChild(QScrollArea, "staffFiguresScroll")
    assert figures is not None
    keep_look(kiosk.window, f"staff-home-{code}")
    if code == "de-x-ls":
        # Leichte Sprache writes each sentence on a line of its own: with a broken course the
        # figures are taller than the space, and their scroll bar shows that more follows.
        assert figures.verticalScrollBar().isVisible()
    else:
        assert figures.verticalScrollBar().maximum() == 0
    for button in (home.bookings, home.statistics, home.backup, home.test_print):
        assert button.width() >= button.sizeHint().width(), (button.text(), code)


@pytest.mark.parametrize("code", LANGUAGE_CODES)
def test_no_courses_is_a_sentence_and_the_command_stays_whole(kiosk: KioskApp, code: str) -> None:
    text = home_in(kiosk, code).courses.text()
    lines = text.split("\n")  # Leichte Sprache puts each sentence on a line of its own
    assert not ANY_ZERO.search(lines[0]), lines[0]  # not "لا توجد حزم دورات (0)"
    # Quotes and brackets cannot trade places in Arabic or Persian.
    [problem] = [number for number, line in enumerate(lines) if line.startswith("✕ ")]
    assert COMMAND in "\n".join(lines[1:problem])


def test_no_courses_in_english(kiosk: KioskApp) -> None:
    lines = home_in(kiosk, "en").courses.text().split("\n")
    assert lines[:2] == [
        "No course packages offered",
        f"Not offered to visitors (fix with {COMMAND}):",
    ]


@pytest.mark.parametrize("code", ["fa", "de", "ar"])
def test_the_staff_log_writes_date_and_time_the_languages_way(kiosk: KioskApp, code: str) -> None:
    home = home_in(kiosk, code)
    [(at, _, _)] = [event for event in kiosk.desk.overview().events if event[1] == EVENT_LOGIN]
    items = [home.events.item(row).text() for row in range(home.events.count())]
    wanted = f"{format_date(at.date(), code)} {format_time(at, code)}  "
    assert any(item.startswith(wanted) for item in items), (wanted, items)
    if code == "fa":
        assert not any(re.search(r"[0-9]", item) for item in items), items
    backup = home._backup.text()
    assert backup != "" and (code != "fa" or not re.search(r"[0-9]", backup)), backup


def test_the_voices_are_listed_as_the_language_writes_a_list(kiosk: KioskApp) -> None:
    home = home_in(kiosk, "fa")
    home.refresh()
    speech = home.speech.text()
    if "\u2068" in speech:  # a speech engine with voices: the names, joined the Persian way
        assert ", " not in speech and "،" in speech, speech
    home = home_in(kiosk, "de")
    speech = home.speech.text()
    if "\u2068" in speech:
        assert "،" not in speech
