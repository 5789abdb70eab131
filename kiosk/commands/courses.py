"""`kiosk courses check`: validate course packages, one line per problem (no Qt, no database);
`kiosk courses preview`: show one package in the lesson player as it is written."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kiosk.commands.common import EXIT_FAILED, EXIT_OK, EXIT_USAGE, as_typed
from kiosk.config import SiteConfig
from kiosk.core.courses import check_courses
from kiosk.core.courses.loader import MANIFEST


def courses(args: argparse.Namespace, config: SiteConfig) -> int:
    if args.courses_command == "preview":
        return preview(args, config)
    if args.courses_command != "check":
        print("usage: kiosk courses check [PATH ...] | preview PATH [--lang CODE]", file=sys.stderr)
        return EXIT_USAGE
    paths = args.paths or [as_typed(config.courses_root())]
    result = check_courses(paths)
    for problem in result.problems:
        print(problem)
    if not result.ok:
        return EXIT_FAILED
    print(f"{result.courses_ok} course{'' if result.courses_ok == 1 else 's'} OK")
    return EXIT_OK


def preview(args: argparse.Namespace, config: SiteConfig) -> int:
    """Open the preview window on one course folder (or its course.toml); exit 2 without one."""
    path: Path = args.path
    folder = path.parent if path.name == MANIFEST and path.is_file() else path
    if not folder.is_dir():
        print(f"kiosk courses preview: {path}: no such folder", file=sys.stderr)
        return EXIT_USAGE
    if not (folder / MANIFEST).is_file():
        print(
            f"kiosk courses preview: {path}: not a course folder (it has no {MANIFEST}); "
            "give the folder of one course",
            file=sys.stderr,
        )
        return EXIT_USAGE
    # Qt loads only for the preview: `kiosk courses check` stays without it (~90 ms).
    from kiosk.ui.authoring.launch import run_preview

    return run_preview(folder, config, language=args.lang)
