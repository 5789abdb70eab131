"""`kiosk selftest` and `kiosk screenshots`: every screen of the real app, built offscreen."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

from kiosk import tour
from kiosk.commands.busy_day import parse_moment
from kiosk.commands.common import EXIT_USAGE, offscreen
from kiosk.config import SiteConfig
from kiosk.storage.database import DATABASE_FILE_NAME


def selftest(args: argparse.Namespace, config: SiteConfig) -> int:
    offscreen()
    return tour.selftest(config, Path(args.data_dir) if args.data_dir else None)


def screenshots(args: argparse.Namespace, config: SiteConfig) -> int:
    offscreen()
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
    at = None
    if args.at:
        at = parse_moment(args.at, ZoneInfo(config.site.timezone))
        if at is None:
            print(
                "screenshots: --at must be a day or a site-local time, e.g. 2026-12-08T11:00; "
                f"got {args.at!r}",
                file=sys.stderr,
            )
            return EXIT_USAGE
    data_dir = Path(args.data_dir).expanduser() if args.data_dir else None
    if data_dir is not None and not (data_dir / DATABASE_FILE_NAME).is_file():
        print(f"screenshots: no kiosk database in {data_dir}", file=sys.stderr)
        return EXIT_USAGE
    return tour.screenshots(config, args.out, languages, (width, height), data_dir=data_dir, at=at)
