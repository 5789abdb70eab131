"""A terminal for the booking fault test: books a list of slots through the hub, at the same
moment as other terminals.

Usage: python -m tests.hub.booking_child CONFIG DATA_DIR SLOTS_JSON SEED

Opens the terminal's database and booking service as the kiosk does, prints "ready" and waits
for a line on stdin (so that every terminal starts at once). Then, for each slot in an order of
its own (shuffled with SEED), it takes the kiosk's path for a visitor's booking: checked here
(request_booking), asked of the hub as the screen's background thread does (the desk's
book_at_hub) and settled here (settle_booking). Prints one JSON list at the end, one entry
per slot: what the visitor was told.
"""

from __future__ import annotations

import json
import random
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from kiosk.config import load_config
from kiosk.core.bookings import BookOutcome
from kiosk.sync.client import hub_settings
from kiosk.terminal import TerminalDesk, make_booking_service, make_usage


def main(config_path: Path, data_dir: Path, slots_path: Path, seed: int) -> None:
    config = load_config(config_path)
    desk = TerminalDesk(config, data_dir)
    desk.open_storage()
    storage = desk.storage
    assert storage is not None, desk.failure
    desk.hub = hub_settings(config)  # the kiosk's sync thread is not needed here
    usage, _statistics = make_usage(config, storage)
    service = make_booking_service(config, storage, usage)
    slots: list[list[Any]] = json.loads(slots_path.read_text(encoding="utf-8"))
    order = list(range(len(slots)))
    random.Random(seed).shuffle(order)
    print("ready", flush=True)
    sys.stdin.readline()
    told: list[dict[str, Any]] = []
    for index in order:
        device_id, start, minutes = slots[index]
        checked = service.request_booking(
            device_id, datetime.fromisoformat(start), minutes, f"Visitor {seed}"
        )
        started = time.monotonic()
        if isinstance(checked, BookOutcome):
            outcome, asked = checked, False
        else:
            outcome, asked = service.settle_booking(checked, desk.book_at_hub(checked)), True
        waited = time.monotonic() - started
        booking = outcome.booking
        told.append(
            {
                "slot": index,
                "asked": asked,
                "waited_s": round(waited, 3),
                "status": booking.status.value if booking else "refused",
                "uid": booking.uid if booking else None,
                "code": booking.code if booking else None,
                "problem": outcome.problem.value if outcome.problem else None,
                "alternatives": [
                    [free.device_id, free.start.isoformat(), free.end.isoformat()]
                    for free in outcome.alternatives
                ],
            }
        )
    storage.close()
    print(json.dumps(told), flush=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4]))
