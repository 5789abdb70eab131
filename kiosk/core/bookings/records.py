"""What the booking service hands out: booking and device states, bookings, and outcomes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import Enum

from kiosk.core.bookings.names import NameProblem
from kiosk.core.bookings.rules import BookingProblem, Slot
from kiosk.core.resume_codes import format_code

CODE_LENGTH = 6  # "K7P-MR3": five random symbols and a check symbol
CHECK_IN_EARLY = timedelta(minutes=60)  # how long before its start a visitor can check in


class BookingStatus(Enum):
    PENDING = "pending"  # waits for staff approval; holds the slot
    CONFIRMED = "confirmed"
    CHECKED_IN = "checked_in"
    CANCELLED = "cancelled"
    NO_SHOW = "no_show"  # released automatically after the start
    # A terminal joined to a hub booked (or staff moved) it while the hub could not be asked:
    # it holds the slot here, and the hub confirms it on the next sync or makes it a conflict.
    PROVISIONAL = "provisional"
    # The hub gave the time to another booking first (made elsewhere while this one was
    # provisional): it holds nothing; staff move it to a free time and keep its code.
    CONFLICT = "conflict"


ACTIVE = (
    BookingStatus.PENDING,
    BookingStatus.CONFIRMED,
    BookingStatus.CHECKED_IN,
    BookingStatus.PROVISIONAL,
)


class BookingKind(Enum):
    """What a booking holds its device for."""

    VISIT = "visit"  # a visitor tries the device (booked by the visitor or by staff)
    # Staff hold the device for something of their own (a workshop, an update): it occupies
    # its time like a booking, is never offered to visitors and never counted as a visit.
    BLOCKED = "blocked"


class DeviceStatus(Enum):
    AVAILABLE = "available"
    NEEDS_WIPING = "needs_wiping"  # used; the visitor's data is not yet removed
    BROKEN = "broken"
    IN_REPAIR = "in_repair"

    @property
    def lendable(self) -> bool:
        return self in (DeviceStatus.AVAILABLE, DeviceStatus.NEEDS_WIPING)


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
    uid: str = ""  # 32 hex digits, the same on every terminal and the hub
    moved: bool = False  # staff gave it another time or device after it was booked
    kind: BookingKind = BookingKind.VISIT
    reason: str | None = None  # a block's reason as staff typed it ("Workshop"); no name

    @property
    def printed_code(self) -> str:
        """The code as shown and printed, e.g. ``K7P-MR3`` (also the QR payload)."""
        return format_code(self.code)

    @property
    def active(self) -> bool:
        return self.status in ACTIVE

    @property
    def provisional(self) -> bool:
        return self.status is BookingStatus.PROVISIONAL

    @property
    def blocked(self) -> bool:
        """Staff hold the device (a block), no visitor."""
        return self.kind is BookingKind.BLOCKED


@dataclass(frozen=True)
class BookOutcome:
    """What came of a booking attempt: the booking, or why not and what else is free."""

    booking: Booking | None = None
    problem: BookingProblem | None = None
    name_problem: NameProblem | None = None
    alternatives: tuple[Slot, ...] = ()
    wait_s: int = 0  # COOL_DOWN: whole seconds until the terminal takes the next booking

    @property
    def ok(self) -> bool:
        return self.booking is not None


@dataclass(frozen=True)
class BlockOutcome:
    """What came of blocking a device for one or more weeks: the blocks made, and each week
    whose time could not be blocked with the reason (taken, closed, …)."""

    made: tuple[Booking, ...] = ()
    refused: tuple[tuple[date, BookingProblem], ...] = ()


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
    # The booking still holds its device, but the device is broken or in repair: the visitor
    # is told so before coming in (staff move the booking or call them).
    device_unavailable: bool = False


class CheckInStatus(Enum):
    CHECKED_IN = "checked_in"
    ALREADY = "already"  # checked in before
    PENDING = "pending"  # needs approval first
    CANCELLED = "cancelled"
    NO_SHOW = "no_show"  # released: the visitor came too late
    CONFLICT = "conflict"  # the hub gave the time to another booking: move it first
    NOT_NOW = "not_now"  # another day, or long before the start
    UNKNOWN = "unknown"
    MALFORMED = "malformed"


@dataclass(frozen=True)
class CheckIn:
    status: CheckInStatus
    booking: Booking | None = None
