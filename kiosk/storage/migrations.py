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


def apply_migrations(db: Database) -> list[str]:
    """Apply pending migrations (each in its own transaction); returns the names applied."""
    with translated_errors():
        pending = [migration.name for migration in MIGRATIONS.pending(db)]
        if pending:
            MIGRATIONS.apply(db)
    return pending
