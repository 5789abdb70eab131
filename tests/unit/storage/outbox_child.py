"""Child process for the outbox test: makes one change and kills itself before statement N.

Usage: python outbox_child.py DATA_DIR ACTION N

ACTION is one of event, events, progress, code, extend, book, cancel, reschedule, device. Before
the change, the database is set up (a coded progress record for the progress actions, a booking
for cancel and reschedule). Then SQLite's trace callback counts the
statements of the change and the process SIGKILLs itself just before the N-th one runs; it
prints "done" if the change finished with fewer statements.
"""

from __future__ import annotations

import os
import signal
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from kiosk.core.progress import CourseProgress
from kiosk.storage.database import Storage

T0 = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
RECORD = "ab" * 16
CODE = "K7PMR3XJ"


def course(step: str, minutes: int) -> CourseProgress:
    return CourseProgress(
        "video-calls", 1, step, T0, T0 + timedelta(minutes=minutes), frozenset({"s1", step})
    )


BOOKING_UID = "cd" * 16
START = int((T0 + timedelta(days=1)).timestamp())


def book(storage: Storage) -> None:
    storage.bookings.add(
        uid=BOOKING_UID,
        code="K7PMR3",
        device_id="tablet-1",
        device_kind="tablet",
        start_ts=START,
        end_ts=START + 1800,
        block_until_ts=START + 2700,
        name="Anna",
        status="provisional",
        walk_in=False,
        now_ts=START - 7200,
    )


def prepare(storage: Storage, action: str) -> None:
    if action in ("progress", "extend"):
        storage.progress.save_courses(RECORD, [course("s1", 0)], T0)
        storage.progress.add_code(CODE, RECORD, created_at=T0, expires_at=T0 + timedelta(days=9))
    elif action == "code":
        storage.progress.save_courses(RECORD, [course("s1", 0)], T0)
    elif action in ("cancel", "reschedule"):
        book(storage)


def change(storage: Storage, action: str) -> None:
    if action == "event":
        storage.usage.add_event("2026-12-01T10", "course_started", course_id="video-calls")
    elif action == "events":
        storage.usage.add_events([("2026-12-01T10", "session_started", "de", "", "", "", "")] * 3)
    elif action == "progress":
        storage.progress.save_courses(RECORD, [course("s2", 5)], T0 + timedelta(minutes=5))
    elif action == "code":
        storage.progress.add_code(CODE, RECORD, created_at=T0, expires_at=T0 + timedelta(days=9))
    elif action == "extend":
        storage.progress.extend_code(CODE, T0 + timedelta(days=99))
    elif action == "book":
        book(storage)
    elif action == "cancel":
        storage.bookings.set_status(1, "cancelled", START - 3600, expected=["provisional"])
    elif action == "reschedule":
        storage.bookings.reschedule(
            1,
            device_id="tablet-2",
            start_ts=START + 3600,
            end_ts=START + 5400,
            block_until_ts=START + 5400,
            status="provisional",
            now_ts=START - 3600,
        )
    elif action == "device":
        storage.bookings.set_device_status("tablet-1", "broken", START - 3600)


def main(data_dir: Path, action: str, kill_at: int) -> None:
    storage = Storage.open(data_dir, outbox=True)
    prepare(storage, action)
    count = 0

    def trace(_statement: str) -> None:
        nonlocal count
        count += 1
        if count == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)

    storage._db.conn.set_trace_callback(trace)
    change(storage, action)
    print("done", flush=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]))
