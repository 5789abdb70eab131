"""The log file: records from the first moments reach it, and it rotates."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import pytest

from kiosk.logs import open_log_file, setup_logging, start_logging


def test_records_before_the_file_opens_are_kept(data_dir: Path) -> None:
    path = start_logging(data_dir)
    logging.getLogger("kiosk.app").info("starting up")
    assert path.read_text(encoding="utf-8") == ""  # nothing written before the first frame
    open_log_file(data_dir)
    logging.getLogger("kiosk.app").info("first frame shown")
    for handler in logging.getLogger("kiosk").handlers:
        handler.flush()
    lines = path.read_text(encoding="utf-8").splitlines()
    assert [line.split(": ", 1)[1] for line in lines] == ["starting up", "first frame shown"]


def test_an_unwritable_data_dir_fails_at_once(tmp_path: Path) -> None:
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(OSError):
        start_logging(blocker)


def test_records_reach_stderr_as_well_as_the_file(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Under systemd stderr is the journal: what the kiosk logs is there too, at once."""
    path = start_logging(data_dir)
    logging.getLogger("kiosk.app").warning("database could not be opened: disk full")
    assert "WARNING kiosk.app: database could not be opened: disk full" in capsys.readouterr().err
    open_log_file(data_dir)
    logging.getLogger("kiosk.app").info("screen home")
    for handler in logging.getLogger("kiosk").handlers:
        handler.flush()
    assert "INFO kiosk.app: screen home" in capsys.readouterr().err
    in_file = [line.split(": ", 1)[1] for line in path.read_text(encoding="utf-8").splitlines()]
    assert in_file == ["database could not be opened: disk full", "screen home"]


def test_an_unwritable_data_dir_is_still_told_on_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(OSError):
        start_logging(blocker)
    logging.getLogger("kiosk.app").error("the data folder cannot be written")
    assert "the data folder cannot be written" in capsys.readouterr().err


def test_stderr_is_added_once_and_not_for_other_commands(data_dir: Path) -> None:
    start_logging(data_dir)
    start_logging(data_dir)
    root = logging.getLogger("kiosk")
    to_stderr = [h for h in root.handlers if getattr(h, "stream", None) is sys.stderr]
    assert len(to_stderr) == 1
    for handler in to_stderr:
        root.removeHandler(handler)
    setup_logging(data_dir)
    assert not [h for h in root.handlers if getattr(h, "stream", None) is sys.stderr]
