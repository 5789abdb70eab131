"""Staff change a booking in place: another start, end or device; the code and uid stay.

An edit is one change of one booking, not a cancellation and a new booking: the visitor's slip
stays valid, the statistics count one "booking_edited", and a terminal joined to a hub sends it
as the same kind of change as a move (kiosk.storage.bookings_repo queues it), which the hub
applies under its own overlap constraint and sends on to the site's other terminals.

The staff rules hold (opening hours, closures and date exceptions, blackouts, the device's
state, other bookings and their turnaround); the device's visitor lengths do not: staff decide
how long a visitor may stay (or how long a workshop holds the device), within the opening hours.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from kiosk.core.bookings.ledger import BookingLedger, timestamp
from kiosk.core.bookings.records import Booking
from kiosk.core.bookings.rules import BookingProblem, DevicePolicy, slot_problem
from kiosk.core.stats.events import EventKind

# The longest an edit may make a booking: the opening hours limit it first, and the stores
# read a booking's block as at most a day long (LONGEST_BLOCK_S).
_LONGEST_MINUTES = 12 * 60


def any_length(policy: DevicePolicy) -> DevicePolicy:
    """``policy`` without the lengths visitors may choose: staff keep a booking's length when they
    move it, and choose it when they edit it. The rule check tests lengths first, so they are
    lifted here rather than their problem ignored after (which skipped every later rule)."""
    return replace(policy, min_minutes=1, max_minutes=_LONGEST_MINUTES)


class BookingEdits:
    """Edits by staff of bookings that still hold their device."""

    def __init__(self, ledger: BookingLedger) -> None:
        self._ledger = ledger

    def edit(
        self,
        booking_id: int,
        *,
        start: datetime | None = None,
        end: datetime | None = None,
        device_id: str | None = None,
        check_only: bool = False,
    ) -> BookingProblem | None:
        """Give the booking a new start and/or end and/or another device of its kind; None when
        done (or when nothing changes), else the rule it would break, and nothing changes.
        ``check_only``: only say what the answer would be (the desk shows it before saving).

        A booking that has started keeps its start unless staff change it; a new start or end
        in the past is refused, and so is a booking that is over or no longer active.
        """
        ledger = self._ledger
        row = ledger.store.by_id(booking_id)
        if row is None:
            return BookingProblem.UNKNOWN_DEVICE
        booking = ledger.booking(row)
        target = ledger.device(device_id or booking.device_id)
        if target is None or target.kind != booking.device_kind or not booking.active:
            return BookingProblem.UNKNOWN_DEVICE
        new_start = booking.start if start is None else start.astimezone(ledger.calendar.zone)
        new_end = booking.end if end is None else end.astimezone(ledger.calendar.zone)
        if (new_start, new_end, target.id) == (booking.start, booking.end, booking.device_id):
            return None
        if new_end <= new_start:
            return BookingProblem.TOO_SHORT
        problem = self._problem(booking, target.id, new_start, new_end)
        if problem is not None or check_only:
            return problem
        done = ledger.store.reschedule(
            booking.id,
            device_id=target.id,
            start_ts=timestamp(new_start),
            end_ts=timestamp(new_end),
            block_until_ts=timestamp(new_end + target.buffer),
            # An edit changes when and where, not how far the booking has come: a checked-in
            # visitor stays checked in, a booking waiting for approval still waits.
            status=booking.status.value,
            now_ts=ledger.stamp(),
        )
        if not done:
            return BookingProblem.OVERLAP  # the database's constraint: taken meanwhile
        ledger.count(EventKind.BOOKING_EDITED, booking.device_kind)
        return None

    def _problem(
        self, booking: Booking, device_id: str, start: datetime, end: datetime
    ) -> BookingProblem | None:
        """The first staff rule the booking's new time on ``device_id`` would break."""
        ledger = self._ledger
        target = ledger.device(device_id)
        if target is None:  # pragma: no cover - checked by the caller
            return BookingProblem.UNKNOWN_DEVICE
        now = ledger.now()
        if booking.end <= now or end <= now:
            return BookingProblem.IN_PAST
        if not ledger.status_of(device_id).lendable:
            return BookingProblem.DEVICE_UNAVAILABLE
        # A running booking keeps the start it had: only a changed start must lie ahead.
        since = min(now, start) if start == booking.start else now
        day = start.astimezone(ledger.calendar.zone).date()
        blocks = ledger.blocks(device_id, day, leaving_out=booking.id)
        # The lengths visitors may choose do not bind staff (see the module's docstring); the
        # rule checks them first, so they are widened here rather than ignored after.
        return slot_problem(
            any_length(target), ledger.calendar, start, end, since, blocks, staff=True
        )
