"""`kiosk hub status`: every terminal's state and latest health report as a table or JSON, the
terminals that need a look flagged, and exit 1 when any is (for cron and monitoring)."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime, timedelta
from typing import Any

from kiosk.commands.common import EXIT_FAILED, EXIT_OK
from kiosk.hub.fleet_status import CRASH_WITHIN, FLAGS, Limits, TerminalHealth, flags

# What each flag means, for the lines on stderr that name the flagged terminals.
_MEANING = {
    "silent": "not heard from for over {silent}",
    "backlog": "more than {backlog} rows waiting in the outbox",
    "database": "database damaged",
    "disk": "disk almost full (under 1 GiB or 5 % free)",
    "config": "site config refused",
    "courses": "course package refused",
    "crashed": f"crashed in the last {CRASH_WITHIN.total_seconds() / 3600:g} h",
}


def limits(args: argparse.Namespace) -> Limits | None:
    """The limits the options give, or None after saying why they cannot be used."""
    if args.silent_after is not None and args.stale_after is not None:
        print("hub status: give --silent-after or --stale-after, not both", file=sys.stderr)
        return None
    minutes = args.silent_after
    if args.stale_after is not None:
        minutes = args.stale_after * 60
    if minutes is not None and not 0 < minutes <= 10**7:
        print("hub status: the silent time must be above 0", file=sys.stderr)
        return None
    if args.backlog_over < 0:
        print("hub status: --backlog-over: give 0 or more rows", file=sys.stderr)
        return None
    if minutes is None:
        return Limits(backlog_over=args.backlog_over)
    return Limits(silent_after=timedelta(minutes=minutes), backlog_over=args.backlog_over)


def show(
    args: argparse.Namespace, terminals: list[TerminalHealth], limits: Limits, now: datetime
) -> int:
    """Print the status; exit 1 (naming them on stderr) when any terminal is flagged."""
    raised = {t.name: flags(t, now, limits) for t in terminals}
    if args.json:
        print(json.dumps([_as_json(t, raised[t.name]) for t in terminals], indent=2))
    else:
        _table(terminals, raised, now)
    silent = (
        f"{args.stale_after:g} h"
        if args.stale_after is not None
        else f"{limits.silent_after.total_seconds() / 60:g} min"
    )
    failed = False
    for flag in FLAGS:
        names = [t.name for t in terminals if flag in raised[t.name]]
        if names:
            failed = True
            meaning = _MEANING[flag].format(silent=silent, backlog=limits.backlog_over)
            print(f"hub status: {meaning}: {', '.join(names)}", file=sys.stderr)
    return EXIT_FAILED if failed else EXIT_OK


def _as_json(terminal: TerminalHealth, raised: tuple[str, ...]) -> dict[str, Any]:
    health = None
    if terminal.report is not None:
        health = {**terminal.report, "received_at": _iso(terminal.received_at)}
    return {
        "terminal": terminal.name,
        "site": terminal.site,
        "revoked": terminal.revoked,
        "last_seen": _iso(terminal.last_seen),
        "version": terminal.version,
        "rows_received": terminal.rows_received,
        "backlog": terminal.backlog,
        "backlog_reported_at": _iso(terminal.backlog_at),
        "flags": list(raised),
        "health": health,
    }


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def _table(
    terminals: list[TerminalHealth], raised: dict[str, tuple[str, ...]], now: datetime
) -> None:
    if not terminals:
        print("no terminals enrolled")
        return
    header = (
        "terminal",
        "site",
        "last seen",
        "version",
        "backlog",
        "disk free",
        "config",
        "courses",
        "printer",
        "flags",
    )
    lines = [header]
    problems: list[str] = []
    for t in terminals:
        report = t.report or {}
        lines.append(
            (
                t.name + (" (revoked)" if t.revoked else ""),
                t.site,
                "never" if t.last_seen is None else ago(now, t.last_seen),
                t.version or "-",
                str(t.backlog),
                _disk(report),
                "-" if report.get("config_version") is None else str(report["config_version"]),
                str(len(report.get("courses") or ())) if report else "-",
                str(report.get("printer", "-")),
                ", ".join(raised[t.name]) or "-",
            )
        )
        for key, label in (("config_problem", "config"), ("courses_problem", "courses")):
            if report.get(key):
                problems.append(f"{t.name}: {label}: {report[key]}")
        if report.get("last_error"):
            problems.append(f"{t.name}: last error: {report['last_error']}")
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    for line in lines:
        print(
            "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
        )
    for problem in problems:
        print(problem)


def _disk(report: dict[str, Any]) -> str:
    free, total = report.get("disk_free_bytes"), report.get("disk_total_bytes")
    if not isinstance(free, int) or not isinstance(total, int) or total <= 0:
        return "-"
    return f"{free / 1024**3:.1f} GiB ({100 * free / total:.0f} %)"


def ago(now: datetime, then: datetime) -> str:
    seconds = max(0, int((now - then).total_seconds()))
    if seconds < 120:
        return f"{seconds} s ago"
    if seconds < 7200:
        return f"{seconds // 60} min ago"
    if seconds < 2 * 86400:
        return f"{seconds // 3600} h ago"
    return f"{seconds // 86400} days ago"
