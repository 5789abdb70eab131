"""Persian screens write every number with Persian digits (counts, dates, times, steps, scores,
the idle countdown); booking and resume codes stay Latin on every screen. Checked over every
screen of the tour, with everything a visitor can see or hear: labels, buttons, the window's
texts and the accessible names and descriptions of painted widgets."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QLabel,
    QLineEdit,
    QListWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot

from kiosk import resources
from kiosk.app import KioskApp, build_app
from kiosk.config import load_config
from kiosk.core.staff_auth import EVENT_LOGIN
from kiosk.tour import tour_stops
from kiosk.ui.shell.screens import Timing

QUIET = Timing(
    visitor_idle_ms=3_600_000,
    staff_idle_ms=3_600_000,
    warning_ms=30_000,
    notice_ms=3_600_000,
    greeting_ms=3_600_000,
    long_press_ms=3000,
)
ASCII_DIGIT = re.compile(r"[0-9]")
OTHER_DIGITS = re.compile(r"[\u0660-\u0669\u06f0-\u06f9]")  # Arabic-Indic and Persian
# A Latin word with letters and digits is a name or a code ("K7PM-R3X", "A4", "F1"), not a number.
LATIN_NAME = re.compile(r"(?<![A-Za-z0-9-])(?=[A-Za-z0-9-]*[A-Za-z])[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*")
TAGS = re.compile(r"<[^>]*>")


def is_code(widget: QWidget) -> bool:
    """Widgets showing a booking or resume code say so (read aloud letter by letter); the keys
    of the on-screen keyboard type the Latin characters of codes."""
    if widget.objectName().startswith("keyboard"):
        return True
    return bool(widget.property("spell")) or bool(widget.property("code"))


def item_texts(view: QAbstractItemView) -> list[str]:
    """The text of every row of a list view (first column), as the view shows it."""
    model = view.model()
    texts = [model.index(row, 0, view.rootIndex()).data() for row in range(model.rowCount())]
    return [text for text in texts if isinstance(text, str)]


def shown_texts(window: QWidget) -> tuple[list[tuple[str, str]], list[str]]:
    """(where, text) of everything visible that is not a code, and the texts of the codes."""
    texts: list[tuple[str, str]] = [("window title", window.windowTitle())]
    codes: list[str] = []
    for widget in window.findChildren(QWidget):
        if not widget.isVisible():
            continue
        own: list[str] = [widget.accessibleName(), widget.accessibleDescription(), widget.toolTip()]
        if isinstance(widget, QLabel):
            own.append(TAGS.sub(" ", widget.text()))
        elif isinstance(widget, QAbstractButton):
            own.append(widget.text())
        elif isinstance(widget, QLineEdit):
            own += [widget.text(), widget.placeholderText()]
        elif isinstance(widget, QAbstractItemView) and widget.model() is not None:
            own += item_texts(widget)  # a QListWidget's or QListView's rows (the staff log)
        where = f"{type(widget).__name__} {widget.objectName()!r}"
        if is_code(widget):
            codes += [text for text in own if text]
        else:
            texts += [(where, text) for text in own if text]
    return texts, codes


def wrong_digits(texts: list[tuple[str, str]], persian: bool) -> list[str]:
    """The texts written with another digit system than the language's."""
    wrong = ASCII_DIGIT if persian else OTHER_DIGITS
    return [f"{where}: {text!r}" for where, text in texts if wrong.search(LATIN_NAME.sub("", text))]


@pytest.fixture
def kiosk(qtbot: QtBot, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[KioskApp]:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    app = build_app(
        load_config(resources.DEMO_CONFIG), data_dir, timing=QUIET, open_storage_now=True
    )
    app.desk.record(EVENT_LOGIN)  # the terminal overview's staff log has an entry to show
    app.window.resize(1280, 800)
    app.window.show()
    qtbot.waitExposed(app.window)
    yield app
    app.window.close()
    app.window.deleteLater()
    QGuiApplication.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    if app.desk.storage is not None:
        app.desk.storage.close()


@pytest.mark.parametrize("language", ["fa", "ar", "de"])
def test_every_screen_writes_numbers_in_one_digit_system(kiosk: KioskApp, language: str) -> None:
    """Persian: Persian digits only; Arabic (Latin digits, as CLDR's default numbering for
    'ar') and German: Latin only. Codes are Latin in every language."""
    window = kiosk.window
    found: dict[str, list[str]] = {}
    codes_seen: list[str] = []
    for name, go in tour_stops(kiosk):
        go()
        window.set_language(language)  # a stop may start or end a session
        QApplication.processEvents()
        texts, codes = shown_texts(window)
        problems = wrong_digits(texts, persian=language == "fa")
        problems += [f"code not Latin: {code!r}" for code in codes if OTHER_DIGITS.search(code)]
        codes_seen += codes
        if problems:
            found[name] = problems
    assert found == {}, "\n".join(f"{n}: {p}" for n, ps in found.items() for p in ps)
    assert codes_seen  # the booked page and the resume card show their codes


def test_the_check_sees_a_latin_number_on_a_persian_screen(qtbot: QtBot) -> None:
    """The check itself: a Latin count fails, a Persian one and a code pass."""
    window = QWidget()
    qtbot.addWidget(window)
    count = QLabel("۱۲ دقیقه", window)
    code = QLabel("K7PM-R3XQ", window)
    code.setProperty("spell", True)
    window.show()
    texts, codes = shown_texts(window)
    assert wrong_digits(texts, persian=True) == []
    assert codes == ["K7PM-R3XQ"]
    count.setText("12 دقیقه")
    assert wrong_digits(shown_texts(window)[0], persian=True) == ["QLabel '': '12 دقیقه'"]
    count.setText("کد شما K7PM-R3XQ است")  # a code inside a sentence stays Latin
    assert wrong_digits(shown_texts(window)[0], persian=True) == []
    count.setText("کد رزرو شما: 373-H7Y")  # also when it starts with digits
    assert wrong_digits(shown_texts(window)[0], persian=True) == []
    count.setText("ساعت 10:30")  # a time with Latin digits is not a code
    assert wrong_digits(shown_texts(window)[0], persian=True) == ["QLabel '': 'ساعت 10:30'"]
    count.setText("")
    rows = QListWidget(window)  # a list's rows count too (the staff log)
    rows.addItem("۷ دسامبر ۲۰۲۶ ۱۷:۰۱  ورود کارکنان")
    rows.show()
    assert wrong_digits(shown_texts(window)[0], persian=True) == []
    rows.addItem("2026-12-07 17:01  ورود کارکنان")
    assert wrong_digits(shown_texts(window)[0], persian=True) == [
        "QListWidget '': '2026-12-07 17:01  ورود کارکنان'"
    ]
