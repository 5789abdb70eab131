"""Making and changing one booking: book, look up by code, cancel, approve and move.

A booking is never written on the strength of an earlier reading of the free slots: the store
refuses an overlapping booking inside the same transaction that inserts it, and a refusal comes
back as "just taken" with the next free slots.

Visitors are limited (kiosk.core.bookings.rules.VisitorLimits): a name has at most so many open
bookings a day, and a terminal takes a visitor's next booking only after a cool-down. Staff
(walk-ins, ``by_staff``) are not. The cool-down is kept per terminal, not per visitor session:
a visitor can end a session with one tap, and a cool-down that ended with it would hold nobody.
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime, timedelta

from kiosk.core.bookings.availability import Availability
from kiosk.core.bookings.edits import any_length
from kiosk.core.bookings.ledger import BookingLedger, timestamp
from kiosk.core.bookings.names import clean_name, name_problem
from kiosk.core.bookings.records import (
    ACTIVE,
    CODE_LENGTH,
    Booking,
    BookingKind,
    BookingStatus,
    BookOutcome,
    Lookup,
    LookupStatus,
)
from kiosk.core.bookings.rules import (
    BookingProblem,
    NamedBooking,
    Slot,
    VisitorLimits,
    cooldown_wait_s,
    name_limit_problem,
    slot_problem,
)
from kiosk.core.bookings.shared import (
    PROVISIONAL,
    BookingRequest,
    HubAnswer,
    HubRefusal,
    SharedBooking,
    SharedCopy,
)
from kiosk.core.resume_codes import CodeThrottle, generate_code, normalise_code
from kiosk.core.stats.events import EventKind

log = logging.getLogger(__name__)

_MAX_CODE_TRIES = 20


class Reservations:
    """Bookings made by visitors and staff, and the changes to them after."""

    def __init__(
        self,
        ledger: BookingLedger,
        availability: Availability,
        throttle: CodeThrottle,
        limits: VisitorLimits | None = None,
    ) -> None:
        self._ledger = ledger
        self._availability = availability
        self._throttle = throttle
        self._limits = limits or VisitorLimits()
        # When this terminal last stored a visitor's booking (for the cool-down), in memory: a
        # restart of the kiosk, which takes staff, starts without one.
        self._last_visitor_booking: datetime | None = None

    def book(
        self,
        device_id: str,
        start: datetime,
        minutes: int,
        name: str,
        *,
        walk_in: bool = False,
        provisional: bool = False,
        by_staff: bool = False,
    ) -> BookOutcome:
        """Book the slot for ``name``; nothing is stored unless every rule holds.

        Walk-ins (``walk_in=True``, made by staff) skip lead time, advance window and approval.
        ``provisional``: booked on a terminal joined to a hub without asking it. Walk-ins and
        ``by_staff`` bookings skip the visitor limits.
        """
        checked = self.request(device_id, start, minutes, name, walk_in=walk_in, by_staff=by_staff)
        if isinstance(checked, BookOutcome):
            return checked
        outcome = self.store(checked, provisional=provisional)
        if outcome.ok and not (walk_in or by_staff):
            self._last_visitor_booking = self._ledger.now()
        return outcome

    def request(
        self,
        device_id: str,
        start: datetime,
        minutes: int,
        name: str,
        *,
        walk_in: bool = False,
        by_staff: bool = False,
    ) -> BookingRequest | BookOutcome:
        """The booking checked against every rule here, with a new uid and code, ready to be
        stored or sent to the hub; or why not (a BookOutcome with no booking). A visitor's
        booking (not ``walk_in``, not ``by_staff``) is held to the visitor limits first: they
        are about the visitor, so another time would not help."""
        problem_with_name = name_problem(name)
        if problem_with_name is not None:
            return BookOutcome(name_problem=problem_with_name)
        self._ledger.release_no_shows()
        if not (walk_in or by_staff):
            refused = self.limit_refusal(name, start)
            if refused is not None:
                return refused
        # Staff (a walk-in, or a booking made at the desk) book any day, off the slot grid.
        problem = self._availability.check_slot(
            device_id, start, minutes, staff=walk_in or by_staff
        )
        if problem is not None:
            return self._refused(device_id, start, minutes, problem)
        return BookingRequest(
            uid=uuid.uuid4().hex,
            code=generate_code(length=CODE_LENGTH),
            device_id=device_id,
            start=start,
            minutes=minutes,
            name=clean_name(name),
            walk_in=walk_in,
        )

    def decide(self, request: BookingRequest) -> BookOutcome:
        """The hub's side of a terminal's request, while the terminal's visitor waits.

        The terminal checked the slot already; here every rule that needs no other booking is
        checked again, and the store decides the rest: its constraint refuses an overlap
        inside the insert, and a uid stored before (the terminal asks again after a lost
        answer) comes back as that booking. So a booking that fits costs one write. Only a
        refusal reads the site's day (no-shows released first) to say why and offer other
        times, and finds a booking this uid has already. No-shows are released first, as
        before every booking: a time a visitor did not come for is free for the next.
        """
        self._ledger.release_no_shows()
        if (
            name_problem(request.name) is None
            and not self._availability.check_slot(
                request.device_id,
                request.start,
                request.minutes,
                staff=request.walk_in,
                bookings=False,
            )
            and (request.walk_in or self._name_limit(request.name, request.start) is None)
        ):
            stored = self._add(request, provisional=False)
            if stored is not None:
                return stored
        row = self._ledger.store.by_uid(request.uid)
        if row is not None:
            return BookOutcome(booking=self._ledger.booking(row))
        checked = self.request(
            request.device_id,
            request.start,
            request.minutes,
            request.name,
            walk_in=request.walk_in,
        )
        if isinstance(checked, BookOutcome):
            return checked
        return self.store(request)  # a no-show released just now left the slot free

    def settle(
        self, request: BookingRequest, answer: HubAnswer, *, copy: SharedCopy, offline: str
    ) -> BookOutcome:
        """What came of asking the hub: its booking kept here, its refusal with the times it
        offers, or (no answer in time) the site's offline policy."""
        ledger = self._ledger
        if isinstance(answer, SharedBooking):
            copy.keep_shared([answer])
            row = ledger.store.by_uid(answer.uid)
            if row is None:  # pragma: no cover - kept a moment ago
                raise RuntimeError("a booking taken from the hub cannot be read back")
            ledger.count(EventKind.BOOKING_CREATED, row.device_kind)
            self._visitor_booked(request)
            return BookOutcome(booking=ledger.booking(row))
        if isinstance(answer, HubRefusal):
            return BookOutcome(problem=answer.problem, alternatives=answer.alternatives)
        if offline != PROVISIONAL:
            return BookOutcome(problem=BookingProblem.NO_NETWORK)
        # Checked again: the seconds spent waiting for the hub may have changed the answer.
        problem = self._availability.check_slot(
            request.device_id, request.start, request.minutes, staff=request.walk_in
        )
        if problem is not None:
            return self._refused(request.device_id, request.start, request.minutes, problem)
        outcome = self.store(request, provisional=True)
        if outcome.ok:
            self._visitor_booked(request)
        return outcome

    # -- visitor limits ----------------------------------------------------------------------

    def limit_refusal(self, name: str, start: datetime) -> BookOutcome | None:
        """Why a visitor cannot book for ``name`` on the day of ``start`` now (no other times
        are offered: the limits are about the visitor, not the slot); None if they can."""
        if self._name_limit(name, start) is not None:
            return BookOutcome(problem=BookingProblem.NAME_LIMIT)
        wait = cooldown_wait_s(self._limits, self._last_visitor_booking, self._ledger.now())
        if wait > 0:
            return BookOutcome(problem=BookingProblem.COOL_DOWN, wait_s=wait)
        return None

    def _name_limit(self, name: str, start: datetime) -> BookingProblem | None:
        """NAME_LIMIT when ``name`` has as many open bookings on that day as a visitor may."""
        if self._limits.max_open_per_name_per_day <= 0:
            return None  # no limit: no read
        ledger = self._ledger
        zone = ledger.calendar.zone
        low, high = ledger.day_bounds(start.astimezone(zone).date())
        rows = ledger.store.between(timestamp(low), timestamp(high), active_only=True)
        return name_limit_problem(
            self._limits,
            name,
            start,
            ledger.now(),
            zone,
            (
                NamedBooking(
                    name=row.name,
                    start=datetime.fromtimestamp(row.start_ts, zone),
                    end=datetime.fromtimestamp(row.end_ts, zone),
                    active=BookingStatus(row.status) in ACTIVE,
                )
                for row in rows
            ),
        )

    def _visitor_booked(self, request: BookingRequest) -> None:
        """A booking made here is stored: a visitor's starts the cool-down."""
        if not request.walk_in:
            self._last_visitor_booking = self._ledger.now()

    def store(self, request: BookingRequest, *, provisional: bool = False) -> BookOutcome:
        """Store a checked request: confirmed (or waiting for approval), or provisional until
        the hub decides. A code some booking has already is replaced by a new one."""
        stored = self._add(request, provisional=provisional)
        if stored is not None:
            return stored
        log.info("slot of %s was just taken by another terminal", request.device_id)
        return self._refused(
            request.device_id, request.start, request.minutes, BookingProblem.OVERLAP
        )

    def _add(self, request: BookingRequest, *, provisional: bool) -> BookOutcome | None:
        """The request stored (or the booking stored under its uid before); None when the
        store refuses it because its block overlaps an active booking."""
        ledger = self._ledger
        device = ledger.device(request.device_id)
        if device is None:  # pragma: no cover - checked before
            raise KeyError(request.device_id)
        end = request.start + timedelta(minutes=request.minutes)
        if provisional:
            status = BookingStatus.PROVISIONAL
        elif device.approval and not request.walk_in:
            status = BookingStatus.PENDING
        else:
            status = BookingStatus.CONFIRMED
        code = request.code
        for _ in range(_MAX_CODE_TRIES):
            outcome = ledger.store.add(
                uid=request.uid,
                code=code,
                device_id=request.device_id,
                device_kind=device.kind,
                start_ts=timestamp(request.start),
                end_ts=timestamp(end),
                block_until_ts=timestamp(end + device.buffer),
                name=request.name,
                status=status.value,
                walk_in=request.walk_in,
                now_ts=ledger.stamp(),
            )
            if outcome.taken:
                return None
            if outcome.id is not None:
                row = ledger.store.by_id(outcome.id)
                if row is None:  # pragma: no cover - the row was committed a moment ago
                    raise RuntimeError("a committed booking cannot be read back")
                if not outcome.existing:
                    ledger.count(EventKind.BOOKING_CREATED, device.kind)
                return BookOutcome(booking=ledger.booking(row))
            code = generate_code(length=CODE_LENGTH)
        raise RuntimeError("no unused booking code found")  # pragma: no cover - 23⁵ codes

    def _refused(
        self, device_id: str, start: datetime, minutes: int, problem: BookingProblem
    ) -> BookOutcome:
        """Why not, with up to five free slots of the length asked for instead (or of the
        device's shortest, where that length cannot be lent): this device first, then its kind."""
        device = self._ledger.device(device_id)
        fits = device is not None and device.min_minutes <= minutes <= device.max_minutes
        offered = self.alternatives(device_id, start, minutes if fits else None)
        return BookOutcome(problem=problem, alternatives=tuple(offered))

    def alternatives(
        self, device_id: str, start: datetime, minutes: int | None = None
    ) -> list[Slot]:
        """Up to five free slots from ``start`` on: this device first, then others of its kind."""
        device = self._ledger.device(device_id)
        if device is None:
            return []
        alternatives = self._availability.next_free(device, start, 3, minutes)
        for other in self._ledger.visitor_devices(device.kind):
            if other.id != device.id and len(alternatives) < 5:
                alternatives.extend(self._availability.next_free(other, start, 1, minutes))
        return alternatives

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
        # A block's code is for staff: to a visitor it is no booking.
        if row is None or row.kind == BookingKind.BLOCKED.value:
            return Lookup(LookupStatus.UNKNOWN, wait_s=self._throttle.register_failure())
        booking = self._ledger.booking(row)
        unavailable = booking.active and not self._ledger.status_of(booking.device_id).lendable
        return Lookup(LookupStatus.FOUND, booking, device_unavailable=unavailable)

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
        blocked = row.kind == BookingKind.BLOCKED.value
        if not staff and (blocked or row.start_ts <= ledger.stamp()):
            return False
        expected = [status.value for status in ACTIVE]
        if staff:  # a conflict nobody can move is cancelled by staff, and so closed
            expected.append(BookingStatus.CONFLICT.value)
        done = ledger.store.set_status(
            booking_id, BookingStatus.CANCELLED.value, ledger.stamp(), expected=expected
        )
        if done and not blocked:  # a block was never counted as a booking
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
            any_length(target),
            ledger.calendar,
            booking.start,
            booking.end,
            booking.start,
            blocks,
            staff=True,
        )
        if problem is not None:
            return problem
        moved = ledger.store.move(
            booking_id, to_device_id, timestamp(booking.end + target.buffer), ledger.stamp()
        )
        return None if moved else BookingProblem.OVERLAP

    def reschedule(self, booking_id: int, slot: Slot, *, joined: bool) -> BookingProblem | None:
        """Staff give a booking (a conflict, say) another time on a device of its kind: it keeps
        its code and its length, and is marked as moved. On a terminal joined to a hub it is
        provisional until the hub takes the new time."""
        ledger = self._ledger
        row = ledger.store.by_id(booking_id)
        target = ledger.device(slot.device_id)
        if row is None or target is None:
            return BookingProblem.UNKNOWN_DEVICE
        booking = ledger.booking(row)
        movable = booking.active or booking.status is BookingStatus.CONFLICT
        if target.kind != booking.device_kind or not movable:
            return BookingProblem.UNKNOWN_DEVICE
        if not ledger.status_of(target.id).lendable:
            return BookingProblem.DEVICE_UNAVAILABLE
        end = slot.start + (booking.end - booking.start)
        blocks = ledger.blocks(target.id, slot.start.date(), leaving_out=booking.id)
        problem = slot_problem(
            any_length(target), ledger.calendar, slot.start, end, ledger.now(), blocks, staff=True
        )
        if problem is not None:
            return problem
        if joined:
            status = BookingStatus.PROVISIONAL
        elif booking.status is BookingStatus.CHECKED_IN:
            status = BookingStatus.CHECKED_IN
        else:
            status = BookingStatus.CONFIRMED  # staff chose the time: no approval needed
        moved = ledger.store.reschedule(
            booking_id,
            device_id=target.id,
            start_ts=timestamp(slot.start),
            end_ts=timestamp(end),
            block_until_ts=timestamp(end + target.buffer),
            status=status.value,
            now_ts=ledger.stamp(),
        )
        return None if moved else BookingProblem.OVERLAP
