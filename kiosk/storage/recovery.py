"""Corruption recovery at open: move the damaged file aside, restore the newest sound backup.

A damaged copy is kept for staff to look at (or to hand to someone who can rescue bookings from
it) until the names in it are past their retention; then the name purge deletes it. Purging the
names inside it instead would need a database sound enough to be changed, which it is not.
"""

from __future__ import annotations

import logging
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from kiosk.storage.backup import BackupStore, wall_clock
from kiosk.storage.connection import diagnose, translated_errors
from kiosk.storage.files import PRIVATE, atomic_path, fsync_directory

log = logging.getLogger("kiosk.storage")

# Files SQLite keeps next to a database; they belong to it and move with it.
_COMPANION_SUFFIXES = ("-wal", "-shm", "-journal")
_ASIDE_STAMP = "%Y%m%d-%H%M%S"
_DAMAGED_COPY = re.compile(
    r".+\.corrupt-(?P<stamp>\d{8}-\d{6})(?:-\d+)?(?:" + "|".join(_COMPANION_SUFFIXES) + ")?"
)


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
    stamp = wall_clock(now()).strftime(_ASIDE_STAMP)
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
                aside.with_name(aside.name + suffix).chmod(PRIVATE)
        db_path.rename(aside)
        # It holds visitors' names: readable by the kiosk's user only, like the backups.
        aside.chmod(PRIVATE)
        fsync_directory(db_path.parent)
    return aside


def remove_damaged_copies(db_path: Path, moved_before: datetime) -> list[Path]:
    """Delete the damaged copies of ``db_path`` (and their companions) moved aside before then.

    A copy moved aside at a time T holds no booking made after T; once T is before the name
    purge's cut-off, the names of the bookings that had ended by T are past their retention.
    Names of bookings still ahead at T go with it earlier than they must, which is allowed:
    the copy is kept for inspection, and those bookings live on in the restored backup.
    """
    cutoff = wall_clock(moved_before)
    removed = []
    with translated_errors():
        for path in db_path.parent.glob(f"{db_path.name}.corrupt-*"):
            match = _DAMAGED_COPY.fullmatch(path.name)
            if match and datetime.strptime(match["stamp"], _ASIDE_STAMP) < cutoff:
                path.unlink(missing_ok=True)
                removed.append(path)
        if removed:
            fsync_directory(db_path.parent)
            log.info("Deleted %d damaged database file(s) past the name retention", len(removed))
    return removed


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
