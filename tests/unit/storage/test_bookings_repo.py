"""The bookings repository of a terminal joined to a hub: uids, provisional bookings that hold
their device, conflicts that hold nothing, rescheduling, and the hub's bookings kept here."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.core.bookings.shared import SharedDeviceStatus
from kiosk.storage.bookings_repo import Added, BookingRepository
from kiosk.storage.database import Storage
from kiosk.storage.sync_store import SyncStore
from tests.unit.storage.bookings import add, by_uid, rows, shared, ts, uid


@pytest.fixture
def repo(data_dir: Path) -> Iterator[BookingRepository]:
    storage = Storage.open(data_dir)
    yield storage.bookings
    storage.close()


# -- uids ------------------------------------------------------------------------------------


def test_a_uid_stored_before_gives_that_booking_untouched(repo: BookingRepository) -> None:
    first = add(repo, "tablet-1", "10:00", n=1, code="FIRST1")
    assert first.id is not None and not first.existing

    again = add(repo, "tablet-2", "15:00", n=1, code="OTHER1")  # a retry, however it looks

    assert again == Added(first.id, existing=True)
    [row] = rows(repo)
    assert (row.uid, row.code, row.device_id) == (uid(1), "FIRST1", "tablet-1")


def test_a_new_uid_with_a_code_in_use_or_a_taken_slot_is_refused(repo: BookingRepository) -> None:
    assert add(repo, "tablet-1", "10:00", n=1, code="FIRST1").id is not None
    assert add(repo, "tablet-2", "10:00", n=2, code="FIRST1") == Added(None, code_in_use=True)
    assert add(repo, "tablet-1", "10:15", n=3) == Added(None, taken=True)
    assert [row.uid for row in rows(repo)] == [uid(1)]


def test_bookings_are_found_by_uid(repo: BookingRepository) -> None:
    added = add(repo, n=7)
    found = repo.by_uid(uid(7))
    assert found is not None and found.id == added.id and found.moved is False
    assert repo.by_uid(uid(8)) is None


def test_a_uid_has_32_characters(repo: BookingRepository) -> None:
    with pytest.raises(sqlite3.IntegrityError):
        repo.add(
            uid="short",
            code="SHORT1",
            device_id="tablet-1",
            device_kind="tablet",
            start_ts=ts("10:00"),
            end_ts=ts("10:30"),
            block_until_ts=ts("10:30"),
            name="Anna",
            status="confirmed",
            walk_in=False,
            now_ts=0,
        )


# -- provisional bookings hold their device, conflicts hold nothing ---------------------------


@pytest.mark.parametrize(
    ("first", "second", "taken"),
    [
        ("provisional", "confirmed", True),
        ("confirmed", "provisional", True),
        ("provisional", "provisional", True),
        ("checked_in", "provisional", True),
        ("conflict", "confirmed", False),  # a conflict gave its time away
        ("conflict", "provisional", False),
        ("confirmed", "conflict", False),  # a conflict may lie under an active booking
    ],
)
def test_provisional_holds_the_device_and_conflict_does_not(
    repo: BookingRepository, first: str, second: str, taken: bool
) -> None:
    assert add(repo, "tablet-1", "10:00", status=first, n=1).id is not None
    assert add(repo, "tablet-1", "10:15", status=second, n=2).taken is taken


def test_an_active_booking_can_become_a_conflict_and_a_conflict_cannot_come_back_onto_one(
    repo: BookingRepository,
) -> None:
    mine = add(repo, "tablet-1", "10:00", status="provisional", n=1).id
    assert mine is not None
    assert repo.set_status(mine, "conflict", 0, expected=["provisional"])
    assert add(repo, "tablet-1", "10:00", n=2).id is not None  # the hub's winner
    assert repo.set_status(mine, "provisional", 0, expected=["conflict"]) is False
    assert by_uid(repo, 1).status == "conflict"


# -- moving and rescheduling --------------------------------------------------------------------


def test_a_move_marks_the_booking_as_moved(repo: BookingRepository) -> None:
    mine = add(repo, "tablet-1", "10:00", n=1).id
    assert mine is not None
    assert repo.move(mine, "tablet-2", ts("10:30"), ts("09:40"))
    row = by_uid(repo, 1)
    assert (row.device_id, row.block_until_ts, row.moved) == ("tablet-2", ts("10:30"), True)


def test_reschedule_gives_another_time_device_and_status(repo: BookingRepository) -> None:
    mine = add(repo, "tablet-1", "10:00", status="conflict", n=1).id
    assert mine is not None

    done = repo.reschedule(
        mine,
        device_id="tablet-2",
        start_ts=ts("15:00"),
        end_ts=ts("15:30"),
        block_until_ts=ts("15:45"),
        status="provisional",
        now_ts=ts("09:40"),
    )

    assert done is True
    row = by_uid(repo, 1)
    assert (row.device_id, row.start_ts, row.end_ts, row.block_until_ts) == (
        "tablet-2",
        ts("15:00"),
        ts("15:30"),
        ts("15:45"),
    )
    assert (row.status, row.moved, row.code, row.name) == ("provisional", True, row.code, "Anna")


def test_reschedule_within_its_own_time_is_allowed(repo: BookingRepository) -> None:
    mine = add(repo, "tablet-1", "10:00", n=1).id
    assert mine is not None
    assert repo.reschedule(
        mine,
        device_id="tablet-1",
        start_ts=ts("10:15"),
        end_ts=ts("10:45"),
        block_until_ts=ts("11:00"),
        status="confirmed",
        now_ts=0,
    )


def test_reschedule_onto_a_held_time_is_refused_and_changes_nothing(
    repo: BookingRepository,
) -> None:
    assert add(repo, "tablet-2", "15:00", status="provisional", n=2).id is not None
    mine = add(repo, "tablet-1", "10:00", status="conflict", n=1).id
    assert mine is not None
    before = by_uid(repo, 1)

    done = repo.reschedule(
        mine,
        device_id="tablet-2",
        start_ts=ts("15:15"),
        end_ts=ts("15:45"),
        block_until_ts=ts("16:00"),
        status="provisional",
        now_ts=0,
    )

    assert done is False
    assert by_uid(repo, 1) == before
    assert (
        repo.reschedule(
            12345,
            device_id="tablet-2",
            start_ts=ts("17:00"),
            end_ts=ts("17:30"),
            block_until_ts=ts("17:30"),
            status="confirmed",
            now_ts=0,
        )
        is False
    )  # no such booking


def test_provisional_no_shows_are_released_and_conflicts_are_not(repo: BookingRepository) -> None:
    add(repo, "tablet-1", "10:00", status="provisional", n=1)
    add(repo, "tablet-2", "10:00", status="conflict", n=2)
    add(repo, "tablet-1", "11:00", status="confirmed", n=3)

    released = repo.release_no_shows(ts("10:15"), ts("10:15"))

    assert [row.uid for row in released] == [uid(1)]
    assert [(row.uid, row.status) for row in rows(repo)] == [
        (uid(1), "no_show"),
        (uid(2), "conflict"),
        (uid(3), "confirmed"),
    ]


# -- the hub's bookings kept here -----------------------------------------------------------


def test_the_hubs_booking_is_kept_field_for_field(repo: BookingRepository) -> None:
    hub = shared(5, "tablet-2", "14:00", 60, status="pending", moved=True)

    repo.keep_shared([hub])

    row = by_uid(repo, 5)
    assert (row.code, row.device_id, row.device_kind, row.name, row.status) == (
        hub.code,
        "tablet-2",
        "tablet",
        "Ben",
        "pending",
    )
    assert (row.start_ts, row.end_ts, row.block_until_ts) == (
        hub.start_ts,
        hub.end_ts,
        hub.block_until_ts,
    )
    assert (row.walk_in, row.moved) == (False, True)


@pytest.mark.parametrize("local", ["provisional", "confirmed", "pending", "checked_in"])
@pytest.mark.parametrize("hub_status", ["confirmed", "pending", "checked_in"])
def test_a_booking_here_in_the_way_of_the_hubs_becomes_a_conflict(
    repo: BookingRepository, local: str, hub_status: str
) -> None:
    assert add(repo, "tablet-1", "10:00", status=local, n=1).id is not None

    repo.keep_shared([shared(2, "tablet-1", "10:15", status=hub_status)])

    assert by_uid(repo, 1).status == "conflict"
    assert by_uid(repo, 2).status == hub_status


def test_only_bookings_in_the_way_become_conflicts(repo: BookingRepository) -> None:
    add(repo, "tablet-1", "09:15", status="provisional", n=1, buffer=15)  # blocked until 10:00
    add(repo, "tablet-1", "10:45", status="provisional", n=2)  # starts when the hub's is free
    add(repo, "tablet-2", "10:00", status="provisional", n=3)  # another device
    add(repo, "tablet-1", "10:00", status="cancelled", n=4)  # holds nothing anyway

    repo.keep_shared([shared(9, "tablet-1", "10:00", buffer=15)])  # blocks 10:00 to 10:45

    assert {row.uid: row.status for row in rows(repo)} == {
        uid(1): "provisional",
        uid(2): "provisional",
        uid(3): "provisional",
        uid(4): "cancelled",
        uid(9): "confirmed",
    }


def test_an_inactive_booking_of_the_hub_takes_no_time_from_anyone(repo: BookingRepository) -> None:
    add(repo, "tablet-1", "10:00", status="provisional", n=1)
    repo.keep_shared([shared(2, status="cancelled"), shared(3, status="conflict")])
    assert [(row.uid, row.status) for row in rows(repo)] == [
        (uid(1), "provisional"),
        (uid(2), "cancelled"),
        (uid(3), "conflict"),
    ]


def test_the_hub_confirms_a_provisional_booking_made_here(repo: BookingRepository) -> None:
    add(repo, "tablet-1", "10:00", status="provisional", n=1, code="MINE01")

    repo.keep_shared([shared(1, "tablet-1", "10:00", code="MINE01", name="Anna")])

    [row] = rows(repo)
    assert (row.uid, row.status, row.code) == (uid(1), "confirmed", "MINE01")


def test_keeping_the_same_bookings_twice_changes_nothing(repo: BookingRepository) -> None:
    add(repo, "tablet-1", "10:00", status="provisional", n=1, code="K7PMR3")
    batch = [
        shared(2, "tablet-1", "10:15"),
        shared(3, "tablet-2", "11:00", code="K7PMR3"),
        shared(4, "tablet-2", "12:00", status="cancelled"),
    ]
    devices = [SharedDeviceStatus("tablet-2", "broken", ts("09:00"))]
    repo.keep_shared(batch, devices)
    kept = (rows(repo), repo.device_statuses())

    repo.keep_shared(batch, devices)

    assert (rows(repo), repo.device_statuses()) == kept
    assert len(kept[0]) == 4


def test_the_hubs_later_word_overwrites_the_copy_here(repo: BookingRepository) -> None:
    repo.keep_shared([shared(1, "tablet-1", "10:00", code="FIRST1")])

    # Staff elsewhere moved it to another tablet and time, then cancelled it; the name is purged.
    repo.keep_shared(
        [
            shared(
                1,
                "tablet-2",
                "16:00",
                60,
                status="cancelled",
                code="FIRST1",
                name=None,
                moved=True,
                updated="17:30",
            )
        ]
    )

    [row] = rows(repo)
    assert (row.device_id, row.start_ts, row.end_ts) == ("tablet-2", ts("16:00"), ts("17:00"))
    assert (row.status, row.name, row.moved, row.code) == ("cancelled", None, True, "FIRST1")


@pytest.mark.parametrize("status", ["conflict", "no_show", "checked_in", "pending"])
def test_every_status_of_the_hub_is_taken(repo: BookingRepository, status: str) -> None:
    repo.keep_shared([shared(1)])
    repo.keep_shared([shared(1, status=status)])
    assert by_uid(repo, 1).status == status


def test_a_batch_is_kept_whole_or_not_at_all(repo: BookingRepository) -> None:
    add(repo, "tablet-1", "10:00", status="provisional", n=1)
    bad = shared(3, status="lost")  # out of the vocabulary: the CHECK refuses it

    with pytest.raises(sqlite3.IntegrityError):
        repo.keep_shared([shared(2, "tablet-1", "10:15"), bad])

    assert [(row.uid, row.status) for row in rows(repo)] == [(uid(1), "provisional")]


def test_device_states_of_the_hub_are_taken_when_not_older(repo: BookingRepository) -> None:
    repo.set_device_status("tablet-1", "broken", ts("10:00"))
    repo.set_device_status("tablet-2", "broken", ts("10:00"))
    repo.set_device_status("tablet-3", "broken", ts("10:00"))

    repo.keep_shared(
        [],
        [
            SharedDeviceStatus("tablet-1", "available", ts("09:59")),  # older: kept as it is
            SharedDeviceStatus("tablet-2", "in_repair", ts("10:00")),  # a tie goes to the hub
            SharedDeviceStatus("tablet-3", "needs_wiping", ts("10:01")),
            SharedDeviceStatus("vr-1", "in_repair", ts("08:00")),
        ],
    )

    assert repo.device_statuses() == {
        "tablet-1": "broken",
        "tablet-2": "in_repair",
        "tablet-3": "needs_wiping",
        "vr-1": "in_repair",
    }


def test_the_sync_store_keeps_the_hubs_bookings_beside_the_kiosk(data_dir: Path) -> None:
    with Storage.open(data_dir) as storage:
        add(storage.bookings, "tablet-1", "10:00", status="provisional", n=1)
        with SyncStore.open(data_dir) as store:
            store.bookings.keep_shared([shared(2, "tablet-1", "10:15")])
        assert by_uid(storage.bookings, 1).status == "conflict"
        assert by_uid(storage.bookings, 2).status == "confirmed"


# -- a code the hub gave to another booking ---------------------------------------------------


def test_a_provisional_booking_gives_its_code_to_the_hubs_and_becomes_a_conflict(
    repo: BookingRepository,
) -> None:
    add(repo, "tablet-1", "10:00", status="provisional", n=1, code="K7PMR3")

    repo.keep_shared([shared(2, "tablet-2", "15:00", code="K7PMR3")])

    found = repo.by_code("K7PMR3")
    assert found is not None and found.uid == uid(2)
    mine = by_uid(repo, 1)
    # The visitor's code in lower case: staff recognise the slip; no lookup finds it.
    assert (mine.status, mine.code) == ("conflict", "k7pmr3")

    # The hub stores the offline booking as a conflict sharing the code; it comes back so.
    repo.keep_shared([shared(1, "tablet-1", "10:00", status="conflict", code="K7PMR3")])

    assert by_uid(repo, 1).code == "k7pmr3"
    assert by_uid(repo, 2).code == "K7PMR3"


def test_a_cancelled_booking_of_the_hub_leaves_the_code_to_an_active_one_here(
    repo: BookingRepository,
) -> None:
    add(repo, "tablet-1", "10:00", status="provisional", n=1, code="K7PMR3")

    repo.keep_shared([shared(2, "tablet-2", "15:00", status="cancelled", code="K7PMR3")])

    assert by_uid(repo, 1).code == "K7PMR3" and by_uid(repo, 1).status == "provisional"
    assert by_uid(repo, 2).code == "k7pmr3"


BIG = 0xFEDCBA98765432100123456789ABCDEF  # uid "fedcba98…": its first five digits are "fedcb"


def test_a_code_without_letters_gets_a_stand_in_from_the_uid(repo: BookingRepository) -> None:
    add(repo, "tablet-1", "10:00", status="provisional", n=BIG, code="346797")

    repo.keep_shared([shared(2, "tablet-2", "15:00", code="346797")])

    assert by_uid(repo, BIG).code == "zfedcb"
    assert by_uid(repo, 2).code == "346797"


def test_a_stand_in_another_booking_has_is_not_given_twice(repo: BookingRepository) -> None:
    add(repo, "tablet-1", "10:00", status="provisional", n=BIG, code="K7PMR3")
    for n, code in enumerate(("k7pmr3", "zfedcb", "z00000"), start=3):
        add(repo, "tablet-2", f"1{n}:00", status="cancelled", n=n, code=code)

    repo.keep_shared([shared(2, "tablet-2", "15:00", code="K7PMR3")])

    assert by_uid(repo, BIG).code == "z00001"
    assert by_uid(repo, BIG).status == "conflict"


def test_a_stale_copy_of_the_hubs_booking_gives_its_code_to_the_hubs_newer_one(
    repo: BookingRepository,
) -> None:
    repo.keep_shared([shared(1, "tablet-1", "10:00", code="K7PMR3")])

    repo.keep_shared([shared(2, "tablet-2", "15:00", code="K7PMR3")])

    assert by_uid(repo, 1).status == "confirmed"  # only a provisional booking turns conflict
    assert by_uid(repo, 1).code == "k7pmr3"
    assert by_uid(repo, 2).code == "K7PMR3"
