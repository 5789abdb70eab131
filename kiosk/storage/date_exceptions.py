"""The date_exceptions table: days staff close or give other hours (migration m010).

One row per day. A removal keeps the row, marked removed, with the time it was taken back, so
it travels to the site's other terminals like any change. On a terminal joined to a hub every
change made here queues one operation for the hub ("exception") in the same transaction; what
the hub sent (``keep_shared``) queues nothing and is taken when it changed at least as late as
the row here (the last change wins, a tie goes to the hub, as for device states).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from sqlite_utils import Database

from kiosk.storage.connection import translated_errors, write_transaction

_COLUMNS = "id, day, closed, opens_minute, closes_minute, note, removed, changed_ts"


@dataclass(frozen=True)
class StoredException:
    """A row of date_exceptions (minutes from the day's midnight, 1440 = 24:00)."""

    id: int
    day: str
    closed: bool
    opens_minute: int | None
    closes_minute: int | None
    note: str
    removed: bool
    changed_ts: int


class ExceptionFields(Protocol):
    """A date exception as the hub keeps it (kiosk.core.bookings.SharedDateException)."""

    @property
    def day(self) -> str: ...
    @property
    def closed(self) -> bool: ...
    @property
    def opens_minute(self) -> int | None: ...
    @property
    def closes_minute(self) -> int | None: ...
    @property
    def note(self) -> str: ...
    @property
    def removed(self) -> bool: ...
    @property
    def changed_ts(self) -> int: ...


def _stored(values: Sequence[Any]) -> StoredException:
    id_, day, closed, opens, closes, note, removed, changed = values
    return StoredException(
        int(id_),
        str(day),
        bool(closed),
        None if opens is None else int(opens),
        None if closes is None else int(closes),
        str(note),
        bool(removed),
        int(changed),
    )


def change_body(row: StoredException) -> dict[str, Any]:
    """The change as the hub takes it (kiosk.hub.models.SetException)."""
    return {
        "op": "exception",
        "day": row.day,
        "closed": row.closed,
        "opens_minute": row.opens_minute,
        "closes_minute": row.closes_minute,
        "note": row.note,
        "removed": row.removed,
        "changed_ts": row.changed_ts,
    }


# Inserted or replaced by day: the row keeps its id, so what the desk shows stays addressable.
_UPSERT = (
    "INSERT INTO date_exceptions (day, closed, opens_minute, closes_minute, note, removed, "
    "changed_ts) VALUES (?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (day) DO UPDATE SET closed = excluded.closed, "
    "opens_minute = excluded.opens_minute, closes_minute = excluded.closes_minute, "
    "note = excluded.note, removed = excluded.removed, changed_ts = excluded.changed_ts"
)


class DateExceptionTable:
    """Reads and writes date exceptions; ``queue`` takes a change for the hub (inside the
    writing transaction), or does nothing on a terminal alone."""

    def __init__(self, db: Database, queue: Callable[[Mapping[str, Any]], None]) -> None:
        self._db = db
        self._queue = queue

    def between(self, first_day: str, last_day: str) -> list[StoredException]:
        """The exceptions in force on the days ``first_day`` to ``last_day``, by day."""
        with translated_errors():
            rows = self._db.execute(
                f"SELECT {_COLUMNS} FROM date_exceptions "  # noqa: S608
                "WHERE day >= ? AND day <= ? AND removed = 0 ORDER BY day",
                [first_day, last_day],
            ).fetchall()
        return [_stored(row) for row in rows]

    def put(
        self,
        *,
        day: str,
        closed: bool,
        opens_minute: int | None,
        closes_minute: int | None,
        note: str,
        now_ts: int,
    ) -> StoredException:
        """Store the day's exception (replacing the day's earlier one) and queue it."""
        with write_transaction(self._db):
            self._db.execute(
                _UPSERT, [day, int(closed), opens_minute, closes_minute, note, 0, now_ts]
            )
            row = self._by_day(day)
            self._queue(change_body(row))
        return row

    def remove(self, exception_id: int, now_ts: int) -> bool:
        """Mark the exception removed and queue that; False if none is in force by that id."""
        with write_transaction(self._db):
            changed = self._db.execute(
                "UPDATE date_exceptions SET removed = 1, changed_ts = ? "
                "WHERE id = ? AND removed = 0 RETURNING day",
                [now_ts, exception_id],
            ).fetchone()
            if changed is None:
                return False
            self._queue(change_body(self._by_day(str(changed[0]))))
        return True

    def keep_shared(self, exceptions: Sequence[ExceptionFields]) -> None:
        """Store the hub's exceptions that changed at least as late as the ones here, in one
        transaction, queueing nothing (they came from the hub)."""
        with write_transaction(self._db):
            for found in exceptions:
                self._db.execute(
                    f"{_UPSERT} WHERE excluded.changed_ts >= date_exceptions.changed_ts",
                    [
                        found.day,
                        int(found.closed),
                        found.opens_minute,
                        found.closes_minute,
                        found.note,
                        int(found.removed),
                        found.changed_ts,
                    ],
                )

    def _by_day(self, day: str) -> StoredException:
        row = self._db.execute(
            f"SELECT {_COLUMNS} FROM date_exceptions WHERE day = ?",  # noqa: S608
            [day],
        ).fetchone()
        if row is None:  # pragma: no cover - written in this transaction
            raise RuntimeError("a date exception just written cannot be read back")
        return _stored(row)
