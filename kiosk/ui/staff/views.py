"""What the staff desk shows, made from one reading of the bookings, in the staff's language.

The day's timeline, the week's grid, the list beside them and the answer to a check-in. No
widgets here and no database: the screen reads the booking service once per refresh into a
DeskReading, and these functions turn it into what the painted views and labels need.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from kiosk.core.bookings import (
    CODE_LENGTH,
    Booking,
    BookingService,
    BookingStatus,
    CheckIn,
    CheckInStatus,
    DevicePolicy,
    DeviceStatus,
    Interval,
    Slot,
)
from kiosk.core.bookings.records import CHECK_IN_EARLY
from kiosk.core.i18n import LIST_SEPARATOR, Translator, format_slot, format_time
from kiosk.core.resume_codes import format_code, normalise_code
from kiosk.ui.staff.paint import BOOKING_LOOKS, CONFLICT_SIGN, Look, TimelineRow
from kiosk.ui.staff.texts import (
    EXAMPLE_BOOKING_CODE,
    booking_status_text,
    day_title,
    device_name,
    device_status_text,
    isolated,
    time_range,
    turnaround_text,
    visitor_name,
)
from kiosk.ui.staff.timeline import TimelineBlock, TimelineDay
from kiosk.ui.staff.week import WeekCell, WeekView

TURNAROUND_LOOK = Look("#B9D0D6", "#1A1C1E", "#8FB3BD")  # the booking colour, 30 % on white
LEGEND_ORDER = (
    BookingStatus.CONFIRMED,
    BookingStatus.PENDING,
    BookingStatus.CHECKED_IN,
    BookingStatus.NO_SHOW,
    BookingStatus.CANCELLED,
)
# Only a terminal joined to a hub has these; standing alone, the key does not mention them.
JOINED_LEGEND = (BookingStatus.PROVISIONAL, BookingStatus.CONFLICT)


@dataclass(frozen=True)
class DeskReading:
    """The bookings service as read at one moment, for the days on screen."""

    now: datetime
    first: date
    last: date
    devices: Sequence[DevicePolicy] = ()
    statuses: dict[str, DeviceStatus] = field(default_factory=dict)
    bookings: dict[int, Booking] = field(default_factory=dict)
    opening: dict[date, list[Interval]] = field(default_factory=dict)
    closed: dict[date, str | None] = field(default_factory=dict)  # why a day is closed
    # A terminal joined to a hub: bookings of any day from today on that the hub gave to no
    # one (they need a new time), each with the next free times staff can move it to.
    joined: bool = False
    conflicts: tuple[Booking, ...] = ()
    alternatives: dict[int, tuple[Slot, ...]] = field(default_factory=dict)

    @property
    def today(self) -> date:
        return self.now.date()

    def device(self, device_id: str) -> DevicePolicy | None:
        return next((d for d in self.devices if d.id == device_id), None)

    def status(self, device_id: str) -> DeviceStatus:
        return self.statuses.get(device_id, DeviceStatus.AVAILABLE)

    def days(self) -> list[date]:
        return [self.first + timedelta(days=n) for n in range((self.last - self.first).days + 1)]


def read_desk(
    service: BookingService, now: datetime, first: date, last: date, language: str = ""
) -> DeskReading:
    """Read the devices, their states and the bookings of ``first`` to ``last`` once, at ``now``
    (public holidays named in ``language``, the staff's)."""
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    conflicts = tuple(service.conflicts()) if service.joined else ()
    return DeskReading(
        now=now,
        first=first,
        last=last,
        devices=list(service.devices),
        statuses=service.statuses(),
        bookings={b.id: b for b in service.bookings_between(first, last)},
        opening={day: service.calendar.opening(day) for day in days},
        closed={day: service.calendar.closed_reason(day, language) for day in days},
        joined=service.joined,
        conflicts=conflicts,
        alternatives={b.id: tuple(service.alternatives(b)) for b in conflicts},
    )


def shown_time(tr: Translator, booking: Booking) -> str:
    """The start as the timeline writes it; a conflict gets its sign (not by colour alone)."""
    time = format_time(booking.start, tr.current.code)
    if booking.status is BookingStatus.CONFLICT:
        return f"{CONFLICT_SIGN} {time}"
    return time


def in_use(reading: DeskReading, device_id: str) -> Booking | None:
    """The visitor's booking that is checked in and running now on the device, if any."""
    return next(
        (
            b
            for b in reading.bookings.values()
            if b.device_id == device_id
            and b.status is BookingStatus.CHECKED_IN
            and b.start <= reading.now < b.end
        ),
        None,
    )


def device_badge(tr: Translator, reading: DeskReading, device_id: str) -> str:
    """The row's badge: who has the device now ("In use: Anna"), else its status in words
    ("Needs wiping" once that visitor is done) — told apart by words, not by colour alone."""
    using = in_use(reading, device_id)
    if using is not None:
        return tr.gettext("In use: {name}").format(name=visitor_name(tr, using))
    return device_status_text(tr, reading.status(device_id))


def device_rows(tr: Translator, reading: DeskReading) -> tuple[TimelineRow, ...]:
    code = tr.current.code
    return tuple(
        TimelineRow(
            device.id,
            device_name(device, device.id, code),
            device_badge(tr, reading, device.id),
            reading.status(device.id),
        )
        for device in reading.devices
    )


def block_text(tr: Translator, booking: Booking) -> str:
    """What a block (staff hold the device) shows on the timeline: its reason."""
    return tr.gettext("Blocked: {reason}").format(reason=booking.reason or "–")


def closed_text(tr: Translator, reading: DeskReading, day: date) -> str:
    reason = reading.closed.get(day)
    if reason and reason != "closure":  # a public holiday's name
        return tr.gettext("Closed: {reason}").format(reason=reason)
    return tr.gettext("Closed")


def timeline_day(tr: Translator, reading: DeskReading, day: date) -> TimelineDay:
    """One day per device: the blocks, the opening hours, the present and the colour key."""
    code = tr.current.code
    blocks = []
    for booking in sorted(reading.bookings.values(), key=lambda b: b.start):
        if booking.start.date() != day:
            continue
        device = reading.device(booking.device_id)
        name = block_text(tr, booking) if booking.blocked else visitor_name(tr, booking)
        blocks.append(
            TimelineBlock(
                booking_id=booking.id,
                device_id=booking.device_id,
                start=booking.start,
                end=booking.end,
                buffer_end=booking.end + (device.buffer if device else timedelta(0)),
                status=booking.status,
                time=shown_time(tr, booking),
                name=name,
                code=booking.printed_code,
                blocked=booking.blocked,
                description=", ".join(
                    (
                        device_name(device, booking.device_id, code),
                        time_range(tr, booking),
                        name,
                        booking.printed_code,
                        booking_status_text(tr, booking.status),
                    )
                ),
            )
        )
    statuses = (*LEGEND_ORDER, *JOINED_LEGEND) if reading.joined else LEGEND_ORDER
    legend = (
        *((BOOKING_LOOKS[s], booking_status_text(tr, s)) for s in statuses),
        (TURNAROUND_LOOK, turnaround_text(tr)),
    )
    return TimelineDay(
        rows=device_rows(tr, reading),
        blocks=tuple(blocks),
        opening=tuple((i.start, i.end) for i in reading.opening.get(day, [])),
        now=reading.now if day == reading.today else None,
        time_text=lambda moment: format_time(moment, code),
        closed_text=closed_text(tr, reading, day),
        legend=legend,
        free_text=lambda device, start, end: tr.gettext(
            "{device}: free from {start} to {end}"
        ).format(device=device, start=start, end=end),
    )


def week_view(tr: Translator, reading: DeskReading) -> WeekView:
    """Per device and day: how many active bookings, and where they lie in the opening hours."""
    code = tr.current.code
    days = tuple(reading.days())
    cells: dict[tuple[str, date], WeekCell] = {}
    counts: set[int] = set()
    for device in reading.devices:
        for day in days:
            on_day = [
                b
                for b in reading.bookings.values()
                if b.device_id == device.id and b.start.date() == day
            ]
            opening = reading.opening.get(day, [])
            spans = [(i.start, i.end) for i in opening] + [(b.start, b.end) for b in on_day]
            marks: list[tuple[float, float, BookingStatus]] = []
            if spans:
                low = min(start for start, _end in spans)
                seconds = max(1.0, (max(end for _start, end in spans) - low).total_seconds())
                marks = [
                    (
                        (b.start - low).total_seconds() / seconds,
                        (b.end - low).total_seconds() / seconds,
                        b.status,
                    )
                    for b in on_day
                    if b.active
                ]
            count = sum(1 for b in on_day if b.active)
            conflicts = sum(1 for b in on_day if b.status is BookingStatus.CONFLICT)
            counts.update((count, conflicts))
            cells[(device.id, day)] = WeekCell(
                count, tuple(marks), closed=not opening, conflicts=conflicts
            )
    return WeekView(
        rows=device_rows(tr, reading),
        days=days,
        day_titles=tuple((day_title(d, code, "EEE"), day_title(d, code, "MMMd")) for d in days),
        today=reading.today,
        cells=cells,
        count_texts={n: tr.number(n) for n in counts},
        closed_text=tr.gettext("Closed"),
        booking_count=lambda n: tr.ngettext("{n} booking", "{n} bookings", n).format(
            n=tr.number(n)
        ),
        conflict_count=lambda n: tr.ngettext(
            "{n} booking in conflict", "{n} bookings in conflict", n
        ).format(n=tr.number(n)),
    )


def agenda_line(tr: Translator, booking: Booking, device: str, *, with_day: str = "") -> str:
    """One booking in the list: when and who on the first line, what on the second."""
    when = f"{with_day} {time_range(tr, booking)}".strip()
    if booking.status is BookingStatus.CONFLICT:
        when = f"{CONFLICT_SIGN} {when}"
    return (
        f"{when}  {visitor_name(tr, booking)}\n"
        f"{device}{LIST_SEPARATOR}{isolated(booking.printed_code)}{LIST_SEPARATOR}"
        f"{booking_status_text(tr, booking.status)}"
    )


def agenda(
    tr: Translator, reading: DeskReading, *, week: bool
) -> tuple[str, str, list[tuple[int, str]]]:
    """The list beside the timeline: its title, a one-line summary and one entry per booking."""
    _ = tr.gettext
    code = tr.current.code
    order = {device.id: index for index, device in enumerate(reading.devices)}
    bookings = sorted(reading.bookings.values(), key=lambda b: (b.start, order.get(b.device_id, 0)))
    entries = [
        (
            booking.id,
            agenda_line(
                tr,
                booking,
                device_name(reading.device(booking.device_id), booking.device_id, code),
                with_day=day_title(booking.start.date(), code) if week else "",
            ),
        )
        for booking in bookings
    ]
    active = sum(1 for b in bookings if b.active)
    pending = sum(1 for b in bookings if b.status is BookingStatus.PENDING)
    summary = tr.ngettext("{n} active booking", "{n} active bookings", active).format(
        n=tr.number(active)
    )
    if pending:
        summary += LIST_SEPARATOR + tr.ngettext(
            "{n} waiting for approval", "{n} waiting for approval", pending
        ).format(n=tr.number(pending))
    provisional = sum(1 for b in bookings if b.status is BookingStatus.PROVISIONAL)
    if provisional:
        summary += LIST_SEPARATOR + tr.ngettext(
            "{n} provisional", "{n} provisional", provisional
        ).format(n=tr.number(provisional))
    if not bookings:
        summary = _("No bookings.")
    title = _("Bookings this week") if week else _("Bookings on this day")
    return title, summary, entries


def booking_details(tr: Translator, reading: DeskReading, booking: Booking) -> str:
    """Who, what and when in one line: "Anna | iPad | 10:00–10:30 | K7P-MR3" (with the date
    when it is not today)."""
    code = tr.current.code
    device = device_name(reading.device(booking.device_id), booking.device_id, code)
    when = (
        time_range(tr, booking)
        if booking.start.date() == reading.today
        else format_slot(booking.start, booking.end, code)
    )
    return LIST_SEPARATOR.join(
        (visitor_name(tr, booking), device, when, isolated(booking.printed_code))
    )


def check_in_message(
    tr: Translator, reading: DeskReading, result: CheckIn, typed: str
) -> tuple[str, str]:
    """The answer to a scanned or typed code: a tone ("ok", "warn", "error") and the words."""
    _ = tr.gettext
    booking = result.booking
    details = booking_details(tr, reading, booking) if booking is not None else ""
    status = result.status
    if status is CheckInStatus.CHECKED_IN:
        return "ok", _("Checked in: {details}").format(details=details)
    if status is CheckInStatus.ALREADY:
        return "warn", _("Already checked in: {details}").format(details=details)
    if status is CheckInStatus.PENDING:
        return "error", _("Not approved yet: {details}. Approve it, then check in.").format(
            details=details
        )
    if status is CheckInStatus.CANCELLED:
        return "error", _("This booking was cancelled: {details}").format(details=details)
    if status is CheckInStatus.NO_SHOW:
        return "error", _("Too late, released as a no-show: {details}").format(details=details)
    if status is CheckInStatus.CONFLICT:
        return "error", _(
            "The hub gave this slot to another booking: {details}. Give it a new slot first."
        ).format(details=details)
    if status is CheckInStatus.NOT_NOW and booking is not None:
        if booking.end <= reading.now:
            return "error", _("This booking is over: {details}").format(details=details)
        minutes = int(CHECK_IN_EARLY.total_seconds() // 60)
        return "error", tr.ngettext(
            "Too early: {details}. Check-in opens {n} minute before the start.",
            "Too early: {details}. Check-in opens {n} minutes before the start.",
            minutes,
        ).format(details=details, n=tr.number(minutes))
    if status is CheckInStatus.UNKNOWN:
        compact = normalise_code(typed, CODE_LENGTH)
        return "error", _("No booking has the code {code}. Please check it.").format(
            code=isolated(format_code(compact) if compact else shown_input(typed))
        )
    return "error", _("“{text}” is not a booking code. Booking codes look like {example}.").format(
        text=isolated(shown_input(typed)), example=isolated(EXAMPLE_BOOKING_CODE)
    )


def shown_input(typed: str) -> str:
    """What was typed, safe to show: printable characters only, and not endlessly long."""
    cleaned = "".join(ch for ch in typed.strip() if ch.isprintable())
    return cleaned if len(cleaned) <= 16 else cleaned[:15] + "…"
