"""The kiosk's own on-screen keyboard and the controller that shows it when a field needs it."""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum, auto

from PySide6.QtCore import QElapsedTimer, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QValidator
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QGridLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from kiosk.core.i18n import Translator
from kiosk.ui.parts.keyboard_layouts import (
    DIGITS,
    LATIN_COMPANION,
    SYMBOL_ROWS,
    key_label,
    layout_for_language,
)

KEY_MIN_WIDTH_PX = 48
KEY_MIN_HEIGHT_PX = 56
KEYBOARD_MODES = ("auto", "always", "never")

CharacterRule = Callable[[str], bool]
"""Whether a field may contain a character (the text one key types)."""


class CharacterFilter(QValidator):
    """Lets into a field only characters ``allows`` accepts, typed, scanned or pasted.

    While such a field has focus, the on-screen keyboard greys out the keys of the others, so
    the keys and a physical keyboard follow the same rule. ``keys`` may narrow what the keys
    offer (a scanner on another keyboard layout types characters nobody needs a key for).
    """

    refused = Signal()
    """A character the field never contains was typed and left out."""

    def __init__(
        self,
        allows: CharacterRule,
        parent: QObject | None = None,
        *,
        keys: CharacterRule | None = None,
    ) -> None:
        super().__init__(parent)
        self._allows = allows
        self._keys = keys or allows

    def allows(self, text: str) -> bool:
        """Whether every character of ``text`` may be in the field."""
        return all(self._allows(character) for character in text)

    def offers(self, text: str) -> bool:
        """Whether the on-screen key typing ``text`` is usable for the field."""
        return self.allows(text) and all(self._keys(character) for character in text)

    def validate(self, text: str, pos: int) -> QValidator.State:
        # Acceptable, never Intermediate: Return must still submit an incomplete code, so the
        # screen can say what is missing.
        if self.allows(text):
            return QValidator.State.Acceptable
        self.refused.emit()
        return QValidator.State.Invalid


class _Shift(Enum):
    OFF = auto()
    ONCE = auto()
    CAPS = auto()


def _key_code(text: str) -> int:
    # Qt's key code for a character is its upper-case code point; a multi-letter key has none.
    if len(text) != 1:
        return 0
    upper = text.upper()
    return ord(upper) if len(upper) == 1 else ord(text)


class _Key(QPushButton):
    """A key that never takes focus, so the text field keeps it while the visitor types."""

    def __init__(self, parent: QWidget, text: str = "") -> None:
        super().__init__(parent)
        self.value = text
        self.setObjectName("keyboardKey")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setAutoDefault(False)
        self.setMinimumSize(KEY_MIN_WIDTH_PX, KEY_MIN_HEIGHT_PX)
        # Ignored: every key of a row gets the same width, however long its label.
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Expanding)
        font = self.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)  # a default; the theme may override it
        self.setFont(font)
        self.set_label(key_label(text))

    def set_label(self, label: str) -> None:
        """Show label as it is ("&" would otherwise mark a mnemonic) and name the key after it."""
        self.setText(label.replace("&", "&&"))
        self.setAccessibleName(label)


class OnScreenKeyboard(QWidget):
    """Letters of the UI language's script, a Latin page, a symbols page, digits, Shift and Done.

    Keys send real key events to the focused widget, so validators and input masks apply.
    """

    done_pressed = Signal()
    """The visitor pressed Done; the keyboard has hidden itself."""

    def __init__(self, translator: Translator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tr = translator
        self._sending = False
        self._shift = _Shift.OFF
        self._shift_clock = QElapsedTimer()
        self._symbols = False
        self._language_layout = layout_for_language(translator.current.code)
        self._letters_layout = self._language_layout
        self._page: QWidget | None = None
        self._allows: CharacterRule | None = None
        self._typing_keys: list[_Key] = []  # every key of the page that types a character
        self._letter_keys: list[_Key] = []
        self._function_keys: dict[str, _Key] = {}
        self.setObjectName("onScreenKeyboard")
        # Hardware Arabic and Persian keyboards are not mirrored either.
        self.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self._outer = QVBoxLayout(self)
        self._outer.setContentsMargins(4, 4, 4, 4)
        self._rebuild()

    # --- public ------------------------------------------------------------------------------

    @property
    def layout_id(self) -> str:
        """The id of the letters layout shown (or returned to from the symbols page)."""
        return self._letters_layout.id

    @property
    def is_sending_keys(self) -> bool:
        """True while a key event of ours is being delivered (to tell it from a physical one)."""
        return self._sending

    def set_allowed(self, allows: CharacterRule | None) -> None:
        """Grey out (disable) the keys of characters ``allows`` refuses; None enables them all.

        The keyboard is shared by every field: the controller sets this for a field with a
        CharacterFilter and clears it when that field loses focus.
        """
        self._allows = allows
        self._grey_out_refused()

    def is_allowed(self, text: str) -> bool:
        """Whether the key typing ``text`` is usable now."""
        return self._allows is None or all(self._allows(character) for character in text)

    def set_language(self, code: str) -> None:
        """Show the letters layout of a UI language (de and de-x-ls share QWERTZ)."""
        layout = layout_for_language(code)
        if layout == self._language_layout and self._letters_layout == layout:
            return
        self._language_layout = self._letters_layout = layout
        self._symbols = False
        self._shift = _Shift.OFF
        self._rebuild()

    # --- translation -------------------------------------------------------------------------

    def retranslate_ui(self) -> None:
        _ = self._tr.gettext
        self.setAccessibleName(_("On-screen keyboard"))
        names = {
            "shift": _("Shift"),
            # TRANSLATORS: the on-screen keyboard's backspace key (deletes one character)
            "backspace": _("Delete"),
            "space": _("Space"),
            "symbols": _("Letters") if self._symbols else _("Numbers and symbols"),
            "script": _("Letters of your language")
            if self._letters_layout.is_latin
            else _("Latin letters"),
            "done": _("Hide keyboard"),
        }
        for name, key in self._function_keys.items():
            key.setAccessibleName(names[name])
        if "done" in self._function_keys:
            # TRANSLATORS: key label that puts the on-screen keyboard away; keep it short
            self._function_keys["done"].setText(_("Done").replace("&", "&&"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.set_language(self._tr.current.code)
            self.retranslate_ui()
        super().changeEvent(event)

    # --- building pages ----------------------------------------------------------------------

    def _rebuild(self) -> None:
        if self._page is not None:
            self._page.hide()
            self._page.setParent(None)  # out of findChildren() now, deleted later
            self._page.deleteLater()
        self._letter_keys = []
        self._typing_keys = []
        self._function_keys = {}
        self._page = page = QWidget(self)
        grid = QGridLayout(page)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(4)
        layout = self._letters_layout
        rows = SYMBOL_ROWS if self._symbols else layout.rows
        extra = self._language_layout.extra_symbols if self._symbols else ()
        # Each row is (key, width in key units); the grid has two columns per unit.
        body: list[list[tuple[_Key, float]]] = [
            [(self._letter_key(text), 1) for text in DIGITS],
            [(self._letter_key(text), 1) for text in rows[0]],
            [(self._letter_key(text), 1) for text in rows[1]],
            [(self._letter_key(text), 1) for text in (*rows[2], *extra)],
        ]
        if not self._symbols:
            body[3].insert(0, (self._function_key("shift", "⇧", self._press_shift), 1.5))
        body[3].append((self._function_key("backspace", "⌫", self._press_backspace), 1.5))
        self._function_keys["backspace"].setAutoRepeat(True)
        units = max(sum(width for _, width in row) for row in body)
        other = self._language_layout if layout.is_latin else LATIN_COMPANION
        symbols_label = layout.switch_label if self._symbols else "?123"
        left = [(self._function_key("symbols", symbols_label, self._press_symbols), 1.5)]
        if not self._language_layout.is_latin and not self._symbols:
            left.append((self._function_key("script", other.switch_label, self._press_script), 1.5))
        left.append((self._letter_key(layout.punctuation[0]), 1))
        right = [
            (self._letter_key(layout.punctuation[1]), 1),
            (self._function_key("done", "", self._press_done), 2),
        ]
        space = self._function_key("space", layout.title, lambda: self._send(" "))
        space_width = units - sum(width for _, width in (*left, *right))
        bottom = [*left, (space, space_width), *right]
        for row_index, row in enumerate([*body, bottom]):
            column = round(units - sum(width for _, width in row))  # centres the row
            for key, width in row:
                span = round(width * 2)
                grid.addWidget(key, row_index, column, 1, span)
                column += span
        for column in range(round(units * 2)):
            grid.setColumnStretch(column, 1)
        self._outer.addWidget(page)
        self._update_shift_labels()
        self.retranslate_ui()

    def _letter_key(self, text: str) -> _Key:
        key = _Key(self._page or self, text)
        key.clicked.connect(lambda: self._type(key.value))
        self._typing_keys.append(key)
        if not self._symbols:
            self._letter_keys.append(key)
        return key

    def _function_key(self, name: str, label: str, action: Callable[[], None]) -> _Key:
        key = _Key(self._page or self)
        key.set_label(label)
        key.setObjectName("keyboardFunctionKey")
        key.clicked.connect(action)
        self._function_keys[name] = key
        return key

    # --- typing ------------------------------------------------------------------------------

    def _send(self, text: str, key: int | None = None) -> None:
        target = QApplication.focusWidget()
        if target is None or self.isAncestorOf(target):
            return
        code = _key_code(text) if key is None else key
        self._sending = True
        try:
            for event_type in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                event = QKeyEvent(event_type, code, Qt.KeyboardModifier.NoModifier, text)
                QApplication.sendEvent(target, event)
        finally:
            self._sending = False

    def _type(self, value: str) -> None:
        shifted = self._shift is not _Shift.OFF and not self._symbols
        self._send(self._letters_layout.shift(value) if shifted else value)
        if self._shift is _Shift.ONCE:
            self._shift = _Shift.OFF
            self._update_shift_labels()

    def _press_backspace(self) -> None:
        self._send("", int(Qt.Key.Key_Backspace))

    def _press_shift(self) -> None:
        double_tap = self._shift_clock.isValid() and (
            self._shift_clock.elapsed() < QApplication.doubleClickInterval()
        )
        self._shift_clock.start()
        if self._shift is _Shift.ONCE and double_tap:
            self._shift = _Shift.CAPS
        elif self._shift is _Shift.OFF:
            self._shift = _Shift.ONCE
        else:
            self._shift = _Shift.OFF
        self._update_shift_labels()

    def _update_shift_labels(self) -> None:
        shifted = self._shift is not _Shift.OFF
        for key in self._letter_keys:
            key.set_label(
                key_label(self._letters_layout.shift(key.value) if shifted else key.value)
            )
        shift_key = self._function_keys.get("shift")
        if shift_key is not None:
            shift_key.setCheckable(True)
            shift_key.setChecked(shifted)
            shift_key.setText("⇪" if self._shift is _Shift.CAPS else "⇧")
        self._grey_out_refused()

    def _typed_by(self, key: _Key) -> str:
        shifted = self._shift is not _Shift.OFF and not self._symbols
        return self._letters_layout.shift(key.value) if shifted else key.value

    def _grey_out_refused(self) -> None:
        for key in self._typing_keys:
            key.setEnabled(self.is_allowed(self._typed_by(key)))
        space = self._function_keys.get("space")
        if space is not None:
            space.setEnabled(self.is_allowed(" "))

    def show_latin(self, latin: bool) -> None:
        """Latin letters (a code, an e-mail address) or the UI language's own script."""
        wanted = LATIN_COMPANION if latin else self._language_layout
        if latin and self._language_layout.is_latin:
            wanted = self._language_layout
        if wanted is self._letters_layout and not self._symbols:
            return
        self._letters_layout = wanted
        self._symbols = False
        self._shift = _Shift.OFF
        self._rebuild()

    def _press_symbols(self) -> None:
        self._symbols = not self._symbols
        self._shift = _Shift.OFF
        self._rebuild()

    def _press_script(self) -> None:
        latin = self._letters_layout is not LATIN_COMPANION
        self._letters_layout = LATIN_COMPANION if latin else self._language_layout
        self._shift = _Shift.OFF
        self._rebuild()

    def _press_done(self) -> None:
        self.done_pressed.emit()
        self.hide()


TAP_TO_TYPE = "kioskTapToType"
"""Dynamic property of a field that gets focus by itself (a scanner's check-in field): the
on-screen keyboard comes only when someone taps the field, not whenever it is focused."""


def _text_input(widget: QWidget | None) -> QWidget | None:
    """The editable text widget that widget is, or None (a read-only field needs no keyboard)."""
    if isinstance(widget, QLineEdit | QAbstractSpinBox):
        return None if widget.isReadOnly() else widget
    if isinstance(widget, QTextEdit | QPlainTextEdit):
        return None if widget.isReadOnly() else widget
    if isinstance(widget, QComboBox):
        return widget if widget.isEditable() else None
    return None


class KeyboardController(QObject):
    """Shows the keyboard while a text field has focus, per the site's `onscreen_keyboard` mode.

    "auto" stays out of the way of a physical keyboard: focus that arrives by a physical key, or
    physical typing into the field, keeps or puts the on-screen keyboard away; a tap brings it.
    """

    visibility_changed = Signal(bool)
    """The keyboard was shown (True) or hidden (False)."""

    def __init__(self, keyboard: OnScreenKeyboard, mode: str) -> None:
        super().__init__(keyboard)
        self._keyboard = keyboard
        self._mode = ""
        self._physical_keys = False
        self.set_mode(mode)
        keyboard.done_pressed.connect(lambda: self._set_shown(False))
        app = QApplication.instance()
        if not isinstance(app, QApplication):
            raise RuntimeError("KeyboardController needs a QApplication")
        app.focusChanged.connect(self._on_focus_changed)
        # One filter for the whole app: only it sees which device the last input came from.
        app.installEventFilter(self)
        keyboard.hide()
        self._on_focus_changed(None, QApplication.focusWidget())

    @property
    def mode(self) -> str:
        return self._mode

    def set_mode(self, mode: str) -> None:
        """Switch between "auto", "always" and "never" (ValueError for anything else)."""
        if mode not in KEYBOARD_MODES:
            raise ValueError(f"onscreen_keyboard must be one of {KEYBOARD_MODES}, not {mode!r}")
        self._mode = mode
        if mode == "never":
            self._set_shown(False)

    @property
    def is_shown(self) -> bool:
        return not self._keyboard.isHidden()

    def _set_shown(self, shown: bool) -> None:
        if shown and self._mode == "never":
            return
        if shown != self.is_shown:
            self._keyboard.setVisible(shown)
            self.visibility_changed.emit(shown)

    def _on_focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        field = _text_input(new)
        # The keyboard is shared: only a field with a character filter greys out keys.
        rule = field.validator() if isinstance(field, QLineEdit) else None
        self._keyboard.set_allowed(rule.offers if isinstance(rule, CharacterFilter) else None)
        if field is None:
            self._set_shown(False)
            return
        # A field that takes only Latin input (a resume or booking code) gets Latin letters.
        latin_only = bool(field.inputMethodHints() & Qt.InputMethodHint.ImhLatinOnly)
        self._keyboard.show_latin(latin_only)
        if field.property(TAP_TO_TYPE):
            self._set_shown(False)  # a tap on it brings the keyboard (eventFilter)
        elif not (self._mode == "auto" and self._physical_keys):
            self._set_shown(True)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        event_type = event.type()
        if event_type == QEvent.Type.KeyPress:
            if not self._keyboard.is_sending_keys:
                self._physical_keys = True
                focus = QApplication.focusWidget()
                if self._mode == "auto" and watched is focus and _text_input(focus) is not None:
                    self._set_shown(False)
        elif event_type in (QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin):
            self._physical_keys = False
            # A tap on the focused field brings the keyboard back after Done or physical typing;
            # focus already moved before the press reaches this filter, so it is the field's own.
            focus = QApplication.focusWidget()
            if (
                isinstance(watched, QWidget)
                and _text_input(focus) is not None
                and (watched is focus or (focus is not None and focus.isAncestorOf(watched)))
            ):
                self._set_shown(True)
        return False
