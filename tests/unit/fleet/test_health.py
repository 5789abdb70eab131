"""The terminal's health report, gathered from a real database, data folder and fleet stores."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

import kiosk
from kiosk.config import load_config
from kiosk.core.courses.archive import pack_course
from kiosk.fleet.courses import CourseOffer, CourseStore, InstallRefused
from kiosk.fleet.health import KEY_DATABASE_AT, database_state, gather
from kiosk.fleet.site_config import ConfigStore
from kiosk.storage.database import Storage
from kiosk.storage.sync_store import SyncStore
from tests.unit.courses.builders import write_package

NOW = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)


def taken_at(name: str) -> datetime:
    """A backup's time as its name holds it (the terminal's local time), in UTC."""
    stamp = name.removeprefix("kiosk-").removesuffix(".sqlite3")
    return datetime.strptime(stamp, "%Y%m%d-%H%M%S").astimezone(UTC)


FIELDS = {
    "app_version",
    "reported_at",
    "last_sync",
    "outbox_backlog",
    "database",
    "database_checked_at",
    "last_backup",
    "disk_free_bytes",
    "disk_total_bytes",
    "courses",
    "courses_problem",
    "config_version",
    "config_problem",
    "printer",
    "last_crash",
    "last_error",
}
EVENT = ("2026-12-01T10", "session_started", "de", "", "", "", "")


def test_a_fresh_terminal_reports_every_field(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with Storage.open(data, outbox=True), SyncStore.open(data) as store:
        report = gather(data, store, None, None, now=NOW).to_json()
    assert set(report) == FIELDS
    assert report["app_version"] == kiosk.__version__
    assert report["reported_at"] == "2026-12-07T10:00:00+00:00"
    assert (report["last_sync"], report["config_version"]) == (None, None)
    (backup,) = (data / "backups").iterdir()  # the one opening the database took
    assert report["last_backup"] == taken_at(backup.name).isoformat(timespec="seconds")
    assert (report["outbox_backlog"], report["courses"]) == (0, [])
    assert (report["database"], report["database_checked_at"]) == ("ok", report["reported_at"])
    usage = shutil.disk_usage(data)
    assert 0 < report["disk_free_bytes"] <= report["disk_total_bytes"] == usage.total
    assert (report["printer"], report["last_crash"], report["last_error"]) == (
        "unknown",
        None,
        None,
    )
    assert json.loads(json.dumps(report)) == report


def test_the_report_says_what_the_terminal_holds_and_what_went_wrong(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with Storage.open(data, outbox=True) as storage:
        storage.usage.add_events([EVENT] * 3)
    backups = data / "backups"
    for backup in backups.iterdir():  # the one opening the database took: days ago here
        backup.rename(backups / "kiosk-20261204-010000.sqlite3")
    for name in ("kiosk-20261205-010000.sqlite3", "kiosk-20261206-010000.sqlite3"):
        (backups / name).write_bytes(b"")
    # The name purge rewrote the oldest one today: its file time is newer, its backup is not.
    os.utime(backups / "kiosk-20261204-010000.sqlite3", (NOW.timestamp(),) * 2)
    (backups / "notes.txt").write_bytes(b"")  # not a backup
    courses = CourseStore(data / "fleet" / "courses")
    packed = pack_course(write_package(tmp_path / "src"))
    courses.install(CourseOffer(17, "video-calls", 1, packed.sha256, len(packed.data)), packed.data)
    with pytest.raises(InstallRefused):
        courses.install(CourseOffer(18, "video-calls", 2, "0" * 64, 1), packed.data)
    configs = ConfigStore(data / "fleet" / "config")
    (tmp_path / "site.toml").write_text("", encoding="utf-8")
    local = load_config(tmp_path / "site.toml")
    body = '[site]\nname = "Stadtbibliothek"\n'
    configs.offer(3, hashlib.sha256(body.encode()).hexdigest(), body, local)
    configs.apply_pending()
    bad = "[hub]\nurl = 1\n"
    configs.offer(4, hashlib.sha256(bad.encode()).hexdigest(), bad, local)
    crash = NOW - timedelta(hours=2)
    with SyncStore.open(data) as store:
        store.settings.set("sync.last_ok", "2026-12-07T09:59:30+00:00")
        report = gather(
            data,
            store,
            courses,
            configs,
            printer="error",
            last_crash=crash.isoformat(),
            last_error="\x00" + "x" * 900,
            now=NOW,
        ).to_json()
    assert report["last_sync"] == "2026-12-07T09:59:30+00:00"
    assert report["outbox_backlog"] == 3
    assert report["last_backup"] == taken_at("kiosk-20261206-010000.sqlite3").isoformat()
    assert report["courses"] == [{"course_id": "video-calls", "id": 17, "version": 1}]
    assert report["courses_problem"] == "video-calls v2 (id 18): hash mismatch"
    assert report["config_version"] == 3
    assert report["config_problem"].startswith("version 4: site.toml:2: hub.url: expected")
    assert (report["printer"], report["last_crash"]) == ("error", crash.isoformat())
    assert len(report["last_error"]) == 500 and "\x00" not in report["last_error"]


def test_unknown_facts_from_the_ui_are_reported_as_unknown(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with SyncStore.open(data) as store:
        report = gather(
            data, store, None, None, printer="on fire", last_crash="yesterday", now=NOW
        ).to_json()
    assert (report["printer"], report["last_crash"]) == ("unknown", None)


def test_the_database_is_checked_at_most_hourly(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with SyncStore.open(data) as store:
        assert database_state(data, store, NOW) == ("ok", NOW)
        assert store.settings.get(KEY_DATABASE_AT) == NOW.isoformat()
        later = NOW + timedelta(minutes=59)
        assert database_state(data, store, later) == ("ok", NOW)  # not run again
        hour = NOW + timedelta(hours=1)
        assert database_state(data, store, hour) == ("ok", hour)
        # A clock set back: the check from the future is not trusted.
        assert database_state(data, store, NOW) == ("ok", NOW)


def test_a_damaged_database_is_reported_as_damaged(tmp_path: Path) -> None:
    damaged = tmp_path / "damaged"
    damaged.mkdir()
    (damaged / "kiosk.sqlite3").write_bytes(b"this is not a database " * 200)
    with SyncStore.open(tmp_path / "data") as store:  # where the verdict is kept
        assert database_state(damaged, store, NOW) == ("damaged", NOW)
        assert database_state(damaged, store, NOW + timedelta(minutes=5)) == ("damaged", NOW)
