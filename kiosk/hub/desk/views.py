"""The staff web desk's bookings, without HTTP: what a site's day or week looks like, and the
desk's actions (phone booking, cancel, check in, move, the conflicts queue).

Everything goes through the site's BookingService over the hub's PostgreSQL store
(kiosk.hub.site_rules), so the desk follows the rules the terminals follow and the database's
exclusion constraint refuses a double booking however the form was filled in. Every change
takes a change number, so the site's terminals pull it on their next round. Each action runs in
the caller's transaction and writes its audit row there (the booking code as detail, never the
visitor's name); nothing here logs a name.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from psycopg import Connection

from kiosk.core.bookings import (
    Booking,
    BookingKind,
    BookingProblem,
    BookingStatus,
    CheckInStatus,
    DevicePolicy,
    DeviceStatus,
    Slot,
)
from kiosk.core.resume_codes import utc_now
from kiosk.hub import fleet_status
from kiosk.hub.bookings import HubBooking
from kiosk.hub.desk import audit
from kiosk.hub.desk.accounts import StaffUser
from kiosk.hub.fleet_status import TerminalHealth
from kiosk.hub.sequence import lock_changes
from kiosk.hub.site_rules import SiteRules, SiteRulesCache, booking_service

Conn = Connection[tuple[Any, ...]]
WEEK = 7
# How far ahead the conflicts queue looks, as the terminals' desk does.
CONFLICTS_AHEAD_DAYS = 366


class NoRulesError(Exception):
    """The site has no site config on the hub (or none this hub can read): no bookings."""


@dataclass(frozen=True)
class Outcome:
    """What came of a desk action: a ``done`` key or a ``problem`` key for the page's message
    (see pages.py), and the booking's printed code where there is one."""

    done: str = ""
    problem: str = ""
    code: str = ""

    @property
    def ok(self) -> bool:
        return bool(self.done)


@dataclass(frozen=True)
class DeviceRow:
    """One device of the agenda: its rules, its state and its bookings per shown day."""

    device: DevicePolicy
    status: DeviceStatus
    days: tuple[tuple[date, tuple[Booking, ...]], ...]

    @property
    def bookings(self) -> tuple[Booking, ...]:
        return tuple(booking for _day, bookings in self.days for booking in bookings)


@dataclass(frozen=True)
class Agenda:
    """The bookings of a site's devices on one day or one week (Monday to Sunday)."""

    site: str
    first: date
    days: tuple[date, ...]
    week: bool
    today: date
    devices: tuple[DeviceRow, ...]
    closed: frozenset[date]  # days the site is closed (a closure or a public holiday)
    # Why, where there is more to say than "closed": a public holiday's name in the desk's
    # language, or the note staff gave a closed day.
    closed_why: Mapping[date, str] = field(default_factory=dict)

    @property
    def previous(self) -> date:
        return self.first - timedelta(days=WEEK if self.week else 1)

    @property
    def next(self) -> date:
        return self.first + timedelta(days=WEEK if self.week else 1)


@dataclass(frozen=True)
class Conflict:
    """A booking that lost its time at the hub, with the next free times it could have."""

    booking: Booking
    alternatives: tuple[Slot, ...]


class SiteDesk:
    """One site's bookings as the web desk reads and changes them, in the caller's transaction.

    ``cache``: parsed site configs shared by requests (a new one parses the config each time).
    """

    def __init__(
        self,
        conn: Conn,
        site: str,
        *,
        cache: SiteRulesCache | None = None,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        rules = (cache or SiteRulesCache()).rules(conn, site)
        if rules is None:
            raise NoRulesError(site)
        self.site = site
        self.rules: SiteRules = rules
        self._conn = conn
        # What staff do at the desk happens at no terminal: counted here, once.
        self.service, self._store = booking_service(conn, site, rules, clock=clock, counted=None)

    @property
    def conn(self) -> Conn:
        """The request's transaction, which every change and its audit row join."""
        return self._conn

    @property
    def zone(self) -> ZoneInfo:
        return self.rules.calendar.zone

    @property
    def devices(self) -> tuple[DevicePolicy, ...]:
        return self.rules.devices

    def today(self) -> date:
        return self.service.today()

    # -- reading -----------------------------------------------------------------------------

    def agenda(self, day: date, *, week: bool = False, language: str = "") -> Agenda:
        """The day's bookings per device, or those of the week (Monday to Sunday) of ``day``;
        every status, so staff see cancellations and no-shows too (holidays named in
        ``language``)."""
        first = day - timedelta(days=day.weekday()) if week else day
        days = tuple(first + timedelta(days=n) for n in range(WEEK if week else 1))
        self.service.release_no_shows()  # a visitor who did not come shows as a no-show
        found = self.service.bookings_between(days[0], days[-1])
        statuses = self.service.statuses()
        rows = []
        for device in self.devices:
            mine = [booking for booking in found if booking.device_id == device.id]
            rows.append(
                DeviceRow(
                    device=device,
                    status=statuses[device.id],
                    days=tuple(
                        (shown, tuple(b for b in mine if b.start.date() == shown)) for shown in days
                    ),
                )
            )
        calendar = self.service.calendar  # with the date exceptions staff added
        why = {shown: calendar.closed_reason(shown, language) for shown in days}
        return Agenda(
            site=self.site,
            first=first,
            days=days,
            week=week,
            today=self.today(),
            devices=tuple(rows),
            closed=frozenset(shown for shown in days if why[shown]),
            closed_why={
                shown: reason for shown, reason in why.items() if reason and reason != "closure"
            },
        )

    def free_times(self, device_id: str, day: date, minutes: int | None = None) -> list[Slot]:
        """The slots of the device a visitor could book on ``day`` now (a phone booking's
        choices)."""
        return self.service.free_slots(device_id, day, minutes)

    def booking(self, uid: str) -> Booking | None:
        """The site's booking with this uid (another site's is None)."""
        row = self._store.by_uid(uid)
        return None if row is None else _booking(row, self.zone)

    def move_choices(self, booking: Booking) -> list[Slot]:
        """The next free times of the booking's length on devices of its kind."""
        return self.service.alternatives(booking)

    def conflicts(self) -> list[Conflict]:
        """The site's bookings in conflict from today on, each with its next free times."""
        return [
            Conflict(booking, tuple(self.service.alternatives(booking)))
            for booking in self.service.conflicts()
        ]

    # -- changing ----------------------------------------------------------------------------

    def phone_booking(
        self, user: StaffUser, device_id: str, start: datetime, minutes: int, name: str
    ) -> Outcome:
        """Book a slot for someone who called: the visitor's rules (lead time, advance window,
        slot grid), a first name as on a terminal; confirmed at once (staff took the call, so
        a device that needs approval has it)."""
        lock_changes(self._conn)  # the counter before any booking row, as every writer
        if self.service.device(device_id) is None:
            return Outcome(problem=BookingProblem.UNKNOWN_DEVICE.value)
        outcome = self.service.book(device_id, start, minutes, name, by_staff=True)
        if outcome.name_problem is not None:
            return Outcome(problem=f"name_{outcome.name_problem.value}")
        booking = outcome.booking
        if booking is None:
            return Outcome(problem=(outcome.problem or BookingProblem.OVERLAP).value)
        if booking.status is BookingStatus.PENDING:
            self.service.approve(booking.id)
        audit.record(self._conn, user, self.site, "booking_phone", booking_detail(booking))
        return Outcome(done="booked", code=booking.printed_code)

    def cancel(self, user: StaffUser, uid: str) -> Outcome:
        """Cancel a booking (staff may, also after its start, and a conflict too)."""
        lock_changes(self._conn)
        booking = self.booking(uid)
        if booking is None:
            return Outcome(problem="unknown_booking")
        if not self.service.cancel(booking.id, staff=True):
            return Outcome(problem="not_active", code=booking.printed_code)
        audit.record(self._conn, user, self.site, "booking_cancel", booking_detail(booking))
        return Outcome(done="cancelled", code=booking.printed_code)

    def check_in(self, user: StaffUser, uid: str) -> Outcome:
        """Check the visitor in, by the terminals' rules (from an hour before the start until
        its end; not a booking waiting for approval, cancelled or in conflict)."""
        lock_changes(self._conn)
        booking = self.booking(uid)
        if booking is None:
            return Outcome(problem="unknown_booking")
        if booking.status is BookingStatus.CONFLICT:
            # A conflict may share its code with the booking that won its time.
            return Outcome(problem="check_in_conflict", code=booking.printed_code)
        result = self.service.check_in(booking.code)
        if result.status is not CheckInStatus.CHECKED_IN:
            return Outcome(problem=f"check_in_{result.status.value}", code=booking.printed_code)
        audit.record(self._conn, user, self.site, "booking_check_in", booking_detail(booking))
        return Outcome(done="checked_in", code=booking.printed_code)

    def move(self, user: StaffUser, uid: str, device_id: str, start: datetime) -> Outcome:
        """Give a booking (a conflict, say) another time or another device of its kind; it
        keeps its code and its length (the same reschedule as the terminals' desk)."""
        lock_changes(self._conn)
        booking = self.booking(uid)
        if booking is None:
            return Outcome(problem="unknown_booking")
        slot = Slot(device_id, start, start + (booking.end - booking.start))
        problem = self.service.reschedule(booking.id, slot)
        if problem is not None:
            return Outcome(problem=problem.value, code=booking.printed_code)
        moved = f"{booking_detail(booking)} -> {device_id} {start.isoformat(timespec='minutes')}"
        audit.record(self._conn, user, self.site, "booking_move", moved)
        return Outcome(done="moved", code=booking.printed_code)


def booking_detail(booking: Booking) -> str:
    """What the audit keeps of a booking: its code and device, never the visitor's name."""
    return f"{booking.printed_code} {booking.device_id}"


def _booking(row: HubBooking, zone: ZoneInfo) -> Booking:
    """A stored row as a booking in the site's zone (as the booking service reads it)."""
    return Booking(
        id=row.id,
        code=row.code,
        device_id=row.device_id,
        device_kind=row.device_kind,
        start=datetime.fromtimestamp(row.start_ts, zone),
        end=datetime.fromtimestamp(row.end_ts, zone),
        name=row.name,
        status=BookingStatus(row.status),
        walk_in=row.walk_in,
        uid=row.uid,
        moved=row.moved,
        kind=BookingKind(row.kind),
        reason=row.reason,
    )


# -- the fleet -------------------------------------------------------------------------------


@dataclass(frozen=True)
class FleetRow:
    """One terminal of a site the person may see, as `kiosk hub status` knows it."""

    terminal: TerminalHealth
    flags: tuple[str, ...]

    @property
    def report(self) -> dict[str, Any]:
        return self.terminal.report or {}

    @property
    def courses(self) -> list[tuple[str, int]]:
        """(course id, version) of the courses the terminal installed from the hub."""
        found = self.report.get("courses") or []
        return [(str(c.get("course_id", "")), int(c.get("version", 0))) for c in found]

    @property
    def config_version(self) -> int | None:
        value = self.report.get("config_version")
        return value if isinstance(value, int) else None

    @property
    def printer(self) -> str:
        """ready, busy, error, none or unknown (also when it sent no report)."""
        return str(self.report.get("printer", "unknown"))

    @property
    def disk(self) -> tuple[int, int] | None:
        """(free, total) bytes of the terminal's data folder, when it reported them."""
        free, total = self.report.get("disk_free_bytes"), self.report.get("disk_total_bytes")
        if isinstance(free, int) and isinstance(total, int) and total > 0:
            return free, total
        return None


def fleet(conn: Conn, user: StaffUser, now: datetime) -> list[FleetRow]:
    """Every enrolled terminal of the sites ``user`` may see, with its flags, by site and name."""
    return [
        FleetRow(terminal, fleet_status.flags(terminal, now))
        for terminal in fleet_status.terminals(conn)
        if user.may_see(terminal.site)
    ]


# -- reading what a form sent ---------------------------------------------------------------


def parse_day(text: str) -> date | None:
    """A day as the date field sends it (YYYY-MM-DD); None for anything else."""
    try:
        return date.fromisoformat(text.strip()) if len(text.strip()) == 10 else None
    except ValueError:
        return None


def parse_clock(text: str) -> time | None:
    """A time of day as the time field sends it (HH:MM); None for anything else."""
    value = text.strip()
    if len(value) != 5 or value[2] != ":":
        return None
    try:
        return time.fromisoformat(value)
    except ValueError:
        return None


def parse_minutes(text: str) -> int | None:
    """A length in minutes (1 to 1440); None for anything else."""
    value = text.strip()
    if not value.isascii() or not value.isdigit() or not 0 < int(value) <= 24 * 60:
        return None
    return int(value)
