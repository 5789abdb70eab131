"""`kiosk courses check`: validate course packages, one line per problem (no Qt, no database)."""

from __future__ import annotations

import argparse
import sys

from kiosk.commands.common import EXIT_FAILED, EXIT_OK, EXIT_USAGE, as_typed
from kiosk.config import SiteConfig
from kiosk.core.courses import check_courses


def courses(args: argparse.Namespace, config: SiteConfig) -> int:
    if args.courses_command != "check":
        print("usage: kiosk courses check [PATH ...]", file=sys.stderr)
        return EXIT_USAGE
    paths = args.paths or [as_typed(config.courses_root())]
    result = check_courses(paths)
    for problem in result.problems:
        print(problem)
    if not result.ok:
        return EXIT_FAILED
    print(f"{result.courses_ok} course{'' if result.courses_ok == 1 else 's'} OK")
    return EXIT_OK
