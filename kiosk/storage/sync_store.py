"""The sync thread's own connection to the terminal's database: outbox, cursor, what it pulled.

SQLite connections belong to one thread, so the thread that talks to the hub opens its own; WAL
lets it read and write beside the kiosk's connection (each waits for the other's short write
with the busy timeout).
"""

from __future__ import annotations

from pathlib import Path
from types import TracebackType

from kiosk.storage.bookings_repo import BookingRepository
from kiosk.storage.connection import connect
from kiosk.storage.database import DATABASE_FILE_NAME
from kiosk.storage.migrations import apply_migrations
from kiosk.storage.outbox_repo import OutboxRepository
from kiosk.storage.progress_repo import ProgressRepository
from kiosk.storage.repositories import SettingsRepository


class SyncStore:
    """What the sync thread reads and writes. Open it in the thread that uses it."""

    def __init__(self, path: Path) -> None:
        self._db = connect(path)
        try:
            apply_migrations(self._db)  # `kiosk sync` may run before the kiosk ever started
        except BaseException:
            self._db.close()
            raise
        self.outbox = OutboxRepository(self._db)
        self.settings = SettingsRepository(self._db)
        # Pulled progress and bookings are written without an outbox: they came from the hub.
        self.progress = ProgressRepository(self._db)
        self.bookings = BookingRepository(self._db)

    @classmethod
    def open(cls, data_dir: Path) -> SyncStore:
        data_dir.mkdir(parents=True, exist_ok=True)
        return cls(data_dir / DATABASE_FILE_NAME)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> SyncStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
