"""Signing in to the staff desk: sessions behind a random cookie, their CSRF tokens, and growing
waits after wrong passwords per account name and per client address."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from psycopg import Connection
from psycopg_pool import ConnectionPool

from kiosk.hub.desk import accounts, audit
from kiosk.hub.desk.accounts import StaffUser

Conn = Connection[tuple[Any, ...]]
Pool = ConnectionPool[Connection[tuple[Any, ...]]]
SESSION_LIFETIME = timedelta(hours=12)
SESSION_IDLE = timedelta(hours=2)
# last_used_at is written at most this often: a page view need not be a write each time.
TOUCH_EVERY = timedelta(minutes=1)
FREE_TRIES = 3
MAX_WAIT_S = 15 * 60
# A counter left alone this long starts again from nothing.
FORGET_AFTER = timedelta(days=1)
NAME_LIMIT = 40  # what the name field takes; longer input is cut before it becomes a key


@dataclass(frozen=True)
class Session:
    """A signed-in browser: the person and the token every form of theirs must send back."""

    user: StaffUser
    csrf: str


@dataclass(frozen=True)
class SignIn:
    """The outcome of one sign-in: the new session's cookie value, or how long to wait
    (0: the name or the password was wrong; the page never says which)."""

    token: str | None
    session: Session | None
    wait_s: int


def token_digest(token: str) -> bytes:
    """What the database keeps of a session cookie: 256 random bits need no slow hash."""
    return hashlib.sha256(token.encode("ascii", "replace")).digest()


def wait_after(failures: int) -> int:
    """Seconds a try must wait after the last failure: none for the first three, then 1, 2,
    4, … up to 15 minutes. Never a lockout: a colleague's typos cannot shut anyone out for
    longer than that."""
    if failures < FREE_TRIES:
        return 0
    return int(min(2 ** min(failures - FREE_TRIES, 20), MAX_WAIT_S))


def _scopes(name: str, address: str) -> list[str]:
    # Sorted, so two sign-ins lock the same rows in the same order (no deadlock).
    return sorted({f"name:{name[:NAME_LIMIT].lower()}", f"addr:{address}"})


def _take_a_try(conn: Conn, scopes: list[str]) -> int:
    """Count this try against every scope before the password is checked, or return the
    seconds still to wait (and count nothing). Counting first means that many tries sent at
    once cannot all pass while the first is still being checked."""
    conn.execute("DELETE FROM staff_sign_in_failures WHERE last_at < now() - %s", [FORGET_AFTER])
    conn.execute(
        "INSERT INTO staff_sign_in_failures (scope) SELECT unnest(%s::text[]) "
        "ON CONFLICT (scope) DO NOTHING",
        [scopes],
    )
    rows = conn.execute(
        "SELECT failures, extract(epoch FROM now() - last_at) FROM staff_sign_in_failures "
        "WHERE scope = ANY(%s) ORDER BY scope FOR UPDATE",
        [scopes],
    ).fetchall()
    wait = 0.0
    for failures, elapsed_s in rows:
        needed = wait_after(int(failures))
        if needed:
            wait = max(wait, needed - float(elapsed_s))
    if wait > 0:
        return max(1, int(wait + 0.999))
    conn.execute(
        "UPDATE staff_sign_in_failures SET failures = failures + 1, last_at = now() "
        "WHERE scope = ANY(%s)",
        [scopes],
    )
    return 0


def sign_in(
    pool: Pool,
    name: str,
    password: str,
    address: str,
) -> SignIn:
    """Check a name and password from ``address``; on success a new session.

    The password is checked outside any transaction: scrypt takes a tenth of a second and
    must not hold a database connection's locks meanwhile.
    """
    name = name.strip().lower()[:NAME_LIMIT]
    scopes = _scopes(name, address)
    with pool.connection() as conn:
        wait = _take_a_try(conn, scopes)
        if wait:
            return SignIn(None, None, wait)
        user, encoded = accounts.signing_in(conn, name)
    matches = accounts.verify_password(password[: accounts.PASSWORD_MAX], encoded)
    if user is None or not matches:
        if user is not None:
            with pool.connection() as conn:
                audit.record(conn, user, None, "sign_in_refused", "wrong password")
        return SignIn(None, None, 0)
    token = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    with pool.connection() as conn:
        # The try was counted before the check: a success takes it back from the address
        # and clears the account's counter.
        conn.execute("DELETE FROM staff_sign_in_failures WHERE scope = %s", [f"name:{name}"])
        conn.execute(
            "UPDATE staff_sign_in_failures SET failures = greatest(failures - 1, 0) "
            "WHERE scope = %s",
            [f"addr:{address}"],
        )
        conn.execute(
            "INSERT INTO staff_sessions (token_sha256, account_id, csrf, expires_at) "
            "VALUES (%s, %s, %s, now() + %s)",
            [token_digest(token), user.id, csrf, SESSION_LIFETIME],
        )
        audit.record(conn, user, None, "sign_in")
    return SignIn(token, Session(user, csrf), 0)


def session(conn: Conn, token: str) -> Session | None:
    """The live session behind a cookie value: not past 12 h, used in the last 2 h, its
    account enabled. An ended session is deleted when it is seen."""
    digest = token_digest(token[:100])
    row = conn.execute(
        "SELECT a.id, a.name, a.sites, a.admin, s.csrf, "
        " s.expires_at > now() AND s.last_used_at > now() - %s AND a.disabled_at IS NULL, "
        " s.last_used_at < now() - %s "
        "FROM staff_sessions s JOIN staff_accounts a ON a.id = s.account_id "
        "WHERE s.token_sha256 = %s",
        [SESSION_IDLE, TOUCH_EVERY, digest],
    ).fetchone()
    if row is None:
        return None
    if not row[5]:
        conn.execute("DELETE FROM staff_sessions WHERE token_sha256 = %s", [digest])
        return None
    if row[6]:
        conn.execute(
            "UPDATE staff_sessions SET last_used_at = now() WHERE token_sha256 = %s", [digest]
        )
    user = StaffUser(id=int(row[0]), name=str(row[1]), sites=tuple(row[2]), admin=bool(row[3]))
    return Session(user, str(row[4]))


def sign_out(conn: Conn, token: str, user: StaffUser) -> None:
    """End this browser's session (others of the same person stay)."""
    conn.execute("DELETE FROM staff_sessions WHERE token_sha256 = %s", [token_digest(token)])
    audit.record(conn, user, None, "sign_out")
    # Ended sessions of everyone, while we are here: nobody else deletes them.
    conn.execute(
        "DELETE FROM staff_sessions WHERE expires_at < now() OR last_used_at < now() - %s",
        [SESSION_IDLE],
    )


def same_csrf(given: str | None, expected: str) -> bool:
    """Whether a form's token is the session's, compared in constant time."""
    if not given:
        return False
    return hmac.compare_digest(given.encode("utf-8", "replace"), expected.encode("utf-8"))
