"""What the booking pages say: device kinds, refusals, statuses, days and lengths, in plain words.

Every sentence is short and plain: many visitors are new to devices, and a later pass
translates every string into the kiosk's eight languages (Leichte Sprache among them).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from babel import Locale
from babel.dates import format_date, format_skeleton, match_skeleton

from kiosk import resources
from kiosk.core.bookings import BookingProblem, BookingStatus, DevicePolicy, NameProblem
from kiosk.core.i18n import N_, Translator, language, localise_digits

if TYPE_CHECKING:
    from kiosk.core.bookings import BookingService

Bookings = Callable[[], "BookingService | None"]
"""The booking service, or None while the database is still opening (or could not open)."""

DEVICE_PICTURES = resources.ASSETS / "devices"

# What a course's "Try a device for this" leads to: the page title names the kind.
KIND_TITLES: dict[str, str] = {
    "tablet": N_("Try a tablet"),
    "smartphone": N_("Try a smartphone"),
    "vr-headset": N_("Try a VR headset"),
    "e-reader": N_("Try an e-reader"),
    "smart-speaker": N_("Try a smart speaker"),
    "robot-vacuum": N_("Try a robot vacuum"),
}

_STATUS: dict[BookingStatus, str] = {
    BookingStatus.CONFIRMED: N_("Booked"),
    BookingStatus.PENDING: N_("Waiting for staff confirmation"),
    BookingStatus.CHECKED_IN: N_("Checked in"),
    BookingStatus.CANCELLED: N_("Cancelled"),
    BookingStatus.NO_SHOW: N_("Nobody came in time. The device was given to someone else."),
    BookingStatus.PROVISIONAL: N_("Booked, not yet confirmed"),
    BookingStatus.CONFLICT: N_("Needs a new slot"),
}

_NAME: dict[NameProblem, str] = {
    NameProblem.EMPTY: N_("Please type a first name or a nickname."),
    NameProblem.HIDDEN_CHARACTER: N_(
        "The name contains hidden characters. Please type it again with the keyboard."
    ),
}


def device_picture(device: DevicePolicy) -> Path:
    """The device's photo if the site has one, else the kiosk's drawing of its kind."""
    if device.photo and Path(device.photo).is_file():
        return Path(device.photo)
    drawing = DEVICE_PICTURES / f"{device.kind}.svg"
    return drawing if drawing.is_file() else DEVICE_PICTURES / "generic.svg"


def device_name(device: DevicePolicy, tr: Translator, fallbacks: Sequence[str]) -> str:
    """The device's name in the visitor's language.

    The plain ``name`` of a device is written in the site's default language, so it comes before
    the fallback languages there (a German visitor reads "Android-Tablet", not "Android tablet").
    """
    code = tr.current.code
    if code not in device.names and code == tr.default.code:
        return device.name
    return device.display_name(code, fallbacks)


def minutes_text(tr: Translator, minutes: int) -> str:
    """A length of time, e.g. "30 minutes" (Persian digits in Persian)."""
    return tr.ngettext("{n} minute", "{n} minutes", minutes).format(n=tr.number(minutes))


def status_text(tr: Translator, status: BookingStatus) -> str:
    return tr.gettext(_STATUS[status])


def conflict_text(gettext: Callable[[str], str]) -> str:
    """What happened to a booking the hub gave to someone else, and what to do."""
    _ = gettext
    return " ".join(
        (
            _("This kiosk was offline when you booked."),
            _("Meanwhile the slot was given to another booking."),
            _("Our staff will offer you another slot. Please ask at the desk."),
        )
    )


def name_problem_text(tr: Translator, problem: NameProblem, limit: int) -> str:
    """Why the typed name cannot be used, and what to do instead."""
    if problem is NameProblem.TOO_LONG:
        return tr.ngettext(
            "The name is too long. Please use at most {n} character.",
            "The name is too long. Please use at most {n} characters.",
            limit,
        ).format(n=tr.number(limit))
    return tr.gettext(_NAME[problem])


def problem_text(tr: Translator, problem: BookingProblem, device: DevicePolicy | None) -> str:
    """Why this time cannot be booked, in words a beginner understands."""
    _ = tr.gettext
    if problem in (BookingProblem.OVERLAP, BookingProblem.BUFFER):
        return _("Just taken: someone else booked this slot a moment ago.")
    if problem is BookingProblem.TOO_SOON and device is not None:
        return tr.ngettext(
            "This slot starts too soon. Please book at least {n} minute ahead.",
            "This slot starts too soon. Please book at least {n} minutes ahead.",
            device.lead_minutes,
        ).format(n=tr.number(device.lead_minutes))
    if problem is BookingProblem.TOO_FAR and device is not None:
        return tr.ngettext(
            "This day is too far ahead. You can book up to {n} day ahead.",
            "This day is too far ahead. You can book up to {n} days ahead.",
            device.advance_days,
        ).format(n=tr.number(device.advance_days))
    texts = {
        BookingProblem.IN_PAST: _("This slot has already passed."),
        BookingProblem.DEVICE_UNAVAILABLE: _("Sorry, this device cannot be lent at the moment."),
        BookingProblem.NEEDS_WIPING: _(
            "This device is being made ready for the next visitor. You can book it for another day."
        ),
        BookingProblem.CLOSED: _("We are closed on this day."),
        BookingProblem.OUTSIDE_HOURS: _(
            "This is outside our opening hours. Please choose a shorter time."
        ),
        BookingProblem.BLACKOUT: _("This device is not available at this time."),
        BookingProblem.TOO_LONG: _("This is longer than the device can be lent."),
        BookingProblem.NO_NETWORK: _(
            "Bookings need the network at the moment. Please ask at the desk."
        ),
    }
    return texts.get(problem, _("This slot cannot be booked."))


def limit_text(
    tr: Translator, problem: BookingProblem, *, limit: int, wait_s: int, today: bool
) -> str:
    """Why a visitor cannot book now (BookingProblem.NAME_LIMIT or COOL_DOWN), and what to do;
    "" for any other problem. ``today``: the slot asked for is on today's date."""
    if problem is BookingProblem.NAME_LIMIT and limit > 0:
        if today:
            text = tr.ngettext(
                "You already have {n} booking today. "
                "Please cancel one with its code, or ask the staff.",
                "You already have {n} bookings today. "
                "Please cancel one with its code, or ask the staff.",
                limit,
            )
        else:
            text = tr.ngettext(
                "You already have {n} booking on this day. "
                "Please cancel one with its code, or ask the staff.",
                "You already have {n} bookings on this day. "
                "Please cancel one with its code, or ask the staff.",
                limit,
            )
        return text.format(n=tr.number(limit))
    if problem is BookingProblem.COOL_DOWN:
        return tr.ngettext(
            "A booking was just made at this kiosk. Please wait {n} second, then try again.",
            "A booking was just made at this kiosk. Please wait {n} seconds, then try again.",
            wait_s,
        ).format(n=tr.number(wait_s))
    return ""


def day_forms(
    day: date, today: date, code: str, tr: Translator, *, is_open: bool = True
) -> tuple[tuple[str, ...], ...]:
    """The lines of a day button, each in its forms from the full words to the shortest:
    "Today" or the weekday ("Thursday", "Thu", "T"), the date ("Dec 10", "12/10", "10"), and
    for a closed day "Closed". A day is a seventh of the page wide (a column a weekday): at
    large text sizes only the shorter forms fit (kiosk.ui.bookings.day_button)."""

    locale = language(code).babel_locale
    _ = tr.gettext
    weekday = tuple(format_date(day, width, locale=locale) for width in ("EEEE", "EEE", "EEEEE"))
    if day == today:
        first = (_("Today"), *weekday[1:])
    elif (day - today).days == 1:
        first = (_("Tomorrow"), *weekday[1:])
    else:
        first = weekday
    second = tuple(
        localise_digits(format_skeleton(skeleton, day, locale=locale), code)
        for skeleton in ("MMMd", "Md", "d")
    )
    lines = [_unique(first), _unique(second)]
    if not is_open:
        # TRANSLATORS: a closed day in the week of days when "Closed" is too wide for its
        # column at the largest text sizes: as short as the language allows (German "Zu").
        lines.append(_unique((_("Closed"), _("Shut"))))
    return tuple(lines)


def _unique(forms: Sequence[str]) -> tuple[str, ...]:
    """The forms without repeats (many languages abbreviate some weekdays not at all)."""
    return tuple(dict.fromkeys(forms))


def long_day(day: date, code: str) -> str:
    """Weekday and date as the language writes them ("Mittwoch, 2. Dezember")."""

    locale = Locale.parse(language(code).babel_locale)
    # The locale's own order for weekday, day and month, widened to full names (as the slip).
    skeleton = match_skeleton("MMMMEEEEd", locale.datetime_skeletons) or "MMMMEd"
    pattern = str(locale.datetime_skeletons[skeleton])
    pattern = re.sub(r"(?<![Ec])([Ec])\1{0,2}(?![Ec])", r"\1\1\1\1", pattern)
    pattern = re.sub(r"(?<![ML])([ML])\1{0,2}(?![ML])", r"\1\1\1\1", pattern)
    return localise_digits(format_date(day, pattern, locale=locale), code)
