"""Kiosk mode's keyboard lock: the keys that would close or quit the kiosk do nothing."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent

# In kiosk mode these do nothing: nobody walks away with a closed or quit kiosk. (Alt+Tab and
# Ctrl+Alt+Del are the operating system's: the kiosk session blocks those.)
BLOCKED_KEYS = (
    (Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier),
    (Qt.Key.Key_F4, Qt.KeyboardModifier.AltModifier),
    (Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier),
    (Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier),
)


def is_blocked_key(event: QEvent) -> bool:
    """True for a press (or shortcut) of one of the blocked keys, keypad or not."""
    if isinstance(event, QKeyEvent) and event.type() in (
        QEvent.Type.KeyPress,
        QEvent.Type.ShortcutOverride,
    ):
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        return any(event.key() == key and modifiers == required for key, required in BLOCKED_KEYS)
    return False
