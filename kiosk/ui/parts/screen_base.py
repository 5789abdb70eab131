"""What every screen has: enter/leave hooks, a reset that forgets the visitor, retranslation."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QLabel, QWidget

from kiosk.core.i18n import Translator


class ScreenBase(QWidget):
    """Base of all screens in the main window's stack."""

    def __init__(self, translator: Translator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tr = translator
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        # The screen itself takes focus when shown, so no text field (and with it the on-screen
        # keyboard) grabs it unasked; a screen that wants typing focuses its field in enter().
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)

    def enter(self) -> None:
        """Called right after the screen became the visible one."""

    def leave(self) -> None:
        """Called right before another screen is shown."""

    def reset(self) -> None:
        """Forget everything about the current visitor (the session is being wiped)."""

    def retranslate_ui(self) -> None:
        """Set every visible text in the current language."""

    def changeEvent(self, event: QEvent) -> None:
        # Direction matters too: arrows and alignment follow the reading direction.
        if event.type() in (QEvent.Type.LanguageChange, QEvent.Type.LayoutDirectionChange):
            self.retranslate_ui()
        super().changeEvent(event)


def label(parent: QWidget, object_name: str = "", *, wrap: bool = True) -> QLabel:
    """A label as screens use them: word-wrapped, aligned to the reading direction."""
    widget = QLabel(parent)
    if object_name:
        widget.setObjectName(object_name)
    widget.setWordWrap(wrap)
    widget.setTextFormat(Qt.TextFormat.PlainText)
    return widget


def reading_direction(right_to_left: bool) -> Qt.LayoutDirection:
    """Qt's layout direction for text that reads right to left (Arabic, Persian) or not."""
    return Qt.LayoutDirection.RightToLeft if right_to_left else Qt.LayoutDirection.LeftToRight


def back_arrow(direction: Qt.LayoutDirection) -> str:
    """The arrow pointing back in the reading direction (right in Arabic and Persian)."""
    return "→" if direction == Qt.LayoutDirection.RightToLeft else "←"
