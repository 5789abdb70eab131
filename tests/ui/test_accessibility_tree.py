"""The accessibility tree of every screen in every language, as a screen reader walks it:
every interactive element has a name, and painted content says what it is and what it shows,
part by part (each booking, free time, cell and bar a child with words and a place)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QAccessibleActionInterface, QAccessibleInterface
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from kiosk import resources
from kiosk.app import KioskApp
from kiosk.config import load_config
from kiosk.core.i18n import LANGUAGE_CODES
from kiosk.tour import tour_stops
from kiosk.ui.shell.screens import Screen
from kiosk.ui.staff.desk import StaffBookingsScreen
from tests.ui.running_app import shown_kiosk

Role = QAccessible.Role
# What a visitor or staff member operates: each needs a name a screen reader can say.
INTERACTIVE = frozenset(
    {
        Role.PushButton,
        Role.CheckBox,
        Role.RadioButton,
        Role.EditableText,
        Role.ListItem,
        Role.Slider,
        Role.SpinBox,
        Role.ComboBox,
        Role.Link,
        Role.PageTab,
        Role.ButtonMenu,
        Role.ButtonDropDown,
        Role.MenuItem,
        Role.Cell,
    }
)
# Widgets that paint their content: a role that says what they are, and words for what they show.
PAINTED = {
    "DayTimeline": Role.Chart,
    "WeekGrid": Role.Chart,
    "DayBarChart": Role.Chart,
    "RankedBarChart": Role.Chart,
}
VAGUE_ROLES = frozenset({Role.Client, Role.Pane, Role.NoRole})
# The roles of painted parts: the desk's can be pressed as they can be tapped; bars are read.
PART_ROLES = {
    "DayTimeline": {Role.Button},
    "WeekGrid": {Role.ColumnHeader, Role.Cell},
    "DayBarChart": {Role.StaticText},
    "RankedBarChart": {Role.StaticText},
}
ALWAYS_HAS_PARTS = {"DayTimeline", "WeekGrid", "DayBarChart"}  # a ranking may be empty


def part_problems(node: QAccessibleInterface, kind: str, here: str) -> list[str]:
    """A painted widget's parts: each with a fitting role, a name, a place inside the widget,
    and the press action where it can be tapped."""
    found = []
    if kind in ALWAYS_HAS_PARTS and node.childCount() == 0:
        found.append(f"{here}: painted content without parts")
    for index in range(node.childCount()):
        part = node.child(index)
        name = part.text(QAccessible.Text.Name)
        if part.role() not in PART_ROLES[kind] or not name.strip():
            found.append(f"{here}[{index}]: part {part.role().name} {name!r}")
        if not node.rect().contains(part.rect()):
            found.append(f"{here}[{index}] {name!r}: outside the widget")
        actions = part.actionInterface()
        can_press = actions is not None and QAccessibleActionInterface.pressAction() in (
            actions.actionNames()
        )
        if can_press != (part.role() is not Role.StaticText):
            found.append(f"{here}[{index}] {name!r}: press action {can_press}")
        if node.indexOfChild(part) != index or part.parent() is not node:
            found.append(f"{here}[{index}] {name!r}: not linked to its widget")
    return found


@pytest.fixture
def kiosk(qtbot: QtBot, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[KioskApp]:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    with shown_kiosk(qtbot, load_config(resources.DEMO_CONFIG), data_dir) as app:
        yield app


def _label(widget: QWidget | None) -> str:
    if widget is None:
        return "?"
    return f"{type(widget).__name__}#{widget.objectName()}"


def problems_in_tree(root: QWidget, seen: set[str]) -> list[str]:
    """What a screen reader would miss on the screen shown: unnamed controls, painted widgets
    without a fitting role or without words for their content."""
    found: list[str] = []

    def walk(node: QAccessibleInterface | None, path: str) -> None:
        if node is None or not node.isValid():
            return
        state = node.state()
        if state.invisible or state.offscreen:
            return
        role = node.role()
        name = node.text(QAccessible.Text.Name).strip()
        target = node.object()
        widget = target if isinstance(target, QWidget) else None
        kind = type(widget).__name__ if widget is not None else ""
        here = f"{path}/{_label(widget)}"
        tab_stop = widget is not None and bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus)
        if (role in INTERACTIVE or tab_stop) and not name:
            found.append(f"{here}: {role.name} without a name")
        if tab_stop and role in VAGUE_ROLES and node.childCount() == 0:
            found.append(f"{here}: a Tab stop announced only as {role.name}")
        if kind in PAINTED:
            seen.add(kind)
            if role is not PAINTED[kind]:
                found.append(f"{here}: painted content with role {role.name}")
            if not name or not node.text(QAccessible.Text.Description).strip():
                found.append(f"{here}: painted content without name and description")
            found.extend(part_problems(node, kind, here))
        for index in range(node.childCount()):
            walk(node.child(index), here)

    walk(QAccessible.queryAccessibleInterface(root), "")
    return found


def every_screen(kiosk: KioskApp, language: str) -> Iterator[str]:
    """Each tour stop, then the states the tour passes by: the on-screen keyboard open for the
    name, the staff desk's week grid; each in ``language``."""
    window = kiosk.window
    for name, go in tour_stops(kiosk):
        go()
        window.set_language(language)
        QApplication.processEvents()
        yield name
        if name == "booking_confirm":
            screen = window.screen_widget(Screen.TRY_DEVICE)
            screen.confirm_page.name.setFocus()  # type: ignore[attr-defined]
            QApplication.processEvents()
            assert window.keyboard.isVisible()
            yield "booking_confirm_keyboard"
        if name == "staff_bookings":
            desk = window.screen_widget(Screen.STAFF_BOOKINGS)
            assert isinstance(desk, StaffBookingsScreen)
            desk.set_week(True)
            QApplication.processEvents()
            yield "staff_bookings_week"
            desk.set_week(False)


@pytest.mark.parametrize("language", LANGUAGE_CODES)
def test_every_control_of_every_screen_has_a_name(kiosk: KioskApp, language: str) -> None:
    problems: dict[str, list[str]] = {}
    seen: set[str] = set()
    for screen in every_screen(kiosk, language):
        found = problems_in_tree(kiosk.window, seen)
        if found:
            problems[screen] = found
    assert not problems, problems
    assert seen == set(PAINTED), f"the walk never met {set(PAINTED) - seen}"
