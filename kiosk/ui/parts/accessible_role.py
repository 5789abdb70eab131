"""The accessible role of painted widgets: a chart says it is a chart, a grid that it is a table.

Qt calls every plain QWidget a "client" area. A screen reader then announces a painted timeline,
week grid or bar chart as an unnamed pane. A widget that paints content of a known kind marks
itself with ``set_accessible_role``; one factory gives such widgets the right role, and their
accessible name and description (set as usual) say what they show. A widget that lists its
painted parts (``accessible_parts``) gets them as children (kiosk.ui.parts.accessible_parts).
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAccessible, QAccessibleInterface
from PySide6.QtWidgets import QAccessibleWidget, QWidget

from kiosk.ui.parts.accessible_parts import PaintedAccessible, has_parts

ROLE_PROPERTY = "accessibleRole"

_installed = False


def _factory(_class_name: str, obj: QObject) -> QAccessibleInterface | None:
    if not isinstance(obj, QWidget):
        return None
    role = obj.property(ROLE_PROPERTY)
    if not isinstance(role, int) or isinstance(role, bool):
        return None
    if has_parts(obj):
        return PaintedAccessible(obj, QAccessible.Role(role))
    return QAccessibleWidget(obj, QAccessible.Role(role), "")


def set_accessible_role(widget: QWidget, role: QAccessible.Role) -> None:
    """Give ``widget`` this role for screen readers (installs the factory on first use)."""
    global _installed
    widget.setProperty(ROLE_PROPERTY, role.value)
    if not _installed:
        QAccessible.installFactory(_factory)
        _installed = True
