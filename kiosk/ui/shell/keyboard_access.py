"""Keyboard and switch access for every button: Enter activates it, arrow keys move through grids.

Some terminals have a keyboard or a switch device instead of (or beside) the touch screen. Qt's
push buttons answer Space but not Enter outside dialogs, and arrow keys move only between
radio-like buttons; tiles, answer choices, days and times are laid out in rows and grids, where
a visitor expects the arrows to move to the neighbour they see in that direction.
"""

from __future__ import annotations

from typing import cast

from PySide6.QtCore import QEvent, QObject, QPoint, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget
from shiboken6 import isValid

ACTIVATE_KEYS = frozenset({Qt.Key.Key_Return, Qt.Key.Key_Enter})
# Direction of each arrow key on the screen as (dx, dy): the widgets are where they are drawn,
# so a mirrored (right-to-left) page needs no flipping.
ARROWS = {
    Qt.Key.Key_Left: (-1, 0),
    Qt.Key.Key_Right: (1, 0),
    Qt.Key.Key_Up: (0, -1),
    Qt.Key.Key_Down: (0, 1),
}


def _centre(widget: QWidget) -> QPoint:
    return widget.mapToGlobal(widget.rect().center())


def _reachable(widget: QWidget) -> bool:
    # Any focus policy but none: Qt takes Tab away from the unchosen buttons of an exclusive
    # group (only the chosen one is a Tab stop), and the arrows are how one reaches the others.
    return (
        widget.isVisible() and widget.isEnabled() and widget.focusPolicy() != Qt.FocusPolicy.NoFocus
    )


def neighbour(button: QAbstractButton, dx: int, dy: int) -> QWidget | None:
    """The reachable button beside ``button`` in its group (same parent) nearest in direction
    (dx, dy), or None at the edge of the group."""
    parent = button.parentWidget()
    if parent is None:
        return None
    here = _centre(button)
    best: tuple[int, QWidget] | None = None
    for other in parent.findChildren(
        QAbstractButton, options=Qt.FindChildOption.FindDirectChildrenOnly
    ):
        if other is button or not _reachable(other):
            continue
        there = _centre(other)
        along = (there.x() - here.x()) * dx + (there.y() - here.y()) * dy
        if along <= 0:
            continue
        across = abs((there.x() - here.x()) * dy) + abs((there.y() - here.y()) * dx)
        # Straight ahead wins over diagonal: a step across counts double.
        score = along + 2 * across
        if best is None or score < best[0]:
            best = (score, other)
    return best[1] if best is not None else None


# What a touch (or a mouse) does; a key press makes the keyboard the way in again.
POINTER_EVENTS = frozenset({QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin})


class KeyboardAccess(QObject):
    """Watches the application's key presses and lends buttons Enter and the arrow keys; keeps a
    touch from leaving a focus ring behind on a button nobody chose."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.setObjectName("keyboardAccess")
        self._watching = False
        self._by_touch = False  # the last input was a touch, not a key

    @property
    def watching(self) -> bool:
        """True once the key presses are watched."""
        return self._watching

    def watch(self) -> None:
        """Start watching the key presses (once). Called after the first frame, with the other
        input watchers (MainWindow.watch_input): an application-wide Python event filter makes
        Qt wrap every object and event type it delivers, some 20 ms and 3 MiB before the first
        frame, and no key is pressed before the kiosk is shown."""
        app = QApplication.instance()
        if app is not None and not self._watching:
            self._watching = True
            app.installEventFilter(self)
            cast(QApplication, app).focusChanged.connect(self._focus_moved)

    def _focus_moved(self, old: QWidget | None, new: QWidget | None) -> None:
        # A tapped button that goes with its page hands its focus to the next in the chain (the
        # header's A+, say), whose ring then looks chosen. After a touch nobody chose it: the
        # focus goes. With a keyboard it stays, visible, where Qt put it.
        if not self._by_touch or old is None or new is None or not isValid(old):
            return
        if not old.isVisible() and isinstance(new, QAbstractButton):
            new.clearFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in POINTER_EVENTS:
            self._by_touch = True
            return False
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        self._by_touch = False
        # The application sees each press once per widget it passes: act at the focus only.
        if watched is not QApplication.focusWidget() or not isinstance(watched, QAbstractButton):
            return False
        if event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            return False
        key = Qt.Key(event.key())
        if key in ACTIVATE_KEYS:
            if watched.isEnabled():
                watched.click()
            return True
        if key in ARROWS:
            target = neighbour(watched, *ARROWS[key])
            if target is not None:
                # Not TabFocusReason: Tab skips the unchosen buttons of an exclusive group (the
                # language buttons, the view chips) and would pass the focus on from there.
                target.setFocus(Qt.FocusReason.OtherFocusReason)
                return True
        return False
