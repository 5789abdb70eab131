"""Nothing staff opened outlives staff mode: dialogs, menus, typed text, the clipboard."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QTimer
from PySide6.QtGui import QClipboard, QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QLineEdit,
    QMenu,
    QMessageBox,
    QWidget,
)
from pytestqt.qtbot import QtBot

from kiosk import resources
from kiosk.app import KioskApp, build_app
from kiosk.config import load_config
from kiosk.core.session import EndReason
from kiosk.ui.shell.screens import Screen, Timing

# Staff mode times out after 0.3 s and a 0.3 s warning; visitors are not timed out here.
STAFF_LEAVES_SOON = Timing(
    visitor_idle_ms=600_000,
    staff_idle_ms=300,
    warning_ms=300,
    notice_ms=60_000,
    greeting_ms=100_000,
    long_press_ms=3000,
)
STAFF_STAYS = Timing(
    visitor_idle_ms=600_000,
    staff_idle_ms=600_000,
    warning_ms=30_000,
    notice_ms=60_000,
    greeting_ms=100_000,
    long_press_ms=3000,
)

MakeApp = Callable[[Timing], KioskApp]
# Popups and dialogs on the offscreen platform: it cannot raise windows or grab the keyboard.
pytestmark = pytest.mark.qt_log_ignore(
    "This plugin does not support raise", "This plugin does not support grabbing"
)


@pytest.fixture
def make_app(qtbot: QtBot, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[MakeApp]:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    built: list[KioskApp] = []

    def make(timing: Timing) -> KioskApp:
        config = load_config(resources.DEMO_CONFIG)
        app = build_app(config, data_dir, timing=timing, open_storage_now=True)
        app.window.resize(1280, 800)
        app.window.show()
        qtbot.waitExposed(app.window)
        built.append(app)
        return app

    yield make
    for app in built:
        app.window.idle.disarm()
        app.window.close()
        app.window.deleteLater()
        if app.desk.storage is not None:
            app.desk.storage.close()
    for widget in QApplication.topLevelWidgets():  # whatever a failing test left open
        if isinstance(widget, (QDialog, QMenu)):
            widget.hide()
            widget.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def folder_picker(parent: QWidget) -> QFileDialog:
    """The folder picker as an export offered it: Qt's own dialog, which can browse and delete."""
    dialog = QFileDialog(parent, "Choose the folder for exports", str(Path.home()))
    dialog.setFileMode(QFileDialog.FileMode.Directory)
    dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    return dialog


def stubborn_message_box(parent: QWidget) -> QMessageBox:
    """A message box with no escape button: it ignores a plain close()."""
    box = QMessageBox(parent)
    box.setText("Export finished")
    box.addButton("Show me", QMessageBox.ButtonRole.AcceptRole)
    return box


def a_menu(parent: QWidget) -> QMenu:
    menu = QMenu(parent)
    menu.addAction("Delete")
    menu.addMenu("More").addAction("Rename")
    return menu


def enter_staff_mode(app: KioskApp) -> None:
    app.window.enter_staff_mode()  # what the right PIN does
    assert app.window.current_screen is Screen.STAFF_HOME
    assert app.window.staff_active


def copy_to_clipboard(text: str) -> QClipboard:
    clipboard = QGuiApplication.clipboard()
    clipboard.setText(text)
    assert clipboard.text() == text
    return clipboard


def test_the_staff_timeout_closes_every_dialog_menu_and_popup_and_empties_the_clipboard(
    qtbot: QtBot, make_app: MakeApp
) -> None:
    app = make_app(STAFF_LEAVES_SOON)
    enter_staff_mode(app)
    screen = app.window.screen_widget(Screen.STAFF_HOME)
    picker = folder_picker(screen)
    picker.open()
    box = stubborn_message_box(screen)
    box.show()
    loose_box = QMessageBox(QMessageBox.Icon.Information, "Backup", "Backup made", parent=None)
    loose_box.show()
    menu = a_menu(screen)
    menu.popup(screen.mapToGlobal(screen.rect().center()))
    qtbot.waitUntil(menu.isVisible)
    assert picker.isVisible() and box.isVisible() and loose_box.isVisible()
    clipboard = copy_to_clipboard("Meyer, 0176 555 01 23")

    qtbot.waitUntil(lambda: app.window.current_screen is Screen.ATTRACT, timeout=5000)

    assert not app.window.staff_active
    assert not picker.isVisible()
    assert not box.isVisible()
    assert not loose_box.isVisible()
    assert not menu.isVisible()
    assert QApplication.activePopupWidget() is None
    assert QApplication.activeModalWidget() is None
    assert clipboard.text() == ""


def test_a_folder_picker_in_its_own_event_loop_returns_when_staff_mode_times_out(
    qtbot: QtBot, make_app: MakeApp
) -> None:
    """The way an export asked for a folder: exec() blocks in a nested loop until answered."""
    app = make_app(STAFF_LEAVES_SOON)
    enter_staff_mode(app)
    picker = folder_picker(app.window.screen_widget(Screen.STAFF_HOME))
    answers: list[int] = []
    QTimer.singleShot(0, lambda: answers.append(picker.exec()))
    # Should the timeout leave it open, the test answers it itself (or it would wait forever).
    # The picker owns that timer: once the picker is gone it never fires (in a later test).
    QTimer.singleShot(5000, picker, lambda: picker.done(QDialog.DialogCode.Accepted.value))

    qtbot.waitUntil(lambda: bool(answers), timeout=8000)

    assert answers == [QDialog.DialogCode.Rejected.value]
    assert app.window.current_screen is Screen.ATTRACT
    assert not picker.isVisible()


def test_leaving_staff_mode_closes_dialogs_and_forgets_what_staff_typed(
    qtbot: QtBot, make_app: MakeApp
) -> None:
    app = make_app(STAFF_STAYS)
    enter_staff_mode(app)
    screen = app.window.screen_widget(Screen.STAFF_HOME)
    search = QLineEdit(screen)
    search.setText("Meyer")
    box = stubborn_message_box(screen)
    box.show()
    clipboard = copy_to_clipboard("Meyer")

    app.window.leave_staff_mode()

    assert app.window.current_screen is Screen.ATTRACT
    assert not box.isVisible()
    assert search.text() == ""
    assert not search.isUndoAvailable()
    assert clipboard.text() == ""


def test_moving_between_staff_screens_leaves_an_open_dialog_alone(
    qtbot: QtBot, make_app: MakeApp
) -> None:
    app = make_app(STAFF_STAYS)
    enter_staff_mode(app)
    box = stubborn_message_box(app.window)
    box.show()
    clipboard = copy_to_clipboard("K7P-MR3")

    app.window.show_screen(Screen.STAFF_STATS)
    app.window.show_screen(Screen.STAFF_HOME)

    assert box.isVisible()
    assert clipboard.text() == "K7P-MR3"
    box.done(QDialog.DialogCode.Accepted.value)


def test_a_visitors_wipe_closes_an_open_context_menu(qtbot: QtBot, make_app: MakeApp) -> None:
    app = make_app(STAFF_STAYS)
    app.window.attract.start_requested.emit("de")
    assert app.sessions.current is not None
    menu = a_menu(app.window)
    menu.popup(app.window.mapToGlobal(app.window.rect().center()))
    qtbot.waitUntil(menu.isVisible)

    app.window.end_session(EndReason.IDLE)

    assert app.window.current_screen is Screen.ATTRACT
    assert not menu.isVisible()


def test_hiding_the_window_for_a_new_site_config_closes_what_is_open(
    qtbot: QtBot, make_app: MakeApp
) -> None:
    app = make_app(STAFF_STAYS)
    box = QMessageBox(QMessageBox.Icon.Information, "Hub", "New settings", parent=None)
    box.show()
    qtbot.waitExposed(box)

    app.window.hide()  # what run_kiosk does to the old window once the new one is shown

    assert not box.isVisible()
