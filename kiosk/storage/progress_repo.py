"""Anonymous learning progress and resume codes in SQLite; every write is one transaction."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from sqlite_utils import Database

from kiosk.storage.connection import translated_errors, write_transaction


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
    """Progress records, their courses and steps, and the resume codes that lead to them."""

    def __init__(self, db: Database) -> None:
        self._db = db

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
                self._db.execute(
                    "INSERT INTO course_progress (progress_id, course_id, course_version, "
                    "current_step, completed, started_at, updated_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?) "
                    "ON CONFLICT (progress_id, course_id) DO UPDATE SET "
                    "course_version = excluded.course_version, "
                    "current_step = excluded.current_step, completed = excluded.completed, "
                    "started_at = excluded.started_at, updated_at = excluded.updated_at",
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
            cursor = self._db.execute(
                "INSERT INTO resume_codes (code, progress_id, created_at, expires_at) "
                "VALUES (?, ?, ?, ?) ON CONFLICT (code) DO NOTHING",
                [code, progress_id, utc_text(created_at), utc_text(expires_at)],
            )
        return cursor.rowcount > 0

    def extend_code(self, code: str, expires_at: datetime) -> None:
        """Move a code's expiry (a code taken again or used again lives longer)."""
        with write_transaction(self._db):
            self._db.execute(
                "UPDATE resume_codes SET expires_at = ? WHERE code = ?",
                [utc_text(expires_at), code],
            )

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


def _quiz_value(course: CourseFields, step_id: str) -> int | None:
    result = course.quiz_results.get(step_id)
    return None if result is None else int(bool(result))
