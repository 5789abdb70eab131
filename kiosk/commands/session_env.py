"""`kiosk session-env`: the environment of the Linux kiosk session, for its launcher.

The systemd unit cannot read the site config, and cage reads its keyboard layout from the
environment when it starts; the session's launcher (packaging/linux/probierladen-kiosk-session)
asks this command, then starts cage with what it prints.
"""

from __future__ import annotations

import argparse

from kiosk.commands.common import EXIT_OK
from kiosk.config import SiteConfig
from kiosk.config.keyboard import xkb_environment


def session_env(_args: argparse.Namespace, config: SiteConfig) -> int:
    """Print one NAME=value line per variable (the config was checked when it was loaded)."""
    for name, value in xkb_environment(config.ui.keyboard_layout).items():
        print(f"{name}={value}")
    return EXIT_OK
