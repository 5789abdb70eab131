"""Staff accounts: the password hash, the rules for names, passwords and sites, and
`kiosk hub staff add|reset|disable|list` as administrators run it (real processes, PostgreSQL)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

from kiosk.core import pin_hash
from kiosk.hub.desk import accounts, audit, sessions
from kiosk.hub.desk.accounts import AccountError, StaffUser
from tests.hub.servers import REPO, add_site

PASSWORD = "a long enough secret"  # noqa: S105 - test accounts'
NEW_PASSWORD = "a brand new secret"  # noqa: S105
OTHER_PASSWORD = "another secret"  # noqa: S105


def staff(
    database_url: str, *args: str, password: str | None = None
) -> subprocess.CompletedProcess[str]:
    """`python -m kiosk hub staff ARGS`, the password (if any) on stdin as a script gives it."""
    environment = {**os.environ, "KIOSK_HUB_DATABASE": database_url}
    result = subprocess.run(
        [sys.executable, "-m", "kiosk", "hub", "staff", *args],
        input="" if password is None else password + "\n",
        capture_output=True,
        text=True,
        cwd=REPO,
        env=environment,
        timeout=120,
        check=False,
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result


def one(database_url: str, sql: str, *params: object) -> object:
    with psycopg.connect(database_url) as conn:
        row = conn.execute(sql, list(params)).fetchone()
    assert row is not None
    return row[0]


@pytest.fixture
def sites(hub_database: str, tmp_path: Path) -> str:
    for site in ("probierladen", "bibliothek"):
        add_site(hub_database, site, tmp_path)
    return hub_database


def test_a_password_is_stored_as_a_memory_hard_hash_that_verifies() -> None:
    encoded = accounts.hash_password(PASSWORD)
    parsed = pin_hash.parse(encoded)
    assert parsed is not None
    assert (parsed.n, parsed.r, parsed.p) == (2**15, 8, 1)
    assert PASSWORD not in encoded
    assert accounts.verify_password(PASSWORD, encoded)
    assert not accounts.verify_password(PASSWORD + "!", encoded)
    assert not accounts.verify_password(PASSWORD, "scrypt$garbage")
    assert accounts.hash_password(PASSWORD) != encoded  # a new salt each time


def test_may_see_is_the_sites_or_everything_for_an_admin() -> None:
    person = StaffUser(1, "anna.k", ("probierladen",), admin=False)
    assert person.may_see("probierladen")
    assert not person.may_see("bibliothek")
    assert StaffUser(2, "chef", (), admin=True).may_see("bibliothek")


@pytest.mark.parametrize(
    ("name", "password", "site_list", "admin", "reason"),
    [
        ("Anna", PASSWORD, ["probierladen"], False, "lower-case letters"),
        ("a", PASSWORD, ["probierladen"], False, "2 to 40"),
        ("-anna", PASSWORD, ["probierladen"], False, "starting with a letter or digit"),
        ("anna", "short", ["probierladen"], False, "10 to 200 characters (it has 5)"),
        ("anna", "x" * 201, ["probierladen"], False, "10 to 200 characters"),
        ("anna", PASSWORD, [], False, "--site SITE"),
        ("anna", PASSWORD, ["nowhere"], False, "no site 'nowhere'"),
        ("anna", PASSWORD, ["Bad Site"], False, "lower-case letters, digits and hyphens"),
    ],
)
def test_bad_accounts_are_refused_with_the_reason_and_nothing_is_stored(
    sites: str, name: str, password: str, site_list: list[str], admin: bool, reason: str
) -> None:
    with psycopg.connect(sites) as conn:
        with pytest.raises(AccountError, match=reason.replace("(", r"\(").replace(")", r"\)")):
            accounts.add_account(conn, name, password, site_list, admin=admin)
        assert accounts.accounts(conn) == []


def test_reset_ends_sessions_enables_and_forgets_the_wrong_tries(sites: str) -> None:
    with psycopg.connect(sites) as conn:
        user = accounts.add_account(conn, "anna.k", PASSWORD, ["probierladen", "probierladen"])
        assert user.sites == ("probierladen",)
        conn.execute(
            "INSERT INTO staff_sessions (token_sha256, account_id, csrf, expires_at) "
            "VALUES (%s, %s, 'x', now() + interval '1 hour')",
            [sessions.token_digest("t"), user.id],
        )
        conn.execute(
            "INSERT INTO staff_sign_in_failures (scope, failures) VALUES ('name:anna.k', 7)"
        )
        accounts.disable(conn, "anna.k")
        assert conn.execute("SELECT count(*) FROM staff_sessions").fetchone() == (0,)
        assert accounts.signing_in(conn, "anna.k")[0] is None
        accounts.reset_password(conn, "anna.k", "another good one")
        found, encoded = accounts.signing_in(conn, "anna.k")
        assert found == user
        assert accounts.verify_password("another good one", encoded)
        assert conn.execute("SELECT count(*) FROM staff_sign_in_failures").fetchone() == (0,)
        with pytest.raises(AccountError, match="no account 'nobody'"):
            accounts.reset_password(conn, "nobody", PASSWORD)


def test_audit_rows_say_who_what_where_and_refuse_odd_actions(sites: str) -> None:
    user = StaffUser(1, "anna.k", ("probierladen",), admin=False)
    with psycopg.connect(sites) as conn:
        audit.record(conn, user, "probierladen", "booking_cancelled", "K7P-Q2M")
        with pytest.raises(ValueError, match="audit action"):
            audit.record(conn, user, "probierladen", "Drop Table", "")
        entries = audit.entries(conn, site="probierladen")
    assert [(e.account, e.site, e.action, e.detail) for e in entries] == [
        ("anna.k", "probierladen", "booking_cancelled", "K7P-Q2M")
    ]


def test_staff_cli_adds_lists_resets_and_disables(sites: str) -> None:
    added = staff(
        sites, "add", "--site", "probierladen", "--site", "bibliothek", "anna.k", password=PASSWORD
    )
    assert added.returncode == 0, added.stderr
    assert added.stdout.strip() == "account anna.k: added (sites: probierladen, bibliothek)"
    admin = staff(sites, "add", "--admin", "chef", password=PASSWORD)
    assert admin.returncode == 0, admin.stderr
    assert "admin: every site" in admin.stdout

    with psycopg.connect(sites) as conn:
        found, encoded = accounts.signing_in(conn, "anna.k")
    assert found is not None
    assert found.sites == ("probierladen", "bibliothek")
    assert accounts.verify_password(PASSWORD, encoded)

    listed = staff(sites, "list")
    assert listed.returncode == 0
    table = listed.stdout.splitlines()
    assert table[0].split() == ["name", "rights", "state", "created"]
    assert table[1].startswith("anna.k") and "sites: probierladen, bibliothek" in table[1]
    assert "active" in table[1]
    assert table[2].startswith("chef") and "admin: every site" in table[2]

    reset = staff(sites, "reset", "anna.k", password=NEW_PASSWORD)
    assert reset.returncode == 0, reset.stderr
    with psycopg.connect(sites) as conn:
        assert accounts.verify_password(
            "a brand new secret", accounts.signing_in(conn, "anna.k")[1]
        )

    disabled = staff(sites, "disable", "anna.k")
    assert disabled.returncode == 0
    assert "disabled" in disabled.stdout
    assert "disabled" in staff(sites, "list").stdout.splitlines()[1]

    with psycopg.connect(sites) as conn:
        actions = conn.execute("SELECT account, action, detail FROM staff_audit ORDER BY id")
        assert actions.fetchall() == [
            ("(command line)", "account_added", "anna.k"),
            ("(command line)", "account_added", "chef"),
            ("(command line)", "password_reset", "anna.k"),
            ("(command line)", "account_disabled", "anna.k"),
        ]


@pytest.mark.parametrize(
    ("args", "password", "message"),
    [
        (("add", "--site", "probierladen", "anna.k"), "too short", "10 to 200 characters"),
        (("add", "anna.k"), PASSWORD, "--site SITE"),
        (("add", "--site", "nowhere", "anna.k"), PASSWORD, "no site 'nowhere'"),
        (("add", "--site", "probierladen", "Anna K"), PASSWORD, "lower-case letters"),
        (("reset", "nobody"), PASSWORD, "no account 'nobody'"),
        (("disable", "nobody"), None, "no account 'nobody'"),
    ],
)
def test_staff_cli_refuses_with_one_line_and_changes_nothing(
    sites: str, args: tuple[str, ...], password: str | None, message: str
) -> None:
    result = staff(sites, *args, password=password)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"hub staff {args[0]}: ")
    assert message in lines[0]
    assert one(sites, "SELECT count(*) FROM staff_accounts") == 0
    assert one(sites, "SELECT count(*) FROM staff_audit") == 0


def test_staff_cli_refuses_a_second_account_of_the_same_name(sites: str) -> None:
    assert staff(sites, "add", "--admin", "chef", password=PASSWORD).returncode == 0
    again = staff(sites, "add", "--site", "probierladen", "chef", password=OTHER_PASSWORD)
    assert again.returncode == 2
    assert "there is an account 'chef' already" in again.stderr
    with psycopg.connect(sites) as conn:
        assert accounts.verify_password(PASSWORD, accounts.signing_in(conn, "chef")[1])
