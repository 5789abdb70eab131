"""Forgets what a visitor typed: every text field under a widget, its undo history, clipboard."""

from __future__ import annotations

from PySide6.QtGui import QClipboard, QGuiApplication
from PySide6.QtWidgets import QAbstractSpinBox, QLineEdit, QPlainTextEdit, QTextEdit, QWidget


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
