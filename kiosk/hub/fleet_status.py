"""How the fleet is doing: terminals' health reports kept on the hub, and per terminal the flags
`kiosk hub status` raises (a pure function of what is stored and the time now)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from kiosk.hub.admin import Conn
from kiosk.hub.fleet_models import HealthReport
from kiosk.hub.service import Terminal, seen

SILENT_AFTER = timedelta(minutes=10)
BACKLOG_OVER = 1000
DISK_FREE_MIN_BYTES = 1024**3
DISK_FREE_MIN_SHARE = 0.05
CRASH_WITHIN = timedelta(hours=24)
# Every flag, in the order they are shown.
FLAGS = ("silent", "backlog", "database", "disk", "config", "courses", "crashed")


@dataclass(frozen=True)
class Limits:
    """When a terminal is flagged: silent for longer than ``silent_after``, or more than
    ``backlog_over`` rows waiting in its outbox."""

    silent_after: timedelta = SILENT_AFTER
    backlog_over: int = BACKLOG_OVER


@dataclass(frozen=True)
class TerminalHealth:
    """One enrolled terminal as the hub knows it: what it said with each request and its latest
    health report (None: it has sent none)."""

    name: str
    site: str
    revoked: bool
    last_seen: datetime | None
    version: str
    rows_received: int
    backlog: int
    backlog_at: datetime | None
    received_at: datetime | None = None
    report: dict[str, Any] | None = field(default=None)


def store_health(conn: Conn, terminal: Terminal, report: HealthReport) -> None:
    """Keep the report as the terminal's latest (with the hub's time of receipt); the terminal
    was seen, with this version and backlog."""
    conn.execute(
        "INSERT INTO terminal_health (terminal_id, received_at, report) VALUES (%s, now(), %s) "
        "ON CONFLICT (terminal_id) DO UPDATE SET received_at = excluded.received_at, "
        "report = excluded.report",
        [terminal.id, json.dumps(report.model_dump(), default=_iso)],
    )
    seen(conn, terminal, version=report.app_version, backlog=report.outbox_backlog)


def terminals(conn: Conn) -> list[TerminalHealth]:
    """Every enrolled terminal with its latest health report, by site and name."""
    rows = conn.execute(
        "SELECT t.name, t.site, t.revoked_at IS NOT NULL, t.last_seen, t.version, "
        "t.rows_received, t.backlog, t.backlog_at, h.received_at, h.report "
        "FROM terminals t LEFT JOIN terminal_health h ON h.terminal_id = t.id "
        "ORDER BY t.site, t.name"
    ).fetchall()
    return [
        TerminalHealth(
            name=row[0],
            site=row[1],
            revoked=bool(row[2]),
            last_seen=row[3],
            version=row[4],
            rows_received=int(row[5]),
            backlog=int(row[6]),
            backlog_at=row[7],
            received_at=row[8],
            report=row[9],
        )
        for row in rows
    ]


def flags(terminal: TerminalHealth, now: datetime, limits: Limits = Limits()) -> tuple[str, ...]:
    """What needs an administrator's look, in the order of FLAGS; nothing for a revoked
    terminal (it is out of service on purpose)."""
    if terminal.revoked:
        return ()
    raised: set[str] = set()
    if terminal.last_seen is None or now - terminal.last_seen > limits.silent_after:
        raised.add("silent")
    if terminal.backlog > limits.backlog_over:
        raised.add("backlog")
    report = terminal.report or {}
    if report.get("database") == "damaged":
        raised.add("database")
    if _disk_low(report):
        raised.add("disk")
    if report.get("config_problem"):
        raised.add("config")
    if report.get("courses_problem"):
        raised.add("courses")
    crashed = _time(report.get("last_crash"))
    if crashed is not None and now - crashed <= CRASH_WITHIN:
        raised.add("crashed")
    return tuple(flag for flag in FLAGS if flag in raised)


def _disk_low(report: dict[str, Any]) -> bool:
    free = report.get("disk_free_bytes")
    total = report.get("disk_total_bytes")
    if not isinstance(free, int) or not isinstance(total, int) or total <= 0:
        return False
    return free < DISK_FREE_MIN_BYTES or free < DISK_FREE_MIN_SHARE * total


def _iso(value: object) -> str:
    # Times as everywhere in `kiosk hub status`: ISO-8601 with a numeric offset.
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def _time(value: object) -> datetime | None:
    """A time of a stored report (validated as ISO-8601 with an offset when it arrived)."""
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None
