"""The kiosk's connection and the sync thread's connection write to one database: a
transaction that reads before it writes must not fail because the other one wrote meanwhile."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

from kiosk.storage.database import Storage
from kiosk.storage.sync_store import SyncStore

T0 = datetime(2026, 12, 1, 10, tzinfo=UTC)


def record(progress_id: str, code: str) -> dict[str, object]:
    return {
        "progress_id": progress_id,
        "code": code,
        "created_at": T0.isoformat(),
        "expires_at": (T0 + timedelta(days=180)).isoformat(),
        "updated_at": T0.isoformat(),
        "courses": [
            {
                "course_id": "video-calls",
                "course_version": 1,
                "current_step": "s2",
                "completed": False,
                "started_at": T0.isoformat(),
                "updated_at": T0.isoformat(),
                "steps": [{"step_id": "s1"}, {"step_id": "s2", "quiz_correct": True}],
            }
        ],
    }


def test_a_transaction_that_reads_first_waits_for_the_other_writer(data_dir: Path) -> None:
    """The sync thread writes between the kiosk's first read and its first write: the kiosk's
    transaction holds the write lock from its start, so the other write waits for it instead
    of making the kiosk's write fail with "database is locked"."""
    go, done = threading.Event(), threading.Event()
    failures: list[BaseException] = []

    def sync_thread() -> None:  # its own connection, as kiosk.sync.worker has
        try:
            with SyncStore.open(data_dir) as other:
                go.wait(10)
                other.settings.set("sync.cursor", "7")
        except Exception as error:  # noqa: BLE001 - reported below, not lost in the thread
            failures.append(error)
        finally:
            done.set()

    with Storage.open(data_dir) as storage:
        thread = threading.Thread(target=sync_thread)
        thread.start()

        def between_read_and_write(statement: str) -> None:
            # Called before each statement runs: at the first write, the first read has run.
            if statement.startswith("INSERT INTO progress") and not go.is_set():
                go.set()
                done.wait(0.5)  # at once if the kiosk held no write lock yet

        storage._db.conn.set_trace_callback(between_read_and_write)
        try:
            assert storage.progress.merge_snapshot(record("ab" * 16, "K7PMR3XJ"))
        finally:
            storage._db.conn.set_trace_callback(None)
        thread.join(10)
        assert failures == []
        assert storage.settings.get("sync.cursor") == "7"
        assert storage.progress.find_code("K7PMR3XJ") is not None
