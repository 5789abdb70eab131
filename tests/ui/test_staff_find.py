"""Finding a booking at the staff desk: the desk bar's actions, the Find panel and its filters,
and a first name typed into the check-in field, on a real database."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot

from kiosk.core.bookings import CODE_LENGTH, BookingStatus, SearchFilter
from kiosk.core.resume_codes import normalise_code
from kiosk.ui.staff.find_panel import is_first_name
from tests.ui.desk_setup import Desk, at, desk, tap
from tests.ui.layout_checks import clipped_texts
from tests.ui.looks import keep_look

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
    keep_look(window, f"staff-desk-bar-{language}-{size[0]}")


def test_find_by_first_name_shows_the_booking_and_a_tap_opens_it(qtbot: QtBot, desk: Desk) -> None:
    anna = desk.book("tablet-1", at(16), 30, "Änna")
    desk.book("tablet-2", at(16), 30, "Olena")
    later = desk.book("vr-1", at(11, days=2), 30, "Annabell")
    screen = desk.open()
    tap(qtbot, screen.bar.find_button)
    assert screen.panel == "find"
    panel = screen.panels.find_panel
    qtbot.keyClicks(panel.field, "anna")  # no accent typed, found all the same
    qtbot.waitUntil(lambda: len(panel.found) == 2, timeout=2000)
    assert [b.id for b in panel.found] == [anna.id, later.id]  # by start
    first = panel.row_texts()[0]
    assert "Änna" in first and anna.printed_code in first and "4:00\u202fPM" in first
    assert "Olena" not in " ".join(panel.row_texts())
    assert panel.summary.text() == "2 bookings found"
    tap(qtbot, panel.rows[1])  # another day: the desk goes there and opens it
    assert screen.panel == "booking"
    assert screen.booking_panel.code.text() == later.printed_code
    assert screen.shown_day == later.start.date()


def test_nothing_found_says_so_and_shows_no_rows(qtbot: QtBot, desk: Desk) -> None:
    desk.book("tablet-1", at(16), 30, "Anna")
    screen = desk.open()
    tap(qtbot, screen.bar.find_button)
    panel = screen.panels.find_panel
    panel.search_for("Zoltan")
    assert panel.rows == []
    assert panel.summary.text().startswith("No booking found.")


def test_each_filter_finds_what_needs_staff(qtbot: QtBot, desk: Desk) -> None:
    waiting = desk.book("vr-1", at(16), 30, "Karl")  # the VR glasses need approval
    assert waiting.status is BookingStatus.PENDING
    late = desk.book("tablet-1", at(10), 30, "Olena")
    confirmed = desk.book("tablet-2", at(16), 30, "Anna")
    outcome = desk.service.block(
        "phone-1", at(14), at(15), "Workshop", weeks=1
    )  # a workshop holds the phone
    assert len(outcome.made) == 1
    block = outcome.made[0]
    desk.clock.now = at(10, 40)  # nobody checked Olena in: released as a no-show
    desk.service.release_no_shows()
    screen = desk.open()
    tap(qtbot, screen.bar.find_button)
    panel = screen.panels.find_panel
    expected = {
        SearchFilter.WAITING: [waiting.id],
        SearchFilter.NO_SHOW_TODAY: [late.id],
        SearchFilter.CONFLICT: [],
        SearchFilter.BLOCKED: [block.id],
    }
    for only, ids in expected.items():
        tap(qtbot, panel.chips[only])
        assert panel.only is only
        assert [b.id for b in panel.found] == ids, only
        assert all(chip.isChecked() == (f is only) for f, chip in panel.chips.items())
    assert "Blocked: Workshop" in panel.row_texts()[0]
    assert confirmed.id not in [b.id for b in panel.found]
    tap(qtbot, panel.chips[SearchFilter.BLOCKED])  # tapped again: off, nothing searched
    assert panel.only is None and panel.rows == []


def test_a_first_name_in_the_check_in_field_finds_the_booking(qtbot: QtBot, desk: Desk) -> None:
    anna = desk.book("tablet-1", at(16), 30, "Anna")
    screen = desk.open()
    qtbot.keyClicks(screen.bar.code_field, "Anna")
    qtbot.keyClick(screen.bar.code_field, Qt.Key.Key_Return)
    assert screen.panel == "find"
    panel = screen.panels.find_panel
    assert [b.id for b in panel.found] == [anna.id]
    assert panel.field.text() == "Anna"
    assert screen.bar.code_field.text() == ""  # ready for the next scan
    assert "not a booking code" not in screen.bar.feedback.text()
    # A code still checks in at once, and a mistyped code still says how codes look.
    desk.clock.now = at(15, 55)
    qtbot.keyClicks(screen.bar.code_field, anna.printed_code)
    qtbot.keyClick(screen.bar.code_field, Qt.Key.Key_Return)
    assert desk.service.booking(anna.code).status is BookingStatus.CHECKED_IN
    qtbot.keyClicks(screen.bar.code_field, "K7P-MR0")
    qtbot.keyClick(screen.bar.code_field, Qt.Key.Key_Return)
    assert "is not a booking code" in screen.bar.feedback.text()


def test_first_names_and_codes_are_told_apart() -> None:
    assert is_first_name("Anna") and is_first_name(" Karl-Heinz ") and is_first_name("Олена")
    assert not is_first_name("K7P-MR3") or normalise_code("K7P-MR3", CODE_LENGTH) is None
    assert not is_first_name("k7p mr0")  # a digit: a mistyped code, not a name
    assert not is_first_name("")


@pytest.mark.parametrize("language", ["de", "en", "ar"])
def test_the_find_panel_is_whole_in_every_language(qtbot: QtBot, desk: Desk, language: str) -> None:
    desk.book("tablet-1", at(16), 30, "Anna")
    desk.book("vr-1", at(11, days=1), 30, "Annabell")
    screen = desk.open(language)
    tap(qtbot, screen.bar.find_button)
    panel = screen.panels.find_panel
    panel.search_for("anna")
    assert len(panel.rows) == 2
    assert clipped_texts(desk.kiosk.window) == []
    keep_look(desk.kiosk.window, f"staff-find-{language}")
    tap(qtbot, screen.bar.find_button)  # typing: the keyboard comes, the field stays in view
    qtbot.waitUntil(desk.kiosk.window.keyboard.isVisible, timeout=2000)
    qtbot.wait(50)
    field = panel.field.mapTo(desk.kiosk.window, panel.field.rect().bottomLeft()).y()
    assert field < desk.kiosk.window.keyboard.mapTo(desk.kiosk.window, QPoint(0, 0)).y()
    assert not screen.bar.actions.isVisible()
    keep_look(desk.kiosk.window, f"staff-find-{language}-typing")


def test_a_word_that_is_neither_a_code_nor_a_name_says_how_codes_look(
    qtbot: QtBot, desk: Desk
) -> None:
    desk.book("tablet-1", at(16), 30, "Anna")
    screen = desk.open()
    qtbot.keyClicks(screen.bar.code_field, "hello")
    qtbot.keyClick(screen.bar.code_field, Qt.Key.Key_Return)
    assert screen.panel == "agenda"  # nothing found: the list stays
    assert screen.bar.feedback.property("tone") == "error"
    assert "no booking has this first name" in screen.bar.feedback.text()
    assert "K7P-MR3" in screen.bar.feedback.text()
