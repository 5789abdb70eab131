"""Finding courses as the visitor types: case- and accent-insensitive, fast enough per keystroke.

Every course gets one normalised haystack per language, built at the first search in that
language (a session searches in one or two of the eight; for a thousand courses one language
takes a few milliseconds), so a keystroke costs one normalisation of the query and a substring
test per course.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from kiosk.core.courses.model import Course

# Dropped when searching: combining marks left over by NFKD (Latin/Greek/Cyrillic accents,
# Hebrew points, Arabic harakat, and the extended blocks; listed as ranges because a
# per-character category lookup would cost more than the whole search), and characters that
# are invisible or optional: soft hyphen, the Leichte-Sprache middle dot ("Bürger·büro"),
# hyphens ("E-Mail" = "Email"), zero-width (non-)joiners common in Persian, direction marks and
# Arabic tatweel. One pattern, so that the text is scanned once.
_DROPPED = re.compile(
    "[\u0300-\u036f\u0483-\u0489\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670"
    "\u06d6-\u06ed\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
    "\u00ad\u00b7\u2027\u30fb"  # soft hyphen, dots
    "\\-\u2010\u2011"  # hyphens
    "\u200b\u200c\u200d\u2060"  # zero-width
    "\u200e\u200f\u061c\u0640]"  # direction marks, tatweel
)
# Arabic yeh and kaf fold into their Persian forms.
_FOLDED = (("\u064a", "\u06cc"), ("\u0649", "\u06cc"), ("\u0643", "\u06a9"))


def normalise(text: str) -> str:
    """Text as the search compares it: decomposed, case-folded, without accents."""
    if text.isascii():  # what the steps below come to for ASCII text, only faster
        return text.lower().replace("-", "")
    text = _DROPPED.sub("", unicodedata.normalize("NFKD", text).casefold())
    for arabic, persian in _FOLDED:
        if arabic in text:
            text = text.replace(arabic, persian)
    return text


class SearchIndex:
    """Normalised title, description and tags of every course, per language."""

    def __init__(self, courses: Sequence[Course], fallback_chain: Sequence[str]) -> None:
        self._courses = tuple(courses)
        self._fallback_chain = tuple(fallback_chain)
        self._tags: list[str] | None = None  # the same in every language
        self._by_language: dict[str, list[tuple[str, str]]] = {}

    def prepare(self, language: str) -> None:
        """Build the haystacks of a language, if that has not happened yet."""
        self._haystacks(language)

    def _haystacks(self, language: str) -> list[tuple[str, str]]:
        """(title, everything else) per course, built at the first search in a language."""
        haystacks = self._by_language.get(language)
        if haystacks is None:
            if self._tags is None:
                self._tags = [normalise(" ".join(course.tags)) for course in self._courses]
            chain = self._fallback_chain
            haystacks = []
            for course, tags in zip(self._courses, self._tags, strict=True):
                # Most courses have their own texts in the language; looking first is faster.
                titles, descriptions = course.titles, course.descriptions
                title = titles[language] if language in titles else course.title_in(language, chain)
                description = (
                    descriptions[language]
                    if language in descriptions
                    else course.description_in(language, chain)
                )
                haystacks.append((normalise(title), f"{normalise(description)}\n{tags}"))
            self._by_language[language] = haystacks
        return haystacks

    def search(self, query: str, language: str) -> list[Course]:
        """Courses containing every word of the query; title matches first, each group in the
        order the courses were given (the catalogue gives them in its shelf order)."""
        words = normalise(query).split()
        if not words:
            return list(self._courses)
        in_title: list[Course] = []
        elsewhere: list[Course] = []
        for course, (title, rest) in zip(self._courses, self._haystacks(language), strict=True):
            if all(word in title for word in words):
                in_title.append(course)
            elif all(word in title or word in rest for word in words):
                elsewhere.append(course)
        return in_title + elsewhere
