"""Staff accounts of the web desk: who may sign in, to which sites, and their password hashes."""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from psycopg import Connection

from kiosk.core import pin_hash
from kiosk.core.staff_auth import verify_pin
from kiosk.hub.admin import AdminError, check_site_id

Conn = Connection[tuple[Any, ...]]
NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{1,39}$")
PASSWORD_MIN = 10
PASSWORD_MAX = 200
# scrypt with 32 MiB per hash (n·r·128 bytes), about 0.1 s: guessing a stolen hash is slow and
# cannot be spread over a graphics card's thousands of small cores. Stronger than the terminal
# PIN's n=2**14, which must check within the kiosk's touch latency.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1


class AccountError(AdminError):
    """An account cannot be made or changed; the message says why in one line."""


@dataclass(frozen=True)
class StaffUser:
    """A signed-in person: the sites they may see and change, or every site as an admin."""

    id: int
    name: str
    sites: tuple[str, ...]
    admin: bool

    def may_see(self, site: str) -> bool:
        return self.admin or site in self.sites


@dataclass(frozen=True)
class Listed:
    """An account as `kiosk hub staff list` shows it."""

    user: StaffUser
    disabled_at: datetime | None
    created_at: datetime


def hash_password(password: str) -> str:
    """The stored form, as the staff PIN's: ``scrypt$N$r$p$<salt b64>$<hash b64>``."""
    salt = secrets.token_bytes(pin_hash.SALT_BYTES)
    digest = hashlib.scrypt(
        password.encode("utf-8"),
        salt=salt,
        n=SCRYPT_N,
        r=SCRYPT_R,
        p=SCRYPT_P,
        dklen=pin_hash.HASH_BYTES,
        maxmem=pin_hash.MAX_MEM,
    )
    return pin_hash.encode(pin_hash.ScryptHash(SCRYPT_N, SCRYPT_R, SCRYPT_P, salt, digest))


def verify_password(password: str, encoded: str) -> bool:
    """Whether the password matches; a malformed hash is a mismatch, never an error."""
    return verify_pin(password, encoded)


@cache
def _stand_in_hash() -> str:
    # Checked for names that have no account (or a disabled one), so that a wrong name takes
    # as long as a wrong password and the page cannot tell which names exist.
    return hash_password(secrets.token_urlsafe(16))


def check_password(password: str) -> None:
    if not PASSWORD_MIN <= len(password) <= PASSWORD_MAX:
        raise AccountError(
            f"the password must have {PASSWORD_MIN} to {PASSWORD_MAX} characters "
            f"(it has {len(password)})"
        )


def check_name(name: str) -> None:
    if not NAME_PATTERN.match(name):
        raise AccountError(
            f"name {name!r}: use 2 to 40 lower-case letters, digits, dots, hyphens and "
            "underscores, starting with a letter or digit, e.g. anna.k"
        )


def _user(row: tuple[Any, ...]) -> StaffUser:
    return StaffUser(id=int(row[0]), name=str(row[1]), sites=tuple(row[2]), admin=bool(row[3]))


def add_account(
    conn: Conn, name: str, password: str, sites: Sequence[str], *, admin: bool = False
) -> StaffUser:
    """A new account; its sites must exist on the hub. Nothing is written when refused."""
    check_password(password)
    chosen = check_new_account(conn, name, sites, admin=admin)
    row = conn.execute(
        "INSERT INTO staff_accounts (name, sites, admin, password_hash) VALUES (%s, %s, %s, %s) "
        "RETURNING id, name, sites, admin",
        [name, list(chosen), admin, hash_password(password)],
    ).fetchone()
    if row is None:  # INSERT … RETURNING always returns its row
        raise AccountError(f"account {name!r} was not stored")
    return _user(row)


def check_new_account(
    conn: Conn, name: str, sites: Sequence[str], *, admin: bool = False
) -> tuple[str, ...]:
    """The sites of a new account, each once; AccountError when the account cannot be made
    (checked before a password is asked for)."""
    check_name(name)
    chosen = tuple(dict.fromkeys(sites))  # the order given, each site once
    if not chosen and not admin:
        raise AccountError("give the sites the person works at (--site SITE), or --admin")
    for site in chosen:
        try:
            check_site_id(site)
        except AdminError as error:
            raise AccountError(str(error)) from None
        if conn.execute("SELECT 1 FROM sites WHERE id = %s", [site]).fetchone() is None:
            raise AccountError(f"no site {site!r} on this hub")
    if conn.execute("SELECT 1 FROM staff_accounts WHERE name = %s", [name]).fetchone():
        raise AccountError(f"there is an account {name!r} already (kiosk hub staff reset)")
    return chosen


def exists(conn: Conn, name: str) -> bool:
    """Whether there is an account of that name, enabled or not."""
    return (
        conn.execute("SELECT 1 FROM staff_accounts WHERE name = %s", [name]).fetchone() is not None
    )


def _account_id(conn: Conn, name: str) -> int:
    row = conn.execute("SELECT id FROM staff_accounts WHERE name = %s", [name]).fetchone()
    if row is None:
        raise AccountError(f"no account {name!r} on this hub")
    return int(row[0])


def reset_password(conn: Conn, name: str, password: str) -> None:
    """A new password; the person's sessions end, a disabled account is enabled again, and the
    name's wrong-password counter starts afresh."""
    check_password(password)
    account = _account_id(conn, name)
    conn.execute(
        "UPDATE staff_accounts SET password_hash = %s, disabled_at = NULL WHERE id = %s",
        [hash_password(password), account],
    )
    conn.execute("DELETE FROM staff_sessions WHERE account_id = %s", [account])
    conn.execute("DELETE FROM staff_sign_in_failures WHERE scope = %s", [f"name:{name}"])


def disable(conn: Conn, name: str) -> None:
    """The person can no longer sign in; their open sessions end at once."""
    account = _account_id(conn, name)
    conn.execute(
        "UPDATE staff_accounts SET disabled_at = coalesce(disabled_at, now()) WHERE id = %s",
        [account],
    )
    conn.execute("DELETE FROM staff_sessions WHERE account_id = %s", [account])


def accounts(conn: Conn) -> list[Listed]:
    """Every account, by name."""
    rows = conn.execute(
        "SELECT id, name, sites, admin, disabled_at, created_at FROM staff_accounts ORDER BY name"
    ).fetchall()
    return [Listed(_user(row), row[4], row[5]) for row in rows]


def signing_in(conn: Conn, name: str) -> tuple[StaffUser | None, str]:
    """The enabled account of that name and the hash to check the password against; for an
    unknown or disabled name, None and a stand-in hash that takes as long to check."""
    row = conn.execute(
        "SELECT id, name, sites, admin, password_hash FROM staff_accounts "
        "WHERE name = %s AND disabled_at IS NULL",
        [name],
    ).fetchone()
    if row is None:
        return None, _stand_in_hash()
    return _user(row), str(row[4])
