"""The fonts in assets/fonts cover every script and UI symbol of the eight UI languages.

Coverage is checked against the shipped font files themselves (a QRawFont per file), so a font
installed on the machine can never stand in for a missing shipped one: removing a file from
assets/fonts makes these tests fail. A second check lays text out with Qt's font matching limited
to the shipped families and requires every glyph to come from them, with no missing-glyph boxes.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtGui import QFont, QFontDatabase, QRawFont, QTextLayout
from PySide6.QtWidgets import QApplication

FONT_DIR = Path(__file__).resolve().parents[2] / "assets" / "fonts"
FONT_SUFFIXES = {".ttf", ".otf"}

ARABIC_LETTERS = "".join(chr(c) for c in range(0x0621, 0x063B)) + "".join(
    chr(c) for c in range(0x0641, 0x064B)
)

# One representative string per character class the UI shows. Every character must be supported.
SAMPLES: dict[str, str] = {
    "basic_latin": "".join(chr(c) for c in range(0x20, 0x7F)),
    "german": "ÄÖÜäöüßẞ „Grüße“ ‚ja‘ 12,50 €",
    "leichte_sprache": "Bürger·meister · Kurs·angebot",
    "turkish": "ÇçĞğIıİiŞşÖöÜü",
    "russian": "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯабвгдеёжзийклмнопрстуфхцчшщъыьэюя «Курс» №",
    "ukrainian": "АБВГҐДЕЄЖЗИІЇЙКЛМНОПРСТУФХЦЧШЩЬЮЯабвгґдеєжзиіїйклмнопрстуфхцчшщьюя ʼ",
    "arabic": ARABIC_LETTERS + "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652 ، ؛ ؟ ٪ ٫ ٬ ـ",
    "persian": "پچژگکی" + " کتاب‌ها" + " \u200c\u200d\u200e\u200f",
    "arabic_indic_digits": "٠١٢٣٤٥٦٧٨٩",
    "persian_digits": "۰۱۲۳۴۵۶۷۸۹",
    "ui_symbols": "← → ↩ ⌫ ⇧ ✓ ✕ · • – — “ ” „ … « »",
    "font_size_buttons": "A\u2212 A+",
}

# Samples of running text: these must have a regular and a bold face, not only a synthetic bold.
TEXT_SAMPLES = ["german", "turkish", "russian", "ukrainian", "arabic", "persian"]


@dataclass(frozen=True)
class ShippedFont:
    path: Path
    raw: QRawFont
    families: tuple[str, ...]


def _font_files() -> list[Path]:
    return sorted(p for p in FONT_DIR.iterdir() if p.suffix.lower() in FONT_SUFFIXES)


@pytest.fixture(scope="module")
def shipped(qapp: QApplication) -> Iterator[list[ShippedFont]]:
    """Every font file in assets/fonts, registered with Qt for the duration of this module."""
    fonts: list[ShippedFont] = []
    ids: list[int] = []
    for path in _font_files():
        font_id = QFontDatabase.addApplicationFont(str(path))
        assert font_id != -1, f"Qt could not load {path.name}"
        ids.append(font_id)
        raw = QRawFont(str(path), 24)
        assert raw.isValid(), f"QRawFont could not load {path.name}"
        fonts.append(ShippedFont(path, raw, tuple(QFontDatabase.applicationFontFamilies(font_id))))
    yield fonts
    for font_id in ids:
        QFontDatabase.removeApplicationFont(font_id)


def _families(fonts: list[ShippedFont]) -> list[str]:
    families: list[str] = []
    for font in fonts:
        families += [f for f in font.families if f not in families]
    return families


def test_font_directory_has_fonts_and_licence() -> None:
    assert _font_files(), f"no font files in {FONT_DIR}"
    licence = (FONT_DIR / "OFL.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence


def test_every_font_registers_a_family(shipped: list[ShippedFont]) -> None:
    for font in shipped:
        assert font.families, f"{font.path.name} registered no family"
        assert font.raw.familyName() in font.families


@pytest.mark.parametrize("name", list(SAMPLES))
def test_sample_is_covered_by_shipped_fonts(shipped: list[ShippedFont], name: str) -> None:
    missing = [
        f"U+{ord(ch):04X} {ch}"
        for ch in dict.fromkeys(SAMPLES[name])
        if not any(font.raw.supportsCharacter(ord(ch)) for font in shipped)
    ]
    assert not missing, f"{name}: no shipped font has {missing}"


@pytest.mark.parametrize("name", TEXT_SAMPLES)
def test_running_text_has_regular_and_bold(shipped: list[ShippedFont], name: str) -> None:
    letters = [ch for ch in dict.fromkeys(SAMPLES[name]) if ch.isalpha()]
    weights = {
        font.raw.weight()
        for font in shipped
        if font.raw.style() == QFont.Style.StyleNormal
        and all(font.raw.supportsCharacter(ord(ch)) for ch in letters)
    }
    assert QFont.Weight.Normal in weights, f"{name}: no shipped regular face covers it"
    assert any(w >= QFont.Weight.DemiBold for w in weights), f"{name}: no shipped bold face"


@pytest.mark.parametrize("bold", [False, True], ids=["regular", "bold"])
@pytest.mark.parametrize("name", list(SAMPLES))
def test_sample_renders_only_with_shipped_glyphs(
    shipped: list[ShippedFont], name: str, bold: bool
) -> None:
    families = _families(shipped)
    font = QFont()
    font.setFamilies(families)
    font.setPixelSize(24)
    font.setBold(bold)
    layout = QTextLayout(SAMPLES[name], font)
    layout.beginLayout()
    line = layout.createLine()
    layout.endLayout()
    assert line.isValid()
    runs = layout.glyphRuns()
    assert runs
    for run in runs:
        family = run.rawFont().familyName()
        assert family in families, f"{name}: Qt fell back to non-shipped font {family!r}"
        assert 0 not in run.glyphIndexes(), f"{name}: missing glyph (box) in {family!r}"


def _shipped_texts() -> dict[str, str]:
    """Every text the kiosk can show: translated catalogues and course packages, per source."""
    from babel.messages.pofile import read_po

    texts: dict[str, str] = {}
    translations = FONT_DIR.parents[1] / "translations"
    for po in sorted(translations.glob("*/LC_MESSAGES/messages.po")):
        with po.open("rb") as stream:
            catalog = read_po(stream)
        strings = []
        for message in catalog:
            forms = message.string if isinstance(message.string, tuple) else (message.string,)
            strings += [form for form in forms if form]
        texts[po.parent.parent.name] = "".join(strings)
    courses = FONT_DIR.parents[1] / "courses"
    for path in sorted(courses.glob("*/course.toml")) + sorted(courses.glob("*/content/*.md")):
        texts[str(path.relative_to(courses))] = path.read_text(encoding="utf-8")
    return texts


def test_every_character_of_catalogues_and_courses_is_covered(
    shipped: list[ShippedFont],
) -> None:
    texts = _shipped_texts()
    assert len(texts) > 8, "catalogues and courses were found"
    missing: dict[str, set[str]] = {}
    for source, text in texts.items():
        for ch in set(text):
            if ch.isspace() or unicodedata.category(ch) in {"Cc", "Cf"}:
                continue  # line breaks and invisible format marks (ZWNJ) have no glyph
            if not any(font.raw.supportsCharacter(ord(ch)) for font in shipped):
                missing.setdefault(f"U+{ord(ch):04X} {ch}", set()).add(source)
    assert not missing, missing
