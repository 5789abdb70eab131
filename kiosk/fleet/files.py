"""Writing a small file so that a power cut leaves either the old or the new one, never half.

No import of kiosk.storage here: the UI uses the fleet's stores, and only the storage layer
may bring SQLite into the UI's imports.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

TEMP_PREFIX = ".incoming-"


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, flush it to disk, then rename it over
    ``path`` (and flush the rename)."""
    temp = path.with_name(f"{TEMP_PREFIX}{secrets.token_hex(6)}-{path.name}")
    try:
        with temp.open("xb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        temp.replace(path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    _fsync_directory(path.parent)


def fsync_tree(folder: Path) -> None:
    """Flush every file and folder below ``folder`` (and itself) to disk: a folder renamed into
    use must not hold empty files after a power cut."""
    for root, _dirs, files in os.walk(folder):
        for name in files:
            _fsync(Path(root) / name)
        _fsync_directory(Path(root))


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_directory(path: Path) -> None:
    """Make a rename inside ``path`` survive power loss (POSIX only; Windows has no dir fsync)."""
    if os.name == "posix":
        _fsync(path)
