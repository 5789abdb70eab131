"""The "more below" cue: shown while a page goes on below, buttons that scroll, touches pass."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)
from pytestqt.qtbot import QtBot

from kiosk.ui import theme
from kiosk.ui.parts.scroll_cue import ScrollCue, attach_scroll_cue

LEFT = Qt.MouseButton.LeftButton


@pytest.fixture(autouse=True)
def themed(qapp: QApplication) -> Iterator[None]:
    """The kiosk's style sheet, which gives the bar its column for the buttons."""
    before = qapp.styleSheet()
    theme.apply(qapp)
    yield
    qapp.setStyleSheet(before)


def page(qtbot: QtBot, rows: int, *, rtl: bool = False) -> tuple[QScrollArea, ScrollCue, QWidget]:
    area = QScrollArea()
    qtbot.addWidget(area)
    area.setWidgetResizable(True)
    area.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
    if rtl:
        area.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
    content = QWidget()
    layout = QVBoxLayout(content)
    for row in range(rows):
        layout.addWidget(QPushButton(f"Row {row}", content))
    layout.addStretch(1)
    words = {"More below": "Mehr unten", "Scroll up": "Nach oben", "Scroll down": "Nach unten"}
    cue = attach_scroll_cue(area, lambda text: words.get(text, text))
    area.setWidget(content)
    area.resize(700, 500)
    area.show()
    qtbot.waitExposed(area)
    return area, cue, content


def test_a_page_that_goes_on_below_shows_the_fade_label_and_buttons(qtbot: QtBot) -> None:
    area, cue, _content = page(qtbot, rows=30)
    qtbot.waitUntil(lambda: area.verticalScrollBar().maximum() > 0)
    assert cue.fade.isVisible()
    assert cue.fade.label.text() == "Mehr unten ↓"
    assert cue.up.isVisible() and cue.down.isVisible()
    assert cue.down.isEnabled() and not cue.up.isEnabled()  # at the top: nothing above
    # The fade lies along the bottom edge of the visible page.
    viewport = area.viewport()
    assert cue.fade.geometry().bottom() == viewport.height() - 1
    assert cue.fade.width() == viewport.width()
    for button in (cue.up, cue.down):
        assert min(button.width(), button.height()) >= 48
    assert (cue.up.accessibleName(), cue.down.accessibleName()) == ("Nach oben", "Nach unten")


def test_a_page_that_fits_shows_no_cue(qtbot: QtBot) -> None:
    area, cue, _content = page(qtbot, rows=2)
    assert area.verticalScrollBar().maximum() == 0
    assert not cue.fade.isVisible()
    assert not cue.up.isVisible() and not cue.down.isVisible()


def handle_pixels(area: QScrollArea) -> int:
    """How many pixels of the bar's column are drawn in the handle's colour."""
    image = area.verticalScrollBar().grab().toImage()
    handle = QColor(theme.SCROLL_HANDLE).rgb()
    return sum(
        image.pixel(x, y) == handle for x in range(image.width()) for y in range(image.height())
    )


def test_the_bar_shows_a_handle_only_while_the_page_scrolls(qtbot: QtBot) -> None:
    """The column stays (its width never changes), but a page that fits shows no handle: a
    full-length bar in the primary colour would look like a control with nothing to do."""
    fits, _cue, _content = page(qtbot, rows=2)
    assert handle_pixels(fits) == 0
    goes_on, _cue, _content = page(qtbot, rows=30)
    qtbot.waitUntil(lambda: goes_on.verticalScrollBar().maximum() > 0)
    assert handle_pixels(goes_on) > 100


def test_a_tap_on_down_moves_most_of_a_page_and_up_comes_back(qtbot: QtBot) -> None:
    area, cue, _content = page(qtbot, rows=30)
    bar = area.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)
    qtbot.mouseClick(cue.down, LEFT)
    moved = bar.value()
    assert 0.7 * area.viewport().height() <= moved < area.viewport().height()
    assert cue.up.isEnabled()
    qtbot.mouseClick(cue.up, LEFT)
    assert bar.value() == 0


def test_at_the_bottom_the_fade_goes_and_down_is_disabled(qtbot: QtBot) -> None:
    area, cue, _content = page(qtbot, rows=30)
    bar = area.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)
    bar.setValue(bar.maximum())
    assert not cue.fade.isVisible()
    assert not cue.down.isEnabled() and cue.up.isEnabled()


def test_the_fade_lets_a_touch_through_to_the_button_under_it(qtbot: QtBot) -> None:
    area, cue, content = page(qtbot, rows=30)
    qtbot.waitUntil(lambda: cue.fade.isVisible())
    point = QPoint(cue.fade.width() // 4, cue.fade.height() // 2)
    in_viewport = cue.fade.mapTo(area.viewport(), point)
    under = area.viewport().childAt(in_viewport)
    assert under is not None and under is not cue.fade and not cue.fade.isAncestorOf(under)
    button = under if isinstance(under, QPushButton) else under.parentWidget()
    assert isinstance(button, QPushButton) and content.isAncestorOf(button)
    # Through the window, as a real touch comes: Qt finds the widget under the point.
    window = area.windowHandle()
    in_window = area.viewport().mapTo(area, in_viewport)
    with qtbot.waitSignal(button.clicked, timeout=1000):
        QTest.mouseClick(window, LEFT, Qt.KeyboardModifier.NoModifier, in_window)


def test_the_buttons_never_lie_over_the_page(qtbot: QtBot) -> None:
    """They sit in the scroll bar's column: on the right, and on the left in Arabic."""
    for rtl in (False, True):
        area, cue, _content = page(qtbot, rows=30, rtl=rtl)
        viewport = area.viewport().geometry()
        for button in (cue.up, cue.down):
            box = button.rect().translated(button.mapTo(area, QPoint(0, 0)))
            assert not box.intersects(viewport)
            assert (box.left() < viewport.left()) == rtl


def test_the_label_follows_a_language_change(qtbot: QtBot) -> None:
    area, cue, _content = page(qtbot, rows=30)
    words = {"More below": "المزيد في الأسفل"}
    cue._gettext = lambda text: words.get(text, text)
    QApplication.sendEvent(area, QEvent(QEvent.Type.LanguageChange))
    assert cue.fade.label.text() == "المزيد في الأسفل ↓"


def test_the_fade_makes_way_while_a_field_on_the_page_is_typed_into(qtbot: QtBot) -> None:
    area, cue, content = page(qtbot, rows=30)
    field = QLineEdit(content)
    layout = content.layout()
    assert layout is not None
    layout.addWidget(field)
    field.show()
    qtbot.waitUntil(lambda: cue.fade.isVisible())
    area.activateWindow()
    field.setFocus(Qt.FocusReason.OtherFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is field)
    qtbot.waitUntil(lambda: not cue.fade.isVisible())
    assert cue.down.isVisible()  # the buttons still say that the page goes on
    content.setFocus()
    qtbot.waitUntil(lambda: cue.fade.isVisible())
