"""Sites and course versions for the fleet's tests: a terminal joined to a hub that cannot be
reached, the shipped course as its authors change it, and the site config as a hub holds it."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from kiosk import resources

COURSE = "video-calls"
NOWHERE = "http://127.0.0.1:9"  # nothing listens: the terminal works offline


def joined_site(folder: Path) -> Path:
    """The demo site joined to a hub at an address where nothing answers."""
    (folder / "hub-token").write_text("pkh_" + "x" * 43 + "\n", encoding="utf-8")
    config = folder / "site.toml"
    config.write_text(
        resources.DEMO_CONFIG.read_text(encoding="utf-8")
        + f'\n[hub]\nurl = "{NOWHERE}"\nsite = "vhs"\ntoken_file = "hub-token"\n'
        "interval_s = 3600\n",
        encoding="utf-8",
    )
    return config


def version_of_course(folder: Path, version: int) -> Path:
    """The shipped course as its authors change it: this version, the version in its titles."""
    copy = folder / f"v{version}" / COURSE
    shutil.copytree(resources.COURSES / COURSE, copy)
    manifest = copy / "course.toml"
    text = re.sub(r"(?m)^version = \d+$", f"version = {version}", manifest.read_text("utf-8"))
    text = text.replace(
        'en = "Video calls with the family"', f'en = "Video calls with the family · v{version}"'
    )
    manifest.write_text(text, encoding="utf-8")
    return copy


def hub_config_body(name: str) -> str:
    lines = resources.DEMO_CONFIG.read_text(encoding="utf-8").splitlines()
    body = "\n".join(line for line in lines if not line.startswith("pin_hash")) + "\n"
    return body.replace('name = "Probierladen Jena"', f'name = "{name}"', 1)
