"""A site's bookings on the hub: the core's BookingStore over PostgreSQL, scoped to one site.

The hub decides bookings with the same BookingService the terminals use (kiosk.core.bookings),
over this store. PostgreSQL itself refuses a double booking: the exclusion constraint of the
bookings table (migration 0004) is checked inside the transaction that writes, so two terminals
asking for one slot at once get exactly one booking, whatever they checked before. Every write
takes the next change number first (kiosk.hub.sequence): the terminals of the site pull it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg import Connection

from kiosk.hub.date_exceptions import PgDateExceptions
from kiosk.hub.models import BookingRecord
from kiosk.hub.sequence import lock_changes, next_change

Conn = Connection[tuple[Any, ...]]
CONFLICT = "conflict"
# No booking blocks its device longer than this (a config allows at most 8 hours plus a 4-hour
# buffer), so a time-window query can bound start_ts from below and use the index.
LONGEST_BLOCK_S = 24 * 60 * 60
# A block (kind 'blocked') is never a no-show: nobody checks it in.
_DUE = "site = %s AND status IN ('pending', 'confirmed') AND kind = 'visit' AND start_ts <= %s"
COLUMNS = (
    "id, uid, code, device_id, device_kind, start_ts, end_ts, block_until_ts, name, status, "
    "walk_in, moved, updated_ts, change_seq, kind, reason"
)
# What the database refuses in a change of a booking (an overlap, a code in use, times out of
# order): changes are written through a savepoint, so the request's transaction goes on.
REFUSALS = (
    psycopg.errors.ExclusionViolation,
    psycopg.errors.UniqueViolation,
    psycopg.errors.CheckViolation,
)


class ForeignBookingError(Exception):
    """The uid belongs to a booking of another site: a terminal may not read or change it."""


@dataclass(frozen=True)
class HubBooking:
    """A booking row as the hub keeps it (the core's BookingRow, plus when it last changed)."""

    id: int
    uid: str
    code: str
    device_id: str
    device_kind: str
    start_ts: int
    end_ts: int
    block_until_ts: int
    name: str | None
    status: str
    walk_in: bool
    moved: bool
    updated_ts: int
    change_seq: int
    kind: str = "visit"  # or "blocked": staff hold the device (kiosk.core.bookings.blocks)
    reason: str | None = None

    def record(self) -> BookingRecord:
        """The booking as terminals receive it."""
        return BookingRecord(
            uid=self.uid,
            code=self.code,
            device_id=self.device_id,
            device_kind=self.device_kind,
            start_ts=self.start_ts,
            end_ts=self.end_ts,
            block_until_ts=self.block_until_ts,
            name=self.name,
            status=self.status,
            walk_in=self.walk_in,
            moved=self.moved,
            updated_ts=self.updated_ts,
            kind="blocked" if self.kind == "blocked" else "visit",
            reason=self.reason,
        )


@dataclass(frozen=True)
class Added:
    """The new (or earlier) booking's id, or why there is none (the core's AddOutcome)."""

    id: int | None
    taken: bool = False  # the slot overlaps an active booking of the device
    code_in_use: bool = False  # another booking of the site has the code: draw another
    existing: bool = False  # stored before under this uid (a retry): ``id`` is that one's


def _row(values: Sequence[Any]) -> HubBooking:
    return HubBooking(*values)


_BY_UID = f"SELECT {COLUMNS} FROM bookings WHERE uid = %s AND site = %s".encode()  # noqa: S608
_STATUSES = b"SELECT device_id, status FROM device_status WHERE site = %s"


# Times out of order would break a CHECK, and with it the request's transaction: callers
# check them first.
_INSERT = (
    # The next change number first (the CTE runs before a row is made): see kiosk.hub.sequence.
    "WITH change AS (UPDATE change_counter SET value = value + 1 WHERE singleton "  # noqa: S608
    "RETURNING value) "
    "INSERT INTO bookings (uid, site, code, device_id, device_kind, start_ts, end_ts, "
    "block_until_ts, name, status, walk_in, moved, origin, created_ts, updated_ts, change_seq, "
    "kind, reason) "
    "SELECT %(uid)s, %(site)s, %(code)s, %(device_id)s, %(device_kind)s, %(start_ts)s, "
    "%(end_ts)s, %(block_until_ts)s, %(name)s::text, %(status)s, %(walk_in)s, %(moved)s, "
    "%(origin)s::bigint, %(now_ts)s, %(now_ts)s, change.value, %(kind)s, %(reason)s::text "
    "FROM change "
    "WHERE %(status)s = 'conflict' OR NOT EXISTS (SELECT 1 FROM bookings "
    "WHERE site = %(site)s AND code = %(code)s AND status <> 'conflict') "
    f"ON CONFLICT DO NOTHING RETURNING {COLUMNS}"
)


class PgBookingStore(PgDateExceptions):
    """The bookings, device states and date exceptions (kiosk.hub.date_exceptions) of one site
    (``origin``: the terminal that asks)."""

    def __init__(self, conn: Conn, site: str, *, origin: int | None = None) -> None:
        self._conn = conn
        self._site = site
        self._origin = origin
        self._exceptions_read = {}
        # Bookings inserted in this transaction, as the insert returned them: the core reads
        # back the booking it has just stored, and the terminal's answer is that row. (No other
        # writer changes it before the commit: it would have to take the change counter first.)
        self._inserted: dict[int, HubBooking] = {}

    @property
    def site(self) -> str:
        return self._site

    # -- adding ------------------------------------------------------------------------------

    def insert(
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
        moved: bool = False,
        kind: str = "visit",
        reason: str | None = None,
    ) -> Added:
        """Store a booking unless its uid is known, its block overlaps an active booking of
        the device (``taken``) or a booking of the site that is not a conflict has its code
        (``code_in_use``). A conflict is stored whatever its code: it holds nothing.

        The database decides: ON CONFLICT DO NOTHING takes the exclusion constraint (and the
        unique uid and code) as its arbiters, so a refused insert stores nothing and raises
        nothing, and the request's transaction goes on without a savepoint (a savepoint and
        its release took longer than the insert itself, measured while a terminal waits for
        its booking). Only a refusal asks once more, for its reason.
        """
        values = {
            "uid": uid,
            "site": self._site,
            "code": code,
            "device_id": device_id,
            "device_kind": device_kind,
            "start_ts": start_ts,
            "end_ts": end_ts,
            "block_until_ts": block_until_ts,
            "name": name,
            "status": status,
            "walk_in": walk_in,
            "moved": moved,
            "origin": self._origin,
            "now_ts": now_ts,
            "kind": kind,
            "reason": reason,
        }
        self._forget()
        found = self._conn.execute(_INSERT, values).fetchone()
        if found is not None:
            row = _row(found)
            self._inserted[row.id] = row
            return Added(row.id)
        return self._refused(values)

    add = insert  # the booking store protocol's add: a new booking, not moved yet

    def _refused(self, values: dict[str, Any]) -> Added:
        """Why an insert stored nothing: the uid was there before, the code is in use, or else
        the block overlaps an active booking (the exclusion constraint). The counter is held
        since the insert, so no other booking has been written in between."""
        reason = self._conn.execute(
            "SELECT (SELECT id FROM bookings WHERE uid = %(uid)s), "
            "(SELECT site FROM bookings WHERE uid = %(uid)s), "
            "EXISTS (SELECT 1 FROM bookings WHERE site = %(site)s AND code = %(code)s "
            "AND status <> 'conflict')",
            values,
        ).fetchone()
        if reason is None:  # pragma: no cover - a SELECT without FROM returns one row
            raise RuntimeError("no answer to why a booking was refused")
        known, site, code_in_use = reason
        if known is not None:
            if site != self._site:
                raise ForeignBookingError(str(values["uid"]))
            return Added(int(known), existing=True)
        if code_in_use and values["status"] != CONFLICT:
            return Added(None, code_in_use=True)
        return Added(None, taken=True)

    # -- reading -----------------------------------------------------------------------------

    def by_code(self, code: str) -> HubBooking | None:
        """The booking of the site with this code: one that is active before one that is over,
        a conflict (which may share the code of the booking that won) last."""
        return self._one(
            f"SELECT {COLUMNS} FROM bookings WHERE site = %s AND code = %s "  # noqa: S608
            "ORDER BY status IN ('pending', 'confirmed', 'checked_in') DESC, "
            "status <> 'conflict' DESC, id DESC LIMIT 1".encode(),
            [self._site, code],
        )

    def by_id(self, booking_id: int) -> HubBooking | None:
        """The booking of the site with this id (as inserted, when this store inserted it and
        has not changed it since)."""
        if booking_id in self._inserted:
            return self._inserted[booking_id]
        return self._one(
            f"SELECT {COLUMNS} FROM bookings WHERE id = %s AND site = %s".encode(),  # noqa: S608
            [booking_id, self._site],
        )

    def by_uid(self, uid: str) -> HubBooking | None:
        return self._one(_BY_UID, [uid, self._site])

    def _one(self, sql: bytes, params: list[Any]) -> HubBooking | None:
        found = self._conn.execute(sql, params).fetchone()
        return None if found is None else _row(found)

    def between(
        self, start_ts: int, end_ts: int, *, device_id: str | None = None, active_only: bool = False
    ) -> list[HubBooking]:
        """Bookings whose block (start to end plus buffer) touches [start_ts, end_ts)."""
        sql = (
            f"SELECT {COLUMNS} FROM bookings WHERE site = %s "  # noqa: S608
            "AND start_ts > %s AND start_ts < %s AND block_until_ts > %s"
        )
        params: list[Any] = [self._site, start_ts - LONGEST_BLOCK_S, end_ts, start_ts]
        if device_id is not None:
            sql += " AND device_id = %s"
            params.append(device_id)
        if active_only:
            sql += " AND status IN ('pending', 'confirmed', 'checked_in')"
        sql += " ORDER BY start_ts, device_id"
        return [_row(row) for row in self._conn.execute(sql.encode(), params).fetchall()]

    # -- changing ----------------------------------------------------------------------------

    def set_status(
        self, booking_id: int, status: str, now_ts: int, *, expected: Sequence[str]
    ) -> bool:
        """Change the status if it is one of ``expected``; False if not, or if the database
        refuses it (an overlap, a code in use)."""
        return self._change(
            "status = %s, updated_ts = %s",
            [status, now_ts],
            "id = %s AND status = ANY(%s)",
            [booking_id, list(expected)],
        )

    def move(self, booking_id: int, device_id: str, block_until_ts: int, now_ts: int) -> bool:
        """Move a booking to another device, same time; False if that overlaps a booking there."""
        return self._change(
            "device_id = %s, block_until_ts = %s, moved = true, updated_ts = %s",
            [device_id, block_until_ts, now_ts],
            "id = %s",
            [booking_id],
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
        """Give a booking another time, device and status, marked as moved; False if that
        overlaps an active booking there (nothing changes then)."""
        return self._change(
            "device_id = %s, start_ts = %s, end_ts = %s, block_until_ts = %s, status = %s, "
            "moved = true, updated_ts = %s",
            [device_id, start_ts, end_ts, block_until_ts, status, now_ts],
            "id = %s",
            [booking_id],
        )

    def _change(
        self, assignments: str, values: list[Any], condition: str, condition_values: list[Any]
    ) -> bool:
        """One UPDATE of a booking of this site with the next change number; False when no row
        matched or the database refused the change."""
        change = next_change(self._conn)
        sql = (
            f"UPDATE bookings SET {assignments}, change_seq = %s "  # noqa: S608
            f"WHERE site = %s AND {condition}"
        )
        try:
            with self._conn.transaction():
                cursor = self._conn.execute(
                    sql.encode(), [*values, change, self._site, *condition_values]
                )
        except REFUSALS:
            return False
        finally:
            self._forget()
        return cursor.rowcount == 1

    def touch(self, uid: str) -> None:
        """A change the hub refused: the booking takes a new change number all the same, so
        every terminal of the site, the sender too, pulls it as the hub keeps it."""
        change = next_change(self._conn)
        self._conn.execute(
            "UPDATE bookings SET change_seq = %s WHERE site = %s AND uid = %s",
            [change, self._site, uid],
        )
        self._forget()

    def _forget(self) -> None:
        """The store changes bookings: a row kept as inserted may be out of date."""
        self._inserted.clear()

    # -- upkeep ------------------------------------------------------------------------------

    def release_no_shows(self, started_before_ts: int, now_ts: int) -> list[HubBooking]:
        """Mark bookings that started before the cut-off and were not checked in as no-shows
        (each once: a second hub process finds them released already)."""
        due = self._conn.execute(
            f"SELECT id FROM bookings WHERE {_DUE} ORDER BY start_ts, id",  # noqa: S608
            [self._site, started_before_ts],
        ).fetchall()
        released = []
        for (booking_id,) in due:  # usually none: then no lock is taken
            self._forget()
            row = self._conn.execute(
                f"UPDATE bookings SET status = 'no_show', updated_ts = %s, change_seq = %s "  # noqa: S608
                f"WHERE id = %s AND {_DUE} RETURNING {COLUMNS}",
                [now_ts, next_change(self._conn), booking_id, self._site, started_before_ts],
            ).fetchone()
            if row is not None:
                released.append(_row(row))
        return released

    def purge_names(self, ended_before_ts: int) -> int:
        """Delete the names of the site's bookings that ended before the cut-off; returns how
        many. Terminals delete their copies on the same schedule, so nothing is sent."""
        self._forget()
        lock_changes(self._conn)  # the counter before any booking row, as every writer
        return self._conn.execute(
            "UPDATE bookings SET name = NULL WHERE site = %s AND name IS NOT NULL AND end_ts < %s",
            [self._site, ended_before_ts],
        ).rowcount

    # -- device states -----------------------------------------------------------------------

    def device_statuses(self) -> dict[str, str]:
        rows = self._conn.execute(_STATUSES, [self._site]).fetchall()
        return {str(device): str(status) for device, status in rows}

    def set_device_status(self, device_id: str, status: str, now_ts: int) -> None:
        self.keep_device_status(device_id, status, now_ts)

    def keep_device_status(self, device_id: str, status: str, changed_ts: int) -> bool:
        """Store a device state unless a later one is stored (staff at two terminals: the last
        change wins); either way the device's state takes a new change number. True if kept."""
        row = self._conn.execute(
            "INSERT INTO device_status AS d (site, device_id, status, changed_ts, change_seq) "
            "VALUES (%s, %s, %s, %s, %s) ON CONFLICT (site, device_id) DO UPDATE SET "
            "status = CASE WHEN d.changed_ts <= excluded.changed_ts "
            "THEN excluded.status ELSE d.status END, "
            "changed_ts = greatest(d.changed_ts, excluded.changed_ts), "
            "change_seq = excluded.change_seq RETURNING changed_ts = %s AND status = %s",
            [
                self._site,
                device_id,
                status,
                changed_ts,
                next_change(self._conn),
                changed_ts,
                status,
            ],
        ).fetchone()
        return bool(row and row[0])
