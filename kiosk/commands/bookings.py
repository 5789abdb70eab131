"""`kiosk bookings export|slip`: a period's bookings as CSV or iCalendar, one booking's PDF slip."""

from __future__ import annotations

import argparse
import sys
from datetime import date

from kiosk import resources
from kiosk.app import ensure_qt_app, make_booking_service
from kiosk.commands.common import EXIT_FAILED, EXIT_OK, EXIT_USAGE, offscreen, period
from kiosk.commands.database import open_storage
from kiosk.config import SiteConfig
from kiosk.core.bookings import BookingService
from kiosk.core.bookings.export import write_csv, write_ics
from kiosk.core.i18n import LANGUAGE_CODES, Translator


def bookings(args: argparse.Namespace, config: SiteConfig) -> int:
    if args.bookings_command not in ("export", "slip"):
        print("usage: kiosk bookings export|slip …", file=sys.stderr)
        return EXIT_USAGE
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
    from kiosk.ui.bookings.slip import booking_slip, house_rules_text
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
