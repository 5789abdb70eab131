"""What administrators do on the hub from its command line: sites, terminals, configs, status."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

from psycopg import Connection

from kiosk.config import ConfigError, load_config
from kiosk.config.terminal_local import terminal_local_problems
from kiosk.hub.tokens import new_token, token_digest

Conn = Connection[tuple[Any, ...]]
SITE_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
TERMINAL_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


class AdminError(Exception):
    """The request cannot be carried out; the message says why in one line."""


def check_site_id(site: str) -> None:
    if not SITE_PATTERN.match(site):
        raise AdminError(
            f"site {site!r}: use 1 to 40 lower-case letters, digits and hyphens, e.g. vhs-jena"
        )


def enrol(conn: Conn, site: str, name: str) -> str:
    """A new token for the terminal ``name`` of ``site``; returns it (shown once, never stored).

    Enrolling a name again (a replaced mini PC) gives it a new token; the old one stops working.
    """
    check_site_id(site)
    if not TERMINAL_PATTERN.match(name):
        raise AdminError(
            f"terminal {name!r}: use 1 to 64 letters, digits, dots, hyphens and underscores"
        )
    if conn.execute("SELECT 1 FROM sites WHERE id = %s", [site]).fetchone() is None:
        raise AdminError(
            f"no site {site!r} on this hub: push its config first (kiosk hub config push)"
        )
    existing = conn.execute("SELECT site FROM terminals WHERE name = %s", [name]).fetchone()
    if existing is not None and existing[0] != site:
        raise AdminError(f"terminal {name!r} belongs to site {existing[0]!r}; pick another name")
    token = new_token()
    conn.execute(
        "INSERT INTO terminals (name, site, token_sha256) VALUES (%s, %s, %s) "
        "ON CONFLICT (name) DO UPDATE SET token_sha256 = excluded.token_sha256, "
        "enrolled_at = now(), revoked_at = NULL",
        [name, site, token_digest(token)],
    )
    return token


def revoke(conn: Conn, name: str) -> None:
    """The terminal's token stops working with the next request."""
    cursor = conn.execute(
        "UPDATE terminals SET revoked_at = now() WHERE name = %s AND revoked_at IS NULL", [name]
    )
    if cursor.rowcount == 0:
        known = conn.execute("SELECT 1 FROM terminals WHERE name = %s", [name]).fetchone()
        raise AdminError(
            f"terminal {name!r} was already revoked"
            if known
            else f"no terminal {name!r} on this hub"
        )


def config_problems(path: Path) -> list[str]:
    """Why the file cannot be a site's config on the hub, one FILE:LINE line each."""
    try:
        load_config(path)
    except ConfigError as error:
        return [str(problem) for problem in error.problems]
    text = path.read_text(encoding="utf-8")
    return [str(problem) for problem in terminal_local_problems(text, str(path))]


def push_config(conn: Conn, site: str, path: Path) -> int:
    """Store a checked config file as the site's next version (the site is made if new);
    returns the version, or the current one when the file is unchanged."""
    check_site_id(site)
    problems = config_problems(path)
    if problems:
        raise AdminError("\n".join(problems))
    body = path.read_text(encoding="utf-8")
    digest = hashlib.sha256(body.encode("utf-8")).hexdigest()
    conn.execute("INSERT INTO sites (id) VALUES (%s) ON CONFLICT DO NOTHING", [site])
    # Versions of one site are numbered one after the other, also when two admins push at once.
    conn.execute("SELECT 1 FROM sites WHERE id = %s FOR UPDATE", [site])
    latest = conn.execute(
        "SELECT version, sha256 FROM site_configs WHERE site = %s ORDER BY version DESC LIMIT 1",
        [site],
    ).fetchone()
    if latest is not None and latest[1] == digest:
        return int(latest[0])
    version = 1 if latest is None else int(latest[0]) + 1
    conn.execute(
        "INSERT INTO site_configs (site, version, body, sha256) VALUES (%s, %s, %s, %s)",
        [site, version, body, digest],
    )
    return version


def site_config(conn: Conn, site: str) -> str | None:
    """The newest config text of a site."""
    row = conn.execute(
        "SELECT body FROM site_configs WHERE site = %s ORDER BY version DESC LIMIT 1", [site]
    ).fetchone()
    return None if row is None else str(row[0])
