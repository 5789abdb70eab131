"""`kiosk` command line: run, check, set-pin, selftest, screenshots, courses, bookings."""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import kiosk
from kiosk import resources
from kiosk.paths import resolve_data_dir

# The config, the languages and everything else are imported where they are used: `kiosk run`
# loads them after `main` has paused the garbage collector for the start.
if TYPE_CHECKING:
    from datetime import date

    from kiosk.config import SiteConfig
    from kiosk.core.bookings import BookingService
    from kiosk.storage.database import Storage

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def common(sub: argparse.ArgumentParser) -> None:
    """--config and --data-dir, which most commands take."""
    sub.add_argument("--config", type=Path, help="site config (default: embedded demo site)")
    sub.add_argument("--data-dir", help="data directory (default: $KIOSK_HOME, else per user)")


def _run_arguments(run: argparse.ArgumentParser) -> None:
    from kiosk.core.i18n import LANGUAGE_CODES

    common(run)
    run.add_argument("--kiosk", action="store_true", help="locked full screen for terminals")
    run.add_argument("--lang", choices=LANGUAGE_CODES, help="start in this language")
    run.add_argument("--exit-when-ready", action="store_true", help=argparse.SUPPRESS)


def _run_parser() -> argparse.ArgumentParser:
    """Only `kiosk run`: what a terminal parses at every start (the full parser costs ~6 ms)."""
    run = argparse.ArgumentParser(prog="kiosk run", description="Start the kiosk.")
    _run_arguments(run)
    run.set_defaults(command="run")
    return run


def _parser() -> argparse.ArgumentParser:
    from kiosk.core.i18n import LANGUAGE_CODES

    parser = argparse.ArgumentParser(
        prog="kiosk", description="Probierladen Kiosk: learning modules and device trials."
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {kiosk.__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    run = commands.add_parser("run", help="start the kiosk (default)")
    _run_arguments(run)

    check = commands.add_parser(
        "check", help="validate config, courses, translations and the database"
    )
    common(check)

    courses = commands.add_parser("courses", help="course packages: 'kiosk courses check'")
    courses.set_defaults(config=None, courses_command=None)
    verbs = courses.add_subparsers(dest="courses_command", metavar="VERB")
    courses_check = verbs.add_parser(
        "check", help="validate course packages; exit 1 and one line per problem"
    )
    courses_check.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="a courses folder or one course folder (default: the site's courses folder)",
    )
    courses_check.add_argument(
        "--config", type=Path, help="site config whose courses folder is the default PATH"
    )

    bookings = commands.add_parser("bookings", help="device bookings: 'kiosk bookings export|slip'")
    bookings.set_defaults(config=None, data_dir=None, bookings_command=None)
    booking_verbs = bookings.add_subparsers(dest="bookings_command", metavar="VERB")
    export = booking_verbs.add_parser(
        "export", help="write the bookings of a period as CSV or iCalendar"
    )
    common(export)
    export.add_argument("--from", dest="first", required=True, metavar="YYYY-MM-DD")
    export.add_argument("--to", dest="last", required=True, metavar="YYYY-MM-DD")
    export.add_argument("--format", choices=("csv", "ics"), required=True)
    export.add_argument("--out", type=Path, required=True, metavar="FILE")
    slip = booking_verbs.add_parser("slip", help="write a booking's slip as PDF")
    common(slip)
    slip.add_argument("code", metavar="CODE", help="the booking code, e.g. K7P-MR3")
    slip.add_argument("--out", type=Path, required=True, metavar="FILE.pdf")
    slip.add_argument("--lang", choices=LANGUAGE_CODES, help="language of the slip")

    stats = commands.add_parser("stats", help="usage statistics: 'kiosk stats export'")
    stats.set_defaults(config=None, data_dir=None, stats_command=None)
    stats_verbs = stats.add_subparsers(dest="stats_command", metavar="VERB")
    stats_export = stats_verbs.add_parser(
        "export", help="write the anonymised usage figures (CSV, JSON, DCAT-AP.de) to a folder"
    )
    common(stats_export)
    stats_export.add_argument("--from", dest="first", required=True, metavar="YYYY-MM-DD")
    stats_export.add_argument("--to", dest="last", required=True, metavar="YYYY-MM-DD")
    stats_export.add_argument("--out", type=Path, required=True, metavar="DIR")
    stats_export.add_argument(
        "--period", choices=("day", "week", "month"), default="month", help="default: month"
    )

    demo = commands.add_parser(
        "demo-data", help="fill the database with synthetic activity for demos and training"
    )
    common(demo)
    demo.add_argument("--days", type=int, default=90, help="days of activity (default 90)")

    set_pin = commands.add_parser("set-pin", help="set the staff PIN of this terminal")
    common(set_pin)
    set_pin.add_argument(
        "--print-hash", action="store_true", help="print the hash for the config file instead"
    )

    selftest = commands.add_parser(
        "selftest", help="build the app offscreen and visit every screen"
    )
    common(selftest)

    shots = commands.add_parser("screenshots", help="render every screen to PNG")
    common(shots)
    shots.add_argument("--out", type=Path, required=True, help="output folder")
    shots.add_argument("--lang", default="", help="language code or 'all' (default: site default)")
    shots.add_argument("--size", default="1280x800", help="window size WxH (default 1280x800)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    given = list(argv if argv is not None else sys.argv[1:])
    # `kiosk`, `kiosk run …` and `kiosk --kiosk …` start the kiosk; help and --version and every
    # other command go through the full parser.
    if given[:1] == ["run"] or (
        all(arg.startswith("-") for arg in given[:1])
        and not {"-h", "--help", "--version"} & set(given)
    ):
        # The cyclic garbage collector pauses until the kiosk's first frame (kiosk.app.run_kiosk
        # resumes it there): while the kiosk imports and builds its first screen it would run
        # some 30 times (~4 ms), finding next to nothing, as what is made then lasts as long as
        # the kiosk. Every other way out of here resumes it too.
        gc.disable()
        try:
            run_args = given[1:] if given[:1] == ["run"] else given
            args = _run_parser().parse_args(run_args)
            return _dispatch(args)
        finally:
            gc.enable()
    gc.enable()  # (the bundle pauses it from its first line: packaging/rthook_gc_paused.py)
    return _dispatch(_parser().parse_args(given))


def _dispatch(args: argparse.Namespace) -> int:
    from kiosk.config import ConfigError

    command = args.command or "run"
    try:
        config = _load(args.config)
    except ConfigError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        return EXIT_USAGE
    handler = {
        "run": _run,
        "check": _check,
        "set-pin": _set_pin,
        "selftest": _selftest,
        "screenshots": _screenshots,
        "courses": _courses,
        "bookings": _bookings,
        "stats": _stats,
        "demo-data": _demo_data,
    }[command]
    return handler(args, config)


def _load(path: Path | None) -> SiteConfig:
    from kiosk.config import load_config

    return load_config(path if path is not None else resources.DEMO_CONFIG)


def _data_dir(args: argparse.Namespace) -> Path:
    return resolve_data_dir(args.data_dir)


def _run(args: argparse.Namespace, config: SiteConfig) -> int:
    from kiosk.app import run_kiosk
    from kiosk.logs import start_logging

    data_dir = _data_dir(args)
    try:
        start_logging(data_dir)
    except OSError as error:
        print(f"{data_dir}: cannot write the data directory: {error.strerror}", file=sys.stderr)
        return EXIT_USAGE
    return run_kiosk(
        config,
        data_dir,
        kiosk_mode=args.kiosk,
        language=args.lang,
        exit_when_ready=args.exit_when_ready,
    )


def _as_typed(path: Path) -> Path:
    """A default path as short as if the admin had typed it (relative to here when inside)."""
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path


def _check(args: argparse.Namespace, config: SiteConfig) -> int:
    from kiosk.core.courses import check_courses
    from kiosk.core.i18n import catalogue_path

    problems: list[str] = []
    problems.extend(str(p) for p in check_courses([_as_typed(config.courses_root())]).problems)
    for code in config.languages.enabled:
        mo = catalogue_path(resources.TRANSLATIONS, code)
        if code != "en" and not mo.exists():
            problems.append(f"{mo}:1: translations: compiled catalogue missing (run make)")
    database = _data_dir(args) / "kiosk.sqlite3"
    if database.exists():
        from kiosk.storage.database import check_database_file

        problems.extend(f"{database}:1: database: {p}" for p in check_database_file(database))
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        return EXIT_USAGE
    source = config.source or resources.DEMO_CONFIG
    print(f"{source}: ok")
    return EXIT_OK


def _courses(args: argparse.Namespace, config: SiteConfig) -> int:
    if args.courses_command != "check":
        print("usage: kiosk courses check [PATH ...]", file=sys.stderr)
        return EXIT_USAGE
    from kiosk.core.courses import check_courses

    paths = args.paths or [_as_typed(config.courses_root())]
    result = check_courses(paths)
    for problem in result.problems:
        print(problem)
    if not result.ok:
        return EXIT_FAILED
    print(f"{result.courses_ok} course{'' if result.courses_ok == 1 else 's'} OK")
    return EXIT_OK


def _bookings(args: argparse.Namespace, config: SiteConfig) -> int:
    if args.bookings_command not in ("export", "slip"):
        print("usage: kiosk bookings export|slip …", file=sys.stderr)
        return EXIT_USAGE
    from datetime import date

    from kiosk.app import make_booking_service

    verb = f"bookings {args.bookings_command}"
    first = last = date.min
    if args.bookings_command == "export":
        period = _period(args, verb)
        if period is None:
            return EXIT_USAGE
        first, last = period
        if not args.out.parent.is_dir():
            print(f"{verb}: {args.out.parent}: no such folder; nothing written", file=sys.stderr)
            return EXIT_USAGE
    storage = _open_storage(args, config, verb)
    if storage is None:
        return EXIT_FAILED
    try:
        service = make_booking_service(config, storage)
        if args.bookings_command == "export":
            return _export_bookings(args, config, service, first, last)
        return _booking_slip(args, config, service)
    finally:
        storage.close()


def _export_bookings(
    args: argparse.Namespace, config: SiteConfig, service: BookingService, first: date, last: date
) -> int:
    from kiosk.core.bookings.export import write_csv, write_ics

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


def _booking_slip(args: argparse.Namespace, config: SiteConfig, service: BookingService) -> int:
    booking = service.booking(args.code)
    if booking is None:
        print(f"bookings slip: no booking with the code {args.code!r}", file=sys.stderr)
        return EXIT_FAILED
    device = service.device(booking.device_id)
    if device is None:
        print(f"bookings slip: device {booking.device_id!r} is not in the config", file=sys.stderr)
        return EXIT_FAILED
    _offscreen()
    from kiosk.app import ensure_qt_app
    from kiosk.core.i18n import LANGUAGE_CODES, Translator
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


def _open_storage(args: argparse.Namespace, config: SiteConfig, verb: str) -> Storage | None:
    """The terminal's database, or None after saying why it cannot be opened."""
    from kiosk.storage.database import Storage, StorageError

    data_dir = _data_dir(args)
    try:
        return Storage.open(data_dir, backups_keep=config.storage.backups_keep)
    except (StorageError, OSError) as error:
        print(f"{verb}: {data_dir}: {error}", file=sys.stderr)
        return None


def _period(args: argparse.Namespace, verb: str) -> tuple[date, date] | None:
    """--from and --to as dates, or None after printing why they cannot be used."""
    from datetime import date

    try:
        first, last = date.fromisoformat(args.first), date.fromisoformat(args.last)
    except ValueError as error:
        print(f"{verb}: dates are YYYY-MM-DD: {error}", file=sys.stderr)
        return None
    if first > last:
        print(f"{verb}: --from {first} is after --to {last}", file=sys.stderr)
        return None
    return first, last


def _stats(args: argparse.Namespace, config: SiteConfig) -> int:
    if args.stats_command != "export":
        print("usage: kiosk stats export --from DATE --to DATE --out DIR", file=sys.stderr)
        return EXIT_USAGE
    verb = "stats export"
    period = _period(args, verb)
    if period is None:
        return EXIT_USAGE
    if not args.out.is_dir():
        print(f"{verb}: {args.out}: no such folder; nothing written", file=sys.stderr)
        return EXIT_USAGE
    from kiosk.app import make_usage
    from kiosk.core.stats import ExportError

    storage = _open_storage(args, config, verb)
    if storage is None:
        return EXIT_FAILED
    try:
        _events, statistics = make_usage(config, storage)
        folder = statistics.export(*period, args.out, period=args.period)
    except ExportError as error:
        print(f"{verb}: {error}; nothing written", file=sys.stderr)
        return EXIT_USAGE
    finally:
        storage.close()
    print(folder)
    return EXIT_OK


def _demo_data(args: argparse.Namespace, config: SiteConfig) -> int:
    """Synthetic usage events for the last --days days and some bookings for the next week."""
    if not 1 <= args.days <= 3650:
        print("demo-data: --days must be from 1 to 3650", file=sys.stderr)
        return EXIT_USAGE
    from datetime import timedelta

    from kiosk.app import make_booking_service
    from kiosk.core.courses import load_catalogue
    from kiosk.core.stats.demo import synthetic_events

    storage = _open_storage(args, config, "demo-data")
    if storage is None:
        return EXIT_FAILED
    try:
        service = make_booking_service(config, storage)
        yesterday = service.today() - timedelta(days=1)
        courses = [course.id for course in load_catalogue(config.courses_root())]
        events = storage.usage.add_events(
            synthetic_events(yesterday, args.days, courses=courses, device_kinds=service.kinds())
        )
        booked = 0
        for offset in range(7):
            day = service.today() + timedelta(days=offset)
            for device in service.visitor_devices():
                for slot in service.free_slots(device.id, day)[1::5]:
                    outcome = service.book(
                        device.id, slot.start, slot.minutes, f"Demo {booked + 1}"
                    )
                    booked += outcome.ok
    finally:
        storage.close()
    summary = f"{events} usage events over {args.days} days, {booked} bookings ahead"
    print(f"{storage.data_dir}: {summary}")
    return EXIT_OK


def _read_pin(prompt: str) -> str:
    if sys.stdin.isatty():
        import getpass  # with termios: only `set-pin` reads a PIN, not every start

        return getpass.getpass(prompt)
    line = sys.stdin.readline()  # scripted provisioning pipes the PIN in
    return line.rstrip("\r\n")


def _set_pin(args: argparse.Namespace, config: SiteConfig) -> int:
    from kiosk.core.staff_auth import StaffGate, hash_pin, validate_new_pin

    pin = _read_pin("New staff PIN: ")
    problem = validate_new_pin(pin)
    if problem:
        print(f"set-pin: {problem}", file=sys.stderr)
        return EXIT_FAILED
    if _read_pin("Repeat the PIN: ") != pin:
        print("set-pin: the two PINs differ; nothing was changed", file=sys.stderr)
        return EXIT_FAILED
    if args.print_hash:
        print(hash_pin(pin))
        return EXIT_OK
    from kiosk.storage.database import Storage, StorageError

    data_dir = _data_dir(args)
    try:
        storage = Storage.open(data_dir, backups_keep=config.storage.backups_keep)
        try:
            StaffGate(storage.settings).set_pin(pin)
            storage.staff_events.add("staff_pin_changed")
        finally:
            storage.close()
    except (StorageError, OSError) as error:
        print(f"set-pin: {data_dir}: {error}; nothing was changed", file=sys.stderr)
        return EXIT_FAILED
    print(f"Staff PIN set for {data_dir}")
    return EXIT_OK


def _offscreen() -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _selftest(args: argparse.Namespace, config: SiteConfig) -> int:
    _offscreen()
    from kiosk.tour import selftest

    return selftest(config, Path(args.data_dir) if args.data_dir else None)


def _screenshots(args: argparse.Namespace, config: SiteConfig) -> int:
    _offscreen()
    from kiosk.tour import screenshots

    try:
        width, height = (int(v) for v in args.size.lower().split("x"))
    except ValueError:
        print(f"screenshots: --size must be WxH, e.g. 1280x800; got {args.size!r}", file=sys.stderr)
        return EXIT_USAGE
    if args.lang in ("", None):
        languages = [config.languages.default]
    elif args.lang == "all":
        languages = list(config.languages.enabled)
    elif args.lang in config.languages.enabled:
        languages = [args.lang]
    else:
        offered = ", ".join(config.languages.enabled)
        print(f"screenshots: unknown language {args.lang!r}; offered: {offered}", file=sys.stderr)
        return EXIT_USAGE
    return screenshots(config, args.out, languages, (width, height))
