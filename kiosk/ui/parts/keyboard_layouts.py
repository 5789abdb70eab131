"""Key layouts of the on-screen keyboard, one per script the kiosk speaks (data only, no Qt)."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

ZWNJ = "\u200c"  # Persian half-space (نیم‌فاصله), needed to write many words correctly


def _rows(*rows: str) -> tuple[tuple[str, ...], ...]:
    # Keys are separated by spaces; a key may emit more than one character (Arabic "لا").
    return tuple(tuple(row.split()) for row in rows)


def _frozen(mapping: Mapping[str, str] | None = None) -> Mapping[str, str]:
    return MappingProxyType(dict(mapping or {}))


@dataclass(frozen=True)
class KeyboardLayout:
    """Three rows of letter keys plus what the bottom row and the symbols page need."""

    id: str
    title: str  # the layout's own name, shown on the space bar so users see what they type
    switch_label: str  # short label of the key that switches to this layout ("ABC", "АБВ")
    rows: tuple[tuple[str, ...], ...]
    shifted: Mapping[str, str] = field(default_factory=_frozen)  # exceptions to str.upper()
    punctuation: tuple[str, str] = ("-", ".")  # the keys left and right of the space bar
    extra_symbols: tuple[str, ...] = ()  # appended to the symbols page
    is_latin: bool = True

    def shift(self, text: str) -> str:
        """What a key types with Shift: the layout's exception, else the capital letter."""
        if text in self.shifted:
            return self.shifted[text]
        upper = text.upper()
        # "ß".upper() is "SS" and ligatures grow too; a key keeps one letter.
        return upper if len(upper) == len(text) else text


def key_label(text: str) -> str:
    """How a key shows what it types: marks sit on a dotted circle, invisible ones get a name."""
    if text == ZWNJ:
        return "نیم‌فاصله"  # the name Persian typists know it by: "half space"
    if text and all(unicodedata.category(ch) == "Mn" for ch in text):
        return "◌" + text
    return text


DIGITS: tuple[str, ...] = tuple("1234567890")

SYMBOL_ROWS = _rows(
    "@ # € $ % & * + = ( )",
    "_ / \\ : ; \" ' ! ? , .",
    "< > [ ] ~ |",
)

GERMAN = KeyboardLayout(
    id="de",
    title="Deutsch",
    switch_label="ABC",
    rows=_rows(
        "q w e r t z u i o p ü ß",
        "a s d f g h j k l ö ä",
        "y x c v b n m",
    ),
    shifted=_frozen({"ß": "ẞ"}),
    extra_symbols=("§", "°", "„", "“"),
)

ENGLISH = KeyboardLayout(
    id="en",
    title="English",
    switch_label="ABC",
    rows=_rows(
        "q w e r t y u i o p",
        "a s d f g h j k l '",
        "z x c v b n m",
    ),
    extra_symbols=("£", "^"),
)

TURKISH = KeyboardLayout(
    id="tr",
    title="Türkçe",
    switch_label="ABC",
    rows=_rows(
        "q w e r t y u ı o p ğ ü",
        "a s d f g h j k l ş i",
        "z x c v b n m ö ç",
    ),
    # Turkish has dotted and dotless i in both cases; str.upper() would lose the dot.
    shifted=_frozen({"i": "İ", "ı": "I"}),
    extra_symbols=("₺", "^"),
)

UKRAINIAN = KeyboardLayout(
    id="uk",
    title="Українська",
    switch_label="АБВ",
    rows=_rows(
        "й ц у к е н г ш щ з х ї",
        "ф і в а п р о л д ж є ґ",
        "я ч с м и т ь б ю '",
    ),
    extra_symbols=("₴", "№", "«", "»"),
    is_latin=False,
)

RUSSIAN = KeyboardLayout(
    id="ru",
    title="Русский",
    switch_label="АБВ",
    rows=_rows(
        "й ц у к е н г ш щ з х ъ",
        "ф ы в а п р о л д ж э",
        "я ч с м и т ь б ю ё",
    ),
    extra_symbols=("₽", "№", "«", "»"),
    is_latin=False,
)

# The standard Arabic PC layout; Shift gives the hamza forms and short vowels where that layout
# has them, and leaves the letter alone where it would give Latin punctuation.
ARABIC = KeyboardLayout(
    id="ar",
    title="العربية",
    switch_label="أبت",
    rows=_rows(
        "ض ص ث ق ف غ ع ه خ ح ج د",
        "ش س ي ب ل ا ت ن م ك ط ذ",
        "ئ ء ؤ ر لا ى ة و ز ظ",
    ),
    shifted=_frozen(
        {
            "ض": "\u064e",  # fatha
            "ص": "\u064b",  # fathatan
            "ث": "\u064f",  # damma
            "ق": "\u064c",  # dammatan
            "ف": "لإ",
            "غ": "إ",
            "ش": "\u0650",  # kasra
            "س": "\u064d",  # kasratan
            "ل": "لأ",
            "ا": "أ",
            "ذ": "\u0651",  # shadda
            "ء": "\u0652",  # sukun
            "لا": "لآ",
            "ى": "آ",
            "ظ": "؟",
        }
    ),
    punctuation=("،", "."),
    extra_symbols=("؟", "؛", "«", "»"),
    is_latin=False,
)

# Persian standard layout (ISIRI 9147) with its own ی and ک, plus پ چ ژ گ.
PERSIAN = KeyboardLayout(
    id="fa",
    title="فارسی",
    switch_label="آبپ",
    rows=_rows(
        "ض ص ث ق ف غ ع ه خ ح ج چ",
        "ش س ی ب ل ا ت ن م ک گ",
        "ظ ط ژ ز ر ذ د پ و",
    ),
    shifted=_frozen(
        {
            "ض": "\u0652",  # sukun
            "ص": "\u064c",  # dammatan
            "ث": "\u064d",  # kasratan
            "ق": "\u064b",  # fathatan
            "ف": "\u064f",  # damma
            "غ": "\u0650",  # kasra
            "ع": "\u064e",  # fatha
            "ه": "\u0651",  # shadda
            "ش": "ؤ",
            "س": "ئ",
            "ی": "ي",
            "ب": "إ",
            "ل": "أ",
            "ا": "آ",
            "ت": "ة",
            "پ": "ء",
            "ظ": "ك",
        }
    ),
    punctuation=("،", "."),
    extra_symbols=("؟", "؛", "«", "»", ZWNJ),
    is_latin=False,
)

LAYOUTS: Mapping[str, KeyboardLayout] = MappingProxyType(
    {
        layout.id: layout
        for layout in (GERMAN, ENGLISH, TURKISH, UKRAINIAN, RUSSIAN, ARABIC, PERSIAN)
    }
)

# UI language → layout; Leichte Sprache is German and types on the German keyboard.
LAYOUT_FOR_LANGUAGE: Mapping[str, str] = MappingProxyType(
    {
        "de": "de",
        "de-x-ls": "de",
        "en": "en",
        "tr": "tr",
        "uk": "uk",
        "ru": "ru",
        "ar": "ar",
        "fa": "fa",
    }
)

# Scripts other than Latin also need Latin letters (e-mail addresses, names on documents).
LATIN_COMPANION = ENGLISH


def layout_for_language(code: str) -> KeyboardLayout:
    """The layout for a UI language; an unknown language gets the English QWERTY layout."""
    return LAYOUTS[LAYOUT_FOR_LANGUAGE.get(code, ENGLISH.id)]
