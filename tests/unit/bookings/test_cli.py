"""`kiosk bookings export` and `kiosk bookings slip`, run as administrators run them."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path

import pytest
from icalendar import Calendar

from kiosk import resources
from kiosk.config import load_config
from kiosk.core.bookings import Booking, BookingService, device_policies, site_calendar
from kiosk.storage.database import Storage
from tests.unit.bookings.helpers import BERLIN, TUESDAY, Clock, at
from tests.unit.test_config import run_cli


@pytest.fixture
def booked(data_dir: Path) -> list[Booking]:
    """Three bookings on the demo site: two on Tuesday 1 December 2026, one a day later."""
    config = load_config(resources.DEMO_CONFIG)
    with Storage.open(data_dir) as storage:
        service = BookingService(
            storage.bookings,
            device_policies(config),
            site_calendar(config),
            storage.settings,
            clock=Clock(at(TUESDAY, "09:00")),
        )
        made = [
            service.book("tablet-1", at(TUESDAY, "10:00"), 30, "=Anna; Müller"),
            service.book("vr-1", at(TUESDAY, "15:00"), 30, "مريم"),
            service.book("tablet-2", at(TUESDAY.replace(day=2), "11:00"), 15, "Ben"),
        ]
    bookings = [outcome.booking for outcome in made]
    assert all(bookings), made
    return [b for b in bookings if b is not None]


def test_csv_export_of_one_day(booked: list[Booking], data_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "day.csv"
    args = ("--from", "2026-12-01", "--to", "2026-12-01", "--format", "csv", "--out", str(out))
    result = run_cli("bookings", "export", *args, data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM for spreadsheet programs
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [(r["start"], r["end"], r["device_id"], r["code"]) for r in rows] == [
        ("10:00", "10:30", "tablet-1", booked[0].printed_code),
        ("15:00", "15:30", "vr-1", booked[1].printed_code),
    ]
    assert rows[0]["name"] == "'=Anna; Müller"  # a formula is shown, never run
    assert rows[1]["name"] == "مريم" and rows[1]["status"] == "pending"


def test_ics_export_has_zoned_times(booked: list[Booking], data_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "bookings.ics"
    args = ("--from", "2026-12-01", "--to", "2026-12-02", "--format", "ics", "--out", str(out))
    result = run_cli("bookings", "export", *args, data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    calendar = Calendar.from_ical(out.read_bytes())
    events = sorted(calendar.walk("VEVENT"), key=lambda e: e.decoded("dtstart"))
    assert len(events) == 3
    start = events[0].decoded("dtstart")
    assert start == datetime(2026, 12, 1, 10, 0, tzinfo=BERLIN)
    assert start.utcoffset().total_seconds() == 3600  # CET in December
    assert events[0]["dtstart"].params["TZID"] == "Europe/Berlin"
    assert [tz["tzid"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Berlin"]
    assert booked[0].printed_code in str(events[0]["summary"])
    text = out.read_text(encoding="utf-8")
    assert "Anna" not in text and "Ben" not in text  # names never leave in calendar files


@pytest.mark.parametrize(
    ("first", "last", "message"),
    [
        ("2026-12-32", "2026-12-01", "dates are YYYY-MM-DD"),
        ("yesterday", "2026-12-01", "dates are YYYY-MM-DD"),
        ("2026-12-05", "2026-12-01", "is after --to"),
    ],
)
def test_bad_periods_exit_2_and_write_nothing(
    data_dir: Path, tmp_path: Path, first: str, last: str, message: str
) -> None:
    out = tmp_path / "x.csv"
    args = ("--from", first, "--to", last, "--format", "csv", "--out", str(out))
    result = run_cli("bookings", "export", *args, data_dir=data_dir)
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr
    assert not out.exists()


def test_unwritable_folder_exits_2_and_leaves_nothing(
    booked: list[Booking], data_dir: Path
) -> None:
    # /proc takes no new files, not even from root (CI may run tests as root).
    out = Path("/proc/day.csv")
    args = ("--from", "2026-12-01", "--to", "2026-12-01", "--format", "csv", "--out", str(out))
    result = run_cli("bookings", "export", *args, data_dir=data_dir)
    assert result.returncode == 2
    assert "nothing written" in result.stderr and "Traceback" not in result.stderr
    assert not out.exists()


def test_missing_folder_exits_2(data_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "no-such-folder" / "day.csv"
    args = ("--from", "2026-12-01", "--to", "2026-12-01", "--format", "ics", "--out", str(out))
    result = run_cli("bookings", "export", *args, data_dir=data_dir)
    assert result.returncode == 2 and "no such folder" in result.stderr


def test_slip_pdf_for_a_code(booked: list[Booking], data_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "slip.pdf"
    code = booked[0].printed_code.lower()
    result = run_cli("bookings", "slip", code, "--out", str(out), "--lang", "ar", data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    assert out.read_bytes().startswith(b"%PDF") and out.read_bytes().rstrip().endswith(b"%%EOF")
    unknown = run_cli("bookings", "slip", "ACD-EFG", "--out", str(out), data_dir=data_dir)
    assert unknown.returncode == 1 and "no booking" in unknown.stderr
