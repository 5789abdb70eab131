"""A site's date exceptions on the hub (migration 0008): the core's store methods for them over
PostgreSQL, the changes terminals push, and what changed for the terminals to pull.

One row per site and day. The last change wins, by the time staff made it (as device states);
every change, the losing one too, takes a new change number, so the terminal that sent it
pulls the exception as the hub keeps it. A removal keeps the row, marked removed.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from typing import Any

from psycopg import Connection

from kiosk.hub.models import DateExceptionRecord
from kiosk.hub.sequence import next_change

log = logging.getLogger("kiosk.hub")
Conn = Connection[tuple[Any, ...]]
_COLUMNS = "id, day, closed, opens_minute, closes_minute, note, removed, changed_ts"
# Staff's own change here: it wins over what is stored, and never goes back in time (a
# terminal with a clock ahead may have stored a later one).
_PUT = (
    "INSERT INTO date_exceptions AS d (site, day, closed, opens_minute, closes_minute, note, "
    "removed, changed_ts, change_seq) VALUES (%(site)s, %(day)s, %(closed)s, %(opens)s, "
    "%(closes)s, %(note)s, %(removed)s, %(changed_ts)s, %(seq)s) "
    "ON CONFLICT (site, day) DO UPDATE SET closed = excluded.closed, "
    "opens_minute = excluded.opens_minute, closes_minute = excluded.closes_minute, "
    "note = excluded.note, removed = excluded.removed, "
    "changed_ts = greatest(d.changed_ts, excluded.changed_ts), change_seq = excluded.change_seq"
)


@dataclass(frozen=True)
class HubException:
    """A date exception as the hub keeps it (the core's ExceptionRow)."""

    id: int
    day: str
    closed: bool
    opens_minute: int | None
    closes_minute: int | None
    note: str
    removed: bool
    changed_ts: int

    def record(self) -> DateExceptionRecord:
        """The exception as terminals receive it."""
        return DateExceptionRecord(
            day=self.day,
            closed=self.closed,
            opens_minute=self.opens_minute,
            closes_minute=self.closes_minute,
            note=self.note,
            removed=self.removed,
            changed_ts=self.changed_ts,
        )


def _exception(values: tuple[Any, ...]) -> HubException:
    id_, day, closed, opens, closes, note, removed, changed = values
    return HubException(
        int(id_), day.isoformat(), bool(closed), opens, closes, str(note), bool(removed), changed
    )


def sound(record: DateExceptionRecord) -> bool:
    """Whether the record is a real day with hours in order (what the table's checks hold)."""
    try:
        date.fromisoformat(record.day)
    except ValueError:
        return False
    if record.closed:
        return True
    opens, closes = record.opens_minute, record.closes_minute
    return opens is not None and closes is not None and opens < closes


class PgDateExceptions:
    """The date-exception part of the site's store (kiosk.hub.bookings.PgBookingStore)."""

    _conn: Conn
    _site: str
    # One store serves one request in its transaction, and a booking decision asks the calendar
    # about the same day for every slot it checks: each span is read once, and this store's own
    # changes forget what was read.
    _exceptions_read: dict[tuple[str, str], list[HubException]]

    def date_exceptions(self, first_day: str, last_day: str) -> list[HubException]:
        span = (first_day, last_day)
        if span not in self._exceptions_read:
            rows = self._conn.execute(
                f"SELECT {_COLUMNS} FROM date_exceptions WHERE site = %s "  # noqa: S608
                "AND day BETWEEN %s AND %s AND NOT removed ORDER BY day",
                [self._site, first_day, last_day],
            ).fetchall()
            self._exceptions_read[span] = [_exception(row) for row in rows]
        return list(self._exceptions_read[span])

    def put_date_exception(
        self,
        *,
        day: str,
        closed: bool,
        opens_minute: int | None,
        closes_minute: int | None,
        note: str,
        now_ts: int,
    ) -> HubException:
        """Store the day's exception (staff at the web desk), replacing the day's earlier one."""
        self._exceptions_read.clear()
        row = self._conn.execute(
            f"{_PUT} RETURNING {_COLUMNS}",
            {
                "seq": next_change(self._conn),
                "site": self._site,
                "day": day,
                "closed": closed,
                "opens": opens_minute,
                "closes": closes_minute,
                "note": note,
                "removed": False,
                "changed_ts": now_ts,
            },
        ).fetchone()
        if row is None:  # pragma: no cover - an upsert returns its row
            raise RuntimeError("a date exception just written cannot be read back")
        return _exception(row)

    def remove_date_exception(self, exception_id: int, now_ts: int) -> bool:
        """Mark the site's exception removed; False if none is in force by that id."""
        self._exceptions_read.clear()
        row = self._conn.execute(
            "UPDATE date_exceptions SET removed = true, "
            "changed_ts = greatest(changed_ts, %s), change_seq = %s "
            "WHERE id = %s AND site = %s AND NOT removed RETURNING id",
            [now_ts, next_change(self._conn), exception_id, self._site],
        ).fetchone()
        return row is not None

    def keep_date_exception(self, record: DateExceptionRecord) -> bool:
        """A change a terminal pushed: stored unless a later one is (the last change wins);
        either way the day takes a new change number, so the sender pulls the winner. True
        if kept; an unsound record (no such day, hours out of order) is left out."""
        if not sound(record):
            log.warning("a terminal pushed a date exception that cannot be; not stored")
            return False
        self._exceptions_read.clear()
        row = self._conn.execute(
            "INSERT INTO date_exceptions AS d (site, day, closed, opens_minute, closes_minute, "
            "note, removed, changed_ts, change_seq) VALUES (%(site)s, %(day)s, %(closed)s, "
            "%(opens)s, %(closes)s, %(note)s, %(removed)s, %(changed_ts)s, %(seq)s) "
            "ON CONFLICT (site, day) DO UPDATE SET "
            "closed = CASE WHEN d.changed_ts <= excluded.changed_ts "
            "THEN excluded.closed ELSE d.closed END, "
            "opens_minute = CASE WHEN d.changed_ts <= excluded.changed_ts "
            "THEN excluded.opens_minute ELSE d.opens_minute END, "
            "closes_minute = CASE WHEN d.changed_ts <= excluded.changed_ts "
            "THEN excluded.closes_minute ELSE d.closes_minute END, "
            "note = CASE WHEN d.changed_ts <= excluded.changed_ts "
            "THEN excluded.note ELSE d.note END, "
            "removed = CASE WHEN d.changed_ts <= excluded.changed_ts "
            "THEN excluded.removed ELSE d.removed END, "
            "changed_ts = greatest(d.changed_ts, excluded.changed_ts), "
            "change_seq = excluded.change_seq "
            "RETURNING changed_ts = %(changed_ts)s",
            {
                # The change number first, as every writer takes it (kiosk.hub.sequence).
                "seq": next_change(self._conn),
                "site": self._site,
                "day": record.day,
                "closed": record.closed,
                "opens": None if record.closed else record.opens_minute,
                "closes": None if record.closed else record.closes_minute,
                "note": record.note,
                "removed": record.removed,
                "changed_ts": record.changed_ts,
            },
        ).fetchone()
        return bool(row and row[0])


def changed_exceptions(
    conn: Conn, site: str, since: int, upto: int, limit: int
) -> list[tuple[int, DateExceptionRecord]]:
    """(change number, exception) of the site's date exceptions changed in (since, upto]."""
    rows = conn.execute(
        f"SELECT {_COLUMNS}, change_seq FROM date_exceptions WHERE site = %s "  # noqa: S608
        "AND change_seq > %s AND change_seq <= %s ORDER BY change_seq LIMIT %s",
        [site, since, upto, limit],
    ).fetchall()
    return [(int(row[-1]), _exception(row[:-1]).record()) for row in rows]
