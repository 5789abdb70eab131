"""The one data root: --data-dir, else KIOSK_HOME, else the OS's per-user data directory."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

APP_NAME = "probierladen-kiosk"


def resolve_data_dir(cli_value: str | None, environ: Mapping[str, str] = os.environ) -> Path:
    """Pick the data directory; it holds the database, backups and logs of this terminal."""
    if cli_value:
        return Path(cli_value).expanduser().resolve()
    if environ.get("KIOSK_HOME"):
        return Path(environ["KIOSK_HOME"]).expanduser().resolve()
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
