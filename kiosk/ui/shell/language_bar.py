"""The language bar: every offered language named in its own language and script, no flags."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QPushButton, QSizePolicy, QWidget

from kiosk.core.i18n import Language


class LanguageBar(QWidget):
    """A row of buttons, one per language; the row mirrors in right-to-left layouts.

    Each button is at least as wide as its name ("Leichte Sprache" is three times "فارسی"), and
    the spare width is shared out evenly, so no name is ever cut off.
    """

    language_chosen = Signal(str)
    """A visitor picked a language (its code)."""

    def __init__(
        self,
        languages: tuple[Language, ...],
        current: str,
        parent: QWidget | None = None,
        *,
        marks_current: bool = True,
    ):
        super().__init__(parent)
        self.setObjectName("languageBar")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        self._group = QButtonGroup(self)
        self._group.setExclusive(True)
        self._buttons: dict[str, QPushButton] = {}
        for language in languages:
            button = QPushButton(language.native_name, self)
            button.setObjectName("languageButton")
            button.setCheckable(marks_current)
            button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            # Each name keeps its own direction, whatever the layout direction around it.
            button.setLayoutDirection(
                Qt.LayoutDirection.RightToLeft
                if language.is_rtl
                else Qt.LayoutDirection.LeftToRight
            )
            button.setAccessibleName(language.native_name)
            button.clicked.connect(lambda _=False, code=language.code: self._choose(code))
            self._group.addButton(button)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            layout.addWidget(button)
            self._buttons[language.code] = button
        self.set_current(current)

    def buttons(self) -> dict[str, QPushButton]:
        """The button of each language, by code."""
        return dict(self._buttons)

    def set_current(self, code: str) -> None:
        """Show which language is active (without emitting language_chosen)."""
        button = self._buttons.get(code)
        if button is not None:
            button.setChecked(True)

    def _choose(self, code: str) -> None:
        self.language_chosen.emit(code)
