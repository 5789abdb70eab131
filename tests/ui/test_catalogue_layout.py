"""The course catalogue on a 1280×800 screen: four whole tiles, beginners first, one row of
topics that never cuts a label at any text size, and tiles that tell about their languages."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from kiosk import resources
from kiosk.app import KioskApp
from kiosk.config import SiteConfig, load_config
from kiosk.core.i18n import LANGUAGE_CODES, isolate
from kiosk.core.session import TEXT_SCALES, EndReason
from kiosk.ui.learning.catalogue import CatalogueScreen
from kiosk.ui.shell.screens import Screen
from tests.ui.layout_checks import clipped_texts
from tests.ui.looks import keep_look
from tests.ui.running_app import shown_kiosk

BEGINNERS_FIRST = "tablet-first-steps"


@pytest.fixture
def site(tmp_path: Path) -> SiteConfig:
    """The demo site, with its courses copied so a test may take a language out of one."""
    courses = tmp_path / "courses"
    shutil.copytree(resources.COURSES, courses, ignore=shutil.ignore_patterns("README.md"))
    config_file = tmp_path / "site.toml"
    text = resources.DEMO_CONFIG.read_text(encoding="utf-8")
    config_file.write_text(
        text.replace('courses_dir = ""', f'courses_dir = "{courses.as_posix()}"'),
        encoding="utf-8",
    )
    return load_config(config_file)


@pytest.fixture
def kiosk(
    qtbot: QtBot, site: SiteConfig, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[KioskApp]:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    with shown_kiosk(qtbot, site, data_dir) as app:
        yield app


def open_learn(qtbot: QtBot, kiosk: KioskApp, language: str) -> CatalogueScreen:
    kiosk.window.start_session(language)
    qtbot.mouseClick(kiosk.window.home.learn, Qt.MouseButton.LeftButton)
    screen = kiosk.window.screen_widget(Screen.LEARN)
    assert isinstance(screen, CatalogueScreen)
    assert kiosk.window.current_screen is Screen.LEARN
    return screen


def rect_in(widget: QWidget, ancestor: QWidget) -> QRect:
    return QRect(widget.mapTo(ancestor, widget.rect().topLeft()), widget.size())


def whole_tiles(screen: CatalogueScreen) -> list[str]:
    """The courses whose tile lies entirely inside the catalogue's scroll view, in order."""
    clipped_texts(screen)  # lets pending layout work run, like the next frame would
    viewport = screen._scroll.viewport()
    shown = [screen.cards[course_id] for course_id in screen.visible_course_ids()]
    return [card.course.id for card in shown if viewport.rect().contains(rect_in(card, viewport))]


def test_at_1280x800_four_whole_tiles_show_beginners_first_in_every_language(
    qtbot: QtBot, kiosk: KioskApp
) -> None:
    assert (kiosk.window.width(), kiosk.window.height()) == (1280, 800)
    for language in LANGUAGE_CODES:
        screen = open_learn(qtbot, kiosk, language)
        whole = whole_tiles(screen)
        assert len(whole) >= 4, f"{language}: only {whole} whole"
        first = kiosk.window.catalogue.get(screen.visible_course_ids()[0])
        assert first is not None and first.id == BEGINNERS_FIRST, language
        assert first.level == "beginner"
        if language in ("de", "en", "ar"):
            keep_look(kiosk.window, f"catalogue-{language}")
        kiosk.window.end_session(EndReason.IDLE)


def test_topics_take_one_row_and_no_label_is_cut_at_any_text_size(
    qtbot: QtBot, kiosk: KioskApp
) -> None:
    window = kiosk.window
    for language in LANGUAGE_CODES:
        screen = open_learn(qtbot, kiosk, language)
        for index in range(len(TEXT_SCALES)):
            if index:
                qtbot.mouseClick(window.header.larger, Qt.MouseButton.LeftButton)
            cut = clipped_texts(window)
            assert cut == [], f"{language} at {TEXT_SCALES[index]:.0%}: {cut}"
            chips = list(screen.topics.buttons.values())
            tops = {rect_in(chip, screen).top() for chip in chips}
            assert len(tops) == 1, f"{language} at {TEXT_SCALES[index]:.0%}: rows at {tops}"
            assert all(chip.height() >= 48 for chip in chips)
        window.end_session(EndReason.IDLE)


def test_topics_that_do_not_fit_are_reached_with_the_arrow_buttons(
    qtbot: QtBot, kiosk: KioskApp
) -> None:
    window = kiosk.window
    screen = open_learn(qtbot, kiosk, "de")
    for _ in range(len(TEXT_SCALES) - 1):
        qtbot.mouseClick(window.header.larger, Qt.MouseButton.LeftButton)
    clipped_texts(window)
    row = screen.topics
    assert row.overflows()
    assert row.later.isVisible() and row.later.isEnabled()
    assert row.earlier.isVisible() and not row.earlier.isEnabled()  # nothing before the start
    assert min(row.later.width(), row.later.height()) >= 48
    last_key, last = list(row.buttons.items())[-1]
    strip = row._strip.viewport()
    assert not strip.rect().contains(rect_in(last, strip))
    while row.later.isEnabled():
        before = row.scroll_position()
        qtbot.mouseClick(row.later, Qt.MouseButton.LeftButton)
        assert row.scroll_position() > before
    assert strip.rect().contains(rect_in(last, strip))
    assert row.earlier.isEnabled()
    qtbot.mouseClick(last, Qt.MouseButton.LeftButton)
    shown = [kiosk.window.catalogue.get(course_id) for course_id in screen.visible_course_ids()]
    assert shown and all(course is not None and course.category == last_key for course in shown)


def without_language(site: SiteConfig, course_id: str, code: str) -> None:
    """Take one language's text out of a (copied) course package."""
    folder = site.resolve(site.learning.courses_dir) / course_id
    (folder / "content" / f"{code}.md").unlink()
    manifest = folder / "course.toml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text.replace(f', "{code}"', "").replace(f'"{code}", ', ""), "utf-8")


def without_last_step(site: SiteConfig, course_id: str, code: str) -> None:
    """Take the last step out of one language's text of a (copied) course package."""
    content = site.resolve(site.learning.courses_dir) / course_id / "content" / f"{code}.md"
    text = content.read_text(encoding="utf-8")
    content.write_text(text[: text.rindex("\n## ") + 1], encoding="utf-8")


def test_a_tile_says_when_steps_are_not_in_the_visitors_language(
    qtbot: QtBot, site: SiteConfig, kiosk: KioskApp
) -> None:
    without_language(site, "video-calls", "uk")
    without_last_step(site, "phishing-fake-shops", "uk")
    screen = open_learn(qtbot, kiosk, "uk")
    tr = kiosk.translator
    english = isolate("English")
    whole = screen.cards["video-calls"].language_note
    assert whole.isVisible()
    assert whole.text() == tr.gettext("Not in your language yet. Shown in: {languages}").format(
        languages=english
    )
    some = screen.cards["phishing-fake-shops"].language_note
    assert some.isVisible()
    assert some.text() == tr.gettext(
        "Some steps not in your language yet. Shown in: {languages}"
    ).format(languages=english)
    assert not screen.cards[BEGINNERS_FIRST].language_note.isVisible()
    assert clipped_texts(kiosk.window) == []
    # In German every step is there: no tile has a note.
    kiosk.window.end_session(EndReason.IDLE)
    screen = open_learn(qtbot, kiosk, "de")
    assert not any(card.language_note.isVisible() for card in screen.cards.values())


def test_the_facts_are_not_separated_by_the_middle_dot_of_leichte_sprache(
    qtbot: QtBot, kiosk: KioskApp
) -> None:
    for language in ("de-x-ls", "en"):
        screen = open_learn(qtbot, kiosk, language)
        for card in screen.cards.values():
            facts = card.details.text()
            assert "·" not in facts, facts
            assert len(facts.replace("\n", " | ").split(" | ")) == 3, facts
        kiosk.window.end_session(EndReason.IDLE)
    screen = open_learn(qtbot, kiosk, "en")
    course = screen.cards[BEGINNERS_FIRST].course
    expected = f"{course.duration_minutes} minutes | {len(course.steps)} steps | Beginner"
    assert screen.cards[BEGINNERS_FIRST].details.text() == expected


def test_the_topic_row_starts_at_all_topics_in_arabic_too(qtbot: QtBot, kiosk: KioskApp) -> None:
    window = kiosk.window
    for _visit in range(2):  # the second visit starts after a wipe, as at a real terminal
        # The text is made larger on the home screen, before the catalogue is first shown.
        window.start_session("ar")
        for _ in range(len(TEXT_SCALES) - 1):
            qtbot.mouseClick(window.header.larger, Qt.MouseButton.LeftButton)
        qtbot.mouseClick(window.home.learn, Qt.MouseButton.LeftButton)
        screen = window.screen_widget(Screen.LEARN)
        assert isinstance(screen, CatalogueScreen) and window.current_screen is Screen.LEARN
        clipped_texts(window)
        row = screen.topics
        assert row.overflows()
        strip = row._strip.viewport()
        first = row.buttons[""]
        assert strip.rect().contains(rect_in(first, strip))
        assert rect_in(first, strip).right() > strip.width() // 2  # the start is on the right
        assert row.scroll_position() == 0
        assert not row.earlier.isEnabled() and row.later.isEnabled()
        window.end_session(EndReason.IDLE)
