"""Changing a booking at the staff desk: the Edit panel opened from a booking's panel steps
the end and the start by the device's slot step or takes another device of the same kind, says
before saving what a change would break, and keeps the visitor's code; on a real database."""

from __future__ import annotations

from datetime import timedelta

import pytest
from pytestqt.qtbot import QtBot

from kiosk.core.bookings import Booking
from kiosk.ui.staff.desk import StaffBookingsScreen
from kiosk.ui.staff.edit_panel import EditPanel
from tests.ui.desk_setup import Desk, at, desk, tap
from tests.ui.layout_checks import clipped_texts
from tests.ui.looks import keep_look

__all__ = ["desk"]  # the fixture


def open_edit(qtbot: QtBot, screen: StaffBookingsScreen, booking: Booking) -> EditPanel:
    screen.select_booking(booking.id)
    assert screen.panel == "booking"
    tap(qtbot, screen.booking_panel.change)
    assert screen.panel == "edit"
    return screen.panels.edit_panel


def test_extend_keeps_the_code_and_says_so(qtbot: QtBot, desk: Desk) -> None:
    anna = desk.book("tablet-1", at(10), 30, "Anna")
    desk.clock.now = at(10, 5)
    screen = desk.open()
    panel = open_edit(qtbot, screen, anna)
    assert not panel.save.isEnabled()  # nothing changed yet
    step = timedelta(minutes=15)  # the demo tablets' slot step
    tap(qtbot, panel.end_later)
    tap(qtbot, panel.end_later)
    assert panel.end == anna.end + 2 * step
    assert panel.check.text() == "✓  Possible. Save to change the booking."
    tap(qtbot, panel.save)
    now = desk.service.booking(anna.code)
    assert now is not None
    assert (now.id, now.start, now.end) == (anna.id, anna.start, anna.end + 2 * step)
    assert now.code == anna.code and now.uid == anna.uid
    assert panel.message.property("tone") == "ok"
    assert anna.printed_code in panel.message.text()
    assert "stays the same" in panel.message.text()
    keep_look(desk.kiosk.window, "staff-edit-en-saved")


def test_move_the_start_and_the_device_keeps_the_code(qtbot: QtBot, desk: Desk) -> None:
    anna = desk.book("tablet-1", at(16), 30, "Anna")
    screen = desk.open()
    panel = open_edit(qtbot, screen, anna)
    tap(qtbot, panel.start_earlier)
    tap(qtbot, panel.device_chips["tablet-2"])
    tap(qtbot, panel.save)
    now = desk.service.booking(anna.code)
    assert now is not None
    assert (now.device_id, now.start, now.end) == ("tablet-2", at(15, 45), at(16, 30))
    assert now.code == anna.code


def test_an_edit_into_another_booking_says_why_and_changes_nothing(
    qtbot: QtBot, desk: Desk
) -> None:
    anna = desk.book("tablet-1", at(16), 30, "Anna")
    olena = desk.book("tablet-1", at(17), 30, "Olena")
    screen = desk.open()
    panel = open_edit(qtbot, screen, anna)
    for _ in range(3):  # 16:30 → 17:15: into Olena's booking
        tap(qtbot, panel.end_later)
    assert panel.check.property("tone") == "error"
    assert panel.check.text().startswith("✕  Not possible: ")
    assert "already booked" in panel.check.text() or "Too close" in panel.check.text()
    assert not panel.save.isEnabled()
    panel.save.click()  # even if it were tapped: nothing happens
    assert desk.service.booking(anna.code) == anna
    assert desk.service.booking(olena.code) == olena
    # Another tablet is free then: possible there.
    tap(qtbot, panel.device_chips["tablet-2"])
    assert panel.check.property("tone") == "ok" and panel.save.isEnabled()


def test_the_database_refuses_what_was_taken_meanwhile(qtbot: QtBot, desk: Desk) -> None:
    anna = desk.book("tablet-1", at(16), 30, "Anna")
    screen = desk.open()
    panel = open_edit(qtbot, screen, anna)
    tap(qtbot, panel.end_later)
    tap(qtbot, panel.end_later)
    assert panel.save.isEnabled()
    desk.book("tablet-1", at(16, 45), 30, "Karl")  # another desk was quicker
    tap(qtbot, panel.save)
    assert panel.message.property("tone") == "error"
    assert panel.message.text().startswith("✕  Not changed: ")
    assert desk.service.booking(anna.code) == anna


@pytest.mark.parametrize("language", ["de", "en", "ar"])
def test_the_edit_panel_is_whole_in_every_language(qtbot: QtBot, desk: Desk, language: str) -> None:
    anna = desk.book("tablet-1", at(16), 30, "Anna")
    desk.book("tablet-1", at(17), 30, "Olena")
    screen = desk.open(language)
    panel = open_edit(qtbot, screen, anna)
    for _ in range(3):
        tap(qtbot, panel.end_later)
    assert clipped_texts(desk.kiosk.window) == []
    keep_look(desk.kiosk.window, f"staff-edit-{language}")
