"""The health report a terminal posts to the hub: what an administrator needs to see from afar.

Versions, the last sync and the outbox backlog, the database's integrity (PRAGMA quick_check,
at most hourly: it reads the whole file), the newest backup, free disk, the courses and config
in use and why a delivery was refused, and what the UI knows (printer, last crash, last error).
Nothing about visitors: counts, times, versions and problem texts of packages and configs.
"""

from __future__ import annotations

import logging
import shutil
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

import kiosk
from kiosk.fleet.courses import CourseStore
from kiosk.fleet.site_config import ConfigStore
from kiosk.storage.backup import newest_taken_at
from kiosk.storage.connection import diagnose
from kiosk.storage.database import BACKUP_DIR_NAME, DATABASE_FILE_NAME
from kiosk.storage.errors import StorageError
from kiosk.storage.outbox_repo import Backlog

log = logging.getLogger("kiosk.fleet")

KEY_LAST_OK = "sync.last_ok"  # written by the sync after every round the hub answered
KEY_DATABASE = "health.database"
KEY_DATABASE_AT = "health.database_checked_at"
CHECK_EVERY = timedelta(hours=1)
PRINTER_STATES = ("ready", "busy", "error", "none", "unknown")
TEXT_MAX = 500


class _Settings(Protocol):
    def get(self, key: str) -> str | None: ...
    def set(self, key: str, value: str) -> None: ...


class _Outbox(Protocol):
    def backlog(self) -> Backlog: ...


class SyncFacts(Protocol):
    """What the report reads from the terminal's database (a SyncStore is one)."""

    @property
    def settings(self) -> _Settings: ...
    @property
    def outbox(self) -> _Outbox: ...


@dataclass(frozen=True)
class CourseVersion:
    course_id: str
    id: int
    version: int


@dataclass(frozen=True)
class HealthReport:
    """One terminal's health at ``reported_at`` (its own clock)."""

    app_version: str
    reported_at: datetime
    last_sync: datetime | None
    outbox_backlog: int
    database: str  # ok, damaged, unknown
    database_checked_at: datetime | None
    last_backup: datetime | None
    disk_free_bytes: int
    disk_total_bytes: int
    courses: tuple[CourseVersion, ...] = field(default=())
    courses_problem: str = ""
    config_version: int | None = None
    config_problem: str = ""
    printer: str = "unknown"
    last_crash: datetime | None = None
    last_error: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The report as the hub's POST /v1/health takes it (every field present)."""
        return {
            "app_version": self.app_version,
            "reported_at": _iso(self.reported_at),
            "last_sync": _iso(self.last_sync),
            "outbox_backlog": self.outbox_backlog,
            "database": self.database,
            "database_checked_at": _iso(self.database_checked_at),
            "last_backup": _iso(self.last_backup),
            "disk_free_bytes": self.disk_free_bytes,
            "disk_total_bytes": self.disk_total_bytes,
            "courses": [
                {"course_id": c.course_id, "id": c.id, "version": c.version} for c in self.courses
            ],
            "courses_problem": self.courses_problem,
            "config_version": self.config_version,
            "config_problem": self.config_problem,
            "printer": self.printer,
            "last_crash": _iso(self.last_crash),
            "last_error": self.last_error,
        }


def gather(
    data_dir: Path,
    store: SyncFacts,
    courses: CourseStore | None,
    configs: ConfigStore | None,
    *,
    printer: str = "unknown",
    last_crash: datetime | str | None = None,
    last_error: str | None = None,
    now: datetime,
) -> HealthReport:
    """The terminal's health now; a fact that cannot be read is reported as unknown (None)."""
    disk = shutil.disk_usage(data_dir)
    database, checked_at = database_state(data_dir, store, now)
    installed = courses.installed() if courses is not None else {}
    applied = configs.applied() if configs is not None else None
    return HealthReport(
        app_version=kiosk.__version__,
        reported_at=now,
        last_sync=_time(_setting(store, KEY_LAST_OK)),
        outbox_backlog=store.outbox.backlog().rows,
        database=database,
        database_checked_at=checked_at,
        last_backup=last_backup(data_dir),
        disk_free_bytes=disk.free,
        disk_total_bytes=disk.total,
        courses=tuple(
            CourseVersion(c.course_id, c.id, c.version)
            for c in sorted(installed.values(), key=lambda c: c.course_id)
        ),
        courses_problem=_bounded(courses.problem()) if courses is not None else "",
        config_version=None if applied is None else applied[0],
        config_problem=_bounded(configs.problem()) if configs is not None else "",
        printer=printer if printer in PRINTER_STATES else "unknown",
        last_crash=_time(last_crash),
        last_error=None if not last_error else _bounded(last_error),
    )


def database_state(data_dir: Path, store: SyncFacts, now: datetime) -> tuple[str, datetime | None]:
    """(ok | damaged | unknown, when checked): quick_check's verdict, run again when the last
    one is an hour old (or from the future: the clock was set back)."""
    state = _setting(store, KEY_DATABASE)
    checked_at = _time(_setting(store, KEY_DATABASE_AT))
    fresh = checked_at is not None and timedelta(0) <= now - checked_at < CHECK_EVERY
    if state in ("ok", "damaged") and fresh:
        return state, checked_at
    try:
        problem = diagnose(data_dir / DATABASE_FILE_NAME)
    except StorageError as error:  # locked or unreadable: nothing known about its contents
        log.warning("the database could not be checked for the health report (%s)", error)
        return "unknown", None
    state = "ok" if problem is None else "damaged"
    if problem is not None:
        log.error("the database failed its hourly quick_check: %s", problem)
    try:
        store.settings.set(KEY_DATABASE, state)
        store.settings.set(KEY_DATABASE_AT, now.isoformat(timespec="seconds"))
    except StorageError as error:  # a damaged database may refuse the write; report anyway
        log.warning("the database check's result could not be kept (%s)", error)
    return state, now


def last_backup(data_dir: Path) -> datetime | None:
    """When the newest backup in the data folder was taken (its name holds the local time)."""
    taken = newest_taken_at(data_dir / BACKUP_DIR_NAME)
    return taken.astimezone(UTC) if taken else None


def _setting(store: SyncFacts, key: str) -> str | None:
    try:
        return store.settings.get(key)
    except StorageError:
        return None


def _time(value: datetime | str | None) -> datetime | None:
    """An aware time from a datetime or ISO text; None if there is none or it is unreadable."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return None
    if value is None:
        return None
    return value if value.tzinfo is not None else value.astimezone()  # naive: local time


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat(timespec="seconds")


def _bounded(text: str) -> str:
    """At most 500 characters and no NUL (the hub keeps reports in PostgreSQL's jsonb)."""
    text = text.replace("\x00", "")
    return text if len(text) <= TEXT_MAX else text[: TEXT_MAX - 1] + "…"
