"""Moving through a window without seeing it: its elements in reading order, the next or previous
one, and paging through a scrolling screen.

The elements are what the window says (`reading.screen_utterances`), each with its widget: the
header, the screen and the on-screen keyboard, or only the panel open over them (the end
question, the languages, the idle warning), since nothing beneath a panel can be chosen.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QScrollArea, QWidget

from kiosk.ui.shell.speech.reading import Utterance, screen_utterances

Gettext = Callable[[str], str]
# A page turn scrolls by this share of the view: what was at its bottom is still seen at its top.
PAGE_SHARE = 0.85


def open_panel(central: QWidget) -> QWidget | None:
    """The panel shown over the window's column (the one on top when several are), or None."""
    column = central.layout()
    panels = [
        child
        for child in central.children()
        if isinstance(child, QWidget)
        and not child.isWindow()
        and child.isVisibleTo(central)
        and (column is None or column.indexOf(child) < 0)
    ]
    return panels[-1] if panels else None  # raise_() puts a widget last among its siblings


def elements(central: QWidget, gettext: Gettext) -> list[Utterance]:
    """What can be reached by swiping, in reading order; each utterance has its widget."""
    root = open_panel(central) or central
    return [said for said in screen_utterances(root, gettext) if said.widget is not None]


def target_of(items: Sequence[Utterance], current: QWidget | None, step: int) -> int:
    """The index a move by `step` (1 next, -1 previous) from `current` reaches; outside the
    list at either end. From an element (or a part of one) its neighbour; from a container that
    holds elements (a new screen has the focus) its first element, or the one before it; from
    nothing the first, or the last."""
    if current is not None:
        for index, said in enumerate(items):
            element = said.widget
            if element is current or (element is not None and element.isAncestorOf(current)):
                return index + step
        for index, said in enumerate(items):
            element = said.widget
            if element is not None and current.isAncestorOf(element):
                return index if step > 0 else index - 1
    return 0 if step > 0 else len(items) - 1


def scroll_area_of(widget: QWidget) -> QScrollArea | None:
    """The scroll area around `widget`, if any."""
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QScrollArea):
            return parent
        parent = parent.parentWidget()
    return None


def page_area(root: QWidget, near: QWidget | None) -> QScrollArea | None:
    """The scroll area a page turn scrolls: the one around `near` if it scrolls, else the first
    shown one under `root` that scrolls."""
    around = scroll_area_of(near) if near is not None else None
    if around is not None and around.isVisible() and around.verticalScrollBar().maximum() > 0:
        return around
    for area in root.findChildren(QScrollArea):
        if area.isVisible() and area.verticalScrollBar().maximum() > 0:
            return area
    return None


def page_step(area: QScrollArea) -> int:
    return max(1, int(area.viewport().height() * PAGE_SHARE))


def turn_page(area: QScrollArea, forward: bool) -> None:
    """Scroll by most of the view, down (`forward`) or up."""
    bar = area.verticalScrollBar()
    step = page_step(area)
    bar.setValue(bar.value() + step if forward else bar.value() - step)  # the bar clamps


def page_position(area: QScrollArea | None) -> tuple[int, int]:
    """(page shown, pages) of the scroll area: the last page is where it cannot scroll further."""
    if area is None:
        return 1, 1
    bar = area.verticalScrollBar()
    step = page_step(area)
    total = math.ceil(bar.maximum() / step) + 1
    page = total if bar.value() >= bar.maximum() else min(total, bar.value() // step + 1)
    return page, total


def first_in_view(area: QScrollArea, items: Sequence[Utterance]) -> Utterance | None:
    """The first element wholly in the view (reading it then scrolls nothing), else the first
    whose top is in it (an element taller than the view)."""
    viewport = area.viewport()
    height = viewport.height()
    partly: Utterance | None = None
    for said in items:
        widget = said.widget
        if widget is None or not viewport.isAncestorOf(widget):
            continue
        top = widget.mapTo(viewport, QPoint(0, 0)).y()
        if top >= 0 and top + widget.height() <= height:
            return said
        if partly is None and 0 <= top < height:
            partly = said
    return partly
