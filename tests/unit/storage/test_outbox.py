"""The transactional outbox: a change and its outbox row are written together or not at all."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kiosk.storage.database import Storage
from kiosk.storage.outbox_repo import KIND_BOOKING, KIND_PROGRESS, KIND_USAGE_EVENT
from kiosk.storage.sync_store import SyncStore

CHILD = Path(__file__).with_name("outbox_child.py")
T0 = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


def _state(data_dir: Path) -> dict[str, object]:
    conn = sqlite3.connect(data_dir / "kiosk.sqlite3")
    try:
        events = conn.execute("SELECT count(*) FROM usage_events").fetchone()[0]
        outbox = conn.execute("SELECT kind, body FROM outbox ORDER BY seq").fetchall()
        step = conn.execute("SELECT current_step FROM course_progress").fetchone()
        code = conn.execute("SELECT expires_at FROM resume_codes").fetchone()
    finally:
        conn.close()
    return {
        "events": events,
        "event_rows": sum(kind == KIND_USAGE_EVENT for kind, _ in outbox),
        "snapshots": [json.loads(body) for kind, body in outbox if kind == KIND_PROGRESS],
        "step": None if step is None else step[0],
        "expires": None if code is None else code[0],
    }


def _run(data_dir: Path, action: str, kill_at: int) -> bool:
    """True if the change finished before statement ``kill_at``."""
    result = subprocess.run(
        [sys.executable, str(CHILD), str(data_dir), action, str(kill_at)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    if result.returncode == 0:
        assert result.stdout.strip() == "done"
        return True
    assert result.returncode == -9, result.stderr
    return False


@pytest.mark.slow
@pytest.mark.parametrize("action", ["event", "events", "progress", "code", "extend"])
def test_killed_between_any_two_statements_leaves_both_or_neither(
    tmp_path: Path, action: str
) -> None:
    kills = 0
    for kill_at in range(1, 60):
        data_dir = tmp_path / f"{action}-{kill_at}"
        finished = _run(data_dir, action, kill_at)
        state = _state(data_dir)
        # Events: every stored event has its outbox row, and no outbox row lacks its event.
        assert state["events"] == state["event_rows"]
        if action in ("progress", "code", "extend"):
            snapshots = state["snapshots"]
            assert isinstance(snapshots, list)
            if state["expires"] is not None:
                # A coded record: the newest queued snapshot says what the tables say.
                assert snapshots, "a coded record changed without an outbox row"
                last = snapshots[-1]
                assert last["courses"][0]["current_step"] == state["step"]
                assert last["expires_at"] == state["expires"]
            else:
                assert snapshots == []  # a record without a code never leaves the terminal
        if finished:
            break
        kills += 1
    else:
        pytest.fail("the change never finished")
    assert kills >= 2, "the kill points did not fall inside the change"


def test_a_terminal_that_stands_alone_queues_nothing(data_dir: Path) -> None:
    with Storage.open(data_dir) as storage:
        storage.usage.add_event("2026-12-01T10", "session_started", language="de")
        storage.progress.save_courses("cd" * 16, [], T0)
        storage.progress.add_code("K7PMR3XJ", "cd" * 16, created_at=T0, expires_at=T0)
    with SyncStore.open(data_dir) as store:
        assert store.outbox.backlog().rows == 0


def test_progress_without_a_code_never_leaves_the_terminal(data_dir: Path) -> None:
    with Storage.open(data_dir, outbox=True) as storage:
        storage.progress.ensure("cd" * 16, T0)
        storage.progress.save_courses("cd" * 16, [], T0)
    with SyncStore.open(data_dir) as store:
        assert store.outbox.pending(10) == []


def test_only_the_newest_snapshot_of_a_record_waits(data_dir: Path) -> None:
    record = "ef" * 16
    with Storage.open(data_dir, outbox=True) as storage:
        storage.progress.ensure(record, T0)
        storage.progress.add_code("K7PMR3XJ", record, created_at=T0, expires_at=T0 + timedelta(1))
        for days in (2, 3, 4):
            storage.progress.extend_code("K7PMR3XJ", T0 + timedelta(days))
        storage.usage.add_event("2026-12-01T10", "resume_code_used")
    with SyncStore.open(data_dir) as store:
        rows = store.outbox.pending(10)
    assert [row.kind for row in rows] == [KIND_PROGRESS, KIND_USAGE_EVENT]
    assert rows[0].body["expires_at"].startswith("2026-12-05")
    assert len({row.id for row in rows}) == 2


def test_acknowledged_rows_leave_and_refused_ones_are_set_aside(data_dir: Path) -> None:
    with Storage.open(data_dir, outbox=True) as storage:
        storage.usage.add_events([("2026-12-01T10", "session_started", "de", "", "", "", "")] * 5)
    with SyncStore.open(data_dir) as store:
        rows = store.outbox.pending(3)
        assert store.outbox.acknowledge([row.seq for row in rows[:2]]) == 2
        store.outbox.set_aside(rows[2], "422: malformed")
        backlog = store.outbox.backlog()
        assert (backlog.rows, backlog.set_aside) == (2, 1)
        assert [row.seq for row in store.outbox.pending(10)] == [rows[2].seq + 1, rows[2].seq + 2]


def _booking_state(data_dir: Path) -> tuple[list[tuple[str, str]], list[str], list[str]]:
    """The bookings (status, device), the device states set, and the booking ops queued."""
    conn = sqlite3.connect(data_dir / "kiosk.sqlite3")
    try:
        bookings = conn.execute("SELECT status, device_id FROM bookings").fetchall()
        devices = [row[0] for row in conn.execute("SELECT status FROM device_status")]
        ops = [
            json.loads(body)["op"]
            for (body,) in conn.execute(
                "SELECT body FROM outbox WHERE kind = ? ORDER BY seq", [KIND_BOOKING]
            )
        ]
    finally:
        conn.close()
    return bookings, devices, ops


@pytest.mark.slow
@pytest.mark.parametrize("action", ["book", "cancel", "reschedule", "device"])
def test_a_booking_change_and_its_op_are_written_together_or_not_at_all(
    tmp_path: Path, action: str
) -> None:
    kills = 0
    for kill_at in range(1, 60):
        data_dir = tmp_path / f"{action}-{kill_at}"
        finished = _run(data_dir, action, kill_at)
        bookings, devices, ops = _booking_state(data_dir)
        if action == "book":
            assert ops == ["create"] * len(bookings)
        elif action == "cancel":
            cancelled = bookings[0][0] == "cancelled"
            assert ops == (["create", "status"] if cancelled else ["create"])
        elif action == "reschedule":
            moved = bookings[0][1] == "tablet-2"
            assert ops == (["create", "move"] if moved else ["create"])
        else:
            assert ops == ["device"] * len(devices)
        if finished:
            assert len(ops) == (1 if action in ("book", "device") else 2)
            break
        kills += 1
    else:
        pytest.fail("the change never finished")
    assert kills >= 2, "the kill points did not fall inside the change"
