"""High contrast as visitors see it: the screens, their own style sheets and painted parts take
the high-contrast palette, the text size is kept, and the wipe brings the normal look back."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QEvent, QPoint, QRect, Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from kiosk import resources
from kiosk.app import KioskApp, build_app
from kiosk.config import load_config
from kiosk.core.session import TEXT_SCALES, EndReason
from kiosk.tour import tour_stops
from kiosk.ui import theme
from kiosk.ui.shell.contrast import Contrast
from kiosk.ui.shell.screens import Screen, Timing

QUIET = Timing(
    visitor_idle_ms=3_600_000,
    staff_idle_ms=3_600_000,
    warning_ms=30_000,
    notice_ms=3_600_000,
    greeting_ms=3_600_000,
    long_press_ms=3000,
)
HIGH = theme.HIGH_CONTRAST
NORMAL = theme.NORMAL


@pytest.fixture(scope="module")
def kiosk(qapp: QApplication, tmp_path_factory: pytest.TempPathFactory) -> Iterator[KioskApp]:
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
    theme.apply(qapp, 1.0, high_contrast=False)  # the next test module starts in the normal look


@pytest.fixture
def contrast(kiosk: KioskApp) -> Iterator[Contrast]:
    """The visitor's switch the header's toggle drives; every test starts a fresh visit."""
    kiosk.window.end_session(EndReason.IDLE)
    kiosk.window.start_session("en")
    yield kiosk.window.access.contrast
    kiosk.window.end_session(EndReason.IDLE)


def settle(kiosk: KioskApp) -> None:
    for _ in range(3):
        kiosk.qt.processEvents()


def hex_of(image: QImage, point: QPoint) -> str:
    return QColor(image.pixel(point)).name().upper()


def shown(kiosk: KioskApp, name: str) -> QLabel:
    """The visible label called `name` on the screen shown now."""
    screen = kiosk.window.stack.currentWidget()
    assert screen is not None
    labels = [w for w in screen.findChildren(QLabel, name) if w.isVisible() and w.text()]
    assert labels, f"no visible {name} label"
    return labels[0]


def colours_of(kiosk: KioskApp, widget: QWidget) -> tuple[str, str]:
    """(background, text) of a label as drawn in the window: the colour at its top corner, and
    the darkest colour of its glyphs (their stems are drawn in the text colour itself)."""
    image = kiosk.window.grab().toImage()
    ratio = image.devicePixelRatio()
    box = QRect(widget.mapTo(kiosk.window, QPoint(0, 0)), widget.size())
    pixels = [
        QPoint(round(x * ratio), round(y * ratio))
        for y in range(box.top(), box.bottom(), 1)
        for x in range(box.left(), box.right(), 2)
    ]
    darkest = min(pixels, key=lambda p: QColor(image.pixel(p)).lightness())
    corner = QPoint(round((box.left() + 1) * ratio), round((box.top() + 1) * ratio))
    return hex_of(image, corner), hex_of(image, darkest)


def test_switching_recolours_the_home_and_the_lesson_screen(
    kiosk: KioskApp, contrast: Contrast
) -> None:
    title = shown(kiosk, "title")
    assert colours_of(kiosk, title) == (NORMAL.background, NORMAL.text)
    changes: list[bool] = []
    contrast.changed.connect(changes.append)
    contrast.set_high(True)
    settle(kiosk)
    assert contrast.high and changes == [True]
    assert colours_of(kiosk, title) == (HIGH.background, HIGH.text)
    courses = list(kiosk.window.catalogue)
    kiosk.window.open_course(courses[0].id)
    settle(kiosk)
    assert kiosk.window.current_screen == Screen.LESSON
    assert colours_of(kiosk, shown(kiosk, "stepBody")) == (HIGH.background, HIGH.text)


def _style_colours(kiosk: KioskApp) -> dict[str, set[str]]:
    """Every #colour of the app's style sheet and of each widget's own, by where it is."""
    sheets = {"app": kiosk.qt.styleSheet()}
    for widget in kiosk.window.findChildren(QWidget):
        if widget.styleSheet():
            sheets[f"{type(widget).__name__}#{widget.objectName()}"] = widget.styleSheet()
    return {
        where: {c.upper() for c in re.findall(r"#[0-9A-Fa-f]{6}\b", sheet)}
        for where, sheet in sheets.items()
    }


def test_every_visitor_screen_and_its_own_style_sheets_follow_the_switch(
    kiosk: KioskApp, contrast: Contrast
) -> None:
    """Through a whole visit (learn, a quiz after its answer, booking slots, the booked code,
    "My booking"), no style sheet keeps a colour of the normal look."""
    palette_colours = {c.upper() for c in vars(HIGH).values() if str(c).startswith("#")}
    stops = tour_stops(kiosk)
    names = [name for name, _ in stops]
    visit = stops[names.index("learn") : names.index("booking_lookup") + 1]
    for _name, go in visit:  # every screen built before the switch, as in a real visit
        go()
    contrast.set_high(True)
    leftovers: dict[str, dict[str, set[str]]] = {}
    seen: set[str] = set()
    for name, go in visit:
        go()
        settle(kiosk)
        assert contrast.high, f"{name} turned high contrast off"
        for where, used in _style_colours(kiosk).items():
            seen.add(where)
            if used - palette_colours:
                leftovers.setdefault(name, {})[where] = used - palette_colours
    assert leftovers == {}
    # The sheets of their own that were looked at: the booking pages, the header, the overlays.
    assert {"BookingScreen#booking", "VisitorHeader#header"} <= seen


def test_painted_parts_follow_the_switch(kiosk: KioskApp, contrast: Contrast) -> None:
    """The globe of the language button is drawn in the palette's primary colour, and the
    scroll cue's fade is painted in the page colour shown."""
    kiosk.window.show_screen(Screen.LEARN)
    contrast.set_high(True)
    settle(kiosk)
    globe = kiosk.window.header.language_button.icon().pixmap(28).toImage()
    drawn = {
        QColor(globe.pixel(x, y)).name().upper()
        for y in range(globe.height())
        for x in range(globe.width())
        if QColor(globe.pixelColor(x, y)).alpha() == 255
    }
    assert HIGH.primary in drawn and NORMAL.primary not in drawn
    fades = [w for w in kiosk.window.findChildren(QWidget, "scrollFade") if w.isVisible()]
    assert fades, "the catalogue should go on below at 1280×800"
    fade = fades[0].grab().toImage()
    assert QColor(fade.pixel(2, fade.height() - 2)).name().upper() == HIGH.background
    contrast.set_high(False)
    settle(kiosk)
    fade = fades[0].grab().toImage()
    assert QColor(fade.pixel(2, fade.height() - 2)).name().upper() == NORMAL.background


def test_high_contrast_keeps_the_text_size_and_the_wipe_returns_to_normal(
    kiosk: KioskApp, contrast: Contrast
) -> None:
    window = kiosk.window
    window.header.larger.click()
    contrast.set_high(True)
    assert kiosk.qt.styleSheet() == theme.stylesheet(TEXT_SCALES[1], high_contrast=True)
    window.header.larger.click()  # a text size chosen in high contrast stays high contrast
    assert kiosk.qt.styleSheet() == theme.stylesheet(TEXT_SCALES[2], high_contrast=True)
    window.end_session(EndReason.IDLE)
    assert not contrast.high and theme.colours() is NORMAL
    assert kiosk.qt.styleSheet() == theme.stylesheet(TEXT_SCALES[0])
    window.start_session("en")
    settle(kiosk)
    assert colours_of(kiosk, shown(kiosk, "title")) == (NORMAL.background, NORMAL.text)


def test_the_switch_tells_only_real_changes(kiosk: KioskApp, contrast: Contrast) -> None:
    changes: list[bool] = []
    contrast.changed.connect(changes.append)
    contrast.set_high(True)
    contrast.set_high(True)
    contrast.set_high(False)
    contrast.set_high(False)
    assert changes == [True, False]
