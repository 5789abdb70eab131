"""The rules a key's value must follow beyond its type and range (Setting.check functions)."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from datetime import date
from urllib.parse import urlsplit

from kiosk.core.hidden_text import hidden_character
from kiosk.core.i18n import LANGUAGE_CODES
from kiosk.core.pin_hash import is_pin_hash

HELP_TEXT_MAX = 500
"""The longest text of a language in a table of texts (help text, house rules, descriptions)."""

_HOURS = re.compile(r"([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)")
_DAYS = re.compile(r"(\d{4}-\d{2}-\d{2})(?:\.\.(\d{4}-\d{2}-\d{2}))?")
_BLACKOUT = re.compile(
    r"(\d{4}-\d{2}-\d{2})(?: ([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d))?"
)
_IDENTIFIER = re.compile(r"[a-z0-9][a-z0-9-]{0,39}")
_REGION = re.compile(r"[A-Z]{2}(-[A-Z0-9]{1,3})?")
_MUNICIPALITY_KEY = re.compile(r"\d{8}|")


def _unknown_language(code: str) -> str:
    return f"unknown language {code!r}; shipped: {', '.join(LANGUAGE_CODES)}"


def check_opening_hours(value: str) -> str | None:
    """'' means closed; otherwise comma-separated 'HH:MM-HH:MM' ranges, in order."""
    if not value.strip():
        return None
    previous_end = -1
    for part in value.split(","):
        match = _HOURS.fullmatch(part.strip())
        if not match:
            return f"expected 'HH:MM-HH:MM' (e.g. '10:00-18:00'), got {part.strip()!r}"
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        start, end = h1 * 60 + m1, h2 * 60 + m2
        if end > 24 * 60 or start >= end:
            return f"range {part.strip()!r} ends before it starts"
        if start < previous_end:
            return f"range {part.strip()!r} overlaps the one before"
        previous_end = end
    return None


def check_language_codes(value: tuple[str, ...]) -> str | None:
    """Shipped languages, each listed once (the list may be empty)."""
    unknown = [code for code in value if code not in LANGUAGE_CODES]
    if unknown:
        return _unknown_language(unknown[0])
    if len(set(value)) != len(value):
        return "a language is listed twice"
    return None


def check_enabled_languages(value: tuple[str, ...]) -> str | None:
    """At least one shipped language, each listed once."""
    if not value:
        return "at least one language is needed"
    return check_language_codes(value)


def check_language_texts(value: Mapping[str, str]) -> str | None:
    """A table of language code = text: shipped languages, texts of 1 to HELP_TEXT_MAX
    characters without invisible characters."""
    for code, text in value.items():
        if code not in LANGUAGE_CODES:
            return _unknown_language(code)
        if not text.strip():
            return f"{code}: the text is empty (leave the language out instead)"
        if len(text) > HELP_TEXT_MAX:
            return f"{code}: at most {HELP_TEXT_MAX} characters; got {len(text)}"
        hidden = hidden_character(text)
        if hidden:
            return f"{code}: the invisible character U+{ord(hidden):04X} is not allowed; delete it"
    return None


def check_names(value: Mapping[str, str]) -> str | None:
    """A table of language code = name: names of 1 to 60 characters."""
    for code, text in value.items():
        if code not in LANGUAGE_CODES:
            return _unknown_language(code)
        if not text.strip() or len(text) > 60:
            return f"{code}: a name has 1 to 60 characters"
        hidden = hidden_character(text)
        if hidden:
            return f"{code}: the invisible character U+{ord(hidden):04X} is not allowed; delete it"
    return None


def check_pin_hash(value: str) -> str | None:
    """Empty, or a hash of a PIN (a plain PIN in a config file would be readable by anyone)."""
    if value and not is_pin_hash(value):
        return "must be a hash printed by 'kiosk set-pin --print-hash', never a plain PIN"
    return None


def check_identifier(value: str) -> str | None:
    """A short id: 1-40 lowercase letters, digits and '-'."""
    if not _IDENTIFIER.fullmatch(value):
        return "use 1-40 lowercase letters, digits and '-'"
    return None


def check_site_id(value: str) -> str | None:
    """A site id on the hub ('' = not joined to a hub)."""
    if value and not _IDENTIFIER.fullmatch(value):
        return "use 1 to 40 lower-case letters, digits and hyphens, e.g. 'vhs-jena'"
    return None


def check_hub_url(value: str) -> str | None:
    """https:// for a hub on the network; plain http:// only on this machine (development)."""
    if not value:
        return None
    if hidden_character(value) or any(c.isspace() for c in value):
        return "the address must not contain spaces or invisible characters"
    try:
        parts = urlsplit(value)
        host = parts.hostname or ""
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        return "not a web address (e.g. 'https://hub.example.org/')"
    if parts.scheme not in ("http", "https") or not host:
        return "must start with https:// (e.g. 'https://hub.example.org/')"
    if parts.scheme == "http" and not _is_loopback(host):
        return "a hub on the network is reached over https:// (plain http only on localhost)"
    return None


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_closures(value: tuple[str, ...]) -> str | None:
    """Days the site is closed: 'YYYY-MM-DD' or a range 'YYYY-MM-DD..YYYY-MM-DD'."""
    for item in value:
        match = _DAYS.fullmatch(item.strip())
        problem = None if match else "expected 'YYYY-MM-DD' or 'YYYY-MM-DD..YYYY-MM-DD'"
        if match:
            try:
                first = date.fromisoformat(match.group(1))
                last = date.fromisoformat(match.group(2) or match.group(1))
            except ValueError as error:
                problem = str(error)
            else:
                problem = "the range ends before it starts" if last < first else None
        if problem:
            return f"{item!r}: {problem}"
    return None


def check_blackouts(value: tuple[str, ...]) -> str | None:
    """Times a device is not lent: 'YYYY-MM-DD' (all day) or 'YYYY-MM-DD HH:MM-HH:MM'."""
    for item in value:
        match = _BLACKOUT.fullmatch(item.strip())
        problem = None if match else "expected 'YYYY-MM-DD' or 'YYYY-MM-DD HH:MM-HH:MM'"
        if match:
            try:
                date.fromisoformat(match.group(1))
            except ValueError as error:
                problem = str(error)
            if match.group(2) and problem is None:
                problem = check_opening_hours(item.strip().split(" ", 1)[1])
        if problem:
            return f"{item!r}: {problem}"
    return None


def check_holiday_region(value: str) -> str | None:
    """Empty, or an ISO 3166 country code with an optional region, e.g. 'DE-TH'."""
    if value and not _REGION.fullmatch(value):
        return "expected a country code with an optional region, e.g. 'DE-TH' (Thuringia)"
    return None


def check_municipality_key(value: str) -> str | None:
    """Empty, or the 8 digits of an Amtlicher Gemeindeschlüssel."""
    if not _MUNICIPALITY_KEY.fullmatch(value):
        return "expected the 8 digits of the Amtlicher Gemeindeschlüssel"
    return None
