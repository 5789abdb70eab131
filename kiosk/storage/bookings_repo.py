"""Bookings and device states in SQLite; every write is one durable transaction.

Overlaps are refused by triggers of the schema (migration m003) inside the transaction that
writes, so two terminals or processes booking the same slot at once get exactly one booking.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

from sqlite_utils import Database

from kiosk.storage.backup import BackupStore
from kiosk.storage.connection import (
    immediate_transaction,
    translated_errors,
    write_transaction,
)

_ACTIVE = ("pending", "confirmed", "checked_in")
# Column lists and status sets below are constants of this module; values are always bound.
_COLUMNS = (
    "id, code, device_id, device_kind, start_ts, end_ts, block_until_ts, name, status, walk_in"
)
OVERLAP_MESSAGE = "booking overlaps another booking of the device"
# No booking blocks its device longer than this (the config allows at most 8 hours plus a
# 4-hour buffer), so a time-window query can bound start_ts from below and use the index.
LONGEST_BLOCK_S = 24 * 60 * 60


@dataclass(frozen=True)
class StoredBooking:
    id: int
    code: str
    device_id: str
    device_kind: str
    start_ts: int
    end_ts: int
    block_until_ts: int
    name: str | None
    status: str
    walk_in: bool


@dataclass(frozen=True)
class Added:
    """The new booking's id, or why there is none."""

    id: int | None
    taken: bool = False  # the slot overlaps an active booking (another terminal was faster)
    code_in_use: bool = False  # the random code exists already: draw another


def _row(values: Sequence[object]) -> StoredBooking:
    (id_, code, device_id, kind, start, end, block, name, status, walk_in) = values
    return StoredBooking(
        int(str(id_)),
        str(code),
        str(device_id),
        str(kind),
        int(str(start)),
        int(str(end)),
        int(str(block)),
        None if name is None else str(name),
        str(status),
        bool(walk_in),
    )


class BookingRepository:
    """The bookings table and the device_status table."""

    def __init__(self, db: Database, backups: BackupStore | None = None) -> None:
        self._db = db
        self._backups = backups

    def add(
        self,
        *,
        code: str,
        device_id: str,
        device_kind: str,
        start_ts: int,
        end_ts: int,
        block_until_ts: int,
        name: str,
        status: str,
        walk_in: bool,
        now_ts: int,
    ) -> Added:
        try:
            with immediate_transaction(self._db):
                cursor = self._db.execute(
                    "INSERT INTO bookings (code, device_id, device_kind, start_ts, end_ts, "
                    "block_until_ts, name, status, walk_in, created_ts, updated_ts) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        code,
                        device_id,
                        device_kind,
                        start_ts,
                        end_ts,
                        block_until_ts,
                        name,
                        status,
                        int(walk_in),
                        now_ts,
                        now_ts,
                    ],
                )
        except sqlite3.IntegrityError as error:
            if OVERLAP_MESSAGE in str(error):
                return Added(None, taken=True)
            if "bookings.code" in str(error):
                return Added(None, code_in_use=True)
            raise
        return Added(cursor.lastrowid)

    def by_code(self, code: str) -> StoredBooking | None:
        return self._one(f"SELECT {_COLUMNS} FROM bookings WHERE code = ?", [code])  # noqa: S608

    def by_id(self, booking_id: int) -> StoredBooking | None:
        sql = f"SELECT {_COLUMNS} FROM bookings WHERE id = ?"  # noqa: S608
        return self._one(sql, [booking_id])

    def _one(self, sql: str, params: list[object]) -> StoredBooking | None:
        with translated_errors():
            row = self._db.execute(sql, params).fetchone()
        return None if row is None else _row(row)

    def between(
        self, start_ts: int, end_ts: int, *, device_id: str | None = None, active_only: bool = False
    ) -> list[StoredBooking]:
        """Bookings whose block (start to end plus buffer) touches [start_ts, end_ts)."""
        sql = (
            f"SELECT {_COLUMNS} FROM bookings "  # noqa: S608
            "WHERE start_ts > ? AND start_ts < ? AND block_until_ts > ?"
        )
        params: list[object] = [start_ts - LONGEST_BLOCK_S, end_ts, start_ts]
        if device_id is not None:
            sql += " AND device_id = ?"
            params.append(device_id)
        if active_only:
            sql += f" AND status IN ({', '.join('?' for _ in _ACTIVE)})"
            params.extend(_ACTIVE)
        sql += " ORDER BY start_ts, device_id"
        with translated_errors():
            rows = self._db.execute(sql, params).fetchall()
        return [_row(row) for row in rows]

    def set_status(
        self, booking_id: int, status: str, now_ts: int, *, expected: Sequence[str]
    ) -> bool:
        """Change the status if it is one of ``expected``; False if not (or taken again)."""
        marks = ", ".join("?" for _ in expected)
        try:
            with immediate_transaction(self._db):
                cursor = self._db.execute(
                    f"UPDATE bookings SET status = ?, updated_ts = ? "  # noqa: S608
                    f"WHERE id = ? AND status IN ({marks})",
                    [status, now_ts, booking_id, *expected],
                )
        except sqlite3.IntegrityError as error:
            if OVERLAP_MESSAGE in str(error):
                return False
            raise
        return cursor.rowcount == 1

    def move(self, booking_id: int, device_id: str, block_until_ts: int, now_ts: int) -> bool:
        """Move a booking to another device; False if that overlaps a booking there."""
        try:
            with immediate_transaction(self._db):
                cursor = self._db.execute(
                    "UPDATE bookings SET device_id = ?, block_until_ts = ?, updated_ts = ? "
                    "WHERE id = ?",
                    [device_id, block_until_ts, now_ts, booking_id],
                )
        except sqlite3.IntegrityError as error:
            if OVERLAP_MESSAGE in str(error):
                return False
            raise
        return cursor.rowcount == 1

    def release_no_shows(self, started_before_ts: int, now_ts: int) -> list[StoredBooking]:
        """Mark bookings that started before the cut-off and were not checked in as no-shows."""
        where = "status IN ('pending', 'confirmed') AND start_ts <= ?"
        with translated_errors():
            due = self._db.execute(
                f"SELECT 1 FROM bookings WHERE {where} LIMIT 1",  # noqa: S608
                [started_before_ts],
            ).fetchone()
        if due is None:  # the usual case: no write lock taken
            return []
        with immediate_transaction(self._db):
            rows = self._db.execute(
                f"UPDATE bookings SET status = 'no_show', updated_ts = ? WHERE {where} "  # noqa: S608
                f"RETURNING {_COLUMNS}",
                [now_ts, started_before_ts],
            ).fetchall()
        return sorted((_row(row) for row in rows), key=lambda booking: booking.start_ts)

    def purge_names(self, ended_before_ts: int) -> int:
        """Delete the names of bookings that ended before the cut-off; returns how many.

        With ``secure_delete`` the old bytes are overwritten in the database file, and the
        checkpoint empties the write-ahead log, so the names are gone from disk, not only
        from the table; the backups are scrubbed the same way.
        """
        sql = "UPDATE bookings SET name = NULL WHERE name IS NOT NULL AND end_ts < ?"
        with write_transaction(self._db):
            cursor = self._db.execute(sql, [ended_before_ts])
        if cursor.rowcount:
            with translated_errors():
                self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        if self._backups is not None:
            self._backups.scrub(sql, [ended_before_ts], table="bookings")
        return cursor.rowcount

    def device_statuses(self) -> dict[str, str]:
        with translated_errors():
            rows = self._db.execute("SELECT device_id, status FROM device_status").fetchall()
        return {str(device): str(status) for device, status in rows}

    def set_device_status(self, device_id: str, status: str, now_ts: int) -> None:
        with write_transaction(self._db):
            self._db.execute(
                "INSERT INTO device_status (device_id, status, changed_ts) VALUES (?, ?, ?) "
                "ON CONFLICT (device_id) DO UPDATE SET status = excluded.status, "
                "changed_ts = excluded.changed_ts",
                [device_id, status, now_ts],
            )
