"""The web desk's planning of a site's day, without HTTP: find a booking, edit its times or
device, give a late visitor's no-show back, block a device (weekly if wanted) and set date
exceptions (a closed day, shorter hours).

Each goes through the site's BookingService, the same methods the terminals' desk calls, in the
caller's transaction: every staff rule and the database's exclusion constraint apply, and every
change takes a change number, so the site's terminals pull it on their next round. Each change
writes its audit row (a booking's code and device, a day; never a visitor's name).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from kiosk.core.bookings import (
    Booking,
    BookingKind,
    BookingProblem,
    DateException,
    ExceptionProblem,
    ExceptionRefusedError,
    SearchFilter,
)
from kiosk.hub.desk import audit
from kiosk.hub.desk.accounts import StaffUser
from kiosk.hub.desk.views import Outcome, SiteDesk, booking_detail
from kiosk.hub.sequence import lock_changes

REASON_MAX = 80
NOTE_MAX = 80
WEEKS_MAX = 52
# A refused date exception as the plan page's message key.
EXCEPTION_PROBLEMS = {
    ExceptionProblem.IN_PAST: BookingProblem.IN_PAST.value,
    ExceptionProblem.NO_HOURS: "exception_hours",
    ExceptionProblem.BAD_HOURS: "exception_hours",
    ExceptionProblem.CLOSES_BEFORE_OPENS: "exception_hours",
    ExceptionProblem.NOTE_TOO_LONG: "exception_note",
    ExceptionProblem.NOTE_HIDDEN_CHARACTER: "exception_note",
}
# How far ahead the plan page lists blocks and date exceptions.
PLAN_AHEAD_DAYS = 365


@dataclass(frozen=True)
class BlockResult:
    """What came of blocking a device: the weeks blocked and those refused, with why."""

    made: tuple[Booking, ...]
    refused: tuple[tuple[date, BookingProblem], ...]
    problem: str = ""  # a form that could not be read: nothing was tried


@dataclass(frozen=True)
class ExceptionRow:
    """A date exception with the active bookings it affects."""

    exception: DateException
    affected: tuple[Booking, ...]


@dataclass(frozen=True)
class Plan:
    """The plan page: the site's device blocks and date exceptions from today on."""

    blocks: tuple[Booking, ...]
    exceptions: tuple[ExceptionRow, ...]


def clean_text(text: str, limit: int) -> str | None:
    """A short one-line text (a block's reason, an exception's note), spaces tidied; None when
    it is too long or holds a control or invisible character."""
    value = " ".join(text.split())
    if len(value) > limit or any(unicodedata.category(c) in ("Cc", "Cf") for c in value):
        return None
    return value


def search_filter(text: str) -> SearchFilter | None:
    """The status filter a form chose; None for none (or one this desk does not know)."""
    try:
        return SearchFilter(text)
    except ValueError:
        return None


def find(
    site_desk: SiteDesk, text: str, only: SearchFilter | None, names: Mapping[str, str]
) -> list[Booking]:
    """Bookings matching part of a first name or code, a device (id or ``names``) or a time,
    of the default span (the year ahead, the last week too for a name or code)."""
    site_desk.service.release_no_shows()  # "no-show today" must see who did not come
    return site_desk.service.search(text.strip()[:REASON_MAX], only=only, names=names)


def edit(
    site_desk: SiteDesk,
    user: StaffUser,
    uid: str,
    start: datetime,
    end: datetime,
    device_id: str,
) -> Outcome:
    """Give a booking another start, end and/or device (of its kind); its code stays."""
    lock_changes(site_desk.conn)  # the counter before any booking row, as every writer
    booking = site_desk.booking(uid)
    if booking is None:
        return Outcome(problem="unknown_booking")
    if (start, end, device_id) == (booking.start, booking.end, booking.device_id):
        return Outcome(problem="unchanged", code=booking.printed_code)
    if site_desk.service.device(device_id) is None:
        return Outcome(problem=BookingProblem.UNKNOWN_DEVICE.value, code=booking.printed_code)
    problem = site_desk.service.edit(
        booking.id,
        start=None if start == booking.start else start,
        end=None if end == booking.end else end,
        device_id=None if device_id == booking.device_id else device_id,
    )
    if problem is not None:
        return Outcome(problem=problem.value, code=booking.printed_code)
    span = f"{start.isoformat(timespec='minutes')}-{end.strftime('%H:%M')}"
    moved = f"{booking_detail(booking)} -> {device_id} {span}"
    audit.record(site_desk.conn, user, site_desk.site, "booking_edit", moved)
    return Outcome(done="edited", code=booking.printed_code)


def restore_no_show(site_desk: SiteDesk, user: StaffUser, uid: str) -> Outcome:
    """The late visitor is at the desk: their no-show becomes checked in, while its slot lasts
    and nobody else took the time meanwhile."""
    lock_changes(site_desk.conn)
    booking = site_desk.booking(uid)
    if booking is None:
        return Outcome(problem="unknown_booking")
    if not site_desk.service.restore_no_show(booking.id):
        return Outcome(problem="not_restorable", code=booking.printed_code)
    audit.record(site_desk.conn, user, site_desk.site, "booking_restore", booking_detail(booking))
    return Outcome(done="restored", code=booking.printed_code)


def block(
    site_desk: SiteDesk,
    user: StaffUser,
    device_id: str,
    start: datetime,
    end: datetime,
    reason: str,
    weeks: int,
) -> BlockResult:
    """Block the device from start to end (a workshop, say), the same time in each of
    ``weeks`` weeks; a week whose time is taken or closed is refused, the others are made."""
    lock_changes(site_desk.conn)
    if site_desk.service.device(device_id) is None:
        return BlockResult((), (), problem=BookingProblem.UNKNOWN_DEVICE.value)
    outcome = site_desk.service.block(device_id, start, end, reason, weeks=weeks)
    for made in outcome.made:
        audit.record(site_desk.conn, user, site_desk.site, "device_block", booking_detail(made))
    return BlockResult(outcome.made, outcome.refused)


def remove_block(site_desk: SiteDesk, user: StaffUser, uid: str) -> Outcome:
    """Lift a device block (the device is free again for that time)."""
    lock_changes(site_desk.conn)
    booking = site_desk.booking(uid)
    if booking is None or booking.kind is not BookingKind.BLOCKED:
        return Outcome(problem="unknown_block")
    if not site_desk.service.cancel(booking.id, staff=True):
        return Outcome(problem="not_active", code=booking.printed_code)
    audit.record(site_desk.conn, user, site_desk.site, "device_unblock", booking_detail(booking))
    return Outcome(done="unblocked", code=booking.printed_code)


def add_exception(
    site_desk: SiteDesk,
    user: StaffUser,
    day: date,
    *,
    closed: bool,
    opens: time | None,
    closes: time | None,
    note: str,
) -> Outcome:
    """Close the site on ``day`` or open it only from ``opens`` to ``closes``; the plan page
    then lists the bookings this affects."""
    lock_changes(site_desk.conn)
    try:
        site_desk.service.add_exception(day, closed=closed, opens=opens, closes=closes, note=note)
    except ExceptionRefusedError as refused:
        return Outcome(problem=EXCEPTION_PROBLEMS[refused.problem])
    shown = (
        "closed" if closed or opens is None or closes is None else f"{opens:%H:%M}-{closes:%H:%M}"
    )
    audit.record(
        site_desk.conn, user, site_desk.site, "date_exception_add", f"{day.isoformat()} {shown}"
    )
    return Outcome(done="exception_added")


def remove_exception(site_desk: SiteDesk, user: StaffUser, exception_id: int) -> Outcome:
    """The day follows the site's usual hours again."""
    lock_changes(site_desk.conn)
    known = {e.id: e for e in _exceptions(site_desk)}
    found = known.get(exception_id)
    if found is None or not site_desk.service.remove_exception(exception_id):
        return Outcome(problem="unknown_exception")
    audit.record(
        site_desk.conn, user, site_desk.site, "date_exception_remove", found.day.isoformat()
    )
    return Outcome(done="exception_removed")


def plan(site_desk: SiteDesk) -> Plan:
    """The active device blocks and the date exceptions from today on, each exception with
    the bookings it affects (so staff can move or cancel them)."""
    service = site_desk.service
    blocks = [b for b in service.search("", only=SearchFilter.BLOCKED) if b.active]
    return Plan(
        blocks=tuple(blocks),
        exceptions=tuple(
            ExceptionRow(found, tuple(service.affected_by(found)))
            for found in _exceptions(site_desk)
        ),
    )


def _exceptions(site_desk: SiteDesk) -> list[DateException]:
    today = site_desk.today()
    return site_desk.service.exceptions(today, today + timedelta(days=PLAN_AHEAD_DAYS))
