"""Blocks: staff hold a device for something of their own (a workshop), once or weekly.

A block is a booking of kind BLOCKED: it occupies its time exactly like a visitor's booking
(the store's overlap constraint applies, its turnaround buffer too), so the free slots never
offer that time. It has a code like any booking but no name, so the per-name limit and the
name purge pass it by, and it is never counted in the usage statistics: nobody visited.

Unlike a visitor's slot, a block may have any length and start off the slot grid, and may
span a midday break; it must lie within the day's opening (from its first opening to its last
closing) on a day the site is open. A weekly block is checked week by week: a week whose time
is taken or closed is refused and named, the others are made.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date, datetime, timedelta

from kiosk.core.bookings.ledger import BookingLedger, timestamp
from kiosk.core.bookings.names import NameProblem, clean_name
from kiosk.core.bookings.records import (
    CODE_LENGTH,
    BlockOutcome,
    Booking,
    BookingKind,
    BookingStatus,
)
from kiosk.core.bookings.rules import (
    Block,
    BookingProblem,
    DevicePolicy,
    Interval,
    SiteCalendar,
)
from kiosk.core.hidden_text import hidden_character
from kiosk.core.resume_codes import generate_code

REASON_MAX = 60  # a few words on the staff timeline and in the calendar file
MAX_WEEKS = 52  # a weekly block reaches a year ahead at most
_MAX_CODE_TRIES = 20


def reason_problem(text: str) -> NameProblem | None:
    """Why ``text`` cannot be a block's reason (too long, a hidden character); None if it can.
    An empty reason is allowed: staff may block a device without saying why."""
    if hidden_character(text):
        return NameProblem.HIDDEN_CHARACTER
    if len(clean_name(text)) > REASON_MAX:
        return NameProblem.TOO_LONG
    return None


def block_problem(
    device: DevicePolicy,
    calendar: SiteCalendar,
    start: datetime,
    end: datetime,
    now: datetime,
    booked: Iterable[Block],
) -> BookingProblem | None:
    """The first rule a block of [start, end) breaks, or None if the device can be blocked."""
    if end <= start:
        return BookingProblem.TOO_SHORT
    # As for staff bookings: a block may start a slot step ago ("from now until 16:00").
    if start < now - timedelta(minutes=device.step_minutes):
        return BookingProblem.IN_PAST
    day = start.astimezone(calendar.zone).date()
    ranges = calendar.opening(day)
    if not ranges:
        return BookingProblem.CLOSED
    if start < ranges[0].start or end > ranges[-1].end:
        return BookingProblem.OUTSIDE_HOURS
    wanted = Interval(start, end)
    held = Interval(start, end + device.buffer)
    buffer_clash = False
    for other in booked:
        if wanted.overlaps(Interval(other.start, other.end)):
            return BookingProblem.OVERLAP
        if held.overlaps(Interval(other.start, other.block_until)):
            buffer_clash = True
    return BookingProblem.BUFFER if buffer_clash else None


class Blocks:
    """Makes blocks of one device, week by week."""

    def __init__(self, ledger: BookingLedger) -> None:
        self._ledger = ledger

    def block(
        self,
        device_id: str,
        start: datetime,
        end: datetime,
        reason: str,
        *,
        weeks: int = 1,
        provisional: bool = False,
    ) -> BlockOutcome:
        """Block ``device_id`` from ``start`` to ``end`` and, for ``weeks`` > 1, at the same
        wall-clock time in each following week. ``provisional``: on a terminal joined to a
        hub, held here until the hub takes it (as a staff booking made there).

        Raises ValueError for a reason that cannot be stored (see `reason_problem`) or a
        number of weeks outside 1 to MAX_WEEKS; the caller checks both first.
        """
        problem = reason_problem(reason)
        if problem is not None:
            raise ValueError(f"the reason of a block cannot be stored ({problem.value})")
        if not 1 <= weeks <= MAX_WEEKS:
            raise ValueError(f"a block repeats for 1 to {MAX_WEEKS} weeks, not {weeks}")
        ledger = self._ledger
        zone = ledger.calendar.zone
        # Weeks are counted on the site's wall clock: 14:00 stays 14:00 across a DST change.
        first_start, first_end = start.astimezone(zone), end.astimezone(zone)
        device = ledger.device(device_id)
        if device is None:
            return BlockOutcome(
                refused=tuple(
                    (first_start.date() + timedelta(weeks=week), BookingProblem.UNKNOWN_DEVICE)
                    for week in range(weeks)
                )
            )
        ledger.release_no_shows()  # a time a visitor did not come for can be blocked
        stored_reason = clean_name(reason) or None
        made: list[Booking] = []
        refused: list[tuple[date, BookingProblem]] = []
        for week in range(weeks):
            # Aware arithmetic in one zone keeps the wall clock; the offset follows the date.
            week_start = first_start + timedelta(weeks=week)
            week_end = first_end + timedelta(weeks=week)
            day = week_start.date()
            found = block_problem(
                device,
                ledger.calendar,
                week_start,
                week_end,
                ledger.now(),
                ledger.blocks(device_id, day),
            )
            booking = None
            if found is None:
                booking = self._store(device, week_start, week_end, stored_reason, provisional)
                found = BookingProblem.OVERLAP if booking is None else None
            if booking is not None:
                made.append(booking)
            elif found is not None:
                refused.append((day, found))
        return BlockOutcome(made=tuple(made), refused=tuple(refused))

    def _store(
        self,
        device: DevicePolicy,
        start: datetime,
        end: datetime,
        reason: str | None,
        provisional: bool,
    ) -> Booking | None:
        """One block stored; None when the store refuses it (its time was taken meanwhile)."""
        ledger = self._ledger
        status = BookingStatus.PROVISIONAL if provisional else BookingStatus.CONFIRMED
        uid = uuid.uuid4().hex
        for _ in range(_MAX_CODE_TRIES):
            outcome = ledger.store.add(
                uid=uid,
                code=generate_code(length=CODE_LENGTH),
                device_id=device.id,
                device_kind=device.kind,
                start_ts=timestamp(start),
                end_ts=timestamp(end),
                block_until_ts=timestamp(end + device.buffer),
                name=None,
                status=status.value,
                walk_in=False,
                now_ts=ledger.stamp(),
                kind=BookingKind.BLOCKED.value,
                reason=reason,
            )
            if outcome.taken:
                return None
            if outcome.id is not None:
                row = ledger.store.by_id(outcome.id)
                if row is None:  # pragma: no cover - the row was committed a moment ago
                    raise RuntimeError("a committed block cannot be read back")
                return ledger.booking(row)
        raise RuntimeError("no unused booking code found")  # pragma: no cover - 23⁵ codes
