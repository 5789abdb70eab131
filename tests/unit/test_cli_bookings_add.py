"""`kiosk bookings add` on a terminal standing alone, run as staff run it: the code and its
status, a refusal with the next free times, and bad arguments that write nothing.
(On a terminal joined to a hub: tests/hub/test_bookings_sync.py.)"""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest

from kiosk import resources
from kiosk.commands.bookings import NAME_PROBLEMS, REFUSALS
from kiosk.config import load_config
from kiosk.core.bookings import BookingProblem, BookingStatus, NameProblem, Slot
from kiosk.storage.database import Storage
from kiosk.terminal import make_booking_service
from tests.unit.test_config import run_cli

CODE_LINE = re.compile(r"^([ACDEFGHJKMNPQRTWXY34679]{3}-[ACDEFGHJKMNPQRTWXY34679]{3}) (\S+)")


def free_slots(data_dir: Path, device_id: str, minutes: int) -> tuple[Slot, Slot]:
    """The first and the last free slot of a day of the demo site, by today's rules: a few
    days ahead, so that the device's lead time never matters."""
    config = load_config(resources.DEMO_CONFIG)
    with Storage.open(data_dir) as storage:
        service = make_booking_service(config, storage)
        for ahead in range(2, 12):
            day: date = service.today() + timedelta(days=ahead)
            slots = service.free_slots(device_id, day, minutes)
            if len(slots) > 4:
                return slots[0], slots[-1]
    raise AssertionError("the demo site has no free day in the next days")


def free_slot(data_dir: Path, device_id: str, minutes: int) -> Slot:
    return free_slots(data_dir, device_id, minutes)[0]


def add(data_dir: Path, slot: Slot, *options: str, name: str = "Anna") -> tuple[int, str, str]:
    result = run_cli(
        "bookings",
        "add",
        "--device",
        slot.device_id,
        "--start",
        slot.start.strftime("%Y-%m-%dT%H:%M"),
        "--minutes",
        str(slot.minutes),
        "--name",
        name,
        *options,
        data_dir=data_dir,
    )
    return result.returncode, result.stdout, result.stderr


def test_a_booking_prints_its_code_and_status_and_is_stored(data_dir: Path) -> None:
    slot = free_slot(data_dir, "tablet-1", 30)
    code, out, err = add(data_dir, slot)
    assert code == 0, err
    found = CODE_LINE.match(out)
    assert found is not None, out
    assert found.group(2) == "confirmed:"
    span = f"{slot.start:%Y-%m-%d %H:%M}-{slot.end:%H:%M}"
    assert out == f"{found.group(1)} confirmed: tablet-1 {span}\n"
    with Storage.open(data_dir) as storage:
        service = make_booking_service(load_config(resources.DEMO_CONFIG), storage)
        booking = service.booking(found.group(1))
        assert booking is not None
        assert (booking.start, booking.end, booking.name) == (slot.start, slot.end, "Anna")
        assert booking.status is BookingStatus.CONFIRMED and not booking.walk_in


def test_a_device_that_needs_approval_gives_a_pending_booking_unless_walk_in(
    data_dir: Path,
) -> None:
    slot, later = free_slots(data_dir, "vr-1", 30)
    code, out, err = add(data_dir, slot)
    assert code == 0, err
    assert " pending: vr-1 " in out and out.rstrip().endswith("(needs approval by staff)")
    code, out, err = add(data_dir, later, "--walk-in", name="Ben")
    assert code == 0, err
    assert " confirmed: vr-1 " in out  # staff booked for a visitor at the desk: no approval


def test_a_taken_time_is_refused_with_the_next_free_times(data_dir: Path) -> None:
    slot = free_slot(data_dir, "tablet-1", 30)
    assert add(data_dir, slot)[0] == 0
    code, out, err = add(data_dir, slot, name="Ben")
    assert code == 1 and out == ""
    lines = err.splitlines()
    assert lines[0] == "bookings add: refused: the device is already booked at this time"
    offered = lines[1:]
    assert offered and all(line.startswith("next free: tablet-") for line in offered)
    assert len(offered) <= 5 and "Traceback" not in err


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"--device": "toaster-1"}, "--device 'toaster-1': no such device (the site has tablet-1"),
        ({"--start": "next tuesday"}, "--start 'next tuesday': expected a time like"),
        ({"--minutes": "half an hour"}, "--minutes 'half an hour': expected a whole number"),
        ({"--minutes": "0"}, "--minutes '0': expected a whole number from 1 to 1440"),
        ({"--name": "  "}, "--name: a first name or a nickname is needed"),
        ({"--name": "Anna\u202e"}, "--name: contains an invisible character"),
    ],
    ids=["device", "start", "minutes", "zero minutes", "name", "hidden character"],
)
def test_bad_arguments_exit_2_with_one_line_and_write_nothing(
    data_dir: Path, change: dict[str, str], message: str
) -> None:
    arguments = {
        "--device": "tablet-1",
        "--start": "2026-12-09T10:00",
        "--minutes": "30",
        "--name": "Anna",
        **change,
    }
    result = run_cli(
        "bookings", "add", *[part for pair in arguments.items() for part in pair], data_dir=data_dir
    )
    assert result.returncode == 2
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"bookings add: {message}") and line.endswith("; nothing booked")
    assert list(data_dir.iterdir()) == []  # not even a database


def test_every_reason_a_booking_can_be_refused_for_has_words_for_staff() -> None:
    assert set(REFUSALS) == set(BookingProblem)
    assert set(NAME_PROBLEMS) == set(NameProblem)
