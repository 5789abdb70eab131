"""The staff PIN pad screen, reached by holding the site logo."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from kiosk.core.i18n import Translator
from kiosk.core.staff_auth import StaffGate
from kiosk.storage import StorageError
from kiosk.ui.parts.screen_base import ScreenBase, back_arrow, label
from kiosk.ui.shell.pin_pad import PinPad

log = logging.getLogger(__name__)


class StaffLoginScreen(ScreenBase):
    """Checks the staff PIN; locks after repeated wrong tries (the gate decides)."""

    authenticated = Signal()
    """The right PIN was entered."""
    cancelled = Signal()
    """The person at the pad went back without logging in."""

    def __init__(
        self,
        translator: Translator,
        gate: Callable[[], StaffGate | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(translator, parent)
        self.setObjectName("staffLogin")
        self._gate = gate
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 24, 48, 24)
        layout.setSpacing(12)
        self._title = label(self, "title")
        self._title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pad = PinPad(translator, self)
        self.pad.pin_entered.connect(self._check)
        self.cancel = QPushButton(self)
        self.cancel.clicked.connect(self.cancelled)
        row = QHBoxLayout()
        row.addWidget(self.cancel)
        row.addStretch(1)
        layout.addWidget(self._title)
        layout.addWidget(self.pad, 1, Qt.AlignmentFlag.AlignHCenter)
        layout.addLayout(row)
        self.retranslate_ui()

    def enter(self) -> None:
        self.pad.clear()
        gate = self._gate()
        try:
            if gate is None or not gate.has_pin:
                self.pad.show_unavailable()
                return
            locked = gate.locked_for_s()
        except (StorageError, OSError) as error:
            # The lock cannot even be read: no attempt could be counted either.
            log.error("PIN lock state unreadable: %s", type(error).__name__)
            self.pad.show_not_counted()
            return
        if locked > 0:
            self.pad.show_locked(locked)
        self.pad.setFocus()

    def leave(self) -> None:
        self.pad.clear()

    def reset(self) -> None:
        self.pad.clear()

    def _check(self, pin: str) -> None:
        gate = self._gate()
        try:
            has_pin = gate is not None and gate.has_pin
        except (StorageError, OSError) as error:
            log.error("staff PIN unreadable: %s", type(error).__name__)
            self.pad.show_not_counted()
            return
        if gate is None or not has_pin:
            self.pad.show_unavailable()
            return
        result = gate.attempt(pin)
        self.pad.clear()
        if result.ok:
            log.info("staff mode opened")
            self.authenticated.emit()
        elif result.not_counted:
            self.pad.show_not_counted()
        elif result.locked_for_s > 0:
            log.warning("staff PIN pad locked after repeated wrong PINs")
            self.pad.show_locked(result.locked_for_s)
        else:
            self.pad.show_wrong(result.tries_left)

    def retranslate_ui(self) -> None:
        _ = self._tr.gettext
        self._title.setText(_("Staff login"))
        cancel = _("Cancel")
        self.cancel.setText(f"{back_arrow(self.layoutDirection())}  {cancel}")
        self.cancel.setAccessibleName(_("Cancel staff login"))
