"""Usage events and their daily counts in SQLite; aggregation happens here, in SQL.

Raw events are rolled up into ``usage_daily`` (one row per day and combination of values);
counts read the daily counts plus the raw events not yet rolled up. Raw events older than the
retention period are deleted once they are counted.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlite_utils import Database

from kiosk.storage.connection import translated_errors, write_transaction
from kiosk.storage.outbox_repo import KIND_USAGE_EVENT, OutboxWriter
from kiosk.storage.repositories import SettingsRepository

DIMENSIONS = ("language", "course_id", "device_kind", "format", "duration")
KEY_ROLLED_ID = "stats.rolled_id"  # the last raw event id counted into usage_daily
_PERIOD_SQL = {
    "day": "day",
    "week": "date(day, '-6 days', 'weekday 1')",  # the Monday of the day's ISO week
    "month": "strftime('%Y-%m-01', day)",
}
_ALL = ", ".join(("kind", *DIMENSIONS))
_EVENT_FIELDS = ("hour", "kind", *DIMENSIONS)


@dataclass(frozen=True)
class CountRow:
    period: str  # the first day of the period, YYYY-MM-DD
    category: str  # the dimension's value ('' when the table has no dimension)
    count: int


class UsageRepository:
    """Writes events, rolls them up, deletes old ones and counts them.

    With an outbox (a terminal joined to a hub), every event is also queued for the hub in the
    same transaction: both are written, or neither.
    """

    def __init__(
        self, db: Database, settings: SettingsRepository, outbox: OutboxWriter | None = None
    ) -> None:
        self._db = db
        self._settings = settings
        self._outbox = outbox

    def add_event(
        self,
        hour: str,
        kind: str,
        *,
        language: str = "",
        course_id: str = "",
        device_kind: str = "",
        format: str = "",
        duration: str = "",
    ) -> None:
        with write_transaction(self._db):
            self._db.execute(
                "INSERT INTO usage_events (hour, kind, language, course_id, device_kind, "
                "format, duration) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [hour, kind, language, course_id, device_kind, format, duration],
            )
            if self._outbox is not None:
                values = (hour, kind, language, course_id, device_kind, format, duration)
                self._outbox.add(KIND_USAGE_EVENT, dict(zip(_EVENT_FIELDS, values, strict=True)))

    def add_events(self, rows: Iterable[Sequence[str]]) -> int:
        """Many events in one transaction: (hour, kind, language, course_id, device_kind,
        format, duration) each. For demo data and benchmarks."""
        events = [tuple(row) for row in rows]
        with write_transaction(self._db):
            cursor = self._db.conn.executemany(
                "INSERT INTO usage_events (hour, kind, language, course_id, device_kind, "
                "format, duration) VALUES (?, ?, ?, ?, ?, ?, ?)",
                events,
            )
            if self._outbox is not None:
                self._outbox.add_many(
                    KIND_USAGE_EVENT,
                    [dict(zip(_EVENT_FIELDS, event, strict=True)) for event in events],
                )
        return cursor.rowcount

    def frozen_month(self, table: str, month: str) -> str | None:
        """The protected table of ``table`` for the month published before, if it was."""
        with translated_errors():
            row = self._db.execute(
                "SELECT body FROM published_months WHERE table_name = ? AND month = ?",
                [table, month],
            ).fetchone()
        return None if row is None else str(row[0])

    def freeze_month(self, table: str, month: str, body: str) -> None:
        """Keep a month's protected table as published (the first one kept stays)."""
        with write_transaction(self._db):
            self._db.execute(
                "INSERT INTO published_months (table_name, month, body, published_at) "
                "VALUES (?, ?, ?, datetime('now')) ON CONFLICT DO NOTHING",
                [table, month, body],
            )

    def rolled_id(self) -> int:
        """The id of the last raw event counted into usage_daily (0 = none yet)."""
        try:
            return int(self._settings.get(KEY_ROLLED_ID) or 0)
        except ValueError:
            return 0

    def roll_up(self) -> None:
        """Add every raw event not yet counted to the daily counts (one transaction).

        The high-water mark is the event id, not a day, so an event that arrives late for its
        hour (demo data, a clock put right) is still counted exactly once.
        """
        with write_transaction(self._db):
            last = self._db.execute("SELECT coalesce(max(id), 0) FROM usage_events").fetchone()[0]
            done = self.rolled_id()
            if last <= done:
                return
            self._db.execute(
                f"INSERT INTO usage_daily (day, {_ALL}, count) "  # noqa: S608 - constant names
                f"SELECT substr(hour, 1, 10) AS day, {_ALL}, count(*) FROM usage_events "
                "WHERE id > ? AND id <= ? "
                f"GROUP BY day, {_ALL} "
                "ON CONFLICT DO UPDATE SET count = usage_daily.count + excluded.count",
                [done, last],
            )
            self._db.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [KEY_ROLLED_ID, str(last)],
            )

    def delete_before(self, day: str) -> int:
        """Delete counted raw events of days before ``day``; returns how many."""
        with write_transaction(self._db):
            cursor = self._db.execute(
                "DELETE FROM usage_events WHERE id <= ? AND hour < ?", [self.rolled_id(), day]
            )
        return cursor.rowcount

    def counts(
        self,
        first_day: str,
        last_day: str,
        *,
        kinds: tuple[str, ...],
        period: str,
        dimension: str = "",
    ) -> list[CountRow]:
        """Counts of ``kinds`` per period (day/week/month) and per value of ``dimension``."""
        if period not in _PERIOD_SQL or (dimension and dimension not in (*DIMENSIONS, "kind")):
            raise ValueError("unknown period or dimension")
        done = self.rolled_id()
        category = dimension or "''"
        marks = ", ".join("?" for _ in kinds)
        # The daily counts, plus the raw events not yet counted into them.
        sql = (
            f"WITH rows (day, {_ALL}, count) AS ("  # noqa: S608 - constant names only
            f" SELECT day, {_ALL}, count FROM usage_daily"
            f" UNION ALL SELECT substr(hour, 1, 10), {_ALL}, 1 FROM usage_events"
            "  WHERE id > ?)"
            f" SELECT {_PERIOD_SQL[period]} AS period, {category} AS category, sum(count)"
            f" FROM rows WHERE day BETWEEN ? AND ? AND kind IN ({marks})"
            " GROUP BY period, category ORDER BY period, category"
        )
        params = [done, first_day, last_day, *kinds]
        with translated_errors():
            rows = self._db.execute(sql, params).fetchall()
        return [CountRow(str(p), str(c), int(n)) for p, c, n in rows]
