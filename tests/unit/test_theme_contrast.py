"""The theme's colours meet WCAG contrast: 4.5:1 for text, 3:1 for borders and focus rings."""

from __future__ import annotations

import re

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
