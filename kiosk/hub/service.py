"""What the hub does for a terminal: who it is, taking in its outbox, its changes, code lookups.

Every function takes an open connection and runs in the caller's transaction (the HTTP layer
opens one per request), so a request either changes everything it says or nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg
from psycopg import Connection
from psycopg.types.json import Jsonb

from kiosk.core.resume_codes import generate_code
from kiosk.hub import booking_desk
from kiosk.hub.date_exceptions import changed_exceptions
from kiosk.hub.models import (
    BookingRecord,
    Changes,
    CourseState,
    DateExceptionRecord,
    DeviceState,
    ProgressChange,
    ProgressRecord,
    PushBatch,
    PushResult,
    Rejected,
    UsageEvent,
)
from kiosk.hub.sequence import latest_change, next_change
from kiosk.hub.site_rules import SiteRulesCache
from kiosk.hub.tokens import token_digest

# Unknown resume codes a terminal, and a code prefix city-wide, may ask for in an hour. A
# visitor who mistypes is caught by the check symbol on the terminal and never gets here.
TERMINAL_LOOKUPS_PER_HOUR = 20
PREFIX_LOOKUPS_PER_HOUR = 10
PREFIX_LENGTH = 4
CHANGES_LIMIT = 200
# Codes a terminal may hold in reserve at once (kiosk.sync keeps about 20).
RESERVE_LIMIT = 50

Conn = Connection[tuple[Any, ...]]


@dataclass(frozen=True)
class Terminal:
    id: int
    name: str
    site: str
    # The SHA-256 of the site's newest config (None: the site has none), read with the token
    # in the same query: a booking request needs it, and waits for every query.
    site_config: str | None = None


def authenticate(conn: Conn, token: str) -> Terminal | None:
    """The enrolled, not revoked terminal this token belongs to."""
    row = conn.execute(
        "SELECT t.id, t.name, t.site, (SELECT c.sha256 FROM site_configs c "
        "WHERE c.site = t.site ORDER BY c.version DESC LIMIT 1) FROM terminals t "
        "WHERE t.token_sha256 = %s AND t.revoked_at IS NULL",
        [token_digest(token)],
    ).fetchone()
    if row is None:
        return None
    return Terminal(int(row[0]), str(row[1]), str(row[2]), None if row[3] is None else str(row[3]))


def seen(
    conn: Conn,
    terminal: Terminal,
    *,
    version: str | None,
    backlog: int | None,
    received: int = 0,
) -> None:
    """Note that the terminal called, what it reported about itself and what it sent."""
    conn.execute(
        "UPDATE terminals SET last_seen = now(), version = coalesce(%s, version), "
        "backlog = coalesce(%s, backlog), backlog_at = CASE WHEN %s::bigint IS NULL "
        "THEN backlog_at ELSE now() END, rows_received = rows_received + %s WHERE id = %s",
        [version, backlog, backlog, received, terminal.id],
    )


def push(
    conn: Conn,
    terminal: Terminal,
    batch: PushBatch,
    rules: SiteRulesCache | None = None,
    now: datetime | None = None,
) -> PushResult:
    """Take in one outbox batch: events once each by id, progress merged course by course,
    booking changes applied in their order (``rules``: the parsed site configs to decide
    provisional bookings by)."""
    events_new = _insert_events(conn, terminal, batch.events)
    progress_new = 0
    duplicates = 0
    rejected: list[Rejected] = []
    for change in batch.progress:
        outcome = _take_progress(conn, terminal, change, now or datetime.now(UTC))
        if outcome == "new":
            progress_new += 1
        elif outcome == "duplicate":
            duplicates += 1
        else:
            rejected.append(Rejected(id=change.id, reason="code_taken"))
    # Last: booking changes take the change counter first and hold it to the end (see
    # kiosk.hub.sequence), so nothing after them waits for a lock while holding it.
    bookings_new = _take_bookings(conn, terminal, batch, rules, now)
    seen(
        conn,
        terminal,
        version=batch.version or None,
        backlog=batch.backlog,
        received=events_new + progress_new + bookings_new,
    )
    return PushResult(
        events_new=events_new,
        events_duplicate=len(batch.events) - events_new,
        progress_new=progress_new,
        progress_duplicate=duplicates,
        rejected=rejected,
        bookings_new=bookings_new,
        bookings_duplicate=len(batch.bookings) - bookings_new,
    )


def _take_bookings(
    conn: Conn,
    terminal: Terminal,
    batch: PushBatch,
    rules: SiteRulesCache | None,
    now: datetime | None,
) -> int:
    if not batch.bookings:
        return 0
    site_rules = (rules or SiteRulesCache()).rules(conn, terminal.site)
    moment = now or datetime.now(UTC)
    return booking_desk.take_changes(
        conn, terminal.site, terminal.id, batch.bookings, site_rules, int(moment.timestamp())
    )


_EVENT_COLUMNS = ("hour", "kind", "language", "course_id", "device_kind", "format", "duration")


def _insert_events(conn: Conn, terminal: Terminal, events: Sequence[UsageEvent]) -> int:
    """Store the events not stored before; returns how many were new.

    The fast path looks up which ids arrived before and COPYs the others straight into the
    table (PostgreSQL's bulk load). Should another request store one of them meanwhile (a
    terminal retrying while its first try still runs), COPY hits the primary key; then the
    batch goes in row by row with ON CONFLICT DO NOTHING instead. Either way each id once.
    """
    if not events:
        return 0
    known = {
        row[0]
        for row in conn.execute(
            "SELECT id FROM usage_events WHERE id = ANY(%s)", [[event.id for event in events]]
        )
    }
    fresh = [event for event in events if event.id not in known]
    try:
        # A savepoint: a failed COPY leaves the request's transaction usable.
        with (
            conn.transaction(),
            conn.cursor().copy(
                "COPY usage_events (id, site, terminal_id, hour, kind, language, course_id, "
                "device_kind, format, duration) FROM STDIN"
            ) as copy,
        ):
            for event in fresh:
                copy.write_row(
                    (
                        event.id,
                        terminal.site,
                        terminal.id,
                        event.hour,
                        event.kind,
                        event.language,
                        event.course_id,
                        event.device_kind,
                        event.format,
                        event.duration,
                    )
                )
        return len(fresh)
    except psycopg.errors.UniqueViolation:
        return _insert_events_one_by_one(conn, terminal, events)


def _insert_events_one_by_one(conn: Conn, terminal: Terminal, events: Sequence[UsageEvent]) -> int:
    columns = [[event.id for event in events]] + [
        [getattr(event, name) for event in events] for name in _EVENT_COLUMNS
    ]
    cursor = conn.execute(
        "INSERT INTO usage_events (id, site, terminal_id, hour, kind, language, course_id, "
        "device_kind, format, duration) "
        "SELECT e.id, %s, %s, e.hour, e.kind, e.language, e.course_id, e.device_kind, "
        "e.format, e.duration FROM unnest(%s::uuid[], %s::text[], %s::text[], %s::text[], "
        "%s::text[], %s::text[], %s::text[], %s::text[]) "
        "AS e (id, hour, kind, language, course_id, device_kind, format, duration) "
        "ON CONFLICT (id) DO NOTHING",
        [terminal.site, terminal.id, *columns],
    )
    return cursor.rowcount


def _course_json(course: CourseState) -> dict[str, Any]:
    return course.model_dump(mode="json")


def _newer(incoming: dict[str, Any], stored: dict[str, Any] | None) -> bool:
    if stored is None:
        return True
    return datetime.fromisoformat(incoming["updated_at"]) > datetime.fromisoformat(
        stored["updated_at"]
    )


def _take_progress(conn: Conn, terminal: Terminal, change: ProgressChange, now: datetime) -> str:
    """'new', 'duplicate' or 'code_taken' (the code leads to another record: the first keeps it)."""
    fresh = conn.execute(
        "INSERT INTO received_rows (id) VALUES (%s) ON CONFLICT (id) DO NOTHING RETURNING id",
        [change.id],
    ).fetchone()
    if fresh is None:
        return "duplicate"
    if change.expires_at <= now:
        return "new"  # its code has run out meanwhile: nothing to keep
    row = conn.execute(
        "SELECT code, expires_at, courses FROM progress WHERE id = %s FOR UPDATE",
        [change.progress_id],
    ).fetchone()
    incoming = {course.course_id: _course_json(course) for course in change.courses}
    if row is None:
        taken = conn.execute("SELECT 1 FROM progress WHERE code = %s", [change.code]).fetchone()
        holder = conn.execute(
            "SELECT terminal_id FROM reserved_codes WHERE code = %s", [change.code]
        ).fetchone()
        if taken is not None or (holder is not None and holder[0] != terminal.id):
            # Given to another record, or held in reserve by another terminal: the first keeps
            # it, and this record stays reachable with it on its own terminal only.
            conn.execute("DELETE FROM received_rows WHERE id = %s", [change.id])
            return "code_taken"
        conn.execute("DELETE FROM reserved_codes WHERE code = %s", [change.code])
        conn.execute(
            "INSERT INTO progress (id, code, created_at, expires_at, updated_at, courses, "
            "change_seq, changed_by) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
            [
                change.progress_id,
                change.code,
                change.created_at,
                change.expires_at,
                change.updated_at,
                Jsonb(incoming),
                next_change(conn),
                terminal.id,
            ],
        )
    else:
        stored: dict[str, Any] = dict(row[2])
        merged = dict(stored)
        for course_id, course in incoming.items():
            if _newer(course, stored.get(course_id)):
                merged[course_id] = course
        expires_at = max(row[1], change.expires_at)
        if merged != stored or expires_at != row[1]:
            conn.execute(
                "UPDATE progress SET courses = %s, expires_at = %s, "
                "updated_at = greatest(updated_at, %s), change_seq = %s, changed_by = %s "
                "WHERE id = %s",
                [
                    Jsonb(merged),
                    expires_at,
                    change.updated_at,
                    next_change(conn),
                    terminal.id,
                    change.progress_id,
                ],
            )
    _hold(conn, terminal, change.progress_id)
    return "new"


def reserve_codes(conn: Conn, terminal: Terminal, count: int) -> list[str]:
    """New resume codes for the terminal's reserve: unused by any record and any reserve of the
    city. The terminal holds at most RESERVE_LIMIT; asked for more, it gets what is left."""
    held_row = conn.execute(
        "SELECT count(*) FROM reserved_codes WHERE terminal_id = %s", [terminal.id]
    ).fetchone()
    held = 0 if held_row is None else int(held_row[0])
    wanted = max(0, min(count, RESERVE_LIMIT - held))
    codes: list[str] = []
    for _attempt in range(wanted * 4):
        if len(codes) == wanted:
            break
        code = generate_code()
        stored = conn.execute(
            "INSERT INTO reserved_codes (code, terminal_id) SELECT %s, %s "
            "WHERE NOT EXISTS (SELECT 1 FROM progress WHERE code = %s) "
            "ON CONFLICT (code) DO NOTHING RETURNING code",
            [code, terminal.id, code],
        ).fetchone()
        if stored is not None:
            codes.append(code)
    seen(conn, terminal, version=None, backlog=None)
    return codes


def _hold(conn: Conn, terminal: Terminal, progress_id: str) -> None:
    conn.execute(
        "INSERT INTO progress_holders (progress_id, terminal_id) VALUES (%s, %s) "
        "ON CONFLICT DO NOTHING",
        [progress_id, terminal.id],
    )


def _record(row: Sequence[Any]) -> ProgressRecord:
    progress_id, code, created_at, expires_at, updated_at, courses = row[:6]
    return ProgressRecord(
        progress_id=progress_id,
        code=code,
        created_at=created_at,
        expires_at=expires_at,
        updated_at=updated_at,
        courses=[CourseState.model_validate(course) for _id, course in sorted(courses.items())],
    )


_RECORD_COLUMNS = "p.id, p.code, p.created_at, p.expires_at, p.updated_at, p.courses"


# What a terminal pulls, each with its change number.
Changed = ProgressRecord | BookingRecord | DeviceState | DateExceptionRecord


def changes(conn: Conn, terminal: Terminal, since: int, limit: int = CHANGES_LIMIT) -> Changes:
    """What changed after ``since`` for this terminal: the progress records it holds, and
    every booking and device state of its site, oldest first, at most ``limit`` together.

    The newest committed change number is read first, and only changes up to it are taken:
    each of them is visible to every query that follows, so the cursor never passes a change
    this answer did not carry (one committed between two of the queries, say).
    """
    upto = latest_change(conn)
    fetch = limit + 1
    rows = conn.execute(
        f"SELECT {_RECORD_COLUMNS}, p.change_seq FROM progress p "  # noqa: S608
        "JOIN progress_holders h ON h.progress_id = p.id AND h.terminal_id = %s "
        "WHERE p.change_seq > %s AND p.change_seq <= %s ORDER BY p.change_seq LIMIT %s",
        [terminal.id, since, upto, fetch],
    ).fetchall()
    found: list[tuple[int, Changed]] = [(int(row[6]), _record(row)) for row in rows]
    found += booking_desk.changed_bookings(conn, terminal.site, since, upto, fetch)
    found += booking_desk.changed_devices(conn, terminal.site, since, upto, fetch)
    found += changed_exceptions(conn, terminal.site, since, upto, fetch)
    found.sort(key=lambda item: item[0])
    more = len(found) > limit
    page = found[:limit]
    # Everything up to ``upto`` was taken unless the page is full: then the next pull goes
    # on after its last change. (Every change has a number of its own.)
    cursor = page[-1][0] if more else max(since, upto)
    seen(conn, terminal, version=None, backlog=None)
    return Changes(
        cursor=cursor,
        more=more,
        # Also what this terminal itself changed: the hub's merge may differ from what it sent
        # (a newer course from elsewhere kept), and merging the same record again is harmless.
        progress=[item for _seq, item in page if isinstance(item, ProgressRecord)],
        bookings=[item for _seq, item in page if isinstance(item, BookingRecord)],
        devices=[item for _seq, item in page if isinstance(item, DeviceState)],
        exceptions=[item for _seq, item in page if isinstance(item, DateExceptionRecord)],
    )


@dataclass(frozen=True)
class Lookup:
    """The answer to a code lookup: a record, or why not (``retry_after_s`` when throttled)."""

    record: ProgressRecord | None = None
    status: str = "found"  # found, unknown, expired, throttled
    retry_after_s: int = 0


def lookup(conn: Conn, terminal: Terminal, code: str, now: datetime | None = None) -> Lookup:
    """The record behind an exact resume code; unknown codes count against the throttle."""
    moment = now or datetime.now(UTC)
    scopes = (f"terminal:{terminal.id}", f"prefix:{code[:PREFIX_LENGTH]}")
    limits = (TERMINAL_LOOKUPS_PER_HOUR, PREFIX_LOOKUPS_PER_HOUR)
    hour = moment.replace(minute=0, second=0, microsecond=0)
    for scope, limit in zip(scopes, limits, strict=True):
        row = conn.execute(
            # This clock hour and the one before: a window of one to two hours, so the count
            # does not start from nothing at every full hour.
            "SELECT coalesce(sum(failures), 0) FROM code_lookup_failures "
            "WHERE scope = %s AND hour >= %s",
            [scope, hour - timedelta(hours=1)],
        ).fetchone()
        if row is not None and int(row[0]) >= limit:
            wait = int((hour + timedelta(hours=1) - moment).total_seconds()) + 1
            return Lookup(status="throttled", retry_after_s=wait)
    row = conn.execute(
        f"SELECT {_RECORD_COLUMNS} FROM progress p WHERE p.code = %s",  # noqa: S608
        [code],
    ).fetchone()
    if row is None:
        for scope in scopes:
            conn.execute(
                "INSERT INTO code_lookup_failures (scope, hour, failures) VALUES (%s, %s, 1) "
                "ON CONFLICT (scope, hour) DO UPDATE "
                "SET failures = code_lookup_failures.failures + 1",
                [scope, hour],
            )
        return Lookup(status="unknown")
    if row[3] <= moment:
        return Lookup(status="expired")
    _hold(conn, terminal, str(row[0]))
    return Lookup(record=_record(row))


def purge(conn: Conn, now: datetime | None = None) -> tuple[int, int]:
    """Delete expired progress and old throttle counts; returns (records, counts) deleted."""
    moment = now or datetime.now(UTC)
    records = conn.execute("DELETE FROM progress WHERE expires_at <= %s", [moment]).rowcount
    counts = conn.execute(
        "DELETE FROM code_lookup_failures WHERE hour < %s", [moment - timedelta(hours=3)]
    ).rowcount
    conn.execute("DELETE FROM received_rows WHERE received_at < %s", [moment - timedelta(days=30)])
    return records, counts
