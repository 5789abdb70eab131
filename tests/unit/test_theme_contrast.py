"""The theme's colours meet WCAG contrast: 4.5:1 for text (7:1 in high contrast), 3:1 for borders
and focus rings, and every text colour the style sheets use is one of the checked pairs."""

from __future__ import annotations

import re

import pytest

from kiosk.ui import theme
from kiosk.ui.bookings.screen import booking_look
from kiosk.ui.shell.card_overlay import overlay_look

# (palette, the text contrast it promises): WCAG AA for the normal look, AAA for high contrast.
PALETTES = ((theme.NORMAL, 4.5), (theme.HIGH_CONTRAST, 7.0))
TEXT_CASES = [
    pytest.param(palette, minimum, fg, bg, id=f"{palette.name}: {name}")
    for palette, minimum in PALETTES
    for name, fg, bg in palette.text_pairs()
]
NON_TEXT_CASES = [
    pytest.param(fg, bg, id=f"{palette.name}: {name}")
    for palette, _minimum in PALETTES
    for name, fg, bg in palette.non_text_pairs()
]


@pytest.mark.parametrize("palette,minimum,fg,bg", TEXT_CASES)
def test_text_contrast(palette: theme.Palette, minimum: float, fg: str, bg: str) -> None:
    assert theme.contrast_ratio(fg, bg) >= minimum


@pytest.mark.parametrize("fg,bg", NON_TEXT_CASES)
def test_non_text_contrast(fg: str, bg: str) -> None:
    assert theme.contrast_ratio(fg, bg) >= 3.0


def test_high_contrast_is_a_palette_of_its_own() -> None:
    """Every text pair of the high-contrast look is checked at 7:1, and it shares no pair with
    the normal look it improves on."""
    high = theme.HIGH_CONTRAST.text_pairs()
    assert [name for name, _, _ in high] == [name for name, _, _ in theme.TEXT_PAIRS]
    assert all(theme.contrast_ratio(fg, bg) >= 7.0 for _, fg, bg in high)
    assert theme.stylesheet(high_contrast=True) != theme.stylesheet()
    assert theme.stylesheet(1.3, high_contrast=True).count("pt;") == theme.stylesheet(1.3).count(
        "pt;"
    )


def test_the_focus_ring_of_high_contrast_is_a_colour_nothing_else_uses() -> None:
    """The focused element is found at a glance: its ring is not the colour of borders, buttons,
    texts or backgrounds."""
    palette = theme.HIGH_CONTRAST
    others = {c for _, fg, bg in palette.text_pairs() for c in (fg, bg)} | {palette.border}
    assert palette.focus not in others
    assert theme.contrast_ratio(palette.focus, palette.primary) >= 1.3
    assert theme.contrast_ratio(palette.focus, palette.background) >= 7.0


def test_contrast_formula_known_values() -> None:
    assert theme.contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert theme.contrast_ratio("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)


def _checked(palette: theme.Palette) -> set[str]:
    pairs = (*palette.text_pairs(), *palette.non_text_pairs())
    return {c.upper() for pair in pairs for c in pair[1:]}


@pytest.mark.parametrize("palette", [theme.NORMAL, theme.HIGH_CONTRAST], ids=lambda p: p.name)
def test_stylesheet_colours_are_from_the_checked_palette(palette: theme.Palette) -> None:
    """A colour typed straight into the stylesheet would escape the contrast test; a colour of
    the other palette would leave part of the screen in the other look."""
    sheet = theme.stylesheet(high_contrast=palette is theme.HIGH_CONTRAST)
    used = {c.upper() for c in re.findall(r"#[0-9A-Fa-f]{6}\b", sheet)}
    assert used <= _checked(palette)


# The declarations that colour text, and the background each is drawn on where the same rule
# gives one.
_TEXT_COLOURS = {"color": "background", "selection-color": "selection-background-color"}
_PLACEHOLDER = "placeholder-text-color"


def _rules(sheet: str) -> list[tuple[str, dict[str, str]]]:
    """(selector, {property: #colour}) of every rule of a style sheet."""
    sheet = re.sub(r"/\*.*?\*/", "", sheet, flags=re.S)
    rules = []
    for selector, body in re.findall(r"([^{}]+)\{([^}]*)\}", sheet):
        found = re.findall(r"(?<![-\w])([-a-z]+)\s*:\s*(#[0-9A-Fa-f]{6})\b", body)
        rules.append((" ".join(selector.split()), {k: v.upper() for k, v in found}))
    return rules


def uncovered_text_colours(sheet: str, palette: theme.Palette) -> list[str]:
    """Each text colour of `sheet` that no checked pair of `palette` lists, and each text and
    background given together that are not a checked pair."""
    pairs = {(fg.upper(), bg.upper()) for _, fg, bg in palette.text_pairs()}
    foregrounds = {fg for fg, _ in pairs}
    problems = []
    for selector, colours in _rules(sheet):
        for prop, background_prop in _TEXT_COLOURS.items():
            fg = colours.get(prop)
            if fg is None:
                continue
            bg = colours.get(background_prop)
            if fg not in foregrounds or (bg is not None and (fg, bg) not in pairs):
                problems.append(f"{selector} {{ {prop}: {fg}; {background_prop}: {bg} }}")
        placeholder = colours.get(_PLACEHOLDER)
        if placeholder is not None and placeholder not in foregrounds:
            problems.append(f"{selector} {{ {_PLACEHOLDER}: {placeholder} }}")
    return problems


@pytest.mark.parametrize("palette", [theme.NORMAL, theme.HIGH_CONTRAST], ids=lambda p: p.name)
def test_every_text_colour_of_the_stylesheets_is_a_checked_pair(palette: theme.Palette) -> None:
    """A new text colour, or text on a new background, cannot slip by the contrast test: the
    app-wide sheet and the visitor screens' own sheets (booking pages, card overlays) list only
    text colours, and text-on-background combinations, that a checked pair lists."""
    sheets = (
        theme.stylesheet(high_contrast=palette is theme.HIGH_CONTRAST),
        booking_look(palette),
        overlay_look(palette),
    )
    assert [problem for sheet in sheets for problem in uncovered_text_colours(sheet, palette)] == []


def test_the_coverage_check_finds_an_unlisted_text_colour() -> None:
    """The check above is not vacuous: an unlisted colour, and a listed text colour on a
    background it was not checked on, are both found."""
    palette = theme.HIGH_CONTRAST
    assert uncovered_text_colours("QLabel#x { color: #777777; }", palette) != []
    sheet = f"QLabel#x {{ color: {palette.on_primary}; background: {palette.background}; }}"
    assert uncovered_text_colours(sheet, palette) != []
    fine = f"QLabel#x {{ color: {palette.on_primary}; background: {palette.primary}; }}"
    assert uncovered_text_colours(fine, palette) == []


def _rule(selector: str) -> str:
    """The declarations of every stylesheet rule for exactly ``selector``, in order."""
    found = re.findall(r"(?:^|\n)" + re.escape(selector) + r" \{([^}]*)\}", theme.stylesheet())
    assert found, f"no rule for {selector}"
    return ";".join(found)


def _colour(declarations: str, prop: str) -> str:
    match = re.search(rf"(?<![-\w]){prop}: (#[0-9A-Fa-f]{{6}})", declarations)
    assert match, f"no {prop} colour in {declarations!r}"
    return match.group(1)


def test_scroll_bar_handles_stand_out_from_their_track_and_the_page() -> None:
    """A scroll bar tells how long the page is only if its handle can be seen (≥ 3:1)."""
    handle = _colour(_rule("QScrollBar::handle:vertical"), "background")
    groove = _colour(_rule("QScrollBar:vertical"), "background")
    assert theme.contrast_ratio(handle, groove) >= 3.0
    assert theme.contrast_ratio(handle, theme.BACKGROUND) >= 3.0
    track = _rule(
        "QScrollBar#cueScrollBar::add-page:vertical, QScrollBar#cueScrollBar::sub-page:vertical"
    )
    assert theme.contrast_ratio(handle, _colour(track, "background")) >= 3.0


def test_placeholder_texts_are_as_readable_as_text() -> None:
    """Hints in empty fields (“for example: Anna”) meet text contrast on the field (≥ 4.5:1)."""
    placeholder = _colour(_rule("QLineEdit, QPlainTextEdit, QTextEdit"), "placeholder-text-color")
    assert theme.contrast_ratio(placeholder, theme.SURFACE) >= 4.5
