"""What the staff desk says about bookings and devices, in the staff member's language."""

from __future__ import annotations

from datetime import date

from babel.dates import format_skeleton

from kiosk.core.bookings import (
    Booking,
    BookingProblem,
    BookingStatus,
    DevicePolicy,
    DeviceStatus,
    NameProblem,
)
from kiosk.core.i18n import Translator, format_time, language, localise_digits

EXAMPLE_BOOKING_CODE = "K7P-MR3"


def isolated(text: str) -> str:
    """A code kept in one piece, left to right, inside right-to-left text ("6QH-APW" would
    otherwise be torn apart next to Arabic words)."""
    return f"\u2066{text}\u2069"


def device_name(device: DevicePolicy | None, device_id: str, code: str) -> str:
    """The device as staff know it, in their language where the site named it so."""
    return device.display_name(code) if device is not None else device_id


def booking_status_text(tr: Translator, status: BookingStatus) -> str:
    _ = tr.gettext
    texts = {
        BookingStatus.PENDING: _("Waiting for approval"),
        BookingStatus.CONFIRMED: _("Confirmed"),
        BookingStatus.CHECKED_IN: _("Checked in"),
        BookingStatus.CANCELLED: _("Cancelled"),
        BookingStatus.NO_SHOW: _("No-show"),
        # TRANSLATORS: a booking's status: booked here while the hub could not be reached
        BookingStatus.PROVISIONAL: _("Provisional"),
        # TRANSLATORS: a booking's status: the hub gave its time to another booking
        BookingStatus.CONFLICT: _("Conflict"),
    }
    return texts[status]


def device_status_text(tr: Translator, status: DeviceStatus) -> str:
    _ = tr.gettext
    texts = {
        # TRANSLATORS: a device's status badge: ready to be lent
        DeviceStatus.AVAILABLE: _("Ready"),
        # TRANSLATORS: a device's status badge: the last visitor's data must be deleted first
        DeviceStatus.NEEDS_WIPING: _("Needs wiping"),
        DeviceStatus.BROKEN: _("Broken"),
        DeviceStatus.IN_REPAIR: _("In repair"),
    }
    return texts[status]


def turnaround_text(tr: Translator) -> str:
    """The legend's word for the buffer after each booking (charging, wiping)."""
    # TRANSLATORS: the time after a booking when a device is charged and wiped
    return tr.gettext("Turnaround")


def visitor_name(tr: Translator, booking: Booking) -> str:
    """The name on the booking, or that it was deleted (names are purged after some days); for a
    block, what it is held for ("Blocked: Workshop")."""
    if booking.blocked:
        return tr.gettext("Blocked: {reason}").format(reason=booking.reason or "–")
    return booking.name if booking.name is not None else tr.gettext("(name deleted)")


def time_range(tr: Translator, booking: Booking) -> str:
    code = tr.current.code
    return f"{format_time(booking.start, code)}\u2013{format_time(booking.end, code)}"


def problem_text(tr: Translator, problem: BookingProblem) -> str:
    """Why the desk could not book or move: what happened and what to do."""
    _ = tr.gettext
    texts = {
        BookingProblem.UNKNOWN_DEVICE: _(
            "This is not possible with this device (only devices of the same kind)."
        ),
        BookingProblem.DEVICE_UNAVAILABLE: _(
            "The device is marked broken or in repair. Mark it available first."
        ),
        BookingProblem.NEEDS_WIPING: _(
            "The last visitor's data is still on the device. Wipe it and mark it wiped first."
        ),
        BookingProblem.IN_PAST: _("This slot has passed."),
        BookingProblem.CLOSED: _("The site is closed on this day."),
        BookingProblem.OUTSIDE_HOURS: _("This is outside the opening hours."),
        BookingProblem.BLACKOUT: _("The device is blocked at this time."),
        BookingProblem.OVERLAP: _("The device is already booked at this time."),
        BookingProblem.BUFFER: _(
            "Too close to another booking of the device: it needs time in between."
        ),
        BookingProblem.TOO_SOON: _("This starts too soon for this device."),
        BookingProblem.TOO_FAR: _("This is too far ahead for this device."),
        BookingProblem.TOO_SHORT: _("This is shorter than the device allows."),
        BookingProblem.TOO_LONG: _("This is longer than the device allows."),
        BookingProblem.OFF_GRID: _("Slots start at fixed times; please choose one of them."),
        BookingProblem.NO_NETWORK: " ".join(
            (
                _("The hub cannot be reached."),
                _("This site books only through the hub."),
                _("Please try again in a moment."),
            )
        ),
    }
    return texts[problem]


def name_problem_text(tr: Translator, problem: NameProblem) -> str:
    _ = tr.gettext
    texts = {
        NameProblem.EMPTY: _("Please type a first name or a nickname."),
        NameProblem.TOO_LONG: _("The name is too long. A first name or a nickname is enough."),
        NameProblem.HIDDEN_CHARACTER: _(
            "The name contains an invisible character. Please type it again."
        ),
    }
    return texts[problem]


def day_title(day: date, code: str, skeleton: str = "MMMEd") -> str:
    """A short weekday and date ("Di., 1. Dez."), or another CLDR skeleton of the day."""

    return localise_digits(format_skeleton(skeleton, day, locale=language(code).babel_locale), code)
