"""What the hub does with a site's bookings for its terminals: decides a booking a terminal asks
for, takes in the booking changes terminals push, hands out what changed, and keeps the site's
bookings (no-shows released once for the site, names purged on the site's schedule).

A visitor's booking (not a walk-in) is held to the site's per-name limit here too, asked for or
pushed after an outage: a visitor can go from one terminal to the next. One the hub refuses on
sync is kept as a conflict, which staff see and resolve like any other.

Every function runs in the caller's transaction. Nothing here logs a name or a booking code.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from psycopg import Connection

from kiosk.core.bookings import BookingKind, BookingProblem, BookingRequest, clean_name
from kiosk.core.bookings.rules import NamedBooking, name_limit_problem
from kiosk.core.resume_codes import utc_now
from kiosk.hub.bookings import (
    COLUMNS,
    CONFLICT,
    ForeignBookingError,
    HubBooking,
    PgBookingStore,
)
from kiosk.hub.models import (
    BookingAsk,
    BookingChange,
    BookingRecord,
    BookingRefused,
    ChangeStatus,
    CreateBooking,
    DeviceState,
    FreeSlot,
    MoveBooking,
    PushedBooking,
    SetDevice,
    SetException,
)
from kiosk.hub.sequence import lock_changes
from kiosk.hub.site_rules import SiteRules, booking_service

log = logging.getLogger("kiosk.hub")
Conn = Connection[tuple[Any, ...]]
PROVISIONAL = "provisional"


# --- a booking asked for (POST /v1/bookings) ----------------------------------------------


@dataclass(frozen=True)
class Decision:
    """The hub's answer to a booking request: the booking, a refusal, or a name it refuses."""

    record: BookingRecord | None = None
    refused: BookingRefused | None = None
    name_problem: str = ""


def decide(
    conn: Conn,
    site: str,
    terminal_id: int,
    ask: BookingAsk,
    rules: SiteRules,
    clock: Callable[[], datetime] = utc_now,
) -> Decision:
    """Decide a terminal's booking with the site's rules: the booking stored under its uid
    before (the terminal asks again after a lost answer), or the slot checked and stored, or
    why not with the next free times. Raises ForeignBookingError for another site's uid."""
    if rules.limits.max_open_per_name_per_day > 0 and not ask.walk_in:
        # The counter before the site's bookings are counted, as every writer takes it: two
        # terminals booking for one name at once are counted one after the other.
        lock_changes(conn)
    service, store = booking_service(conn, site, rules, origin=terminal_id, clock=clock)
    request = BookingRequest(
        uid=ask.uid,
        code=ask.code,
        device_id=ask.device_id,
        start=datetime.fromtimestamp(ask.start_ts, rules.calendar.zone),
        minutes=ask.minutes,
        name=clean_name(ask.name),
        walk_in=ask.walk_in,
    )
    outcome = service.decide(request)
    if outcome.booking is not None:
        row = store.by_id(outcome.booking.id)
        if row is None:  # pragma: no cover - stored or read in this transaction
            raise RuntimeError("a booking just decided cannot be read back")
        return Decision(record=row.record())
    if outcome.name_problem is not None:
        return Decision(name_problem=outcome.name_problem.value)
    problem = outcome.problem or BookingProblem.OVERLAP
    return Decision(
        refused=BookingRefused(
            detail=f"the slot cannot be booked ({problem.value})",
            problem=problem.value,
            alternatives=[
                FreeSlot(
                    device_id=slot.device_id,
                    start_ts=int(slot.start.timestamp()),
                    end_ts=int(slot.end.timestamp()),
                )
                for slot in outcome.alternatives
            ],
        )
    )


# --- booking changes pushed by a terminal ---------------------------------------------------


def take_changes(
    conn: Conn,
    site: str,
    terminal_id: int,
    changes: Sequence[BookingChange],
    rules: SiteRules | None,
    now_ts: int,
) -> int:
    """Apply a batch's booking changes in their order, each once by its outbox id; returns how
    many were new (applied, or refused: a refused one changes nothing but sends the booking
    back to every terminal as the hub keeps it)."""
    if not changes:
        return 0
    lock_changes(conn)
    store = PgBookingStore(conn, site, origin=terminal_id)
    new = 0
    for change in changes:
        fresh = conn.execute(
            "INSERT INTO received_rows (id) VALUES (%s) ON CONFLICT (id) DO NOTHING RETURNING id",
            [change.id],
        ).fetchone()
        if fresh is None:
            continue
        new += 1
        try:
            _apply(store, change, rules, now_ts)
        except ForeignBookingError:
            log.warning("terminal %d sent a change of another site's booking; ignored", terminal_id)
    return new


def _apply(
    store: PgBookingStore, change: BookingChange, rules: SiteRules | None, now_ts: int
) -> None:
    if isinstance(change, CreateBooking):
        _create(store, change.booking, rules, now_ts)
    elif isinstance(change, ChangeStatus):
        _change_status(store, change)
    elif isinstance(change, MoveBooking):
        _move(store, change)
    elif isinstance(change, SetDevice):
        store.keep_device_status(change.device_id, change.status, change.changed_ts)
    elif isinstance(change, SetException):
        store.keep_date_exception(change)


def _create(
    store: PgBookingStore, booking: PushedBooking, rules: SiteRules | None, now_ts: int
) -> None:
    """A booking made on a terminal: kept as it was made, or as a conflict when the hub gave
    its time (or its code) to another booking first."""
    if not booking.start_ts < booking.end_ts <= booking.block_until_ts:
        log.warning("a booking pushed by a terminal has impossible times; not stored")
        return
    fields: dict[str, Any] = {
        "uid": booking.uid,
        "code": booking.code,
        "device_id": booking.device_id,
        "device_kind": booking.device_kind,
        "start_ts": booking.start_ts,
        "end_ts": booking.end_ts,
        "block_until_ts": booking.block_until_ts,
        "name": booking.name,
        "walk_in": booking.walk_in,
        "moved": booking.moved,
        "now_ts": now_ts,
        "kind": booking.kind,
        "reason": booking.reason,
    }
    status = _created_status(booking, rules)
    if booking.status == PROVISIONAL and _over_name_limit(store, booking, rules, now_ts):
        status = CONFLICT
    added = store.insert(status=status, **fields)
    if added.existing:
        store.touch(booking.uid)  # the sender pulls how the hub keeps it
    elif added.taken or added.code_in_use:
        store.insert(status=CONFLICT, **fields)


def _over_name_limit(
    store: PgBookingStore, booking: PushedBooking, rules: SiteRules | None, now_ts: int
) -> bool:
    """A visitor's booking made while the hub could not be asked, whose name has as many open
    bookings on its day at the hub as the site allows (another terminal took them meanwhile)."""
    if rules is None or booking.walk_in or booking.name is None:
        return False
    zone = rules.calendar.zone
    start = datetime.fromtimestamp(booking.start_ts, zone)
    day = start.date()
    low = datetime.combine(day, time(0), zone)
    high = datetime.combine(day + timedelta(days=1), time(0), zone)
    rows = store.between(int(low.timestamp()), int(high.timestamp()), active_only=True)
    others = [
        NamedBooking(
            name=row.name,
            start=datetime.fromtimestamp(row.start_ts, zone),
            end=datetime.fromtimestamp(row.end_ts, zone),
            active=True,
        )
        for row in rows
        if row.uid != booking.uid  # pushed again: it does not count against itself
    ]
    now = datetime.fromtimestamp(now_ts, zone)
    return name_limit_problem(rules.limits, booking.name, start, now, zone, others) is not None


def _created_status(booking: PushedBooking, rules: SiteRules | None) -> str:
    """A provisional booking is what the hub would have made of it when asked: waiting for
    approval on a device that needs it (not for a walk-in), else confirmed. Any other status
    happened on the terminal (a check-in, a cancellation while offline) and is kept."""
    if booking.status != PROVISIONAL:
        return str(booking.status)
    if booking.kind == BookingKind.BLOCKED.value:
        return "confirmed"  # staff hold the device: nobody approves that
    device = None if rules is None else rules.device(booking.device_id)
    approval = device is not None and device.approval and not booking.walk_in
    return "pending" if approval else "confirmed"


def _change_status(store: PgBookingStore, change: ChangeStatus) -> None:
    """Applied when the hub's status is one the terminal expected ("provisional" stands for
    pending or confirmed: what the hub made of it)."""
    expected = {status for status in change.expected if status != PROVISIONAL}
    if PROVISIONAL in change.expected:
        expected |= {"pending", "confirmed"}
    row = store.by_uid(change.uid)
    if row is None:
        return  # never arrived here (or another site's): nothing to change, nothing to send
    if not store.set_status(row.id, change.status, change.at_ts, expected=sorted(expected)):
        store.touch(change.uid)


def _move(store: PgBookingStore, change: MoveBooking) -> None:
    """Staff gave the booking another time or device; unchanged when that time is taken at the
    hub (a conflict stays a conflict) or the booking was cancelled or released meanwhile."""
    row = store.by_uid(change.uid)
    if row is None:
        return
    moved = row.status not in ("cancelled", "no_show") and store.reschedule(
        row.id,
        device_id=change.device_id,
        start_ts=change.start_ts,
        end_ts=change.end_ts,
        block_until_ts=change.block_until_ts,
        status=_moved_status(row.status, change.status),
        now_ts=change.at_ts,
    )
    if not moved:
        store.touch(change.uid)


def _moved_status(current: str, target: str) -> str:
    """A checked-in visitor stays checked in, and an approval given elsewhere stays given;
    "provisional" (moved on a terminal) is confirmed: staff chose the time."""
    if current == "checked_in":
        return current
    if target == PROVISIONAL or (target == "pending" and current == "confirmed"):
        return "confirmed"
    return target


# --- what changed, for the terminals of a site ---------------------------------------------


def changed_bookings(
    conn: Conn, site: str, since: int, upto: int, limit: int
) -> list[tuple[int, BookingRecord]]:
    """(change number, booking) of the site's bookings changed in (since, upto], oldest first."""
    rows = conn.execute(
        f"SELECT {COLUMNS} FROM bookings WHERE site = %s "  # noqa: S608
        "AND change_seq > %s AND change_seq <= %s ORDER BY change_seq LIMIT %s",
        [site, since, upto, limit],
    ).fetchall()
    bookings = [HubBooking(*row) for row in rows]
    return [(booking.change_seq, booking.record()) for booking in bookings]


def changed_devices(
    conn: Conn, site: str, since: int, upto: int, limit: int
) -> list[tuple[int, DeviceState]]:
    """(change number, state) of the site's device states changed in (since, upto]."""
    rows = conn.execute(
        "SELECT change_seq, device_id, status, changed_ts FROM device_status WHERE site = %s "
        "AND change_seq > %s AND change_seq <= %s ORDER BY change_seq LIMIT %s",
        [site, since, upto, limit],
    ).fetchall()
    return [
        (int(seq), DeviceState(device_id=device, status=status, changed_ts=changed))
        for seq, device, status, changed in rows
    ]


# --- keeping a site's bookings --------------------------------------------------------------


def release_no_shows(
    conn: Conn, site: str, rules: SiteRules, clock: Callable[[], datetime] = utc_now
) -> int:
    """Release the site's bookings not checked in [bookings] no_show_minutes after their
    start, each counted once as a no-show for the city's statistics; returns how many."""
    service, _store = booking_service(conn, site, rules, clock=clock)
    return len(service.release_no_shows())


def purge_names(
    conn: Conn, site: str, rules: SiteRules, clock: Callable[[], datetime] = utc_now
) -> int:
    """Delete the names of the site's bookings [bookings] purge_days after the slot."""
    service, _store = booking_service(conn, site, rules, clock=clock)
    return service.purge_names()
