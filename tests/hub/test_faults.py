"""Faults against a real PostgreSQL and a real hub process: kills, restarts, long outages."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest

from kiosk.hub.devcluster import DevCluster
from kiosk.storage.sync_store import SyncStore
from tests.hub.servers import REPO, HubProcess, add_site, make_terminal

TERMINALS = 3
EVENTS = 5000


def hub_rows(url: str) -> tuple[int, int]:
    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT count(*), count(DISTINCT id) FROM usage_events").fetchone()
    assert row is not None
    return int(row[0]), int(row[1])


@pytest.mark.slow
def test_a_push_storm_survives_hub_kills_and_a_database_restart(
    pg_cluster: DevCluster, hub_database: str, tmp_path: Path
) -> None:
    add_site(hub_database, "vhs", tmp_path)
    with HubProcess(hub_database, tmp_path / "hub.log") as hub:
        terminals = [
            make_terminal(tmp_path, hub_database, hub.url, "vhs", f"vhs-{n}")
            for n in range(TERMINALS)
        ]
        shares = [EVENTS // TERMINALS + (n < EVENTS % TERMINALS) for n in range(TERMINALS)]
        children = [
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "tests.hub.terminal_child",
                    str(t.config),
                    str(t.data_dir),
                    str(share),
                ],
                cwd=REPO,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
            for t, share in zip(terminals, shares, strict=True)
        ]
        try:
            # Kill the hub three times while rows arrive, and restart PostgreSQL once.
            for fault in ("hub", "hub", "database", "hub"):
                before = hub_rows(hub_database)[0]
                deadline = time.monotonic() + 30
                while hub_rows(hub_database)[0] < before + 300 and time.monotonic() < deadline:
                    time.sleep(0.01)
                if fault == "hub":
                    hub.kill()
                    time.sleep(0.3)
                    hub.start()
                else:
                    pg_cluster.restart()
            outputs = [child.communicate(timeout=300)[0] for child in children]
        finally:
            for child in children:
                if child.poll() is None:
                    child.kill()
                    child.communicate()
        for child, output in zip(children, outputs, strict=True):
            assert child.returncode == 0 and "drained" in output, output
    # Every event exactly once: as many rows as events written, each id once.
    assert hub_rows(hub_database) == (EVENTS, EVENTS)
    for terminal in terminals:
        with SyncStore.open(terminal.data_dir) as store:
            assert store.outbox.backlog().rows == 0
