"""A bare HTTP client for the hub's booking race: asks for a list of slots, all at once with
the other racers.

Usage: python -m tests.hub.booking_racer HUB_URL TOKEN ASKS_JSON

ASKS_JSON holds the bodies of POST /v1/bookings (without uid and code: each racer draws its
own, as terminals do). Prints "ready", waits for a line on stdin (so that every racer starts at
the same moment), asks for each slot in turn over one kept-alive connection, and prints one
JSON list: for each ask, the HTTP status and the answer's body.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import httpx

from tests.hub.booking_slots import new_code, new_uid


def main(hub_url: str, token: str, asks_path: Path) -> None:
    asks = json.loads(asks_path.read_text(encoding="utf-8"))
    answers = []
    with httpx.Client(
        base_url=hub_url, headers={"Authorization": f"Bearer {token}"}, timeout=60
    ) as client:
        client.get("/health")  # connected before the start
        print("ready", flush=True)
        sys.stdin.readline()
        for ask in asks:
            response = client.post(
                "/v1/bookings", json={**ask, "uid": new_uid(), "code": new_code()}
            )
            answers.append({"status": response.status_code, "body": response.json()})
    print(json.dumps(answers), flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], Path(sys.argv[3]))
