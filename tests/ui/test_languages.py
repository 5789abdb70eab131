"""Every screen in every language (and the pseudo-locale): texts change, nothing is cut off,
right-to-left mirrors."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QStyle, QWidget
from pytestqt.qtbot import QtBot

from kiosk import resources
from kiosk.app import KioskApp, build_app
from kiosk.config import load_config
from kiosk.core.i18n import LANGUAGE_CODES
from kiosk.tour import tour_stops
from kiosk.ui.shell.screens import VISITOR_SCREENS, Screen, Timing
from tests.ui.layout_checks import clipped_texts

QUIET = Timing(
    visitor_idle_ms=3_600_000,
    staff_idle_ms=3_600_000,
    warning_ms=30_000,
    notice_ms=3_600_000,
    greeting_ms=3_600_000,
    long_press_ms=3000,
)


@pytest.fixture
def kiosk(qtbot: QtBot, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[KioskApp]:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    app = build_app(
        load_config(resources.DEMO_CONFIG), data_dir, timing=QUIET, open_storage_now=True
    )
    app.window.resize(1280, 800)
    app.window.show()
    qtbot.waitExposed(app.window)
    yield app
    app.translator.set_pseudo(False)
    app.window.close()
    app.window.deleteLater()
    QGuiApplication.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    if app.desk.storage is not None:
        app.desk.storage.close()


def visible_texts(root: QWidget) -> list[str]:
    return [
        w.text()
        for w in root.findChildren(QWidget)
        if isinstance(w, QLabel | QPushButton) and w.isVisible() and w.text()
    ]


def tour(kiosk: KioskApp, language: str, *, pseudo: bool = False) -> dict[str, list[str]]:
    """Visit every screen in one language; per screen, the texts that do not fit."""
    window = kiosk.window
    problems: dict[str, list[str]] = {}
    kiosk.translator.set_pseudo(pseudo)
    for name, go in tour_stops(kiosk):
        go()
        if window.current_screen in VISITOR_SCREENS and kiosk.translator.current.code != language:
            window.set_language(language)
        found = clipped_texts(window)
        if (window.width(), window.height()) != (1280, 800):  # content must fit, not push
            found.append(f"window grew to {window.width()}x{window.height()}")
        if found:
            problems[name] = found
    return problems


@pytest.mark.parametrize("language", [*LANGUAGE_CODES, "pseudo"])
def test_every_screen_fits_in_every_language(kiosk: KioskApp, language: str) -> None:
    pseudo = language == "pseudo"
    assert tour(kiosk, "en" if pseudo else language, pseudo=pseudo) == {}


def test_every_visitor_screen_changes_its_texts_with_the_language(kiosk: KioskApp) -> None:
    window = kiosk.window
    names = {language.native_name for language in kiosk.translator.languages}
    unchanged: list[str] = []
    for name, go in tour_stops(kiosk):
        go()
        if window.current_screen not in VISITOR_SCREENS:
            continue
        window.set_language("de")
        german = set(visible_texts(window)) - names
        for code in LANGUAGE_CODES[1:]:
            window.set_language(code)
            texts = set(visible_texts(window))
            if set(texts) - names == german:
                unchanged.append(f"{name} in {code}")
            # Each language keeps its own name, in its own script: all in the home screen's bar,
            # the current one on the language button of every other screen.
            current = {window.header.language_button.text()}
            shown = names if window.current_screen is Screen.HOME else current
            assert shown <= texts, (name, code)
    assert unchanged == []


@pytest.mark.parametrize("language", ["ar", "fa"])
def test_right_to_left_mirrors_the_screens(qtbot: QtBot, kiosk: KioskApp, language: str) -> None:
    window = kiosk.window
    window.start_session(language)
    assert window.layoutDirection() == Qt.LayoutDirection.RightToLeft
    bar = window.header.language_bar.buttons()
    qtbot.waitUntil(lambda: bar["de"].x() > bar["fa"].x(), timeout=1000)
    course = next(iter(window.catalogue))
    window.open_course(course.id)
    window.lesson.go_next()
    lesson = window.lesson
    qtbot.waitUntil(lambda: lesson.back.x() > lesson.next.x(), timeout=1000)
    assert lesson.back.text().startswith("→")  # the back arrow points right
    assert lesson.next.text().endswith("←")
    for widget in (lesson.position, window.home.findChild(QLabel, "title")):
        if widget is None:
            continue
        alignment = QStyle.visualAlignment(widget.layoutDirection(), widget.alignment())
        assert alignment & Qt.AlignmentFlag.AlignRight or widget is lesson.position
    title = window.screen_widget(Screen.LEARN).findChild(QLabel, "title")
    assert title is not None
    window.show_screen(Screen.LEARN)
    visual = QStyle.visualAlignment(title.layoutDirection(), title.alignment())
    assert visual & Qt.AlignmentFlag.AlignRight
    # Codes and numbers stay left to right inside right-to-left text.
    window.show_screen(Screen.RESUME_CARD)
    card = window.screen_widget(Screen.RESUME_CARD)
    assert card.code_label.layoutDirection() == Qt.LayoutDirection.LeftToRight  # type: ignore[attr-defined]
