"""The booking service over a real SQLite file: book, look up, cancel, check in, release, purge."""

from __future__ import annotations

import functools
from datetime import timedelta
from pathlib import Path

import pytest

from kiosk.core.bookings import (
    BookingProblem,
    BookingStatus,
    CheckInStatus,
    DeviceStatus,
    LookupStatus,
    NameProblem,
    reservations,
)
from kiosk.core.resume_codes import ALPHABET, generate_code
from kiosk.storage.bookings_repo import Added
from tests.unit.bookings.helpers import TUESDAY, at, booking_site


def starts(slots) -> list[str]:
    return [slot.start.strftime("%H:%M") for slot in slots]


def test_a_booking_takes_its_slot_out_of_the_free_views(data_dir: Path) -> None:
    with booking_site(data_dir) as (service, _clock, _storage):
        assert "10:00" in starts(service.free_slots("tablet-1", TUESDAY))
        outcome = service.book("tablet-1", at(TUESDAY, "10:00"), 30, "  Anna  ")
        assert outcome.ok and outcome.booking is not None
        booking = outcome.booking
        assert booking.name == "Anna"
        assert booking.status is BookingStatus.CONFIRMED
        assert len(booking.code) == 6 and set(booking.code) <= set(ALPHABET)
        assert booking.printed_code == f"{booking.code[:3]}-{booking.code[3:]}"
        free = starts(service.free_slots("tablet-1", TUESDAY))
        # 10:00-10:30 plus a 15-minute buffer: the next start is 10:45.
        assert "10:00" not in free and "10:30" not in free and "10:45" in free
        assert "10:00" not in starts(service.free_day(TUESDAY)["tablet-1"])
        # Another tablet is not affected.
        assert "10:00" in starts(service.free_slots("tablet-2", TUESDAY))


def test_a_vanished_slot_says_just_taken_and_offers_the_next_ones(data_dir: Path) -> None:
    with booking_site(data_dir) as (service, _clock, storage):
        first = service.book("tablet-1", at(TUESDAY, "10:00"), 30, "Anna")
        assert first.ok
        rows_before = storage.bookings.between(0, 2**40)
        second = service.book("tablet-1", at(TUESDAY, "10:00"), 30, "Ben")
        assert not second.ok
        assert second.problem is BookingProblem.OVERLAP
        assert second.alternatives
        assert second.alternatives[0].start >= at(TUESDAY, "10:00")
        assert {slot.device_id for slot in second.alternatives} >= {"tablet-1", "tablet-2"}
        assert storage.bookings.between(0, 2**40) == rows_before  # nothing changed


def test_the_database_refuses_an_overlap_the_service_did_not_see(data_dir: Path) -> None:
    with booking_site(data_dir) as (service, _clock, storage):
        assert service.book("tablet-1", at(TUESDAY, "10:00"), 30, "Anna").ok
        start = int(at(TUESDAY, "10:30").timestamp())  # inside the first one's buffer
        added = storage.bookings.add(
            uid="b" * 32,
            code="ACDEFG",
            device_id="tablet-1",
            device_kind="tablet",
            start_ts=start,
            end_ts=start + 1800,
            block_until_ts=start + 1800,
            name="Ben",
            status="confirmed",
            walk_in=False,
            now_ts=start,
        )
        assert added.taken and added.id is None
        assert len(storage.bookings.between(0, 2**40)) == 1


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("", NameProblem.EMPTY),
        ("   \t ", NameProblem.EMPTY),
        ("x" * 2000, NameProblem.TOO_LONG),
        ("Anna\x07", NameProblem.HIDDEN_CHARACTER),
        ("Anna\x1b[31m", NameProblem.HIDDEN_CHARACTER),
        ("\u202eannA", NameProblem.HIDDEN_CHARACTER),  # right-to-left override
        ("Ann\u2066a", NameProblem.HIDDEN_CHARACTER),  # isolate
        ("...", NameProblem.EMPTY),
    ],
)
def test_bad_names_are_refused_and_nothing_is_stored(data_dir: Path, name, expected) -> None:
    with booking_site(data_dir) as (service, _clock, storage):
        outcome = service.book("tablet-1", at(TUESDAY, "10:00"), 30, name)
        assert outcome.name_problem is expected
        assert not outcome.ok
        assert storage.bookings.between(0, 2**40) == []


def test_names_in_every_script_are_welcome(data_dir: Path) -> None:
    with booking_site(data_dir) as (service, _clock, _storage):
        names = ["Jürgen", "Олена", "مريم", "نگار\u200cها", "Ayşe"]
        for hour, name in zip((10, 11, 12, 14, 15), names, strict=True):
            outcome = service.book("tablet-2", at(TUESDAY, f"{hour}:00"), 15, name)
            assert outcome.ok, (name, outcome)
            assert outcome.booking is not None and outcome.booking.name == name


def test_lookup_and_cancel_by_code(data_dir: Path) -> None:
    with booking_site(data_dir) as (service, _clock, _storage):
        booking = service.book("tablet-1", at(TUESDAY, "11:00"), 30, "Anna").booking
        assert booking is not None
        typed = booking.printed_code.lower().replace("-", " ")
        found = service.find(typed)
        assert found.status is LookupStatus.FOUND and found.booking == booking
        assert service.cancel(booking.id)
        assert "11:00" in starts(service.free_slots("tablet-1", TUESDAY))
        again = service.find(booking.code)
        assert again.booking is not None and again.booking.status is BookingStatus.CANCELLED
        assert not service.cancel(booking.id)  # cancelling twice changes nothing


def test_unknown_and_malformed_codes_and_the_throttle(data_dir: Path) -> None:
    with booking_site(data_dir) as (service, clock, _storage):
        assert service.find("hello").status is LookupStatus.MALFORMED
        assert service.find("K7P-MR").status is LookupStatus.MALFORMED
        unknown = "ACDEF" + next(
            c for c in ALPHABET if service.find("ACDEF" + c).status is not LookupStatus.MALFORMED
        )
        statuses = [service.find(unknown).status for _ in range(6)]
        assert LookupStatus.THROTTLED in statuses
        clock.advance(hours=1)
        assert service.find(unknown).status is LookupStatus.UNKNOWN


def test_check_in_by_code_and_its_refusals(data_dir: Path) -> None:
    with booking_site(data_dir) as (service, clock, _storage):
        booking = service.book("tablet-1", at(TUESDAY, "11:00"), 30, "Anna").booking
        assert booking is not None
        assert service.check_in("nonsense").status is CheckInStatus.MALFORMED
        assert service.check_in(booking.code).status is CheckInStatus.NOT_NOW  # 09:00, too early
        clock.now = at(TUESDAY, "10:55")
        result = service.check_in(booking.printed_code)
        assert result.status is CheckInStatus.CHECKED_IN
        assert result.booking is not None and result.booking.status is BookingStatus.CHECKED_IN
        assert service.check_in(booking.code).status is CheckInStatus.ALREADY
        # In use: the device must be wiped before visitors get its next slot today.
        assert service.status_of("tablet-1") is DeviceStatus.NEEDS_WIPING
        assert service.free_slots("tablet-1", TUESDAY) == []
        assert service.free_slots("tablet-1", TUESDAY + timedelta(days=1))  # tomorrow is fine
        problem = service.book("tablet-1", at(TUESDAY, "15:00"), 30, "Ben").problem
        assert problem is BookingProblem.NEEDS_WIPING
        service.mark_wiped("tablet-1")
        assert "15:00" in starts(service.free_slots("tablet-1", TUESDAY))


def test_a_no_show_is_released_after_the_configured_time(data_dir: Path) -> None:
    with booking_site(data_dir, no_show_minutes=15) as (service, clock, _storage):
        booking = service.book("tablet-1", at(TUESDAY, "11:00"), 60, "Anna").booking
        assert booking is not None
        clock.now = at(TUESDAY, "11:14")
        assert service.release_no_shows() == []
        clock.now = at(TUESDAY, "11:15")
        released = service.release_no_shows()
        assert [b.id for b in released] == [booking.id]
        assert released[0].status is BookingStatus.NO_SHOW
        # The rest of the slot is free again for someone who is here.
        clock.now = at(TUESDAY, "11:16")
        assert "11:30" in starts(service.free_slots("tablet-2", TUESDAY))
        assert service.book("tablet-1", at(TUESDAY, "11:30"), 30, "Ben", walk_in=True).ok
        assert service.check_in(booking.code).status is CheckInStatus.NO_SHOW


def test_a_broken_device_disappears_and_lists_its_bookings(data_dir: Path) -> None:
    with booking_site(data_dir) as (service, _clock, _storage):
        booking = service.book("tablet-1", at(TUESDAY, "14:00"), 30, "Anna").booking
        affected = service.set_device_status("tablet-1", DeviceStatus.BROKEN)
        assert [b.id for b in affected] == [booking.id] if booking else False
        assert "tablet-1" not in {d.id for d in service.visitor_devices()}
        assert "tablet-1" not in service.free_day(TUESDAY)
        refused = service.book("tablet-1", at(TUESDAY, "16:00"), 30, "Ben")
        assert refused.problem is BookingProblem.DEVICE_UNAVAILABLE
        service.set_device_status("tablet-1", DeviceStatus.AVAILABLE)
        assert "tablet-1" in service.free_day(TUESDAY)


def test_approval_holds_the_slot_until_staff_approve(data_dir: Path) -> None:
    with booking_site(data_dir) as (service, clock, _storage):
        booking = service.book("vr-1", at(TUESDAY, "15:00"), 30, "Anna").booking
        assert booking is not None and booking.status is BookingStatus.PENDING
        assert "15:00" not in starts(service.free_slots("vr-1", TUESDAY))
        clock.now = at(TUESDAY, "14:50")
        assert service.check_in(booking.code).status is CheckInStatus.PENDING
        assert service.approve(booking.id)
        assert service.check_in(booking.code).status is CheckInStatus.CHECKED_IN


def test_move_to_another_device_of_the_same_kind(data_dir: Path) -> None:
    with booking_site(data_dir) as (service, _clock, _storage):
        anna = service.book("tablet-1", at(TUESDAY, "14:00"), 30, "Anna").booking
        ben = service.book("tablet-2", at(TUESDAY, "15:00"), 30, "Ben").booking
        assert anna is not None and ben is not None
        assert service.move(anna.id, "vr-1") is BookingProblem.UNKNOWN_DEVICE  # other kind
        assert service.move(anna.id, "tablet-2") is None
        assert service.booking(anna.code).device_id == "tablet-2"  # type: ignore[union-attr]
        assert "14:00" in starts(service.free_slots("tablet-1", TUESDAY))
        # Ben's slot on tablet-2 cannot take a second booking at the same time.
        bert = service.book("tablet-1", at(TUESDAY, "15:00"), 30, "Bert").booking
        assert bert is not None
        assert service.move(bert.id, "tablet-2") is BookingProblem.OVERLAP


def test_purge_removes_the_name_from_the_database_file(data_dir: Path) -> None:
    canary = "Zebulon-Quxwell"
    with booking_site(data_dir, purge_days=7) as (service, clock, storage):
        booking = service.book("tablet-1", at(TUESDAY, "14:00"), 30, canary).booking
        assert booking is not None
        backup = storage.backup_now()  # the daily backup holds the name too, until the purge
        assert canary.encode() in backup.read_bytes()
        clock.now = at(TUESDAY, "14:10")
        service.check_in(booking.code)
        clock.now = at(TUESDAY + timedelta(days=7), "14:20")
        assert service.purge_names() == 0  # seven days after the slot: not yet
        clock.now = at(TUESDAY + timedelta(days=7), "14:31")
        assert service.purge_names() == 1
        kept = service.booking(booking.code)
        assert kept is not None and kept.name is None and kept.device_id == "tablet-1"
        storage.close()
    files = [*data_dir.glob("kiosk.sqlite3*"), *(data_dir / "backups").iterdir()]
    assert any(path.parent.name == "backups" for path in files)
    for path in files:
        assert canary.encode() not in path.read_bytes(), path.name


def test_visitors_cannot_cancel_once_the_slot_has_started(data_dir: Path) -> None:
    with booking_site(data_dir) as (service, clock, _storage):
        booking = service.book("tablet-1", at(TUESDAY, "11:00"), 30, "Anna").booking
        assert booking is not None
        clock.now = at(TUESDAY, "11:05")
        assert not service.cancel(booking.id)
        assert service.cancel(booking.id, staff=True)


def test_a_device_is_named_in_the_site_language_first(data_dir: Path) -> None:
    from kiosk import resources
    from kiosk.config import load_config
    from kiosk.core.bookings import device_policies

    tablet = device_policies(load_config(resources.DEMO_CONFIG))[0]
    assert tablet.display_name("de", ("en", "de")) == "Android-Tablet"
    assert tablet.display_name("en", ("en", "de")) == "Android tablet"
    assert tablet.display_name("fa", ("en", "de")) == "تبلت اندروید"


def test_a_code_already_in_use_is_drawn_again(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The random source hands out the same five symbols three times, then others: the second
    # booking's first two codes are refused by the database's UNIQUE constraint, so the service
    # draws again until a code is free.
    symbols = iter("KMPRT" * 3 + "ACDEF")
    monkeypatch.setattr(
        reservations,
        "generate_code",
        functools.partial(generate_code, lambda _alphabet: next(symbols)),
    )
    with booking_site(data_dir) as (service, _clock, storage):
        first = service.book("tablet-1", at(TUESDAY, "10:00"), 30, "Anna").booking
        second = service.book("tablet-2", at(TUESDAY, "10:00"), 30, "Ben").booking
        assert first is not None and second is not None
        assert first.code.startswith("KMPRT") and second.code.startswith("ACDEF")
        assert [row.name for row in storage.bookings.between(0, 2**40)] == ["Anna", "Ben"]


def test_the_store_says_code_in_use_apart_from_slot_taken(data_dir: Path) -> None:
    with booking_site(data_dir) as (service, _clock, storage):
        booking = service.book("tablet-1", at(TUESDAY, "10:00"), 30, "Anna").booking
        assert booking is not None
        start = int(at(TUESDAY, "14:00").timestamp())
        again = storage.bookings.add(
            uid="b" * 32,
            code=booking.code,
            device_id="tablet-2",
            device_kind="tablet",
            start_ts=start,
            end_ts=start + 1800,
            block_until_ts=start + 1800,
            name="Ben",
            status="confirmed",
            walk_in=False,
            now_ts=start - 7200,
        )
        assert again == Added(None, taken=False, code_in_use=True)


def test_walk_ins_are_stored_as_walk_ins(data_dir: Path) -> None:
    with booking_site(data_dir, now=at(TUESDAY, "10:05")) as (service, _clock, storage):
        walk_in = service.book("tablet-1", at(TUESDAY, "10:00"), 30, "Anna", walk_in=True)
        booked = service.book("tablet-2", at(TUESDAY, "11:00"), 30, "Ben")
        assert walk_in.booking is not None and booked.booking is not None
        assert walk_in.booking.walk_in is True and booked.booking.walk_in is False
        stored = storage.bookings.by_id(walk_in.booking.id)
        assert stored is not None and stored.walk_in is True


def test_a_plain_window_query_lists_cancelled_bookings_too(data_dir: Path) -> None:
    with booking_site(data_dir) as (service, _clock, storage):
        booking = service.book("tablet-1", at(TUESDAY, "10:00"), 30, "Anna").booking
        assert booking is not None
        assert service.cancel(booking.id)
        listed = storage.bookings.between(0, 2**40)
        assert [row.status for row in listed] == ["cancelled"]
        assert storage.bookings.between(0, 2**40, active_only=True) == []


def test_released_no_shows_come_back_in_start_order(data_dir: Path) -> None:
    with booking_site(data_dir) as (service, clock, _storage):
        late = service.book("tablet-1", at(TUESDAY, "11:00"), 30, "Anna").booking
        early = service.book("tablet-2", at(TUESDAY, "10:00"), 30, "Ben").booking
        assert late is not None and early is not None
        clock.now = at(TUESDAY, "12:00")
        assert [b.id for b in service.release_no_shows()] == [early.id, late.id]


def test_just_taken_offers_times_of_the_length_asked_for(data_dir: Path) -> None:
    with booking_site(data_dir) as (service, _clock, _storage):
        assert service.book("tablet-1", at(TUESDAY, "10:00"), 60, "Anna").ok
        refused = service.book("tablet-1", at(TUESDAY, "10:00"), 45, "Ben")
        assert refused.problem is BookingProblem.OVERLAP
        assert refused.alternatives
        assert {slot.minutes for slot in refused.alternatives} == {45}
        # A length this device cannot lend: its shortest instead.
        too_long = service.book("tablet-1", at(TUESDAY, "10:00"), 90, "Ben")
        assert too_long.problem is BookingProblem.TOO_LONG
        assert {slot.minutes for slot in too_long.alternatives} <= {30, 15}
