"""Codes visitors copy down and type back: resume codes and booking codes look and read alike,
go into one kind of field and get the same explanations."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLineEdit, QWidget

from kiosk.core.codes import (
    BOOKING_CODE_LENGTH,
    RESUME_CODE_LENGTH,
    EntryProblem,
    is_code_character,
)
from kiosk.core.i18n import Translator
from kiosk.ui.parts.keyboard import CharacterFilter


def code_font(size: int) -> QFont:
    """Big, bold and spaced out: a code that is easy to copy down or photograph."""
    font = QFont("Noto Sans")
    font.setPointSize(size)
    font.setWeight(QFont.Weight.Bold)
    font.setLetterSpacing(QFont.SpacingType.AbsoluteSpacing, 4)
    return font


class CodeField(QLineEdit):
    """A field that takes only characters a code may contain (kiosk.core.codes)."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.character_filter = CharacterFilter(
            is_code_character,
            self,
            keys=lambda character: is_code_character(character, scanner=False),
        )
        """Leaves out what no code contains; its ``refused`` signal says when it did."""
        self.setValidator(self.character_filter)


def code_field(parent: QWidget) -> CodeField:
    """The field a code is typed or scanned into: left to right in every language, capitals
    preferred, no word suggestions, Latin letters only, and only the characters codes contain
    (the on-screen keyboard greys out the other keys while it has focus)."""
    field = CodeField(parent)
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


def entry_problem_text(tr: Translator, problem: EntryProblem) -> str:
    """What to check when the text in a code field is no code, in the visitor's language; the
    same on every screen that takes a code."""
    _ = tr.gettext
    lengths = {"booking": tr.number(BOOKING_CODE_LENGTH), "resume": tr.number(RESUME_CODE_LENGTH)}
    if problem is EntryProblem.EMPTY:
        return _("Please type the code from your card or slip.")
    if problem is EntryProblem.NOT_IN_CODES:
        return _("Codes never contain O, 0, I, 1, L, S, 5, Z, 2, B, 8, U or V.")
    if problem is EntryProblem.MISTYPED:
        return _("One character seems mistyped. Please check the code.")
    if problem is EntryProblem.TOO_SHORT:
        text = _(
            "The code is too short. A code on a booking slip has {booking} letters and digits, "
            "a code to continue a course has {resume}."
        )
    elif problem is EntryProblem.TOO_LONG:
        text = _(
            "The code is too long. A code on a booking slip has {booking} letters and digits, "
            "a code to continue a course has {resume}."
        )
    else:
        text = _(
            "Please check the code. A code on a booking slip has {booking} letters and digits, "
            "a code to continue a course has {resume}."
        )
    return text.format(**lengths)
