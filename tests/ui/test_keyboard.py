"""The on-screen keyboard types into the focused field, and its controller shows it when needed."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QIntValidator
from PySide6.QtWidgets import (
    QApplication,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)
from pytestqt.qtbot import QtBot

from kiosk.core.i18n import Translator
from kiosk.ui.parts.keyboard import CharacterFilter, KeyboardController, OnScreenKeyboard
from kiosk.ui.parts.keyboard_layouts import LAYOUTS, ZWNJ

# The offscreen platform warns about every top-level window with a minimum size.
LEFT = Qt.MouseButton.LeftButton


class Screen(QWidget):
    """A stand-in for the main window: fields and a button above the keyboard."""

    def __init__(self, translator: Translator) -> None:
        super().__init__()
        self.line_edit = QLineEdit(self)
        self.other_edit = QLineEdit(self)
        self.plain_edit = QPlainTextEdit(self)
        self.read_only = QLineEdit(self)
        self.read_only.setReadOnly(True)
        self.button = QPushButton("Next", self)
        self.keyboard = OnScreenKeyboard(translator, self)
        layout = QVBoxLayout(self)
        for widget in (self.line_edit, self.other_edit, self.plain_edit, self.read_only):
            layout.addWidget(widget)
        layout.addWidget(self.button)
        layout.addWidget(self.keyboard)


@pytest.fixture
def translator() -> Translator:
    return Translator(Path("/nonexistent"), default="en")


@pytest.fixture
def screen(qtbot: QtBot, translator: Translator) -> Screen:
    widget = Screen(translator)
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is widget)
    return widget


def focus(qtbot: QtBot, widget: QWidget) -> None:
    widget.setFocus(Qt.FocusReason.OtherFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget)


def key(keyboard: OnScreenKeyboard, label: str) -> QPushButton:
    found = [
        b for b in keyboard.findChildren(QPushButton) if label in (b.text(), b.accessibleName())
    ]
    assert len(found) == 1, f"{label!r}: {[b.text() for b in keyboard.findChildren(QPushButton)]}"
    return found[0]


def named(keyboard: OnScreenKeyboard, name: str) -> QPushButton:
    (found,) = [b for b in keyboard.findChildren(QPushButton) if b.accessibleName() == name]
    return found


def tap(qtbot: QtBot, keyboard: OnScreenKeyboard, *labels: str) -> None:
    for label in labels:
        qtbot.mouseClick(key(keyboard, label), LEFT)


# --- typing --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "labels", "typed"),
    [
        ("de", ["h", "ä", "ß", "l", "ö", "ü"], "häßlöü"),
        ("de-x-ls", ["z", "y"], "zy"),
        ("en", ["q", "w", "e", "'"], "qwe'"),
        ("tr", ["ç", "ğ", "ı", "ş"], "çğış"),
        ("uk", ["і", "ї", "є", "ґ", "'"], "іїєґ'"),
        ("ru", ["ё", "ъ", "ы", "э"], "ёъыэ"),
        ("ar", ["م", "ر", "ح", "ب", "ا", "لا"], "مرحبالا"),
        ("fa", ["پ", "چ", "ژ", "گ", "ک", "ی"], "پچژگکی"),
    ],
)
def test_keys_type_into_the_focused_line_edit(
    qtbot: QtBot, screen: Screen, language: str, labels: list[str], typed: str
) -> None:
    screen.keyboard.set_language(language)
    focus(qtbot, screen.line_edit)
    tap(qtbot, screen.keyboard, *labels)
    assert screen.line_edit.text() == typed
    assert QApplication.focusWidget() is screen.line_edit, "keys must not take focus"


def test_digits_space_and_backspace(qtbot: QtBot, screen: Screen) -> None:
    focus(qtbot, screen.line_edit)
    tap(qtbot, screen.keyboard, "1", "2")
    qtbot.mouseClick(named(screen.keyboard, "Space"), LEFT)
    tap(qtbot, screen.keyboard, "3")
    assert screen.line_edit.text() == "12 3"
    qtbot.mouseClick(named(screen.keyboard, "Delete"), LEFT)
    assert screen.line_edit.text() == "12 "


def test_shift_is_one_shot_and_double_tap_locks_caps(qtbot: QtBot, screen: Screen) -> None:
    screen.keyboard.set_language("de")
    focus(qtbot, screen.line_edit)
    shift = named(screen.keyboard, "Shift")
    qtbot.mouseClick(shift, LEFT)
    tap(qtbot, screen.keyboard, "Ä")
    tap(qtbot, screen.keyboard, "p", "f", "e", "l")
    assert screen.line_edit.text() == "Äpfel"
    screen.line_edit.clear()
    qtbot.mouseClick(shift, LEFT)
    qtbot.mouseClick(shift, LEFT)
    tap(qtbot, screen.keyboard, "O", "K")
    qtbot.mouseClick(shift, LEFT)  # caps lock off again
    tap(qtbot, screen.keyboard, "s")
    assert screen.line_edit.text() == "OKs"


def test_turkish_shift_keeps_the_dot(qtbot: QtBot, screen: Screen) -> None:
    screen.keyboard.set_language("tr")
    focus(qtbot, screen.line_edit)
    shift = named(screen.keyboard, "Shift")
    qtbot.mouseClick(shift, LEFT)
    qtbot.mouseClick(shift, LEFT)
    tap(qtbot, screen.keyboard, "İ", "I")
    assert screen.line_edit.text() == "İI"


def test_arabic_shift_gives_hamza_forms(qtbot: QtBot, screen: Screen) -> None:
    screen.keyboard.set_language("ar")
    focus(qtbot, screen.line_edit)
    qtbot.mouseClick(named(screen.keyboard, "Shift"), LEFT)
    tap(qtbot, screen.keyboard, "أ", "ح")
    assert screen.line_edit.text() == "أح"


def test_symbols_page_and_latin_page(qtbot: QtBot, screen: Screen) -> None:
    screen.keyboard.set_language("uk")
    focus(qtbot, screen.line_edit)
    tap(qtbot, screen.keyboard, "ABC", "a")
    assert screen.keyboard.layout_id == "en"
    tap(qtbot, screen.keyboard, "?123", "@", "&", "_", "₴")
    assert key(screen.keyboard, "&").text() == "&&", "shown as &, not as a mnemonic"
    tap(qtbot, screen.keyboard, "ABC", "АБВ", "я")
    assert screen.line_edit.text() == "a@&_₴я"
    assert screen.keyboard.layout_id == "uk"


def test_persian_half_space(qtbot: QtBot, screen: Screen) -> None:
    screen.keyboard.set_language("fa")
    focus(qtbot, screen.line_edit)
    tap(qtbot, screen.keyboard, "م", "ی", "?123")
    qtbot.mouseClick(key(screen.keyboard, "نیم‌فاصله"), LEFT)
    tap(qtbot, screen.keyboard, "آبپ", "خ")
    assert screen.line_edit.text() == "می" + ZWNJ + "خ"


@pytest.mark.parametrize("editor_type", [QPlainTextEdit, QTextEdit])
def test_multi_line_editors(qtbot: QtBot, translator: Translator, editor_type: type) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    editor = editor_type(window)
    keyboard = OnScreenKeyboard(translator, window)
    QVBoxLayout(window).addWidget(editor)
    window.layout().addWidget(keyboard)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    focus(qtbot, editor)
    keyboard.set_language("ru")
    tap(qtbot, keyboard, "м", "и", "р")
    assert editor.toPlainText() == "мир"


def test_validators_and_masks_apply(qtbot: QtBot, screen: Screen) -> None:
    screen.line_edit.setValidator(QIntValidator(0, 999, screen.line_edit))
    focus(qtbot, screen.line_edit)
    tap(qtbot, screen.keyboard, "4", "q", "2")
    assert screen.line_edit.text() == "42"
    screen.other_edit.setInputMask("99-99")
    focus(qtbot, screen.other_edit)
    screen.other_edit.setCursorPosition(0)
    tap(qtbot, screen.keyboard, "1", "2", "3")
    assert screen.other_edit.text() == "12-3"


def test_spin_box(qtbot: QtBot, screen: Screen) -> None:
    spin = QSpinBox(screen)
    spin.setRange(0, 100)
    screen.layout().addWidget(spin)
    spin.show()
    focus(qtbot, spin)
    spin.lineEdit().selectAll()
    tap(qtbot, screen.keyboard, "4", "2")
    assert spin.value() == 42


def test_set_language_switches_layouts(screen: Screen) -> None:
    keyboard = screen.keyboard
    for language, layout_id, letter in [
        ("de", "de", "ß"),
        ("de-x-ls", "de", "ö"),
        ("en", "en", "w"),
        ("tr", "tr", "ğ"),
        ("uk", "uk", "ї"),
        ("ru", "ru", "ы"),
        ("ar", "ar", "ض"),
        ("fa", "fa", "گ"),
    ]:
        keyboard.set_language(language)
        assert keyboard.layout_id == layout_id
        key(keyboard, letter)
        key(keyboard, LAYOUTS[layout_id].title)  # the space bar names the layout


def test_language_change_event_follows_the_translator(
    screen: Screen, translator: Translator
) -> None:
    translator.set_language("ar")
    QApplication.sendEvent(screen.keyboard, QEvent(QEvent.Type.LanguageChange))
    assert screen.keyboard.layout_id == "ar"


def test_keyboard_is_not_mirrored_in_rtl(qtbot: QtBot, screen: Screen) -> None:
    screen.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
    screen.keyboard.set_language("ar")
    keyboard = screen.keyboard
    qtbot.waitUntil(lambda: key(keyboard, "ض").x() < key(keyboard, "د").x())
    assert key(keyboard, "1").x() < key(keyboard, "0").x()


def test_keys_are_big_and_named(screen: Screen) -> None:
    for language in ("de", "uk", "ar", "fa"):
        screen.keyboard.set_language(language)
        QApplication.processEvents()
        keys = screen.keyboard.findChildren(QPushButton)
        assert len(keys) > 40
        for button in keys:
            assert button.isVisible()
            assert button.width() >= 48 and button.height() >= 48, (language, button.text())
            assert button.accessibleName(), button.text()
            assert button.focusPolicy() == Qt.FocusPolicy.NoFocus


# --- controller ----------------------------------------------------------------------------------


def start(qtbot: QtBot, screen: Screen, mode: str) -> KeyboardController:
    focus(qtbot, screen.button)  # activating the window put focus into the first field
    return KeyboardController(screen.keyboard, mode)


def test_controller_shows_on_focus_and_hides_on_done(qtbot: QtBot, screen: Screen) -> None:
    controller = start(qtbot, screen, "auto")
    assert not controller.is_shown
    with qtbot.waitSignal(controller.visibility_changed) as shown:
        qtbot.mouseClick(screen.line_edit, LEFT)
    assert shown.args == [True]
    assert screen.keyboard.isVisible()
    with qtbot.waitSignal(controller.visibility_changed) as hidden:
        qtbot.mouseClick(named(screen.keyboard, "Hide keyboard"), LEFT)
    assert hidden.args == [False]
    assert not screen.keyboard.isVisible()
    assert QApplication.focusWidget() is screen.line_edit
    # tapping the field again brings it back
    with qtbot.waitSignal(controller.visibility_changed) as again:
        qtbot.mouseClick(screen.line_edit, LEFT)
    assert again.args == [True]


def test_controller_hides_when_focus_leaves_text_inputs(qtbot: QtBot, screen: Screen) -> None:
    controller = start(qtbot, screen, "always")
    qtbot.mouseClick(screen.line_edit, LEFT)
    assert controller.is_shown
    with qtbot.assertNotEmitted(controller.visibility_changed):
        qtbot.mouseClick(screen.plain_edit.viewport(), LEFT)
    assert controller.is_shown
    with qtbot.waitSignal(controller.visibility_changed) as hidden:
        qtbot.mouseClick(screen.button, LEFT)
    assert hidden.args == [False]
    qtbot.mouseClick(screen.read_only, LEFT)
    assert not controller.is_shown


def test_auto_gives_way_to_a_physical_keyboard(qtbot: QtBot, screen: Screen) -> None:
    controller = start(qtbot, screen, "auto")
    qtbot.mouseClick(screen.line_edit, LEFT)
    assert controller.is_shown
    tap(qtbot, screen.keyboard, "o", "k")  # our own keys are not physical typing
    assert controller.is_shown
    with qtbot.waitSignal(controller.visibility_changed) as hidden:
        qtbot.keyClicks(screen.line_edit, "hi")
    assert hidden.args == [False]
    assert screen.line_edit.text() == "okhi"
    qtbot.keyClick(screen.line_edit, Qt.Key.Key_Tab)  # focus moves by key: stays hidden
    assert QApplication.focusWidget() is screen.other_edit
    assert not controller.is_shown


def test_always_shows_despite_a_physical_keyboard(qtbot: QtBot, screen: Screen) -> None:
    controller = start(qtbot, screen, "always")
    focus(qtbot, screen.line_edit)
    qtbot.keyClicks(screen.line_edit, "hi")
    assert controller.is_shown
    qtbot.keyClick(screen.line_edit, Qt.Key.Key_Tab)
    assert controller.is_shown


def test_never_never_shows(qtbot: QtBot, screen: Screen) -> None:
    controller = start(qtbot, screen, "never")
    with qtbot.assertNotEmitted(controller.visibility_changed):
        qtbot.mouseClick(screen.line_edit, LEFT)
        focus(qtbot, screen.other_edit)
    assert not screen.keyboard.isVisible()


def test_field_focused_before_the_controller_exists(qtbot: QtBot, screen: Screen) -> None:
    focus(qtbot, screen.line_edit)
    assert KeyboardController(screen.keyboard, "always").is_shown


def test_unknown_mode_is_refused(screen: Screen) -> None:
    with pytest.raises(ValueError, match="onscreen_keyboard"):
        KeyboardController(screen.keyboard, "sometimes")


# --- fields that take only some characters -------------------------------------------------------


def typing_key(keyboard: OnScreenKeyboard, value: str) -> QPushButton:
    """The key that types ``value`` (by what it types, whatever its label shows)."""
    (found,) = [b for b in keyboard.findChildren(QPushButton) if getattr(b, "value", None) == value]
    return found


def test_a_filtered_field_greys_out_keys_while_it_has_focus(qtbot: QtBot, screen: Screen) -> None:
    screen.line_edit.setValidator(CharacterFilter(lambda c: c in "akK7- ", screen.line_edit))
    start(qtbot, screen, "always")
    keyboard = screen.keyboard
    focus(qtbot, screen.line_edit)
    assert typing_key(keyboard, "a").isEnabled() and typing_key(keyboard, "7").isEnabled()
    assert not typing_key(keyboard, "o").isEnabled() and not typing_key(keyboard, "1").isEnabled()
    assert named(keyboard, "Space").isEnabled()
    qtbot.mouseClick(named(keyboard, "Shift"), LEFT)  # "A" is not allowed, so now "a" is grey
    assert not typing_key(keyboard, "a").isEnabled() and typing_key(keyboard, "k").isEnabled()
    tap(qtbot, keyboard, "K")  # Shift is off again after one letter
    tap(qtbot, keyboard, "a")
    assert screen.line_edit.text() == "Ka"

    focus(qtbot, screen.other_edit)  # the keyboard is shared: every key works again
    assert all(typing_key(keyboard, value).isEnabled() for value in "ao1.")
    tap(qtbot, keyboard, "o")
    assert screen.other_edit.text() == "o"
    focus(qtbot, screen.line_edit)
    assert not typing_key(keyboard, "o").isEnabled()
    focus(qtbot, screen.button)  # no text field at all
    assert typing_key(keyboard, "o").isEnabled()


def test_a_filtered_field_leaves_out_physically_typed_characters_and_says_so(
    qtbot: QtBot, screen: Screen
) -> None:
    rule = CharacterFilter(lambda c: c in "ak7- ", screen.line_edit)
    screen.line_edit.setValidator(rule)
    focus(qtbot, screen.line_edit)
    with qtbot.waitSignal(rule.refused):
        qtbot.keyClicks(screen.line_edit, "k7o1a")  # a scanner types like a keyboard
    assert screen.line_edit.text() == "k7a"
    with qtbot.waitSignal(screen.line_edit.returnPressed):  # an incomplete text still submits
        qtbot.keyClick(screen.line_edit, Qt.Key.Key_Return)


def test_the_keyboard_greys_out_what_the_rule_refuses_on_every_page(
    qtbot: QtBot, screen: Screen
) -> None:
    keyboard = screen.keyboard
    keyboard.set_allowed(lambda c: c in "_k")
    assert not typing_key(keyboard, "q").isEnabled() and typing_key(keyboard, "k").isEnabled()
    qtbot.mouseClick(named(keyboard, "Numbers and symbols"), LEFT)
    assert typing_key(keyboard, "_").isEnabled() and not typing_key(keyboard, "@").isEnabled()
    keyboard.set_allowed(None)
    assert typing_key(keyboard, "@").isEnabled()
