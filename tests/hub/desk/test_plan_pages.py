"""The web desk's planning pages over real HTTP (a threaded hub, PostgreSQL): find a booking by
first name and open it, edit it (a refused edit says why and keeps the code), undo a no-show,
block a device weekly, and date exceptions listing the bookings they affect; each page in de,
en and ar, forms refused without their CSRF token or for another site."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from tests.hub.booking_terminals import hub_bookings
from tests.hub.desk.conftest import SITE_A, SITE_B, DeskHub
from tests.hub.desk.test_pages import audit, book_by_phone, csrf_of, shown, signed_in, wednesday


def _uid_of(page: httpx.Response, code: str) -> str:
    found = re.search(
        rf'href="/desk/sites/{SITE_A}/bookings/([0-9a-f]{{32}})">(?:<span class="code">)?'
        rf"\u2066{code}",
        page.text,
    )
    assert found is not None, page.text[-2000:]
    return found.group(1)


def _query(answer: httpx.Response) -> dict[str, list[str]]:
    assert answer.status_code == 303, answer.text[-500:]
    return parse_qs(urlsplit(answer.headers["location"]).query)


@pytest.mark.parametrize("lang", ["de", "en", "ar"])
def test_the_planning_pages_render_in_the_person_s_language(desk_hub: DeskHub, lang: str) -> None:
    with signed_in(desk_hub, "anna.k", [SITE_A], lang=lang) as client:
        for path in (f"/desk/sites/{SITE_A}/find?q=x", f"/desk/sites/{SITE_A}/plan"):
            page = client.get(path)
            assert page.status_code == 200, (path, page.text[-500:])
            direction = "rtl" if lang == "ar" else "ltr"
            assert f'<html lang="{lang}" dir="{direction}">' in page.text
        bookings = client.get(f"/desk/sites/{SITE_A}/bookings")
        assert f'action="/desk/sites/{SITE_A}/find"' in bookings.text
        assert f'href="/desk/sites/{SITE_A}/plan"' in bookings.text
        if lang == "en":
            assert "Block a device" in client.get(f"/desk/sites/{SITE_A}/plan").text


def test_a_visitor_who_lost_the_code_is_found_by_first_name_and_the_booking_opens(
    desk_hub: DeskHub,
) -> None:
    day = wednesday()
    with signed_in(desk_hub, "anna.k", [SITE_A]) as client:
        answer, _start = book_by_phone(client, day, "Lena")
        code = _query(answer)["code"][0]
        book_by_phone(client, day, "Ben", device="tablet-2")
        found = client.get(f"/desk/sites/{SITE_A}/find", params={"q": "lena"})
        assert found.status_code == 200
        assert "1 booking found" in shown(found)
        uid = _uid_of(found, code)
        opened = client.get(f"/desk/sites/{SITE_A}/bookings/{uid}")
        assert opened.status_code == 200
        assert code in opened.text and "Lena" in opened.text
        nothing = client.get(f"/desk/sites/{SITE_A}/find", params={"q": "Zoe"})
        assert "No booking matches" in shown(nothing)


def test_a_refused_edit_says_why_and_keeps_the_booking_an_accepted_one_keeps_its_code(
    desk_hub: DeskHub,
) -> None:
    day = wednesday()
    with signed_in(desk_hub, "anna.k", [SITE_A]) as client:
        first, start = book_by_phone(client, day, "Lena")
        code = _query(first)["code"][0]
        uid = _uid_of(client.get(f"/desk/sites/{SITE_A}/find", params={"q": code}), code)
        page = client.get(f"/desk/sites/{SITE_A}/bookings/{uid}")
        path = f"/desk/sites/{SITE_A}/bookings/{uid}/edit"
        before = hub_bookings(desk_hub.database_url)

        early = client.post(
            path,
            data={
                "csrf": csrf_of(page),
                "device": "tablet-1",
                "day": day.isoformat(),
                "start": "06:00",
                "end": "07:00",
            },
        )
        assert _query(early)["problem"] == ["outside_hours"]
        refused = client.get(early.headers["location"])
        assert "This is outside the opening hours." in shown(refused)
        assert hub_bookings(desk_hub.database_url) == before

        hour, minute = (int(part) for part in start.split(":"))
        end = f"{hour + 1:02d}:{minute:02d}"
        longer = client.post(
            path,
            data={
                "csrf": csrf_of(page),
                "device": "tablet-2",
                "day": day.isoformat(),
                "start": start,
                "end": end,
            },
        )
        assert _query(longer)["done"] == ["edited"]
        assert f"Booking {code} is changed. It keeps its code." in shown(
            client.get(longer.headers["location"])
        )
        (row,) = hub_bookings(desk_hub.database_url)
        assert (row.code, row.device_id, row.uid) == (code.replace("-", ""), "tablet-2", uid)
        bad = client.post(
            path, data={"csrf": csrf_of(page), "device": "tablet-2", "day": "x", "start": start}
        )
        assert _query(bad)["problem"] == ["bad_input"]
    assert audit(desk_hub)[-1][0] == "booking_edit"


def test_a_weekly_block_and_a_closed_day_show_on_the_plan_with_the_affected_bookings(
    desk_hub: DeskHub,
) -> None:
    day = wednesday()
    with signed_in(desk_hub, "anna.k", [SITE_A]) as client:
        booked, _start = book_by_phone(client, day, "Lena")
        code = _query(booked)["code"][0]
        plan = client.get(f"/desk/sites/{SITE_A}/plan")
        block = client.post(
            f"/desk/sites/{SITE_A}/plan/blocks",
            data={
                "csrf": csrf_of(plan),
                "device": "tablet-1",
                "day": day.isoformat(),
                "start": "14:00",
                "end": "16:00",
                "weeks": "1",
                "reason": "Workshop",
            },
        )
        query = _query(block)
        assert (query["done"], query["made"]) == (["blocked"], ["1"])
        listed = client.get(block.headers["location"])
        assert "The device is blocked 1 time." in shown(listed)
        assert shown(listed).count("Workshop") == 1
        free = client.get(
            f"/desk/sites/{SITE_A}/bookings",
            params={"device": "tablet-1", "day": day.isoformat(), "minutes": "30"},
        )
        assert '<option value="14:00">' not in free.text
        assert '<option value="11:00">' in free.text

        no_reason = client.post(
            f"/desk/sites/{SITE_A}/plan/blocks",
            data={
                "csrf": csrf_of(plan),
                "device": "tablet-1",
                "day": day.isoformat(),
                "start": "10:00",
                "end": "11:00",
                "weeks": "1",
                "reason": "  ",
            },
        )
        assert _query(no_reason)["problem"] == ["block_reason"]

        closed = client.post(
            f"/desk/sites/{SITE_A}/plan/exceptions",
            data={
                "csrf": csrf_of(plan),
                "day": day.isoformat(),
                "closed": "yes",
                "note": "Inventur",
            },
        )
        assert _query(closed)["done"] == ["exception_added"]
        after = client.get(closed.headers["location"])
        assert re.search(r"\d bookings? (is|are) affected", shown(after))
        assert "Inventur" in shown(after)
        _uid_of(after, code)  # each affected booking links to its page
        # The bookings page says the day is closed (the site config says it is open).
        that_day = client.get(
            f"/desk/sites/{SITE_A}/bookings", params={"day": day.isoformat(), "view": "day"}
        )
        assert "· Closed" in shown(that_day)
        exception_id = re.search(r"/plan/exceptions/(\d+)/remove", after.text)
        assert exception_id is not None
        removed = client.post(
            f"/desk/sites/{SITE_A}/plan/exceptions/{exception_id.group(1)}/remove",
            data={"csrf": csrf_of(after)},
        )
        assert _query(removed)["done"] == ["exception_removed"]
    actions = [action for action, _detail in audit(desk_hub)]
    assert actions.count("booking_phone") == 1


def test_planning_forms_need_their_token_and_the_person_s_site(desk_hub: DeskHub) -> None:
    day = wednesday()
    with signed_in(desk_hub, "anna.k", [SITE_A]) as client:
        plan = client.get(f"/desk/sites/{SITE_A}/plan")
        fields = {
            "device": "tablet-1",
            "day": day.isoformat(),
            "start": "14:00",
            "end": "16:00",
            "weeks": "1",
            "reason": "Workshop",
        }
        assert client.post(f"/desk/sites/{SITE_A}/plan/blocks", data=fields).status_code == 403
        other = client.post(
            f"/desk/sites/{SITE_B}/plan/blocks", data={**fields, "csrf": csrf_of(plan)}
        )
        assert other.status_code == 404
        assert client.get(f"/desk/sites/{SITE_B}/plan").status_code == 404
        assert client.get(f"/desk/sites/{SITE_B}/find?q=a").status_code == 404
        assert hub_bookings(desk_hub.database_url) == []
