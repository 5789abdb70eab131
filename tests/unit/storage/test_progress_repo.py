"""The progress repository: schema, round trips, codes, cascades, purges and failures."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from kiosk.storage import StorageFullError
from kiosk.storage.database import Storage
from kiosk.storage.migrations import m001_settings_sessions_staff_events
from kiosk.storage.progress_repo import StoredCourse

from .conftest import read_rows

T0 = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


@dataclass(frozen=True)
class Course:
    """What the core hands to save_courses (its CourseProgress has the same fields)."""

    course_id: str = "video-calls"
    course_version: int = 1
    current_step: str = "open-app"
    steps_seen: frozenset[str] = frozenset({"what-is", "open-app", "need"})
    quiz_results: dict[str, bool] = field(default_factory=lambda: {"need": True})
    completed: bool = False
    started_at: datetime = T0
    updated_at: datetime = T0


def columns(storage: Storage, table: str) -> dict[str, tuple[object, ...]]:
    """name → (type, notnull, default, pk position)"""
    return {
        str(row[1]): (row[2], row[3], row[4], row[5])
        for row in read_rows(storage.path, f"PRAGMA table_info({table})")
    }


def test_the_migration_creates_the_progress_tables(open_storage: Callable[..., Storage]) -> None:
    storage = open_storage()

    assert columns(storage, "progress") == {
        "id": ("TEXT", 0, None, 1),
        "created_at": ("TEXT", 1, None, 0),
        "updated_at": ("TEXT", 1, None, 0),
    }
    assert columns(storage, "step_progress") == {
        "progress_id": ("TEXT", 1, None, 1),
        "course_id": ("TEXT", 1, None, 2),
        "step_id": ("TEXT", 1, None, 3),
        "quiz_correct": ("INTEGER", 0, None, 0),
    }
    assert columns(storage, "resume_codes") == {
        "code": ("TEXT", 0, None, 1),
        "progress_id": ("TEXT", 1, None, 0),
        "created_at": ("TEXT", 1, None, 0),
        "expires_at": ("TEXT", 1, None, 0),
    }
    assert set(columns(storage, "course_progress")) == {
        "progress_id",
        "course_id",
        "course_version",
        "current_step",
        "completed",
        "started_at",
        "updated_at",
    }
    applied = [row[0] for row in read_rows(storage.path, "SELECT name FROM _sqlite_migrations")]
    assert "m002_learning_progress" in applied


def test_a_database_from_before_progress_gains_it_and_keeps_its_data(
    data_dir: Path, open_storage: Callable[..., Storage]
) -> None:
    # A terminal's database as the first release left it: only m001 applied.
    db = Database(data_dir / "kiosk.sqlite3")
    first_release = Migrations("kiosk")
    first_release()(m001_settings_sessions_staff_events)
    first_release.apply(db)
    db.execute("INSERT INTO settings VALUES ('staff.pin_hash', 'scrypt$kept')")
    db.conn.commit()
    db.close()

    storage = open_storage()

    assert storage.settings.get("staff.pin_hash") == "scrypt$kept"
    storage.progress.save_courses("p1", [Course()], T0)
    assert [c.course_id for c in storage.progress.courses("p1")] == ["video-calls"]


def test_quiz_results_can_only_be_right_or_wrong(open_storage: Callable[..., Storage]) -> None:
    storage = open_storage()
    storage.progress.save_courses("p1", [Course()], T0)

    with pytest.raises(sqlite3.IntegrityError, match="CHECK constraint"):
        storage._db.execute("INSERT INTO step_progress VALUES ('p1', 'video-calls', 'other', 2)")


def test_courses_round_trip(open_storage: Callable[..., Storage]) -> None:
    storage = open_storage()
    later = T0 + timedelta(minutes=5)
    storage.progress.save_courses(
        "p1",
        [
            Course(),
            Course(
                course_id="phishing",
                current_step="links",
                steps_seen=frozenset({"links"}),
                quiz_results={},
                completed=True,
                updated_at=later,
            ),
        ],
        later,
    )

    first, second = storage.progress.courses("p1")

    assert second == StoredCourse(
        course_id="video-calls",
        course_version=1,
        current_step="open-app",
        steps_seen=frozenset({"what-is", "open-app", "need"}),
        quiz_results={"need": True},
        completed=False,
        started_at=T0,
        updated_at=T0,
    )
    assert (first.course_id, first.completed, first.updated_at) == ("phishing", True, later)
    assert storage.progress.courses("someone-else") == []


def test_saving_a_course_again_replaces_its_steps_only(
    open_storage: Callable[..., Storage],
) -> None:
    storage = open_storage()
    storage.progress.save_courses("p1", [Course(), Course(course_id="phishing")], T0)

    storage.progress.save_courses(
        "p1",
        [Course(course_version=2, steps_seen=frozenset({"open-app"}), quiz_results={})],
        T0,
    )

    courses = {c.course_id: c for c in storage.progress.courses("p1")}
    assert courses["video-calls"].steps_seen == {"open-app"}
    assert courses["video-calls"].quiz_results == {}
    assert courses["video-calls"].course_version == 2
    assert courses["phishing"].steps_seen == {"what-is", "open-app", "need"}


def test_codes_are_unique_and_one_per_record(open_storage: Callable[..., Storage]) -> None:
    storage = open_storage()
    storage.progress.ensure("p1", T0)
    storage.progress.ensure("p2", T0)
    expires = T0 + timedelta(days=180)

    assert storage.progress.add_code("K7PMR3XJ", "p1", created_at=T0, expires_at=expires)
    assert not storage.progress.add_code("K7PMR3XJ", "p2", created_at=T0, expires_at=expires)

    found = storage.progress.find_code("K7PMR3XJ")
    assert found is not None
    assert (found.progress_id, found.created_at, found.expires_at) == ("p1", T0, expires)
    assert storage.progress.code_of("p2") is None
    assert storage.progress.find_code("ACDEFGHJ") is None


def test_extend_code(open_storage: Callable[..., Storage]) -> None:
    storage = open_storage()
    storage.progress.ensure("p1", T0)
    storage.progress.add_code("K7PMR3XJ", "p1", created_at=T0, expires_at=T0 + timedelta(days=1))

    storage.progress.extend_code("K7PMR3XJ", T0 + timedelta(days=200))

    found = storage.progress.code_of("p1")
    assert found is not None
    assert found.expires_at == T0 + timedelta(days=200)


def test_deleting_a_record_deletes_its_courses_steps_and_code(
    open_storage: Callable[..., Storage],
) -> None:
    storage = open_storage()
    storage.progress.save_courses("p1", [Course()], T0)
    storage.progress.add_code("K7PMR3XJ", "p1", created_at=T0, expires_at=T0 + timedelta(1))
    storage.progress.save_courses("p2", [Course()], T0)

    assert storage.progress.delete("p1") is True
    assert storage.progress.delete("p1") is False

    for table in ("course_progress", "step_progress"):
        sql = f"SELECT progress_id FROM {table}"  # noqa: S608 - fixed table names
        ids = {row[0] for row in read_rows(storage.path, sql)}
        assert ids == {"p2"}
    assert read_rows(storage.path, "SELECT * FROM resume_codes") == []


def test_delete_if_uncoded_keeps_records_a_code_leads_to(
    open_storage: Callable[..., Storage],
) -> None:
    storage = open_storage()
    storage.progress.save_courses("coded", [Course()], T0)
    storage.progress.add_code("K7PMR3XJ", "coded", created_at=T0, expires_at=T0 + timedelta(1))
    storage.progress.save_courses("uncoded", [Course()], T0)

    assert storage.progress.delete_if_uncoded("coded") is False
    assert storage.progress.delete_if_uncoded("uncoded") is True
    assert storage.progress.exists("coded")
    assert not storage.progress.exists("uncoded")


def test_purge_deletes_expired_codes_with_their_progress_and_old_uncoded_records(
    open_storage: Callable[..., Storage],
) -> None:
    storage = open_storage()
    now = T0 + timedelta(days=200)
    for code, record, expires in (
        ("EEEEEEEE", "expired", T0 + timedelta(days=180)),
        ("VVVVVVVV", "valid", now + timedelta(days=1)),
    ):
        storage.progress.save_courses(record, [Course()], T0)
        storage.progress.add_code(code, record, created_at=T0, expires_at=expires)
    storage.progress.save_courses("left-behind", [Course()], T0)
    storage.progress.save_courses("live-session", [Course()], now)

    report = storage.progress.purge_expired(now, uncoded_before=now - timedelta(days=1))

    assert (report.codes, report.progress) == (1, 2)
    remaining = {row[0] for row in read_rows(storage.path, "SELECT id FROM progress")}
    assert remaining == {"valid", "live-session"}
    assert {row[0] for row in read_rows(storage.path, "SELECT code FROM resume_codes")} == {
        "VVVVVVVV"
    }
    assert {row[0] for row in read_rows(storage.path, "SELECT progress_id FROM step_progress")} == {
        "valid",
        "live-session",
    }


def test_times_must_carry_a_time_zone(open_storage: Callable[..., Storage]) -> None:
    storage = open_storage()
    with pytest.raises(ValueError, match="time zone"):
        storage.progress.ensure("p1", datetime(2026, 3, 2, 9, 30))


def test_times_are_stored_as_utc_text(open_storage: Callable[..., Storage]) -> None:
    storage = open_storage()
    berlin = datetime(2026, 3, 2, 10, 30, tzinfo=UTC).astimezone()  # any offset
    storage.progress.ensure("p1", berlin)

    ((created,),) = read_rows(storage.path, "SELECT created_at FROM progress")
    assert created == "2026-03-02T10:30:00.000000+00:00"


def test_a_full_disk_raises_storage_full_and_keeps_the_old_state(
    open_storage: Callable[..., Storage],
) -> None:
    storage = open_storage()
    storage.progress.save_courses("p1", [Course()], T0)
    page_count = storage._db.execute("PRAGMA page_count").fetchone()[0]
    storage._db.execute(f"PRAGMA max_page_count = {page_count}")
    many_steps = frozenset(f"step-{i}-{'x' * 200}" for i in range(2000))

    with pytest.raises(StorageFullError):
        storage.progress.save_courses("p1", [Course(steps_seen=many_steps)], T0)

    (course,) = storage.progress.courses("p1")
    assert course.steps_seen == {"what-is", "open-app", "need"}
    assert storage._db.conn.in_transaction is False
