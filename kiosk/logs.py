"""The kiosk's log: a rotating file in the data directory, and stderr for the system journal.

Privacy: log lines name what happened (screen changes, backups, errors), never what a visitor
typed or chose; callers pass no names, codes or free text to the logger.

The file handler lives in `logging.handlers`, which pulls in sockets and pickling; the kiosk
opens it right after its first frame. Until then records wait in a small in-memory buffer, so
nothing logged during start-up is lost.

`kiosk run` also writes every record to stderr, which the Linux unit sends to the journal
(StandardError=journal): `journalctl -u probierladen-kiosk` then shows what the kiosk did even
when its data folder cannot be written. The same privacy rule holds there.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import TextIO

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# The journal stamps each line with its own time.
STDERR_FORMAT = "%(levelname)s %(name)s: %(message)s"
EARLY_RECORDS_KEPT = 1000


class _EarlyRecords(logging.Handler):
    """Keeps the records of the first moments until the log file is open."""

    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if len(self.records) < EARLY_RECORDS_KEPT:
            self.records.append(record)


def _log_path(data_dir: Path) -> Path:
    log_dir = data_dir / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    path = log_dir / "kiosk.log"
    with path.open("a", encoding="utf-8"):  # fails now, with a clear message, if unwritable
        pass
    return path


class _Stderr(logging.StreamHandler):  # type: ignore[type-arg]
    """The kiosk's records on stderr (the journal, under systemd): whatever sys.stderr is when
    a record comes, as logging's own last resort does, not the stream of the moment the
    handler was made (which may have been replaced and closed since)."""

    def __init__(self) -> None:
        logging.Handler.__init__(self)

    @property
    def stream(self) -> TextIO:
        return sys.stderr


def log_to_stderr() -> None:
    """Send the kiosk's records to stderr as well (once, however often this is called)."""
    root = logging.getLogger("kiosk")
    if not any(isinstance(h, _Stderr) for h in root.handlers):
        handler = _Stderr()
        handler.setFormatter(logging.Formatter(STDERR_FORMAT))
        root.addHandler(handler)


def start_logging(data_dir: Path, *, level: int = logging.INFO, to_stderr: bool = True) -> Path:
    """Check the log file can be written and buffer records until `open_log_file`; records
    go to stderr from now on (unless ``to_stderr`` is False), even when the file cannot be
    written."""
    root = logging.getLogger("kiosk")
    root.setLevel(level)
    if to_stderr:
        log_to_stderr()
    path = _log_path(data_dir)
    if not any(isinstance(h, _EarlyRecords) for h in root.handlers):
        root.addHandler(_EarlyRecords())
    return path


def open_log_file(data_dir: Path) -> Path:
    """Send the kiosk's records to data_dir/logs/kiosk.log (5 × 1 MB, rotating)."""
    import logging.handlers

    path = _log_path(data_dir)
    handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=1_000_000, backupCount=5, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    root = logging.getLogger("kiosk")
    for old in [h for h in root.handlers if getattr(h, "_kiosk_file", False)]:
        root.removeHandler(old)
        old.close()
    handler._kiosk_file = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    for early in [h for h in root.handlers if isinstance(h, _EarlyRecords)]:
        root.removeHandler(early)
        for record in early.records:
            handler.handle(record)
    return path


def setup_logging(data_dir: Path, *, level: int = logging.INFO) -> Path:
    """Open the log file now (commands other than `run`, which print to stderr themselves;
    and tests)."""
    start_logging(data_dir, level=level, to_stderr=False)
    return open_log_file(data_dir)
