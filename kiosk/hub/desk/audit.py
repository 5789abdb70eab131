"""The staff desk's audit log: who changed what at which site, and when; never a visitor's name."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from psycopg import Connection

from kiosk.hub.desk.accounts import StaffUser

Conn = Connection[tuple[Any, ...]]
ACTION_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
DETAIL_MAX = 200
# Written by `kiosk hub staff …` as the account's "who": the administrator at the hub's shell.
COMMAND_LINE = "(command line)"


@dataclass(frozen=True)
class Entry:
    """One row of the audit log."""

    at: datetime
    account: str
    site: str | None
    action: str
    detail: str


def record(conn: Conn, user: StaffUser, site: str | None, action: str, detail: str = "") -> None:
    """Write one audit row in the caller's transaction, so that it stands exactly when the
    change it describes does. ``detail``: a booking code or device id, never a person's name."""
    record_as(conn, user.name, site, action, detail)


def record_as(conn: Conn, account: str, site: str | None, action: str, detail: str = "") -> None:
    """As record(), for an account by name (sign-in, the command line)."""
    if not ACTION_PATTERN.match(action):
        raise ValueError(f"audit action {action!r}: lower-case letters, digits and underscores")
    conn.execute(
        "INSERT INTO staff_audit (account, site, action, detail) VALUES (%s, %s, %s, %s)",
        [account, site, action, detail[:DETAIL_MAX]],
    )


def entries(conn: Conn, *, site: str | None = None, limit: int = 200) -> list[Entry]:
    """The newest rows first; of one site when given."""
    rows = conn.execute(
        "SELECT at, account, site, action, detail FROM staff_audit "
        "WHERE %(site)s::text IS NULL OR site = %(site)s ORDER BY id DESC LIMIT %(limit)s",
        {"site": site, "limit": limit},
    ).fetchall()
    return [Entry(*row) for row in rows]
