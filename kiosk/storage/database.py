"""The kiosk's database: open (with recovery, migrations and backups when due), repositories."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import TracebackType

from sqlite_utils import Database

from kiosk.storage.backup import BackupStore
from kiosk.storage.bookings_repo import BookingRepository
from kiosk.storage.connection import (
    check_problems,
    connect,
    connect_read_only,
    translated_errors,
)
from kiosk.storage.errors import StorageError, StorageFullError, StorageReadOnlyError
from kiosk.storage.migrations import MIGRATIONS, apply_migrations
from kiosk.storage.outbox_repo import OutboxWriter
from kiosk.storage.progress_repo import (
    ProgressRepository,
    PurgeReport,
    StoredCode,
    StoredCourse,
)
from kiosk.storage.recovery import Recovery, find_problem, recover, remove_damaged_copies
from kiosk.storage.repositories import (
    SessionStateRepository,
    SettingsRepository,
    StaffEventRepository,
)
from kiosk.storage.stats_repo import UsageRepository

__all__ = [
    "BookingRepository",
    "OpenReport",
    "ProgressRepository",
    "PurgeReport",
    "Storage",
    "StorageError",
    "StorageFullError",
    "StorageReadOnlyError",
    "StoredCode",
    "StoredCourse",
    "check_database_file",
]

log = logging.getLogger("kiosk.storage")

DATABASE_FILE_NAME = "kiosk.sqlite3"
BACKUP_DIR_NAME = "backups"

# Staff event kinds written by the storage layer itself.
EVENT_DATABASE_RESTORED = "database_restored"
EVENT_DATABASE_RECREATED = "database_recreated"


def local_now() -> datetime:
    """Local time with its UTC offset, so stored times stay unambiguous across DST changes."""
    return datetime.now().astimezone()


@dataclass(frozen=True)
class OpenReport:
    """What ``Storage.open`` had to do; ``recovered`` means the database was replaced.

    ``backup_made`` is the day's backup (None when today has one already), ``before_update``
    the backup made before the schema was updated (None when there was nothing to update).
    """

    recovered: bool
    moved_aside: Path | None
    restored_from: Path | None
    backup_made: Path | None
    before_update: Path | None = None


class Storage:
    """One open kiosk database and its repositories. Build it with ``Storage.open()``."""

    def __init__(
        self,
        db: Database,
        *,
        data_dir: Path,
        backups: BackupStore,
        now: Callable[[], datetime],
        outbox: bool = False,
    ) -> None:
        self._db = db
        self._backups = backups
        self.data_dir = data_dir
        self.path = data_dir / DATABASE_FILE_NAME
        self.settings = SettingsRepository(db)
        self.session_state = SessionStateRepository(db)
        self.staff_events = StaffEventRepository(db, now)
        # A terminal joined to a hub queues what the hub must know in the outbox, in the same
        # transaction as the change; a terminal that stands alone queues nothing.
        writer = OutboxWriter(db) if outbox else None
        self.progress = ProgressRepository(db, writer)
        self.bookings = BookingRepository(db, self.purge_names_in_copies, writer)
        self.usage = UsageRepository(db, self.settings, writer)
        self.report = OpenReport(
            recovered=False, moved_aside=None, restored_from=None, backup_made=None
        )

    @classmethod
    def open(
        cls,
        data_dir: Path,
        *,
        backups_keep: int = 7,
        now: Callable[[], datetime] | None = None,
        outbox: bool = False,
    ) -> Storage:
        """Open (or create) ``data_dir/kiosk.sqlite3``, repairing it from a backup if corrupt.

        A backup is made before the schema is updated, and the day's backup if today has none
        yet (opening it ten times a day makes one). Only ``PRAGMA quick_check`` runs here, so
        opening a healthy database stays fast. Raises StorageError (or a subclass) when the
        data directory cannot be used at all.
        """
        clock = now or local_now
        db_path = data_dir / DATABASE_FILE_NAME
        backups = BackupStore(data_dir / BACKUP_DIR_NAME, keep=backups_keep, now=clock)
        with translated_errors():
            data_dir.mkdir(parents=True, exist_ok=True)
            problem = find_problem(db_path, backups)
            recovery = None if problem is None else recover(db_path, backups, problem, clock)

        db = connect(db_path)
        try:
            before_update = _backup_before_update(db, backups)
            apply_migrations(db)
            storage = cls(db, data_dir=data_dir, backups=backups, now=clock, outbox=outbox)
            if recovery is not None:
                storage._record_recovery(recovery)
            backup_made = storage.backup_if_due()
        except BaseException:
            db.close()
            raise
        storage.report = OpenReport(
            recovered=recovery is not None,
            moved_aside=None if recovery is None else recovery.moved_aside,
            restored_from=None if recovery is None else recovery.restored_from,
            backup_made=backup_made,
            before_update=before_update,
        )
        return storage

    def backup_now(self) -> Path:
        """Write a backup now and prune old ones; returns the new backup's path."""
        return self._backups.write_from(self._db.conn)

    def backup_if_due(self) -> Path | None:
        """Back up if today has no backup yet (at open, and from the UI's hourly timer).

        Returns the new backup, or None if none was due or writing it failed. A failure is
        logged as a WARNING rather than raised: this runs unattended from a timer, and the
        next hourly call simply tries again. ``backup_now()`` raises instead.
        """
        if not self._backups.is_due():
            return None
        return _try_backup(self._backups, self._db)

    def purge_names_in_copies(self, ended_before_ts: int) -> None:
        """After the names were purged here: purge them from the backups, and delete the
        damaged copies moved aside before the cut-off (kiosk.storage.recovery says why)."""
        self._backups.purge_names(ended_before_ts)
        remove_damaged_copies(self.path, datetime.fromtimestamp(ended_before_ts))

    def integrity_ok(self) -> bool:
        """The full (slow) ``PRAGMA integrity_check``, for health checks rather than start-up."""
        with translated_errors():
            return not check_problems(self._db.conn, "integrity_check")

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Storage:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def _record_recovery(self, recovery: Recovery) -> None:
        # File names only: absolute paths may contain a user name.
        detail = f"moved aside {recovery.moved_aside.name} ({recovery.reason}); "
        if recovery.restored_from is None:
            self.staff_events.add(
                EVENT_DATABASE_RECREATED, detail + "no usable backup, started empty"
            )
        else:
            self.staff_events.add(
                EVENT_DATABASE_RESTORED, detail + f"restored from {recovery.restored_from.name}"
            )


def _backup_before_update(db: Database, backups: BackupStore) -> Path | None:
    """A backup of a database that migrations are about to change (not of a new one)."""
    with translated_errors():
        if not MIGRATIONS.applied(db) or not MIGRATIONS.pending(db):
            return None
    return _try_backup(backups, db, before_update=True)


def _try_backup(backups: BackupStore, db: Database, *, before_update: bool = False) -> Path | None:
    # A failed backup must not keep visitors out; staff see the warning in the log.
    try:
        return backups.write_from(db.conn, before_update=before_update)
    except StorageError as error:
        log.warning("Could not write a backup to %s: %s", backups.directory, error)
        return None


def check_database_file(path: Path, *, max_lines: int = 5) -> list[str]:
    """Problems with the database at ``path``, one readable line each (empty when healthy).

    For ``kiosk check``: read-only, repairs nothing, and safe while the kiosk is running. It
    runs the full integrity_check, which is too slow for start-up on a large database.
    """
    try:
        with closing(connect_read_only(path)) as conn:
            problems = check_problems(conn, "integrity_check")
    except sqlite3.Error as error:
        name = getattr(error, "sqlite_errorname", None) or type(error).__name__
        return [f"cannot be read ({name}: {error})"]
    lines = [f"integrity_check: {problem}" for problem in problems[:max_lines]]
    if len(problems) > max_lines:
        lines.append(f"integrity_check: … and {len(problems) - max_lines} more")
    return lines
