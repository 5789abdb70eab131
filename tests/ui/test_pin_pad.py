"""The staff PIN pad: touch and physical entry, masking, wrong-PIN and lockout states."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLabel, QPushButton
from pytestqt.qtbot import QtBot

from kiosk.core.i18n import Translator
from kiosk.ui.shell.pin_pad import PinPad

# The offscreen platform warns about every top-level window with a minimum size.
NoModifier = Qt.KeyboardModifier.NoModifier


@pytest.fixture
def translator() -> Translator:
    return Translator(Path("/nonexistent"), default="en")


@pytest.fixture
def pad(qtbot: QtBot, translator: Translator) -> PinPad:
    widget = PinPad(translator)
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def key(pad: PinPad, text: str) -> QPushButton:
    (found,) = [b for b in pad.findChildren(QPushButton) if b.text() == text]
    return found


def tap(qtbot: QtBot, pad: PinPad, keys: str) -> None:
    for text in keys:
        qtbot.mouseClick(key(pad, text), Qt.MouseButton.LeftButton)


def visible_texts(pad: PinPad) -> str:
    return " ".join(
        f"{label.text()} {label.accessibleName()} {label.accessibleDescription()}"
        for label in pad.findChildren(QLabel)
    )


def test_keys_then_ok_emit_the_pin(qtbot: QtBot, pad: PinPad) -> None:
    tap(qtbot, pad, "2580")
    with qtbot.waitSignal(pad.pin_entered) as entered:
        qtbot.mouseClick(key(pad, "OK"), Qt.MouseButton.LeftButton)
    assert entered.args == ["2580"]
    assert "●" not in visible_texts(pad), "the pad forgets the PIN once submitted"


def test_display_shows_dots_never_digits(qtbot: QtBot, pad: PinPad) -> None:
    tap(qtbot, pad, "258")
    shown = visible_texts(pad)
    assert shown.count("●") == 3
    assert not any(digit in shown for digit in "258"), shown


def test_backspace_and_clear(qtbot: QtBot, pad: PinPad) -> None:
    tap(qtbot, pad, "25803")
    qtbot.mouseClick(key(pad, "⌫"), Qt.MouseButton.LeftButton)
    assert visible_texts(pad).count("●") == 4
    with qtbot.waitSignal(pad.pin_entered) as entered:
        qtbot.mouseClick(key(pad, "OK"), Qt.MouseButton.LeftButton)
    assert entered.args == ["2580"]
    tap(qtbot, pad, "11")
    pad.clear()
    assert "●" not in visible_texts(pad)


def test_at_most_twelve_digits(qtbot: QtBot, pad: PinPad) -> None:
    tap(qtbot, pad, "12345678901234")
    with qtbot.waitSignal(pad.pin_entered) as entered:
        qtbot.mouseClick(key(pad, "OK"), Qt.MouseButton.LeftButton)
    assert entered.args == ["123456789012"]


def test_too_short_is_explained_not_submitted(qtbot: QtBot, pad: PinPad) -> None:
    tap(qtbot, pad, "25")
    with qtbot.assertNotEmitted(pad.pin_entered):
        qtbot.mouseClick(key(pad, "OK"), Qt.MouseButton.LeftButton)
    assert "at least 4 digits" in visible_texts(pad)


def test_physical_keyboard(qtbot: QtBot, pad: PinPad) -> None:
    qtbot.keyClicks(pad, "25809")
    qtbot.keyClick(pad, Qt.Key.Key_Backspace)
    with qtbot.waitSignal(pad.pin_entered) as entered:
        qtbot.keyClick(pad, Qt.Key.Key_Return)
    assert entered.args == ["2580"]
    # Arabic-Indic and Persian digits arrive as ASCII; Delete clears
    for digit in "١٢۳۴":  # QTest types ASCII only; a non-Latin keyboard sends these texts
        QApplication.sendEvent(pad, QKeyEvent(QEvent.Type.KeyPress, 0, NoModifier, digit))
    with qtbot.waitSignal(pad.pin_entered) as entered:
        qtbot.keyClick(pad, Qt.Key.Key_Enter)
    assert entered.args == ["1234"]
    qtbot.keyClicks(pad, "99")
    qtbot.keyClick(pad, Qt.Key.Key_Delete)
    assert "●" not in visible_texts(pad)


def test_pad_takes_focus_and_keys_do_not_steal_it(qtbot: QtBot, pad: PinPad) -> None:
    pad.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is pad)
    tap(qtbot, pad, "25")
    assert QApplication.focusWidget() is pad


def test_wrong_pin_message_counts_tries(pad: PinPad) -> None:
    pad.show_wrong(3)
    assert "Wrong PIN. 3 tries left." in visible_texts(pad)
    pad.show_wrong(1)
    assert "Wrong PIN. 1 try left." in visible_texts(pad)


def test_locked_disables_keys_and_counts_down(qtbot: QtBot, pad: PinPad) -> None:
    pad.show_locked(62)
    assert "Locked. Try again in 1:02" in visible_texts(pad)
    assert not any(b.isEnabled() for b in pad.findChildren(QPushButton))
    qtbot.keyClicks(pad, "2580")
    with qtbot.assertNotEmitted(pad.pin_entered):
        qtbot.keyClick(pad, Qt.Key.Key_Return)
    assert "●" not in visible_texts(pad)


def test_lock_ends_and_keys_come_back(qtbot: QtBot, pad: PinPad) -> None:
    with qtbot.waitSignal(pad.lock_expired, timeout=3000):
        pad.show_locked(0.2)
        assert not key(pad, "5").isEnabled()
    assert all(b.isEnabled() for b in pad.findChildren(QPushButton))
    assert not pad.is_locked
    tap(qtbot, pad, "2580")
    with qtbot.waitSignal(pad.pin_entered):
        qtbot.mouseClick(key(pad, "OK"), Qt.MouseButton.LeftButton)


def test_countdown_is_live(qtbot: QtBot, pad: PinPad) -> None:
    pad.show_locked(1.3)
    assert "0:02" in visible_texts(pad)
    qtbot.waitUntil(lambda: "0:01" in visible_texts(pad), timeout=2000)
    qtbot.waitUntil(lambda: key(pad, "5").isEnabled(), timeout=3000)


def test_unavailable(qtbot: QtBot, pad: PinPad) -> None:
    pad.show_unavailable()
    assert "not set up" in visible_texts(pad)
    assert not any(b.isEnabled() for b in pad.findChildren(QPushButton))
    pad.clear()
    assert all(b.isEnabled() for b in pad.findChildren(QPushButton))


def test_keypad_is_not_mirrored_in_rtl(qtbot: QtBot, pad: PinPad) -> None:
    pad.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
    qtbot.waitUntil(lambda: key(pad, "1").x() < key(pad, "3").x())
    assert key(pad, "⌫").x() < key(pad, "OK").x()


def test_language_change_retranslates(pad: PinPad, translator: Translator) -> None:
    pad.show_wrong(2)
    translator.set_language("de")
    QApplication.sendEvent(pad, QEvent(QEvent.Type.LanguageChange))
    assert "Wrong PIN. 2 tries left." in visible_texts(pad)  # no catalogue: source text stays


def test_every_control_has_a_name_and_a_big_target(pad: PinPad) -> None:
    buttons = pad.findChildren(QPushButton)
    assert len(buttons) == 12
    for button in buttons:
        assert button.accessibleName(), button.text()
        assert button.width() >= 48 and button.height() >= 48, button.text()
