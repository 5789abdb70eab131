"""A big touch keypad for the staff PIN: masked entry, wrong-PIN and lockout messages."""

from __future__ import annotations

import math
import time
import unicodedata
from enum import Enum, auto

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.core.i18n import Translator
from kiosk.core.staff_auth import PIN_MAX_LENGTH, PIN_MIN_LENGTH

KEY_MIN_PX = 72
KEY_MAX_PX = 120
_MASK = "●"


class _Message(Enum):
    NONE = auto()
    TOO_SHORT = auto()
    WRONG = auto()
    LOCKED = auto()
    UNLOCKED = auto()
    UNAVAILABLE = auto()
    NOT_COUNTED = auto()


class PinPad(QWidget):
    """Digits 1–9, ⌫, 0 and OK; shows only dots, never the digits.

    Physical keys work too: digits (any script's decimal digits, sent on as ASCII), Backspace,
    Delete (clears all) and Enter.
    """

    pin_entered = Signal(str)
    """A full PIN was submitted (OK or Enter); the pad has already forgotten it."""

    lock_expired = Signal()
    """The lockout countdown reached zero and the keys work again."""

    def __init__(self, translator: Translator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tr = translator
        self._digits = ""
        self._message = _Message.NONE
        self._tries_left = 0
        self._lock_deadline = 0.0
        self._lock_timer = QTimer(self)
        self._lock_timer.setSingleShot(True)
        self._lock_timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._lock_timer.timeout.connect(self._tick_lock)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

        self._display = QLabel(self)
        self._display.setObjectName("pinDisplay")
        self._display.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = self._display.font()
        font.setPointSizeF(font.pointSizeF() * 2)
        self._display.setFont(font)
        self._display.setMinimumHeight(self._display.fontMetrics().height() + 8)

        self._message_label = QLabel(self)
        self._message_label.setObjectName("pinMessage")
        self._message_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._message_label.setWordWrap(True)
        font = self._message_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        self._message_label.setFont(font)
        self._message_label.setMinimumHeight(2 * self._message_label.fontMetrics().height())

        # Keypads are not mirrored in right-to-left interfaces (phones keep 1-2-3 on the left).
        self._keypad = QWidget(self)
        self._keypad.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        grid = QGridLayout(self._keypad)
        grid.setContentsMargins(0, 0, 0, 0)
        self._digit_keys: list[QPushButton] = []
        for index, digit in enumerate("1234567890"):
            key = self._make_key(digit)
            key.clicked.connect(lambda _=False, d=digit: self._add_digit(d))
            self._digit_keys.append(key)
            row, column = (3, 1) if digit == "0" else divmod(index, 3)
            grid.addWidget(key, row, column)
        self._backspace_key = self._make_key("⌫")
        self._backspace_key.setAutoRepeat(True)  # holding it clears the entry
        self._backspace_key.clicked.connect(self._delete_digit)
        grid.addWidget(self._backspace_key, 3, 0)
        self._ok_key = self._make_key("")
        self._ok_key.setObjectName("pinOkKey")
        self._ok_key.clicked.connect(self._submit)
        grid.addWidget(self._ok_key, 3, 2)

        # The keypad grows with the screen, but a wall-wide keypad would be hard to reach across;
        # what is left over centres the pad vertically.
        self._keypad.setMaximumSize(3 * KEY_MAX_PX, 4 * KEY_MAX_PX)
        self._keypad.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self._display)
        layout.addWidget(self._message_label)
        keypad_row = QHBoxLayout()
        keypad_row.addStretch(1)
        keypad_row.addWidget(self._keypad, 8)
        keypad_row.addStretch(1)
        layout.addLayout(keypad_row, 8)
        layout.addStretch(1)

        self.retranslate_ui()

    def _make_key(self, text: str) -> QPushButton:
        key = QPushButton(text, self._keypad)
        key.setObjectName("pinKey")
        key.setMinimumSize(KEY_MIN_PX, KEY_MIN_PX)
        key.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        font = key.font()
        font.setPointSizeF(font.pointSizeF() * 1.8)  # a default; the theme may override it
        key.setFont(font)
        # Keyboard users can tab to a key, but a touch must not move focus off the pad, where
        # typed digits arrive.
        key.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        key.setAutoDefault(False)
        return key

    def _keys(self) -> list[QPushButton]:
        return [*self._digit_keys, self._backspace_key, self._ok_key]

    # --- translation -------------------------------------------------------------------------

    def retranslate_ui(self) -> None:
        _ = self._tr.gettext
        self.setAccessibleName(_("PIN pad"))
        self._ok_key.setText(_("OK"))
        self._ok_key.setAccessibleName(_("Confirm PIN"))
        self._backspace_key.setAccessibleName(_("Delete last digit"))
        for key, digit in zip(self._digit_keys, "1234567890", strict=True):
            key.setText(self._tr.digits(digit))  # the digit typed stays the same
            key.setAccessibleName(key.text())
        self._display.setAccessibleName(_("Entered PIN"))
        self._message_label.setAccessibleName(_("PIN message"))
        self._update_display()
        self._update_message()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def _update_display(self) -> None:
        count = len(self._digits)
        self._display.setText(" ".join(_MASK * count))
        self._display.setAccessibleDescription(
            self._tr.ngettext("{n} digit entered", "{n} digits entered", count).format(
                n=self._tr.number(count)
            )
        )

    def _update_message(self) -> None:
        _ = self._tr.gettext
        if self._message is _Message.TOO_SHORT:
            text = self._tr.ngettext(
                "Please enter at least {n} digit.",
                "Please enter at least {n} digits.",
                PIN_MIN_LENGTH,
            ).format(n=self._tr.number(PIN_MIN_LENGTH))
        elif self._message is _Message.WRONG:
            text = self._tr.ngettext(
                "Wrong PIN. {n} try left.", "Wrong PIN. {n} tries left.", self._tries_left
            ).format(n=self._tr.number(self._tries_left))
        elif self._message is _Message.LOCKED:
            seconds = max(0, math.ceil(self._lock_deadline - time.monotonic()))
            minutes, seconds = divmod(seconds, 60)
            # TRANSLATORS: {time} counts down as minutes:seconds, e.g. 0:42
            text = _("Locked. Try again in {time}").format(
                time=self._tr.digits(f"{minutes}:{seconds:02d}")
            )
        elif self._message is _Message.UNLOCKED:
            text = _("You can try again now.")
        elif self._message is _Message.UNAVAILABLE:
            text = _("Staff access is not set up on this terminal. Please ask an administrator.")
        elif self._message is _Message.NOT_COUNTED:
            text = _(
                "The kiosk cannot record PIN attempts right now (storage full or read-only), "
                "so staff mode is locked. Ask the administrator."
            )
        else:
            text = ""
        self._message_label.setText(text)

    def _set_message(self, message: _Message) -> None:
        self._message = message
        self._update_message()

    # --- entry -------------------------------------------------------------------------------

    def _accepts_input(self) -> bool:
        return self._message not in (_Message.LOCKED, _Message.UNAVAILABLE, _Message.NOT_COUNTED)

    def _add_digit(self, digit: str) -> None:
        if self._accepts_input() and len(self._digits) < PIN_MAX_LENGTH:
            self._digits += digit
            self._update_display()

    def _delete_digit(self) -> None:
        if self._accepts_input():
            self._digits = self._digits[:-1]
            self._update_display()

    def _submit(self) -> None:
        if not self._accepts_input():
            return
        if len(self._digits) < PIN_MIN_LENGTH:
            self._set_message(_Message.TOO_SHORT)
            return
        pin, self._digits = self._digits, ""
        self._update_display()
        self._set_message(_Message.NONE)
        self.pin_entered.emit(pin)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        text = event.text()
        key = event.key()
        if len(text) == 1 and text.isdecimal():
            self._add_digit(str(unicodedata.decimal(text)))
        elif key == Qt.Key.Key_Backspace:
            self._delete_digit()
        elif key == Qt.Key.Key_Delete:
            self._clear_entry()
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._submit()
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # Typed digits arrive here; a keyboard user should not have to click the pad first.
        self.setFocus(Qt.FocusReason.OtherFocusReason)

    # --- states ------------------------------------------------------------------------------

    def _clear_entry(self) -> None:
        self._digits = ""
        self._update_display()

    def clear(self) -> None:
        """Forget the entry and any message or lockout countdown: a fresh pad."""
        self._lock_timer.stop()
        self._clear_entry()
        self._set_keys_enabled(True)
        self._set_message(_Message.NONE)

    def show_wrong(self, tries_left: int) -> None:
        """Say the PIN was wrong and how many tries are left before the lockout."""
        self._clear_entry()
        self._tries_left = tries_left
        self._set_message(_Message.WRONG)

    def show_locked(self, seconds: float) -> None:
        """Disable the keys and count down; the keys come back (and lock_expired) at zero."""
        self._clear_entry()
        self._set_keys_enabled(False)
        self._lock_deadline = time.monotonic() + max(0.0, seconds)
        self._set_message(_Message.LOCKED)
        self._tick_lock()

    def show_unavailable(self) -> None:
        """No staff PIN is set up here: say so and disable the keys."""
        self._lock_timer.stop()
        self._clear_entry()
        self._set_keys_enabled(False)
        self._set_message(_Message.UNAVAILABLE)

    def show_not_counted(self) -> None:
        """PIN attempts cannot be recorded here now: say so and disable the keys (opening the
        pad again tries anew)."""
        self._lock_timer.stop()
        self._clear_entry()
        self._set_keys_enabled(False)
        self._set_message(_Message.NOT_COUNTED)

    @property
    def is_locked(self) -> bool:
        return self._message is _Message.LOCKED

    def _set_keys_enabled(self, enabled: bool) -> None:
        for key in self._keys():
            key.setEnabled(enabled)

    def _tick_lock(self) -> None:
        if self._message is not _Message.LOCKED:
            return
        remaining = self._lock_deadline - time.monotonic()
        if remaining <= 0:
            self._set_keys_enabled(True)
            self._set_message(_Message.UNLOCKED)
            self.lock_expired.emit()
            return
        self._update_message()
        # Wake just after the shown whole second changes (not every full second from now), so
        # the countdown never shows a second twice and a short lock ends on time.
        next_change_s = remaining - (math.ceil(remaining) - 1) + 0.01
        self._lock_timer.start(math.ceil(next_change_s * 1000))
