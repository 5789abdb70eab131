"""The one door to bookings: every operation of the visitor flow and the staff desk, by name.

The service turns the site's rules (kiosk.core.bookings.rules) and the store's rows into the
operations of the visitor flow (free slots, book, look up, cancel) and of the staff desk (check
in, walk-ins, approvals, moves, device status, no-show release, name purge). Each method hands
its work to the module that does that job:

- ledger.py: the time, the devices and their states, rows as bookings, releasing no-shows;
- availability.py: free slots, and which rule a slot would break;
- reservations.py: booking, looking up by code, cancelling, approving and moving one booking;
- blocks.py: blocking a device for staff's own use, once or weekly;
- staff_day.py: check-in, device states and wiping, the name purge and booking lists;
- exceptions.py: date exceptions (a closed day, other hours on a date) and whom they affect;
- edits.py: staff change a booking's start, end or device in place (the code stays);
- search.py: staff find bookings by name, code, device or time, or by what needs them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from kiosk.core.bookings.availability import Availability
from kiosk.core.bookings.blocks import Blocks
from kiosk.core.bookings.edits import BookingEdits
from kiosk.core.bookings.exceptions import DateException, DateExceptions, calendar_with_exceptions
from kiosk.core.bookings.ledger import BookingLedger
from kiosk.core.bookings.records import (
    BlockOutcome,
    Booking,
    BookingStatus,
    BookOutcome,
    CheckIn,
    DeviceStatus,
    Lookup,
)
from kiosk.core.bookings.reservations import Reservations
from kiosk.core.bookings.rules import (
    BookingProblem,
    DevicePolicy,
    SiteCalendar,
    Slot,
    VisitorLimits,
)
from kiosk.core.bookings.search import BookingSearch, SearchFilter
from kiosk.core.bookings.shared import PROVISIONAL, BookingRequest, HubAnswer, SharedCopy
from kiosk.core.bookings.staff_day import StaffDay
from kiosk.core.bookings.store import BookingStore
from kiosk.core.resume_codes import CodeThrottle, ThrottleStore, utc_now
from kiosk.core.stats.events import UsageEvents


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
    # A terminal joined to a hub: its copy of the site's shared bookings, and what it does
    # when the hub cannot be asked ([bookings] offline_bookings). None: the terminal alone.
    shared: SharedCopy | None = None
    offline_bookings: str = PROVISIONAL
    # How much one visitor may book ([bookings] max_open_per_name_per_day, cooldown_s); the
    # default limits nothing. Staff bookings are never limited.
    limits: VisitorLimits = field(default_factory=VisitorLimits)
    _ledger: BookingLedger = field(init=False, repr=False)
    _availability: Availability = field(init=False, repr=False)
    _reservations: Reservations = field(init=False, repr=False)
    _staff_day: StaffDay = field(init=False, repr=False)
    _edits: BookingEdits = field(init=False, repr=False)
    _search: BookingSearch = field(init=False, repr=False)
    _blocks: Blocks = field(init=False, repr=False)

    def __post_init__(self) -> None:
        # Staff's date exceptions live in the store; every reader of the calendar (free slots,
        # the desk's timeline, the visitor screens) sees them through it.
        self.calendar = calendar_with_exceptions(self.calendar, self.store)
        self._ledger = BookingLedger(
            self.store,
            self.devices,
            self.calendar,
            self.clock,
            no_show_minutes=self.no_show_minutes,
            usage=self.usage,
            # A joined terminal releases no-shows for its own screens; the hub releases them
            # for the site and counts each once (counted here too, it would count per terminal).
            count_no_shows=self.shared is None,
        )
        self._availability = Availability(self._ledger)
        throttle = CodeThrottle(self.throttle_store, clock=self.clock, namespace="booking")
        self._reservations = Reservations(self._ledger, self._availability, throttle, self.limits)
        self._staff_day = StaffDay(self._ledger, purge_days=self.purge_days)
        self._edits = BookingEdits(self._ledger)
        self._search = BookingSearch(self.bookings_between, self.devices, self.today)
        self._blocks = Blocks(self._ledger)

    # -- time and devices (ledger.py) --------------------------------------------------------

    def now(self) -> datetime:
        """The current time in the site's zone."""
        return self._ledger.now()

    def today(self) -> date:
        return self._ledger.now().date()

    def device(self, device_id: str) -> DevicePolicy | None:
        return self._ledger.device(device_id)

    def statuses(self) -> dict[str, DeviceStatus]:
        return self._ledger.statuses()

    def status_of(self, device_id: str) -> DeviceStatus:
        return self._ledger.status_of(device_id)

    def visitor_devices(self, kind: str | None = None) -> list[DevicePolicy]:
        """Devices visitors may book (not broken, not in repair), optionally of one kind."""
        return self._ledger.visitor_devices(kind)

    def kinds(self) -> list[str]:
        return self._ledger.kinds()

    def release_no_shows(self) -> list[Booking]:
        """Release bookings not checked in ``no_show_minutes`` after their start."""
        return self._ledger.release_no_shows()

    # -- free slots (availability.py) --------------------------------------------------------

    def free_slots(self, device_id: str, day: date, minutes: int | None = None) -> list[Slot]:
        """Slots of ``device_id`` on ``day`` a visitor can book now."""
        return self._availability.free_slots(device_id, day, minutes)

    def free_day(self, day: date, kind: str | None = None) -> dict[str, list[Slot]]:
        """Every visitor device (of ``kind``) with its free slots on ``day``."""
        return self._availability.free_day(day, kind)

    def free_now(self, within: timedelta = timedelta(minutes=30)) -> list[Slot]:
        """The first free slot of each visitor device starting within ``within`` from now."""
        return self._availability.free_now(within)

    def next_free(self, device: DevicePolicy, after: datetime, count: int = 3) -> list[Slot]:
        """The next ``count`` free slots of ``device`` from ``after`` on (up to its window)."""
        return self._availability.next_free(device, after, count)

    def check_slot(
        self, device_id: str, start: datetime, minutes: int, *, staff: bool = False
    ) -> BookingProblem | None:
        """The first rule a booking of this slot would break, or None."""
        return self._availability.check_slot(device_id, start, minutes, staff=staff)

    # -- one booking (reservations.py) -------------------------------------------------------

    def book(
        self,
        device_id: str,
        start: datetime,
        minutes: int,
        name: str,
        *,
        walk_in: bool = False,
        by_staff: bool = False,
    ) -> BookOutcome:
        """Book the slot for ``name``; nothing is stored unless every rule holds.

        Walk-ins (``walk_in=True``, made by staff) skip lead time, advance window and approval.
        Walk-ins and other bookings staff make (``by_staff=True``: the web desk, the command
        line) skip the visitor limits. On a terminal joined to a hub the booking is
        provisional: the hub was not asked (ask it with `request_booking` and `settle_booking`).
        """
        return self._reservations.book(
            device_id,
            start,
            minutes,
            name,
            walk_in=walk_in,
            provisional=self.joined,
            by_staff=by_staff,
        )

    def request_booking(
        self,
        device_id: str,
        start: datetime,
        minutes: int,
        name: str,
        *,
        walk_in: bool = False,
        by_staff: bool = False,
    ) -> BookingRequest | BookOutcome:
        """A terminal joined to a hub checks a booking here first: the request to send to the
        hub, or why not. The answer goes to `settle_booking`."""
        return self._reservations.request(
            device_id, start, minutes, name, walk_in=walk_in, by_staff=by_staff
        )

    def settle_booking(self, request: BookingRequest, answer: HubAnswer) -> BookOutcome:
        """The hub's answer (None: none in time) as the visitor's booking: confirmed by the
        hub, refused with the times it offers, or per the offline policy provisional here or
        refused."""
        if self.shared is None:
            raise RuntimeError("settle_booking is for terminals joined to a hub")
        return self._reservations.settle(
            request, answer, copy=self.shared, offline=self.offline_bookings
        )

    def decide(self, request: BookingRequest) -> BookOutcome:
        """The hub decides a terminal's request (a retry gets the booking stored the first time)."""
        return self._reservations.decide(request)

    @property
    def joined(self) -> bool:
        """Bookings are shared with the other terminals of the site through a hub."""
        return self.shared is not None

    def find(self, text: str) -> Lookup:
        """A visitor looks up a booking by its code; unknown codes are throttled."""
        return self._reservations.find(text)

    def booking(self, code: str) -> Booking | None:
        """The booking with this (compact or printed) code, for staff and the CLI."""
        return self._reservations.booking(code)

    def cancel(self, booking_id: int, *, staff: bool = False) -> bool:
        """Cancel an active booking: visitors only before it starts, staff at any time."""
        return self._reservations.cancel(booking_id, staff=staff)

    def approve(self, booking_id: int) -> bool:
        """Staff confirm a booking that waited for approval."""
        return self._reservations.approve(booking_id)

    def move(self, booking_id: int, to_device_id: str) -> BookingProblem | None:
        """Move an active booking to another device of the same kind, same time."""
        return self._reservations.move(booking_id, to_device_id)

    def reschedule(self, booking_id: int, slot: Slot) -> BookingProblem | None:
        """Staff give a booking (a conflict, say) another free time of its kind; it keeps its
        code and length."""
        return self._reservations.reschedule(booking_id, slot, joined=self.joined)

    def block(
        self, device_id: str, start: datetime, end: datetime, reason: str, *, weeks: int = 1
    ) -> BlockOutcome:
        """Staff block a device from ``start`` to ``end`` (a workshop), and for ``weeks`` > 1 at
        the same time in each following week; weeks whose time is taken or closed are refused,
        the others made. End a block early or remove it with `edit` or `cancel(staff=True)`.
        On a terminal joined to a hub the blocks are provisional until the hub takes them."""
        return self._blocks.block(
            device_id, start, end, reason, weeks=weeks, provisional=self.joined
        )

    def alternatives(self, booking: Booking) -> list[Slot]:
        """Free times for a booking that lost its own (a conflict): up to five of its length,
        from its start (or from now, when that has passed), on devices of its kind."""
        after = max(booking.start, self.now())
        minutes = round((booking.end - booking.start).total_seconds() / 60)
        return self._reservations.alternatives(booking.device_id, after, minutes)

    def conflicts(self) -> list[Booking]:
        """Bookings the hub gave to no one, not yet moved or cancelled, from today on."""
        today = self.today()
        return [
            booking
            for booking in self.bookings_between(today, today + timedelta(days=366))
            if booking.status is BookingStatus.CONFLICT
        ]

    # -- the staff desk's day (staff_day.py) -------------------------------------------------

    def check_in(self, text: str) -> CheckIn:
        """Staff check a visitor in by the typed or scanned code."""
        return self._staff_day.check_in(text)

    def restore_no_show(self, booking_id: int) -> bool:
        """A no-show whose visitor is at the desk after all: checked in, if its slot has not
        ended and its time was not given to another booking meanwhile; else False."""
        return self._staff_day.restore_no_show(booking_id)

    def set_device_status(self, device_id: str, status: DeviceStatus) -> list[Booking]:
        """Change a device's status; returns its upcoming active bookings (to call visitors)."""
        return self._staff_day.set_device_status(device_id, status)

    def mark_wiped(self, device_id: str) -> None:
        """The previous visitor's data is removed: the device can be offered again."""
        self._staff_day.mark_wiped(device_id)

    def upcoming(self, device_id: str) -> list[Booking]:
        """The device's active bookings that have not ended yet."""
        return self._staff_day.upcoming(device_id)

    def purge_names(self) -> int:
        """Delete the names of bookings whose slot ended ``purge_days`` ago or earlier."""
        return self._staff_day.purge_names()

    def bookings_between(self, first: date, last: date) -> list[Booking]:
        """Every booking (any status) starting on a day from ``first`` to ``last``."""
        return self._staff_day.bookings_between(first, last)

    def day(self, day: date) -> list[Booking]:
        """Every booking (any status) starting on ``day``."""
        return self._staff_day.bookings_between(day, day)

    # -- date exceptions (exceptions.py) -----------------------------------------------------

    def exceptions(self, first: date, last: date) -> list[DateException]:
        """The date exceptions of the days ``first`` to ``last``, by day."""
        return DateExceptions(self._ledger).between(first, last)

    def add_exception(
        self,
        day: date,
        *,
        closed: bool,
        opens: time | None = None,
        closes: time | None = None,
        note: str = "",
    ) -> tuple[DateException, list[Booking]]:
        """Close the site on ``day``, or open it only ``opens``-``closes`` (``closes`` 00:00 is
        24:00), replacing the day's earlier exception; returns the exception and the active
        bookings it leaves outside its hours. Raises ExceptionRefusedError (its ``problem``
        says why) and changes nothing for a day gone by, missing or reversed hours, or a note
        that is too long."""
        return DateExceptions(self._ledger).add(
            day, closed=closed, opens=opens, closes=closes, note=note
        )

    def remove_exception(self, exception_id: int) -> bool:
        """Take a date exception back; the config's hours hold again that day."""
        return DateExceptions(self._ledger).remove(exception_id)

    def affected_by(self, exception: DateException) -> list[Booking]:
        """The active bookings, not yet over, that ``exception`` leaves outside its hours."""
        return DateExceptions(self._ledger).affected_by(exception)

    # -- staff edit and find bookings (edits.py, search.py) ----------------------------------

    def edit(
        self,
        booking_id: int,
        *,
        start: datetime | None = None,
        end: datetime | None = None,
        device_id: str | None = None,
    ) -> BookingProblem | None:
        """Staff change a booking's start and/or end (extend, shorten, move in time) and/or its
        device (of the same kind); the code and uid stay, every staff rule and the database's
        overlap constraint apply. None: done; else why not, and nothing changed."""
        return self._edits.edit(booking_id, start=start, end=end, device_id=device_id)

    def edit_problem(
        self,
        booking_id: int,
        *,
        start: datetime | None = None,
        end: datetime | None = None,
        device_id: str | None = None,
    ) -> BookingProblem | None:
        """What ``edit`` would answer now, changing nothing (the desk says it before saving; the
        database's constraint may still refuse a time taken meanwhile)."""
        return self._edits.edit(
            booking_id, start=start, end=end, device_id=device_id, check_only=True
        )

    def search(
        self,
        text: str = "",
        *,
        only: SearchFilter | None = None,
        first: date | None = None,
        last: date | None = None,
        names: Mapping[str, str] | None = None,
    ) -> list[Booking]:
        """Bookings whose first name or code has ``text`` in it (case and accents aside), or
        whose device or time it names ("14", "14:30"); each word must match. ``only`` keeps
        those that need staff (waiting, today's no-shows, conflicts, blocks). From today a
        year ahead (name and code also a week back) unless ``first``/``last`` say otherwise;
        sorted by start."""
        return self._search.search(text, only=only, first=first, last=last, names=names)
