"""Forgets a visitor: every step of the wipe runs even when one fails, a screen whose reset
failed is built afresh, and typed text, its undo history and the clipboard are emptied."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from pathlib import Path

from PySide6.QtGui import QClipboard, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QLineEdit,
    QPlainTextEdit,
    QStackedWidget,
    QTextEdit,
    QWidget,
)

from kiosk.ui.parts.screen_base import ScreenBase
from kiosk.ui.shell.screens import Screen

log = logging.getLogger(__name__)
WipeStep = tuple[str, Callable[[], object]]


def run_every_step(*steps: WipeStep) -> list[str]:
    """Run each step even when an earlier one raised; the names of those that failed."""
    failed = []
    for name, step in steps:
        try:
            step()
        except Exception as error:  # noqa: BLE001 - a wipe must not stop half-way
            log_wipe_failure(name, error)
            failed.append(name)
    return failed


def log_wipe_failure(step: str, error: Exception) -> None:
    """Which step failed, with what kind of error and where; never the error's message, which
    could quote what the visitor typed."""
    frames = traceback.extract_tb(error.__traceback__)
    where = f" at {Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else ""
    log.error("wipe step %s failed: %s%s", step, type(error).__name__, where)


def reset_screens(built: dict[Screen, ScreenBase], stack: QStackedWidget) -> list[Screen]:
    """Reset every built screen; one whose reset failed may still hold the visitor's state, so
    it is dropped and the screen builder makes it afresh when it is next needed. Returns the
    screens dropped."""
    failed = run_every_step(*((which.value, screen.reset) for which, screen in built.items()))
    dropped = [which for which in built if which.value in failed]
    for which in dropped:
        screen = built.pop(which)
        stack.removeWidget(screen)
        # Until Qt deletes it, its text fields are still emptied with the window's (below).
        screen.hide()
        screen.deleteLater()
    return dropped


def hide_if_built(widget: QWidget | None) -> None:
    """Hide a part built on first use (the on-screen keyboard), if it was built."""
    if widget is not None:
        widget.hide()


def forget_typed_text(root: QWidget) -> None:
    """Empty every text field and spin box under ``root`` and clear the clipboard and selection."""
    for line_edit in root.findChildren(QLineEdit):
        line_edit.setText("")  # setText (unlike clear) also drops the undo history
    for text_edit in root.findChildren(QPlainTextEdit):
        text_edit.setPlainText("")
        text_edit.document().clearUndoRedoStacks()
    for rich_edit in root.findChildren(QTextEdit):
        rich_edit.setPlainText("")
        rich_edit.document().clearUndoRedoStacks()
    for spin_box in root.findChildren(QAbstractSpinBox):
        spin_box.clear()
    clipboard = QGuiApplication.clipboard()
    clipboard.clear(QClipboard.Mode.Clipboard)
    if clipboard.supportsSelection():
        clipboard.clear(QClipboard.Mode.Selection)
