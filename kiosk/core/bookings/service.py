"""Device-trial bookings: what visitors and staff do with slots, codes and devices.

The service turns the site's rules (kiosk.core.bookings.rules) and the store's rows into the
operations of the visitor flow (free slots, book, look up, cancel) and of the staff desk (check
in, walk-ins, approvals, moves, device status, no-show release, name purge). It never trusts
its own reading of the free slots when it writes: the store refuses an overlapping booking
inside the same transaction that inserts it, and a refusal comes back as "just taken" with the
next free slots.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from enum import Enum
from typing import Protocol

from kiosk.core.bookings.names import NameProblem, clean_name, name_problem
from kiosk.core.bookings.rules import (
    Block,
    BookingProblem,
    DevicePolicy,
    SiteCalendar,
    Slot,
    free_slots,
    slot_problem,
)
from kiosk.core.resume_codes import (
    CodeThrottle,
    ThrottleStore,
    format_code,
    generate_code,
    normalise_code,
)
from kiosk.core.stats.events import EventKind, UsageEvents

log = logging.getLogger(__name__)

CODE_LENGTH = 6  # "K7P-MR3": five random symbols and a check symbol
_MAX_CODE_TRIES = 20
CHECK_IN_EARLY = timedelta(minutes=60)


class BookingStatus(Enum):
    PENDING = "pending"  # waits for staff approval; holds the slot
    CONFIRMED = "confirmed"
    CHECKED_IN = "checked_in"
    CANCELLED = "cancelled"
    NO_SHOW = "no_show"  # released automatically after the start


ACTIVE = (BookingStatus.PENDING, BookingStatus.CONFIRMED, BookingStatus.CHECKED_IN)


class DeviceStatus(Enum):
    AVAILABLE = "available"
    NEEDS_WIPING = "needs_wiping"  # used; the visitor's data is not yet removed
    BROKEN = "broken"
    IN_REPAIR = "in_repair"

    @property
    def lendable(self) -> bool:
        return self in (DeviceStatus.AVAILABLE, DeviceStatus.NEEDS_WIPING)


class BookingRow(Protocol):
    """A booking as the store keeps it (times as Unix seconds)."""

    @property
    def id(self) -> int: ...
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


class AddOutcome(Protocol):
    @property
    def id(self) -> int | None: ...
    @property
    def taken(self) -> bool: ...
    @property
    def code_in_use(self) -> bool: ...


class BookingStore(Protocol):
    """Where bookings and device states live (kiosk.storage's BookingRepository)."""

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
    ) -> AddOutcome: ...
    def by_code(self, code: str) -> BookingRow | None: ...
    def by_id(self, booking_id: int) -> BookingRow | None: ...
    def between(
        self, start_ts: int, end_ts: int, *, device_id: str | None = None, active_only: bool = False
    ) -> Sequence[BookingRow]: ...
    def set_status(
        self, booking_id: int, status: str, now_ts: int, *, expected: Sequence[str]
    ) -> bool: ...
    def move(self, booking_id: int, device_id: str, block_until_ts: int, now_ts: int) -> bool: ...
    def release_no_shows(self, started_before_ts: int, now_ts: int) -> Sequence[BookingRow]: ...
    def purge_names(self, ended_before_ts: int) -> int: ...
    def device_statuses(self) -> dict[str, str]: ...
    def set_device_status(self, device_id: str, status: str, now_ts: int) -> None: ...


@dataclass(frozen=True)
class Booking:
    """A booking in the site's time zone."""

    id: int
    code: str  # compact form, e.g. "K7PMR3"
    device_id: str
    device_kind: str
    start: datetime
    end: datetime
    name: str | None  # None once purged
    status: BookingStatus
    walk_in: bool = False

    @property
    def printed_code(self) -> str:
        """The code as shown and printed, e.g. ``K7P-MR3`` (also the QR payload)."""
        return format_code(self.code)

    @property
    def active(self) -> bool:
        return self.status in ACTIVE


@dataclass(frozen=True)
class BookOutcome:
    """What came of a booking attempt: the booking, or why not and what else is free."""

    booking: Booking | None = None
    problem: BookingProblem | None = None
    name_problem: NameProblem | None = None
    alternatives: tuple[Slot, ...] = ()

    @property
    def ok(self) -> bool:
        return self.booking is not None


class LookupStatus(Enum):
    FOUND = "found"
    UNKNOWN = "unknown"  # well-formed, but no such booking (counts towards the throttle)
    MALFORMED = "malformed"  # not a booking code, or mistyped (caught by the check symbol)
    THROTTLED = "throttled"  # too many unknown codes here: wait


@dataclass(frozen=True)
class Lookup:
    status: LookupStatus
    booking: Booking | None = None
    wait_s: float = 0.0


class CheckInStatus(Enum):
    CHECKED_IN = "checked_in"
    ALREADY = "already"  # checked in before
    PENDING = "pending"  # needs approval first
    CANCELLED = "cancelled"
    NO_SHOW = "no_show"  # released: the visitor came too late
    NOT_NOW = "not_now"  # another day, or long before the start
    UNKNOWN = "unknown"
    MALFORMED = "malformed"


@dataclass(frozen=True)
class CheckIn:
    status: CheckInStatus
    booking: Booking | None = None


def _ts(moment: datetime) -> int:
    return int(moment.timestamp())


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class BookingService:
    """Bookings of one site; ``clock`` gives the current time (tests inject their own)."""

    store: BookingStore
    devices: Sequence[DevicePolicy]
    calendar: SiteCalendar
    throttle_store: ThrottleStore
    clock: Callable[[], datetime] = utc_now
    no_show_minutes: int = 15
    purge_days: int = 7
    usage: UsageEvents | None = None
    _by_id: dict[str, DevicePolicy] = field(init=False, repr=False)
    _throttle: CodeThrottle = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._by_id = {device.id: device for device in self.devices}
        self._throttle = CodeThrottle(self.throttle_store, clock=self.clock, namespace="booking")

    # -- time and devices --------------------------------------------------------------------

    def now(self) -> datetime:
        return self.calendar.now(self.clock())

    def today(self) -> date:
        return self.now().date()

    def device(self, device_id: str) -> DevicePolicy | None:
        return self._by_id.get(device_id)

    def statuses(self) -> dict[str, DeviceStatus]:
        stored = self.store.device_statuses()
        return {
            device.id: DeviceStatus(stored.get(device.id, DeviceStatus.AVAILABLE.value))
            for device in self.devices
        }

    def status_of(self, device_id: str) -> DeviceStatus:
        return self.statuses().get(device_id, DeviceStatus.AVAILABLE)

    def visitor_devices(self, kind: str | None = None) -> list[DevicePolicy]:
        """Devices visitors may book (not broken, not in repair), optionally of one kind."""
        statuses = self.statuses()
        return [
            device
            for device in self.devices
            if statuses[device.id].lendable and (kind is None or device.kind == kind)
        ]

    def kinds(self) -> list[str]:
        return list(dict.fromkeys(device.kind for device in self.devices))

    # -- free slots --------------------------------------------------------------------------

    def _blocks(self, device_id: str, start: datetime, end: datetime) -> list[Block]:
        rows = self.store.between(_ts(start), _ts(end), device_id=device_id, active_only=True)
        return [self._block(row) for row in rows]

    def _block(self, row: BookingRow) -> Block:
        zone = self.calendar.zone
        return Block(
            datetime.fromtimestamp(row.start_ts, zone),
            datetime.fromtimestamp(row.end_ts, zone),
            datetime.fromtimestamp(row.block_until_ts, zone),
        )

    def _day_bounds(self, day: date) -> tuple[datetime, datetime]:
        start = datetime(day.year, day.month, day.day, tzinfo=self.calendar.zone)
        # a day before and after: buffers reach across midnight in both directions
        return start - timedelta(days=1), start + timedelta(days=2)

    def free_slots(self, device_id: str, day: date, minutes: int | None = None) -> list[Slot]:
        """Slots of ``device_id`` on ``day`` a visitor can book now."""
        device = self._by_id.get(device_id)
        if device is None:
            return []
        status = self.status_of(device_id)
        now = self.now()
        if not status.lendable or (status is DeviceStatus.NEEDS_WIPING and day <= now.date()):
            return []
        self.release_no_shows()
        low, high = self._day_bounds(day)
        return free_slots(
            device, self.calendar, day, now, self._blocks(device_id, low, high), minutes
        )

    def free_day(self, day: date, kind: str | None = None) -> dict[str, list[Slot]]:
        """Every visitor device (of ``kind``) with its free slots on ``day``."""
        self.release_no_shows()
        statuses = self.statuses()
        now = self.now()
        low, high = self._day_bounds(day)
        rows = self.store.between(_ts(low), _ts(high), active_only=True)
        by_device: dict[str, list[Block]] = {}
        for row in rows:
            by_device.setdefault(row.device_id, []).append(self._block(row))
        result: dict[str, list[Slot]] = {}
        for device in self.visitor_devices(kind):
            if statuses[device.id] is DeviceStatus.NEEDS_WIPING and day <= now.date():
                result[device.id] = []
                continue
            result[device.id] = free_slots(
                device, self.calendar, day, now, by_device.get(device.id, [])
            )
        return result

    def free_now(self, within: timedelta = timedelta(minutes=30)) -> list[Slot]:
        """The first free slot of each visitor device starting within ``within`` from now."""
        now = self.now()
        found = []
        for slots in self.free_day(now.date()).values():
            if slots and slots[0].start <= now + within:
                found.append(slots[0])
        return sorted(found, key=lambda slot: slot.start)

    def next_free(self, device: DevicePolicy, after: datetime, count: int = 3) -> list[Slot]:
        """The next ``count`` free slots of ``device`` from ``after`` on (up to its window)."""
        found: list[Slot] = []
        day = after.astimezone(self.calendar.zone).date()
        last = self.today() + timedelta(days=device.advance_days)
        while day <= last and len(found) < count:
            found.extend(s for s in self.free_slots(device.id, day) if s.start >= after)
            day += timedelta(days=1)
        return found[:count]

    # -- booking -----------------------------------------------------------------------------

    def check_slot(
        self, device_id: str, start: datetime, minutes: int, *, staff: bool = False
    ) -> BookingProblem | None:
        """The first rule a booking of this slot would break, or None."""
        device = self._by_id.get(device_id)
        if device is None:
            return BookingProblem.UNKNOWN_DEVICE
        status = self.status_of(device_id)
        if not status.lendable:
            return BookingProblem.DEVICE_UNAVAILABLE
        now = self.now()
        if (
            not staff
            and status is DeviceStatus.NEEDS_WIPING
            and start.astimezone(self.calendar.zone).date() <= now.date()
        ):
            return BookingProblem.NEEDS_WIPING
        end = start + timedelta(minutes=minutes)
        low, high = self._day_bounds(start.astimezone(self.calendar.zone).date())
        blocks = self._blocks(device_id, low, high)
        return slot_problem(device, self.calendar, start, end, now, blocks, staff=staff)

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
        self.release_no_shows()
        problem = self.check_slot(device_id, start, minutes, staff=walk_in)
        if problem is not None:
            return self._refused(device_id, start, problem)
        device = self._by_id[device_id]
        end = start + timedelta(minutes=minutes)
        status = (
            BookingStatus.PENDING if device.approval and not walk_in else BookingStatus.CONFIRMED
        )
        for _ in range(_MAX_CODE_TRIES):
            code = generate_code(length=CODE_LENGTH)
            outcome = self.store.add(
                code=code,
                device_id=device_id,
                device_kind=device.kind,
                start_ts=_ts(start),
                end_ts=_ts(end),
                block_until_ts=_ts(end + device.buffer),
                name=clean_name(name),
                status=status.value,
                walk_in=walk_in,
                now_ts=_ts(self.clock()),
            )
            if outcome.taken:
                log.info("slot of %s was just taken by another terminal", device_id)
                return self._refused(device_id, start, BookingProblem.OVERLAP)
            if outcome.id is not None:
                row = self.store.by_id(outcome.id)
                if row is None:  # pragma: no cover - the row was committed a moment ago
                    raise RuntimeError("a committed booking cannot be read back")
                self._count(EventKind.BOOKING_CREATED, device.kind)
                return BookOutcome(booking=self._booking(row))
        raise RuntimeError("no unused booking code found")  # pragma: no cover - 23⁵ codes

    def _count(self, kind: EventKind, device_kind: str) -> None:
        if self.usage is not None:
            self.usage.booking(kind, device_kind)

    def _refused(self, device_id: str, start: datetime, problem: BookingProblem) -> BookOutcome:
        device = self._by_id.get(device_id)
        if device is None:
            return BookOutcome(problem=problem)
        alternatives = self.next_free(device, start, 3)
        for other in self.visitor_devices(device.kind):
            if other.id != device.id and len(alternatives) < 5:
                alternatives.extend(self.next_free(other, start, 1))
        return BookOutcome(problem=problem, alternatives=tuple(alternatives))

    def _booking(self, row: BookingRow) -> Booking:
        zone = self.calendar.zone
        return Booking(
            id=row.id,
            code=row.code,
            device_id=row.device_id,
            device_kind=row.device_kind,
            start=datetime.fromtimestamp(row.start_ts, zone),
            end=datetime.fromtimestamp(row.end_ts, zone),
            name=row.name,
            status=BookingStatus(row.status),
            walk_in=bool(row.walk_in),
        )

    # -- codes -------------------------------------------------------------------------------

    def find(self, text: str) -> Lookup:
        """A visitor looks up a booking by its code; unknown codes are throttled."""
        wait = self._throttle.wait_s()
        if wait > 0:
            return Lookup(LookupStatus.THROTTLED, wait_s=wait)
        code = normalise_code(text, CODE_LENGTH)
        if code is None:
            return Lookup(LookupStatus.MALFORMED)
        self.release_no_shows()
        row = self.store.by_code(code)
        if row is None:
            return Lookup(LookupStatus.UNKNOWN, wait_s=self._throttle.register_failure())
        return Lookup(LookupStatus.FOUND, self._booking(row))

    def booking(self, code: str) -> Booking | None:
        """The booking with this (compact or printed) code, for staff and the CLI."""
        compact = normalise_code(code, CODE_LENGTH)
        row = None if compact is None else self.store.by_code(compact)
        return None if row is None else self._booking(row)

    def cancel(self, booking_id: int, *, staff: bool = False) -> bool:
        """Cancel an active booking: visitors only before it starts, staff at any time."""
        row = self.store.by_id(booking_id)
        if row is None:
            return False
        if not staff and row.start_ts <= _ts(self.clock()):
            return False
        expected = [status.value for status in ACTIVE]
        done = self.store.set_status(
            booking_id, BookingStatus.CANCELLED.value, _ts(self.clock()), expected=expected
        )
        if done:
            self._count(EventKind.BOOKING_CANCELLED, row.device_kind)
        return done

    # -- staff desk --------------------------------------------------------------------------

    def check_in(self, text: str) -> CheckIn:
        """Staff check a visitor in by the typed or scanned code."""
        code = normalise_code(text, CODE_LENGTH)
        if code is None:
            return CheckIn(CheckInStatus.MALFORMED)
        self.release_no_shows()
        row = self.store.by_code(code)
        if row is None:
            return CheckIn(CheckInStatus.UNKNOWN)
        booking = self._booking(row)
        simple = {
            BookingStatus.CHECKED_IN: CheckInStatus.ALREADY,
            BookingStatus.PENDING: CheckInStatus.PENDING,
            BookingStatus.CANCELLED: CheckInStatus.CANCELLED,
            BookingStatus.NO_SHOW: CheckInStatus.NO_SHOW,
        }
        if booking.status in simple:
            return CheckIn(simple[booking.status], booking)
        now = self.now()
        if not (booking.start - CHECK_IN_EARLY <= now < booking.end):
            return CheckIn(CheckInStatus.NOT_NOW, booking)
        if not self.store.set_status(
            booking.id,
            BookingStatus.CHECKED_IN.value,
            _ts(self.clock()),
            expected=[BookingStatus.CONFIRMED.value],
        ):
            return CheckIn(CheckInStatus.UNKNOWN)
        self._count(EventKind.BOOKING_CHECKED_IN, booking.device_kind)
        # In use now: after it, the device must be wiped before the next visitor books it.
        if self.status_of(booking.device_id) is DeviceStatus.AVAILABLE:
            self.set_device_status(booking.device_id, DeviceStatus.NEEDS_WIPING)
        return CheckIn(CheckInStatus.CHECKED_IN, self._reload(booking))

    def _reload(self, booking: Booking) -> Booking:
        row = self.store.by_id(booking.id)
        return booking if row is None else self._booking(row)

    def approve(self, booking_id: int) -> bool:
        return self.store.set_status(
            booking_id,
            BookingStatus.CONFIRMED.value,
            _ts(self.clock()),
            expected=[BookingStatus.PENDING.value],
        )

    def move(self, booking_id: int, to_device_id: str) -> BookingProblem | None:
        """Move an active booking to another device of the same kind, same time."""
        row = self.store.by_id(booking_id)
        target = self._by_id.get(to_device_id)
        if row is None or target is None:
            return BookingProblem.UNKNOWN_DEVICE
        booking = self._booking(row)
        if target.kind != booking.device_kind or not booking.active:
            return BookingProblem.UNKNOWN_DEVICE
        if not self.status_of(to_device_id).lendable:
            return BookingProblem.DEVICE_UNAVAILABLE
        low, high = self._day_bounds(booking.start.date())
        blocks = self._blocks(to_device_id, low, high)
        problem = slot_problem(
            target, self.calendar, booking.start, booking.end, booking.start, blocks, staff=True
        )
        if problem is not None and problem not in (
            BookingProblem.TOO_SHORT,
            BookingProblem.TOO_LONG,
        ):
            return problem
        moved = self.store.move(
            booking_id, to_device_id, _ts(booking.end + target.buffer), _ts(self.clock())
        )
        return None if moved else BookingProblem.OVERLAP

    def set_device_status(self, device_id: str, status: DeviceStatus) -> list[Booking]:
        """Change a device's status; returns its upcoming active bookings (to call visitors)."""
        if device_id not in self._by_id:
            raise KeyError(device_id)
        self.store.set_device_status(device_id, status.value, _ts(self.clock()))
        return self.upcoming(device_id)

    def mark_wiped(self, device_id: str) -> None:
        """The previous visitor's data is removed: the device can be offered again."""
        if self.status_of(device_id) is DeviceStatus.NEEDS_WIPING:
            self.set_device_status(device_id, DeviceStatus.AVAILABLE)

    def upcoming(self, device_id: str) -> list[Booking]:
        now = self.clock()
        rows = self.store.between(
            _ts(now), _ts(now + timedelta(days=366)), device_id=device_id, active_only=True
        )
        return [self._booking(row) for row in rows if row.end_ts > _ts(now)]

    def release_no_shows(self) -> list[Booking]:
        """Release bookings not checked in ``no_show_minutes`` after their start."""
        now = self.clock()
        released = self.store.release_no_shows(
            _ts(now - timedelta(minutes=self.no_show_minutes)), _ts(now)
        )
        if released:
            log.info("released %d booking(s) not checked in", len(released))
        for row in released:
            self._count(EventKind.BOOKING_NO_SHOW, row.device_kind)
        return [self._booking(row) for row in released]

    def purge_names(self) -> int:
        """Delete the names of bookings whose slot ended ``purge_days`` ago or earlier."""
        cutoff = self.clock() - timedelta(days=self.purge_days)
        return self.store.purge_names(_ts(cutoff))

    def bookings_between(self, first: date, last: date) -> list[Booking]:
        """Every booking (any status) starting on a day from ``first`` to ``last``."""
        zone = self.calendar.zone
        start = datetime(first.year, first.month, first.day, tzinfo=zone)
        end = datetime(last.year, last.month, last.day, tzinfo=zone) + timedelta(days=1)
        rows = self.store.between(_ts(start), _ts(end))
        return [self._booking(row) for row in rows if _ts(start) <= row.start_ts < _ts(end)]

    def day(self, day: date) -> list[Booking]:
        return self.bookings_between(day, day)
