"""The kiosk shell as a visitor and staff meet it: idle wipe, end session, PIN lockout, lockdown."""

from __future__ import annotations

import logging
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeyEvent
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from kiosk import resources
from kiosk.app import KioskApp, build_app
from kiosk.config import SiteConfig, load_config
from kiosk.core.session import EndReason
from kiosk.storage.database import Storage
from kiosk.ui.shell.screens import Screen, Timing
from tests.ui.layout_checks import clipped_texts

FAST = Timing(
    visitor_idle_ms=400,
    staff_idle_ms=1500,
    warning_ms=2000,
    notice_ms=60_000,
    greeting_ms=100,
    long_press_ms=200,
)
LANGUAGES = ("de", "de-x-ls", "en", "uk", "ar", "ru", "tr", "fa")


@pytest.fixture
def config() -> SiteConfig:
    return load_config(resources.DEMO_CONFIG)


@pytest.fixture
def make_app(
    qtbot: QtBot, config: SiteConfig, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[object]:
    """Build the real kiosk (real storage in a temporary data dir) and clean up after it."""
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    built: list[KioskApp] = []

    def make(*, kiosk_mode: bool = False, timing: Timing = FAST, directory: Path = data_dir):
        app = build_app(
            config, directory, kiosk_mode=kiosk_mode, timing=timing, open_storage_now=True
        )
        app.window.resize(1280, 800)
        app.window.show()
        qtbot.waitExposed(app.window)
        built.append(app)
        return app

    yield make
    for app in built:
        app.window.idle.disarm()
        app.window._quit_allowed = True
        app.window.close()
        app.window.deleteLater()
        if app.desk.storage is not None:
            app.desk.storage.close()
    QGuiApplication.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
    # Delete the windows now: live ones from earlier tests would slow every restyle after.
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.fixture
def kiosk(make_app) -> KioskApp:  # type: ignore[no-untyped-def]
    return make_app()


def start_visit(qtbot: QtBot, kiosk: KioskApp, language: str = "") -> None:
    kiosk.window.attract.start_requested.emit(language)
    assert kiosk.window.current_screen is Screen.HOME


def test_idle_warning_counts_down_then_wipes_and_says_so(qtbot: QtBot, kiosk: KioskApp) -> None:
    window = kiosk.window
    start_visit(qtbot, kiosk, "en")
    qtbot.waitUntil(lambda: window.overlay.isVisible(), timeout=3000)
    assert window.overlay.countdown_text in {"2", "1"}
    counted = window.overlay.countdown_text
    qtbot.waitUntil(lambda: window.overlay.countdown_text != counted, timeout=3000)
    with qtbot.waitSignal(window.session_ended, timeout=4000) as ended:
        pass
    assert ended.args == [EndReason.IDLE.value]
    assert window.current_screen is Screen.ATTRACT
    assert not window.overlay.isVisible()
    assert kiosk.sessions.current is None
    # The farewell is in the language of the visitor who left, not the default.
    assert window.attract.notice_text == "Your data has been deleted. Thank you for your visit!"


def test_still_here_cancels_the_countdown(qtbot: QtBot, kiosk: KioskApp) -> None:
    window = kiosk.window
    start_visit(qtbot, kiosk)
    session = kiosk.sessions.current
    qtbot.waitUntil(lambda: window.overlay.isVisible(), timeout=3000)
    qtbot.mouseClick(window.overlay.button, Qt.MouseButton.LeftButton)
    assert not window.overlay.isVisible()
    qtbot.wait(900)  # longer than the rest of the countdown would have been
    assert kiosk.sessions.current is session
    assert window.current_screen is Screen.HOME


def test_typed_text_is_gone_after_the_wipe_and_undo_cannot_bring_it_back(
    qtbot: QtBot, kiosk: KioskApp
) -> None:
    window = kiosk.window
    start_visit(qtbot, kiosk)
    field = QLineEdit(window.home)  # any text field a visitor screen offers
    window.home.layout().addWidget(field)
    field.show()
    qtbot.keyClicks(field, "Erika Mustermann")
    QApplication.clipboard().setText("Erika Mustermann")
    window.end_session(EndReason.IDLE)
    assert field.text() == ""
    field.undo()
    assert field.text() == ""
    assert QApplication.clipboard().text() == ""


def test_end_button_asks_then_wipes_the_session_and_resets_text_size(
    qtbot: QtBot, kiosk: KioskApp
) -> None:
    window = kiosk.window
    start_visit(qtbot, kiosk, "uk")
    qtbot.mouseClick(window.header.larger, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(window.header.larger, Qt.MouseButton.LeftButton)
    assert kiosk.sessions.current is not None
    assert kiosk.sessions.current.text_scale_index == 2
    big = QApplication.instance().styleSheet()
    session = kiosk.sessions.current
    qtbot.mouseClick(window.header.end_session, Qt.MouseButton.LeftButton)
    assert window.chrome.end_confirm.isVisible()  # asked first: nothing is gone yet
    assert kiosk.sessions.current is session
    with qtbot.waitSignal(window.session_ended) as ended:
        qtbot.mouseClick(window.chrome.end_confirm.end_button, Qt.MouseButton.LeftButton)
    assert ended.args == [EndReason.ENDED_BY_VISITOR.value]
    assert kiosk.sessions.current is None
    assert window.current_screen is Screen.ATTRACT
    assert kiosk.translator.current.code == "de"
    assert QApplication.instance().styleSheet() != big
    start_visit(qtbot, kiosk)
    assert kiosk.sessions.current.text_scale_index == 0
    assert not window.header.smaller.isEnabled()


def test_session_rows_in_the_database_are_wiped(qtbot: QtBot, kiosk: KioskApp) -> None:
    start_visit(qtbot, kiosk)
    session = kiosk.sessions.current
    storage = kiosk.desk.storage
    assert session is not None and storage is not None
    storage.session_state.put(session.session_id, "draft", "half a booking")
    assert storage.session_state.get(session.session_id, "draft") == "half a booking"
    kiosk.window.end_session(EndReason.IDLE)
    assert storage.session_state.get(session.session_id, "draft") is None


def test_pin_pad_locks_after_five_wrong_pins(qtbot: QtBot, make_app, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    kiosk = make_app()
    window = kiosk.window
    window.open_staff_login()
    assert window.current_screen is Screen.STAFF_LOGIN
    pad = window.staff_login.pad
    for _ in range(5):
        qtbot.keyClicks(pad, "1111")
        qtbot.keyClick(pad, Qt.Key.Key_Return)
    assert pad.is_locked
    # The right PIN does not open a locked pad.
    qtbot.keyClicks(pad, "2468")
    qtbot.keyClick(pad, Qt.Key.Key_Return)
    assert window.current_screen is Screen.STAFF_LOGIN
    assert not window.staff_active
    # A restart (pulling the plug) does not lift the lock.
    restarted = make_app(directory=data_dir)
    restarted.window.open_staff_login()
    assert restarted.window.staff_login.pad.is_locked


def test_right_pin_opens_staff_mode_and_wipes_an_open_session(
    qtbot: QtBot, kiosk: KioskApp
) -> None:
    window = kiosk.window
    start_visit(qtbot, kiosk, "ar")
    window.open_staff_login()
    qtbot.keyClicks(window.staff_login.pad, "2468")
    qtbot.keyClick(window.staff_login.pad, Qt.Key.Key_Return)
    assert window.current_screen is Screen.STAFF_HOME
    assert window.staff_active
    assert kiosk.sessions.current is None
    window.leave_staff_mode()
    assert window.current_screen is Screen.ATTRACT


@pytest.mark.parametrize(
    ("key", "modifiers"),
    [
        (Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier),
        (Qt.Key.Key_F4, Qt.KeyboardModifier.AltModifier),
        (Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier),
    ],
)
def test_kiosk_mode_ignores_close_and_escape(
    qtbot: QtBot, make_app, key: Qt.Key, modifiers: Qt.KeyboardModifier
) -> None:  # type: ignore[no-untyped-def]
    kiosk = make_app(kiosk_mode=True)
    window = kiosk.window
    start_visit(qtbot, kiosk)
    event = QKeyEvent(QEvent.Type.KeyPress, key, modifiers)
    assert window.eventFilter(window.home, event) is True
    QApplication.sendEvent(window.home, QKeyEvent(QEvent.Type.KeyPress, key, modifiers))
    close = QCloseEvent()
    QApplication.sendEvent(window, close)
    assert not close.isAccepted()
    assert window.isVisible()
    assert window.current_screen is Screen.HOME


def test_windowed_demo_closes_normally(qtbot: QtBot, kiosk: KioskApp) -> None:
    close = QCloseEvent()
    QApplication.sendEvent(kiosk.window, close)
    assert close.isAccepted()


def test_exception_in_a_slot_lands_on_home_with_an_apology(
    qtbot: QtBot, kiosk: KioskApp, caplog: pytest.LogCaptureFixture
) -> None:
    window = kiosk.window
    start_visit(qtbot, kiosk, "en")
    window.show_screen(Screen.LEARN)

    def broken_slot() -> None:
        raise RuntimeError("a bug in some screen")

    with caplog.at_level(logging.ERROR, logger="kiosk"):
        QTimer.singleShot(0, broken_slot)
        qtbot.waitUntil(lambda: window.current_screen is Screen.HOME, timeout=2000)
    assert window.home.notice_text
    assert "Sorry" in window.home.notice_text
    assert any("a bug in some screen" in (r.exc_text or "") for r in caplog.records)
    assert kiosk.sessions.current is not None  # the visitor keeps their session


def test_language_switch_mirrors_the_layout_and_keeps_the_screen(
    qtbot: QtBot, kiosk: KioskApp
) -> None:
    window = kiosk.window
    start_visit(qtbot, kiosk, "de")
    german = window.header.smaller.accessibleName()
    bar = window.header.language_bar.buttons()
    qtbot.mouseClick(bar["ar"], Qt.MouseButton.LeftButton)
    assert window.current_screen is Screen.HOME
    assert window.header.smaller.accessibleName() != german
    assert window.layoutDirection() == Qt.LayoutDirection.RightToLeft
    # Mirrored: the first language (Deutsch) now sits at the right end of the bar.
    qtbot.waitUntil(lambda: bar["de"].x() > bar["fa"].x(), timeout=1000)
    assert window.header.end_session.x() < window.header.smaller.x()
    qtbot.mouseClick(bar["en"], Qt.MouseButton.LeftButton)
    assert window.layoutDirection() == Qt.LayoutDirection.LeftToRight
    qtbot.waitUntil(lambda: bar["de"].x() < bar["fa"].x(), timeout=1000)
    assert window.header.smaller.accessibleName() == "Smaller text"


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_text_is_cut_off(qtbot: QtBot, kiosk: KioskApp, language: str) -> None:
    window = kiosk.window
    start_visit(qtbot, kiosk, language)
    problems = []
    for screen in (Screen.HOME, Screen.LEARN, Screen.TRY_DEVICE):
        window.show_screen(screen)
        problems += [f"{screen.value}: {p}" for p in clipped_texts(window)]
    window.end_session(EndReason.ENDED_BY_VISITOR)
    window.attract.show_data_deleted(language, 60_000)
    problems += [f"attract: {p}" for p in clipped_texts(window)]
    assert problems == []


def test_garbage_database_starts_from_the_backup_and_is_kept_aside(
    make_app, data_dir: Path
) -> None:  # type: ignore[no-untyped-def]
    with Storage.open(data_dir) as storage:
        storage.settings.set("marker", "confirmed before the crash")
        storage.backup_now()
    database = data_dir / "kiosk.sqlite3"
    assert database.exists()
    garbage = b"this is not a database " * 500
    database.write_bytes(garbage)
    for leftover in data_dir.glob("kiosk.sqlite3-*"):
        leftover.unlink()

    kiosk = make_app()
    storage = kiosk.desk.storage
    assert storage is not None
    assert storage.settings.get("marker") == "confirmed before the crash"
    kept = [p for p in data_dir.rglob("*") if p.is_file() and p.read_bytes() == garbage]
    assert kept, "the damaged file must be kept for staff, not deleted"
    overview = kiosk.desk.overview()
    assert overview.database_ready
    assert overview.database_recovered


KIOSK_RUN = (sys.executable, "-m", "kiosk", "run")


@pytest.mark.slow
def test_exit_when_ready_ends_even_in_kiosk_mode(data_dir: Path) -> None:
    """The start-up benchmark measures the locked kiosk too; it must be able to end it."""
    result = subprocess.run(
        [*KIOSK_RUN, "--kiosk", "--exit-when-ready", "--data-dir", str(data_dir)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ready startup_ms=")


@pytest.mark.slow
def test_a_running_kiosk_keeps_its_start_up_heap_out_of_full_garbage_collections(
    data_dir: Path,
) -> None:
    """`kiosk run` freezes what start-up built once the database is open, so a full collection
    (every thread stopped, the screen included) walks only what was made since."""
    script = (
        "import gc, sys\n"
        "from pathlib import Path\n"
        "from kiosk import resources\n"
        "from kiosk.app import run_kiosk\n"
        "from kiosk.config import load_config\n"
        "run_kiosk(load_config(resources.DEMO_CONFIG), Path(sys.argv[1]), exit_when_ready=True)\n"
        "print('frozen', gc.get_freeze_count())\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(data_dir)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    frozen = result.stdout.splitlines()[-1]
    assert frozen.startswith("frozen ")
    assert int(frozen.split()[1]) > 10_000  # modules, widgets, courses: tens of thousands
