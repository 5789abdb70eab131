"""Layout checks shared by the UI tests: is any visible text cut off?"""

from __future__ import annotations

import re

from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLabel,
    QPushButton,
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


def clipped_texts(root: QWidget) -> list[str]:
    """Every visible label or button under `root` whose text does not fit, described.

    Pending layout work runs first: what counts is what the next frame shows.
    """
    for _ in range(3):  # a layout change may post the next one (scroll area → page → label)
        QApplication.processEvents()
    problems = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not _visible(widget):
            continue
        problem: str | None = None
        if isinstance(widget, QPushButton) and widget.text():
            widest = max(
                widget.fontMetrics().horizontalAdvance(line) for line in widget.text().splitlines()
            )
            room = _button_room(widget)
            if widest > room:
                problem = f"{widest}px text in {room}px"
        elif isinstance(widget, QLabel):
            problem = _label_problem(widget)
        elif isinstance(widget, QAbstractButton):
            continue
        if problem:
            problems.append(
                f"{type(widget).__name__} {widget.objectName()!r} {widget.text()!r}: {problem}"
            )
    return problems
