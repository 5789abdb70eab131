"""Writing a small file so that a power cut leaves either the old or the new one, never half."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from kiosk.storage.connection import fsync_directory, fsync_file

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
    fsync_directory(path.parent)


def fsync_tree(folder: Path) -> None:
    """Flush every file and folder below ``folder`` (and itself) to disk: a folder renamed into
    use must not hold empty files after a power cut."""
    for root, _dirs, files in os.walk(folder):
        for name in files:
            fsync_file(Path(root) / name)
        fsync_directory(Path(root))
