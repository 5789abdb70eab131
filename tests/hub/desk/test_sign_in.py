"""Signing in to the staff desk over real HTTP (a threaded hub, PostgreSQL): sessions and their
cookie, growing waits after wrong passwords per name and per address, CSRF refusals, site rights
by URL, the security headers, the audit rows and the language of the pages."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

import httpx
import psycopg
import pytest

from kiosk.hub.desk import accounts
from tests.hub.desk.conftest import SITE_A, SITE_B, DeskHub

PASSWORD = "correct horse battery"  # noqa: S105 - a test account's
WRONG = "wrong password!"
WRONG_ANSWER = "The name or the password is not right."


def add(database_url: str, name: str, sites: list[str], *, admin: bool = False) -> None:
    with psycopg.connect(database_url) as conn:
        accounts.add_account(conn, name, PASSWORD, sites, admin=admin)


def rows(database_url: str, sql: str, *params: object) -> list[tuple[object, ...]]:
    with psycopg.connect(database_url) as conn:
        return conn.execute(sql, list(params)).fetchall()


@pytest.fixture
def client(desk_hub: DeskHub) -> Iterator[httpx.Client]:
    """A browser-like client in English, following no redirects (the tests look at them)."""
    with httpx.Client(base_url=desk_hub.url, headers={"Accept-Language": "en"}, timeout=30) as http:
        yield http


def login_token(client: httpx.Client) -> str:
    page = client.get("/desk/login")
    assert page.status_code == 200
    found = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert found is not None
    return found.group(1)


def try_sign_in(
    client: httpx.Client,
    name: str,
    password: str,
    *,
    address: str | None = None,
    next_page: str = "/desk/",
) -> httpx.Response:
    token = login_token(client)
    headers = {} if address is None else {"X-Forwarded-For": address}
    return client.post(
        "/desk/login",
        data={"csrf": token, "name": name, "password": password, "next": next_page},
        headers=headers,
    )


def page_csrf(client: httpx.Client, path: str) -> str:
    page = client.get(path)
    assert page.status_code == 200, page.text
    found = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert found is not None
    return found.group(1)


def test_sign_in_sets_a_strict_cookie_and_signing_out_ends_the_session(
    desk_hub: DeskHub, client: httpx.Client
) -> None:
    add(desk_hub.database_url, "anna.k", [SITE_A, SITE_B])
    first = client.get("/desk/fleet")
    assert first.status_code == 303
    assert first.headers["location"] == "/desk/login?next=%2Fdesk%2Ffleet"

    answer = try_sign_in(client, "anna.k", PASSWORD, next_page="/desk/fleet")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/desk/fleet"
    cookie = answer.headers["set-cookie"]
    assert cookie.startswith("desk_session=")
    assert "HttpOnly" in cookie
    assert "SameSite=strict" in cookie
    assert "Path=/desk" in cookie
    assert "Secure" not in cookie  # plain http on the loopback: a Secure cookie would be lost
    token = client.cookies["desk_session"]
    assert len(token) >= 43  # 256 bits, URL-safe base64
    stored = rows(
        desk_hub.database_url, "SELECT token_sha256, expires_at - created_at FROM staff_sessions"
    )
    assert len(stored) == 1
    assert stored[0][0] != token.encode()  # only the SHA-256 is kept
    assert str(stored[0][1]) == "12:00:00"

    home = client.get("/desk/")
    assert home.status_code == 200
    assert 'action="/desk/logout"' in home.text

    csrf = page_csrf(client, "/desk/")
    out = client.post("/desk/logout", data={"csrf": csrf})
    assert out.status_code == 303
    assert out.headers["location"] == "/desk/login?done=signed_out"
    assert rows(desk_hub.database_url, "SELECT count(*) FROM staff_sessions") == [(0,)]
    # The old cookie, kept by someone, opens nothing any more.
    again = httpx.get(f"{desk_hub.url}/desk/", cookies={"desk_session": token})
    assert again.status_code == 303
    signed_out = client.get("/desk/login?done=signed_out")
    assert 'role="status"' in signed_out.text
    assert "You are signed out." in signed_out.text

    actions = rows(desk_hub.database_url, "SELECT account, action FROM staff_audit ORDER BY id")
    assert actions == [("anna.k", "sign_in"), ("anna.k", "sign_out")]


def test_a_session_behind_the_tls_proxy_gets_a_secure_cookie(
    desk_hub: DeskHub, client: httpx.Client
) -> None:
    add(desk_hub.database_url, "anna.k", [SITE_A])
    token = login_token(client)
    answer = client.post(
        "/desk/login",
        data={"csrf": token, "name": "anna.k", "password": PASSWORD, "next": "/desk/"},
        headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "192.0.2.7"},
    )
    assert answer.status_code == 303
    assert "Secure" in answer.headers["set-cookie"]


def test_an_idle_or_old_session_and_a_disabled_account_sign_nobody_in(
    desk_hub: DeskHub, client: httpx.Client
) -> None:
    add(desk_hub.database_url, "anna.k", [SITE_A, SITE_B])
    assert try_sign_in(client, "anna.k", PASSWORD).status_code == 303
    assert client.get("/desk/").status_code == 200
    with psycopg.connect(desk_hub.database_url) as conn:
        conn.execute("UPDATE staff_sessions SET last_used_at = now() - interval '2 hours 1 minute'")
    assert client.get("/desk/").status_code == 303  # idle for two hours
    assert rows(desk_hub.database_url, "SELECT count(*) FROM staff_sessions") == [(0,)]

    assert try_sign_in(client, "anna.k", PASSWORD).status_code == 303
    with psycopg.connect(desk_hub.database_url) as conn:
        conn.execute("UPDATE staff_sessions SET expires_at = now() - interval '1 second'")
    assert client.get("/desk/").status_code == 303  # twelve hours since sign-in

    assert try_sign_in(client, "anna.k", PASSWORD).status_code == 303
    with psycopg.connect(desk_hub.database_url) as conn:
        accounts.disable(conn, "anna.k")
    assert client.get("/desk/").status_code == 303
    refused = try_sign_in(client, "anna.k", PASSWORD)
    assert refused.status_code == 401
    assert WRONG_ANSWER in refused.text


def test_wrong_passwords_slow_down_per_account_from_any_address(
    desk_hub: DeskHub, client: httpx.Client
) -> None:
    add(desk_hub.database_url, "anna.k", [SITE_A])
    for attempt in range(3):
        answer = try_sign_in(client, "anna.k", WRONG, address=f"198.51.100.{attempt + 1}")
        assert answer.status_code == 401
        assert WRONG_ANSWER in answer.text
    # The fourth try, from yet another address and with the right password, must wait: the
    # password is not even checked.
    waiting = try_sign_in(client, "anna.k", PASSWORD, address="198.51.100.9")
    assert waiting.status_code == 429
    assert "Please wait 1 second and try again." in waiting.text
    assert waiting.headers["retry-after"] == "1"
    assert "desk_session" not in client.cookies

    # A second later the try is allowed; another wrong one doubles the wait.
    age_failures(desk_hub.database_url, seconds=1)
    assert try_sign_in(client, "anna.k", WRONG, address="198.51.100.9").status_code == 401
    waiting = try_sign_in(client, "anna.k", PASSWORD, address="198.51.100.10")
    assert "Please wait 2 seconds and try again." in waiting.text

    age_failures(desk_hub.database_url, seconds=2)
    assert try_sign_in(client, "anna.k", PASSWORD, address="198.51.100.10").status_code == 303
    # A success clears the account's counter.
    assert rows(
        desk_hub.database_url,
        "SELECT count(*) FROM staff_sign_in_failures WHERE scope = 'name:anna.k'",
    ) == [(0,)]
    refused = rows(
        desk_hub.database_url,
        "SELECT count(*) FROM staff_audit WHERE action = 'sign_in_refused' AND account = 'anna.k'",
    )
    assert refused == [(4,)]


def test_wrong_passwords_slow_down_per_address_across_names(
    desk_hub: DeskHub, client: httpx.Client
) -> None:
    add(desk_hub.database_url, "anna.k", [SITE_A])
    for name in ("ben", "carla", "dieter"):  # a guesser trying names, none of which exists
        assert try_sign_in(client, name, WRONG, address="203.0.113.5").status_code == 401
    waiting = try_sign_in(client, "anna.k", PASSWORD, address="203.0.113.5")
    assert waiting.status_code == 429
    # The same person from another address is not held up by the guesser.
    assert try_sign_in(client, "anna.k", PASSWORD, address="203.0.113.6").status_code == 303


def test_the_longest_wait_is_fifteen_minutes(desk_hub: DeskHub, client: httpx.Client) -> None:
    with psycopg.connect(desk_hub.database_url) as conn:
        conn.execute(
            "INSERT INTO staff_sign_in_failures (scope, failures, last_at) "
            "VALUES ('name:anna.k', 40, now())"
        )
    waiting = try_sign_in(client, "anna.k", WRONG, address="192.0.2.1")
    assert waiting.status_code == 429
    assert waiting.headers["retry-after"] == "900"
    assert "Please wait 900 seconds" in waiting.text


def test_an_unknown_name_gets_the_answer_of_a_wrong_password_after_as_long(
    desk_hub: DeskHub, client: httpx.Client
) -> None:
    add(desk_hub.database_url, "anna.k", [SITE_A])

    def timed(name: str, address: str) -> tuple[float, httpx.Response]:
        token = login_token(client)
        started = time.perf_counter()
        answer = client.post(
            "/desk/login",
            data={"csrf": token, "name": name, "password": WRONG, "next": "/desk/"},
            headers={"X-Forwarded-For": address},
        )
        return time.perf_counter() - started, answer

    timed("nobody", "192.0.2.50")  # the stand-in hash is made once per process
    known = [timed("anna.k", f"192.0.2.{i}") for i in range(1, 3)]
    unknown = [timed("nobody.here", f"192.0.2.{i}") for i in range(11, 13)]
    for _elapsed, answer in known + unknown:
        assert answer.status_code == 401
    known_body = re.sub(r'value="[^"]*"', "", known[0][1].text).replace("anna.k", "NAME")
    unknown_body = re.sub(r'value="[^"]*"', "", unknown[0][1].text).replace("nobody.here", "NAME")
    assert known_body == unknown_body
    # Both check a scrypt hash of the same cost: neither answer is several times faster.
    fastest_known = min(elapsed for elapsed, _ in known)
    fastest_unknown = min(elapsed for elapsed, _ in unknown)
    assert fastest_unknown > fastest_known / 3
    assert fastest_known > fastest_unknown / 3


def test_forms_without_their_csrf_token_are_refused_and_change_nothing(
    desk_hub: DeskHub, client: httpx.Client
) -> None:
    add(desk_hub.database_url, "anna.k", [SITE_A])
    # The sign-in form: its token comes with a cookie of its own.
    no_token = client.post(
        "/desk/login", data={"name": "anna.k", "password": PASSWORD, "next": "/desk/"}
    )
    assert no_token.status_code == 403
    assert "The form was refused" in no_token.text
    assert "desk_session" not in client.cookies

    assert try_sign_in(client, "anna.k", PASSWORD).status_code == 303
    sessions_before = rows(desk_hub.database_url, "SELECT count(*) FROM staff_sessions")
    for data in ({}, {"csrf": ""}, {"csrf": "x" * 43}):
        refused = client.post("/desk/logout", data=data)
        assert refused.status_code == 403
        assert "Nothing was changed." in refused.text
    assert rows(desk_hub.database_url, "SELECT count(*) FROM staff_sessions") == sessions_before
    assert client.get("/desk/").status_code in (200, 303)
    assert rows(
        desk_hub.database_url, "SELECT count(*) FROM staff_audit WHERE action = 'sign_out'"
    ) == [(0,)]


def test_a_person_of_site_a_gets_not_found_for_site_b(
    desk_hub: DeskHub, client: httpx.Client
) -> None:
    add(desk_hub.database_url, "anna.k", [SITE_A])
    assert try_sign_in(client, "anna.k", PASSWORD).status_code == 303
    for path in (
        f"/desk/sites/{SITE_B}/bookings",
        f"/desk/sites/{SITE_B}/conflicts",
        "/desk/sites/no-such-site/bookings",
    ):
        answer = client.get(path)
        assert answer.status_code == 404, path
        assert "Page not found" in answer.text
        # No link to site B (the language links repeat the address typed, nothing more).
        assert f'/desk/sites/{SITE_B}/bookings"' not in answer.text
        assert f'/desk/sites/{SITE_B}/conflicts"' not in answer.text
        assert f'href="/desk/sites/{SITE_A}/bookings"' in answer.text
    # The person's own site is theirs to open (a page or, before the pages exist, a 404 of
    # the framework, never a redirect to sign in).
    home = client.get("/desk/")
    assert home.status_code == 303
    assert home.headers["location"] == f"/desk/sites/{SITE_A}/bookings"


def test_an_admin_sees_every_site_and_a_person_only_theirs(
    desk_hub: DeskHub, client: httpx.Client
) -> None:
    add(desk_hub.database_url, "chef", [], admin=True)
    assert try_sign_in(client, "chef", PASSWORD).status_code == 303
    home = client.get("/desk/")
    assert home.status_code == 200
    for site in (SITE_A, SITE_B):
        assert f'href="/desk/sites/{site}/bookings"' in home.text


def test_desk_pages_send_the_security_headers(desk_hub: DeskHub, client: httpx.Client) -> None:
    for path in ("/desk/login", "/desk/", "/desk/nothing-here"):
        answer = client.get(path)
        assert answer.headers["cache-control"] == "no-store", path
        assert answer.headers["x-frame-options"] == "DENY"
        assert answer.headers["content-security-policy"] == (
            "default-src 'self'; frame-ancestors 'none'"
        )
        assert answer.headers["referrer-policy"] == "no-referrer"
    css = client.get("/desk/static/desk.css")
    assert css.status_code == 200
    assert "--target: 44px" in css.text
    # The terminals' API keeps its own answers.
    assert "x-frame-options" not in client.get("/health").headers
    assert client.get("/v1/nothing").headers["content-type"] == "application/json"


def test_the_language_follows_the_browser_then_the_choice_arabic_right_to_left(
    desk_hub: DeskHub,
) -> None:
    with httpx.Client(base_url=desk_hub.url, headers={"Accept-Language": "fr, en;q=0.5"}) as http:
        assert '<html lang="en" dir="ltr">' in http.get("/desk/login").text
    with httpx.Client(base_url=desk_hub.url, headers={"Accept-Language": "fr"}) as http:
        page = http.get("/desk/login")
        assert '<html lang="de" dir="ltr">' in page.text
        assert "Anmelden" in page.text or "Sign in" in page.text
        chosen = http.get("/desk/login?lang=ar&next=%2Fdesk%2Ffleet")
        assert chosen.status_code == 303
        assert chosen.headers["location"] == "/desk/login?next=%2Fdesk%2Ffleet"
        assert "desk_lang=ar" in chosen.headers["set-cookie"]
        page = http.get(chosen.headers["location"])
        assert '<html lang="ar" dir="rtl">' in page.text
        assert 'value="/desk/fleet"' in page.text
        # A language the desk does not have changes nothing.
        http.get("/desk/login?lang=xx")
        assert '<html lang="ar" dir="rtl">' in http.get("/desk/login").text
        http.get("/desk/login?lang=fa")
        assert '<html lang="fa" dir="rtl">' in http.get("/desk/login").text


def test_after_sign_in_only_desk_pages_of_this_hub_are_followed(
    desk_hub: DeskHub, client: httpx.Client
) -> None:
    add(desk_hub.database_url, "anna.k", [SITE_A])
    for target in ("https://evil.example/", "//evil.example/desk/", "/desk/\\evil", "/health"):
        client.cookies.clear()
        answer = try_sign_in(client, "anna.k", PASSWORD, next_page=target)
        assert answer.status_code == 303
        assert answer.headers["location"] == "/desk/", target


def age_failures(database_url: str, *, seconds: float) -> None:
    """As if the given time had passed since the last failed try (instead of waiting it)."""
    with psycopg.connect(database_url) as conn:
        conn.execute(
            "UPDATE staff_sign_in_failures SET last_at = last_at - make_interval(secs => %s)",
            [seconds],
        )
