"""Writing a file so that a power cut or a failed write leaves the old file or the new, never half.

Every file the kiosk writes for keeps — exports, slips, reports, backups, fleet files — goes
through here: a private temporary sibling (``.partial-…``, mode 0600 from its first byte), then
the final mode, a file fsync, an atomic rename and a directory fsync. Only the standard library:
the UI and the fleet import this without pulling in SQLite.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

TEMP_PREFIX = ".partial-"
"""How a temporary sibling's name starts: leftovers of a crash can be recognised and removed."""

PRIVATE = 0o600
"""The default mode: files that can hold a visitor's name are readable by the kiosk's user only."""


def fsync_file(path: Path) -> None:
    """Flush ``path``'s content to the disk (it must exist)."""
    _flush(path)


def _flush(path: Path) -> None:
    # Windows flushes only through a handle opened for writing (FlushFileBuffers needs
    # GENERIC_WRITE); POSIX flushes through any descriptor, and a folder opens read-only.
    flags = os.O_RDONLY if os.name == "posix" else os.O_RDWR | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_directory(path: Path) -> None:
    """Make a rename inside ``path`` survive power loss (POSIX only; Windows has no dir fsync,
    and its renames are journalled by NTFS)."""
    if os.name != "posix":
        return
    _flush(path)


def temp_sibling(path: Path) -> Path:
    """A fresh name beside ``path`` for its temporary file (same folder: the rename is atomic)."""
    return path.with_name(f"{TEMP_PREFIX}{secrets.token_hex(6)}-{path.name}")


def _create_private(temp: Path) -> int:
    # O_EXCL: never follow or reuse a file someone planted under the name; 0o600 from the start,
    # so the content is never readable by others, not even between open and chmod.
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    return os.open(temp, flags, PRIVATE)


def _publish(temp: Path, path: Path, mode: int) -> None:
    """Give ``temp`` its final mode, flush it, rename it over ``path`` and flush the rename."""
    temp.chmod(mode)
    fsync_file(temp)
    temp.replace(path)
    fsync_directory(path.parent)


@contextlib.contextmanager
def atomic_path(path: Path, *, mode: int = PRIVATE) -> Iterator[Path]:
    """Yield a temporary path beside ``path`` for a writer that opens files by name itself
    (sqlite3's backup, QPdfWriter, zipfile); when the block ends without an error the file is
    given ``mode``, flushed and renamed over ``path``.

    The temporary file already exists (empty, 0600) when the block starts, so a writer that
    truncates it keeps it private. On any error it is removed and the old ``path`` stays.
    """
    path = Path(path)
    temp = temp_sibling(path)
    os.close(_create_private(temp))
    try:
        yield temp
        _publish(temp, path, mode)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise


@contextlib.contextmanager
def atomic_file(path: Path, *, mode: int = PRIVATE) -> Iterator[BinaryIO]:
    """Yield a binary file to stream into; when the block ends without an error it replaces
    ``path`` (with ``mode``, fsynced, directory fsynced). On any error the old ``path`` stays
    and no temporary file is left."""
    with atomic_path(path, mode=mode) as temp, temp.open("wb") as stream:
        yield stream


def write_atomically(path: Path, data: bytes, *, mode: int = PRIVATE) -> None:
    """Replace ``path`` with ``data``, all or nothing (OSError when it cannot be written)."""
    with atomic_file(path, mode=mode) as stream:
        stream.write(data)
