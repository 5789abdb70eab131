"""Storage failures the UI can explain to people: a full disk, a read-only file, anything else."""

from __future__ import annotations


class StorageError(Exception):
    """The database could not be read or written; nothing was changed by the failed call."""


class StorageFullError(StorageError):
    """A write failed because the disk (or the database's size limit) is full."""


class StorageReadOnlyError(StorageError):
    """A write failed because the database file or its directory cannot be written."""
