"""`kiosk stats export` and `kiosk demo-data`: the anonymised figures out, synthetic activity in."""

from __future__ import annotations

import argparse
import sys
from datetime import timedelta
from zoneinfo import ZoneInfo

from kiosk.commands.busy_day import parse_moment, seed_busy_day
from kiosk.commands.common import EXIT_FAILED, EXIT_OK, EXIT_USAGE, export_period, whole_months
from kiosk.commands.database import open_storage
from kiosk.config import SiteConfig
from kiosk.core.courses import load_catalogue
from kiosk.core.stats import ExportError, PeriodError
from kiosk.core.stats.demo import synthetic_events
from kiosk.terminal import make_booking_service, make_usage


def stats(args: argparse.Namespace, config: SiteConfig) -> int:
    if args.stats_command != "export":
        print("usage: kiosk stats export --from DATE --to DATE --out DIR", file=sys.stderr)
        return EXIT_USAGE
    verb = "stats export"
    days = export_period(args, verb)
    if days is None:
        return EXIT_USAGE
    storage = open_storage(args, config, verb)
    if storage is None:
        return EXIT_FAILED
    try:
        _events, statistics = make_usage(config, storage)
        span = statistics.span(*days, args.period)
        if span.widened:
            print(f"{verb}: {whole_months(span.first, span.last)}", file=sys.stderr)
        folder = statistics.export(span, args.out)
    except (ExportError, PeriodError) as error:
        print(f"{verb}: {error}; nothing written", file=sys.stderr)
        return EXIT_USAGE
    finally:
        storage.close()
    print(folder)
    return EXIT_OK


def demo_data(args: argparse.Namespace, config: SiteConfig) -> int:
    """Synthetic usage events for the last --days days and some bookings for the next week."""
    if not 1 <= args.days <= 3650:
        print("demo-data: --days must be from 1 to 3650", file=sys.stderr)
        return EXIT_USAGE
    busy = None
    if args.busy_day:
        busy = parse_moment(args.busy_day, ZoneInfo(config.site.timezone))
        if busy is None:
            print(
                "demo-data: --busy-day must be a day or a site-local time, e.g. 2026-12-08 or "
                f"2026-12-08T11:00; got {args.busy_day!r}",
                file=sys.stderr,
            )
            return EXIT_USAGE
    if config.joined_hub:
        print(
            "demo-data: this terminal is joined to a hub, so synthetic activity would enter the "
            "city's figures; use a config without [hub] (or the demo site)",
            file=sys.stderr,
        )
        return EXIT_USAGE
    storage = open_storage(args, config, "demo-data")
    if storage is None:
        return EXIT_FAILED
    try:
        service = make_booking_service(config, storage)
        yesterday = service.today() - timedelta(days=1)
        courses = [course.id for course in load_catalogue(config.courses_root())]
        events = storage.usage.add_events(
            synthetic_events(yesterday, args.days, courses=courses, device_kinds=service.kinds())
        )
        # The busy day first: its workshop block needs its afternoon free.
        busy_booked = 0 if busy is None else seed_busy_day(config, storage, busy)
        booked = 0
        for offset in range(7):
            day = service.today() + timedelta(days=offset)
            if busy is not None and day == busy.date():
                continue
            for device in service.visitor_devices():
                for slot in service.free_slots(device.id, day)[1::5]:
                    outcome = service.book(
                        device.id, slot.start, slot.minutes, f"Demo {booked + 1}", by_staff=True
                    )
                    booked += outcome.ok
    finally:
        storage.close()
    summary = f"{events} usage events over {args.days} days, {booked} bookings ahead"
    if busy is not None:
        summary += f", {busy_booked} on {busy.date().isoformat()} as at {busy:%H:%M}"
    print(f"{storage.data_dir}: {summary}")
    return EXIT_OK
