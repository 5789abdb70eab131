"""Making and changing one booking: book, look up by code, cancel, approve and move.

A booking is never written on the strength of an earlier reading of the free slots: the store
refuses an overlapping booking inside the same transaction that inserts it, and a refusal comes
back as "just taken" with the next free slots.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from kiosk.core.bookings.availability import Availability
from kiosk.core.bookings.ledger import BookingLedger, timestamp
from kiosk.core.bookings.names import clean_name, name_problem
from kiosk.core.bookings.records import (
    ACTIVE,
    CODE_LENGTH,
    Booking,
    BookingStatus,
    BookOutcome,
    Lookup,
    LookupStatus,
)
from kiosk.core.bookings.rules import BookingProblem, slot_problem
from kiosk.core.resume_codes import CodeThrottle, generate_code, normalise_code
from kiosk.core.stats.events import EventKind

log = logging.getLogger(__name__)

_MAX_CODE_TRIES = 20


class Reservations:
    """Bookings made by visitors and staff, and the changes to them after."""

    def __init__(
        self, ledger: BookingLedger, availability: Availability, throttle: CodeThrottle
    ) -> None:
        self._ledger = ledger
        self._availability = availability
        self._throttle = throttle

    def book(
        self,
        device_id: str,
        start: datetime,
        minutes: int,
        name: str,
        *,
        walk_in: bool = False,
    ) -> BookOutcome:
        """Book the slot for ``name``; nothing is stored unless every rule holds.

        Walk-ins (``walk_in=True``, made by staff) skip lead time, advance window and approval.
        """
        problem_with_name = name_problem(name)
        if problem_with_name is not None:
            return BookOutcome(name_problem=problem_with_name)
        ledger = self._ledger
        ledger.release_no_shows()
        problem = self._availability.check_slot(device_id, start, minutes, staff=walk_in)
        if problem is not None:
            return self._refused(device_id, start, problem)
        device = ledger.device(device_id)
        if device is None:  # pragma: no cover - check_slot refuses unknown devices
            raise KeyError(device_id)
        end = start + timedelta(minutes=minutes)
        status = (
            BookingStatus.PENDING if device.approval and not walk_in else BookingStatus.CONFIRMED
        )
        for _ in range(_MAX_CODE_TRIES):
            outcome = ledger.store.add(
                code=generate_code(length=CODE_LENGTH),
                device_id=device_id,
                device_kind=device.kind,
                start_ts=timestamp(start),
                end_ts=timestamp(end),
                block_until_ts=timestamp(end + device.buffer),
                name=clean_name(name),
                status=status.value,
                walk_in=walk_in,
                now_ts=ledger.stamp(),
            )
            if outcome.taken:
                log.info("slot of %s was just taken by another terminal", device_id)
                return self._refused(device_id, start, BookingProblem.OVERLAP)
            if outcome.id is not None:
                row = ledger.store.by_id(outcome.id)
                if row is None:  # pragma: no cover - the row was committed a moment ago
                    raise RuntimeError("a committed booking cannot be read back")
                ledger.count(EventKind.BOOKING_CREATED, device.kind)
                return BookOutcome(booking=ledger.booking(row))
        raise RuntimeError("no unused booking code found")  # pragma: no cover - 23⁵ codes

    def _refused(self, device_id: str, start: datetime, problem: BookingProblem) -> BookOutcome:
        """Why not, with up to five free slots instead: this device first, then its kind."""
        device = self._ledger.device(device_id)
        if device is None:
            return BookOutcome(problem=problem)
        alternatives = self._availability.next_free(device, start, 3)
        for other in self._ledger.visitor_devices(device.kind):
            if other.id != device.id and len(alternatives) < 5:
                alternatives.extend(self._availability.next_free(other, start, 1))
        return BookOutcome(problem=problem, alternatives=tuple(alternatives))

    def find(self, text: str) -> Lookup:
        """A visitor looks up a booking by its code; unknown codes are throttled."""
        wait = self._throttle.wait_s()
        if wait > 0:
            return Lookup(LookupStatus.THROTTLED, wait_s=wait)
        code = normalise_code(text, CODE_LENGTH)
        if code is None:
            return Lookup(LookupStatus.MALFORMED)
        self._ledger.release_no_shows()
        row = self._ledger.store.by_code(code)
        if row is None:
            return Lookup(LookupStatus.UNKNOWN, wait_s=self._throttle.register_failure())
        return Lookup(LookupStatus.FOUND, self._ledger.booking(row))

    def booking(self, code: str) -> Booking | None:
        """The booking with this (compact or printed) code, for staff and the CLI."""
        compact = normalise_code(code, CODE_LENGTH)
        row = None if compact is None else self._ledger.store.by_code(compact)
        return None if row is None else self._ledger.booking(row)

    def cancel(self, booking_id: int, *, staff: bool = False) -> bool:
        """Cancel an active booking: visitors only before it starts, staff at any time."""
        ledger = self._ledger
        row = ledger.store.by_id(booking_id)
        if row is None:
            return False
        if not staff and row.start_ts <= ledger.stamp():
            return False
        expected = [status.value for status in ACTIVE]
        done = ledger.store.set_status(
            booking_id, BookingStatus.CANCELLED.value, ledger.stamp(), expected=expected
        )
        if done:
            ledger.count(EventKind.BOOKING_CANCELLED, row.device_kind)
        return done

    def approve(self, booking_id: int) -> bool:
        """Staff confirm a booking that waited for approval."""
        return self._ledger.store.set_status(
            booking_id,
            BookingStatus.CONFIRMED.value,
            self._ledger.stamp(),
            expected=[BookingStatus.PENDING.value],
        )

    def move(self, booking_id: int, to_device_id: str) -> BookingProblem | None:
        """Move an active booking to another device of the same kind, same time."""
        ledger = self._ledger
        row = ledger.store.by_id(booking_id)
        target = ledger.device(to_device_id)
        if row is None or target is None:
            return BookingProblem.UNKNOWN_DEVICE
        booking = ledger.booking(row)
        if target.kind != booking.device_kind or not booking.active:
            return BookingProblem.UNKNOWN_DEVICE
        if not ledger.status_of(to_device_id).lendable:
            return BookingProblem.DEVICE_UNAVAILABLE
        blocks = ledger.blocks(to_device_id, booking.start.date())
        problem = slot_problem(
            target, ledger.calendar, booking.start, booking.end, booking.start, blocks, staff=True
        )
        # The booking keeps its length even where the other device allows other lengths.
        if problem is not None and problem not in (
            BookingProblem.TOO_SHORT,
            BookingProblem.TOO_LONG,
        ):
            return problem
        moved = ledger.store.move(
            booking_id, to_device_id, timestamp(booking.end + target.buffer), ledger.stamp()
        )
        return None if moved else BookingProblem.OVERLAP
