"""`kiosk check`: config, course packages, translations and the database, one line per problem;
and which languages can be read aloud here."""

from __future__ import annotations

import argparse
import sys

from kiosk import resources
from kiosk.commands.common import EXIT_OK, EXIT_USAGE, as_typed, data_dir
from kiosk.config import SiteConfig
from kiosk.core.courses import check_courses
from kiosk.core.i18n import catalogue_path
from kiosk.speech import voice_summary
from kiosk.storage.database import check_database_file
from kiosk.sync.client import HubClient, HubSettingsError, hub_settings


def hub_warnings(config: SiteConfig) -> list[str]:
    """What keeps this terminal from syncing now; warnings only: it works offline meanwhile."""
    try:
        settings = hub_settings(config)
    except HubSettingsError as error:
        return [str(error)]
    with HubClient(settings, timeout_s=5) as client:
        if not client.health():
            return [
                f"hub: {settings.url} is not reachable now; the terminal works offline and "
                "sends its outbox when it is back"
            ]
    return []


def check(args: argparse.Namespace, config: SiteConfig) -> int:
    problems: list[str] = []
    problems.extend(str(p) for p in check_courses([as_typed(config.courses_root())]).problems)
    for code in config.languages.enabled:
        mo = catalogue_path(resources.TRANSLATIONS, code)
        if code != "en" and not mo.exists():
            problems.append(f"{mo}:1: translations: compiled catalogue missing (run make)")
    database = data_dir(args) / "kiosk.sqlite3"
    if database.exists():
        problems.extend(f"{database}:1: database: {p}" for p in check_database_file(database))
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        return EXIT_USAGE
    if config.joined_hub:
        for warning in hub_warnings(config):
            print(f"warning: {warning}", file=sys.stderr)
    # Information, never a failure: a terminal without voices or sound still works.
    print(voice_summary(config.languages.enabled))
    source = config.source or resources.DEMO_CONFIG
    print(f"{source}: ok")
    return EXIT_OK
