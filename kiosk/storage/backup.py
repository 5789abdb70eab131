"""Rolling backups in ``backups/``: consistent online copies, renamed into place, oldest pruned."""

from __future__ import annotations

import logging
import re
import sqlite3
from collections.abc import Callable
from contextlib import closing
from datetime import datetime, timedelta
from pathlib import Path

from kiosk.storage.connection import check_problems, connect_read_only, translated_errors
from kiosk.storage.files import TEMP_PREFIX, atomic_path, fsync_file

log = logging.getLogger("kiosk.storage")

BACKUP_INTERVAL = timedelta(hours=24)
_STAMP_FORMAT = "%Y%m%d-%H%M%S"
# kiosk-20260509-143000.sqlite3, or kiosk-20260509-143000-2.sqlite3 for a third one that second.
_BACKUP_NAME = re.compile(r"kiosk-(?P<stamp>\d{8}-\d{6})(?:-(?P<seq>\d+))?\.sqlite3")
_PARTIAL_SUFFIX = ".partial"


def wall_clock(moment: datetime) -> datetime:
    """Local wall-clock time without tzinfo, so naive and aware clocks compare alike."""
    return moment.replace(tzinfo=None)


def _sort_key(path: Path) -> tuple[str, int]:
    match = _BACKUP_NAME.fullmatch(path.name)
    if match is None:
        return ("", 0)
    return (match["stamp"], int(match["seq"] or 0))


class BackupStore:
    """The backups of one data directory, newest kept, with names that sort by time taken."""

    def __init__(self, directory: Path, *, keep: int, now: Callable[[], datetime]) -> None:
        if keep < 1:
            raise ValueError("backups_keep must be at least 1")
        self.directory = directory
        self._keep = keep
        self._now = now

    def newest_first(self) -> list[Path]:
        if not self.directory.is_dir():
            return []
        backups = [p for p in self.directory.iterdir() if _BACKUP_NAME.fullmatch(p.name)]
        return sorted(backups, key=_sort_key, reverse=True)

    def taken_at(self, backup: Path) -> datetime:
        return datetime.strptime(_sort_key(backup)[0], _STAMP_FORMAT)

    def is_due(self) -> bool:
        """True when there is no backup yet or the newest is at least 24 hours old."""
        backups = self.newest_first()
        if not backups:
            return True
        age = wall_clock(self._now()) - self.taken_at(backups[0])
        return age >= BACKUP_INTERVAL

    def write_from(self, source: sqlite3.Connection) -> Path:
        """Copy ``source`` with SQLite's online backup API; returns the new backup's path.

        The copy is written under a temporary name, flushed to disk and only then renamed, so a
        power cut never leaves a half-written file under a backup name.
        """
        with translated_errors():
            self.directory.mkdir(parents=True, exist_ok=True)
            final = self._unused_name()
            # Private (0600): a backup holds visitors' names.
            with atomic_path(final) as partial, closing(sqlite3.connect(partial)) as target:
                source.backup(target)
                # A rollback-journal file is self-contained: one file that staff can copy,
                # and checking it later leaves no -wal/-shm files behind.
                target.execute("PRAGMA journal_mode = DELETE")
            self.prune()
        return final

    def prune(self) -> list[Path]:
        """Delete all but the newest ``keep`` backups and leftovers of interrupted ones."""
        removed = self.newest_first()[self._keep :]
        removed += self.directory.glob(f"kiosk-*.sqlite3{_PARTIAL_SUFFIX}")  # older versions
        removed += self.directory.glob(f"{TEMP_PREFIX}*-kiosk-*.sqlite3*")
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

    def scrub(self, sql: str, params: list[object], *, table: str) -> int:
        """Run a deleting ``sql`` in every backup that has ``table``; returns rows changed.

        Used for data minimisation: what is purged from the live database (a visitor's name)
        must not live on in the backups. ``secure_delete`` overwrites the old bytes.
        """
        changed = 0
        for backup in self.newest_first():
            with translated_errors(), closing(sqlite3.connect(backup)) as conn:
                conn.execute("PRAGMA secure_delete = ON")
                found = conn.execute(
                    "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [table]
                ).fetchone()
                if found is None:
                    continue
                with conn:
                    changed += conn.execute(sql, params).rowcount
            fsync_file(backup)
        return changed

    def _unused_name(self) -> Path:
        stamp = wall_clock(self._now()).strftime(_STAMP_FORMAT)
        candidate = self.directory / f"kiosk-{stamp}.sqlite3"
        seq = 0
        while candidate.exists():
            seq += 1
            candidate = self.directory / f"kiosk-{stamp}-{seq}.sqlite3"
        return candidate
