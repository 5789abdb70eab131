"""The theme's colours meet WCAG contrast: 4.5:1 for text, 3:1 for borders and focus rings."""

from __future__ import annotations

import pytest

from kiosk.ui import theme


@pytest.mark.parametrize("name,fg,bg", theme.TEXT_PAIRS, ids=[p[0] for p in theme.TEXT_PAIRS])
def test_text_contrast(name: str, fg: str, bg: str) -> None:
    assert theme.contrast_ratio(fg, bg) >= 4.5


@pytest.mark.parametrize(
    "name,fg,bg", theme.NON_TEXT_PAIRS, ids=[p[0] for p in theme.NON_TEXT_PAIRS]
)
def test_non_text_contrast(name: str, fg: str, bg: str) -> None:
    assert theme.contrast_ratio(fg, bg) >= 3.0


def test_contrast_formula_known_values() -> None:
    assert theme.contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert theme.contrast_ratio("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)


def test_stylesheet_colours_are_from_the_checked_palette() -> None:
    """A colour typed straight into the stylesheet would escape the contrast test."""
    import re

    checked = {c.upper() for pair in (*theme.TEXT_PAIRS, *theme.NON_TEXT_PAIRS) for c in pair[1:]}
    used = {c.upper() for c in re.findall(r"#[0-9A-Fa-f]{6}\b", theme.stylesheet())}
    assert used <= checked
