"""Codes visitors copy down and type back: resume codes and booking codes look and read alike."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLineEdit, QWidget


def code_font(size: int) -> QFont:
    """Big, bold and spaced out: a code that is easy to copy down or photograph."""
    font = QFont("Noto Sans")
    font.setPointSize(size)
    font.setWeight(QFont.Weight.Bold)
    font.setLetterSpacing(QFont.SpacingType.AbsoluteSpacing, 4)
    return font


def code_field(parent: QWidget) -> QLineEdit:
    """The field a code is typed or scanned into: left to right in every language, capitals
    preferred, no word suggestions, Latin letters only."""
    field = QLineEdit(parent)
    field.setObjectName("codeField")
    field.setMaxLength(24)
    field.setFont(code_font(32))
    field.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
    field.setInputMethodHints(
        Qt.InputMethodHint.ImhPreferUppercase
        | Qt.InputMethodHint.ImhNoPredictiveText
        | Qt.InputMethodHint.ImhLatinOnly
    )
    return field
