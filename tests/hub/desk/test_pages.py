"""The desk's pages over real HTTP (a threaded hub, PostgreSQL): every page in de, en and ar,
a phone booking that a terminal pulls, cancel, check in and move, refusals shown as a message
with nothing changed, the conflicts queue, the fleet, the figures and their zip."""

from __future__ import annotations

import html
import io
import re
import uuid
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import httpx
import psycopg
import pytest

from kiosk.core.bookings import CODE_LENGTH, BookingStatus
from kiosk.core.resume_codes import generate_code
from kiosk.core.stats.periods import month_end
from kiosk.hub.bookings import PgBookingStore
from kiosk.hub.desk import accounts
from kiosk.hub.desk.figures import last_month
from tests.hub.booking_terminals import hub_bookings, kiosk, sync_once
from tests.hub.desk.conftest import SITE_A, SITE_B, DeskHub
from tests.hub.servers import enrol, make_terminal

PASSWORD = "correct horse battery"  # noqa: S105 - a test account's
BERLIN = ZoneInfo("Europe/Berlin")  # the demo site's zone
ZONE_DAY = 2  # Wednesday: the demo site is open 10:00-18:00


@contextmanager
def signed_in(
    hub: DeskHub, name: str, sites: list[str], *, admin: bool = False, lang: str = "en"
) -> Iterator[httpx.Client]:
    with psycopg.connect(hub.database_url) as conn:
        accounts.add_account(conn, name, PASSWORD, sites, admin=admin)
    with httpx.Client(base_url=hub.url, headers={"Accept-Language": lang}, timeout=30) as client:
        page = client.get("/desk/login")
        token = re.search(r'name="csrf" value="([^"]+)"', page.text)
        assert token is not None
        answer = client.post(
            "/desk/login",
            data={"csrf": token.group(1), "name": name, "password": PASSWORD, "next": "/desk/"},
        )
        assert answer.status_code == 303, answer.text
        yield client


def csrf_of(page: httpx.Response) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert found is not None
    return found.group(1)


def wednesday() -> date:
    """An open Wednesday a few days ahead (not a holiday in Thuringia)."""
    day = date.today() + timedelta(days=3)
    while day.weekday() != ZONE_DAY or (day.month, day.day) in ((12, 23), (12, 30)):
        day += timedelta(days=1)
    return day


def shown(page: httpx.Response) -> str:
    """The page's text as a person reads it (tags dropped, entities resolved)."""
    return html.unescape(re.sub(r"<[^>]+>", " ", page.text))


def book_by_phone(
    client: httpx.Client, day: date, name: str = "Anna", device: str = "tablet-1"
) -> tuple[httpx.Response, str]:
    """Choose device, day and 30 minutes, take the first free time, book; (answer, time)."""
    path = f"/desk/sites/{SITE_A}/bookings"
    page = client.get(path, params={"device": device, "day": day.isoformat(), "minutes": "30"})
    assert page.status_code == 200
    first = re.search(
        r'<select id="phone-time" name="time" required>\s*<option value="([^"]+)"', page.text
    )
    assert first is not None
    answer = client.post(
        f"{path}/phone",
        data={
            "csrf": csrf_of(page),
            "device": device,
            "day": day.isoformat(),
            "minutes": "30",
            "time": first.group(1),
            "name": name,
        },
    )
    return answer, first.group(1)


def audit(hub: DeskHub) -> list[tuple[str, str]]:
    with psycopg.connect(hub.database_url) as conn:
        rows = conn.execute("SELECT action, detail FROM staff_audit ORDER BY id").fetchall()
    return [(str(a), str(d)) for a, d in rows if a.startswith("booking")]


@pytest.mark.parametrize("lang", ["de", "en", "ar"])
def test_every_page_renders_in_the_person_s_language(desk_hub: DeskHub, lang: str) -> None:
    with signed_in(desk_hub, "chef", [], admin=True, lang=lang) as client:
        overview = client.get("/desk/")
        assert overview.status_code == 200
        assert "<h2>Probierladen Jena</h2>" in overview.text  # each site by its name
        for path in (
            f"/desk/sites/{SITE_A}/bookings",
            f"/desk/sites/{SITE_A}/bookings?view=week",
            f"/desk/sites/{SITE_A}/conflicts",
            "/desk/fleet",
            "/desk/figures",
        ):
            page = client.get(path)
            assert page.status_code == 200, (path, page.text[-500:])
            direction = "rtl" if lang == "ar" else "ltr"
            assert f'<html lang="{lang}" dir="{direction}">' in page.text
            assert "<table" in page.text or "card" in page.text
    with signed_in(desk_hub, "anna.k", [SITE_A], lang=lang) as client:
        page = client.get(f"/desk/sites/{SITE_A}/bookings")
        assert page.status_code == 200
        # The site by the name people know it by (its config's [site] name), not its id.
        assert "Probierladen Jena</h1>" in page.text
        if lang == "en":
            assert "Phone booking" in page.text and "Android tablet" in page.text


def test_a_phone_booking_lands_in_postgresql_and_on_a_terminal_after_its_next_pull(
    desk_hub: DeskHub,
) -> None:
    day = wednesday()
    terminal = make_terminal(
        desk_hub.folder, desk_hub.database_url, desk_hub.url, SITE_A, "laden-1"
    )
    with signed_in(desk_hub, "anna.k", [SITE_A]) as client:
        answer, start = book_by_phone(client, day, "Lena")
        assert answer.status_code == 303
        query = parse_qs(urlsplit(answer.headers["location"]).query)
        assert query["done"] == ["booked"] and query["day"] == [day.isoformat()]
        (code,) = query["code"]
        page = client.get(answer.headers["location"])
        assert f"Booked. The booking code is {code}." in shown(page)
        assert 'role="status"' in page.text and "Lena" in page.text

    (row,) = hub_bookings(desk_hub.database_url)
    assert (row.device_id, row.start.astimezone(BERLIN).strftime("%H:%M"), row.status) == (
        "tablet-1",
        start,
        "confirmed",
    )
    assert audit(desk_hub) == [("booking_phone", f"{code} tablet-1")]
    with kiosk(terminal) as there:
        sync_once(terminal)
        pulled = there.service.booking(code)
        assert pulled is not None and (pulled.name, pulled.status) == (
            "Lena",
            BookingStatus.CONFIRMED,
        )


def test_refusals_are_shown_as_a_message_and_change_nothing(desk_hub: DeskHub) -> None:
    day = wednesday()
    with signed_in(desk_hub, "anna.k", [SITE_A]) as client:
        booked, start = book_by_phone(client, day)
        assert booked.status_code == 303
        before = hub_bookings(desk_hub.database_url)
        page = client.get(f"/desk/sites/{SITE_A}/bookings")
        base = {"csrf": csrf_of(page), "device": "tablet-1", "day": day.isoformat()}
        cases = {
            "The device is already booked at this time.": {
                **base,
                "time": start,
                "minutes": "30",
                "name": "Ben",
            },
            "This is outside the opening hours.": {
                **base,
                "time": "07:00",
                "minutes": "30",
                "name": "Ben",
            },
            "Please type a first name or a nickname.": {
                **base,
                "time": "15:00",
                "minutes": "30",
                "name": " ",
            },
            "Please fill in every field with a valid value.": {
                **base,
                "time": "3 pm",
                "minutes": "30",
                "name": "Ben",
            },
        }
        for message, data in cases.items():
            answer = client.post(f"/desk/sites/{SITE_A}/bookings/phone", data=data)
            assert answer.status_code == 303
            assert "problem=" in answer.headers["location"]
            follow = client.get(answer.headers["location"])
            assert message in shown(follow), message
            assert 'class="flash problem" role="status"' in follow.text
    assert hub_bookings(desk_hub.database_url) == before
    assert len(audit(desk_hub)) == 1


def test_check_in_move_and_cancel_from_the_day_page(desk_hub: DeskHub) -> None:
    day = wednesday()
    terminal = make_terminal(
        desk_hub.folder, desk_hub.database_url, desk_hub.url, SITE_A, "laden-1"
    )
    with signed_in(desk_hub, "anna.k", [SITE_A]) as client:
        answer, _start = book_by_phone(client, day)
        (code,) = parse_qs(urlsplit(answer.headers["location"]).query)["code"]
        (row,) = hub_bookings(desk_hub.database_url)
        page = client.get(f"/desk/sites/{SITE_A}/bookings", params={"day": day.isoformat()})
        csrf = csrf_of(page)
        assert f"/bookings/{row.uid}/move" in page.text

        # Days ahead: not yet time to check in; said so, nothing changed.
        early = client.post(
            f"/desk/sites/{SITE_A}/bookings/{row.uid}/check-in",
            data={"csrf": csrf, "back_day": day.isoformat()},
        )
        assert "Check-in is possible from one hour before" in shown(
            client.get(early.headers["location"])
        )

        move_page = client.get(f"/desk/sites/{SITE_A}/bookings/{row.uid}/move")
        assert move_page.status_code == 200 and "Next free slots" in move_page.text
        slot = re.search(r'name="slot" value="([^"]+)"', move_page.text)
        assert slot is not None
        moved = client.post(
            f"/desk/sites/{SITE_A}/bookings/{row.uid}/move",
            data={"csrf": csrf, "slot": slot.group(1)},
        )
        assert moved.status_code == 303
        assert f"Booking {code} is moved." in shown(client.get(moved.headers["location"]))
        device, _, when = slot.group(1).partition("|")
        (after,) = hub_bookings(desk_hub.database_url)
        assert (
            after.device_id,
            after.start.astimezone(BERLIN).strftime("%Y-%m-%dT%H:%M"),
            after.moved,
        ) == (
            device,
            when,
            True,
        )

        cancelled = client.post(
            f"/desk/sites/{SITE_A}/bookings/{row.uid}/cancel", data={"csrf": csrf}
        )
        assert f"Booking {code} is cancelled." in shown(client.get(cancelled.headers["location"]))
        again = client.post(f"/desk/sites/{SITE_A}/bookings/{row.uid}/cancel", data={"csrf": csrf})
        assert "not active any more" in shown(client.get(again.headers["location"]))

    assert [action for action, _detail in audit(desk_hub)] == [
        "booking_phone",
        "booking_move",
        "booking_cancel",
    ]
    with kiosk(terminal) as there:
        sync_once(terminal)
        pulled = there.service.booking(code)
        assert pulled is not None and pulled.status is BookingStatus.CANCELLED and pulled.moved


def test_a_conflict_is_moved_with_one_click(desk_hub: DeskHub) -> None:
    day = wednesday()
    with signed_in(desk_hub, "anna.k", [SITE_A]) as client:
        book_by_phone(client, day)
        (winner,) = hub_bookings(desk_hub.database_url)
        start = int(winner.start.timestamp())
        with psycopg.connect(desk_hub.database_url) as conn:
            PgBookingStore(conn, SITE_A).insert(
                uid=uuid.uuid4().hex,
                code=generate_code(length=CODE_LENGTH),
                device_id="tablet-1",
                device_kind="tablet",
                start_ts=start,
                end_ts=start + 1800,
                block_until_ts=start + 2400,
                name="Ben",
                status="conflict",
                walk_in=False,
                moved=False,
                now_ts=start - 86400,
            )
        page = client.get(f"/desk/sites/{SITE_A}/conflicts")
        assert "1 booking in conflict" in shown(page) and "Ben" in page.text
        form = re.search(
            r'action="(/desk/sites/[^"]+/move)" class="inline">\s*<input type="hidden" name="csrf" '
            r'value="([^"]+)">\s*<input type="hidden" name="slot" value="([^"]+)">',
            page.text,
        )
        assert form is not None
        answer = client.post(
            form.group(1), data={"csrf": form.group(2), "slot": form.group(3), "back": "conflicts"}
        )
        assert answer.headers["location"].startswith(f"/desk/sites/{SITE_A}/conflicts?done=moved")
        after = client.get(answer.headers["location"])
        assert "No conflicts." in shown(after) and "is moved" in shown(after)
    assert sorted(row.status for row in hub_bookings(desk_hub.database_url)) == [
        "confirmed",
        "confirmed",
    ]


def test_a_person_of_site_b_cannot_see_or_change_site_a(desk_hub: DeskHub) -> None:
    day = wednesday()
    with signed_in(desk_hub, "anna.k", [SITE_A]) as client:
        book_by_phone(client, day)
    (row,) = hub_bookings(desk_hub.database_url)
    with signed_in(desk_hub, "bert", [SITE_B]) as client:
        csrf = csrf_of(client.get(f"/desk/sites/{SITE_B}/bookings"))
        for path in (
            f"/desk/sites/{SITE_A}/bookings",
            f"/desk/sites/{SITE_A}/conflicts",
            f"/desk/sites/{SITE_A}/bookings/{row.uid}/move",
            f"/desk/figures?site={SITE_A}",
            f"/desk/figures/export.zip?site={SITE_A}&from=2026-01-01&to=2026-01-31",
        ):
            assert client.get(path).status_code == 404, path
        # Site A's booking through site B's address is not found there either.
        cancel = client.post(f"/desk/sites/{SITE_B}/bookings/{row.uid}/cancel", data={"csrf": csrf})
        assert "problem=unknown_booking" in cancel.headers["location"]
        refused = client.post(
            f"/desk/sites/{SITE_A}/bookings/{row.uid}/cancel", data={"csrf": csrf}
        )
        assert refused.status_code == 404
    assert [r.status for r in hub_bookings(desk_hub.database_url)] == ["confirmed"]


def test_the_fleet_shows_the_terminals_of_the_person_s_sites(desk_hub: DeskHub) -> None:
    enrol(desk_hub.database_url, SITE_A, "laden-kasse")
    enrol(desk_hub.database_url, SITE_B, "bib-foyer")
    with signed_in(desk_hub, "anna.k", [SITE_A]) as client:
        page = client.get("/desk/fleet")
        assert "laden-kasse" in page.text and "bib-foyer" not in page.text
        assert "Silent" in page.text and "1 terminal" in shown(page)
    with signed_in(desk_hub, "chef", [], admin=True) as client:
        page = client.get("/desk/fleet")
        assert "laden-kasse" in page.text and "bib-foyer" in page.text


def test_the_figures_show_charts_and_the_zip_holds_the_export(desk_hub: DeskHub) -> None:
    month = last_month(date.today())
    enrol(desk_hub.database_url, SITE_A, "laden-1")
    with psycopg.connect(desk_hub.database_url) as conn:
        for day in range(1, 11):
            for _ in range(6):
                conn.execute(
                    "INSERT INTO usage_events (id, site, hour, kind, language) "
                    "VALUES (%s, %s, %s, 'session_started', 'de')",
                    [uuid.uuid4(), SITE_A, f"{month.replace(day=day).isoformat()}T10"],
                )
    with signed_in(desk_hub, "chef", [], admin=True, lang="de") as client:
        page = client.get("/desk/figures", params={"site": SITE_A})
        assert page.status_code == 200
        # Sessions per day and languages; no course was started: said so instead of a chart.
        assert page.text.count("<svg") == 2 and 'role="img"' in page.text
        assert page.text.count("In diesem Monat wurde nichts gezählt.") == 1
        assert "Deutsch" in page.text
        not_over = client.get("/desk/figures", params={"month": date.today().strftime("%Y-%m")})
        assert 'class="flash problem"' in not_over.text and "<svg" not in not_over.text

        answer = client.get(
            "/desk/figures/export.zip",
            params={
                "site": SITE_A,
                "from": month.isoformat(),
                "to": month_end(month).isoformat(),
                "period": "day",
            },
        )
        assert answer.status_code == 200 and answer.headers["content-type"] == "application/zip"
        assert "attachment" in answer.headers["content-disposition"]
        with zipfile.ZipFile(io.BytesIO(answer.content)) as archive:
            names = {name.split("/", 1)[1] for name in archive.namelist()}
            assert {"usage-statistics.csv", "usage-statistics.json", "dcat-ap-de.ttl"} <= names
            (csv_name,) = [n for n in archive.namelist() if n.endswith(".csv")]
            text = archive.read(csv_name).decode()
        assert f"visitor_sessions,day,{month.replace(day=1).isoformat()}" in text
        refused = client.get(
            "/desk/figures/export.zip",
            params={
                "site": SITE_A,
                "from": month.isoformat(),
                "to": month.isoformat(),
                "period": "week",
            },
        )
        assert (
            refused.status_code == 303 and "problem=export_refused" in refused.headers["location"]
        )


def test_week_view_lists_the_booking_on_its_day(desk_hub: DeskHub) -> None:
    day = wednesday()
    with signed_in(desk_hub, "anna.k", [SITE_A], lang="ar") as client:
        answer, _start = book_by_phone(client, day, "Omar")
        (code,) = parse_qs(urlsplit(answer.headers["location"]).query)["code"]
        page = client.get(
            f"/desk/sites/{SITE_A}/bookings", params={"day": day.isoformat(), "view": "week"}
        )
        assert page.status_code == 200 and 'dir="rtl"' in page.text
        assert f"\u2066{code}\u2069" in page.text and "Omar" in page.text
        monday = day - timedelta(days=day.weekday())
        assert f"day={monday.isoformat()}&amp;view=day" in page.text
        assert datetime.combine(monday, datetime.min.time()).weekday() == 0
