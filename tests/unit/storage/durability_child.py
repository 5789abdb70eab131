"""Child process for the durability test: writes staff events until it is killed.

Usage: python durability_child.py DATA_DIR

Prints "ready" once the database is open, then the id of every staff event, each only after
``add()`` has returned, i.e. after the commit was reported durable.
"""

from __future__ import annotations

import sys
from pathlib import Path

from kiosk.storage.database import Storage


def main(data_dir: Path) -> None:
    storage = Storage.open(data_dir)
    print("ready", flush=True)
    counter = 0
    while True:
        counter += 1
        event_id = storage.staff_events.add("durability_probe", str(counter))
        print(event_id, flush=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
