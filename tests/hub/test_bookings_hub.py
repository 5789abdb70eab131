"""Bookings at the hub against a real PostgreSQL: the database refuses double bookings, the hub
decides what terminals ask for, takes what they made offline, and sends every terminal of a
site what changed; no-shows are released once per site, names purged on the site's schedule.
"""

from __future__ import annotations

import json
import secrets
import subprocess
import sys
import threading
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
from psycopg import sql
from psycopg_pool import ConnectionPool

from kiosk.core.bookings import Slot
from kiosk.hub import booking_desk
from kiosk.hub.devcluster import DevCluster
from kiosk.hub.site_rules import SiteRulesCache
from kiosk.hub.upkeep import Upkeep
from tests.hub.booking_slots import ask, block_until, demo_rules, new_code, new_uid, open_slots
from tests.hub.servers import REPO, HubProcess, add_site, enrol, threaded_hub


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@dataclass(frozen=True)
class Hub:
    url: str
    database: str
    tokens: dict[str, str]  # a1 and a2 of site a, b1 of site b

    def auth(self, terminal: str) -> dict[str, str]:
        return bearer(self.tokens[terminal])

    def rows(self, statement: str, *params: object) -> list[tuple[Any, ...]]:
        with psycopg.connect(self.database) as conn:
            return conn.execute(statement.encode(), params).fetchall()


@pytest.fixture
def hub(hub_database: str, tmp_path: Path) -> Iterator[Hub]:
    add_site(hub_database, "a", tmp_path)
    add_site(hub_database, "b", tmp_path)
    tokens = {name: enrol(hub_database, name[0], name) for name in ("a1", "a2", "b1")}
    with threaded_hub(hub_database) as url:
        yield Hub(url, hub_database, tokens)


@pytest.fixture
def client(hub: Hub) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=hub.url, timeout=20) as http_client:
        yield http_client


def book(client: httpx.Client, hub: Hub, terminal: str, body: dict[str, Any]) -> httpx.Response:
    response = client.post("/v1/bookings", headers=hub.auth(terminal), json=body)
    assert "Traceback" not in response.text
    return response


def push(client: httpx.Client, hub: Hub, terminal: str, *ops: dict[str, Any]) -> dict[str, Any]:
    response = client.post(
        "/v1/push",
        headers=hub.auth(terminal),
        json={"site": terminal[0], "bookings": list(ops)},
    )
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


def changes(
    client: httpx.Client, hub: Hub, terminal: str, since: int = 0, limit: int | None = None
) -> dict[str, Any]:
    params = {"since": since} if limit is None else {"since": since, "limit": limit}
    response = client.get("/v1/changes", headers=hub.auth(terminal), params=params)
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


def made_offline(slot: Slot, status: str = "provisional", **fields: Any) -> dict[str, Any]:
    """A booking as a terminal made it without the hub."""
    return {
        "uid": new_uid(),
        "code": new_code(),
        "device_id": slot.device_id,
        "device_kind": demo_rules()[0][slot.device_id].kind,
        "start_ts": int(slot.start.timestamp()),
        "end_ts": int(slot.end.timestamp()),
        "block_until_ts": int(block_until(slot).timestamp()),
        "name": "Sam",
        "status": status,
        "walk_in": False,
        "moved": False,
        "updated_ts": int(slot.start.timestamp()) - 86400,
        **fields,
    }


def create(booking: dict[str, Any]) -> dict[str, Any]:
    return {"id": str(uuid.uuid4()), "op": "create", "booking": booking}


def status_op(uid: str, status: str, expected: list[str]) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "op": "status",
        "uid": uid,
        "status": status,
        "expected": expected,
        "at_ts": 1_800_000_000,
    }


def move_op(uid: str, slot: Slot, status: str = "provisional") -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "op": "move",
        "uid": uid,
        "device_id": slot.device_id,
        "start_ts": int(slot.start.timestamp()),
        "end_ts": int(slot.end.timestamp()),
        "block_until_ts": int(block_until(slot).timestamp()),
        "status": status,
        "at_ts": 1_800_000_000,
    }


def device_op(device_id: str, status: str, changed_ts: int) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "op": "device",
        "device_id": device_id,
        "status": status,
        "changed_ts": changed_ts,
    }


STORED = "code, device_id, start_ts, status, moved, name, change_seq, origin, walk_in, site"


def stored(hub: Hub, uid: str) -> dict[str, Any]:
    """The hub's row of a booking."""
    columns = STORED.split(", ")
    rows = hub.rows(f"SELECT {STORED} FROM bookings WHERE uid = %s", uid)  # noqa: S608
    assert len(rows) == 1, rows
    return dict(zip(columns, rows[0], strict=True))


# --- the database refuses a double booking ---------------------------------------------------

INSERT = (
    "INSERT INTO bookings (uid, site, code, device_id, device_kind, start_ts, end_ts, "
    "block_until_ts, name, status, created_ts, updated_ts, change_seq) "
    "VALUES (%s, %s, %s, %s, 'tablet', %s, %s, %s, 'Kim', %s, 0, 0, 1)"
)


def raw_insert(
    conn: psycopg.Connection[tuple[Any, ...]],
    start: int,
    end: int,
    block: int,
    *,
    status: str = "confirmed",
    site: str = "a",
    device: str = "tablet-1",
) -> None:
    with conn.transaction():
        conn.execute(INSERT, [new_uid(), site, new_code(), device, start, end, block, status])


def test_the_exclusion_constraint_refuses_an_overlap_written_past_the_hub(hub: Hub) -> None:
    t = 1_900_000_000
    with psycopg.connect(hub.database, autocommit=True) as conn:
        raw_insert(conn, t, t + 1800, t + 2400)  # 30 minutes and a 10-minute buffer
        for start, end in ((t + 600, t + 1200), (t - 600, t + 60), (t - 1800, t + 1800)):
            with pytest.raises(psycopg.errors.ExclusionViolation):
                raw_insert(conn, start, end, end + 600)
        # Inside the buffer after it: the device is still being wiped.
        with pytest.raises(psycopg.errors.ExclusionViolation):
            raw_insert(conn, t + 2100, t + 3000, t + 3600)
        # A booking whose own buffer reaches into the next one's start.
        with pytest.raises(psycopg.errors.ExclusionViolation):
            raw_insert(conn, t - 900, t - 300, t + 1)
        # Right after the buffer, or right before the start with the buffer ending there: free.
        raw_insert(conn, t + 2400, t + 3000, t + 3600)
        raw_insert(conn, t - 900, t - 300, t)
        # Every other active status blocks too; a second pending one is refused.
        for status in ("pending", "checked_in"):
            with pytest.raises(psycopg.errors.ExclusionViolation):
                raw_insert(conn, t + 60, t + 120, t + 180, status=status)
        # A cancelled booking, a no-show and a conflict hold nothing.
        for status in ("cancelled", "no_show", "conflict"):
            raw_insert(conn, t + 60, t + 120, t + 180, status=status)
        # Another device, another site: free.
        raw_insert(conn, t, t + 1800, t + 2400, device="tablet-2")
        raw_insert(conn, t, t + 1800, t + 2400, site="b")
        # A cancelled booking becoming active again over a booking is refused as well.
        with pytest.raises(psycopg.errors.ExclusionViolation):
            conn.execute("UPDATE bookings SET status = 'confirmed' WHERE status = 'cancelled'")
    counts = hub.rows("SELECT status, count(*) FROM bookings GROUP BY status ORDER BY status")
    assert counts == [("cancelled", 1), ("confirmed", 5), ("conflict", 1), ("no_show", 1)]


def test_a_code_leads_to_one_booking_of_a_site(hub: Hub) -> None:
    t = 1_900_000_000
    code = new_code()
    with psycopg.connect(hub.database, autocommit=True) as conn:
        conn.execute(INSERT, [new_uid(), "a", code, "tablet-1", t, t + 60, t + 60, "confirmed"])
        with pytest.raises(psycopg.errors.UniqueViolation):
            conn.execute(INSERT, [new_uid(), "a", code, "tablet-2", t, t + 60, t + 60, "no_show"])
        # A conflict may share it (two terminals offline drew the same code), as may a
        # booking of another site.
        conn.execute(INSERT, [new_uid(), "a", code, "tablet-2", t, t + 60, t + 60, "conflict"])
        conn.execute(INSERT, [new_uid(), "b", code, "tablet-1", t, t + 60, t + 60, "confirmed"])


def test_init_db_as_the_database_s_owner_creates_btree_gist(
    pg_cluster: DevCluster, tmp_path: Path
) -> None:
    """As the administrator guide sets the hub up: a role without superuser rights that owns
    its database. btree_gist is a trusted extension: the owner may create it."""
    role = f"hub_{secrets.token_hex(4)}"
    admin_url = pg_cluster.url()
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(role)))
        conn.execute(
            sql.SQL("CREATE DATABASE {} OWNER {}").format(
                sql.Identifier(role), sql.Identifier(role)
            )
        )
    try:
        url = f"postgresql://{role}@127.0.0.1:{pg_cluster.port}/{role}"
        result = subprocess.run(
            [sys.executable, "-m", "kiosk", "hub", "init-db", "--database", url],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        assert "0004_bookings.sql" in result.stdout
        with psycopg.connect(url) as conn:
            owner = conn.execute(
                "SELECT extowner::regrole::text FROM pg_extension WHERE extname = 'btree_gist'"
            ).fetchone()
            superuser = conn.execute(
                "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"
            ).fetchone()
        assert owner == (role,)
        assert superuser == (False,)
    finally:
        pg_cluster.drop_database(role)
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(role)))


# --- POST /v1/bookings -----------------------------------------------------------------------


def test_a_booking_asked_for_is_confirmed_and_kept_with_its_terminal(
    hub: Hub, client: httpx.Client
) -> None:
    slot = open_slots(1)[0]
    body = ask(slot, name="  Alex   M. ")
    response = book(client, hub, "a1", body)
    assert response.status_code == 200, response.text
    record = response.json()
    assert record == {
        "uid": body["uid"],
        "code": body["code"],
        "device_id": slot.device_id,
        "device_kind": "tablet" if slot.device_id.startswith("tablet") else record["device_kind"],
        "start_ts": int(slot.start.timestamp()),
        "end_ts": int(slot.end.timestamp()),
        "block_until_ts": int(block_until(slot).timestamp()),
        "name": "Alex M.",  # as the core cleans it
        "status": "confirmed",
        "walk_in": False,
        "moved": False,
        "updated_ts": record["updated_ts"],
        "kind": "visit",
        "reason": None,
    }
    assert abs(record["updated_ts"] - datetime.now(UTC).timestamp()) < 60
    row = stored(hub, body["uid"])
    terminal = hub.rows("SELECT id FROM terminals WHERE name = 'a1'")[0][0]
    assert (row["site"], row["origin"], row["status"]) == ("a", terminal, "confirmed")


def test_asking_again_with_the_same_uid_gives_the_same_booking_once(
    hub: Hub, client: httpx.Client
) -> None:
    first, other = open_slots(2)
    body = ask(first)
    answers = [book(client, hub, "a1", body) for _ in range(3)]
    # Also when the retry differs (a terminal never does that): the uid decides.
    answers.append(book(client, hub, "a2", {**ask(other), "uid": body["uid"]}))
    assert {response.status_code for response in answers} == {200}
    assert all(response.json() == answers[0].json() for response in answers)
    assert hub.rows("SELECT count(*) FROM bookings") == [(1,)]


def test_a_taken_slot_is_refused_with_the_next_free_times_by_the_site_s_rules(
    hub: Hub, client: httpx.Client
) -> None:
    slot = open_slots(1, devices=["tablet-1"])[0]
    assert book(client, hub, "a1", ask(slot)).status_code == 200
    response = book(client, hub, "a2", ask(slot))
    assert response.status_code == 409, response.text
    refused = response.json()
    assert refused["error"] == "refused"
    assert refused["problem"] == "overlap"
    offered = refused["alternatives"]
    # This device's next free times first (of the length asked for, after the asked start,
    # clear of the booking and its buffer), then the other tablet.
    assert [alt["device_id"] for alt in offered] == ["tablet-1"] * 3 + ["tablet-2"]
    taken_until = int(block_until(slot).timestamp())
    for alt in offered[:3]:
        assert alt["start_ts"] >= taken_until
    assert offered[3]["start_ts"] >= int(slot.start.timestamp())
    assert {alt["end_ts"] - alt["start_ts"] for alt in offered} == {slot.minutes * 60}
    assert hub.rows("SELECT count(*) FROM bookings") == [(1,)]


def test_the_hub_checks_the_rules_itself(hub: Hub, client: httpx.Client) -> None:
    slot = open_slots(1, devices=["tablet-1"])[0]
    too_long = {**ask(slot), "minutes": 240}
    assert book(client, hub, "a1", too_long).json()["problem"] == "too_long"
    unknown = {**ask(slot), "device_id": "toaster-9"}
    answer = book(client, hub, "a1", unknown)
    assert (answer.status_code, answer.json()["problem"]) == (409, "unknown_device")
    assert answer.json()["alternatives"] == []
    ancient = {**ask(slot), "start_ts": 0}
    assert book(client, hub, "a1", ancient).json()["problem"] == "in_past"
    # A name the core refuses (no letter at all) is invalid input, not a refusal of the slot.
    nameless = book(client, hub, "a1", ask(slot, name="..."))
    assert (nameless.status_code, nameless.json()["error"]) == (422, "invalid")
    assert hub.rows("SELECT count(*) FROM bookings") == [(0,)]


def test_a_device_that_needs_approval_is_pending_unless_staff_book_a_walk_in(
    hub: Hub, client: httpx.Client
) -> None:
    first, second = open_slots(2, devices=["vr-1"], minutes=60)
    pending = book(client, hub, "a1", ask(first))
    assert pending.status_code == 200, pending.text
    assert pending.json()["status"] == "pending"
    walk_in = book(client, hub, "a1", ask(second, walk_in=True))
    assert walk_in.status_code == 200, walk_in.text
    assert (walk_in.json()["status"], walk_in.json()["walk_in"]) == ("confirmed", True)


def test_a_code_another_booking_has_is_replaced_by_a_fresh_one(
    hub: Hub, client: httpx.Client
) -> None:
    first, second = open_slots(2)
    code = new_code()
    assert book(client, hub, "a1", ask(first, code=code)).json()["code"] == code
    again = book(client, hub, "a2", ask(second, code=code))
    assert again.status_code == 200
    assert again.json()["code"] != code
    # Another site may have the same code.
    assert book(client, hub, "b1", ask(first, code=code)).json()["code"] == code


def test_a_site_without_a_config_on_the_hub_answers_404(
    hub: Hub, client: httpx.Client, tmp_path: Path
) -> None:
    with psycopg.connect(hub.database) as conn:
        conn.execute("INSERT INTO sites (id) VALUES ('c')")
    token = enrol(hub.database, "c", "c1")
    slot = open_slots(1)[0]
    response = client.post("/v1/bookings", headers=bearer(token), json=ask(slot))
    assert (response.status_code, response.json()["error"]) == (404, "no_config")
    # A config this hub cannot read (pushed by a newer kiosk) counts as none.
    with psycopg.connect(hub.database) as conn:
        conn.execute(
            "INSERT INTO site_configs (site, version, body, sha256) VALUES ('c', 1, %s, %s)",
            ["[site]\nfuture_key = 1\n", "f" * 64],
        )
    response = client.post("/v1/bookings", headers=bearer(token), json=ask(slot))
    assert (response.status_code, response.json()["error"]) == (404, "no_config")
    assert hub.rows("SELECT count(*) FROM bookings") == [(0,)]


def test_a_uid_of_another_site_s_booking_is_refused(hub: Hub, client: httpx.Client) -> None:
    first, second = open_slots(2)
    body = ask(first)
    assert book(client, hub, "b1", body).status_code == 200
    response = book(client, hub, "a1", {**ask(second), "uid": body["uid"]})
    assert (response.status_code, response.json()["error"]) == (403, "wrong_site")
    assert stored(hub, body["uid"])["site"] == "b"


def test_booking_requests_need_a_valid_token_and_a_valid_body(
    hub: Hub, client: httpx.Client
) -> None:
    body = ask(open_slots(1)[0])
    assert client.post("/v1/bookings", json=body).status_code == 401
    assert client.post("/v1/bookings", headers=bearer("pkh_nope"), json=body).status_code == 401
    for bad in (
        {**body, "uid": "X" * 32},
        {**body, "code": "K7PMR"},
        {**body, "minutes": 0},
        {**body, "minutes": "30"},
        {**body, "walk_in": 1},
        {**body, "name": ""},
        {**body, "name": "x" * 41},
        {**body, "start_ts": -1},
        {**body, "extra": 1},
    ):
        response = book(client, hub, "a1", bad)
        assert (response.status_code, response.json()["error"]) == (422, "invalid"), bad
    assert hub.rows("SELECT count(*) FROM bookings") == [(0,)]


# --- booking changes pushed by terminals ------------------------------------------------------


def test_a_booking_made_offline_is_confirmed_or_pending_as_the_hub_would_have_made_it(
    hub: Hub, client: httpx.Client
) -> None:
    tablet = made_offline(open_slots(1, devices=["tablet-1"])[0])
    vr = made_offline(open_slots(1, devices=["vr-1"], minutes=60)[0])
    checked_in = made_offline(open_slots(1, devices=["phone-1"])[0], status="checked_in")
    answer = push(client, hub, "a1", create(tablet), create(vr), create(checked_in))
    assert (answer["bookings_new"], answer["bookings_duplicate"]) == (3, 0)
    assert stored(hub, tablet["uid"])["status"] == "confirmed"
    assert stored(hub, vr["uid"])["status"] == "pending"
    assert stored(hub, checked_in["uid"])["status"] == "checked_in"
    assert stored(hub, tablet["uid"])["name"] == "Sam"


def test_two_offline_bookings_of_one_slot_give_one_booking_and_one_conflict(
    hub: Hub, client: httpx.Client
) -> None:
    slot = open_slots(1)[0]
    first, second = made_offline(slot), made_offline(slot)
    push(client, hub, "a1", create(first))
    push(client, hub, "a2", create(second))
    assert stored(hub, first["uid"])["status"] == "confirmed"
    assert stored(hub, second["uid"])["status"] == "conflict"
    # A booking asked for online after both is refused: the slot is taken once.
    assert book(client, hub, "a1", ask(slot)).status_code == 409


def test_an_offline_booking_whose_code_is_in_use_becomes_a_conflict(
    hub: Hub, client: httpx.Client
) -> None:
    first, second = open_slots(2)
    online = book(client, hub, "a1", ask(first)).json()
    offline = made_offline(second, code=online["code"])
    push(client, hub, "a2", create(offline))
    row = stored(hub, offline["uid"])
    assert (row["status"], row["code"]) == ("conflict", online["code"])


def test_an_offline_booking_the_hub_already_has_changes_nothing_but_is_sent_again(
    hub: Hub, client: httpx.Client
) -> None:
    slot = open_slots(1)[0]
    body = ask(slot)
    online = book(client, hub, "a1", body).json()  # the answer was lost on its way back
    before = stored(hub, body["uid"])
    offline = made_offline(slot, uid=body["uid"], code=body["code"])
    push(client, hub, "a1", create(offline))
    after = stored(hub, body["uid"])
    assert after["change_seq"] > before["change_seq"]
    assert {**after, "change_seq": 0} == {**before, "change_seq": 0}
    assert changes(client, hub, "a1", before["change_seq"])["bookings"] == [online]


def test_a_status_change_is_applied_only_from_an_expected_status(
    hub: Hub, client: httpx.Client
) -> None:
    booking = made_offline(open_slots(1)[0])
    push(client, hub, "a1", create(booking))  # confirmed at the hub
    uid = booking["uid"]
    # Checked in at a2 while it still showed provisional there: provisional means pending or
    # confirmed at the hub.
    push(client, hub, "a2", status_op(uid, "checked_in", ["confirmed", "provisional"]))
    assert stored(hub, uid)["status"] == "checked_in"
    # a1 cancels what it thought was confirmed: refused, and sent back to everyone.
    before = stored(hub, uid)["change_seq"]
    push(client, hub, "a1", status_op(uid, "cancelled", ["pending", "confirmed", "provisional"]))
    after = stored(hub, uid)
    assert after["status"] == "checked_in"
    assert after["change_seq"] > before
    pulled = changes(client, hub, "a1", before)["bookings"]
    assert [(b["uid"], b["status"]) for b in pulled] == [(uid, "checked_in")]


def test_a_conflict_sharing_a_code_can_be_cancelled_but_not_made_active(
    hub: Hub, client: httpx.Client
) -> None:
    first, second = open_slots(2)
    winner = book(client, hub, "a1", ask(first)).json()
    loser = made_offline(second, code=winner["code"])
    push(client, hub, "a2", create(loser))
    assert stored(hub, loser["uid"])["status"] == "conflict"
    # Moved to a free time, it would be a second active booking with the winner's code.
    before = stored(hub, loser["uid"])["change_seq"]
    push(client, hub, "a2", move_op(loser["uid"], second))
    assert stored(hub, loser["uid"])["status"] == "conflict"
    assert stored(hub, loser["uid"])["change_seq"] > before
    # Staff close it instead.
    push(client, hub, "a2", status_op(loser["uid"], "cancelled", ["conflict"]))
    assert stored(hub, loser["uid"])["status"] == "cancelled"


def test_a_status_change_that_would_double_book_is_refused(hub: Hub, client: httpx.Client) -> None:
    slot = open_slots(1)[0]
    first, second = made_offline(slot), made_offline(slot)
    push(client, hub, "a1", create(first), create(second))  # the second is a conflict
    push(client, hub, "a2", status_op(second["uid"], "confirmed", ["conflict"]))
    assert stored(hub, second["uid"])["status"] == "conflict"


def test_staff_move_a_conflict_to_a_free_time_or_it_stays_a_conflict(
    hub: Hub, client: httpx.Client
) -> None:
    slot, free, later = open_slots(3, devices=["tablet-1"])
    winner, loser = made_offline(slot), made_offline(slot)
    push(client, hub, "a1", create(winner), create(loser))
    # Moved to the winner's time: refused, unchanged, sent back.
    before = stored(hub, loser["uid"])
    push(client, hub, "a2", move_op(loser["uid"], slot))
    after = stored(hub, loser["uid"])
    assert (after["status"], after["start_ts"], after["moved"]) == (
        "conflict",
        before["start_ts"],
        False,
    )
    assert after["change_seq"] > before["change_seq"]
    # Moved to a free time: confirmed there (staff chose it), marked as moved.
    push(client, hub, "a2", move_op(loser["uid"], free))
    moved = stored(hub, loser["uid"])
    assert (moved["status"], moved["start_ts"], moved["moved"]) == (
        "confirmed",
        int(free.start.timestamp()),
        True,
    )
    # A checked-in visitor moved to another time stays checked in.
    push(client, hub, "a1", status_op(winner["uid"], "checked_in", ["confirmed"]))
    push(client, hub, "a1", move_op(winner["uid"], later, status="confirmed"))
    assert stored(hub, winner["uid"])["status"] == "checked_in"
    # A cancelled booking is not brought back by a move made elsewhere meanwhile.
    push(client, hub, "a1", status_op(loser["uid"], "cancelled", ["confirmed"]))
    push(client, hub, "a2", move_op(loser["uid"], slot))
    assert stored(hub, loser["uid"])["status"] == "cancelled"


def test_the_last_device_state_by_its_time_wins(hub: Hub, client: httpx.Client) -> None:
    push(client, hub, "a1", device_op("tablet-1", "broken", 2000))
    push(client, hub, "a2", device_op("tablet-1", "available", 1000))  # older: not taken
    rows = hub.rows("SELECT status, changed_ts, change_seq FROM device_status")
    assert rows[0][:2] == ("broken", 2000)
    # Sent back to every terminal all the same, the older sender too.
    since = rows[0][2] - 1
    states = changes(client, hub, "a2", since)["devices"]
    assert states == [{"device_id": "tablet-1", "status": "broken", "changed_ts": 2000}]
    push(client, hub, "a2", device_op("tablet-1", "in_repair", 3000))
    assert hub.rows("SELECT status, changed_ts FROM device_status") == [("in_repair", 3000)]


def test_every_booking_change_is_taken_once_by_its_outbox_id(
    hub: Hub, client: httpx.Client
) -> None:
    slot, other = open_slots(2)
    booking = made_offline(slot)
    ops = [
        create(booking),
        status_op(booking["uid"], "checked_in", ["provisional"]),
        move_op(booking["uid"], other, status="checked_in"),
        device_op("tablet-1", "needs_wiping", 5000),
    ]
    assert push(client, hub, "a1", *ops)["bookings_new"] == 4
    before = hub.rows("SELECT * FROM bookings"), hub.rows("SELECT * FROM device_status")
    again = push(client, hub, "a1", *ops)
    assert (again["bookings_new"], again["bookings_duplicate"]) == (0, 4)
    assert (hub.rows("SELECT * FROM bookings"), hub.rows("SELECT * FROM device_status")) == before


def test_a_create_with_its_times_out_of_order_is_taken_but_stores_nothing(
    hub: Hub, client: httpx.Client
) -> None:
    booking = made_offline(open_slots(1)[0])
    broken = {**booking, "end_ts": booking["start_ts"]}
    assert push(client, hub, "a1", create(broken))["bookings_new"] == 1
    assert hub.rows("SELECT count(*) FROM bookings") == [(0,)]


# --- the changes feed ---------------------------------------------------------------------------


def test_a_terminal_pulls_the_bookings_and_devices_of_its_own_site_only(
    hub: Hub, client: httpx.Client
) -> None:
    slot_a, slot_b = open_slots(2)
    at_a = book(client, hub, "a1", ask(slot_a)).json()
    at_b = book(client, hub, "b1", ask(slot_b)).json()
    push(client, hub, "b1", device_op("tablet-1", "broken", 100))
    a2 = changes(client, hub, "a2")
    assert (a2["bookings"], a2["devices"], a2["more"]) == ([at_a], [], False)
    b1 = changes(client, hub, "b1")
    assert b1["bookings"] == [at_b]
    assert b1["devices"] == [{"device_id": "tablet-1", "status": "broken", "changed_ts": 100}]
    # From the cursor on: nothing until something changes at the site.
    assert changes(client, hub, "a2", a2["cursor"])["bookings"] == []


def test_progress_bookings_and_devices_share_one_cursor_and_one_limit(
    hub: Hub, client: httpx.Client
) -> None:
    slots = open_slots(5)
    expected_bookings = []
    for n, slot in enumerate(slots):
        expected_bookings.append(book(client, hub, "a1", ask(slot)).json())
        if n % 2:
            push(client, hub, "a2", device_op(f"dev-{n}", "broken", n))
        progress = {
            "id": str(uuid.uuid4()),
            "progress_id": uuid.uuid4().hex,
            "code": "K7PMR3X" + "ACDEF"[n],
            "created_at": "2026-03-02T10:00:00+00:00",
            "expires_at": (datetime.now(UTC) + timedelta(days=30)).isoformat(),
            "updated_at": "2026-03-02T10:00:00+00:00",
            "courses": [],
        }
        pushed = client.post(
            "/v1/push", headers=hub.auth("a1"), json={"site": "a", "progress": [progress]}
        )
        assert pushed.json()["progress_new"] == 1
    pages = []
    cursor = 0
    while True:
        page = changes(client, hub, "a1", cursor, limit=2)
        kinds = sum(len(page[part]) for part in ("progress", "bookings", "devices", "exceptions"))
        assert kinds <= 2
        pages.append(page)
        assert page["cursor"] >= cursor
        cursor = page["cursor"]
        if not page["more"]:
            break
    assert len(pages) >= 6  # 12 changes, two a page
    pulled = [booking for page in pages for booking in page["bookings"]]
    assert pulled == expected_bookings
    assert len([p for page in pages for p in page["progress"]]) == 5
    assert len([d for page in pages for d in page["devices"]]) == 2
    assert changes(client, hub, "a1", cursor) == {
        "cursor": cursor,
        "more": False,
        "progress": [],
        "bookings": [],
        "devices": [],
        "exceptions": [],
    }


# --- keeping a site's bookings ------------------------------------------------------------------


def past_booking(hub: Hub, client: httpx.Client, hours_ago: float, **fields: Any) -> str:
    """A confirmed booking that started ``hours_ago`` (made offline, pushed)."""
    start = datetime.now(UTC) - timedelta(hours=hours_ago)
    slot = Slot("tablet-1", start, start + timedelta(minutes=30))
    booking = made_offline(slot, **{"status": "confirmed", **fields})
    push(client, hub, "a1", create(booking))
    return str(booking["uid"])


def test_no_shows_are_released_once_per_site_and_counted_once(
    hub: Hub, client: httpx.Client
) -> None:
    late = [past_booking(hub, client, hours) for hours in (1, 3, 26)]
    on_time = past_booking(hub, client, 0.1)  # started 6 minutes ago: still to come
    checked_in = past_booking(hub, client, 5, status="checked_in")
    rules = SiteRulesCache()
    released = []
    # Two hub processes at once (their upkeep threads): each booking is released by one.
    barrier = threading.Barrier(2)

    def release() -> None:
        with psycopg.connect(hub.database) as conn:
            site_rules = rules.rules(conn, "a")
            assert site_rules is not None
            barrier.wait()
            released.append(booking_desk.release_no_shows(conn, "a", site_rules))

    workers = [threading.Thread(target=release) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert sorted(released) == [0, 3]
    for uid in late:
        assert stored(hub, uid)["status"] == "no_show"
    assert stored(hub, on_time)["status"] == "confirmed"
    assert stored(hub, checked_in)["status"] == "checked_in"
    events = hub.rows(
        "SELECT site, terminal_id, kind, device_kind, hour FROM usage_events ORDER BY hour"
    )
    assert [event[:4] for event in events] == [
        (
            "a",
            None,
            "booking_no_show",
            "tablet",
        )
    ] * 3
    # Every terminal of the site pulls the release; a terminal releases nothing itself.
    pulled = changes(client, hub, "a2")["bookings"]
    assert {b["uid"]: b["status"] for b in pulled if b["uid"] in late} == dict.fromkeys(
        late, "no_show"
    )
    # Asked again (the next round of upkeep): nothing more, no second count.
    with psycopg.connect(hub.database) as conn:
        site_rules = rules.rules(conn, "a")
        assert site_rules is not None
        assert booking_desk.release_no_shows(conn, "a", site_rules) == 0
    assert hub.rows("SELECT count(*) FROM usage_events") == [(3,)]


def test_a_booking_request_releases_the_site_s_no_shows_first(
    hub: Hub, client: httpx.Client
) -> None:
    late = past_booking(hub, client, 2)
    assert book(client, hub, "a1", ask(open_slots(1)[0])).status_code == 200
    assert stored(hub, late)["status"] == "no_show"
    assert hub.rows("SELECT kind FROM usage_events") == [("booking_no_show",)]


def test_names_are_purged_at_the_hub_purge_days_after_the_slot(
    hub: Hub, client: httpx.Client
) -> None:
    # The demo site keeps names 7 days after the slot.
    old = [past_booking(hub, client, hours) for hours in (8 * 24, 30 * 24)]
    recent = past_booking(hub, client, 6 * 24)
    with ConnectionPool(hub.database, min_size=1, max_size=2) as pool:
        upkeep = Upkeep(pool, SiteRulesCache())
        assert upkeep.purge_names() == 2
        assert upkeep.purge_names() == 0
    ended_before = int((datetime.now(UTC) - timedelta(days=7)).timestamp())
    assert hub.rows(
        "SELECT count(*) FROM bookings WHERE name IS NOT NULL AND end_ts < %s", ended_before
    ) == [(0,)]
    assert [stored(hub, uid)["name"] for uid in old] == [None, None]
    assert stored(hub, recent)["name"] == "Sam"


def test_the_hub_s_upkeep_releases_no_shows_of_every_site_with_a_config(
    hub: Hub, client: httpx.Client
) -> None:
    late = past_booking(hub, client, 1)
    with psycopg.connect(hub.database) as conn:
        conn.execute("INSERT INTO sites (id) VALUES ('c')")  # no config: nothing to decide by
    stop = threading.Event()
    with ConnectionPool(hub.database, min_size=1, max_size=2) as pool:
        upkeep = Upkeep(pool, SiteRulesCache())
        thread = threading.Thread(
            target=upkeep.run, args=(stop,), kwargs={"no_show_every_s": 0.05}, daemon=True
        )
        thread.start()
        try:
            deadline = datetime.now(UTC) + timedelta(seconds=20)
            while stored(hub, late)["status"] != "no_show":
                assert datetime.now(UTC) < deadline, "the upkeep did not release the no-show"
                stop.wait(0.05)
        finally:
            stop.set()
            thread.join(10)
    assert hub.rows("SELECT count(*) FROM usage_events") == [(1,)]


# --- the race -----------------------------------------------------------------------------------

RACERS = 20
RACED_SLOTS = 50


@pytest.mark.slow
def test_twenty_clients_asking_for_the_same_fifty_slots_at_once_get_one_booking_each(
    hub_database: str, tmp_path: Path
) -> None:
    """Twenty processes, each its own terminal and HTTP connection, against a real `kiosk hub
    serve` (its requests run in a thread pool over a pool of 8 connections: really at once)."""
    add_site(hub_database, "vhs", tmp_path)
    slots = open_slots(RACED_SLOTS)
    asks = tmp_path / "asks.json"
    bodies = [
        {key: value for key, value in ask(slot).items() if key not in ("uid", "code")}
        for slot in slots
    ]
    asks.write_text(json.dumps(bodies), encoding="utf-8")
    tokens = [enrol(hub_database, "vhs", f"vhs-{n}") for n in range(RACERS)]
    with HubProcess(hub_database, tmp_path / "hub.log") as hub:
        racers = [
            subprocess.Popen(
                [sys.executable, "-m", "tests.hub.booking_racer", hub.url, token, str(asks)],
                cwd=REPO,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
            for token in tokens
        ]
        try:
            for racer in racers:
                assert racer.stdout is not None and racer.stdout.readline().strip() == "ready"
            for racer in racers:  # all of them at once
                assert racer.stdin is not None
                racer.stdin.write("go\n")
                racer.stdin.flush()
            outputs = [racer.communicate(timeout=300)[0] for racer in racers]
        finally:
            for racer in racers:
                if racer.poll() is None:
                    racer.kill()
                    racer.communicate()
        log = (tmp_path / "hub.log").read_text(encoding="utf-8")
    assert "Traceback" not in log and "ERROR" not in log, log[-3000:]
    answers = [json.loads(output) for output in outputs]
    # In the database: exactly one booking per slot.
    with psycopg.connect(hub_database) as conn:
        booked = conn.execute(
            "SELECT device_id, start_ts, count(*) FROM bookings GROUP BY device_id, start_ts"
        ).fetchall()
        # Every insert tried took a change number, also one the exclusion constraint refused:
        # more numbers than bookings show that requests checked the same free slot at once and
        # the database decided (about a fifth of the 950 refusals, measured on 2 cores; the
        # others found the slot taken when they checked it).
        tried = conn.execute("SELECT value FROM change_counter").fetchone()
    assert tried is not None and tried[0] > RACED_SLOTS
    assert sorted(booked) == sorted(
        (slot.device_id, int(slot.start.timestamp()), 1) for slot in slots
    )
    # Each slot went to one racer; every other was told it was taken, and what is free instead.
    for index, slot in enumerate(slots):
        told = [racer[index] for racer in answers]
        statuses = Counter(answer["status"] for answer in told)
        assert statuses == {200: 1, 409: RACERS - 1}, (index, statuses)
        for answer in told:
            if answer["status"] == 409:
                assert answer["body"]["problem"] in ("overlap", "buffer")
                offered = answer["body"]["alternatives"]
                assert offered, answer
                assert (slot.device_id, int(slot.start.timestamp())) not in {
                    (alt["device_id"], alt["start_ts"]) for alt in offered
                }
