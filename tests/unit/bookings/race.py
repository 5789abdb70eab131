"""Another terminal that is faster: it books between the service's own check and its write.

``OtherTerminalFirst`` wraps the real BookingRepository. Right before the service writes (a new
booking, or a move), the other terminal books through its own connection to the same SQLite
file. The service's check has already passed by then, so only the database's triggers can
refuse the write: these tests fail when the triggers do not.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from kiosk.core.bookings.records import CODE_LENGTH
from kiosk.core.resume_codes import generate_code
from kiosk.storage.bookings_repo import BookingRepository
from kiosk.storage.connection import connect
from kiosk.storage.database import DATABASE_FILE_NAME


def book_from_another_terminal(
    data_dir: Path, device_id: str, kind: str, start: datetime, minutes: int, name: str
) -> int:
    """Book through a second connection, as another terminal or process does; its id."""
    db = connect(data_dir / DATABASE_FILE_NAME)
    try:
        start_ts = int(start.timestamp())
        end_ts = int((start + timedelta(minutes=minutes)).timestamp())
        added = BookingRepository(db).add(
            uid=uuid.uuid4().hex,
            code=generate_code(length=CODE_LENGTH),
            device_id=device_id,
            device_kind=kind,
            start_ts=start_ts,
            end_ts=end_ts,
            block_until_ts=end_ts,
            name=name,
            status="confirmed",
            walk_in=False,
            now_ts=start_ts - 3600,
        )
    finally:
        db.close()
    assert added.id is not None, "the other terminal's booking must go in"
    return added.id


@dataclass
class OtherTerminalFirst:
    """The real repository, with another terminal's booking arriving just before a write."""

    repository: BookingRepository
    data_dir: Path
    # (device_id, kind, start, minutes, name) the other terminal books, once (None: not yet).
    competing: tuple[str, str, datetime, int, str] | None
    on: str = "add"  # "add" or "move": which write the other terminal beats
    competed: list[int] = field(default_factory=list)

    def _compete(self, operation: str) -> None:
        if operation == self.on and self.competing is not None and not self.competed:
            self.competed.append(book_from_another_terminal(self.data_dir, *self.competing))

    def add(self, **row: Any) -> Any:
        self._compete("add")
        return self.repository.add(**row)

    def move(self, booking_id: int, device_id: str, block_until_ts: int, now_ts: int) -> bool:
        self._compete("move")
        return self.repository.move(booking_id, device_id, block_until_ts, now_ts)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.repository, name)
