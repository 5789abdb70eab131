"""`kiosk bookings export` writes where the administrator says, private, not in the data folder."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from kiosk import resources
from kiosk.config import load_config
from kiosk.core.bookings import BookingService, device_policies, site_calendar
from kiosk.storage.database import Storage
from tests.unit.bookings.helpers import TUESDAY, Clock, at
from tests.unit.test_config import run_cli

ARGS = ("--from", "2026-12-01", "--to", "2026-12-01")


@pytest.fixture
def booked(data_dir: Path) -> None:
    config = load_config(resources.DEMO_CONFIG)
    with Storage.open(data_dir) as storage:
        service = BookingService(
            storage.bookings,
            device_policies(config),
            site_calendar(config),
            storage.settings,
            clock=Clock(at(TUESDAY, "09:00")),
        )
        assert service.book("tablet-1", at(TUESDAY, "10:00"), 30, "Annegret").booking


@pytest.mark.usefixtures("booked")
@pytest.mark.parametrize("kind", ["csv", "ics"])
def test_the_export_is_readable_by_the_kiosk_user_only(
    data_dir: Path, tmp_path: Path, kind: str
) -> None:
    out = tmp_path / f"bookings.{kind}"
    previous = os.umask(0o022)  # an administrator's usual umask: files would be 0644
    try:
        result = run_cli(
            "bookings", "export", *ARGS, "--format", kind, "--out", str(out), data_dir=data_dir
        )
    finally:
        os.umask(previous)
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


@pytest.mark.usefixtures("booked")
def test_an_export_into_the_data_folder_is_refused(data_dir: Path) -> None:
    out = data_dir / "bookings.csv"
    result = run_cli(
        "bookings", "export", *ARGS, "--format", "csv", "--out", str(out), data_dir=data_dir
    )
    assert result.returncode == 2
    assert f"{out} is inside the data folder" in result.stderr
    assert not out.exists()


@pytest.mark.usefixtures("booked")
def test_a_slip_into_the_data_folder_is_refused(data_dir: Path) -> None:
    """A slip names its visitor: inside the data folder it would outlive the name's purge."""
    out = data_dir / "slip.pdf"
    result = run_cli("bookings", "slip", "K7P-MR3", "--out", str(out), data_dir=data_dir)
    assert result.returncode == 2
    assert f"{out} is inside the data folder" in result.stderr
    assert not out.exists()
