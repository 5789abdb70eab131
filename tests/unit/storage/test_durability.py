"""Commits are atomic across process kills: every commit the storage reported survives SIGKILL.

What this proves, and what it does not: a killed process leaves the operating system's page
cache intact, so this test passes even with ``synchronous=OFF``. It shows that a commit is all
or nothing and that recovery, migrations and the backup at open survive a kill at any moment —
atomicity. Durability across a power loss rests on WAL with ``synchronous=FULL`` (fsync at
every commit), which test_database.py's ``test_pragmas_are_in_effect`` guards.
"""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kiosk.storage.database import Storage

CHILD = Path(__file__).with_name("durability_child.py")
ROUNDS = 25
TIME_BUDGET_S = 30


def run_child_until_killed(data_dir: Path, rng: random.Random, *, wait_for_ready: bool) -> str:
    """Start the writer, SIGKILL it after a random delay, return everything it printed."""
    child = subprocess.Popen(
        [sys.executable, str(CHILD), str(data_dir)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        if wait_for_ready:
            assert child.stdout is not None
            first_line = child.stdout.readline()
            assert first_line == "ready\n", child.stderr.read() if child.stderr else ""
        time.sleep(rng.uniform(0.02, 0.3))
        child.send_signal(signal.SIGKILL)
        stdout, stderr = child.communicate(timeout=10)
    finally:
        if child.poll() is None:
            child.kill()
            child.communicate()
    assert child.returncode == -signal.SIGKILL, f"the child died on its own:\n{stderr}"
    return stdout


@pytest.mark.slow
def test_reported_commits_are_atomic_across_process_kills(data_dir: Path) -> None:
    """A writer killed at a random moment never loses a commit it reported, and never leaves
    a database that needs recovery. Atomicity, not power-loss durability (see the module)."""
    rng = random.Random()
    reported: set[int] = set()
    started = time.monotonic()

    for round_number in range(ROUNDS):
        # Most rounds kill mid-write; every fifth kills at any point, start-up included
        # (during recovery checks, migrations or the backup taken at open).
        stdout = run_child_until_killed(data_dir, rng, wait_for_ready=round_number % 5 != 0)
        # Only complete lines count: an id is printed after its commit, in one write.
        lines = stdout.split("\n")[:-1]
        reported.update(int(line) for line in lines if line != "ready")

        with Storage.open(data_dir) as storage:
            assert storage.report.recovered is False, f"round {round_number}: recovery ran"
            assert storage.integrity_ok(), f"round {round_number}: integrity_check failed"
            stored = {event.id for event in storage.staff_events.recent(limit=10**9)}
        missing = reported - stored
        assert not missing, f"round {round_number}: reported ids lost: {sorted(missing)[:10]}"

    assert len(reported) > ROUNDS, "the child hardly wrote anything; the test proved little"
    assert time.monotonic() - started < TIME_BUDGET_S
