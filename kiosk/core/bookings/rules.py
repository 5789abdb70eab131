"""The rules of lending a device: opening hours, closures, blackouts, buffers and windows.

Everything here works on aware datetimes in the site's time zone and knows nothing of storage:
the booking service hands in what is booked already. A booking blocks its device from its start
until its end plus the device's turnaround buffer (charging, wiping); two bookings of one device
may not have overlapping blocks. The database enforces the same rule once more (see
kiosk.storage.bookings_repo), so a race between terminals cannot break it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import Enum
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from kiosk.core.bookings.names import name_key
from kiosk.core.i18n import fallback_chain, text_in

if TYPE_CHECKING:
    from holidays import HolidayBase

    from kiosk.core.bookings.exceptions import DateException

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class BookingProblem(Enum):
    """Why a slot cannot be booked; each has its own message for visitors and staff."""

    UNKNOWN_DEVICE = "unknown_device"
    DEVICE_UNAVAILABLE = "device_unavailable"  # broken or in repair
    NEEDS_WIPING = "needs_wiping"  # the last visitor's data is not yet removed
    IN_PAST = "in_past"
    CLOSED = "closed"  # a closure day or public holiday
    OUTSIDE_HOURS = "outside_hours"
    BLACKOUT = "blackout"
    OVERLAP = "overlap"  # another booking of the device at the same time
    BUFFER = "buffer"  # inside another booking's turnaround time
    TOO_SOON = "too_soon"  # before the device's lead time
    TOO_FAR = "too_far"  # beyond the advance window
    TOO_SHORT = "too_short"
    TOO_LONG = "too_long"
    OFF_GRID = "off_grid"  # not a slot start (slots start every step minutes from opening)
    # The site books only through the hub ([bookings] offline_bookings = "refuse"), and the
    # hub cannot be reached: visitors ask at the desk.
    NO_NETWORK = "no_network"
    # Visitor limits (VisitorLimits); staff are never limited.
    NAME_LIMIT = "name_limit"  # the name has as many open bookings on that day as allowed
    COOL_DOWN = "cool_down"  # this terminal took a visitor's booking a moment ago


@dataclass(frozen=True)
class Interval:
    """[start, end) as aware datetimes."""

    start: datetime
    end: datetime

    def overlaps(self, other: Interval) -> bool:
        return self.start < other.end and other.start < self.end


@dataclass(frozen=True)
class DevicePolicy:
    """One lendable device and its rules (built from a [[devices]] table of the site config)."""

    id: str
    kind: str
    name: str
    names: Mapping[str, str] = field(default_factory=dict)
    description: Mapping[str, str] = field(default_factory=dict)
    photo: str = ""
    # Where it stands, per language (a plain string in the config is every language's text).
    location: Mapping[str, str] = field(default_factory=dict)
    staff_help: bool = False
    approval: bool = False
    min_minutes: int = 15
    max_minutes: int = 60
    step_minutes: int = 15
    buffer_minutes: int = 10
    lead_minutes: int = 0
    advance_days: int = 14
    blackouts: tuple[str, ...] = ()

    def display_name(self, language: str, fallbacks: Sequence[str] = ()) -> str:
        for code in fallback_chain(language, fallbacks):
            if code in self.names:
                return self.names[code]
        return self.name

    def text(self, language: str, fallbacks: Sequence[str] = ()) -> str:
        for code in fallback_chain(language, fallbacks):
            if code in self.description:
                return self.description[code]
        return next(iter(self.description.values()), "")

    def place(self, language: str, fallbacks: Sequence[str] = ()) -> str:
        """Where it stands, in ``language`` or the nearest language the site wrote it in (any
        of them rather than none); "" when the site does not say."""
        found = text_in(self.location, language, fallbacks)
        return found if found is not None else next(iter(self.location.values()), "")

    @property
    def buffer(self) -> timedelta:
        return timedelta(minutes=self.buffer_minutes)

    def durations(self) -> list[int]:
        """The lengths a visitor may choose, in minutes: min to max in slot steps."""
        lengths = list(range(self.min_minutes, self.max_minutes + 1, self.step_minutes))
        if lengths[-1] != self.max_minutes:
            lengths.append(self.max_minutes)
        return lengths

    def blackout_intervals(self, day: date, zone: ZoneInfo) -> list[Interval]:
        """This device's blackouts on ``day`` (whole-day ones cover the day)."""
        found = []
        for entry in self.blackouts:
            text = entry.strip()
            if not text.startswith(day.isoformat()):
                continue
            rest = text[len(day.isoformat()) :].strip()
            if not rest:
                start = datetime.combine(day, time(0), zone)
                found.append(Interval(start, start + timedelta(days=1)))
            else:
                found.extend(_ranges(day, rest, zone))
        return found


_RANGE = re.compile(r"(\d{2}):(\d{2})-(\d{2}):(\d{2})")


def _ranges(day: date, text: str, zone: ZoneInfo) -> list[Interval]:
    """'10:00-13:00, 14:00-18:00' on ``day`` as intervals (24:00 is the next midnight)."""
    found = []
    for match in _RANGE.finditer(text):
        h1, m1, h2, m2 = (int(group) for group in match.groups())
        midnight = datetime.combine(day, time(0), zone)
        found.append(
            Interval(
                midnight + timedelta(hours=h1, minutes=m1),
                midnight + timedelta(hours=h2, minutes=m2),
            )
        )
    return found


@dataclass(frozen=True)
class SiteCalendar:
    """When the site is open: hours per weekday, closure days and public holidays."""

    zone: ZoneInfo
    hours: Mapping[str, str]  # weekday key ("mon"…) → "10:00-13:00, 14:00-18:00" or ""
    closures: tuple[str, ...] = ()  # "YYYY-MM-DD" or "YYYY-MM-DD..YYYY-MM-DD"
    holiday: Callable[[date], str | None] = field(default=lambda _day: None)
    # The holiday's name in a kiosk language (staff read it in theirs); None: only `holiday`.
    holiday_in: Callable[[date, str], str | None] | None = None
    # The day's date exception staff keep in the database (kiosk.core.bookings.exceptions): it
    # replaces everything above for its day. The booking service asks its store.
    exception: Callable[[date], DateException | None] = field(default=lambda _day: None)

    def closed_reason(self, day: date, language: str = "") -> str | None:
        """Why the site is closed all day on ``day`` (a holiday's name, in ``language`` when
        given; an exception's note; "closure"), else None."""
        changed = self.exception(day)
        if changed is not None:
            return (changed.note or "closure") if changed.closed else None
        for entry in self.closures:
            first, _, last = entry.strip().partition("..")
            if date.fromisoformat(first) <= day <= date.fromisoformat(last or first):
                return "closure"
        if language and self.holiday_in is not None:
            return self.holiday_in(day, language)
        return self.holiday(day)

    def opening(self, day: date) -> list[Interval]:
        """The opening ranges of ``day``; empty when closed."""
        changed = self.exception(day)
        if changed is not None:
            return changed.opening(self.zone)
        if self.closed_reason(day) is not None:
            return []
        return _ranges(day, self.hours.get(WEEKDAYS[day.weekday()], ""), self.zone)

    def now(self, moment: datetime) -> datetime:
        """``moment`` in the site's time zone."""
        return moment.astimezone(self.zone)


# Kiosk language -> the holidays library's name for it, where the two differ.
_HOLIDAY_LANGUAGES = {"de-x-ls": "de", "en": "en_US"}


class PublicHolidays:
    """The public holidays of 'DE-TH' (country-region) or 'DE', named in a kiosk language.

    Called with a day, it names the holiday in English (logs, the command line). `name(day,
    code)` names it in kiosk language ``code`` if the library has that language for the
    country (Germany: de, en, uk; Leichte Sprache reads German), else in the country's own
    language: the name on every calendar around the staff, rather than English as a third.
    The holidays library (~14 MB with its calendars, ~25 ms to import) is loaded on the first
    question, not when the kiosk starts: the attract screen never needs it.
    """

    def __init__(self, region: str) -> None:
        self._country, _, subdivision = region.partition("-")
        self._subdivision = subdivision or None
        self._languages: frozenset[str] = frozenset()
        self._own = ""
        self._by_language: dict[str, Mapping[date, str]] = {}

    def __call__(self, day: date) -> str | None:
        return self.name(day, "en")

    def name(self, day: date, code: str) -> str | None:
        if not self._country:
            return None
        if not self._by_language:
            # Without a language the library names them in the system's, not the country's.
            own = self._load(None)
            self._languages = frozenset(own.supported_languages)
            self._own = str(own.default_language)
            self._by_language[self._own] = self._load(self._own)
        wanted = _HOLIDAY_LANGUAGES.get(code, code)
        language = wanted if wanted in self._languages else self._own
        if language not in self._by_language:
            self._by_language[language] = self._load(language)
        found = self._by_language[language].get(day)
        return None if found is None else str(found)

    def _load(self, language: str | None) -> HolidayBase:
        import holidays

        return holidays.country_holidays(self._country, subdiv=self._subdivision, language=language)


def public_holidays(region: str) -> PublicHolidays:
    """A lookup of the public holidays of ``region`` ('' = none); see PublicHolidays."""
    return PublicHolidays(region)


@dataclass(frozen=True)
class Block:
    """What an existing booking occupies: its own time and the turnaround after it."""

    start: datetime
    end: datetime
    block_until: datetime


def slot_problem(
    device: DevicePolicy,
    calendar: SiteCalendar,
    start: datetime,
    end: datetime,
    now: datetime,
    booked: Iterable[Block],
    *,
    staff: bool = False,
) -> BookingProblem | None:
    """The first rule that the slot [start, end) breaks, or None if it can be booked.

    ``staff`` (walk-ins at the desk) skips the lead time and the advance window; every other
    rule holds for staff too.
    """
    minutes = (end - start).total_seconds() / 60
    if minutes < device.min_minutes:
        return BookingProblem.TOO_SHORT
    if minutes > device.max_minutes:
        return BookingProblem.TOO_LONG
    if start < now - timedelta(minutes=device.step_minutes if staff else 0):
        return BookingProblem.IN_PAST
    day = start.astimezone(calendar.zone).date()
    if not staff:
        if start < now + timedelta(minutes=device.lead_minutes):
            return BookingProblem.TOO_SOON
        if day > now.astimezone(calendar.zone).date() + timedelta(days=device.advance_days):
            return BookingProblem.TOO_FAR
    if calendar.closed_reason(day) is not None:
        return BookingProblem.CLOSED
    wanted = Interval(start, end)
    ranges = calendar.opening(day)
    inside = [r for r in ranges if r.start <= start and end <= r.end]
    if not inside:
        return BookingProblem.OUTSIDE_HOURS
    offset = (start - inside[0].start).total_seconds() / 60
    if not staff and offset % device.step_minutes:
        return BookingProblem.OFF_GRID
    if any(wanted.overlaps(b) for b in device.blackout_intervals(day, calendar.zone)):
        return BookingProblem.BLACKOUT
    blocked = Interval(start, end + device.buffer)
    buffer_clash = False
    for other in booked:
        if wanted.overlaps(Interval(other.start, other.end)):
            return BookingProblem.OVERLAP
        if blocked.overlaps(Interval(other.start, other.block_until)):
            buffer_clash = True
    return BookingProblem.BUFFER if buffer_clash else None


@dataclass(frozen=True)
class Slot:
    """A bookable time of one device."""

    device_id: str
    start: datetime
    end: datetime

    @property
    def minutes(self) -> int:
        return round((self.end - self.start).total_seconds() / 60)


def free_slots(
    device: DevicePolicy,
    calendar: SiteCalendar,
    day: date,
    now: datetime,
    booked: Sequence[Block],
    minutes: int | None = None,
) -> list[Slot]:
    """Every slot of ``minutes`` (default: the shortest booking) a visitor can book on ``day``."""
    length = timedelta(minutes=minutes or device.min_minutes)
    step = timedelta(minutes=device.step_minutes)
    blackouts = device.blackout_intervals(day, calendar.zone)
    earliest = now + timedelta(minutes=device.lead_minutes)
    if day > now.astimezone(calendar.zone).date() + timedelta(days=device.advance_days):
        return []
    if length > timedelta(minutes=device.max_minutes) or length < timedelta(
        minutes=device.min_minutes
    ):
        return []
    blocks = sorted(booked, key=lambda b: b.start)
    buffer = device.buffer
    slots = []
    for opening in calendar.opening(day):
        start = opening.start
        while start + length <= opening.end:
            end = start + length
            if start >= earliest and _free(start, end, buffer, blocks, blackouts):
                slots.append(Slot(device.id, start, end))
            start += step
    return slots


def _free(
    start: datetime,
    end: datetime,
    buffer: timedelta,
    blocks: Sequence[Block],
    blackouts: Sequence[Interval],
) -> bool:
    until = end + buffer
    for block in blocks:
        if block.start >= until:
            break
        if start < block.block_until:
            return False
    return not any(start < b.end and b.start < end for b in blackouts)


@dataclass(frozen=True)
class VisitorLimits:
    """How much one visitor may book ([bookings] max_open_per_name_per_day and cooldown_s).

    0 switches a limit off. Staff bookings (walk-ins, the web desk, the command line) are never
    limited, but they count towards a visitor's open bookings.
    """

    max_open_per_name_per_day: int = 0
    cooldown_s: int = 0


@dataclass(frozen=True)
class NamedBooking:
    """What the per-name limit reads of a booking that exists already."""

    name: str | None  # None once purged
    start: datetime
    end: datetime
    active: bool  # holds its device: booked, waiting for approval, provisional or checked in


def open_bookings_of(
    name: str, day: date, zone: ZoneInfo, now: datetime, bookings: Iterable[NamedBooking]
) -> int:
    """How many open bookings (active and not yet ended) ``name`` has starting on ``day``."""
    key = name_key(name)
    return sum(
        1
        for booking in bookings
        if booking.active
        and booking.end > now
        and booking.name is not None
        and booking.start.astimezone(zone).date() == day
        and name_key(booking.name) == key
    )


def name_limit_problem(
    limits: VisitorLimits,
    name: str,
    start: datetime,
    now: datetime,
    zone: ZoneInfo,
    bookings: Iterable[NamedBooking],
) -> BookingProblem | None:
    """NAME_LIMIT when ``name`` already has as many open bookings on the day of ``start`` as a
    visitor may have; None when one more is allowed (or there is no limit)."""
    limit = limits.max_open_per_name_per_day
    if limit <= 0:
        return None
    day = start.astimezone(zone).date()
    if open_bookings_of(name, day, zone, now, bookings) >= limit:
        return BookingProblem.NAME_LIMIT
    return None


def cooldown_wait_s(limits: VisitorLimits, last: datetime | None, now: datetime) -> int:
    """Whole seconds until a terminal takes the next visitor booking after one at ``last``;
    0 when it can now. A clock set back waits no longer than the cool-down itself."""
    if last is None:
        return 0
    # A cool-down of 0 leaves nothing to wait: ``left`` is never above 0 then.
    left = limits.cooldown_s - (now - last).total_seconds()
    return min(limits.cooldown_s, max(0, math.ceil(left)))
