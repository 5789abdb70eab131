"""The keyboard layout of a Linux terminal's session: checked in the config, handed to cage."""

from __future__ import annotations

import re

# An XKB layout name with an optional variant, e.g. "de", "us", "de(nodeadkeys)". Nothing else
# is accepted: the value ends up in the session's environment (XKB_DEFAULT_LAYOUT).
_LAYOUT = re.compile(r"([a-z]{2,3})(?:\(([a-z0-9_]{1,30})\))?")


def check_keyboard_layout(value: str) -> str | None:
    """Why a keyboard layout cannot be used, or None."""
    if _LAYOUT.fullmatch(value):
        return None
    return (
        f"{value!r} is not a keyboard layout: two or three small letters, optionally with a "
        "variant in brackets, e.g. 'de', 'us' or 'de(nodeadkeys)'"
    )


def xkb_environment(layout: str) -> dict[str, str]:
    """The variables that make cage (xkbcommon) use a layout, for every keyboard and scanner."""
    match = _LAYOUT.fullmatch(layout)
    if match is None:
        raise ValueError(check_keyboard_layout(layout))
    environment = {"XKB_DEFAULT_LAYOUT": match.group(1)}
    if match.group(2):
        environment["XKB_DEFAULT_VARIANT"] = match.group(2)
    return environment
