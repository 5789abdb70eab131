"""Bookings for other programs: a CSV list for the staff desk and an iCalendar file.

CSV (UTF-8 with a byte-order mark, so spreadsheet programs detect the encoding; comma separated,
RFC 4180 quoting). Columns, in this order:

``date`` (YYYY-MM-DD), ``start``, ``end`` (HH:MM, site time), ``device_id``, ``device``,
``kind``, ``code`` (as printed, e.g. K7P-MR3), ``name`` (empty once purged), ``status``
(pending, confirmed, checked_in, cancelled, no_show; provisional and conflict on a terminal
joined to a hub), ``walk_in`` (yes/no), ``booking_kind`` (visit, or blocked: staff hold the
device, e.g. for a workshop; no name) and ``reason`` (a block's reason, else empty). Later
columns are only ever added at the end, so programs that read by position keep working.

A name that starts like a formula (``=``, ``+``, ``-``, ``@``) is written with a leading
apostrophe, so a spreadsheet shows it instead of running it.

iCalendar (RFC 5545, built with the ``icalendar`` library): one event per booking with the
device as summary, times in the site's zone with its VTIMEZONE, the code in the description
and a stable UID (the booking's uid: the same on every terminal of a site). Visitors' names are
left out: calendar files are copied into other systems that do not purge them. A block is busy
time (TRANSP:OPAQUE) with the device and the block's reason as summary.

Both writers write all or nothing (kiosk.storage.files: a temporary file in the target folder,
renamed into place) and make the file readable by the kiosk's user only (0600).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path

from kiosk.core.bookings.records import Booking, BookingStatus
from kiosk.core.bookings.rules import DevicePolicy
from kiosk.storage.files import PRIVATE, write_atomically

CSV_COLUMNS = (
    "date",
    "start",
    "end",
    "device_id",
    "device",
    "kind",
    "code",
    "name",
    "status",
    "walk_in",
    "booking_kind",
    "reason",
)
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def bookings_csv(bookings: Iterable[Booking], devices: Mapping[str, DevicePolicy]) -> str:
    """The bookings as CSV text (columns: see the module docstring)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for booking in bookings:
        device = devices.get(booking.device_id)
        writer.writerow(
            [
                booking.start.date().isoformat(),
                booking.start.strftime("%H:%M"),
                booking.end.strftime("%H:%M"),
                booking.device_id,
                _cell(device.name if device else booking.device_id),
                booking.device_kind,
                booking.printed_code,
                _cell(booking.name or ""),
                booking.status.value,
                "yes" if booking.walk_in else "no",
                booking.kind.value,
                _cell(booking.reason or ""),
            ]
        )
    return out.getvalue()


def bookings_ics(
    bookings: Iterable[Booking],
    devices: Mapping[str, DevicePolicy],
    *,
    site_name: str,
    stamp: datetime,
    uid_domain: str = "probierladen-kiosk.invalid",
) -> bytes:
    """The active bookings as an iCalendar file (names left out; see the module docstring).

    ``stamp`` is when the file is made (each event's DTSTAMP).
    """
    from icalendar import Calendar, Event  # ~20 ms to import: for this file only, not for CSV

    calendar = Calendar()
    calendar.add("prodid", "-//Probierladen Kiosk//bookings//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{site_name}: device trials")
    for booking in bookings:
        if not booking.active:
            continue
        device = devices.get(booking.device_id)
        name = device.name if device else booking.device_id
        event = Event()
        # The booking's uid is the same on every terminal of a site and at the hub: the same
        # booking exported at two terminals is one event in a calendar, not two.
        event.add("uid", f"booking-{booking.uid or booking.id}@{uid_domain}")
        if booking.blocked:
            # Staff's own time: what for, not a code nobody will bring to the desk.
            event.add("summary", f"{name}: {booking.reason or 'blocked'}")
        else:
            event.add("summary", f"{name}: {booking.printed_code}")
        event.add("dtstart", booking.start)
        event.add("dtend", booking.end)
        event.add("dtstamp", stamp.astimezone(UTC))
        # The calendar is the staff's, named in the site's language: the place in the language
        # the site wrote first (a plain string in the config is the same in every language).
        if device and (place := device.place("")):
            event.add("location", place)
        if booking.blocked:
            event.add(
                "description",
                f"Blocked {booking.printed_code} ({booking.status.value})"
                + (f": {booking.reason}" if booking.reason else ""),
            )
        else:
            event.add(
                "description",
                f"Booking {booking.printed_code} ({booking.status.value})"
                + (", walk-in" if booking.walk_in else ""),
            )
        event.add("transp", "OPAQUE")  # busy time, as a calendar shows it
        waiting = booking.status in (BookingStatus.PENDING, BookingStatus.PROVISIONAL)
        event.add("status", "TENTATIVE" if waiting else "CONFIRMED")
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())


def write_csv(path: Path, bookings: Iterable[Booking], devices: Mapping[str, DevicePolicy]) -> Path:
    """The table at ``path``, readable by the kiosk's user only: it holds visitors' names."""
    write_atomically(path, bookings_csv(bookings, devices).encode("utf-8-sig"), mode=PRIVATE)
    return path


def write_ics(
    path: Path,
    bookings: Iterable[Booking],
    devices: Mapping[str, DevicePolicy],
    *,
    site_name: str,
    stamp: datetime,
) -> Path:
    """The calendar at ``path``, private as well (it holds the booking codes)."""
    write_atomically(path, bookings_ics(bookings, devices, site_name=site_name, stamp=stamp))
    return path
