"""Every visitor screen at every text size (WCAG 1.4.4): no text is cut off at 1280×800."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from kiosk import resources
from kiosk.app import KioskApp, build_app
from kiosk.config import load_config
from kiosk.core.session import TEXT_SCALES, EndReason
from kiosk.tour import tour_stops
from kiosk.ui import theme
from kiosk.ui.shell.screens import Timing
from tests.ui.layout_checks import clipped_texts

QUIET = Timing(
    visitor_idle_ms=3_600_000,
    staff_idle_ms=3_600_000,
    warning_ms=30_000,
    notice_ms=3_600_000,
    greeting_ms=3_600_000,
    long_press_ms=3000,
)

# German, Leichte Sprache (the longest texts of all), English (the source), and Arabic (right to
# left, another script with other widths).
LANGUAGES = ("de", "de-x-ls", "en", "ar")

# The tour's stops a visitor sees while a visit runs: the text size belongs to the visit, and the
# attract screen before and after it is always shown at 100 % (tests/ui/test_languages.py).
FIRST_STOP, LAST_STOP = "home", "idle_warning"


@pytest.fixture(scope="module")
def kiosk(qapp: QApplication, tmp_path_factory: pytest.TempPathFactory) -> Iterator[KioskApp]:
    """One kiosk for every size and language: building one costs more than touring it."""
    data_dir = tmp_path_factory.mktemp("kiosk-home")
    hook = sys.excepthook
    app = build_app(
        load_config(resources.DEMO_CONFIG), data_dir, timing=QUIET, open_storage_now=True
    )
    app.window.resize(1280, 800)
    app.window.show()
    QTest.qWaitForWindowExposed(app.window)
    yield app
    sys.excepthook = hook
    app.window.idle.disarm()
    app.window.close()
    app.window.deleteLater()
    QGuiApplication.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    if app.desk.storage is not None:
        app.desk.storage.close()


def visit_stops(kiosk: KioskApp) -> list[tuple[str, Callable[[], None]]]:
    stops = tour_stops(kiosk)
    names = [name for name, _ in stops]
    return stops[names.index(FIRST_STOP) : names.index(LAST_STOP) + 1]


def tour_at(kiosk: KioskApp, language: str, scale_index: int) -> dict[str, list[str]]:
    """One visit in `language` with the text `scale_index` steps larger (tapped on A+ as a
    visitor does); per stop, the texts that do not fit."""
    window = kiosk.window
    problems: dict[str, list[str]] = {}
    for name, go in visit_stops(kiosk):
        go()
        if name == FIRST_STOP:
            window.set_language(language)
            for _ in range(scale_index):
                window.header.larger.click()
            assert kiosk.qt.styleSheet() == theme.stylesheet(TEXT_SCALES[scale_index])
        found = clipped_texts(window)
        if (window.width(), window.height()) != (1280, 800):
            # Content pushed the window past the screen: report it, then measure the next
            # stop at the real size again.
            found.append(f"window grew to {window.width()}x{window.height()}")
            window.resize(1280, 800)
        if found:
            problems[name] = found
    window.end_session(EndReason.IDLE)
    return problems


@pytest.mark.parametrize(
    "scale_index", range(len(TEXT_SCALES)), ids=lambda i: f"{TEXT_SCALES[i]:.0%}"
)
def test_every_visitor_screen_fits_at_every_text_size(kiosk: KioskApp, scale_index: int) -> None:
    cut = [
        f"{language} {stop}: {problem}"
        for language in LANGUAGES
        for stop, problems in tour_at(kiosk, language, scale_index).items()
        for problem in problems
    ]
    assert cut == [], "\n".join(cut)
