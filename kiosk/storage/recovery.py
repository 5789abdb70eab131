"""Corruption recovery at open: move the damaged file aside, restore the newest sound backup."""

from __future__ import annotations

import logging
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from kiosk.storage.backup import BackupStore, wall_clock
from kiosk.storage.connection import diagnose, translated_errors
from kiosk.storage.files import atomic_path, fsync_directory

log = logging.getLogger("kiosk.storage")

# Files SQLite keeps next to a database; they belong to it and move with it.
_COMPANION_SUFFIXES = ("-wal", "-shm", "-journal")


@dataclass(frozen=True)
class Recovery:
    reason: str
    moved_aside: Path
    restored_from: Path | None


def find_problem(db_path: Path, backups: BackupStore) -> str | None:
    """Why the database must be replaced, or None if it is sound (or simply not there yet)."""
    if not db_path.exists():
        return None
    if db_path.stat().st_size == 0:
        # SQLite treats an empty file as a new database. With backups around it can only be a
        # database that lost its contents, so it is restored rather than silently started over.
        return "empty file" if backups.newest_first() else None
    return diagnose(db_path)


def recover(
    db_path: Path, backups: BackupStore, reason: str, now: Callable[[], datetime]
) -> Recovery:
    """Move the damaged database aside (never delete it) and restore the newest sound backup."""
    moved_aside = move_aside(db_path, now)
    restored_from = restore_newest_usable_backup(db_path, backups)
    if restored_from is None:
        log.warning(
            "Database %s was unusable (%s): moved it aside to %s; no usable backup in %s, "
            "starting with an empty database",
            db_path,
            reason,
            moved_aside,
            backups.directory,
        )
    else:
        log.warning(
            "Database %s was unusable (%s): moved it aside to %s and restored backup %s",
            db_path,
            reason,
            moved_aside,
            restored_from,
        )
    return Recovery(reason=reason, moved_aside=moved_aside, restored_from=restored_from)


def move_aside(db_path: Path, now: Callable[[], datetime]) -> Path:
    """Rename the database and its companion files to ``<name>.corrupt-YYYYmmdd-HHMMSS``."""
    stamp = wall_clock(now()).strftime("%Y%m%d-%H%M%S")
    aside = db_path.with_name(f"{db_path.name}.corrupt-{stamp}")
    seq = 0
    while aside.exists():
        seq += 1
        aside = db_path.with_name(f"{db_path.name}.corrupt-{stamp}-{seq}")
    with translated_errors():
        # Companions first: a stale -wal left next to the restored file would be replayed
        # into it. Keeping the suffixes lets SQLite open the moved-aside copy for inspection.
        for suffix in _COMPANION_SUFFIXES:
            companion = db_path.with_name(db_path.name + suffix)
            if companion.exists():
                companion.rename(aside.with_name(aside.name + suffix))
        db_path.rename(aside)
        fsync_directory(db_path.parent)
    return aside


def restore_newest_usable_backup(db_path: Path, backups: BackupStore) -> Path | None:
    """Copy the newest backup that passes quick_check to ``db_path``; None if there is none."""
    for backup in backups.newest_first():
        if not backups.is_usable(backup):
            log.warning("Backup %s failed quick_check; trying an older one", backup)
            continue
        with translated_errors(), atomic_path(db_path) as restoring:
            shutil.copyfile(backup, restoring)
        return backup
    return None
