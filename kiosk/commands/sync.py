"""`kiosk sync`: push and pull with the hub now, keep syncing, or show the backlog."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from kiosk.commands.common import EXIT_FAILED, EXIT_OK, EXIT_USAGE, data_dir
from kiosk.config import SiteConfig
from kiosk.fleet.courses import CourseStore
from kiosk.fleet.site_config import ConfigStore
from kiosk.storage.errors import StorageError
from kiosk.storage.sync_store import SyncStore
from kiosk.sync.client import (
    HubClient,
    HubRefusedTerminalError,
    HubSettingsError,
    HubUnreachableError,
    hub_settings,
)
from kiosk.sync.worker import KEY_CURSOR, KEY_LAST_OK, PUSH_TIMEOUT_S, Syncer, SyncThread


def sync(args: argparse.Namespace, config: SiteConfig) -> int:
    if not config.joined_hub:
        print("sync: this terminal stands alone (its config has no [hub] url)", file=sys.stderr)
        return EXIT_USAGE
    folder = data_dir(args)
    if args.status:
        return _status(config, folder)
    try:
        settings = hub_settings(config)
    except HubSettingsError as error:
        print(f"sync: {error}", file=sys.stderr)
        return EXIT_USAGE
    if not args.once:
        worker = SyncThread(folder, settings)
        worker.start()
        print(f"syncing with {settings.url} every {settings.interval_s:g} s; Ctrl+C ends")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            worker.stop()
        return EXIT_OK
    try:
        with (
            SyncStore.open(folder) as store,
            HubClient(settings, timeout_s=PUSH_TIMEOUT_S) as client,
        ):
            report = Syncer(store, client).round()
            left = store.outbox.backlog().rows
    except HubUnreachableError as error:
        print(
            f"sync: the hub at {settings.url} is unreachable ({error}); "
            "the outbox keeps every row until it is back",
            file=sys.stderr,
        )
        return EXIT_FAILED
    except HubRefusedTerminalError as error:
        print(f"sync: the hub refuses this terminal ({error}): enrol it again", file=sys.stderr)
        return EXIT_FAILED
    except StorageError as error:
        print(f"sync: {folder}: {error}", file=sys.stderr)
        return EXIT_FAILED
    print(
        f"pushed {report.pushed} rows, pulled {report.pulled} records"
        + (f", set aside {report.set_aside} malformed rows" if report.set_aside else "")
        + f"; {left} rows waiting"
    )
    return EXIT_OK


def _status(config: SiteConfig, folder: Path) -> int:
    try:
        with SyncStore.open(folder) as store:
            backlog = store.outbox.backlog()
            cursor = store.settings.get(KEY_CURSOR) or "0"
            last_ok = store.settings.get(KEY_LAST_OK) or "never"
    except StorageError as error:
        print(f"sync: {folder}: {error}", file=sys.stderr)
        return EXIT_FAILED
    oldest = backlog.oldest.isoformat() if backlog.oldest else "-"
    print(f"hub: {config.hub.url} (site {config.hub.site})")
    print(f"backlog: {backlog.rows} rows waiting (oldest {oldest})")
    if backlog.set_aside:
        print(f"set aside: {backlog.set_aside} rows the hub refused as malformed")
    print(f"last sync: {last_ok}")
    print(f"cursor: {cursor}")
    _delivered(folder)
    return EXIT_OK


def _delivered(folder: Path) -> None:
    """The site config and course packages the hub delivered to this terminal."""
    configs = ConfigStore(folder / "fleet" / "config")
    applied, pending = configs.applied(), configs.pending()
    print(
        "site config: this terminal's own file"
        if applied is None
        else f"site config: version {applied[0]} from the hub"
    )
    if pending is not None:
        print(f"site config: version {pending[0]} waits for a moment without visitors")
    if configs.problem():
        print(f"site config refused: {configs.problem()}")
    installed = CourseStore(folder / "fleet" / "courses").installed()
    for course_id in sorted(installed):
        course = installed[course_id]
        print(f"course {course_id}: version {course.version} from the hub (id {course.id})")
    if not installed:
        print("courses: those shipped with the kiosk")
