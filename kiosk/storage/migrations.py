"""The versioned schema: one decorated function per change, applied in the order written.

To change the schema, append a new function decorated with ``@MIGRATIONS()``. Never edit,
rename or reorder one that has shipped: its name is what marks it as applied in existing
databases (table ``_sqlite_migrations``, set "kiosk").
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from kiosk.storage.connection import translated_errors

MIGRATIONS = Migrations("kiosk")


@MIGRATIONS()
def m001_settings_sessions_staff_events(db: Database) -> None:
    db.execute(
        """
        CREATE TABLE settings (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        )
        """
    )
    # Everything a visitor session stores; wiped when the session ends.
    db.execute(
        """
        CREATE TABLE session_state (
            session_id TEXT,
            key TEXT,
            value TEXT,
            PRIMARY KEY (session_id, key)
        )
        """
    )
    # A log for staff ("database_restored", "staff_login", …); never personal data.
    db.execute(
        """
        CREATE TABLE staff_events (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            kind TEXT NOT NULL,
            detail TEXT NOT NULL DEFAULT ''
        )
        """
    )


@MIGRATIONS()
def m002_learning_progress(db: Database) -> None:
    # Anonymous learning progress. A progress record has a random id that only the session's
    # memory and (if the visitor took one) a resume code point to; nothing here names a person.
    # Ids, codes and UTC timestamps are global, so terminals can later sync into one store.
    db.execute(
        """
        CREATE TABLE progress (
            id TEXT PRIMARY KEY,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )
        """
    )
    # One row per course a record has started, at the course version it was last seen in.
    db.execute(
        """
        CREATE TABLE course_progress (
            progress_id TEXT NOT NULL REFERENCES progress (id) ON DELETE CASCADE,
            course_id TEXT NOT NULL,
            course_version INTEGER NOT NULL,
            current_step TEXT NOT NULL,
            completed INTEGER NOT NULL DEFAULT 0 CHECK (completed IN (0, 1)),
            started_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (progress_id, course_id)
        )
        """
    )
    # The steps seen. A quiz keeps only whether it was answered right (1) or wrong (0), never
    # the option chosen; NULL for steps that are not quizzes or were not answered.
    db.execute(
        """
        CREATE TABLE step_progress (
            progress_id TEXT NOT NULL,
            course_id TEXT NOT NULL,
            step_id TEXT NOT NULL,
            quiz_correct INTEGER CHECK (quiz_correct IN (0, 1)),
            PRIMARY KEY (progress_id, course_id, step_id),
            FOREIGN KEY (progress_id, course_id)
                REFERENCES course_progress (progress_id, course_id) ON DELETE CASCADE
        )
        """
    )
    # Resume codes in compact form ("K7PMR3XJ"); the code itself is the key, with no terminal
    # prefix, so a central store can take codes from every terminal. One code per record.
    db.execute(
        """
        CREATE TABLE resume_codes (
            code TEXT PRIMARY KEY CHECK (length(code) = 8),
            progress_id TEXT NOT NULL UNIQUE REFERENCES progress (id) ON DELETE CASCADE,
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX resume_codes_by_expiry ON resume_codes (expires_at)")


def apply_migrations(db: Database) -> list[str]:
    """Apply pending migrations (each in its own transaction); returns the names applied."""
    with translated_errors():
        pending = [migration.name for migration in MIGRATIONS.pending(db)]
        if pending:
            MIGRATIONS.apply(db)
    return pending
