"""`kiosk bookings add|export|slip`: a booking made by staff (at the desk or on the phone), a
period's bookings as CSV or iCalendar, one booking's PDF slip."""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from kiosk import resources
from kiosk.app import ensure_qt_app
from kiosk.commands.common import EXIT_FAILED, EXIT_OK, EXIT_USAGE, data_dir, offscreen, period
from kiosk.commands.database import open_storage
from kiosk.config import SiteConfig
from kiosk.core.bookings import (
    Booking,
    BookingProblem,
    BookingRequest,
    BookingService,
    BookingStatus,
    BookOutcome,
    HubAnswer,
    NameProblem,
    Slot,
    name_problem,
)
from kiosk.core.bookings.export import write_csv, write_ics
from kiosk.core.i18n import LANGUAGE_CODES, Translator
from kiosk.storage.drives import is_inside
from kiosk.terminal import make_booking_service, make_usage

# Why a booking was refused, for staff at the command line.
REFUSALS = {
    BookingProblem.UNKNOWN_DEVICE: "no such device",
    BookingProblem.DEVICE_UNAVAILABLE: "the device is marked broken or in repair",
    BookingProblem.NEEDS_WIPING: "the last visitor's data is still on the device",
    BookingProblem.IN_PAST: "this time has passed",
    BookingProblem.CLOSED: "the site is closed on this day",
    BookingProblem.OUTSIDE_HOURS: "this is outside the opening hours",
    BookingProblem.BLACKOUT: "the device is blocked at this time",
    BookingProblem.OVERLAP: "the device is already booked at this time",
    BookingProblem.BUFFER: "too close to another booking of the device (it needs time between)",
    BookingProblem.TOO_SOON: "this starts too soon for the device (its lead time; --walk-in "
    "books at once)",
    BookingProblem.TOO_FAR: "this is too far ahead for the device",
    BookingProblem.TOO_SHORT: "this is shorter than the device allows",
    BookingProblem.TOO_LONG: "this is longer than the device allows",
    BookingProblem.OFF_GRID: "slots of the device start at fixed times",
    BookingProblem.NO_NETWORK: "the hub cannot be reached and this site books only through it "
    '([bookings] offline_bookings = "refuse")',
    BookingProblem.NAME_LIMIT: "the hub has as many open bookings for this name on that day as "
    "[bookings] max_open_per_name_per_day allows (--walk-in books all the same)",
    BookingProblem.COOL_DOWN: "a visitor booked at this kiosk a moment ago "
    "([bookings] cooldown_s); try again in a few seconds",
}
NAME_PROBLEMS = {
    NameProblem.EMPTY: "a first name or a nickname is needed",
    NameProblem.TOO_LONG: "too long (a first name or a nickname is enough)",
    NameProblem.HIDDEN_CHARACTER: "contains an invisible character",
}
# What each status of a new booking means, after its code and status word.
MEANINGS = {
    BookingStatus.PENDING: "needs approval by staff",
    BookingStatus.PROVISIONAL: "the hub did not answer in time; it confirms the booking once "
    "this terminal syncs again, or, if the time was given to someone else meanwhile, staff see "
    "a conflict to move",
}


def bookings(args: argparse.Namespace, config: SiteConfig) -> int:
    if args.bookings_command not in ("add", "export", "slip"):
        print("usage: kiosk bookings add|export|slip …", file=sys.stderr)
        return EXIT_USAGE
    if args.bookings_command == "add":
        return add(args, config)
    verb = f"bookings {args.bookings_command}"
    first = last = date.min
    if args.bookings_command == "export":
        days = period(args, verb)
        if days is None:
            return EXIT_USAGE
        first, last = days
        if not args.out.parent.is_dir():
            print(f"{verb}: {args.out.parent}: no such folder; nothing written", file=sys.stderr)
            return EXIT_USAGE
        if is_inside(args.out, data_dir(args)):
            # A list of names there would outlive their purge (and be copied with the folder).
            print(
                f"{verb}: {args.out} is inside the data folder; write it elsewhere "
                "(the file is readable by the kiosk's user only); nothing written",
                file=sys.stderr,
            )
            return EXIT_USAGE
    storage = open_storage(args, config, verb)
    if storage is None:
        return EXIT_FAILED
    try:
        service = make_booking_service(config, storage)
        if args.bookings_command == "export":
            return _export(args, config, service, first, last)
        return _slip(args, config, service)
    finally:
        storage.close()


def _export(
    args: argparse.Namespace, config: SiteConfig, service: BookingService, first: date, last: date
) -> int:
    bookings = service.bookings_between(first, last)
    devices = {device.id: device for device in service.devices}
    try:
        if args.format == "csv":
            write_csv(args.out, bookings, devices)
        else:
            write_ics(args.out, bookings, devices, site_name=config.site.name, stamp=service.now())
    except OSError as error:
        print(
            f"bookings export: {args.out}: {error.strerror or error}; nothing written",
            file=sys.stderr,
        )
        return EXIT_USAGE
    print(f"{args.out}: {len(bookings)} booking{'' if len(bookings) == 1 else 's'}")
    return EXIT_OK


def _slip(args: argparse.Namespace, config: SiteConfig, service: BookingService) -> int:
    if is_inside(args.out, data_dir(args)):
        # A slip names its visitor: there it would outlive the name's purge.
        print(
            f"bookings slip: {args.out} is inside the data folder; write it elsewhere; "
            "nothing written",
            file=sys.stderr,
        )
        return EXIT_USAGE
    booking = service.booking(args.code)
    if booking is None:
        print(f"bookings slip: no booking with the code {args.code!r}", file=sys.stderr)
        return EXIT_FAILED
    device = service.device(booking.device_id)
    if device is None:
        print(f"bookings slip: device {booking.device_id!r} is not in the config", file=sys.stderr)
        return EXIT_FAILED
    offscreen()
    # The slip's page layout, printing and QR code (Qt's print support and qrcode, ~15 ms)
    # load for a slip only, not for every export.
    from kiosk.ui.parts.booking_slip import booking_slip, house_rules_text
    from kiosk.ui.parts.printing import SlipWriteError, write_slip_pdf

    ensure_qt_app()
    language = args.lang or config.languages.default
    translator = Translator(resources.TRANSLATIONS, LANGUAGE_CODES, language)
    translator.set_language(language)
    fallbacks = config.learning.fallback_languages
    slip = booking_slip(
        booking,
        device,
        language=language,
        gettext=translator.gettext,
        ngettext=translator.ngettext,
        house_rules=house_rules_text(config.bookings.house_rules, language, fallbacks),
        no_show_minutes=config.bookings.no_show_minutes,
        fallbacks=fallbacks,
        paper=config.bookings.slip_paper,
    )
    try:
        write_slip_pdf(args.out, slip)
    except SlipWriteError as error:
        print(f"bookings slip: {error}; nothing written", file=sys.stderr)
        return EXIT_USAGE
    print(args.out)
    return EXIT_OK


@dataclass(frozen=True)
class Wanted:
    """A booking as staff asked for it on the command line, its arguments checked."""

    device_id: str
    start: datetime
    minutes: int
    name: str
    walk_in: bool


def add(args: argparse.Namespace, config: SiteConfig) -> int:
    """Book a slot for a visitor; on a terminal joined to a hub the hub decides, as for a
    booking at the kiosk's screen. Exit 0 with the code, 1 when refused, 2 on bad arguments
    (then nothing is written)."""
    wanted = _wanted(args, config)
    if wanted is None:
        return EXIT_USAGE
    storage = open_storage(args, config, "bookings add")
    if storage is None:
        return EXIT_FAILED
    try:
        usage, _statistics = make_usage(config, storage)
        service = make_booking_service(config, storage, usage)
        outcome = _book(config, service, wanted)
    finally:
        storage.close()
    if outcome.booking is not None:
        print(booked_line(outcome.booking))
        return EXIT_OK
    for line in refused_lines(outcome):
        print(line, file=sys.stderr)
    return EXIT_FAILED


def _wanted(args: argparse.Namespace, config: SiteConfig) -> Wanted | None:
    """The arguments as a booking, or None after one line saying what is wrong."""
    start = _start(args.start, ZoneInfo(config.site.timezone))
    minutes = _whole_number(args.minutes)
    named = name_problem(args.name)
    devices = [device.id for device in config.devices]
    problem = ""
    if args.device not in devices:
        problem = f"--device {args.device!r}: no such device (the site has {', '.join(devices)})"
    elif start is None:
        problem = f"--start {args.start!r}: expected a time like 2026-12-01T10:00"
    elif not 1 <= minutes <= 1440:
        problem = f"--minutes {args.minutes!r}: expected a whole number from 1 to 1440"
    elif named is not None:
        problem = f"--name: {NAME_PROBLEMS[named]}"
    if problem or start is None:
        print(f"bookings add: {problem}; nothing booked", file=sys.stderr)
        return None
    return Wanted(args.device, start, minutes, args.name, args.walk_in)


def _whole_number(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        return 0


def _start(text: str, zone: ZoneInfo) -> datetime | None:
    """An ISO time in the site's zone; one without a UTC offset is the site's local time."""
    try:
        start = datetime.fromisoformat(text)
    except ValueError:
        return None
    return start.replace(tzinfo=zone) if start.tzinfo is None else start.astimezone(zone)


def _book(config: SiteConfig, service: BookingService, wanted: Wanted) -> BookOutcome:
    """Booked here (a terminal alone), or checked here and decided by the hub."""
    if not service.joined:
        return service.book(
            wanted.device_id,
            wanted.start,
            wanted.minutes,
            wanted.name,
            walk_in=wanted.walk_in,
            by_staff=True,  # staff at the command line: no visitor limits here
        )
    checked = service.request_booking(
        wanted.device_id,
        wanted.start,
        wanted.minutes,
        wanted.name,
        walk_in=wanted.walk_in,
        by_staff=True,
    )
    if isinstance(checked, BookOutcome):
        return checked
    return service.settle_booking(checked, _ask_hub(config, checked))


def _ask_hub(config: SiteConfig, request: BookingRequest) -> HubAnswer:
    # The HTTP client loads for a terminal joined to a hub only.
    from kiosk.sync.client import HubSettingsError, ask_to_book, hub_settings

    try:
        settings = hub_settings(config)
    except HubSettingsError as error:
        print(f"bookings add: {error}; the hub cannot be asked", file=sys.stderr)
        return None
    return ask_to_book(settings, request)


def booked_line(booking: Booking) -> str:
    """``K7P-MR3 confirmed: tablet-1 2026-12-01 10:00-10:30`` (and what a status means)."""
    word = booking.status.value.replace("_", " ")
    line = f"{booking.printed_code} {word}: {booking.device_id} {_span(booking.start, booking.end)}"
    meaning = MEANINGS.get(booking.status)
    return f"{line} ({meaning})" if meaning else line


def refused_lines(outcome: BookOutcome) -> list[str]:
    """Why not, and the next free times instead."""
    if outcome.name_problem is not None:  # pragma: no cover - checked with the arguments
        return [f"bookings add: --name: {NAME_PROBLEMS[outcome.name_problem]}"]
    problem = outcome.problem or BookingProblem.OVERLAP
    lines = [f"bookings add: refused: {REFUSALS.get(problem, problem.value)}"]
    lines += [f"next free: {_slot(slot)}" for slot in outcome.alternatives]
    return lines


def _slot(slot: Slot) -> str:
    return f"{slot.device_id} {_span(slot.start, slot.end)}"


def _span(start: datetime, end: datetime) -> str:
    return f"{start:%Y-%m-%d %H:%M}-{end:%H:%M}"
