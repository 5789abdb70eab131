"""Rotating log file in the data directory for staff and administrators.

Privacy: log lines name what happened (screen changes, backups, errors), never what a visitor
typed or chose; callers pass no names, codes or free text to the logger.
"""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def setup_logging(data_dir: Path, *, level: int = logging.INFO) -> Path:
    """Send the kiosk's log records to data_dir/logs/kiosk.log (5 × 1 MB, rotating)."""
    log_dir = data_dir / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    path = log_dir / "kiosk.log"
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
    root.setLevel(level)
    return path
