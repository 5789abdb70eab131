"""`kiosk set-pin`: read a new staff PIN twice and store its hash (or print it for the config)."""

from __future__ import annotations

import argparse
import getpass
import sys

from kiosk.commands.common import EXIT_FAILED, EXIT_OK, data_dir
from kiosk.config import SiteConfig
from kiosk.core.staff_auth import StaffGate, hash_pin, validate_new_pin
from kiosk.storage.database import Storage, StorageError


def set_pin(args: argparse.Namespace, config: SiteConfig) -> int:
    pin = _read_pin("New staff PIN: ")
    problem = validate_new_pin(pin)
    if problem:
        print(f"set-pin: {problem}", file=sys.stderr)
        return EXIT_FAILED
    if _read_pin("Repeat the PIN: ") != pin:
        print("set-pin: the two PINs differ; nothing was changed", file=sys.stderr)
        return EXIT_FAILED
    if args.print_hash:
        print(hash_pin(pin))
        return EXIT_OK
    folder = data_dir(args)
    try:
        storage = Storage.open(folder, backups_keep=config.storage.backups_keep)
        try:
            StaffGate(storage.settings).set_pin(pin)
            storage.staff_events.add("staff_pin_changed")
        finally:
            storage.close()
    except (StorageError, OSError) as error:
        print(f"set-pin: {folder}: {error}; nothing was changed", file=sys.stderr)
        return EXIT_FAILED
    print(f"Staff PIN set for {folder}")
    return EXIT_OK


def _read_pin(prompt: str) -> str:
    if sys.stdin.isatty():
        return getpass.getpass(prompt)
    line = sys.stdin.readline()  # scripted provisioning pipes the PIN in
    return line.rstrip("\r\n")
