"""The parts of a painted widget as screen-reader children: each booking, cell or bar on its own.

A painted widget (the desk's timeline, the week grid, a chart) is one QWidget, so a screen
reader sees one element and hears its whole content as one description. A widget that lists
its parts (``accessible_parts()``: a role, words and a rectangle each, and what a tap on it does)
gets children a screen reader can move through, read one by one and press.

Lifetime: Qt keeps raw pointers to interfaces, and an interface made in Python is deleted with
its last Python reference. So every part's interface is registered in Qt's accessibility cache
(``registerAccessibleInterface``, as Qt does with its own table cells) and held in ``_ALIVE`` for
exactly as long as the cache has it: it leaves the cache (``deleteAccessibleInterface``, which
deletes it) when the part disappears, the widget is destroyed or the program ends, and only then
is the Python reference dropped. Parts are rebuilt lazily after
``parts_changed`` (or a new size or direction), keeping the interface of a part whose key stays;
an interface held from before answers with the part as it is now, or is invalid once it is gone.
"""

from __future__ import annotations

import atexit
import weakref
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar, cast

import shiboken6
from PySide6.QtCore import QPoint, QRect, QSize, Qt, QTimer
from PySide6.QtGui import (
    QAccessible,
    QAccessibleActionInterface,
    QAccessibleEvent,
    QAccessibleInterface,
)
from PySide6.QtWidgets import QAccessibleWidget, QWidget

PRESS = QAccessibleActionInterface.pressAction()
_ALIVE: dict[int, PartAccessible] = {}  # cache id → interface, while the cache holds it
_CACHE_ATTRIBUTE = "_accessible_part_cache"
_W = TypeVar("_W", bound=QWidget)


@dataclass(frozen=True)
class Part:
    """One thing a painted widget shows, as a screen reader should know it."""

    key: Hashable  # the same thing keeps its key when the content is refreshed
    role: QAccessible.Role
    name: str
    rect: QRect  # in the widget's coordinates, as drawn (mirrored in right-to-left languages)
    description: str = ""
    press: Callable[[], None] | None = None  # what a tap on it does; None: it cannot be tapped
    selected: bool = False
    focused: bool = False


class PaintedParts(Protocol):
    """A widget whose painted content has parts."""

    def accessible_parts(self) -> Sequence[Part]: ...


def pressing(widget: _W, action: Callable[[_W], object]) -> Callable[[], None]:
    """A part's press: ``action(widget)`` while the widget lives. The part holds the widget
    weakly, so a part a screen reader still holds never keeps a deleted screen's widget alive."""
    ref = weakref.ref(widget)

    def press() -> None:
        alive = ref()
        if alive is not None and shiboken6.isValid(alive):
            action(alive)

    return press


def has_parts(widget: QWidget) -> bool:
    return callable(getattr(widget, "accessible_parts", None))


def _void(address: int) -> shiboken6.VoidPtr:
    # interface_cast returns a void*: a plain Python int here would be taken for an object.
    return shiboken6.VoidPtr(address)


class PartAccessible(QAccessibleInterface, QAccessibleActionInterface):
    """One part of a painted widget: its role, words, place and (if tappable) the press action.

    Qt takes None for a null pointer, which the type stubs do not allow: hence the ignores.
    """

    def __init__(self, widget: QWidget, part: Part) -> None:
        QAccessibleInterface.__init__(self)
        QAccessibleActionInterface.__init__(self)
        # Weak: the cache (not Python) decides when this object dies, and it must not keep a
        # parentless widget alive.
        self._widget = weakref.ref(widget)
        self.part = part
        self.dropped = False

    def _live_widget(self) -> QWidget | None:
        widget = self._widget()
        if self.dropped or widget is None or not shiboken6.isValid(widget):
            return None
        return widget

    def _current(self) -> Part:
        """The part as the widget shows it now (a screen reader may hold this interface and ask
        it again after the content changed)."""
        widget = self._live_widget()
        if widget is not None:
            part_interfaces(widget)
        return self.part

    # -- QAccessibleInterface ---------------------------------------------------------------

    def isValid(self) -> bool:
        return self._live_widget() is not None

    def object(self) -> None:  # type: ignore[override]
        return None

    def window(self) -> None:  # type: ignore[override]
        return None

    def parent(self) -> QAccessibleInterface | None:  # type: ignore[override]
        widget = self._live_widget()
        return QAccessible.queryAccessibleInterface(widget) if widget is not None else None

    def child(self, index: int) -> None:  # type: ignore[override]
        return None

    def childCount(self) -> int:
        return 0

    def indexOfChild(self, child: QAccessibleInterface) -> int:
        return -1

    def childAt(self, x: int, y: int) -> None:  # type: ignore[override]
        return None

    def focusChild(self) -> None:  # type: ignore[override]
        return None

    def text(self, kind: QAccessible.Text) -> str:
        if kind == QAccessible.Text.Name:
            return self._current().name
        if kind == QAccessible.Text.Description:
            return self._current().description
        return ""

    def setText(self, kind: QAccessible.Text, text: str) -> None:
        pass  # painted content is not edited through a screen reader

    def rect(self) -> QRect:
        widget = self._live_widget()
        if widget is None:
            return QRect()
        rect = self._current().rect
        return QRect(widget.mapToGlobal(rect.topLeft()), rect.size())

    def role(self) -> QAccessible.Role:
        return self._current().role

    def state(self) -> QAccessible.State:
        state = QAccessible.State()
        widget = self._live_widget()
        if widget is None:
            state.invalid = True
            return state
        part = self._current()
        state.invisible = not widget.isVisible()
        state.focusable = part.press is not None
        state.focused = part.focused and widget.hasFocus()
        state.selectable = part.press is not None
        state.selected = part.selected
        return state

    def interface_cast(self, kind: QAccessible.InterfaceType) -> shiboken6.VoidPtr:  # type: ignore[override]
        if kind == QAccessible.InterfaceType.ActionInterface and self._current().press is not None:
            return _void(shiboken6.getCppPointer(self)[1])
        return _void(0)

    # -- QAccessibleActionInterface ---------------------------------------------------------

    def actionNames(self) -> list[str]:
        return [PRESS] if self._current().press is not None else []

    def doAction(self, name: str) -> None:
        press = self._current().press
        if name == PRESS and press is not None and self._live_widget() is not None:
            press()

    def keyBindingsForAction(self, name: str) -> list[str]:
        return []


class _PartCache:
    """The part interfaces of one widget, rebuilt when its content, size or direction changes."""

    def __init__(self, widget: QWidget) -> None:
        self._widget = weakref.ref(widget)
        self.dirty = True
        self._shape: tuple[QSize, Qt.LayoutDirection] | None = None
        self.interfaces: list[PartAccessible] = []
        self._ids: dict[Hashable, int] = {}
        ids = self._ids
        # The ids, not self: nothing in the slot may need the dying widget.
        widget.destroyed.connect(lambda: _delete(list(ids.values())))

    def refresh(self) -> list[PartAccessible]:
        widget = self._widget()
        if widget is None or not shiboken6.isValid(widget):
            return []
        shape = (widget.size(), widget.layoutDirection())
        if not self.dirty and shape == self._shape:
            return self.interfaces
        self.dirty, self._shape = False, shape
        parts = cast(PaintedParts, widget).accessible_parts()
        old = {iface.part.key: iface for iface in self.interfaces}
        fresh: list[PartAccessible] = []
        for part in parts:
            kept = old.pop(part.key, None)
            if kept is not None:
                kept.part = part
                fresh.append(kept)
            else:
                iface = PartAccessible(widget, part)
                ident = QAccessible.registerAccessibleInterface(iface)
                _ALIVE[ident] = iface
                self._ids[part.key] = ident
                fresh.append(iface)
        gone_ids = []
        for key, gone in old.items():
            gone.dropped = True
            gone_ids.append(self._ids.pop(key))
        if gone_ids:
            # Later, not now: the call that asked may be a method of one of them.
            QTimer.singleShot(0, lambda: _delete(gone_ids))
        self.interfaces = fresh
        return fresh


def _delete(ids: list[int]) -> None:
    for ident in ids:
        if _ALIVE.get(ident) is not None:
            QAccessible.deleteAccessibleInterface(ident)  # deletes it; its wrapper goes invalid
        _ALIVE.pop(ident, None)


@atexit.register
def _delete_all() -> None:
    # Before Python drops its references at exit, or the cache would delete them a second time.
    _delete(list(_ALIVE))


def _cache(widget: QWidget) -> _PartCache:
    cache = getattr(widget, _CACHE_ATTRIBUTE, None)
    if not isinstance(cache, _PartCache):
        cache = _PartCache(widget)
        setattr(widget, _CACHE_ATTRIBUTE, cache)
    return cache


def part_interfaces(widget: QWidget) -> list[PartAccessible]:
    """The current part interfaces of ``widget`` (built or refreshed as needed)."""
    return _cache(widget).refresh()


def parts_changed(widget: QWidget) -> None:
    """The widget's parts changed: rebuild them when next asked, and tell assistive technology."""
    _cache(widget).dirty = True
    if QAccessible.isActive():
        QAccessible.updateAccessibility(QAccessibleEvent(widget, QAccessible.Event.ObjectReorder))


def part_focused(widget: QWidget, key: Hashable) -> None:
    """The keyboard moved to the part with ``key``: a screen reader says it."""
    if not QAccessible.isActive():
        return
    for index, iface in enumerate(part_interfaces(widget)):
        if iface.part.key == key:
            event = QAccessibleEvent(widget, QAccessible.Event.Focus)
            event.setChild(index)
            QAccessible.updateAccessibility(event)
            return


class PaintedAccessible(QAccessibleWidget):
    """A painted widget with its parts as children (the widget's role and words stay its own)."""

    def __init__(self, widget: QWidget, role: QAccessible.Role) -> None:
        super().__init__(widget, role, "")

    def _parts(self) -> list[PartAccessible]:
        widget = self.widget()
        return part_interfaces(widget) if widget is not None else []

    def childCount(self) -> int:
        return len(self._parts())

    def child(self, index: int) -> QAccessibleInterface | None:  # type: ignore[override]
        parts = self._parts()
        return parts[index] if 0 <= index < len(parts) else None

    def indexOfChild(self, child: QAccessibleInterface) -> int:
        for index, iface in enumerate(self._parts()):
            if iface is child:
                return index
        return -1

    def childAt(self, x: int, y: int) -> QAccessibleInterface | None:  # type: ignore[override]
        widget = self.widget()
        if widget is None:
            return None
        point = widget.mapFromGlobal(QPoint(x, y))
        return next((iface for iface in self._parts() if iface.part.rect.contains(point)), None)

    def focusChild(self) -> QAccessibleInterface | None:  # type: ignore[override]
        widget = self.widget()
        if widget is None or not widget.hasFocus():
            return None
        return next((iface for iface in self._parts() if iface.part.focused), None)
