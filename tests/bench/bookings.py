"""Bookings at scale: 50 devices with a year of bookings in a real SQLite file.

`python -c "from tests.bench.bookings import run; print(run())"`. Targets: the free slots of
one day for all 50 devices within 16 ms (one frame), and a booking's durable commit
(synchronous=FULL, through the whole service) within 10 ms median. The commit is also reported
against a bare INSERT + COMMIT into the same database measured in the same run, so a slow disk
shows up as a slow baseline rather than as a slow kiosk.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from kiosk.core.bookings import BookingService, DevicePolicy, SiteCalendar
from kiosk.storage.database import Storage

ZONE = ZoneInfo("Europe/Berlin")
HOURS = {day: "09:00-19:00" for day in ("mon", "tue", "wed", "thu", "fri", "sat")} | {"sun": ""}
DEVICES = [
    DevicePolicy(
        id=f"device-{n:02d}",
        kind=("tablet", "smartphone", "e-reader", "vr-headset", "smart-speaker")[n % 5],
        name=f"Device {n}",
        min_minutes=30,
        max_minutes=60,
        step_minutes=15,
        buffer_minutes=15,
        advance_days=400,
    )
    for n in range(50)
]
FIRST_DAY = date(2027, 1, 4)  # a Monday
DAYS = 365


class _Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def _fill_year(storage: Storage) -> int:
    """Six bookings a day per device on every open day of a year, written in one transaction."""
    rows = []
    code = 0
    for offset in range(DAYS):
        day = FIRST_DAY + timedelta(days=offset)
        if day.weekday() == 6:
            continue
        for index, device in enumerate(DEVICES):
            for slot in range(6):
                start = datetime(day.year, day.month, day.day, 9, tzinfo=ZONE) + timedelta(
                    minutes=90 * slot + 15 * (index % 3)
                )
                end = start + timedelta(minutes=45)
                code += 1
                rows.append(
                    (
                        f"{code:06d}",
                        device.id,
                        device.kind,
                        int(start.timestamp()),
                        int(end.timestamp()),
                        int((end + timedelta(minutes=15)).timestamp()),
                        "Name",
                        "cancelled" if code % 17 == 0 else "confirmed",
                        int(start.timestamp()),
                    )
                )
    db = storage.bookings._db  # the bench writes the year directly, in one transaction
    with db.conn:
        db.conn.executemany(
            "INSERT INTO bookings (code, device_id, device_kind, start_ts, end_ts, "
            "block_until_ts, name, status, walk_in, created_ts, updated_ts) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?9)",
            rows,
        )
    return len(rows)


def _free_day_ms(service: BookingService, day: date, runs: int = 30) -> float:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        service.free_day(day)
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def _commit_ms(service: BookingService, day: date, count: int = 40) -> float:
    """Median time of one booking through the service (checks, insert, durable commit)."""
    timings = []
    free = [slot for slots in service.free_day(day).values() for slot in slots[:1]]
    for slot in free[:count]:
        started = time.perf_counter()
        outcome = service.book(slot.device_id, slot.start, slot.minutes, "Bench")
        timings.append((time.perf_counter() - started) * 1000)
        if not outcome.ok:
            raise RuntimeError(f"bench booking refused: {outcome}")
    return statistics.median(timings)


def _bare_commit_ms(storage: Storage, count: int = 40) -> float:
    """A plain INSERT + COMMIT with the same pragmas: what the disk allows."""
    conn = storage.bookings._db.conn
    conn.execute("CREATE TABLE IF NOT EXISTS bench_baseline (id INTEGER PRIMARY KEY, v TEXT)")
    timings = []
    for n in range(count):
        started = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO bench_baseline (v) VALUES (?)", [str(n)])
        conn.execute("COMMIT")
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def run() -> dict[str, float]:
    calendar = SiteCalendar(zone=ZONE, hours=HOURS)
    with tempfile.TemporaryDirectory(prefix="kiosk-bench-bookings-") as tmp:
        storage = Storage.open(Path(tmp))
        try:
            _fill_year(storage)
            day = FIRST_DAY + timedelta(days=180)
            while day.weekday() == 6:
                day += timedelta(days=1)
            clock = _Clock(datetime(day.year, day.month, day.day, 8, tzinfo=ZONE))
            service = BookingService(
                storage.bookings, DEVICES, calendar, storage.settings, clock=clock
            )
            free_ms = _free_day_ms(service, day)
            baseline_ms = _bare_commit_ms(storage)
            commit_ms = _commit_ms(service, day)
        finally:
            storage.close()
    return {
        "bookings_free_day_ms": free_ms,
        "booking_commit_ms": commit_ms,
        "booking_commit_ratio": commit_ms / baseline_ms,
    }
