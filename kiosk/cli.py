"""`kiosk` command line: the arguments of every command, and the module that carries it out."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import kiosk
from kiosk import resources
from kiosk.commands.common import EXIT_FAILED, EXIT_OK, EXIT_USAGE
from kiosk.config import ConfigError, SiteConfig, load_config
from kiosk.config.demo_pin import demo_pin_problem
from kiosk.core.i18n import LANGUAGE_CODES
from kiosk.paths import resolve_data_dir

__all__ = ["EXIT_FAILED", "EXIT_OK", "EXIT_USAGE", "main"]

Command = Callable[[argparse.Namespace, SiteConfig], int]


def common(sub: argparse.ArgumentParser) -> None:
    """--config and --data-dir, which most commands take."""
    sub.add_argument("--config", type=Path, help="site config (default: embedded demo site)")
    sub.add_argument("--data-dir", help="data directory (default: $KIOSK_HOME, else per user)")


def demo_flag(sub: argparse.ArgumentParser) -> None:
    """--demo: a copied demo config may keep the demo's PIN (never with --kiosk)."""
    sub.add_argument(
        "--demo",
        action="store_true",
        help="a demonstration: accept the demo's staff PIN in a copied config (not with --kiosk)",
    )


def _run_arguments(run: argparse.ArgumentParser) -> None:
    common(run)
    demo_flag(run)
    run.add_argument("--kiosk", action="store_true", help="locked full screen for terminals")
    run.add_argument("--lang", choices=LANGUAGE_CODES, help="start in this language")
    run.add_argument("--exit-when-ready", action="store_true", help=argparse.SUPPRESS)


def _run_parser() -> argparse.ArgumentParser:
    """Only `kiosk run`, which `kiosk` and `kiosk --kiosk …` mean too: what a terminal parses."""
    run = argparse.ArgumentParser(prog="kiosk run", description="Start the kiosk.")
    _run_arguments(run)
    run.set_defaults(command="run")
    return run


def _parser() -> argparse.ArgumentParser:
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
    demo_flag(check)

    courses = commands.add_parser("courses", help="course packages: 'kiosk courses check|preview'")
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
    courses_preview = verbs.add_parser(
        "preview",
        help="show one course in the lesson player, in a window, reloaded as its files are saved",
    )
    courses_preview.add_argument("path", type=Path, metavar="PATH", help="one course folder")
    courses_preview.add_argument("--lang", choices=LANGUAGE_CODES, help="show it in this language")
    courses_preview.add_argument(
        "--config", type=Path, help="site config whose fallback languages the preview uses"
    )

    bookings = commands.add_parser(
        "bookings", help="device bookings: 'kiosk bookings add|export|slip'"
    )
    bookings.set_defaults(config=None, data_dir=None, bookings_command=None)
    booking_verbs = bookings.add_subparsers(dest="bookings_command", metavar="VERB")
    add = booking_verbs.add_parser(
        "add",
        help="book a device for a visitor (at the desk or on the phone); prints the code and "
        "its status: confirmed, pending, provisional, or refused with the next free times",
    )
    common(add)
    add.add_argument("--device", required=True, metavar="ID", help="a device id of the config")
    add.add_argument(
        "--start",
        required=True,
        metavar="ISO",
        help="start, e.g. 2026-12-01T10:00 (the site's local time unless an offset is given)",
    )
    add.add_argument("--minutes", required=True, metavar="N", help="length in minutes")
    add.add_argument("--name", required=True, help="the visitor's first name or a nickname")
    add.add_argument(
        "--walk-in",
        action="store_true",
        help="the visitor is here: no lead time, no advance window, no approval",
    )
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
        "--period",
        choices=("day", "week", "month"),
        default="month",
        help="whole days or calendar months of months that are over (default: month; weeks "
        "are refused: they cut across months)",
    )

    demo = commands.add_parser(
        "demo-data", help="fill the database with synthetic activity for demos and training"
    )
    common(demo)
    demo.add_argument("--days", type=int, default=90, help="days of activity (default 90)")
    demo.add_argument(
        "--busy-day",
        metavar="DAY[THH:MM]",
        help="also book this day full, played through to the given site-local time "
        "(visitors checked in, a no-show), e.g. 2026-12-08T11:00",
    )

    set_pin = commands.add_parser("set-pin", help="set the staff PIN of this terminal")
    common(set_pin)
    set_pin.add_argument(
        "--print-hash", action="store_true", help="print the hash for the config file instead"
    )

    sync = commands.add_parser(
        "sync", help="this terminal and its hub: push the outbox and pull changes now"
    )
    common(sync)
    sync.add_argument(
        "--once", action="store_true", help="push everything and pull once, then exit"
    )
    sync.add_argument("--status", action="store_true", help="print the backlog and exit")

    _hub_arguments(commands)

    session_env = commands.add_parser(
        "session-env",
        help="print the Linux kiosk session's environment (the keyboard layout for cage), "
        "one NAME=value a line",
    )
    session_env.add_argument("--config", type=Path, help="site config (default: demo site)")

    selftest = commands.add_parser(
        "selftest", help="build the app offscreen and visit every screen"
    )
    common(selftest)

    shots = commands.add_parser("screenshots", help="render every screen to PNG")
    common(shots)
    shots.add_argument("--out", type=Path, required=True, help="output folder")
    shots.add_argument("--lang", default="", help="language code or 'all' (default: site default)")
    shots.add_argument("--size", default="1280x800", help="window size WxH (default 1280x800)")
    shots.add_argument(
        "--at",
        metavar="DAY[THH:MM]",
        help="render as at this site-local time (free slots, the desk's now line, no-shows), "
        "e.g. 2026-12-08T11:00; --data-dir is copied first and left as it was",
    )
    return parser


def _hub_arguments(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`kiosk hub …`: the city's hub (needs the `hub` extra)."""
    hub = commands.add_parser("hub", help="the city's hub over PostgreSQL: 'kiosk hub serve'")
    hub.set_defaults(config=None, data_dir=None, hub_command=None, hub_verb=None)
    verbs = hub.add_subparsers(dest="hub_command", metavar="VERB")

    def verb(name: str, help_text: str) -> argparse.ArgumentParser:
        sub = verbs.add_parser(name, help=help_text)
        sub.add_argument(
            "--database",
            metavar="URL",
            help="PostgreSQL URL (default: $KIOSK_HUB_DATABASE), e.g. postgresql://hub@host/hub",
        )
        return sub

    verb("init-db", "create or update the hub's tables")
    serve = verb("serve", "run the hub's HTTP service (GET /health answers 200 when ready)")
    serve.add_argument("--listen", default="127.0.0.1:8470", metavar="HOST:PORT")
    enrol = verb("enrol", "enrol a terminal; prints its token on the last line")
    enrol.add_argument("--site", required=True)
    enrol.add_argument("--terminal", required=True, metavar="NAME")
    revoke = verb("revoke", "revoke a terminal's token at once")
    revoke.add_argument("--terminal", required=True, metavar="NAME")
    config = verb("config", "site configs: 'kiosk hub config push'")
    config_verbs = config.add_subparsers(dest="hub_verb", metavar="VERB")
    push = config_verbs.add_parser("push", help="check a site's config file and store it")
    push.add_argument("--database", metavar="URL", help="PostgreSQL URL")
    push.add_argument("--site", required=True)
    push.add_argument("file", type=Path, metavar="FILE")
    _hub_courses_arguments(
        verb("courses", "course packages for the terminals: 'kiosk hub courses'")
    )
    status = verb(
        "status",
        "per terminal: last seen, version, backlog, its health report and flags; exit 1 when a "
        "terminal (not revoked) is flagged",
    )
    status.add_argument("--json", action="store_true")
    status.add_argument(
        "--silent-after",
        type=float,
        metavar="MINUTES",
        help="flag a terminal that has not called the hub for this long, or never (default 10)",
    )
    status.add_argument(
        "--backlog-over",
        type=int,
        default=1000,
        metavar="ROWS",
        help="flag a terminal with more rows waiting in its outbox (default 1000)",
    )
    status.add_argument(
        "--stale-after",
        type=float,
        metavar="HOURS",
        help="--silent-after in hours (kept for existing monitoring checks)",
    )
    _hub_staff_arguments(verb("staff", "the staff web desk's accounts: 'kiosk hub staff'"))
    stats = verb("stats", "city-wide figures: 'kiosk hub stats export'")
    stats_verbs = stats.add_subparsers(dest="hub_verb", metavar="VERB")
    export = stats_verbs.add_parser(
        "export", help="the figures of a site or the city (CSV, JSON, DCAT-AP.de) into a folder"
    )
    export.add_argument("--database", metavar="URL", help="PostgreSQL URL")
    export.add_argument("--from", dest="first", required=True, metavar="YYYY-MM-DD")
    export.add_argument("--to", dest="last", required=True, metavar="YYYY-MM-DD")
    export.add_argument("--out", type=Path, required=True, metavar="DIR")
    export.add_argument("--site", help="one site (default: the whole city)")
    export.add_argument(
        "--period",
        choices=("day", "week", "month"),
        default="month",
        help="whole days or calendar months of months that are over (default: month; weeks "
        "are refused: they cut across months)",
    )


def _hub_staff_arguments(staff: argparse.ArgumentParser) -> None:
    """`kiosk hub staff add|reset|disable|list`; passwords come from the terminal or stdin."""
    staff_verbs = staff.add_subparsers(dest="hub_verb", metavar="VERB")
    add = staff_verbs.add_parser("add", help="a new account; asks for its password")
    add.add_argument("--database", metavar="URL", help="PostgreSQL URL")
    add.add_argument(
        "--site",
        action="append",
        metavar="SITE",
        help="a site the person may see and change (repeat for more)",
    )
    add.add_argument(
        "--admin", action="store_true", help="every site, the fleet and the city figures"
    )
    add.add_argument("name", metavar="NAME")
    reset = staff_verbs.add_parser(
        "reset", help="a new password (asked for); ends the person's sessions, enables again"
    )
    reset.add_argument("--database", metavar="URL", help="PostgreSQL URL")
    reset.add_argument("name", metavar="NAME")
    disable = staff_verbs.add_parser("disable", help="no more sign-ins; ends sessions at once")
    disable.add_argument("--database", metavar="URL", help="PostgreSQL URL")
    disable.add_argument("name", metavar="NAME")
    listing = staff_verbs.add_parser("list", help="every account, its rights and state")
    listing.add_argument("--database", metavar="URL", help="PostgreSQL URL")


def _hub_courses_arguments(courses: argparse.ArgumentParser) -> None:
    """`kiosk hub courses publish|list|rollback`."""
    course_verbs = courses.add_subparsers(dest="hub_verb", metavar="VERB")
    publish = course_verbs.add_parser(
        "publish", help="check course packages and offer them to the sites' terminals"
    )
    publish.add_argument("--database", metavar="URL", help="PostgreSQL URL")
    publish.add_argument(
        "--site",
        action="append",
        metavar="SITE",
        help="offer them to this site only (repeat for more; default: every site)",
    )
    publish.add_argument(
        "paths", nargs="+", type=Path, metavar="PATH", help="a course folder or a folder of them"
    )
    listing = course_verbs.add_parser("list", help="every published version, its sites and state")
    listing.add_argument("--database", metavar="URL", help="PostgreSQL URL")
    listing.add_argument("--json", action="store_true")
    rollback = course_verbs.add_parser(
        "rollback", help="withdraw a published version: the sites get the previous one again"
    )
    rollback.add_argument("--database", metavar="URL", help="PostgreSQL URL")
    rollback.add_argument("--site", help="for this site only")
    rollback.add_argument(
        "target", metavar="ID", help="a publication id, or a course id (its newest version)"
    )


def main(argv: Sequence[str] | None = None) -> int:
    given = list(argv if argv is not None else sys.argv[1:])
    # `kiosk`, `kiosk run …` and `kiosk --kiosk …` start the kiosk; help and --version and every
    # other command go through the full parser.
    if given[:1] == ["run"] or (
        all(arg.startswith("-") for arg in given[:1])
        and not {"-h", "--help", "--version"} & set(given)
    ):
        return _dispatch(_run_parser().parse_args(given[1:] if given[:1] == ["run"] else given))
    return _dispatch(_parser().parse_args(given))


def _dispatch(args: argparse.Namespace) -> int:
    try:
        config = load_config(
            args.config if args.config is not None else resources.DEMO_CONFIG,
            data_dir=resolve_data_dir(getattr(args, "data_dir", None)),
        )
    except ConfigError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        return EXIT_USAGE
    if (args.command or "run") in ("run", "check") and not _demo_pin_allowed(args, config):
        return EXIT_USAGE
    return _command(args.command or "run")(args, config)


def _demo_pin_allowed(args: argparse.Namespace, config: SiteConfig) -> bool:
    """Whether the demo's public PIN may open staff mode here; if not, says why on stderr.

    Only the embedded demo, or a demonstration started with --demo in a window, may use it:
    a terminal (--kiosk) never.
    """
    if args.demo and getattr(args, "kiosk", False):
        print(
            "kiosk run: --demo and --kiosk together are refused: a terminal in kiosk mode never "
            "runs with the demo's public PIN",
            file=sys.stderr,
        )
        return False
    problem = None if args.demo else demo_pin_problem(config, resources.DEMO_CONFIG)
    if problem is not None:
        print(problem, file=sys.stderr)
        return False
    return True


# Which module carries out each command, and its function there.
COMMANDS: dict[str, tuple[str, str]] = {
    "run": ("kiosk.commands.run", "run"),
    "check": ("kiosk.commands.check", "check"),
    "courses": ("kiosk.commands.courses", "courses"),
    "bookings": ("kiosk.commands.bookings", "bookings"),
    "stats": ("kiosk.commands.stats", "stats"),
    "demo-data": ("kiosk.commands.stats", "demo_data"),
    "set-pin": ("kiosk.commands.set_pin", "set_pin"),
    "sync": ("kiosk.commands.sync", "sync"),
    "hub": ("kiosk.commands.hub", "hub"),
    "session-env": ("kiosk.commands.session_env", "session_env"),
    "selftest": ("kiosk.commands.screens", "selftest"),
    "screenshots": ("kiosk.commands.screens", "screenshots"),
}


def _command(name: str) -> Command:
    """The function that carries out one command, its module imported only now.

    Each command's module imports what that command needs, and the needs differ by tens of ms:
    `kiosk run` must not load the database layer before its first frame (kiosk.storage.database
    with sqlite-utils, ~55 ms), and `kiosk courses check` must not load Qt (kiosk.app with
    PySide6, ~90 ms).
    """
    module, function = COMMANDS[name]
    try:
        loaded = importlib.import_module(module)
    except ModuleNotFoundError as error:
        if name != "hub":
            raise
        missing = error.name

        def needs_extra(_args: argparse.Namespace, _config: SiteConfig) -> int:
            print(
                f"kiosk hub needs the hub extra ({missing} is missing): "
                "pip install 'probierladen-kiosk[hub]'",
                file=sys.stderr,
            )
            return EXIT_USAGE

        return needs_extra
    command: Command = getattr(loaded, function)
    return command
