"""When staff mode ends, nothing staff opened outlives it: dialogs, menus, popups, clipboard.

Staff may leave a folder picker, a message box or a menu open and walk away. Qt keeps such
windows on top of the kiosk after the staff timeout has shown the attract screen, and a visitor
could browse the file system with them. So whenever staff mode ends (the staff timeout,
"leave staff mode", a wipe, the kiosk window hidden to be built anew with a new site config),
every dialog, menu and popup is closed, the text staff typed is emptied and the clipboard and
selection are cleared. A visitor's wipe closes the popups too (a text field's context menu).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QApplication, QDialog, QMenu, QToolTip, QWidget

from kiosk.core.session import SessionService
from kiosk.ui.shell.wipe import forget_typed_text

if TYPE_CHECKING:
    from kiosk.ui.shell.main_window import MainWindow

log = logging.getLogger(__name__)

# Top-level windows of these kinds are never the kiosk itself: they are what staff opened.
_TRANSIENT_KINDS = frozenset(
    {
        Qt.WindowType.Dialog,
        Qt.WindowType.Sheet,
        Qt.WindowType.Drawer,
        Qt.WindowType.Popup,
        Qt.WindowType.Tool,
        Qt.WindowType.ToolTip,
        Qt.WindowType.SplashScreen,
    }
)
# A popup or modal that refuses to close must not keep the loop below spinning.
_MOST_ROUNDS = 50


def _dismiss(widget: QWidget) -> None:
    """Close one window for good: a dialog is rejected (its exec() returns), others hidden."""
    if isinstance(widget, QDialog):
        # done() hides even a message box whose close event is ignored (no escape button).
        widget.done(QDialog.DialogCode.Rejected)
    else:
        widget.close()
    if widget.isVisible():
        widget.hide()


def _is_transient(widget: QWidget) -> bool:
    return isinstance(widget, (QDialog, QMenu)) or widget.windowType() in _TRANSIENT_KINDS


def close_transient_windows() -> int:
    """Close every popup, menu, modal window and dialog that is open; how many were closed."""
    closed = 0
    # Popups stack (a submenu over its menu), and so do modals: always the top one first.
    for active in (QApplication.activePopupWidget, QApplication.activeModalWidget):
        for _round in range(_MOST_ROUNDS):
            widget = active()
            if widget is None:
                break
            _dismiss(widget)
            closed += 1
    for widget in QApplication.topLevelWidgets():
        if widget.isVisible() and _is_transient(widget):
            _dismiss(widget)
            closed += 1
    QToolTip.hideText()
    return closed


def end_staff_traces(window: QWidget) -> None:
    """Close what staff left open and forget what they typed or copied."""
    closed = close_transient_windows()
    forget_typed_text(window)
    if closed:
        log.info("staff mode ended: %d open dialog(s) or menu(s) closed", closed)


class StaffExit(QObject):
    """Watches the kiosk window and clears up each time staff mode ends."""

    def __init__(self, window: MainWindow, sessions: SessionService) -> None:
        super().__init__(window)
        self._window = window
        self._was_staff = window.staff_active
        window.screen_changed.connect(self._screen_changed)
        # Every wipe ends with no popup left (a visitor's too, e.g. a field's context menu).
        sessions.on_wipe(self._wiped)
        window.installEventFilter(self)

    def _screen_changed(self, _screen: str) -> None:
        staff = self._window.staff_active
        if self._was_staff and not staff:
            end_staff_traces(self._window)
        self._was_staff = staff

    def _wiped(self) -> None:
        close_transient_windows()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Hidden: the kiosk is being built anew (a new site config) or closed.
        if watched is self._window and event.type() == QEvent.Type.Hide:
            if self._was_staff or self._window.staff_active:
                self._was_staff = False
                end_staff_traces(self._window)
            else:
                close_transient_windows()
        return False
