"""The hub holds terminals' visitor bookings to the site's per-name limit (real PostgreSQL, over
HTTP): asked for online it refuses, pushed after an outage it keeps a conflict for staff; walk-ins
are not limited."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import psycopg
import pytest

from kiosk.core.bookings import Slot
from kiosk.hub import admin
from tests.hub.booking_slots import ask, open_slots
from tests.hub.servers import enrol, site_config_text, threaded_hub
from tests.hub.test_bookings_hub import Hub, book, changes, create, made_offline, push, stored


@pytest.fixture
def hub(hub_database: str, tmp_path: Path) -> Iterator[Hub]:
    """Site a with the default visitor limits (two open bookings per name and day)."""
    config = tmp_path / "a.toml"
    config.write_text(site_config_text(visitor_limits=True), encoding="utf-8")
    with psycopg.connect(hub_database) as conn:
        admin.push_config(conn, "a", config)
    tokens = {name: enrol(hub_database, "a", name) for name in ("a1", "a2")}
    with threaded_hub(hub_database) as url:
        yield Hub(url, hub_database, tokens)


@pytest.fixture
def client(hub: Hub) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=hub.url, timeout=20) as http_client:
        yield http_client


def one_day(count: int) -> list[Slot]:
    """``count`` free slots of the demo site on one day, none blocking another."""
    slots = open_slots(12)
    day = slots[0].start.date()
    same = [slot for slot in slots if slot.start.date() == day]
    assert len(same) >= count
    return same[:count]


def bookings_named(hub: Hub, status: str) -> int:
    rows = hub.rows("SELECT count(*) FROM bookings WHERE site = 'a' AND status = %s", status)
    return int(rows[0][0])


def test_a_third_booking_for_one_name_on_one_day_is_refused_over_http(
    hub: Hub, client: httpx.Client
) -> None:
    first, second, third = one_day(3)
    # Two terminals, one visitor: the hub counts the site's bookings, not a terminal's.
    assert book(client, hub, "a1", ask(first, name="Anna")).status_code == 200
    assert book(client, hub, "a2", ask(second, name=" anna ")).status_code == 200
    refused = book(client, hub, "a1", ask(third, name="ANNA"))
    assert refused.status_code == 409, refused.text
    body = refused.json()
    assert (body["error"], body["problem"], body["alternatives"]) == ("refused", "name_limit", [])
    assert bookings_named(hub, "confirmed") == 2
    # Another name, and a walk-in staff book for Anna, are taken.
    assert book(client, hub, "a1", ask(third, name="Ben")).status_code == 200
    fourth = one_day(4)[3]
    walk_in = book(client, hub, "a2", ask(fourth, name="Anna", walk_in=True))
    assert walk_in.status_code == 200, walk_in.text
    assert bookings_named(hub, "confirmed") == 4


def test_a_cancelled_booking_frees_the_name_at_the_hub(hub: Hub, client: httpx.Client) -> None:
    first, second, third = one_day(3)
    taken = book(client, hub, "a1", ask(first, name="Anna")).json()
    assert book(client, hub, "a1", ask(second, name="Anna")).status_code == 200
    assert book(client, hub, "a1", ask(third, name="Anna")).status_code == 409
    push(
        client,
        hub,
        "a1",
        {
            "id": "8b0a3c1e-0000-4000-8000-000000000001",
            "op": "status",
            "uid": taken["uid"],
            "status": "cancelled",
            "expected": ["confirmed"],
            "at_ts": taken["updated_ts"] + 1,
        },
    )
    assert stored(hub, taken["uid"])["status"] == "cancelled"
    assert book(client, hub, "a1", ask(third, name="Anna")).status_code == 200


def test_a_booking_pushed_after_an_outage_over_the_limit_is_a_conflict(
    hub: Hub, client: httpx.Client
) -> None:
    first, second, third, fourth = one_day(4)
    for slot in (first, second):
        assert book(client, hub, "a1", ask(slot, name="Anna")).status_code == 200
    # Terminal a2 was offline meanwhile and booked Anna provisionally, and a walk-in for her.
    offline = made_offline(third, name="anna")
    walk_in = made_offline(fourth, name="Anna", walk_in=True)
    answer = push(client, hub, "a2", create(offline), create(walk_in))
    assert answer["bookings_new"] == 2
    assert stored(hub, offline["uid"])["status"] == "conflict"
    assert stored(hub, walk_in["uid"])["status"] == "confirmed"
    # Every terminal of the site pulls the conflict: staff see it and move or cancel it.
    pulled = {record["uid"]: record["status"] for record in changes(client, hub, "a1")["bookings"]}
    assert pulled[offline["uid"]] == "conflict"


def test_a_booking_pushed_within_the_limit_is_confirmed(hub: Hub, client: httpx.Client) -> None:
    first, second = one_day(2)
    assert book(client, hub, "a1", ask(first, name="Anna")).status_code == 200
    offline = made_offline(second, name="Anna")
    push(client, hub, "a2", create(offline))
    assert stored(hub, offline["uid"])["status"] == "confirmed"
