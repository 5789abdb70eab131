"""Languages the kiosk speaks and the gettext catalogues that translate its interface."""

from __future__ import annotations

import gettext as _gettext
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

DOMAIN = "messages"


@dataclass(frozen=True)
class Language:
    """One interface language: its id, its own name in its own script, and how to format it."""

    code: str
    native_name: str
    babel_locale: str
    direction: str  # "ltr" or "rtl"; a unit test keeps it equal to Babel's text_direction

    @property
    def is_rtl(self) -> bool:
        return self.direction == "rtl"


# Leichte Sprache has no ISO code; "de-x-ls" is a BCP 47 private-use tag. It formats like German.
# The table is fixed here (instead of asking Babel at start) because loading CLDR data costs
# start-up time; tests/unit/test_i18n.py checks it against Babel.
LANGUAGES: tuple[Language, ...] = (
    Language("de", "Deutsch", "de", "ltr"),
    Language("de-x-ls", "Leichte Sprache", "de", "ltr"),
    Language("en", "English", "en", "ltr"),
    Language("uk", "Українська", "uk", "ltr"),
    Language("ar", "العربية", "ar", "rtl"),
    Language("ru", "Русский", "ru", "ltr"),
    Language("tr", "Türkçe", "tr", "ltr"),
    Language("fa", "فارسی", "fa", "rtl"),
)
LANGUAGE_CODES: tuple[str, ...] = tuple(language.code for language in LANGUAGES)
_BY_CODE = {language.code: language for language in LANGUAGES}


def language(code: str) -> Language:
    """The language with this id; KeyError names the id when it is not shipped."""
    return _BY_CODE[code]


# Leichte Sprache writes each sentence on a line of its own (Netzwerk Leichte Sprache). Its
# catalogue keeps a message's sentences in one string, as every language does; the translator
# ends each sentence with a line break, so every label, button and slip shows them one under
# the other without translators having to place line breaks by hand.
SENTENCE_PER_LINE: frozenset[str] = frozenset({"de-x-ls"})
# A sentence ends at ".", "!" or "?" followed by a space and what starts a sentence: a capital,
# a digit, a quotation mark or a placeholder. Never after a digit: "am 3. Mai" is one sentence.
_SENTENCE_END = re.compile(r"(?<![0-9])([.!?])[ \t]+(?=[A-ZÄÖÜ0-9„\"{])")


def sentence_per_line(text: str) -> str:
    """``text`` with a line break after each sentence that another sentence follows."""
    return _SENTENCE_END.sub("\\1\n", text)


# Leichte Sprache is German made simple: whoever chose it reads German far better than any other
# language, so every text missing in it comes in German first, before the site's own fallback
# languages (which usually start with English).
VARIANT_OF: Mapping[str, str] = {"de-x-ls": "de"}


def fallback_chain(code: str, fallbacks: Iterable[str] = ()) -> tuple[str, ...]:
    """The languages to look in for a text shown in ``code``, in order, each once: ``code``, the
    language it is a variant of (Leichte Sprache: German), then the site's fallbacks."""
    chain: list[str] = [code]
    variant_of = VARIANT_OF.get(code)
    if variant_of is not None:
        chain.append(variant_of)
    chain += [fallback for fallback in fallbacks if fallback not in chain]
    return tuple(chain)


def text_in(texts: Mapping[str, str], code: str, fallbacks: Iterable[str] = ()) -> str | None:
    """A site text given per language (help text, house rules, a device's location) in
    ``code``, else in the first language of its fallback chain that has it; None if none has."""
    return next((texts[c] for c in fallback_chain(code, fallbacks) if c in texts), None)


def N_(message: str) -> str:
    """Mark a string for extraction without translating it yet (translated where it is shown)."""
    return message


def catalogue_path(catalogue_dir: Path, code: str) -> Path:
    """Where the compiled catalogue of one language lives."""
    return catalogue_dir / code / "LC_MESSAGES" / f"{DOMAIN}.mo"


class Translator:
    """Translates interface strings into the current language; switching is instant.

    Source strings (msgids) are English. A language without a compiled catalogue falls back to
    the source text, so a missing file degrades to English instead of failing.
    """

    def __init__(
        self,
        catalogue_dir: Path,
        languages: Iterable[str] = LANGUAGE_CODES,
        default: str = "de",
    ) -> None:
        self._catalogue_dir = catalogue_dir
        self._codes = tuple(languages)
        if default not in self._codes:
            raise ValueError(f"default language {default!r} is not among {self._codes}")
        self._default = default
        self._catalogues: dict[str, _gettext.NullTranslations] = {}
        self._current = language(default)
        self._listeners: list[Callable[[Language], None]] = []
        self._pseudo: _gettext.NullTranslations | None = None

    @property
    def languages(self) -> tuple[Language, ...]:
        """The languages this site offers, in the order of its language bar."""
        return tuple(language(code) for code in self._codes)

    @property
    def default(self) -> Language:
        return language(self._default)

    @property
    def current(self) -> Language:
        return self._current

    def set_language(self, code: str) -> None:
        """Switch the interface language; listeners hear about it once, after the switch."""
        if code not in self._codes:
            raise ValueError(f"language {code!r} is not offered here")
        if code == self._current.code:
            return
        self._current = language(code)
        for listener in list(self._listeners):
            listener(self._current)

    def reset(self) -> None:
        """Back to the site's default language (a new visitor starts there)."""
        self.set_language(self._default)

    def on_change(self, listener: Callable[[Language], None]) -> None:
        """Call listener(language) after every switch."""
        self._listeners.append(listener)

    def set_pseudo(self, enabled: bool) -> None:
        """Show every interface string pseudo-translated (layout tests); listeners hear it."""
        self._pseudo = PseudoTranslations() if enabled else None
        for listener in list(self._listeners):
            listener(self._current)

    def _catalogue(self, code: str) -> _gettext.NullTranslations:
        if self._pseudo is not None:
            return self._pseudo
        catalogue = self._catalogues.get(code)
        if catalogue is None:
            try:
                with catalogue_path(self._catalogue_dir, code).open("rb") as fp:
                    catalogue = _gettext.GNUTranslations(fp)
            except OSError:
                catalogue = _gettext.NullTranslations()
            variant_of = VARIANT_OF.get(code)
            if variant_of is not None:
                # A message not yet translated into Leichte Sprache is shown in German.
                catalogue.add_fallback(self._catalogue(variant_of))
            self._catalogues[code] = catalogue
        return catalogue

    def gettext(self, message: str) -> str:
        """Translate into the current language."""
        return self._shaped(
            self._current.code, self._catalogue(self._current.code).gettext(message)
        )

    _ = gettext

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        """Translate a message whose form depends on a count (the count is not substituted)."""
        text = self._catalogue(self._current.code).ngettext(singular, plural, n)
        return self._shaped(self._current.code, text)

    def number(self, value: int) -> str:
        """A count written with the current language's digits (Persian: ۱۲)."""
        return localise_digits(str(value), self._current.code)

    def digits(self, text: str) -> str:
        """``text`` (a time, a date, "3/9" …) with the current language's digits."""
        return localise_digits(text, self._current.code)

    def gettext_in(self, code: str, message: str) -> str:
        """Translate into a given language without switching to it (the attract greeting)."""
        return self._shaped(code, self._catalogue(code).gettext(message))

    def joined(self, *sentences: str) -> str:
        """Translated sentences put together the way the current language writes them: after
        each other, or one per line in Leichte Sprache."""
        return self._shaped(self.current.code, " ".join(sentences))

    def _shaped(self, code: str, text: str) -> str:
        """A translation laid out the way its language writes: one sentence per line in
        Leichte Sprache (never in the pseudo-locale, which stands for every language)."""
        if code in SENTENCE_PER_LINE and self._pseudo is None:
            return sentence_per_line(text)
        return text


_PSEUDO_LETTERS = str.maketrans(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "áƀçđéƒĝĥíĵķĺɱñóþǫŕśţúṽŵẋýžÁƁÇĐÉƑĜĤÍĴĶĹṀÑÓÞǪŔŚŢÚṼŴẊÝŽ",
)
_PLACEHOLDER = re.compile(r"(\{[A-Za-z_][A-Za-z0-9_]*\})")


def pseudo_localise(text: str) -> str:
    """Accented and about 40 % longer, placeholders kept: what a long translation looks like."""
    parts = _PLACEHOLDER.split(text)
    accented = "".join(
        p if _PLACEHOLDER.fullmatch(p) else p.translate(_PSEUDO_LETTERS) for p in parts
    )
    # The padding comes in words of up to eight: a long translation has more words, not one
    # word as wide as a line, which no label could wrap.
    width = max(1, round(len(text) * 0.4))
    padding = " ".join("~" * min(8, width - start) for start in range(0, width, 8))
    return f"[{accented} {padding}]"


class PseudoTranslations(_gettext.NullTranslations):
    """The pseudo-locale: every message passes through pseudo_localise."""

    def gettext(self, message: str) -> str:
        return pseudo_localise(message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return pseudo_localise(msgid1 if n == 1 else msgid2)


# Babel is imported in the functions below, at the first date or number a screen shows: the
# kiosk's first frame shows none, and importing babel and babel.dates costs ~6 ms.


# Between the items of a list on one line ("15 minutes | 12 steps", "Tablet | Tuesday, 10:00"): not
# the middle dot, which Leichte Sprache uses inside long words (Bild·schirm), and the same in every
# language.
LIST_SEPARATOR = " | "


def isolate(text: str) -> str:
    """``text`` as a bidi isolate (FSI … PDI): its own direction decides its order inside, and
    it cannot reorder the sentence around it. A Latin name, URL or site text inside an Arabic or
    Persian line then stays one block and the line's full stop stays at its end."""
    return f"\u2068{text}\u2069"


# Digits of the numbering systems our languages may use, by CLDR name ("latn" needs nothing).
_DIGITS = {"arab": "٠١٢٣٤٥٦٧٨٩", "arabext": "۰۱۲۳۴۵۶۷۸۹"}


def localise_digits(text: str, code: str) -> str:
    """Write the digits in `text` the way the language's locale does (Persian: ۱۲۳)."""
    from babel import Locale

    digits = _DIGITS.get(Locale.parse(language(code).babel_locale).default_numbering_system)
    if digits is None:
        return text
    return text.translate(str.maketrans("0123456789", digits))


def format_date(value: date, code: str) -> str:
    """A date as the visitor's language writes it in running text ("21. Mai 2027")."""
    from babel.dates import format_date as babel_format_date

    return localise_digits(
        babel_format_date(value, format="long", locale=language(code).babel_locale), code
    )


def format_datetime(value: datetime, code: str) -> str:
    """Weekday, date and time as the language says it ("Dienstag, 25. November, 10:30")."""
    from babel import Locale
    from babel.dates import format_datetime as babel_format_datetime
    from babel.dates import format_time, match_skeleton

    locale = Locale.parse(language(code).babel_locale)
    # The locale's own order for weekday + day + month, widened to full names.
    skeleton = match_skeleton("MMMMEEEEd", locale.datetime_skeletons) or "MMMMEd"
    pattern = str(locale.datetime_skeletons[skeleton])
    pattern = re.sub(r"(?<![Ec])([Ec])\1{0,2}(?![Ec])", r"\1\1\1\1", pattern)
    pattern = re.sub(r"(?<![ML])([ML])\1{0,2}(?![ML])", r"\1\1\1\1", pattern)
    day = babel_format_datetime(value, pattern, locale=locale)
    time = format_time(value, format="short", locale=locale)
    joined = str(locale.datetime_formats["medium"]).replace("{1}", day).replace("{0}", time)
    return localise_digits(joined, code)


def format_time(value: datetime, code: str) -> str:
    """A time of day as the language writes it ("10:30", Persian "۱۰:۳۰")."""
    from babel.dates import format_time as babel_format_time

    return localise_digits(
        babel_format_time(value, format="short", locale=language(code).babel_locale), code
    )


def format_slot(start: datetime, end: datetime, code: str) -> str:
    """A booked slot: weekday, date and times ("Dienstag, 1. Dezember, 10:00–10:30")."""
    return f"{format_datetime(start, code)}\u2013{format_time(end, code)}"
