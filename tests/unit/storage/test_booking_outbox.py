"""A joined terminal's booking changes in the outbox: one op per change, in the change's own
transaction, with the body the sync sends to the hub as it is (the push batch's BookingChange)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk.core.bookings.exceptions import SharedDateException
from kiosk.core.bookings.shared import SharedDeviceStatus
from kiosk.storage.database import Storage
from kiosk.storage.outbox_repo import KIND_BOOKING
from kiosk.storage.sync_store import SyncStore
from tests.unit.storage.bookings import add, shared, ts, uid


@pytest.fixture
def joined(data_dir: Path) -> Iterator[Storage]:
    storage = Storage.open(data_dir, outbox=True)
    yield storage
    storage.close()


def queued(data_dir: Path) -> list[dict[str, Any]]:
    """The booking ops as the sync thread reads them, each checked to carry its row's id."""
    with SyncStore.open(data_dir) as store:
        rows = store.outbox.pending(1000)
    for row in rows:
        assert row.kind == KIND_BOOKING
        assert row.body["id"] == row.id
    return [{key: value for key, value in row.body.items() if key != "id"} for row in rows]


def test_each_change_queues_one_op_with_the_contracts_body(data_dir: Path, joined: Storage) -> None:
    repo = joined.bookings
    booking_id = add(repo, "tablet-1", "10:00", status="provisional", n=1, code="K7PMR3").id
    assert booking_id is not None
    assert repo.set_status(
        booking_id, "checked_in", ts("09:55"), expected=["confirmed", "provisional"]
    )
    assert repo.move(booking_id, "tablet-2", ts("10:30"), ts("09:56"))
    assert repo.reschedule(
        booking_id,
        device_id="tablet-1",
        start_ts=ts("11:00"),
        end_ts=ts("11:30"),
        block_until_ts=ts("11:45"),
        status="provisional",
        now_ts=ts("09:57"),
    )
    repo.set_device_status("tablet-2", "needs_wiping", ts("09:58"))

    assert queued(data_dir) == [
        {
            "op": "create",
            "booking": {
                "uid": uid(1),
                "code": "K7PMR3",
                "device_id": "tablet-1",
                "device_kind": "tablet",
                "start_ts": ts("10:00"),
                "end_ts": ts("10:30"),
                "block_until_ts": ts("10:45"),
                "name": "Anna",
                "status": "provisional",
                "walk_in": False,
                "moved": False,
                "updated_ts": ts("09:00"),
            },
        },
        {
            "op": "status",
            "uid": uid(1),
            "status": "checked_in",
            "expected": ["confirmed", "provisional"],
            "at_ts": ts("09:55"),
        },
        {
            "op": "move",
            "uid": uid(1),
            "device_id": "tablet-2",
            "start_ts": ts("10:00"),
            "end_ts": ts("10:30"),
            "block_until_ts": ts("10:30"),
            "status": "checked_in",  # a move to another device keeps the status
            "at_ts": ts("09:56"),
        },
        {
            "op": "move",
            "uid": uid(1),
            "device_id": "tablet-1",
            "start_ts": ts("11:00"),
            "end_ts": ts("11:30"),
            "block_until_ts": ts("11:45"),
            "status": "provisional",
            "at_ts": ts("09:57"),
        },
        {
            "op": "device",
            "device_id": "tablet-2",
            "status": "needs_wiping",
            "changed_ts": ts("09:58"),
        },
    ]


def test_a_refused_change_queues_nothing(data_dir: Path, joined: Storage) -> None:
    repo = joined.bookings
    mine = add(repo, "tablet-1", "10:00", n=1, code="K7PMR3").id
    other = add(repo, "tablet-2", "10:00", n=2).id
    old = add(repo, "tablet-2", "12:00", status="cancelled", n=3).id
    assert mine is not None and other is not None and old is not None
    assert add(repo, "tablet-2", "12:00", n=4).id is not None
    before = queued(data_dir)
    assert [op["op"] for op in before] == ["create"] * 4

    assert add(repo, "tablet-1", "10:15", n=5).taken  # the overlap trigger refuses it
    assert add(repo, "tablet-1", "15:00", n=6, code="K7PMR3").code_in_use
    assert add(repo, "tablet-1", "15:00", n=1).existing  # a retry stores nothing new
    assert not repo.set_status(mine, "checked_in", 0, expected=["pending"])  # not as expected
    assert not repo.set_status(old, "confirmed", 0, expected=["cancelled"])  # trigger
    assert not repo.move(mine, "tablet-2", ts("10:45"), 0)  # trigger
    assert not repo.move(12345, "tablet-2", ts("10:45"), 0)  # no such booking
    assert not repo.reschedule(
        mine,
        device_id="tablet-2",
        start_ts=ts("12:15"),
        end_ts=ts("12:45"),
        block_until_ts=ts("12:45"),
        status="provisional",
        now_ts=0,
    )

    assert queued(data_dir) == before


def test_what_the_hub_sent_and_the_upkeep_queue_nothing(data_dir: Path, joined: Storage) -> None:
    repo = joined.bookings
    assert add(repo, "tablet-1", "10:00", status="provisional", n=1).id is not None
    assert add(repo, "tablet-2", "10:00", status="confirmed", n=2).id is not None
    before = queued(data_dir)

    repo.keep_shared(
        [shared(3, "tablet-1", "10:15"), shared(2, "tablet-2", "10:00", name=None)],
        [SharedDeviceStatus("tablet-1", "broken", ts("09:00"))],
    )
    released = repo.release_no_shows(ts("10:20"), ts("10:20"))
    assert [row.uid for row in released] == [uid(2), uid(3)]
    assert repo.purge_names(ts("11:00")) > 0

    # Nothing queued; the create still waiting for the hub lost its name with the booking.
    for op in before:
        if op["op"] == "create":
            op["booking"]["name"] = None
    assert queued(data_dir) == before


def test_a_terminal_that_stands_alone_queues_no_booking(data_dir: Path) -> None:
    with Storage.open(data_dir) as storage:
        booking_id = add(storage.bookings, n=1).id
        assert booking_id is not None
        storage.bookings.set_status(booking_id, "cancelled", 0, expected=["confirmed"])
        storage.bookings.set_device_status("tablet-1", "broken", 0)
    assert queued(data_dir) == []


def test_a_change_on_its_way_to_the_hub_is_not_undone_by_an_older_pull(
    data_dir: Path, joined: Storage
) -> None:
    """Staff check a visitor in between a sync's push and its pull: the pull carries the hub's
    state from before the check-in, and must not flip it back until the hub has heard of it."""
    repo = joined.bookings
    repo.keep_shared([shared(1, "tablet-1", "10:00")])  # the hub's booking, confirmed
    stored = repo.by_uid(uid(1))
    assert stored is not None and stored.status == "confirmed"
    assert repo.set_status(stored.id, "checked_in", ts("09:55"), expected=["confirmed"])

    repo.keep_shared([shared(1, "tablet-1", "10:00")])  # the older state, pulled
    kept = repo.by_uid(uid(1))
    assert kept is not None and kept.status == "checked_in"

    with SyncStore.open(data_dir) as store:  # pushed: the hub has the check-in now
        store.outbox.acknowledge([row.seq for row in store.outbox.pending(1000)])
    repo.keep_shared([shared(1, "tablet-1", "10:00", status="cancelled")])  # the hub's word
    final = repo.by_uid(uid(1))
    assert final is not None and final.status == "cancelled"


def test_a_block_travels_with_its_kind_and_reason_and_the_hub_s_exceptions_queue_nothing(
    data_dir: Path, joined: Storage
) -> None:
    """A block's create carries what it is (a visit's body stays as hubs before blocks know it);
    a date exception that came from the hub is kept here and not sent back."""
    repo = joined.bookings
    end = ts("16:00")
    added = repo.add(
        uid=uid(7),
        code="K7PMR3",
        device_id="tablet-1",
        device_kind="tablet",
        start_ts=ts("14:00"),
        end_ts=end,
        block_until_ts=end,
        name=None,
        status="provisional",
        walk_in=False,
        now_ts=ts("09:00"),
        kind="blocked",
        reason="Workshop",
    )
    assert added.id is not None
    [create] = queued(data_dir)
    assert create["op"] == "create"
    assert (create["booking"]["kind"], create["booking"]["reason"]) == ("blocked", "Workshop")
    assert create["booking"]["uid"] == uid(7) and create["booking"]["name"] is None

    inventory = SharedDateException(
        day="2026-12-03",
        closed=True,
        opens_minute=None,
        closes_minute=None,
        note="Inventur",
        removed=False,
        changed_ts=ts("09:05"),
    )
    repo.keep_shared_exceptions([inventory])
    [kept] = repo.date_exceptions("2026-12-03", "2026-12-03")
    assert (kept.day, kept.closed, kept.note, kept.removed) == (
        "2026-12-03",
        True,
        "Inventur",
        False,
    )
    assert len(queued(data_dir)) == 1  # only the block's create
