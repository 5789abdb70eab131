"""Where staff send an export: one big button per USB stick (or configured folder), no browsing.

A file dialog on a kiosk lets whoever stands at it browse, rename and delete; this chooser
only offers the destinations kiosk.storage.drives finds, and looks again every two seconds
while it is shown, so a stick plugged in appears by itself.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QHideEvent, QShowEvent
from PySide6.QtWidgets import QButtonGroup, QVBoxLayout, QWidget

from kiosk.core.i18n import Translator, language, localise_digits
from kiosk.storage.drives import Destination
from kiosk.ui import theme
from kiosk.ui.parts.desk_style import action_button, set_tone
from kiosk.ui.parts.screen_base import label
from kiosk.ui.parts.wrapping_button import WrappingButton

POLL_MS = 2000

_STYLE = f"""
QPushButton#destination {{ min-height: 72px; padding: 0; }}
QPushButton#destination:checked {{
    background: {theme.PRIMARY_SOFT}; border: 3px solid {theme.PRIMARY};
}}
QPushButton#destination:checked QLabel#buttonText {{ color: {theme.ON_PRIMARY_SOFT}; }}
"""


def format_size(size: int, code: str) -> str:
    """Free space as the language writes it: "14,2 GB", "850 MB" (decimal units, as on the
    stick's packaging)."""
    from babel.numbers import format_decimal

    if size >= 1_000_000_000:
        value, unit = size / 1_000_000_000, "GB"
    else:
        value, unit = size / 1_000_000, "MB"
    number = format_decimal(value, format="#,##0.#", locale=language(code).babel_locale)
    return f"{localise_digits(number, code)}\u00a0{unit}"


class DestinationChooser(QWidget):
    """The destinations found now as checkable buttons (the first is chosen), or a plain
    request to insert a USB stick when there is none."""

    changed = Signal()
    """The destinations or the choice among them changed."""

    def __init__(
        self,
        translator: Translator,
        destinations: Callable[[], list[Destination]],
        parent: QWidget | None = None,
        *,
        poll_ms: int = POLL_MS,
    ) -> None:
        super().__init__(parent)
        self._tr = translator
        self._find = destinations
        self._found: list[Destination] = []
        self._chosen: Destination | None = None
        self.setStyleSheet(_STYLE)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        self.title = label(self, "sectionTitle")
        self.empty = label(self)
        self._list = QVBoxLayout()
        self._list.setSpacing(10)
        layout.addWidget(self.title)
        layout.addLayout(self._list)
        layout.addWidget(self.empty)
        self._group = QButtonGroup(self)
        self._group.setExclusive(True)
        self._group.idClicked.connect(self._clicked)
        self.buttons: list[WrappingButton] = []
        self._timer = QTimer(self)
        self._timer.setInterval(poll_ms)
        self._timer.timeout.connect(self.refresh)
        self.refresh()

    @property
    def chosen(self) -> Destination | None:
        """Where the next export goes; None when no destination is there."""
        return self._chosen

    @property
    def destinations(self) -> list[Destination]:
        return list(self._found)

    def refresh(self) -> None:
        """Look for destinations again (a stick plugged in or pulled out); the choice stays on
        the same destination while it is there."""
        found = self._find()
        if [(d.path, d.label) for d in found] == [(d.path, d.label) for d in self._found]:
            self._found = found  # the free space may have changed
            self.retranslate_ui()
            return
        self._found = found
        paths = [d.path for d in found]
        if self._chosen is None or self._chosen.path not in paths:
            self._chosen = found[0] if found else None
        else:
            self._chosen = found[paths.index(self._chosen.path)]
        self._rebuild()
        self.changed.emit()

    def _rebuild(self) -> None:
        for button in self.buttons:
            self._group.removeButton(button)
            button.deleteLater()
        self.buttons = []
        for index, destination in enumerate(self._found):
            button = action_button(self, "destination")
            button.setCheckable(True)
            button.setChecked(destination == self._chosen)
            self._group.addButton(button, index)
            self._list.addWidget(button)
            self.buttons.append(button)
        self.retranslate_ui()

    def _clicked(self, index: int) -> None:
        if 0 <= index < len(self._found):
            self._chosen = self._found[index]
            self.changed.emit()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()
        self._timer.start()

    def hideEvent(self, event: QHideEvent) -> None:
        self._timer.stop()
        super().hideEvent(event)

    def retranslate_ui(self) -> None:
        _ = self._tr.gettext
        code = self._tr.current.code
        self.title.setText(_("Save to"))
        for button, destination in zip(self.buttons, self._found, strict=True):
            # The name and the free space on lines of their own, each isolated (FSI…PDI): one
            # wrapped line mixing a Latin name, a number and Arabic or Persian words was laid
            # out a few pixels wider than the label and lost its edge.
            size = f"\u2068{format_size(destination.free_bytes, code)}\u2069"
            name = f"\u2068{destination.label}\u2069"
            free = _("{size} free").format(size=size)
            if destination.removable:
                # TRANSLATORS: a USB stick's button, above its free space
                text = _("USB stick {name}").format(name=name) + "\n" + free
            else:
                # TRANSLATORS: the export folder the administrator configured, above its free space
                text = _("Folder {name}").format(name=name) + "\n" + free
            button.set_text(text)
        if self._found:
            self.empty.hide()
        else:
            set_tone(
                self.empty,
                "warn",
                _(
                    "No USB stick found. Insert a USB stick into the terminal: it appears "
                    "here by itself."
                ),
            )
            self.empty.show()
