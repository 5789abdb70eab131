"""Items on one line of visitor and staff text are separated by kiosk.core.i18n.LIST_SEPARATOR,
never by the middle dot, which Leichte Sprache writes inside long words (Bild·schirm)."""

from __future__ import annotations

import ast
from pathlib import Path

import kiosk
from kiosk.core.i18n import LIST_SEPARATOR

UI = Path(kiosk.__file__).parent / "ui"
MIDDLE_DOT = " \u00b7 "


def middle_dot_strings(path: Path) -> list[int]:
    """Lines of the string literals in `path` that put the middle dot between items."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    # Docstrings describe; they are never shown.
    docs = {id(node.value) for node in ast.walk(tree) if isinstance(node, ast.Expr)}
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and MIDDLE_DOT in node.value
        and id(node) not in docs
    ]


def test_no_screen_separates_items_with_the_middle_dot() -> None:
    found = {
        str(path.relative_to(UI)): lines
        for path in sorted(UI.rglob("*.py"))
        if (lines := middle_dot_strings(path))
    }
    assert found == {}


def test_the_separator_has_no_middle_dot() -> None:
    assert "\u00b7" not in LIST_SEPARATOR
