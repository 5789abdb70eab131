"""Bookings and device states in SQLite; every write is one durable transaction.

Overlaps are refused by triggers of the schema (migrations m003, m008) inside the transaction
that writes, so two terminals or processes booking the same slot at once get exactly one
booking. On a terminal joined to a hub every change made here also queues its operation for the
hub in the outbox, in the same transaction; what came from the hub (``keep_shared``) does not.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from kiosk.storage.connection import (
    immediate_transaction,
    translated_errors,
    write_transaction,
)
from kiosk.storage.date_exceptions import DateExceptionTable, ExceptionFields, StoredException
from kiosk.storage.name_purge import empty_write_ahead_log, purge_names_in
from kiosk.storage.outbox_repo import KIND_BOOKING, OutboxWriter
from kiosk.storage.shared_bookings import (
    ACTIVE,
    ACTIVE_MARKS,
    DeviceFields,
    SharedBookings,
    SharedFields,
    booking_id,
)

# Column lists and status sets below are constants; values are always bound.
_COLUMNS = (
    "id, code, device_id, device_kind, start_ts, end_ts, block_until_ts, name, status, walk_in, "
    "uid, moved, kind, reason"
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
    uid: str
    moved: bool
    kind: str = "visit"  # or "blocked": staff hold the device (kiosk.core.bookings.blocks)
    reason: str | None = None


@dataclass(frozen=True)
class Added:
    """The new booking's id, or why there is none."""

    id: int | None
    taken: bool = False  # the slot overlaps an active booking (another terminal was faster)
    code_in_use: bool = False  # the random code exists already: draw another
    existing: bool = False  # a booking with this uid was stored before: ``id`` is that one


def _row(values: Sequence[object]) -> StoredBooking:
    (id_, code, device_id, device_kind, start, end, block, name, status, walk_in, uid, moved) = (
        values[:12]
    )
    kind, reason = values[12:]  # the booking's kind and a block's reason (migration m009)
    return StoredBooking(
        int(str(id_)),
        str(code),
        str(device_id),
        str(device_kind),
        int(str(start)),
        int(str(end)),
        int(str(block)),
        None if name is None else str(name),
        str(status),
        bool(walk_in),
        str(uid),
        bool(moved),
        str(kind),
        None if reason is None else str(reason),
    )


def _overlap_refused(error: sqlite3.IntegrityError) -> bool:
    return OVERLAP_MESSAGE in str(error)


class BookingRepository:
    """The bookings table and the device_status table.

    With an outbox (a terminal joined to a hub), every change made here queues one operation
    for the hub (kind "booking", the push batch's BookingChange) in the same transaction:
    ``add`` a create, ``set_status`` a status change, ``move`` and ``reschedule`` a move,
    ``set_device_status`` a device state. Released no-shows (the hub releases them for the whole
    site), purged names (purged at the hub on the same schedule) and what the hub sent
    (``keep_shared``) queue nothing.
    """

    def __init__(
        self,
        db: Database,
        purge_copies: Callable[[int], None] | None = None,
        outbox: OutboxWriter | None = None,
    ) -> None:
        self._db = db
        # Purges the names from the copies of the database (backups, damaged copies) after
        # they were purged here; kiosk.storage.database passes it.
        self._purge_copies = purge_copies
        self._outbox = outbox
        self._shared = SharedBookings(db)
        self._exceptions = DateExceptionTable(db, self._queue)

    def add(
        self,
        *,
        uid: str,
        code: str,
        device_id: str,
        device_kind: str,
        start_ts: int,
        end_ts: int,
        block_until_ts: int,
        name: str | None,
        status: str,
        walk_in: bool,
        now_ts: int,
        kind: str = "visit",
        reason: str | None = None,
    ) -> Added:
        """Store a new booking; a uid stored before gives that booking (a retry), untouched."""
        booking = {
            "uid": uid,
            "code": code,
            "device_id": device_id,
            "device_kind": device_kind,
            "start_ts": start_ts,
            "end_ts": end_ts,
            "block_until_ts": block_until_ts,
            "name": name,
            "status": status,
            "walk_in": walk_in,
            "moved": False,
            "updated_ts": now_ts,
        }
        if kind != "visit":  # a visit's body stays as hubs before blocks know it
            booking |= {"kind": kind, "reason": reason}
        try:
            with immediate_transaction(self._db):
                # Under the write lock: nobody stores this uid between the look and the insert.
                stored = booking_id(self._db, uid)
                if stored is not None:
                    return Added(stored, existing=True)
                cursor = self._db.execute(
                    "INSERT INTO bookings (uid, code, device_id, device_kind, start_ts, end_ts, "
                    "block_until_ts, name, status, walk_in, created_ts, updated_ts, kind, reason) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        uid,
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
                        kind,
                        reason,
                    ],
                )
                self._queue({"op": "create", "booking": booking})
        except sqlite3.IntegrityError as error:
            if _overlap_refused(error):
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

    def by_uid(self, uid: str) -> StoredBooking | None:
        return self._one(f"SELECT {_COLUMNS} FROM bookings WHERE uid = ?", [uid])  # noqa: S608

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
            sql += f" AND status IN ({ACTIVE_MARKS})"
            params.extend(ACTIVE)
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
                changed = self._db.execute(
                    f"UPDATE bookings SET status = ?, updated_ts = ? "  # noqa: S608
                    f"WHERE id = ? AND status IN ({marks}) RETURNING uid",
                    [status, now_ts, booking_id, *expected],
                ).fetchall()
                for (uid,) in changed:
                    self._queue(
                        {
                            "op": "status",
                            "uid": uid,
                            "status": status,
                            "expected": list(expected),
                            "at_ts": now_ts,
                        }
                    )
        except sqlite3.IntegrityError as error:
            if _overlap_refused(error):
                return False
            raise
        return len(changed) == 1

    def move(self, booking_id: int, device_id: str, block_until_ts: int, now_ts: int) -> bool:
        """Move a booking to another device (marked as moved); False if that overlaps a
        booking there."""
        return self._relocate(
            booking_id,
            "device_id = ?, block_until_ts = ?",
            [device_id, block_until_ts],
            now_ts,
        )

    def reschedule(
        self,
        booking_id: int,
        *,
        device_id: str,
        start_ts: int,
        end_ts: int,
        block_until_ts: int,
        status: str,
        now_ts: int,
    ) -> bool:
        """Give a booking another time and device (and status), marked as moved; False if that
        overlaps an active booking there."""
        return self._relocate(
            booking_id,
            "device_id = ?, start_ts = ?, end_ts = ?, block_until_ts = ?, status = ?",
            [device_id, start_ts, end_ts, block_until_ts, status],
            now_ts,
        )

    def _relocate(
        self, booking_id: int, assignments: str, values: list[object], now_ts: int
    ) -> bool:
        """One UPDATE of where and when a booking is (``assignments`` is a constant of this
        module), queued for the hub as a move."""
        try:
            with immediate_transaction(self._db):
                changed = self._db.execute(
                    f"UPDATE bookings SET {assignments}, moved = 1, updated_ts = ? "  # noqa: S608
                    "WHERE id = ? "
                    "RETURNING uid, device_id, start_ts, end_ts, block_until_ts, status",
                    [*values, now_ts, booking_id],
                ).fetchall()
                for uid, device_id, start_ts, end_ts, block_until_ts, status in changed:
                    self._queue(
                        {
                            "op": "move",
                            "uid": uid,
                            "device_id": device_id,
                            "start_ts": start_ts,
                            "end_ts": end_ts,
                            "block_until_ts": block_until_ts,
                            "status": status,
                            "at_ts": now_ts,
                        }
                    )
        except sqlite3.IntegrityError as error:
            if _overlap_refused(error):
                return False
            raise
        return len(changed) == 1

    def release_no_shows(self, started_before_ts: int, now_ts: int) -> list[StoredBooking]:
        """Mark bookings that started before the cut-off and were not checked in as no-shows.

        A provisional booking is released too: the visitor did not come, and the device is
        free for others. A block is never released: nobody checks it in. Nothing is queued:
        the hub releases no-shows once for the site.
        """
        where = (
            "status IN ('pending', 'confirmed', 'provisional') AND kind = 'visit' AND start_ts <= ?"
        )
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

        Also from the hub's queued or refused copies of the bookings (kiosk.storage.name_purge).
        With ``secure_delete`` the old bytes are overwritten in the database file. The
        checkpoint empties the write-ahead log, which can hold older versions of the pages; it
        runs every time, since a reader may have held up the last one. Then the copies of the
        database in the data folder are purged, so the names are gone from disk, not only
        from the table.
        """
        with write_transaction(self._db):
            purged = purge_names_in(self._db.conn, ended_before_ts)
        with translated_errors():
            empty_write_ahead_log(self._db.conn)
        if self._purge_copies is not None:
            self._purge_copies(ended_before_ts)
        return purged

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
            self._queue(
                {"op": "device", "device_id": device_id, "status": status, "changed_ts": now_ts}
            )

    # -- date exceptions (kiosk.storage.date_exceptions) -------------------------------------

    def date_exceptions(self, first_day: str, last_day: str) -> list[StoredException]:
        return self._exceptions.between(first_day, last_day)

    def put_date_exception(
        self,
        *,
        day: str,
        closed: bool,
        opens_minute: int | None,
        closes_minute: int | None,
        note: str,
        now_ts: int,
    ) -> StoredException:
        return self._exceptions.put(
            day=day,
            closed=closed,
            opens_minute=opens_minute,
            closes_minute=closes_minute,
            note=note,
            now_ts=now_ts,
        )

    def remove_date_exception(self, exception_id: int, now_ts: int) -> bool:
        return self._exceptions.remove(exception_id, now_ts)

    def keep_shared_exceptions(self, exceptions: Sequence[ExceptionFields]) -> None:
        """Store the site's date exceptions as the hub keeps them; queue nothing."""
        self._exceptions.keep_shared(exceptions)

    # -- the site's bookings as the hub decided them ----------------------------------------

    def keep_shared(
        self, bookings: Sequence[SharedFields], devices: Sequence[DeviceFields] = ()
    ) -> None:
        """Store bookings and device states as the hub decided them (kiosk.storage.
        shared_bookings), in one transaction, and queue nothing: they came from the hub."""
        self._shared.keep(bookings, devices)

    def _queue(self, body: Mapping[str, Any]) -> None:
        """Inside the caller's transaction: the change, for the hub (on a joined terminal)."""
        if self._outbox is not None:
            self._outbox.add(KIND_BOOKING, body)
