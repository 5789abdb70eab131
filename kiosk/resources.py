"""Where the kiosk finds its shipped files — the same code frozen (PyInstaller) or from source."""

from __future__ import annotations

import sys
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def _bundle_root() -> Path:
    # A PyInstaller bundle unpacks data next to the code under sys._MEIPASS; from a source
    # checkout (editable install) the data folders sit next to the package.
    frozen_root = getattr(sys, "_MEIPASS", None)
    return Path(frozen_root) if frozen_root else PACKAGE_DIR.parent


ROOT = _bundle_root()
ASSETS = ROOT / "assets"
FONTS = ASSETS / "fonts"
IMAGES = ASSETS / "images"
TRANSLATIONS = ROOT / "translations"
COURSES = ROOT / "courses"
DEMO_CONFIG = PACKAGE_DIR / "demo_site.toml"
LOGO = IMAGES / "logo.svg"
