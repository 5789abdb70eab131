"""The statements that delete visitors' names past their retention, for any copy of the schema.

The same statements run on the live database and inside every backup (kiosk.storage.backup), so
a restored backup holds no name the running kiosk would already have deleted. A name lives in a
booking and, on a terminal joined to a hub, in the body of the booking's queued "create" (until
the hub has it) or of one the hub refused; older schemas lack some of these tables.
"""

from __future__ import annotations

import sqlite3

# (table, statement that deletes names of bookings ended before ?, statement that finds one)
_PURGES = (
    (
        "bookings",
        "UPDATE bookings SET name = NULL WHERE name IS NOT NULL AND end_ts < ?",
        "SELECT 1 FROM bookings WHERE name IS NOT NULL AND end_ts < ? LIMIT 1",
    ),
    *(
        (
            table,
            f"UPDATE {table} SET body = json_set(body, '$.booking.name', NULL) "  # noqa: S608
            "WHERE kind = 'booking' AND json_extract(body, '$.booking.name') IS NOT NULL "
            "AND json_extract(body, '$.booking.end_ts') < ?",
            f"SELECT 1 FROM {table} WHERE kind = 'booking' "  # noqa: S608
            "AND json_extract(body, '$.booking.name') IS NOT NULL "
            "AND json_extract(body, '$.booking.end_ts') < ? LIMIT 1",
        )
        for table in ("outbox", "outbox_rejected")
    ),
)


def _tables(conn: sqlite3.Connection) -> set[str]:
    return {
        str(row[0]) for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    }


def holds_names(conn: sqlite3.Connection, ended_before_ts: int) -> bool:
    """Whether the database still holds a name of a booking that ended before the cut-off."""
    tables = _tables(conn)
    return any(
        conn.execute(find, [ended_before_ts]).fetchone() is not None
        for table, _purge, find in _PURGES
        if table in tables
    )


def empty_write_ahead_log(conn: sqlite3.Connection) -> None:
    """Copy the write-ahead log into the database file and truncate it to nothing: older
    versions of purged pages must not linger there (a reader still busy leaves it for next time)."""
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def purge_names_in(conn: sqlite3.Connection, ended_before_ts: int) -> int:
    """Delete every name of a booking that ended before the cut-off, in the caller's transaction.

    Returns how many bookings lost their name (the queued copies are not counted: they are the
    same bookings).
    """
    tables = _tables(conn)
    bookings = 0
    for table, purge, _find in _PURGES:
        if table in tables:
            changed = conn.execute(purge, [ended_before_ts]).rowcount
            if table == "bookings":
                bookings = changed
    return bookings
