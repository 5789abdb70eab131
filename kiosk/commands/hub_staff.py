"""`kiosk hub staff add|reset|disable|list`: the staff web desk's accounts, for administrators.

A password is typed twice at a terminal (never on the command line, where `ps` and the shell's
history would keep it), or read as one line from stdin when stdin is not a terminal (scripts).
"""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any

from psycopg import Connection

from kiosk.commands.common import EXIT_OK, EXIT_USAGE
from kiosk.hub.desk import accounts, audit


class PasswordError(Exception):
    """No usable password was given; the message says why in one line."""


def read_password(name: str) -> str:
    """The new password for ``name``, checked against the rules (PasswordError if not)."""
    if sys.stdin.isatty():
        password = getpass.getpass(f"password for {name}: ")
        if password != getpass.getpass("the same again: "):
            raise PasswordError("the two passwords differ; nothing changed")
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    try:
        accounts.check_password(password)
    except accounts.AccountError as error:
        raise PasswordError(f"{error}; nothing changed") from None
    return password


def staff(args: argparse.Namespace, conn: Connection[tuple[Any, ...]]) -> int:
    """Carry out one `kiosk hub staff` verb; AccountError (an AdminError) for a refusal."""
    verb = args.hub_verb
    if verb == "list":
        _print_accounts(accounts.accounts(conn))
        return EXIT_OK
    name = args.name
    if verb == "disable":
        accounts.disable(conn, name)
        audit.record_as(conn, audit.COMMAND_LINE, None, "account_disabled", name)
        print(f"account {name}: disabled; its sessions are ended")
        return EXIT_OK
    # The name (and for add, the sites) is checked before the password is asked for.
    if verb == "add":
        accounts.check_new_account(conn, name, args.site or [], admin=args.admin)
    elif not accounts.exists(conn, name):
        raise accounts.AccountError(f"no account {name!r} on this hub")
    try:
        password = read_password(name)
    except PasswordError as error:
        print(f"hub staff {verb}: {error}", file=sys.stderr)
        return EXIT_USAGE
    if verb == "add":
        user = accounts.add_account(conn, name, password, args.site or [], admin=args.admin)
        audit.record_as(conn, audit.COMMAND_LINE, None, "account_added", name)
        print(f"account {name}: added ({_rights(user.admin, user.sites)})")
    else:
        accounts.reset_password(conn, name, password)
        audit.record_as(conn, audit.COMMAND_LINE, None, "password_reset", name)
        print(f"account {name}: new password set; its sessions are ended")
    return EXIT_OK


def _rights(admin: bool, sites: tuple[str, ...]) -> str:
    if admin:
        return "admin: every site"
    return "sites: " + ", ".join(sites)


def _print_accounts(listed: list[accounts.Listed]) -> None:
    if not listed:
        print("no staff accounts (kiosk hub staff add)")
        return
    header = ("name", "rights", "state", "created")
    lines = [header]
    for item in listed:
        state = (
            "active"
            if item.disabled_at is None
            else f"disabled {item.disabled_at.astimezone():%Y-%m-%d}"
        )
        lines.append(
            (
                item.user.name,
                _rights(item.user.admin, item.user.sites),
                state,
                f"{item.created_at.astimezone():%Y-%m-%d}",
            )
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    for line in lines:
        print(
            "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
        )
