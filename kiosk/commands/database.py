"""The terminal's database for a command, or one line saying why it cannot be opened."""

from __future__ import annotations

import argparse
import sys

from kiosk.commands.common import data_dir
from kiosk.config import SiteConfig
from kiosk.storage.database import Storage, StorageError


def open_storage(args: argparse.Namespace, config: SiteConfig, verb: str) -> Storage | None:
    """The database in --data-dir, or None after printing why it cannot be opened."""
    folder = data_dir(args)
    try:
        # On a terminal joined to a hub, what a command changes reaches the hub too.
        return Storage.open(
            folder, backups_keep=config.storage.backups_keep, outbox=config.joined_hub
        )
    except (StorageError, OSError) as error:
        print(f"{verb}: {folder}: {error}", file=sys.stderr)
        return None
