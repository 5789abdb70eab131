"""A data folder the kiosk cannot write: a visible error for staff that stays up (no restart
loop), said on stderr too, and the kiosk starts once the folder can be written again."""

from __future__ import annotations

import argparse
import dataclasses
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from kiosk import resources
from kiosk.commands.common import EXIT_USAGE
from kiosk.commands.run import run
from kiosk.config import SiteConfig, load_config
from kiosk.ui.shell.data_folder_error import DataFolderErrorWindow, wait_for_data_folder
from tests.ui.looks import keep_look


def unwritable_folder(tmp_path: Path) -> Path:
    """A data folder that cannot be made: its parent is a regular file (tests run as root,
    which chmod does not stop)."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    return blocker / "kiosk-home"


def error_windows() -> list[DataFolderErrorWindow]:
    return [
        w
        for w in QApplication.topLevelWidgets()
        if isinstance(w, DataFolderErrorWindow) and w.isVisible()
    ]


def in_language(code: str) -> SiteConfig:
    config = load_config(resources.DEMO_CONFIG)
    return dataclasses.replace(
        config, languages=dataclasses.replace(config.languages, default=code)
    )


def test_kiosk_run_shows_the_error_and_keeps_it_up(
    qtbot: QtBot, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = unwritable_folder(tmp_path)
    args = argparse.Namespace(data_dir=str(folder), kiosk=False, lang=None, exit_when_ready=False)
    seen: list[str] = []

    def look_then_close() -> None:
        windows = error_windows()
        seen.extend(w.message.text() for w in windows)
        for window in windows:
            window.close()

    # Several seconds of event loop first: the window stays, nothing exits on its own.
    QTimer.singleShot(1500, look_then_close)
    code = run(args, in_language("en"))

    assert seen == [
        f"The kiosk cannot write its data folder \u2066{folder}\u2069 (read-only or full). "
        "Ask the administrator."
    ]
    assert code == EXIT_USAGE  # only because the (windowed) demo window was closed
    assert f"{folder}: cannot write the data directory" in capsys.readouterr().err


def test_the_kiosk_goes_on_once_the_folder_can_be_written(qtbot: QtBot, tmp_path: Path) -> None:
    folder = unwritable_folder(tmp_path)
    blocker = folder.parent

    def fix_the_folder() -> None:
        assert error_windows(), "the error is shown while the folder cannot be written"
        blocker.unlink()
        blocker.mkdir()

    QTimer.singleShot(300, fix_the_folder)
    try:
        (folder / "x").mkdir(parents=True)
    except OSError as error:
        failure = error
    assert wait_for_data_folder(in_language("de"), folder, failure, retry_ms=50)
    assert (folder / "logs" / "kiosk.log").is_file()
    assert not error_windows()
    # The kiosk starts in the same process: its timers must still run (they stopped for good
    # when the error's loop was the application's own).
    ticks: list[int] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(20)
    qtbot.waitUntil(lambda: len(ticks) >= 3, timeout=2000)
    timer.stop()


@pytest.mark.parametrize("code", ["de", "en", "ar"])
def test_the_error_reads_in_the_sites_language_and_direction(
    qtbot: QtBot, tmp_path: Path, code: str
) -> None:
    folder = tmp_path / "kiosk-home"
    (folder / "logs").mkdir(parents=True)
    (folder / "logs" / "kiosk.log").write_text(
        "".join(f"2025-03-03 09:00:{n:02d} INFO kiosk.app: screen attract\n" for n in range(20))
        + "2025-03-03 09:01:00 ERROR kiosk.storage: database could not be opened\n",
        encoding="utf-8",
    )

    def look_then_close() -> None:
        for window in error_windows():
            window.resize(1280, 800)
            keep_look(window, f"data-folder-error-{code}")
            assert window.isRightToLeft() == (code == "ar")
            lines = window.log_lines.text().splitlines()
            assert lines[-1].endswith("database could not be opened")
            assert len(lines) == 12  # the last twelve lines
            assert all(line.startswith("\u200e") for line in lines)  # left to right, always
            assert f"\u2066{folder}\u2069" in window.message.text()
            window.close()

    QTimer.singleShot(200, look_then_close)
    assert not wait_for_data_folder(
        in_language(code),
        folder,
        PermissionError(13, "Read-only file system"),
        writable=lambda: False,
    )
    QApplication.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
