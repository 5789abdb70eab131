"""The transactional outbox: what must reach the hub, written in the same transaction as the
change itself, and read, acknowledged and set aside by the sync thread.

A row is a JSON body with a UUID (the hub takes each UUID once) and a kind. Progress rows carry
a whole record, so only the newest unsent one of a record is kept (``subject`` is its id).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlite_utils import Database

from kiosk.storage.connection import immediate_transaction, translated_errors

KIND_USAGE_EVENT = "usage_event"
KIND_PROGRESS = "progress"
# A booking change made on a joined terminal (the push batch's BookingChange, sent as it is).
KIND_BOOKING = "booking"


@dataclass(frozen=True)
class OutboxRow:
    seq: int
    id: str
    kind: str
    body: dict[str, Any]


@dataclass(frozen=True)
class Backlog:
    """Rows waiting for the hub, and since when the oldest one waits."""

    rows: int
    oldest: datetime | None
    set_aside: int  # refused by the hub as malformed; kept for the administrator


def new_row_id() -> str:
    return str(uuid.uuid4())


class OutboxWriter:
    """Adds outbox rows inside the caller's open transaction (never a transaction of its own)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def add(self, kind: str, body: Mapping[str, Any], *, subject: str = "") -> str:
        """One row with a new UUID; a progress row replaces an unsent one of the same record."""
        row_id = new_row_id()
        if subject:
            self._db.execute("DELETE FROM outbox WHERE kind = ? AND subject = ?", [kind, subject])
        self._db.execute(
            "INSERT INTO outbox (id, kind, subject, body, created_at) VALUES (?, ?, ?, ?, ?)",
            [
                row_id,
                kind,
                subject,
                json.dumps({**body, "id": row_id}, separators=(",", ":")),
                datetime.now(UTC).isoformat(timespec="seconds"),
            ],
        )
        return row_id

    def add_many(self, kind: str, bodies: Sequence[Mapping[str, Any]]) -> None:
        stamp = datetime.now(UTC).isoformat(timespec="seconds")
        rows = []
        for body in bodies:
            row_id = new_row_id()
            rows.append(
                (row_id, kind, json.dumps({**body, "id": row_id}, separators=(",", ":")), stamp)
            )
        self._db.conn.executemany(
            "INSERT INTO outbox (id, kind, body, created_at) VALUES (?, ?, ?, ?)", rows
        )


class OutboxRepository:
    """The sync thread's view of the outbox (on its own connection)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def pending(self, limit: int) -> list[OutboxRow]:
        """The oldest ``limit`` rows, oldest first."""
        with translated_errors():
            rows = self._db.execute(
                "SELECT seq, id, kind, body FROM outbox ORDER BY seq LIMIT ?", [limit]
            ).fetchall()
        return [OutboxRow(int(r[0]), str(r[1]), str(r[2]), json.loads(r[3])) for r in rows]

    def acknowledge(self, seqs: Sequence[int]) -> int:
        """The hub has these rows: delete them (a replaced progress row is already gone)."""
        if not seqs:
            return 0
        with immediate_transaction(self._db):
            cursor = self._db.conn.executemany(
                "DELETE FROM outbox WHERE seq = ?", [(seq,) for seq in seqs]
            )
        return cursor.rowcount

    def set_aside(self, row: OutboxRow, reason: str) -> None:
        """The hub refuses this row as malformed: keep it out of the way, for the admin."""
        with immediate_transaction(self._db):
            self._db.execute(
                "INSERT OR REPLACE INTO outbox_rejected (id, kind, body, reason, rejected_at) "
                "VALUES (?, ?, ?, ?, ?)",
                [
                    row.id,
                    row.kind,
                    json.dumps(row.body),
                    reason,
                    datetime.now(UTC).isoformat(timespec="seconds"),
                ],
            )
            self._db.execute("DELETE FROM outbox WHERE seq = ?", [row.seq])

    def backlog(self) -> Backlog:
        with translated_errors():
            count, oldest = self._db.execute(
                "SELECT count(*), min(created_at) FROM outbox"
            ).fetchone()
            aside = self._db.execute("SELECT count(*) FROM outbox_rejected").fetchone()[0]
        return Backlog(
            rows=int(count),
            oldest=None if oldest is None else datetime.fromisoformat(oldest),
            set_aside=int(aside),
        )
