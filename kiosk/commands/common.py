"""What several commands share: exit codes, the data directory, a period of days, offscreen Qt."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date
from pathlib import Path

from kiosk.paths import resolve_data_dir

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def data_dir(args: argparse.Namespace) -> Path:
    """The data directory of --data-dir (default: $KIOSK_HOME, else per user)."""
    return resolve_data_dir(args.data_dir)


def as_typed(path: Path) -> Path:
    """A default path as short as if the admin had typed it (relative to here when inside)."""
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path


def period(args: argparse.Namespace, verb: str) -> tuple[date, date] | None:
    """--from and --to as dates, or None after printing why they cannot be used."""
    try:
        first, last = date.fromisoformat(args.first), date.fromisoformat(args.last)
    except ValueError as error:
        print(f"{verb}: dates are YYYY-MM-DD: {error}", file=sys.stderr)
        return None
    if first > last:
        print(f"{verb}: --from {first} is after --to {last}", file=sys.stderr)
        return None
    return first, last


def export_period(args: argparse.Namespace, verb: str) -> tuple[date, date] | None:
    """--from and --to of an export into the existing folder --out, or None after printing
    why not."""
    days = period(args, verb)
    if days is not None and not args.out.is_dir():
        print(f"{verb}: {args.out}: no such folder; nothing written", file=sys.stderr)
        return None
    return days


def whole_months(first: date, last: date) -> str:
    """What an administrator is told when a span cutting months was widened."""
    return (
        f"counted per month, so the export covers whole months: {first} to {last} "
        "(a part of a month would give hidden counts away beside the whole month)"
    )


def offscreen() -> None:
    """Qt draws without a display (unless the caller chose a platform): for files, not people.

    Called before the QApplication is made, which is when Qt reads it.
    """
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
