"""The staff PIN pad on a database that cannot be written: the right PIN does not open staff
mode, and staff are told why in plain words."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from kiosk.core.i18n import Translator
from kiosk.core.staff_auth import EVENT_NOT_COUNTED, KEY_PIN_HASH, StaffGate, hash_pin
from kiosk.storage import StorageFullError
from kiosk.storage.database import Storage
from kiosk.ui.shell.staff_login import StaffLoginScreen

PIN = "2580"
NOT_COUNTED_TEXT = "The kiosk cannot record PIN attempts right now"


@pytest.fixture(scope="module")
def encoded() -> str:
    return hash_pin(PIN)


@pytest.fixture
def storage(tmp_path: Path, encoded: str) -> Iterator[Storage]:
    opened = Storage.open(tmp_path / "data")
    opened.settings.set(KEY_PIN_HASH, encoded)
    yield opened
    opened.close()


@pytest.fixture
def screen(qtbot: QtBot, storage: Storage) -> StaffLoginScreen:
    gate = StaffGate(storage.settings, events=storage.staff_events.add)
    login = StaffLoginScreen(Translator(Path("/nonexistent"), default="en"), lambda: gate)
    qtbot.addWidget(login)
    login.resize(1280, 800)
    login.show()
    qtbot.waitExposed(login)
    login.enter()
    return login


def type_pin(qtbot: QtBot, screen: StaffLoginScreen, pin: str) -> None:
    qtbot.keyClicks(screen.pad, pin)
    qtbot.keyClick(screen.pad, Qt.Key.Key_Return)


def message(screen: StaffLoginScreen) -> str:
    (label,) = [w for w in screen.findChildren(QLabel) if w.objectName() == "pinMessage"]
    return label.text()


def fill_the_disk(storage: Storage) -> None:
    """SQLite's size limit reports SQLITE_FULL as a full disk does; filled until not even a
    small settings row fits."""
    pages = storage._db.execute("PRAGMA page_count").fetchone()[0]
    storage._db.execute(f"PRAGMA max_page_count = {pages}")
    filler = 0
    for size in (4000, 1000, 200, 40, 8, 1):
        while True:
            try:
                storage.settings.set(f"filler.{filler:06d}", "x" * size)
            except StorageFullError:
                break
            filler += 1


def test_on_a_full_disk_the_right_pin_does_not_open_staff_mode(
    qtbot: QtBot, screen: StaffLoginScreen, storage: Storage
) -> None:
    fill_the_disk(storage)
    with qtbot.assertNotEmitted(screen.authenticated):
        type_pin(qtbot, screen, PIN)
    assert message(screen).startswith(NOT_COUNTED_TEXT)
    assert "Ask the administrator." in message(screen)
    # The keys stay off: nothing typed now could be counted either.
    assert not screen.pad.findChild(QLabel, "pinDisplay").text()
    assert all(not key.isEnabled() for key in screen.pad._keys())
    assert EVENT_NOT_COUNTED in [event.kind for event in storage.staff_events.recent()]


def test_on_a_read_only_database_the_right_pin_does_not_open_staff_mode(
    qtbot: QtBot, screen: StaffLoginScreen, storage: Storage
) -> None:
    storage._db.execute("PRAGMA query_only = ON")  # every write fails, as on a read-only file
    try:
        with qtbot.assertNotEmitted(screen.authenticated):
            type_pin(qtbot, screen, PIN)
        assert message(screen).startswith(NOT_COUNTED_TEXT)
    finally:
        storage._db.execute("PRAGMA query_only = OFF")
    # Opening the pad again tries anew, and with a writable database the PIN opens staff mode.
    screen.enter()
    assert message(screen) == ""
    with qtbot.waitSignal(screen.authenticated):
        type_pin(qtbot, screen, PIN)
