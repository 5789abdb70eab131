"""A terminal's copy of its site's bookings as the hub decided them (a joined terminal).

The sync thread keeps what it pulls here, and so does a visitor's booking the hub confirmed;
nothing kept here goes back to the hub. The hub's booking wins over what this terminal booked
while it could not ask: an overlapping booking here becomes a conflict, and a booking that has
the hub booking's code gives it up for a stand-in.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Protocol

from sqlite_utils import Database

from kiosk.storage.connection import write_transaction
from kiosk.storage.outbox_repo import KIND_BOOKING

# The statuses in which a booking holds its device (kiosk.core.bookings.records.ACTIVE).
ACTIVE = ("pending", "confirmed", "checked_in", "provisional")
ACTIVE_MARKS = ", ".join("?" for _ in ACTIVE)
CONFLICT = "conflict"
PROVISIONAL = "provisional"
# A booking in these statuses leaves its code to another one of the same code (as at the hub).
HOLDS_NO_CODE = (CONFLICT, "cancelled")


class SharedFields(Protocol):
    """A booking as the hub keeps it (kiosk.core.bookings.shared.SharedBooking)."""

    @property
    def uid(self) -> str: ...
    @property
    def code(self) -> str: ...
    @property
    def device_id(self) -> str: ...
    @property
    def device_kind(self) -> str: ...
    @property
    def start_ts(self) -> int: ...
    @property
    def end_ts(self) -> int: ...
    @property
    def block_until_ts(self) -> int: ...
    @property
    def name(self) -> str | None: ...
    @property
    def status(self) -> str: ...
    @property
    def walk_in(self) -> bool: ...
    @property
    def moved(self) -> bool: ...
    @property
    def updated_ts(self) -> int: ...
    @property
    def kind(self) -> str: ...
    @property
    def reason(self) -> str | None: ...


class DeviceFields(Protocol):
    """A device state as the hub keeps it (kiosk.core.bookings.shared.SharedDeviceStatus)."""

    @property
    def device_id(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def changed_ts(self) -> int: ...


def booking_id(db: Database, uid: str) -> int | None:
    """The id of the booking with ``uid`` on this terminal."""
    row = db.execute("SELECT id FROM bookings WHERE uid = ?", [uid]).fetchone()
    return None if row is None else int(row[0])


class SharedBookings:
    """Keeps the hub's bookings and device states in the bookings and device_status tables."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def keep(self, bookings: Sequence[SharedFields], devices: Sequence[DeviceFields] = ()) -> None:
        """Store bookings and device states as the hub decided them, in one transaction, and
        queue nothing (they came from the hub).

        The hub's booking wins: a booking here that holds its device during the hub's active
        booking (a provisional one the hub has not taken yet) becomes a conflict, and one that
        has its code gives the code up (see ``_code_for``). A device state is taken when it
        changed at least as late as the one here (a tie goes to the hub, as at the hub itself).
        """
        with write_transaction(self._db):
            for booking in bookings:
                self._keep(booking)
            for device in devices:
                self._db.execute(
                    "INSERT INTO device_status (device_id, status, changed_ts) VALUES (?, ?, ?) "
                    "ON CONFLICT (device_id) DO UPDATE SET status = excluded.status, "
                    "changed_ts = excluded.changed_ts "
                    "WHERE excluded.changed_ts >= device_status.changed_ts",
                    [device.device_id, device.status, device.changed_ts],
                )

    def _keep(self, booking: SharedFields) -> None:
        """Inside the caller's transaction: one booking of the hub, by its uid.

        A booking changed here whose change still waits in the outbox keeps its state here:
        what the hub sent was decided before it heard of that change (a check-in made between
        a sync's push and its pull would otherwise flip back for a round). The hub's answer to
        the change comes with a later pull.
        """
        if self._unsent(booking.uid):
            return
        if booking.status in ACTIVE:
            self._db.execute(
                "UPDATE bookings SET status = ?, updated_ts = ? "  # noqa: S608
                "WHERE device_id = ? AND uid != ? "
                f"AND status IN ({ACTIVE_MARKS}) AND start_ts < ? AND ? < block_until_ts",
                [
                    CONFLICT,
                    booking.updated_ts,
                    booking.device_id,
                    booking.uid,
                    *ACTIVE,
                    booking.block_until_ts,
                    booking.start_ts,
                ],
            )
        values = [
            self._code_for(booking),
            booking.device_id,
            booking.device_kind,
            booking.start_ts,
            booking.end_ts,
            booking.block_until_ts,
            booking.name,
            booking.status,
            int(booking.walk_in),
            int(booking.moved),
            booking.updated_ts,
            booking.kind,
            booking.reason,
        ]
        stored = booking_id(self._db, booking.uid)
        # Not an upsert: its INSERT trigger runs first and would find the stored row in the way.
        if stored is None:
            self._db.execute(
                "INSERT INTO bookings (code, device_id, device_kind, start_ts, end_ts, "
                "block_until_ts, name, status, walk_in, moved, updated_ts, kind, reason, uid, "
                "created_ts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [*values, booking.uid, booking.updated_ts],
            )
        else:
            self._db.execute(
                "UPDATE bookings SET code = ?, device_id = ?, device_kind = ?, start_ts = ?, "
                "end_ts = ?, block_until_ts = ?, name = ?, status = ?, walk_in = ?, moved = ?, "
                "updated_ts = ?, kind = ?, reason = ? WHERE id = ?",
                [*values, stored],
            )

    def _unsent(self, uid: str) -> bool:
        """Whether a change of the booking with ``uid`` made here waits in the outbox."""
        row = self._db.execute(
            "SELECT 1 FROM outbox WHERE kind = ? "
            "AND coalesce(json_extract(body, '$.uid'), json_extract(body, '$.booking.uid')) = ? "
            "LIMIT 1",
            [KIND_BOOKING, uid],
        ).fetchone()
        return row is not None

    def _code_for(self, booking: SharedFields) -> str:
        """Inside the caller's transaction: the code the hub's booking is kept under here.

        Codes are unique here. The hub gives every booking of its site a code of its own, but a
        provisional booking made here while the hub could not be asked may have drawn a code
        the hub has meanwhile given to another booking (one in 23⁵); the hub then keeps it as a
        conflict that shares the code (a conflict or a cancelled booking holds no code there).
        Here, as there, the code stays with the booking that holds it, the hub's when both do
        or neither does; the other one gets a stand-in that no lookup finds. A provisional
        booking that loses its code becomes a conflict, as the hub will make it: the visitor's
        code leads to another booking now, and staff sort it out on the desk.
        """
        holder = self._db.execute(
            "SELECT id, uid, status FROM bookings WHERE code = ? AND uid != ?",
            [booking.code, booking.uid],
        ).fetchone()
        if holder is None:
            return booking.code
        holder_id, holder_uid, holder_status = holder
        if booking.status in HOLDS_NO_CODE and holder_status not in HOLDS_NO_CODE:
            return self._free_code_for(booking.code, booking.uid)
        self._db.execute(
            "UPDATE bookings SET code = ?, updated_ts = ?, "
            "status = CASE status WHEN ? THEN ? ELSE status END WHERE id = ?",
            [
                self._free_code_for(booking.code, str(holder_uid)),
                booking.updated_ts,
                PROVISIONAL,
                CONFLICT,
                holder_id,
            ],
        )
        return booking.code

    def _free_code_for(self, code: str, uid: str) -> str:
        """A stand-in for a booking's code that no visitor's lookup finds (lookups are by the
        upper-case code): the code in lower case, so staff still recognise the visitor's slip;
        for a code of digits only (or when that is taken) "z" and the first five digits of the
        booking's uid, the same on every terminal, so the booking keeps its stand-in from pull
        to pull; then the first free one of z00000, z00001, …"""
        candidates = itertools.chain(
            (code.lower(), f"z{uid[:5]}"), (f"z{number:05d}" for number in itertools.count())
        )
        return next(
            candidate
            for candidate in candidates
            if candidate != code and not self._code_of_another(candidate, uid)
        )

    def _code_of_another(self, code: str, uid: str) -> bool:
        """Whether a booking other than the one with ``uid`` has ``code``."""
        row = self._db.execute(
            "SELECT 1 FROM bookings WHERE code = ? AND uid != ?", [code, uid]
        ).fetchone()
        return row is not None
