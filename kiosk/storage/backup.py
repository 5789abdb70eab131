"""Backups in ``backups/``: one a day and one before each update, kept for N days, names purged.

A day's backup is ``kiosk-YYYYMMDD-HHMMSS.sqlite3`` (``-1``, ``-2`` … for more in one second),
a backup before an update ``kiosk-YYYYMMDD-HHMMSS-before-update.sqlite3``; the date in the name
is the local calendar day, which is what "one a day" and "keep N days" count.
"""

from __future__ import annotations

import logging
import re
import shutil
import sqlite3
from collections.abc import Callable
from contextlib import closing
from datetime import date, datetime
from pathlib import Path

from kiosk.storage.connection import (
    check_problems,
    connect_read_only,
    is_corruption,
    storage_error_from_sqlite,
    translated_errors,
)
from kiosk.storage.files import PRIVATE, TEMP_PREFIX, atomic_path
from kiosk.storage.name_purge import holds_names, purge_names_in

log = logging.getLogger("kiosk.storage")

_STAMP_FORMAT = "%Y%m%d-%H%M%S"
BEFORE_UPDATE = "-before-update"
_BACKUP_NAME = re.compile(
    rf"kiosk-(?P<stamp>\d{{8}}-\d{{6}})(?:-(?P<seq>\d+))?(?P<update>{BEFORE_UPDATE})?\.sqlite3"
)
# Left behind by a backup or a purge cut off by a power loss (older versions: "<name>.partial").
_LEFTOVERS = (f"{TEMP_PREFIX}*kiosk-*.sqlite3*", "kiosk-*.sqlite3.partial")


def wall_clock(moment: datetime) -> datetime:
    """Local wall-clock time without tzinfo, so naive and aware clocks compare alike."""
    return moment.replace(tzinfo=None)


def _sort_key(path: Path) -> tuple[str, int]:
    match = _BACKUP_NAME.fullmatch(path.name)
    if match is None:
        return ("", 0)
    return (match["stamp"], int(match["seq"] or 0))


def newest_taken_at(directory: Path) -> datetime | None:
    """When the newest backup in ``directory`` was taken (local wall-clock time, from its name;
    the file's own time changes when the name purge rewrites it), or None."""
    try:
        stamps = [_sort_key(p) for p in directory.iterdir() if _BACKUP_NAME.fullmatch(p.name)]
    except OSError:
        return None
    return datetime.strptime(max(stamps)[0], _STAMP_FORMAT) if stamps else None


def is_before_update(backup: Path) -> bool:
    """Whether ``backup`` was made before an update rather than as a day's backup."""
    match = _BACKUP_NAME.fullmatch(backup.name)
    return match is not None and match["update"] is not None


class BackupStore:
    """The backups of one data directory, with names that sort by the time they were taken."""

    def __init__(self, directory: Path, *, keep: int, now: Callable[[], datetime]) -> None:
        if keep < 1:
            raise ValueError("backups_keep must be at least 1")
        self.directory = directory
        self._keep = keep
        self._now = now

    def newest_first(self) -> list[Path]:
        """Every backup, a day's and one before an update alike, the newest first."""
        if not self.directory.is_dir():
            return []
        backups = [p for p in self.directory.iterdir() if _BACKUP_NAME.fullmatch(p.name)]
        return sorted(backups, key=_sort_key, reverse=True)

    def taken_at(self, backup: Path) -> datetime:
        return datetime.strptime(_sort_key(backup)[0], _STAMP_FORMAT)

    def day_of(self, backup: Path) -> date:
        return self.taken_at(backup).date()

    def is_due(self) -> bool:
        """True when today (the local calendar day) has no day's backup yet."""
        today = wall_clock(self._now()).date()
        return all(
            self.day_of(backup) != today
            for backup in self.newest_first()
            if not is_before_update(backup)
        )

    def write_from(self, source: sqlite3.Connection, *, before_update: bool = False) -> Path:
        """Copy ``source`` with SQLite's online backup API; returns the new backup's path.

        The copy is written under a temporary name readable by the kiosk's user only (it holds
        visitors' names), flushed to disk and only then renamed, so a power cut never leaves a
        half-written file under a backup name.
        """
        with translated_errors():
            self.directory.mkdir(parents=True, exist_ok=True)
            final = self._unused_name(BEFORE_UPDATE if before_update else "")
            with (
                atomic_path(final, mode=PRIVATE) as partial,
                closing(sqlite3.connect(partial)) as target,
            ):
                source.backup(target)
                # A rollback-journal file is self-contained: one file that staff can copy,
                # and checking it later leaves no -wal/-shm files behind.
                target.execute("PRAGMA journal_mode = DELETE")
            self.prune()
        return final

    def prune(self) -> list[Path]:
        """Keep the newest backup of each of the last ``keep`` days that have one; delete the rest.

        A backup before an update stays until ``keep`` later days have a backup, so the version
        before an update can be restored for as long as the days after it. Leftovers of
        interrupted backups go too.
        """
        kept_days: set[date] = set()
        removed: list[Path] = []
        updates: list[Path] = []
        for backup in self.newest_first():
            if is_before_update(backup):
                updates.append(backup)
            elif len(kept_days) < self._keep and self.day_of(backup) not in kept_days:
                kept_days.add(self.day_of(backup))
            else:
                removed.append(backup)
        if len(kept_days) == self._keep:
            removed += [b for b in updates if self.day_of(b) < min(kept_days)]
        for pattern in _LEFTOVERS:
            removed += self.directory.glob(pattern)
        for path in removed:
            path.unlink(missing_ok=True)
        return removed

    def is_usable(self, backup: Path) -> bool:
        """Whether ``backup`` opens and passes quick_check (checked read-only)."""
        try:
            with closing(connect_read_only(backup)) as conn:
                return not check_problems(conn)
        except sqlite3.Error:
            return False

    def purge_names(self, ended_before_ts: int) -> list[Path]:
        """Delete the names past their retention from every backup; returns the ones rewritten.

        A backup keeps the day it was taken, less the names the running kiosk has deleted since:
        restoring it never brings back a name. Each backup holding such a name is copied, purged
        and vacuumed (no free page keeps the old bytes) and the copy renamed over it, so a power
        cut leaves the old backup or the purged one. A backup too damaged to be read is deleted:
        it cannot be restored from, and its names cannot be purged.
        """
        rewritten: list[Path] = []
        for backup in self.newest_first():
            try:
                with closing(connect_read_only(backup)) as conn:
                    found = holds_names(conn, ended_before_ts)
            except sqlite3.DatabaseError as error:
                if not is_corruption(error):
                    raise storage_error_from_sqlite(error) or error from error
                log.warning("Backup %s is damaged and may hold names: deleted it", backup.name)
                with translated_errors():
                    backup.unlink(missing_ok=True)
                continue
            if not found:
                continue
            with translated_errors(), atomic_path(backup, mode=PRIVATE) as copy:
                shutil.copyfile(backup, copy)
                with closing(sqlite3.connect(copy)) as conn:
                    conn.execute("PRAGMA secure_delete = ON")
                    with conn:
                        purge_names_in(conn, ended_before_ts)
                    conn.execute("VACUUM")
            rewritten.append(backup)
        return rewritten

    def _unused_name(self, kind: str) -> Path:
        # Numbered after the newest of the same second (a pruned -0 or -1 must not be reused:
        # the name would sort before the -2 that is older).
        stamp = wall_clock(self._now()).strftime(_STAMP_FORMAT)
        taken = [_sort_key(p)[1] for p in self.newest_first() if _sort_key(p)[0] == stamp]
        if not taken:
            return self.directory / f"kiosk-{stamp}{kind}.sqlite3"
        return self.directory / f"kiosk-{stamp}-{max(taken) + 1}{kind}.sqlite3"
