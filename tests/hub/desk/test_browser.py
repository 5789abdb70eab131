"""The staff web desk in a real headless browser (Debian's Chromium through Selenium): signing in
and out, a phone booking that a terminal pulls and its cancellation, forms without their CSRF
token, another site's pages, and the growing wait after wrong passwords."""

from __future__ import annotations

import json
import struct
import time
from pathlib import Path

import httpx
import psycopg
from selenium.webdriver.chrome.webdriver import WebDriver
from selenium.webdriver.common.by import By

from kiosk.core.bookings import BookingStatus
from tests.hub.booking_slots import ask, open_slots
from tests.hub.booking_terminals import free_slots, hub_bookings, kiosk, sync_once
from tests.hub.desk import screenshots
from tests.hub.desk.browser import fill, flash, sign_in, submit, wait_for
from tests.hub.desk.conftest import PASSWORD, SITE_A, SITE_B, DeskHub
from tests.hub.servers import make_terminal


def heading(driver: WebDriver) -> str:
    return driver.find_element(By.TAG_NAME, "h1").text


def audit_rows(database_url: str) -> list[tuple[str, str | None, str, str]]:
    with psycopg.connect(database_url) as conn:
        rows = conn.execute(
            "SELECT account, site, action, detail FROM staff_audit ORDER BY id"
        ).fetchall()
    return [(str(a), s, str(action), str(detail)) for a, s, action, detail in rows]


def test_the_browser_reaches_the_hub_over_http(desk_hub: DeskHub, browser: WebDriver) -> None:
    browser.get(f"{desk_hub.url}/health")
    body = json.loads(browser.find_element(By.TAG_NAME, "body").text)
    assert body["status"] == "ok"


def test_signing_in_opens_the_site_s_bookings_and_signing_out_ends_the_session(
    desk_hub: DeskHub, browser: WebDriver
) -> None:
    name = desk_hub.add_staff("anna.k")
    sign_in(browser, desk_hub.url, name, PASSWORD)
    assert browser.current_url.startswith(f"{desk_hub.desk}/sites/{SITE_A}/bookings")
    assert heading(browser).endswith("· Probierladen Jena")  # the site by its name
    assert browser.find_element(By.CSS_SELECTOR, ".sign-out .who").text == name
    # The session cookie as the browser keeps it: script cannot read it, other sites'
    # pages never send it.
    (cookie,) = [c for c in browser.get_cookies() if c["name"] == "desk_session"]
    assert cookie["httpOnly"] is True
    assert cookie["sameSite"] == "Strict"
    assert cookie["path"] == "/desk"
    assert "desk_session" not in browser.execute_script("return document.cookie")

    submit(browser, browser.find_element(By.CSS_SELECTOR, "form.sign-out"))
    assert browser.current_url.startswith(f"{desk_hub.desk}/login")
    assert flash(browser)  # "You are signed out."
    browser.get(f"{desk_hub.desk}/sites/{SITE_A}/bookings")
    assert browser.current_url.startswith(f"{desk_hub.desk}/login")
    assert browser.find_elements(By.CSS_SELECTOR, "form[action='/desk/login']")
    actions = [
        (account, action) for account, _site, action, _detail in audit_rows(desk_hub.database_url)
    ]
    assert (name, "sign_in") in actions and (name, "sign_out") in actions


def test_a_phone_booking_reaches_a_terminal_at_its_next_pull_and_so_does_its_cancellation(
    desk_hub: DeskHub, browser: WebDriver
) -> None:
    terminal = make_terminal(desk_hub.folder, desk_hub.database_url, desk_hub.url, SITE_A, "pl-1")
    name = desk_hub.add_staff("anna.k")
    with kiosk(terminal) as at_terminal:
        sync_once(terminal)
        (slot,) = free_slots(at_terminal.service, "tablet-1", 30, 1)
        day = slot.start.date().isoformat()
        sign_in(
            browser,
            desk_hub.url,
            name,
            PASSWORD,
            f"/desk/sites/{SITE_A}/bookings?day={day}&device=tablet-1&minutes=30",
        )
        form = wait_for(browser, "form[action$='/bookings/phone']")
        fill(form, time=slot.start.strftime("%H:%M"), name="Rosa")
        submit(browser, form)
        assert flash(browser)
        (booked,) = hub_bookings(desk_hub.database_url)
        assert (booked.device_id, booked.start, booked.status) == (
            "tablet-1",
            slot.start,
            "confirmed",
        )
        row = browser.find_element(
            By.CSS_SELECTOR, "#device-tablet-1 ~ .table-wrap tr.status-confirmed"
        )
        assert "Rosa" in row.text

        # Not at the terminal until it pulls; then with the name, as its own bookings are.
        assert at_terminal.service.booking(booked.code) is None
        assert sync_once(terminal).shared >= 1
        there = at_terminal.service.booking(booked.code)
        assert there is not None
        assert (there.uid, there.start, there.name, there.status) == (
            booked.uid,
            slot.start,
            "Rosa",
            BookingStatus.CONFIRMED,
        )
        assert slot not in at_terminal.service.free_slots("tablet-1", slot.start.date(), 30)

        submit(browser, row.find_element(By.CSS_SELECTOR, "form[action$='/cancel']"))
        assert flash(browser)
        assert [b.status for b in hub_bookings(desk_hub.database_url)] == ["cancelled"]
        sync_once(terminal)
        assert at_terminal.reload(there).status is BookingStatus.CANCELLED
        assert slot in at_terminal.service.free_slots("tablet-1", slot.start.date(), 30)
    audit = [row for row in audit_rows(desk_hub.database_url) if row[2] != "sign_in"]
    assert [(account, site, action) for account, site, action, _detail in audit] == [
        (name, SITE_A, "booking_phone"),
        (name, SITE_A, "booking_cancel"),
    ]
    # The booking's code (as printed, with its hyphen) names it, never the visitor.
    assert all(booked.code in detail.replace("-", "") for *_rest, detail in audit)
    assert all(
        "Rosa" not in " ".join(map(str, entry)) for entry in audit_rows(desk_hub.database_url)
    )


def test_a_form_without_its_csrf_token_or_with_a_wrong_one_is_refused_and_changes_nothing(
    desk_hub: DeskHub, browser: WebDriver
) -> None:
    terminal = make_terminal(desk_hub.folder, desk_hub.database_url, desk_hub.url, SITE_A, "pl-1")
    (slot,) = open_slots(1)
    with httpx.Client(
        base_url=desk_hub.url, headers={"Authorization": f"Bearer {terminal.token}"}
    ) as hub:
        assert hub.post("/v1/bookings", json=ask(slot, name="Olena")).status_code == 200
    name = desk_hub.add_staff("anna.k")
    page = f"/desk/sites/{SITE_A}/bookings?day={slot.start.date().isoformat()}"
    sign_in(browser, desk_hub.url, name, PASSWORD, page)
    before = audit_rows(desk_hub.database_url)
    for tamper in (
        "form.querySelector('input[name=csrf]').remove()",
        "form.querySelector('input[name=csrf]').value = 'x'.repeat(43)",
    ):
        form = wait_for(browser, "form[action$='/cancel']")
        browser.execute_script(f"const form = arguments[0]; {tamper};", form)
        submit(browser, form)
        assert "refused" in heading(browser).lower()
        assert [b.status for b in hub_bookings(desk_hub.database_url)] == ["confirmed"]
        browser.get(f"{desk_hub.url}{page}")
    assert audit_rows(desk_hub.database_url) == before
    # The same form as the page gave it is taken.
    submit(browser, wait_for(browser, "form[action$='/cancel']"))
    assert [b.status for b in hub_bookings(desk_hub.database_url)] == ["cancelled"]


def test_a_person_of_site_a_gets_no_page_of_site_b_even_by_typing_its_address(
    desk_hub: DeskHub, browser: WebDriver
) -> None:
    (slot,) = open_slots(1)
    b_terminal = make_terminal(
        desk_hub.folder, desk_hub.database_url, desk_hub.url, SITE_B, "bib-1"
    )
    make_terminal(desk_hub.folder, desk_hub.database_url, desk_hub.url, SITE_A, "pl-1")
    with httpx.Client(
        base_url=desk_hub.url, headers={"Authorization": f"Bearer {b_terminal.token}"}
    ) as hub:
        assert hub.post("/v1/bookings", json=ask(slot, name="Dmitri")).status_code == 200
    (b_booking,) = hub_bookings(desk_hub.database_url)
    name = desk_hub.add_staff("anna.k")
    sign_in(browser, desk_hub.url, name, PASSWORD)
    nav = browser.find_element(By.CSS_SELECTOR, "nav .nav").get_attribute("innerHTML") or ""
    assert f"/sites/{SITE_A}/" in nav and SITE_B not in nav

    def refused(path: str) -> str:
        browser.get(f"{desk_hub.url}{path}")
        text = browser.find_element(By.TAG_NAME, "main").text
        assert "Dmitri" not in text and b_booking.code not in text
        return heading(browser)

    day = slot.start.date().isoformat()
    unknown = refused("/desk/sites/nowhere/bookings")  # a site that does not exist
    for path in (
        f"/desk/sites/{SITE_B}/bookings?day={day}",
        f"/desk/sites/{SITE_B}/bookings?day={day}&view=week",
        f"/desk/sites/{SITE_B}/conflicts",
        f"/desk/sites/{SITE_B}/bookings/{b_booking.uid}/move",
    ):
        # The same page as for a site that does not exist: nothing says site B is there.
        assert refused(path) == unknown, path
    # B's booking under A's address reads as a booking A does not have.
    no_booking = refused(f"/desk/sites/{SITE_A}/bookings/{'0' * 32}/move")
    assert refused(f"/desk/sites/{SITE_A}/bookings/{b_booking.uid}/move") == no_booking
    browser.get(f"{desk_hub.desk}/fleet")
    fleet = browser.find_element(By.TAG_NAME, "main").text
    assert "pl-1" in fleet and "bib-1" not in fleet


def test_wrong_passwords_make_the_next_try_wait_longer_per_name_and_per_address(
    desk_hub: DeskHub, browser: WebDriver
) -> None:
    name = desk_hub.add_staff("anna.k")
    other = desk_hub.add_staff("ben.m")
    for _ in range(3):  # three free tries
        sign_in(browser, desk_hub.url, name, "not-the-password")
        assert "not right" in flash(browser)
    # After the third a try waits a second; once it has passed, one more wrong password
    # makes it two. (Two seconds leave room for a slow machine between the tries below.)
    time.sleep(1.05)
    sign_in(browser, desk_hub.url, name, "still-not-the-password")
    assert "not right" in flash(browser)
    fourth = time.monotonic()
    # The right password is refused now (it is not even checked) …
    sign_in(browser, desk_hub.url, name, PASSWORD)
    assert "wait 2 seconds" in flash(browser)
    assert browser.find_element(By.ID, "name").get_attribute("value") == name
    # … and another name from the same address waits too.
    sign_in(browser, desk_hub.url, other, PASSWORD)
    assert "wait" in flash(browser)
    assert not [c for c in browser.get_cookies() if c["name"] == "desk_session"]
    assert browser.current_url.startswith(f"{desk_hub.desk}/login")
    # Not a lockout: once the wait is over, the right password signs in.
    time.sleep(max(0.0, 2.05 - (time.monotonic() - fourth)))
    sign_in(browser, desk_hub.url, name, PASSWORD)
    assert browser.current_url.startswith(f"{desk_hub.desk}/sites/{SITE_A}/bookings")
    with psycopg.connect(desk_hub.database_url) as conn:
        counters: dict[str, int] = dict(
            conn.execute("SELECT scope, failures FROM staff_sign_in_failures").fetchall()
        )
    assert counters.get(f"name:{name}", 0) == 0  # a success clears the account's counter


def test_in_arabic_the_desk_is_mirrored_and_the_readme_s_screenshots_can_be_taken_again(
    desk_hub: DeskHub, browser: WebDriver, tmp_path: Path
) -> None:
    day = screenshots.seed(desk_hub.url, desk_hub.database_url)
    page = f"/desk/sites/{SITE_A}/bookings?day={day.isoformat()}&lang=ar"
    sign_in(browser, desk_hub.url, screenshots.STAFF, screenshots.STAFF_PASSWORD, page)
    html = browser.find_element(By.TAG_NAME, "html")
    assert (html.get_attribute("lang"), html.get_attribute("dir")) == ("ar", "rtl")
    # Laid out right to left: the heading starts at the right edge, the sign-out at the left.
    width = browser.execute_script("return document.documentElement.clientWidth")
    title = browser.find_element(By.TAG_NAME, "h1").rect
    sign_out = browser.find_element(By.CSS_SELECTOR, "form.sign-out").rect
    assert title["x"] + title["width"] > width * 0.9
    assert sign_out["x"] < width * 0.5
    assert "Olena" in browser.find_element(By.TAG_NAME, "main").text

    for language in screenshots.LANGUAGES:
        path = screenshots.take(desk_hub.url, day, language, tmp_path)
        header = path.read_bytes()[:24]
        assert header[:8] == b"\x89PNG\r\n\x1a\n"
        assert struct.unpack(">II", header[16:24]) == (1366, 768)
