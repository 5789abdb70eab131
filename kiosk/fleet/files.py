"""Flushing a course folder to disk before it is renamed into use; single files go through
kiosk.storage.files.

kiosk.storage.files is plain standard library: importing it brings no SQLite into the UI's
imports (the UI uses the fleet's stores).
"""

from __future__ import annotations

import os
from pathlib import Path

from kiosk.storage.files import TEMP_PREFIX as FILE_TEMP_PREFIX
from kiosk.storage.files import fsync_directory, fsync_file, write_atomically

TEMP_PREFIX = ".incoming-"
"""How a course folder being unpacked is named until it is complete."""

IN_PROGRESS_PREFIXES = (TEMP_PREFIX, FILE_TEMP_PREFIX)
"""Names that may belong to a write still under way (a folder being unpacked, a file being
replaced): a clean-up leaves them alone until they are stale."""

__all__ = ["IN_PROGRESS_PREFIXES", "TEMP_PREFIX", "fsync_tree", "write_atomically"]


def fsync_tree(folder: Path) -> None:
    """Flush every file and folder below ``folder`` (and itself) to disk: a folder renamed into
    use must not hold empty files after a power cut."""
    for root, _dirs, files in os.walk(folder):
        for name in files:
            fsync_file(Path(root) / name)
        fsync_directory(Path(root))
