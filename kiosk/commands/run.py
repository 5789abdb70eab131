"""`kiosk run`: start the kiosk, logging into its data directory."""

from __future__ import annotations

import argparse
import sys

from kiosk.app import run_kiosk
from kiosk.commands.common import EXIT_USAGE, data_dir
from kiosk.config import SiteConfig
from kiosk.logs import start_logging
from kiosk.terminal import reread_config, site_config_in_use
from kiosk.ui.shell.data_folder_error import wait_for_data_folder


def run(args: argparse.Namespace, config: SiteConfig) -> int:
    folder = data_dir(args)
    try:
        start_logging(folder)
    except OSError as error:
        print(f"{folder}: cannot write the data directory: {error.strerror}", file=sys.stderr)
        if not wait_for_data_folder(config, folder, error, kiosk_mode=args.kiosk):
            return EXIT_USAGE
    return run_kiosk(
        site_config_in_use(config, folder),
        folder,
        kiosk_mode=args.kiosk,
        language=args.lang,
        exit_when_ready=args.exit_when_ready,
        config_in_use=lambda: site_config_in_use(reread_config(config), folder),
    )
