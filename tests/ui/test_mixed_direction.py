"""Latin text inside Arabic lines: a site's English help text keeps its full stop at its end."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextLayout, QTextOption
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from kiosk import resources
from kiosk.app import KioskApp
from kiosk.config import SiteConfig, load_config
from kiosk.ui.bookings.screen import BookingScreen
from kiosk.ui.shell.screens import Screen
from tests.ui.running_app import shown_kiosk

HELP_EN = (
    "Digital consultation: Tuesday 10 am–12 noon and Thursday 2–5 pm, here in the Probierladen."
)


def partly_translated(config: SiteConfig) -> SiteConfig:
    """The demo site as a site that writes its help text in German and English only and its
    places in German only: an Arabic visitor reads them inside Arabic lines."""
    help_text = {code: config.learning.help_text[code] for code in ("de", "de-x-ls", "en")}
    devices = tuple(replace(d, location={"de": d.location["de"]}) for d in config.devices)
    return replace(config, learning=replace(config.learning, help_text=help_text), devices=devices)


@pytest.fixture
def kiosk(qtbot: QtBot, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[KioskApp]:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    with shown_kiosk(qtbot, partly_translated(load_config(resources.DEMO_CONFIG)), data_dir) as app:
        yield app


def laid_out(label: QLabel) -> tuple[QTextLayout, str]:
    """The label's text laid out as the label paints plain text: in the label's direction, a
    line break as a line separator, wrapped at the label's width."""
    text = label.text().replace("\n", "\u2028")
    layout = QTextLayout(text, label.font())
    option = QTextOption()
    option.setTextDirection(label.layoutDirection())
    option.setWrapMode(QTextOption.WrapMode.WordWrap)
    layout.setTextOption(option)
    layout.beginLayout()
    while (line := layout.createLine()).isValid():
        line.setLineWidth(label.contentsRect().width())
    layout.endLayout()
    return layout, text


def x_of(layout: QTextLayout, index: int) -> float:
    """Where the character at ``index`` is drawn, from the left edge."""
    runs = layout.glyphRuns(index, 1)
    assert runs, f"nothing drawn for character {index}"
    return min(run.boundingRect().left() for run in runs)


def finish_course(kiosk: KioskApp, language: str) -> None:
    window = kiosk.window
    window.start_session(language)
    window.open_course(next(iter(window.catalogue)).id)
    lesson = window.lesson
    while not lesson.at_end:
        if lesson.check.isVisible():  # a quiz: answer it, as a visitor must
            lesson.choose_option(0)
            lesson.check.click()
        lesson.go_next()


def help_box(kiosk: KioskApp, first_words: str) -> QLabel:
    """The label on the lesson end that shows the site's help text."""
    found = [
        widget
        for widget in kiosk.window.lesson.findChildren(QLabel)
        if first_words in widget.text() and widget.isVisible()
    ]
    assert len(found) == 1, [widget.text() for widget in found]
    return found[0]


def test_arabic_help_box_keeps_the_english_full_stop_at_its_end(kiosk: KioskApp) -> None:
    finish_course(kiosk, "ar")
    hint = help_box(kiosk, "Digital consultation")
    assert hint.layoutDirection() == Qt.LayoutDirection.RightToLeft  # an Arabic box
    layout, text = laid_out(hint)
    start = text.index("Digital")
    stop = text.index("Probierladen.") + len("Probierladen")
    # The English sentence reads left to right: its first word at its left, its full stop
    # right after its last word (not thrown to the far left of the line by the Arabic box).
    assert x_of(layout, stop) > x_of(layout, stop - 1) > x_of(layout, start)


def test_german_help_box_is_unchanged_to_read(kiosk: KioskApp) -> None:
    finish_course(kiosk, "de")
    hint = help_box(kiosk, "Digitalsprechstunde")
    layout, text = laid_out(hint)
    stop = text.rindex(".")
    assert x_of(layout, stop) > x_of(layout, stop - 1)
    assert text.split("\u2028")[-1].strip("\u2068\u2069").startswith("Digitalsprechstunde")


def test_a_site_location_inside_an_arabic_sentence_is_one_isolated_block(kiosk: KioskApp) -> None:
    window = kiosk.window
    window.start_session("ar")
    window.show_screen(Screen.TRY_DEVICE)
    screen = window.screen_widget(Screen.TRY_DEVICE)
    assert isinstance(screen, BookingScreen)
    service = window.bookings
    assert service is not None
    device = next(d for d in service.visitor_devices() if d.place("ar") == "Tisch 1")
    screen.open_slot(service.next_free(device, service.now(), 1)[0])
    where = screen.confirm_page.location
    assert where.isVisible()
    # "Tisch 1" is the site's German text: isolated, its digit stays after the word in the
    # Arabic line instead of joining the Arabic text's numbers.
    assert "\u2068Tisch 1\u2069" in where.text()
    layout, text = laid_out(where)
    assert x_of(layout, text.index("1")) > x_of(layout, text.index("T"))
