"""The desk's language: chosen per request (cookie, then the browser's wish, then German) and
translated through the terminals' own gettext catalogues."""

from __future__ import annotations

from functools import cache

from kiosk import resources
from kiosk.core.i18n import LANGUAGE_CODES, Language, Translator, language

DEFAULT = "de"
COOKIE = "desk_lang"


@cache
def translator(code: str) -> Translator:
    """A translator fixed to one language, its catalogue read once per process. One per
    language (instead of switching one) because requests in different languages run at once."""
    return Translator(resources.TRANSLATIONS, LANGUAGE_CODES, default=code)


def _wishes(accept_language: str) -> list[tuple[float, int, str]]:
    wishes: list[tuple[float, int, str]] = []
    for position, part in enumerate(accept_language.split(",")[:20]):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if tag and quality > 0:
            # The highest quality first; among equals, the order the browser gave.
            wishes.append((-quality, position, tag.strip().lower()))
    return sorted(wishes)


def from_accept_language(header: str) -> str | None:
    """The best of the desk's languages for a browser's Accept-Language header, or None.
    "de-DE" means German, "ar-EG" Arabic; Dari ("prs") is written like Persian."""
    for _quality, _position, tag in _wishes(header):
        if tag in LANGUAGE_CODES:
            return tag
        primary = tag.split("-")[0]
        if primary == "prs":
            return "fa"
        if primary in LANGUAGE_CODES:
            return primary
    return None


def pick(cookie: str | None, accept_language: str | None) -> Language:
    """The language of one request: the person's choice (cookie), else their browser's, else
    German."""
    if cookie in LANGUAGE_CODES:
        return language(cookie)
    return language(from_accept_language(accept_language or "") or DEFAULT)
