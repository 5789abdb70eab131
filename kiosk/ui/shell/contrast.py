"""The visitor's high-contrast switch: puts the high-contrast palette on screen and takes it off."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication

from kiosk.ui import theme


class Contrast(QObject):
    """High contrast on or off for the whole app, at the visitor's text size. The wipe turns it
    off, so the next visitor starts with the normal look."""

    changed = Signal(bool)
    """High contrast was turned on (True) or off (False)."""

    def __init__(self, app: QApplication, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._app = app

    @property
    def high(self) -> bool:
        return theme.is_high_contrast()

    def set_high(self, on: bool) -> None:
        """Restyle the app in the high-contrast (or the normal) palette; nothing when it already
        is (restyling every widget costs as much as a text-size change, ~100 ms)."""
        if on == self.high:
            return
        theme.apply(self._app, high_contrast=on)
        self.changed.emit(on)
