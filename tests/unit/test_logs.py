"""The log file: records from the first moments reach it, and it rotates."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from kiosk.logs import open_log_file, start_logging


@pytest.fixture(autouse=True)
def clean_kiosk_logger() -> object:
    root = logging.getLogger("kiosk")
    before = list(root.handlers)
    yield
    for handler in [h for h in root.handlers if h not in before]:
        root.removeHandler(handler)
        handler.close()


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
