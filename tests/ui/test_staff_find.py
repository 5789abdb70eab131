"""Finding a booking at the staff desk: the desk bar's actions, the Find panel and its filters,
and a first name typed into the check-in field, on a real database."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from tests.ui.desk_setup import Desk, at, desk
from tests.ui.layout_checks import clipped_texts

__all__ = ["desk"]  # the fixture


@pytest.mark.parametrize(
    ("language", "size"),
    [("de", (1280, 800)), ("en", (1280, 800)), ("ar", (1280, 800)), ("de", (1920, 1080))],
)
def test_the_desk_bar_offers_find_blocks_and_print_whole_at_every_size(
    qtbot: QtBot, desk: Desk, language: str, size: tuple[int, int]
) -> None:
    desk.book("tablet-1", at(10), 30, "Anna")
    window = desk.kiosk.window
    window.resize(*size)
    screen = desk.open(language)
    bar = screen.bar
    for button in (bar.find_button, bar.plan_button, bar.print_button, bar.walk_in_button):
        qtbot.waitUntil(button.isVisible, timeout=1000)
        assert button.isEnabled()
        inside = button.mapTo(window, button.rect().bottomRight())
        assert 0 <= inside.x() <= window.width() and 0 <= inside.y() <= window.height()
    assert clipped_texts(window) == []
    # Wide: the actions stand beside the field; at 1280 they take a second row below it.
    beside = bar.print_button.mapTo(screen, bar.print_button.rect().center()).y()
    field = bar.code_field.mapTo(screen, bar.code_field.rect().center()).y()
    assert bar.wrapped == (size[0] == 1280)
    assert (beside > field + bar.code_field.height() // 2) == bar.wrapped
    window.grab().save(f"/tmp/s31/shots/U1-bar-{language}-{size[0]}.png")
