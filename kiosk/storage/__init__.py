"""The only place that touches SQLite: schema, migrations, backups and repositories.

Import ``Storage`` from ``kiosk.storage.database``: it pulls in sqlite-utils (~100 ms), so the
app imports it after the first frame. This package itself stays cheap to import, so the UI can
catch the errors below without paying for SQLite.
"""

from kiosk.storage.errors import StorageError, StorageFullError, StorageReadOnlyError

__all__ = ["StorageError", "StorageFullError", "StorageReadOnlyError"]
