"""Usage events and their daily counts in SQLite; aggregation happens here, in SQL.

Raw events are rolled up into ``usage_daily`` (one row per day and combination of values) for
every day that is over; exports read the daily counts plus the raw events of days not yet rolled
up. Raw events older than the retention period are deleted once their day is rolled up.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlite_utils import Database

from kiosk.storage.connection import translated_errors, write_transaction
from kiosk.storage.repositories import SettingsRepository

DIMENSIONS = ("language", "course_id", "device_kind", "format", "duration")
KEY_ROLLED_THROUGH = "stats.rolled_through"  # the last day (YYYY-MM-DD) rolled up
_PERIOD_SQL = {
    "day": "day",
    "week": "date(day, '-6 days', 'weekday 1')",  # the Monday of the day's ISO week
    "month": "strftime('%Y-%m-01', day)",
}
_ALL = ", ".join(("kind", *DIMENSIONS))


@dataclass(frozen=True)
class CountRow:
    period: str  # the first day of the period, YYYY-MM-DD
    category: str  # the dimension's value ('' when the table has no dimension)
    count: int


class UsageRepository:
    """Writes events, rolls them up, deletes old ones and counts them."""

    def __init__(self, db: Database, settings: SettingsRepository) -> None:
        self._db = db
        self._settings = settings

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

    def add_events(self, rows: Iterable[Sequence[str]]) -> int:
        """Many events in one transaction: (hour, kind, language, course_id, device_kind,
        format, duration) each. For demo data and benchmarks."""
        with write_transaction(self._db):
            cursor = self._db.conn.executemany(
                "INSERT INTO usage_events (hour, kind, language, course_id, device_kind, "
                "format, duration) VALUES (?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
        return cursor.rowcount

    def rolled_through(self) -> str:
        return self._settings.get(KEY_ROLLED_THROUGH) or ""

    def roll_up(self, before_day: str) -> None:
        """Count every day after the last rolled-up one and before ``before_day`` (YYYY-MM-DD)."""
        done = self.rolled_through()
        if done and done >= before_day:
            return
        with write_transaction(self._db):
            self._db.execute(
                f"INSERT INTO usage_daily (day, {_ALL}, count) "  # noqa: S608 - constant names
                f"SELECT substr(hour, 1, 10) AS day, {_ALL}, count(*) FROM usage_events "
                "WHERE hour >= ? AND hour < ? "
                f"GROUP BY day, {_ALL} "
                "ON CONFLICT DO UPDATE SET count = excluded.count",
                [_next_hour_text(done), before_day],
            )
            last = self._db.execute("SELECT date(?, '-1 day')", [before_day]).fetchone()[0]
            self._db.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [KEY_ROLLED_THROUGH, last],
            )

    def delete_before(self, day: str) -> int:
        """Delete raw events of days before ``day`` that are rolled up; returns how many."""
        done = self.rolled_through()
        if not done:
            return 0
        limit = min(day, _day_after(done))
        with write_transaction(self._db):
            cursor = self._db.execute("DELETE FROM usage_events WHERE hour < ?", [limit])
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
        done = self.rolled_through()
        category = dimension or "''"
        marks = ", ".join("?" for _ in kinds)
        # Rolled-up days from usage_daily, later days straight from the raw events.
        sql = (
            f"WITH rows (day, {_ALL}, count) AS ("  # noqa: S608 - constant names only
            f" SELECT day, {_ALL}, count FROM usage_daily WHERE day <= ?"
            f" UNION ALL SELECT substr(hour, 1, 10), {_ALL}, 1 FROM usage_events"
            "  WHERE hour >= ?)"
            f" SELECT {_PERIOD_SQL[period]} AS period, {category} AS category, sum(count)"
            f" FROM rows WHERE day BETWEEN ? AND ? AND kind IN ({marks})"
            " GROUP BY period, category ORDER BY period, category"
        )
        params = [done, _next_hour_text(done), first_day, last_day, *kinds]
        with translated_errors():
            rows = self._db.execute(sql, params).fetchall()
        return [CountRow(str(p), str(c), int(n)) for p, c, n in rows]


def _day_after(day: str) -> str:
    from datetime import date, timedelta

    return (date.fromisoformat(day) + timedelta(days=1)).isoformat()


def _next_hour_text(done: str) -> str:
    """The first hour text after the rolled-up days ('' sorts before every hour)."""
    return _day_after(done) if done else ""
