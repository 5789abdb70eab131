"""A terminal for the fault test: writes its usage events while its sync thread pushes them.

Usage: python -m tests.hub.terminal_child CONFIG DATA_DIR EVENTS

Writes EVENTS events in small transactions (as visitors would, only faster) while the sync
thread runs with short back-offs; prints "drained" once every row reached the hub and the
outbox is empty, then exits. The hub may be killed and restarted meanwhile.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from kiosk.config import load_config
from kiosk.storage.database import Storage
from kiosk.sync.client import hub_settings
from kiosk.sync.worker import SyncThread

CHUNK = 25


def main(config_path: Path, data_dir: Path, events: int) -> None:
    config = load_config(config_path)
    storage = Storage.open(data_dir, outbox=True)
    sync = SyncThread(
        data_dir, hub_settings(config), batch_rows=200, first_backoff_s=0.1, max_backoff_s=1.0
    )
    sync.start()
    written = 0
    while written < events:
        count = min(CHUNK, events - written)
        storage.usage.add_events(
            [("2026-12-01T10", "course_started", "de", f"c{written % 7}", "", "", "")] * count
        )
        written += count
        sync.wake()
        time.sleep(0.002)
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        status = sync.status()
        if status.state == "online" and status.backlog == 0:
            print("drained", flush=True)
            sync.stop()
            storage.close()
            return
        sync.wake()
        time.sleep(0.1)
    print(f"not drained: {sync.status()}", flush=True)
    sys.exit(1)


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]))
