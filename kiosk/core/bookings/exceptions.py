"""Date exceptions: days on which the site closes, or opens other hours than its config says.

The site config keeps the usual week (opening hours, closures, public holidays); staff add an
exception for one date at the desk, and it is stored in the database, not the config. An
exception replaces the config's hours of its day: ``closed`` closes the site all day, otherwise
it is open only from ``opens`` to ``closes`` that day (also on a day the config keeps closed).
One exception per day: a new one for a day replaces the old. The booking service's calendar
asks the store on every question, so free slots, the staff timeline and the visitor screens
follow a change at once; a terminal joined to a hub shares its exceptions with the site's other
terminals like device states (the last change wins, a removal travels too).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta, tzinfo
from enum import Enum
from typing import TYPE_CHECKING

from kiosk.core.bookings.records import Booking
from kiosk.core.bookings.rules import Interval, SiteCalendar
from kiosk.core.hidden_text import hidden_character

if TYPE_CHECKING:
    from kiosk.core.bookings.ledger import BookingLedger
    from kiosk.core.bookings.store import BookingStore, ExceptionRow

NOTE_MAX = 200  # characters of a note ("Staff training"); the stores refuse longer ones
DAY_MINUTES = 24 * 60


class ExceptionProblem(Enum):
    """Why a date exception is refused; the desk names each in the staff's language."""

    IN_PAST = "in_past"  # the day is over
    NO_HOURS = "no_hours"  # open that day, but opens or closes is missing
    BAD_HOURS = "bad_hours"  # not a time of day in whole minutes (00:00 to 24:00)
    CLOSES_BEFORE_OPENS = "closes_before_opens"  # closes at or before it opens
    NOTE_TOO_LONG = "note_too_long"
    NOTE_HIDDEN_CHARACTER = "note_hidden_character"  # a control or text-direction character


class ExceptionRefusedError(ValueError):
    """A date exception that cannot be stored; nothing was changed. ``problem`` says why."""

    def __init__(self, problem: ExceptionProblem) -> None:
        super().__init__(f"date exception refused ({problem.value})")
        self.problem = problem


@dataclass(frozen=True)
class DateException:
    """One day that differs from the site config: closed all day (``closed``), or open only
    from ``opens`` to ``closes`` (``closes`` 00:00 is midnight at the day's end, 24:00)."""

    id: int
    day: date
    closed: bool
    opens: time | None
    closes: time | None
    note: str

    def opening(self, zone: tzinfo) -> list[Interval]:
        """The day's opening range in ``zone``; empty when closed."""
        if self.closed or self.opens is None or self.closes is None:
            return []
        midnight = datetime.combine(self.day, time(0), zone)
        return [
            Interval(
                midnight + timedelta(minutes=minute_of(self.opens)),
                midnight + timedelta(minutes=closing_minute(self.closes)),
            )
        ]


@dataclass(frozen=True)
class SharedDateException:
    """A date exception as the hub keeps it for a site, keyed by its day (last change wins;
    ``removed``: staff took it back). Minutes count from the day's midnight."""

    day: str  # YYYY-MM-DD
    closed: bool
    opens_minute: int | None
    closes_minute: int | None
    note: str
    removed: bool
    changed_ts: int


def minute_of(moment: time) -> int:
    return moment.hour * 60 + moment.minute


def closing_minute(moment: time) -> int:
    """A closing time in minutes of the day: 00:00 closes at the day's end (24:00)."""
    return minute_of(moment) or DAY_MINUTES


def _time_of(minute: int | None) -> time | None:
    if minute is None:
        return None
    return time((minute // 60) % 24, minute % 60)


def exception_problem(
    day: date,
    today: date,
    *,
    closed: bool,
    opens: time | None = None,
    closes: time | None = None,
    note: str = "",
) -> ExceptionProblem | None:
    """The first thing wrong with this exception, or None. Hours of a closed day are ignored."""
    if day < today:
        return ExceptionProblem.IN_PAST
    if not closed:
        if opens is None or closes is None:
            return ExceptionProblem.NO_HOURS
        for moment in (opens, closes):
            # A time with a zone or seconds is no time on the site's clock face.
            if moment.tzinfo is not None or moment.second or moment.microsecond:
                return ExceptionProblem.BAD_HOURS
        if closing_minute(closes) <= minute_of(opens):
            return ExceptionProblem.CLOSES_BEFORE_OPENS
    if len(note.strip()) > NOTE_MAX:
        return ExceptionProblem.NOTE_TOO_LONG
    if hidden_character(note) is not None:
        return ExceptionProblem.NOTE_HIDDEN_CHARACTER
    return None


def exception_of(row: ExceptionRow) -> DateException:
    """A stored row as a date exception."""
    return DateException(
        id=row.id,
        day=date.fromisoformat(row.day),
        closed=bool(row.closed),
        opens=_time_of(row.opens_minute),
        closes=_time_of(row.closes_minute),
        note=row.note,
    )


def calendar_with_exceptions(calendar: SiteCalendar, store: BookingStore) -> SiteCalendar:
    """``calendar`` asking ``store`` for each day's exception. Read on every question rather
    than cached: another process (the sync thread) writes them, and one indexed read of a small
    table costs less than telling every reader when to forget."""

    def exception_on(day: date) -> DateException | None:
        rows = store.date_exceptions(day.isoformat(), day.isoformat())
        return exception_of(rows[0]) if rows else None

    return replace(calendar, exception=exception_on)


class DateExceptions:
    """Staff list, add and remove the site's date exceptions and see whom they affect."""

    def __init__(self, ledger: BookingLedger) -> None:
        self._ledger = ledger

    def between(self, first: date, last: date) -> list[DateException]:
        """The exceptions of the days ``first`` to ``last``, by day."""
        rows = self._ledger.store.date_exceptions(first.isoformat(), last.isoformat())
        return sorted((exception_of(row) for row in rows), key=lambda found: found.day)

    def add(
        self,
        day: date,
        *,
        closed: bool,
        opens: time | None = None,
        closes: time | None = None,
        note: str = "",
    ) -> tuple[DateException, list[Booking]]:
        """Store the exception (replacing one of that day) and return it with the active
        bookings it affects; raises ExceptionRefusedError and changes nothing when refused."""
        ledger = self._ledger
        problem = exception_problem(
            day, ledger.now().date(), closed=closed, opens=opens, closes=closes, note=note
        )
        if problem is not None:
            raise ExceptionRefusedError(problem)
        row = ledger.store.put_date_exception(
            day=day.isoformat(),
            closed=closed,
            opens_minute=None if closed or opens is None else minute_of(opens),
            closes_minute=None if closed or closes is None else closing_minute(closes),
            note=note.strip(),
            now_ts=ledger.stamp(),
        )
        exception = exception_of(row)
        return exception, self.affected_by(exception)

    def remove(self, exception_id: int) -> bool:
        """Take an exception back (the config's hours hold again); False if there is none."""
        return self._ledger.store.remove_date_exception(exception_id, self._ledger.stamp())

    def affected_by(self, exception: DateException) -> list[Booking]:
        """The active bookings not yet over that the exception leaves outside its hours (all
        of the day's on a closed day), by start: staff move or cancel them."""
        ledger = self._ledger
        zone = ledger.calendar.zone
        start = datetime.combine(exception.day, time(0), zone)
        end = datetime.combine(exception.day + timedelta(days=1), time(0), zone)
        low, high = int(start.timestamp()), int(end.timestamp())
        now = int(ledger.clock().timestamp())
        opening = exception.opening(zone)
        found = []
        for row in ledger.store.between(low, high, active_only=True):
            if row.start_ts >= high or row.end_ts <= low or row.end_ts <= now:
                continue
            booking = ledger.booking(row)
            if not any(r.start <= booking.start and booking.end <= r.end for r in opening):
                found.append(booking)
        return sorted(found, key=lambda booking: (booking.start, booking.device_id))
