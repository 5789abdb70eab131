"""A busy day of demo data, and the desk rendered as at a given moment of it (`--at`)."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pytestqt.qtbot import QtBot

from kiosk import resources
from kiosk.commands.busy_day import DEMO_NAMES, WORKSHOP, parse_moment, seed_busy_day
from kiosk.config import SiteConfig, load_config
from kiosk.core.bookings import Booking, BookingStatus
from kiosk.storage.database import DATABASE_FILE_NAME, Storage
from kiosk.terminal import make_booking_service
from kiosk.tour import stop_clock
from kiosk.ui.shell.screens import Screen
from kiosk.ui.staff.desk import StaffBookingsScreen
from tests.ui.running_app import shown_kiosk

BERLIN = ZoneInfo("Europe/Berlin")
BUSY_DAY = date(2026, 12, 8)  # a Tuesday: open 10:00-13:00 and 14:00-18:00
ELEVEN = datetime(2026, 12, 8, 11, 0, tzinfo=BERLIN)


@pytest.fixture
def site() -> SiteConfig:
    return load_config(resources.DEMO_CONFIG)


@pytest.fixture
def busy_folder(site: SiteConfig, data_dir: Path) -> Iterator[Path]:
    storage = Storage.open(data_dir)
    try:
        assert seed_busy_day(site, storage, ELEVEN) > 40
    finally:
        storage.close()
    yield data_dir


def the_day(site: SiteConfig, folder: Path) -> list[Booking]:
    storage = Storage.open(folder)
    try:
        return make_booking_service(site, storage).day(BUSY_DAY)
    finally:
        storage.close()


def test_parse_moment_takes_a_day_or_a_site_local_time() -> None:
    assert parse_moment("2026-12-08T11:00", BERLIN) == ELEVEN
    assert parse_moment("2026-12-08", BERLIN) == datetime(2026, 12, 8, 0, 0, tzinfo=BERLIN)
    assert parse_moment("2026-12-08T10:00+00:00", BERLIN) == ELEVEN
    assert parse_moment("tomorrow", BERLIN) is None
    assert parse_moment("2026-13-08T11:00", BERLIN) is None


def test_a_busy_day_is_played_through_to_the_moment(site: SiteConfig, busy_folder: Path) -> None:
    day = the_day(site, busy_folder)
    assert all(b.start.date() == BUSY_DAY for b in day)
    blocks = [b for b in day if b.blocked]
    assert [(b.reason, b.start.time(), b.end.time()) for b in blocks] == [
        (WORKSHOP, time(14, 0), time(16, 0))
    ]
    visits = [b for b in day if not b.blocked]
    assert {b.name for b in visits} <= set(DEMO_NAMES)
    # Every device the visitors may book has its day filled.
    assert {b.device_id for b in visits} == {d.id for d in site.devices}
    came = [b for b in visits if b.status is BookingStatus.CHECKED_IN]
    away = [b for b in visits if b.status is BookingStatus.NO_SHOW]
    assert came and away
    assert all(b.start <= ELEVEN for b in came + away)
    # Nothing after 11:00 has happened yet.
    assert all(b.status is not BookingStatus.CHECKED_IN for b in visits if b.start > ELEVEN)


def test_the_desk_shows_the_day_as_at_the_given_moment(
    qtbot: QtBot, site: SiteConfig, busy_folder: Path
) -> None:
    with shown_kiosk(qtbot, site, busy_folder) as app:
        stop_clock(app, ELEVEN)
        window = app.window
        window.enter_staff_mode()
        window.set_language("en")
        window.show_screen(Screen.STAFF_BOOKINGS)
        screen = window.screen_widget(Screen.STAFF_BOOKINGS)
        assert isinstance(screen, StaffBookingsScreen)
        assert screen.shown_day == BUSY_DAY
        assert screen.bar.date_label.text() == "Tue, Dec 8, 2026"
        assert screen.bar.today_badge.isVisible()  # that day is "today" at that moment
        reading = screen.reading
        assert reading is not None
        assert reading.now == ELEVEN  # the timeline's now line
        assert any("No-show" in text for text in screen.agenda.entry_texts())
        service = window.bookings
        assert service is not None
        # Visitors are offered only times still ahead at 11:00 (the devices used this morning
        # wait for wiping, so the next free times are tomorrow's).
        assert service.now() == ELEVEN
        now = service.now()
        free = [s for d in service.visitor_devices() for s in service.next_free(d, now, 2)]
        assert free and all(slot.start >= ELEVEN for slot in free)


def run_kiosk(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kiosk", *args],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )


def test_screenshots_at_a_moment_render_from_a_copy_of_the_data_folder(
    busy_folder: Path, tmp_path: Path
) -> None:
    database = busy_folder / DATABASE_FILE_NAME
    before = hashlib.sha256(database.read_bytes()).hexdigest()
    files = sorted(p.name for p in busy_folder.rglob("*"))
    out = tmp_path / "shots"
    result = run_kiosk(
        "screenshots",
        "--data-dir",
        str(busy_folder),
        "--at",
        "2026-12-08T11:00",
        "--lang",
        "de",
        "--out",
        str(out),
    )
    assert result.returncode == 0, result.stderr
    assert (out / "de" / "17-staff_bookings.png").stat().st_size > 10_000
    # The tour books a device and starts sessions, in the copy only.
    assert hashlib.sha256(database.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in busy_folder.rglob("*")) == files  # no backup, no log added


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (("--at", "morgen"), "screenshots: --at must be a day or a site-local time"),
        (("--data-dir", "/nonexistent/kiosk"), "screenshots: no kiosk database in"),
    ],
)
def test_screenshots_refuse_a_bad_moment_or_folder(
    tmp_path: Path, arguments: tuple[str, ...], message: str
) -> None:
    out = tmp_path / "shots"
    result = run_kiosk("screenshots", *arguments, "--out", str(out))
    assert result.returncode == 2
    assert result.stderr.startswith(message)
    assert "Traceback" not in result.stderr
    assert not out.exists()
