"""Bookings at scale: 50 devices with a year of bookings in a real SQLite file.

`python -m tests.bench.bookings`. Pass or fail as ratios against baselines in the same run:
the free slots of one day for all 50 devices against reading that day's bookings with one plain
SELECT; a booking through the whole service (checks, insert, durable commit with
synchronous=FULL) against a bare INSERT + COMMIT into the same database, taken in turn, so a
slow disk shows up as a slow baseline rather than as a slow kiosk. The free slots are also held
to a frame at 60 Hz and the booking to 10 ms, enforced only with KIOSK_BENCH_STRICT=1.
"""

from __future__ import annotations

import sqlite3
import statistics
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from kiosk.core.bookings import BookingService, DevicePolicy, SiteCalendar, Slot
from kiosk.storage.database import Storage
from tests.bench.figures import FRAME_MS, Figure, Limit, Ratio, report

# The highest ratios measured on a 2-core machine (idle; both cores busy with other loops; the
# bench sharing its one core with a busy loop) and about a third more. Free day: 5.5-8.3 times
# the plain read (the rules of 50 devices and the slot arithmetic). Booking: 1.23-1.29 times
# the plain SQL booking on a disk, 1.32-1.37 on a RAM disk (TMPDIR=/dev/shm), where the commit
# waits for nothing and the service's own work weighs most.
FREE_DAY_TARGET = 11.0
COMMIT_TARGET = 1.8
COMMIT_LIMIT_MS = 10.0  # median: a tap on "Book" answers at once

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


def _free_day_ms(service: BookingService, day: date, runs: int = 30) -> tuple[float, float]:
    """Median free slots of one day for every device: wall milliseconds (what the visitor
    waits) and the thread's CPU milliseconds (what the ratio compares; see figures.py)."""
    wall, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.thread_time()
        service.free_day(day)
        cpu.append((time.thread_time() - started_cpu) * 1000)
        wall.append((time.perf_counter() - started) * 1000)
    return statistics.median(wall), statistics.median(cpu)


def _plain_day_read_ms(storage: Storage, day: date, runs: int = 30) -> float:
    """The free-day baseline: the day's bookings of every device read with one plain SELECT
    (what the free slots are worked out from); median CPU milliseconds."""
    conn = storage.bookings._db.conn
    low = int(datetime(day.year, day.month, day.day, tzinfo=ZONE).timestamp())
    cpu = []
    for _ in range(runs):
        started = time.thread_time()
        conn.execute(
            "SELECT * FROM bookings WHERE start_ts >= ? AND start_ts < ? ORDER BY start_ts",
            [low, low + 86_400],
        ).fetchall()
        cpu.append((time.thread_time() - started) * 1000)
    return statistics.median(cpu)


KIND_OF = {device.id: device.kind for device in DEVICES}
BUFFER_S = 15 * 60


def _plain_booking(conn: sqlite3.Connection, slot: Slot, code: str) -> None:
    """The booking baseline: a booking as plain SQL, without the service: is the device free
    then, insert, durable commit, read the row back."""
    start = int(slot.start.timestamp())
    end = start + slot.minutes * 60
    conn.execute(
        "SELECT 1 FROM bookings WHERE start_ts > ? AND start_ts < ? AND block_until_ts > ? "
        "AND device_id = ? AND status IN ('pending', 'confirmed', 'checked_in') LIMIT 1",
        [start - 86_400, end + BUFFER_S, start, slot.device_id],
    ).fetchall()
    conn.execute("BEGIN IMMEDIATE")
    cursor = conn.execute(
        "INSERT INTO bookings (code, device_id, device_kind, start_ts, end_ts, block_until_ts, "
        "name, status, walk_in, created_ts, updated_ts) "
        "VALUES (?, ?, ?, ?, ?, ?, 'Bench', 'confirmed', 0, ?4, ?4)",
        [code, slot.device_id, KIND_OF[slot.device_id], start, end, end + BUFFER_S],
    )
    conn.execute("COMMIT")
    conn.execute("SELECT * FROM bookings WHERE id = ?", [cursor.lastrowid]).fetchall()


def _commit_ms(
    storage: Storage, service: BookingService, day: date, count: int = 40
) -> tuple[float, float]:
    """Median milliseconds of one booking through the service (checks, insert, durable
    commit) and of the same booking as plain SQL with the same pragmas (the device's first free
    slot a week later), one of each in turn so that both meet the same disturbances and disk."""
    conn = storage.bookings._db.conn
    booked, plain = [], []
    later = service.free_day(day + timedelta(days=7))
    firsts = [(slots[0], later[device][0]) for device, slots in service.free_day(day).items()]
    for number, (slot, plain_slot) in enumerate(firsts[:count]):
        started = time.perf_counter()
        _plain_booking(conn, plain_slot, f"P{number:05d}")
        plain.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        outcome = service.book(slot.device_id, slot.start, slot.minutes, "Bench")
        booked.append((time.perf_counter() - started) * 1000)
        if not outcome.ok:
            raise RuntimeError(f"bench booking refused: {outcome}")
    return statistics.median(booked), statistics.median(plain)


def run() -> list[Figure]:
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
            free_ms, free_cpu_ms = _free_day_ms(service, day)
            plain_read_ms = _plain_day_read_ms(storage, day)
            commit_ms, plain_commit_ms = _commit_ms(storage, service, day)
        finally:
            storage.close()
    return [
        Ratio(
            "bookings_free_day",
            free_cpu_ms,
            plain_read_ms,
            "ms cpu",
            FREE_DAY_TARGET,
            "the same day's bookings read with one plain SELECT",
        ),
        Limit("bookings_free_day_frame", free_ms, "ms", FRAME_MS, "a day's free slots, median"),
        Ratio(
            "booking_commit",
            commit_ms,
            plain_commit_ms,
            "ms",
            COMMIT_TARGET,
            "the same booking as plain SQL, synchronous=FULL",
        ),
        Limit("booking_commit_time", commit_ms, "ms", COMMIT_LIMIT_MS, "a booking, median"),
    ]


if __name__ == "__main__":
    report(run)
