"""Anonymous learning progress and resume codes in SQLite; every write is one transaction."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from sqlite_utils import Database

from kiosk.storage.connection import translated_errors, write_transaction
from kiosk.storage.outbox_repo import KIND_PROGRESS, OutboxWriter


def utc_text(moment: datetime) -> str:
    """A UTC timestamp of fixed width, so stored times compare correctly as text."""
    if moment.tzinfo is None:
        raise ValueError("progress times must carry a time zone (use UTC)")
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _from_text(text: str) -> datetime:
    return datetime.fromisoformat(text)


class CourseFields(Protocol):
    """What is stored about one course of a progress record (the core's CourseProgress)."""

    @property
    def course_id(self) -> str: ...
    @property
    def course_version(self) -> int: ...
    @property
    def current_step(self) -> str: ...
    @property
    def steps_seen(self) -> AbstractSet[str]: ...
    @property
    def quiz_results(self) -> Mapping[str, bool]: ...
    @property
    def completed(self) -> bool: ...
    @property
    def started_at(self) -> datetime: ...
    @property
    def updated_at(self) -> datetime: ...


@dataclass(frozen=True)
class StoredCourse:
    """One course of a progress record as read back from the database."""

    course_id: str
    course_version: int
    current_step: str
    steps_seen: frozenset[str]
    quiz_results: Mapping[str, bool]
    completed: bool
    started_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class StoredCode:
    """A resume code (compact form) and the progress record it leads to."""

    code: str
    progress_id: str
    created_at: datetime
    expires_at: datetime


@dataclass(frozen=True)
class PurgeReport:
    """How many expired codes and how many progress records a purge deleted."""

    codes: int
    progress: int


class ProgressRepository:
    """Progress records, their courses and steps, and the resume codes that lead to them.

    With an outbox (a terminal joined to a hub), every change of a record that has a resume
    code queues the whole record for the hub in the same transaction. A record without a code
    never leaves the terminal: nobody could ever reach it elsewhere.
    """

    def __init__(self, db: Database, outbox: OutboxWriter | None = None) -> None:
        self._db = db
        self._outbox = outbox

    def exists(self, progress_id: str) -> bool:
        with translated_errors():
            row = self._db.execute("SELECT 1 FROM progress WHERE id = ?", [progress_id]).fetchone()
        return row is not None

    def ensure(self, progress_id: str, now: datetime) -> None:
        """Create the record if it is not there yet (a code needs a record to point to)."""
        with write_transaction(self._db):
            self._upsert_record(progress_id, utc_text(now))

    def courses(self, progress_id: str) -> list[StoredCourse]:
        """Every course of the record, most recently updated first."""
        with translated_errors():
            rows = self._db.execute(
                "SELECT course_id, course_version, current_step, completed, started_at, "
                "updated_at FROM course_progress WHERE progress_id = ? "
                "ORDER BY updated_at DESC, course_id",
                [progress_id],
            ).fetchall()
            steps = self._db.execute(
                "SELECT course_id, step_id, quiz_correct FROM step_progress WHERE progress_id = ?",
                [progress_id],
            ).fetchall()
        seen: dict[str, set[str]] = {}
        quizzes: dict[str, dict[str, bool]] = {}
        for course_id, step_id, quiz_correct in steps:
            seen.setdefault(course_id, set()).add(step_id)
            if quiz_correct is not None:
                quizzes.setdefault(course_id, {})[step_id] = bool(quiz_correct)
        return [
            StoredCourse(
                course_id=row[0],
                course_version=int(row[1]),
                current_step=row[2],
                steps_seen=frozenset(seen.get(row[0], ())),
                quiz_results=quizzes.get(row[0], {}),
                completed=bool(row[3]),
                started_at=_from_text(row[4]),
                updated_at=_from_text(row[5]),
            )
            for row in rows
        ]

    def save_courses(
        self, progress_id: str, courses: Iterable[CourseFields], now: datetime
    ) -> None:
        """Store these courses of the record (replacing what it had for them), all or nothing."""
        stamp = utc_text(now)
        with write_transaction(self._db):
            self._upsert_record(progress_id, stamp)
            for course in courses:
                self._write_course(progress_id, course)
            self._queue(progress_id)

    def delete(self, progress_id: str) -> bool:
        """Delete the record with its courses, steps and code; False if it was not there."""
        with write_transaction(self._db):
            cursor = self._db.execute("DELETE FROM progress WHERE id = ?", [progress_id])
        return cursor.rowcount > 0

    def delete_if_uncoded(self, progress_id: str) -> bool:
        """Delete the record unless a resume code leads to it; True if it was deleted."""
        with write_transaction(self._db):
            cursor = self._db.execute(
                "DELETE FROM progress WHERE id = ? "
                "AND NOT EXISTS (SELECT 1 FROM resume_codes WHERE progress_id = ?)",
                [progress_id, progress_id],
            )
        return cursor.rowcount > 0

    def code_of(self, progress_id: str) -> StoredCode | None:
        """The resume code that leads to the record, if one was taken."""
        with translated_errors():
            row = self._db.execute(_SELECT_CODE + "WHERE progress_id = ?", [progress_id]).fetchone()
        return None if row is None else _code_from_row(row)

    def find_code(self, code: str) -> StoredCode | None:
        """The stored code (compact form), expired or not; None if there is no such code."""
        with translated_errors():
            row = self._db.execute(_SELECT_CODE + "WHERE code = ?", [code]).fetchone()
        return None if row is None else _code_from_row(row)

    def add_code(
        self, code: str, progress_id: str, *, created_at: datetime, expires_at: datetime
    ) -> bool:
        """Store a new code for the record; False (nothing written) if the code is taken."""
        with write_transaction(self._db):
            return self._insert_code(code, progress_id, created_at, expires_at)

    def add_pooled_code(
        self, progress_id: str, *, created_at: datetime, expires_at: datetime
    ) -> str | None:
        """Give the record a code from the pool the hub reserved for this terminal (unique in
        the city); None when the pool is empty. Taking it from the pool and storing it is one
        transaction."""
        with write_transaction(self._db):
            for (code,) in self._db.execute(
                "SELECT code FROM resume_code_pool ORDER BY reserved_at, code"
            ).fetchall():
                self._db.execute("DELETE FROM resume_code_pool WHERE code = ?", [code])
                if self._insert_code(code, progress_id, created_at, expires_at):
                    return str(code)
        return None

    def _insert_code(
        self, code: str, progress_id: str, created_at: datetime, expires_at: datetime
    ) -> bool:
        """Inside the caller's transaction: the code for the record, queued for the hub; False
        (nothing written) if the code is taken."""
        cursor = self._db.execute(
            "INSERT INTO resume_codes (code, progress_id, created_at, expires_at) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (code) DO NOTHING",
            [code, progress_id, utc_text(created_at), utc_text(expires_at)],
        )
        if cursor.rowcount > 0:
            self._queue(progress_id)
        return cursor.rowcount > 0

    def pool_size(self) -> int:
        """Codes left in the pool the hub reserved for this terminal."""
        with translated_errors():
            return int(self._db.execute("SELECT count(*) FROM resume_code_pool").fetchone()[0])

    def add_to_pool(self, codes: Iterable[str], now: datetime) -> None:
        with write_transaction(self._db):
            self._db.conn.executemany(
                "INSERT INTO resume_code_pool (code, reserved_at) VALUES (?, ?) "
                "ON CONFLICT DO NOTHING",
                [(code, utc_text(now)) for code in codes],
            )

    def extend_code(self, code: str, expires_at: datetime) -> None:
        """Move a code's expiry (a code taken again or used again lives longer)."""
        with write_transaction(self._db):
            self._db.execute(
                "UPDATE resume_codes SET expires_at = ? WHERE code = ?",
                [utc_text(expires_at), code],
            )
            row = self._db.execute(
                "SELECT progress_id FROM resume_codes WHERE code = ?", [code]
            ).fetchone()
            if row is not None:
                self._queue(row[0])

    def purge_expired(self, now: datetime, *, uncoded_before: datetime) -> PurgeReport:
        """Delete expired codes with their progress, and records without a code last changed
        before ``uncoded_before`` (left behind when a session was cut off by a power loss)."""
        with write_transaction(self._db):
            codes = self._db.execute(
                "SELECT COUNT(*) FROM resume_codes WHERE expires_at <= ?", [utc_text(now)]
            ).fetchone()[0]
            expired = self._db.execute(
                "DELETE FROM progress WHERE id IN "
                "(SELECT progress_id FROM resume_codes WHERE expires_at <= ?)",
                [utc_text(now)],
            )
            orphans = self._db.execute(
                "DELETE FROM progress WHERE updated_at < ? "
                "AND NOT EXISTS (SELECT 1 FROM resume_codes WHERE progress_id = progress.id)",
                [utc_text(uncoded_before)],
            )
        return PurgeReport(codes=int(codes), progress=expired.rowcount + orphans.rowcount)

    # -- the hub -------------------------------------------------------------------------------

    def snapshot(self, progress_id: str) -> dict[str, Any] | None:
        """The record with its code and every course, as the hub takes it; None without a code."""
        code = self._db.execute(
            "SELECT r.code, r.created_at, r.expires_at, p.created_at, p.updated_at "
            "FROM resume_codes r JOIN progress p ON p.id = r.progress_id WHERE r.progress_id = ?",
            [progress_id],
        ).fetchone()
        if code is None:
            return None
        courses = []
        for course in self.courses(progress_id):
            steps = sorted(course.steps_seen | course.quiz_results.keys())
            courses.append(
                {
                    "course_id": course.course_id,
                    "course_version": course.course_version,
                    "current_step": course.current_step,
                    "completed": course.completed,
                    "started_at": utc_text(course.started_at),
                    "updated_at": utc_text(course.updated_at),
                    "steps": [
                        {"step_id": step, "quiz_correct": course.quiz_results.get(step)}
                        for step in steps
                    ],
                }
            )
        return {
            "progress_id": progress_id,
            "code": code[0],
            "created_at": min(code[1], code[3]),
            "expires_at": code[2],
            "updated_at": code[4],
            "courses": courses,
        }

    def _queue(self, progress_id: str) -> None:
        """Inside the caller's transaction: the record goes to the hub if it has a code."""
        if self._outbox is None:
            return
        body = self.snapshot(progress_id)
        if body is not None:
            self._outbox.add(KIND_PROGRESS, body, subject=progress_id)

    def merge_snapshot(self, record: Mapping[str, Any]) -> bool:
        """Take in a record from the hub (pulled, or looked up by its code), course by course
        the newer one; nothing is queued for the hub. False if the code leads to another record
        here (then nothing is written)."""
        progress_id = str(record["progress_id"])
        code = str(record["code"])
        with write_transaction(self._db):
            other = self._db.execute(
                "SELECT progress_id FROM resume_codes WHERE code = ?", [code]
            ).fetchone()
            if other is not None and other[0] != progress_id:
                return False
            self._db.execute(
                "INSERT INTO progress (id, created_at, updated_at) VALUES (?, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET "
                "updated_at = max(progress.updated_at, excluded.updated_at)",
                [progress_id, _utc(record["created_at"]), _utc(record["updated_at"])],
            )
            self._db.execute(
                "INSERT INTO resume_codes (code, progress_id, created_at, expires_at) "
                "VALUES (?, ?, ?, ?) ON CONFLICT (code) DO UPDATE SET "
                "expires_at = max(resume_codes.expires_at, excluded.expires_at)",
                [code, progress_id, _utc(record["created_at"]), _utc(record["expires_at"])],
            )
            mine = {c.course_id: c.updated_at for c in self.courses(progress_id)}
            for course in map(_course_from_hub, record["courses"]):
                if course.course_id in mine and mine[course.course_id] >= course.updated_at:
                    continue
                self._write_course(progress_id, course)
        return True

    def _write_course(self, progress_id: str, course: CourseFields) -> None:
        """Inside the caller's transaction: the course of the record, replacing its steps."""
        self._db.execute(
            "INSERT INTO course_progress (progress_id, course_id, course_version, current_step, "
            "completed, started_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (progress_id, course_id) DO UPDATE SET "
            "course_version = excluded.course_version, current_step = excluded.current_step, "
            "completed = excluded.completed, started_at = excluded.started_at, "
            "updated_at = excluded.updated_at",
            [
                progress_id,
                course.course_id,
                course.course_version,
                course.current_step,
                int(course.completed),
                utc_text(course.started_at),
                utc_text(course.updated_at),
            ],
        )
        self._db.execute(
            "DELETE FROM step_progress WHERE progress_id = ? AND course_id = ?",
            [progress_id, course.course_id],
        )
        self._db.conn.executemany(
            "INSERT INTO step_progress (progress_id, course_id, step_id, quiz_correct) "
            "VALUES (?, ?, ?, ?)",
            [
                (progress_id, course.course_id, step_id, _quiz_value(course, step_id))
                for step_id in sorted(course.steps_seen | course.quiz_results.keys())
            ],
        )

    def _upsert_record(self, progress_id: str, stamp: str) -> None:
        self._db.execute(
            "INSERT INTO progress (id, created_at, updated_at) VALUES (?, ?, ?) "
            "ON CONFLICT (id) DO UPDATE SET updated_at = excluded.updated_at",
            [progress_id, stamp, stamp],
        )


_SELECT_CODE = "SELECT code, progress_id, created_at, expires_at FROM resume_codes "


def _code_from_row(row: tuple[str, str, str, str]) -> StoredCode:
    return StoredCode(
        code=row[0],
        progress_id=row[1],
        created_at=_from_text(row[2]),
        expires_at=_from_text(row[3]),
    )


def _utc(text: object) -> str:
    """A time from the hub in this table's fixed-width UTC form."""
    return utc_text(datetime.fromisoformat(str(text).replace("Z", "+00:00")))


def _course_from_hub(course: Mapping[str, Any]) -> StoredCourse:
    """A course of a record as the hub sends it (kiosk.hub.models.CourseState)."""
    steps = course["steps"]
    return StoredCourse(
        course_id=str(course["course_id"]),
        course_version=int(course["course_version"]),
        current_step=str(course["current_step"]),
        steps_seen=frozenset(str(step["step_id"]) for step in steps),
        quiz_results={
            str(step["step_id"]): bool(step["quiz_correct"])
            for step in steps
            if step.get("quiz_correct") is not None
        },
        completed=bool(course["completed"]),
        started_at=_from_text(_utc(course["started_at"])),
        updated_at=_from_text(_utc(course["updated_at"])),
    )


def _quiz_value(course: CourseFields, step_id: str) -> int | None:
    result = course.quiz_results.get(step_id)
    return None if result is None else int(bool(result))
