"""Eight processes book the same hundred slots at once: each slot is booked exactly once."""

from __future__ import annotations

import itertools
import multiprocessing
import multiprocessing.queues
import multiprocessing.synchronize
from datetime import datetime, timedelta
from pathlib import Path

from kiosk.core.bookings import BookingProblem, BookingService
from kiosk.storage.bookings_repo import BookingRepository
from kiosk.storage.connection import connect
from kiosk.storage.database import DATABASE_FILE_NAME, Storage
from kiosk.storage.repositories import SettingsRepository
from tests.unit.bookings.helpers import TABLET, TABLET_2, TUESDAY, VR, Clock, at, calendar

PROCESSES = 8
SLOTS = 100


def _service(data_dir: Path) -> BookingService:
    db = connect(data_dir / DATABASE_FILE_NAME)
    return BookingService(
        BookingRepository(db),
        [TABLET, TABLET_2, VR],
        calendar(),
        SettingsRepository(db),
        clock=Clock(at(TUESDAY, "09:00")),
    )


def _book_all(
    data_dir: Path,
    starts: list[str],
    worker: int,
    barrier: multiprocessing.synchronize.Barrier,
    results: multiprocessing.queues.Queue[tuple[int, int, list[str]]],
) -> None:
    service = _service(data_dir)
    barrier.wait()
    booked = taken = 0
    surprises = []
    for start in starts:
        outcome = service.book("tablet-2", datetime.fromisoformat(start), 15, f"Visitor {worker}")
        if outcome.ok:
            booked += 1
        elif outcome.problem in (BookingProblem.OVERLAP, BookingProblem.BUFFER):
            taken += 1
        else:
            surprises.append(f"{start}: {outcome}")
    results.put((booked, taken, surprises))


def test_each_slot_is_booked_exactly_once(data_dir: Path) -> None:
    Storage.open(data_dir).close()  # creates the schema once
    service = _service(data_dir)
    starts: list[str] = []
    day = TUESDAY
    while len(starts) < SLOTS:
        starts.extend(slot.start.isoformat() for slot in service.free_slots("tablet-2", day))
        day += timedelta(days=1)
    starts = starts[:SLOTS]

    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(PROCESSES)
    queue: multiprocessing.queues.Queue[tuple[int, int, list[str]]] = context.Queue()
    workers = [
        context.Process(target=_book_all, args=(data_dir, starts, worker, barrier, queue))
        for worker in range(PROCESSES)
    ]
    for process in workers:
        process.start()
    results = [queue.get(timeout=300) for _ in workers]
    for process in workers:
        process.join(timeout=60)
        assert process.exitcode == 0

    assert [s for _, _, surprises in results for s in surprises] == []
    assert sum(booked for booked, _, _ in results) == SLOTS
    assert sum(taken for _, taken, _ in results) == SLOTS * (PROCESSES - 1)
    rows = BookingRepository(connect(data_dir / DATABASE_FILE_NAME)).between(0, 2**40)
    assert len(rows) == SLOTS
    assert sorted(datetime.fromtimestamp(r.start_ts, TUESDAY_ZONE).isoformat() for r in rows) == (
        sorted(starts)
    )
    ordered = sorted(rows, key=lambda r: r.start_ts)
    for earlier, later in itertools.pairwise(ordered):
        assert earlier.block_until_ts <= later.start_ts


TUESDAY_ZONE = calendar().zone
