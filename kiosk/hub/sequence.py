"""The hub's change counter: the order in which terminals pull what changed.

Every change a terminal may pull (a progress record, a booking, a device state) takes the next
number and keeps it as its ``change_seq``. Taking a number locks the counter's row until the
transaction ends, so changes become visible in the order of their numbers and a terminal's
cursor never skips one. A transaction that writes bookings takes the counter before it touches
a booking row: every writer then waits at the same place, and two of them never hold each
other's rows (a deadlock).
"""

from __future__ import annotations

from typing import Any

from psycopg import Connection

Conn = Connection[tuple[Any, ...]]


def next_change(conn: Conn) -> int:
    """The next change number (the counter stays locked until the transaction ends)."""
    row = conn.execute(
        "UPDATE change_counter SET value = value + 1 WHERE singleton RETURNING value"
    ).fetchone()
    if row is None:
        raise RuntimeError("change_counter has no row: the schema is incomplete")
    return int(row[0])


def latest_change(conn: Conn) -> int:
    """The newest change number committed: every change up to it is visible now."""
    row = conn.execute("SELECT value FROM change_counter").fetchone()
    return 0 if row is None else int(row[0])


def lock_changes(conn: Conn) -> None:
    """Take the counter's lock without a number: a transaction that will write bookings in
    several steps (a pushed batch) waits here first, before it holds anything else."""
    conn.execute("SELECT 1 FROM change_counter FOR UPDATE")
