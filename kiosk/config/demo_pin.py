"""Refusing the embedded demo's staff PIN hash in any other site config.

The demo's PIN (2468) is printed in its config and in the guide. A site config copied from the
demo keeps that hash unless someone removes it, and the kiosk would then open staff mode with a
PIN anyone can look up. `kiosk run` and `kiosk check` refuse it unless a demonstration asks for it
with `--demo`.
"""

from __future__ import annotations

from pathlib import Path

from kiosk.config.loading import Problem
from kiosk.config.sections import SiteConfig
from kiosk.core import pin_hash
from kiosk.core.toml_text import KeyLines

DEMO_PIN_HASH = (
    "scrypt$16384$8$1$kFHOspYDu7+TloDvWwslpA==$T80Zc3ktSWziE2N0vWNLJ9Xk7d8g+hFgRJa2WoAw3tM="
)
"""The hash in kiosk/demo_site.toml (a test keeps the two the same)."""

KEY = "staff.pin_hash"
REASON = (
    "this is the demo's PIN hash, and the demo PIN 2468 is public; set this terminal's own PIN "
    "with 'kiosk set-pin' and delete this line (or paste the hash 'kiosk set-pin --print-hash' "
    "prints); a demonstration may start with --demo instead"
)


def is_demo_pin_hash(encoded: str) -> bool:
    """Whether a configured hash is the demo's (the same salt and digest, however written)."""
    parsed, demo = pin_hash.parse(encoded.strip()), pin_hash.parse(DEMO_PIN_HASH)
    return parsed is not None and demo is not None and parsed[3:] == demo[3:]


def demo_pin_problem(config: SiteConfig, embedded_demo: Path) -> Problem | None:
    """Why this config may not be used on a real site, or None: it is the embedded demo itself,
    or its staff PIN hash is not the demo's."""
    source = config.source
    if source is None or not is_demo_pin_hash(config.staff.pin_hash):
        return None
    if source.resolve() == embedded_demo.resolve():
        return None
    try:
        line = KeyLines(source.read_text(encoding="utf-8")).line("staff", "pin_hash")
    except (OSError, UnicodeDecodeError):
        line = 1  # read a moment ago; the problem stands without its line
    return Problem(str(source), line, KEY, REASON)
