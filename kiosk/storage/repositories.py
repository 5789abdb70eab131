"""Small typed repositories over the kiosk's tables; every write is one durable transaction."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlite_utils import Database

from kiosk.storage.connection import translated_errors, write_transaction
from kiosk.storage.errors import StorageError


class SettingsRepository:
    """Site-local settings such as the staff PIN hash and the PIN lockout state."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def get(self, key: str) -> str | None:
        with translated_errors():
            row = self._db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
        return None if row is None else str(row[0])

    def set(self, key: str, value: str) -> None:
        with write_transaction(self._db):
            self._db.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [key, value],
            )

    def delete(self, key: str) -> None:
        with write_transaction(self._db):
            self._db.execute("DELETE FROM settings WHERE key = ?", [key])


class SessionStateRepository:
    """What a visitor session stores; nothing of it may outlive the session."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def put(self, session_id: str, key: str, value: str) -> None:
        with write_transaction(self._db):
            self._db.execute(
                "INSERT INTO session_state (session_id, key, value) VALUES (?, ?, ?) "
                "ON CONFLICT (session_id, key) DO UPDATE SET value = excluded.value",
                [session_id, key, value],
            )

    def get(self, session_id: str, key: str) -> str | None:
        with translated_errors():
            row = self._db.execute(
                "SELECT value FROM session_state WHERE session_id = ? AND key = ?",
                [session_id, key],
            ).fetchone()
        return None if row is None or row[0] is None else str(row[0])

    def wipe(self, session_id: str) -> int:
        """Delete everything ``session_id`` stored; returns the number of rows deleted."""
        with write_transaction(self._db):
            cursor = self._db.execute(
                "DELETE FROM session_state WHERE session_id = ?", [session_id]
            )
        return cursor.rowcount

    def wipe_all(self) -> int:
        """Delete every session's state, e.g. at start-up after a power cut mid-session."""
        with write_transaction(self._db):
            cursor = self._db.execute("DELETE FROM session_state")
        return cursor.rowcount


@dataclass(frozen=True)
class StaffEvent:
    id: int
    at: datetime
    kind: str
    detail: str


class StaffEventRepository:
    """A staff-facing log of what happened on this terminal; never personal data."""

    def __init__(self, db: Database, now: Callable[[], datetime]) -> None:
        self._db = db
        self._now = now

    def add(self, kind: str, detail: str = "") -> int:
        """Record an event; returns its id once the commit is durable."""
        if not kind:
            raise ValueError("a staff event needs a kind")
        at = self._now().isoformat(timespec="seconds")
        with write_transaction(self._db):
            cursor = self._db.execute(
                "INSERT INTO staff_events (at, kind, detail) VALUES (?, ?, ?)",
                [at, kind, detail],
            )
        if cursor.lastrowid is None:  # cannot happen for a rowid table; keeps the type honest
            raise StorageError("the new staff event has no id")
        return cursor.lastrowid

    def recent(self, limit: int = 50) -> list[StaffEvent]:
        """The newest ``limit`` events, newest first."""
        with translated_errors():
            rows = self._db.execute(
                "SELECT id, at, kind, detail FROM staff_events ORDER BY id DESC LIMIT ?",
                [limit],
            ).fetchall()
        return [
            StaffEvent(id=row[0], at=datetime.fromisoformat(row[1]), kind=row[2], detail=row[3])
            for row in rows
        ]
