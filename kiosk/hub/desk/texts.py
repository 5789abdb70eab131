"""What the desk's pages say about bookings, devices, terminals and figures: English msgids
(translated where shown, through the terminals' catalogues) and the messages after an action.

The booking texts are the terminals' own (kiosk.ui.staff.texts), word for word, so staff read
the same sentence at the web desk as at a terminal and each is translated once.
"""

from __future__ import annotations

from datetime import date

from babel.dates import format_skeleton
from babel.numbers import format_decimal

from kiosk.core.bookings import BookingProblem, BookingStatus, DeviceStatus, SearchFilter
from kiosk.core.i18n import N_, language, localise_digits
from kiosk.hub.desk.web import add_flash

BOOKING_STATUS = {
    BookingStatus.PENDING: N_("Waiting for approval"),
    BookingStatus.CONFIRMED: N_("Confirmed"),
    BookingStatus.CHECKED_IN: N_("Checked in"),
    BookingStatus.CANCELLED: N_("Cancelled"),
    BookingStatus.NO_SHOW: N_("No-show"),
    # TRANSLATORS: a booking's status: booked here while the hub could not be reached
    BookingStatus.PROVISIONAL: N_("Provisional"),
    # TRANSLATORS: a booking's status: the hub gave its time to another booking
    BookingStatus.CONFLICT: N_("Conflict"),
}

DEVICE_STATUS = {
    # TRANSLATORS: a device's status badge: ready to be lent
    DeviceStatus.AVAILABLE: N_("Ready"),
    # TRANSLATORS: a device's status badge: the last visitor's data must be deleted first
    DeviceStatus.NEEDS_WIPING: N_("Needs wiping"),
    DeviceStatus.BROKEN: N_("Broken"),
    DeviceStatus.IN_REPAIR: N_("In repair"),
}

# After a redirect, with the booking's code ({code}) where the action had one.
DONE_WITH_CODE = {
    "booked": N_("Booked. The booking code is {code}."),
    "cancelled": N_("Booking {code} is cancelled."),
    "checked_in": N_("Booking {code} is checked in."),
    "moved": N_("Booking {code} is moved. It keeps its code."),
    "edited": N_("Booking {code} is changed. It keeps its code."),
    "restored": N_("The no-show of booking {code} is undone: the visitor is checked in."),
    "unblocked": N_("The block {code} is removed. The device is free at that time."),
}
for _key, _text in (
    ("booked", N_("Booked.")),
    ("cancelled", N_("The booking is cancelled.")),
    ("checked_in", N_("The visitor is checked in.")),
    ("moved", N_("The booking is moved.")),
    ("edited", N_("The booking is changed.")),
    ("restored", N_("The visitor is checked in.")),
    ("unblocked", N_("The block is removed.")),
    ("blocked", N_("The device is blocked.")),
    (
        "exception_added",
        N_("The date exception is saved. The terminals use it after their next sync."),
    ),
    ("exception_removed", N_("The date exception is removed. The usual opening hours apply.")),
):
    add_flash(_key, _text)

_PROBLEMS = {
    BookingProblem.UNKNOWN_DEVICE: N_(
        "This is not possible with this device (only devices of the same kind)."
    ),
    BookingProblem.DEVICE_UNAVAILABLE: N_(
        "The device is marked broken or in repair. Mark it available first."
    ),
    BookingProblem.NEEDS_WIPING: N_(
        "The last visitor's data is still on the device. Wipe it and mark it wiped first."
    ),
    BookingProblem.IN_PAST: N_("This slot has passed."),
    BookingProblem.CLOSED: N_("The site is closed on this day."),
    BookingProblem.OUTSIDE_HOURS: N_("This is outside the opening hours."),
    BookingProblem.BLACKOUT: N_("The device is blocked at this time."),
    BookingProblem.OVERLAP: N_("The device is already booked at this time."),
    BookingProblem.BUFFER: N_(
        "Too close to another booking of the device: it needs time in between."
    ),
    BookingProblem.TOO_SOON: N_("This starts too soon for this device."),
    BookingProblem.TOO_FAR: N_("This is too far ahead for this device."),
    BookingProblem.TOO_SHORT: N_("This is shorter than the device allows."),
    BookingProblem.TOO_LONG: N_("This is longer than the device allows."),
    BookingProblem.OFF_GRID: N_("Slots start at fixed times; please choose one of them."),
    BookingProblem.NO_NETWORK: N_("This site books only through the hub."),
}
for _problem, _text in _PROBLEMS.items():
    add_flash(_problem.value, _text)


def problem_text(key: str) -> str | None:
    """The msgid saying why a booking rule refused (``key``: a BookingProblem's value)."""
    return next((text for problem, text in _PROBLEMS.items() if problem.value == key), None)


for _key, _text in (
    ("name_empty", N_("Please type a first name or a nickname.")),
    ("name_too_long", N_("The name is too long. A first name or a nickname is enough.")),
    (
        "name_hidden_character",
        N_("The name contains an invisible character. Please type it again."),
    ),
    ("unknown_booking", N_("This booking does not exist (any more) at this site.")),
    ("not_active", N_("This booking is not active any more; nothing was changed.")),
    ("bad_input", N_("Please fill in every field with a valid value. Nothing was changed.")),
    ("check_in_already", N_("This visitor is checked in already.")),
    ("check_in_pending", N_("This booking still needs approval.")),
    ("check_in_cancelled", N_("This booking was cancelled.")),
    ("check_in_no_show", N_("This booking was released: the visitor did not come in time.")),
    (
        "check_in_conflict",
        N_("This booking is in conflict with another one. Move it to a free slot first."),
    ),
    (
        "check_in_not_now",
        N_("Check-in is possible from one hour before the start until the end of the booking."),
    ),
    ("check_in_unknown", N_("This booking does not exist (any more) at this site.")),
    ("check_in_malformed", N_("This booking does not exist (any more) at this site.")),
    ("unchanged", N_("Nothing was changed: the booking already has this slot and device.")),
    (
        "not_restorable",
        N_(
            "The no-show cannot be undone: the booking's slot is over, or another booking "
            "has the device now."
        ),
    ),
    ("unknown_block", N_("This block does not exist (any more) at this site.")),
    ("unknown_exception", N_("This date exception does not exist (any more) at this site.")),
    (
        "exception_hours",
        N_("Shorter hours need an opening and a closing time, the closing time after it."),
    ),
    (
        "exception_note",
        N_("The note is too long or contains an invisible character. Nothing was changed."),
    ),
    (
        "block_reason",
        N_("Please give a reason of up to 80 characters, for example “Workshop”."),
    ),
    (
        "export_refused",
        N_("No export for this period: only whole months that are over are published."),
    ),
):
    add_flash(_key, _text)

# A device block in a list of bookings: it has no visitor and no status of its own.
BLOCKED = N_("Blocked")

SEARCH_FILTERS = {
    SearchFilter.WAITING: N_("Waiting for approval"),
    SearchFilter.NO_SHOW_TODAY: N_("No-show today"),
    SearchFilter.CONFLICT: N_("Conflict"),
    SearchFilter.BLOCKED: N_("Device blocks"),
}

# The flags of `kiosk hub status`, for people.
FLAGS = {
    # TRANSLATORS: a terminal's flag: it has not been in touch with the hub for a while
    "silent": N_("Silent"),
    # TRANSLATORS: a terminal's flag: many changes wait to be sent to the hub
    "backlog": N_("Backlog"),
    # TRANSLATORS: a terminal's flag: its database file is damaged
    "database": N_("Database damaged"),
    "disk": N_("Disk almost full"),
    # TRANSLATORS: a terminal's flag: it refused the site config the hub sent
    "config": N_("Config refused"),
    # TRANSLATORS: a terminal's flag: it refused a course package the hub sent
    "courses": N_("Course refused"),
    # TRANSLATORS: a terminal's flag: the kiosk ended unexpectedly in the last 24 hours
    "crashed": N_("Crashed"),
}
PRINTER = {
    "ready": N_("Ready"),
    # TRANSLATORS: the slip printer is printing
    "busy": N_("Printing"),
    "error": N_("Printer error"),
    "none": N_("No printer"),
    "unknown": N_("Unknown"),
}

CHARTS = {
    "visitor_sessions": N_("Visitor sessions per day"),
    "course_participants": N_("Courses started"),
    "sessions_by_language": N_("Sessions by language"),
}
NOT_PUBLISHED = N_("These figures are not published yet: only months that are over are shown.")
FIGURES_PROBLEMS = {"incomplete": NOT_PUBLISHED}


def isolated(text: str) -> str:
    """A code kept in one piece, left to right, inside right-to-left text."""
    return f"\u2066{text}\u2069"


def day_title(day: date, code: str, skeleton: str = "MMMEd") -> str:
    """A weekday and date in the language ("Mi., 9. Dez."), or another CLDR skeleton."""
    return localise_digits(format_skeleton(skeleton, day, locale=language(code).babel_locale), code)


def gigabytes(count: int, code: str) -> str:
    """Bytes as gigabytes with one decimal, in the language's digits ("12,3 GB")."""
    value = format_decimal(
        round(count / 1024**3, 1), format="#,##0.0", locale=language(code).babel_locale
    )
    return localise_digits(f"{value} GB", code)
