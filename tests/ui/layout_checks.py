"""Layout checks shared by the UI tests: is any visible text cut off?"""

from __future__ import annotations

import re

from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QLabel,
    QPushButton,
    QScrollArea,
    QStyle,
    QStyleOptionButton,
    QWidget,
)

_RICH = re.compile(r"<[^>]+>")


def _visible(widget: QWidget) -> bool:
    return widget.isVisible() and widget.width() > 0 and widget.height() > 0


def _button_room(button: QPushButton) -> int:
    option = QStyleOptionButton()
    button.initStyleOption(option)
    rect = button.style().subElementRect(QStyle.SubElement.SE_PushButtonContents, option, button)
    room = rect.width()
    if not button.icon().isNull():
        room -= button.iconSize().width() + 4
    return room


def _label_problem(label: QLabel) -> str | None:
    text = label.text()
    if not text or (label.pixmap() is not None and not label.pixmap().isNull()):
        return None
    plain = _RICH.sub("", text) if label.textFormat() != label.textFormat().PlainText else text
    metrics = label.fontMetrics()
    room = label.contentsRect().width() - 2 * label.margin() - label.indent() * 0
    if label.wordWrap():
        longest = max((metrics.horizontalAdvance(word) for word in plain.split()), default=0)
        if longest > room:
            return f"word of {longest}px in {room}px"
        needed = label.heightForWidth(label.width())
        if needed > label.height() + 1:
            return f"needs {needed}px height, has {label.height()}px"
        return None
    widest = max((metrics.horizontalAdvance(line) for line in plain.splitlines()), default=0)
    if widest > room:
        return f"{widest}px text in {room}px"
    return None


def _outside_scroll_view(widget: QWidget) -> str | None:
    """A widget in a scroll area that reaches past the sides of the view (no way to see it:
    the kiosk's scroll areas scroll only up and down)."""
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QScrollArea):
        parent = parent.parentWidget()
    if parent is None:
        return None
    viewport = parent.viewport()
    left = widget.mapTo(viewport, widget.rect().topLeft()).x()
    right = widget.mapTo(viewport, widget.rect().topRight()).x()
    if left < 0 or right > viewport.width():
        return f"spans {left}..{right}px of a {viewport.width()}px wide view"
    return None


def clipped_texts(root: QWidget) -> list[str]:
    """Every visible label or button under `root` whose text does not fit, described.

    Pending layout work runs first: what counts is what the next frame shows.
    """
    for _ in range(5):  # a layout change may post the next one (scroll area → page → label)
        QTest.qWait(2)
    problems = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not _visible(widget):
            continue
        problem: str | None = None
        if isinstance(widget, QPushButton) and widget.text():
            shown = widget.text().replace("&&", "&")  # a button shows "&&" as one "&"
            metrics = widget.fontMetrics()
            widest = max(metrics.horizontalAdvance(line) for line in shown.splitlines())
            room = _button_room(widget)
            if widest > room:
                problem = f"{widest}px text in {room}px"
        elif isinstance(widget, QLabel):
            problem = _label_problem(widget) or _outside_scroll_view(widget)
        elif isinstance(widget, QAbstractButton):
            continue
        if problem:
            problems.append(
                f"{type(widget).__name__} {widget.objectName()!r} {widget.text()!r}: {problem}"
            )
    return problems
