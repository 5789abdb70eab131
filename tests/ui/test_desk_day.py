"""The front desk's day on the staff desk: a walk-in booked and checked in with one tap, a late
visitor's no-show restored, a booking's slip printed again, the timeline's "now", blocks and
the whole day's list — on a real database, real widgets and a clock the test moves."""

from __future__ import annotations

from datetime import timedelta

from pytestqt.qtbot import QtBot

from kiosk.core.bookings import BookingStatus
from tests.ui import test_staff_bookings as staff_desk
from tests.ui.test_staff_bookings import Desk, at, open_desk, tap

# The staff desk's fixtures: the demo site's bookings on a clock the test moves.
export_folder = staff_desk.export_folder
site = staff_desk.site
kiosk = staff_desk.kiosk
desk = staff_desk.desk


def test_a_walk_in_is_booked_and_checked_in_with_one_tap(qtbot: QtBot, desk: Desk) -> None:
    desk.clock.now = at(10, 7)
    screen = open_desk(desk)
    screen.open_walk_in("tablet-2")
    walk_in = screen.walk_in
    # The device is free now: the running slot, the first length, no name needed.
    assert walk_in.free_now and walk_in.book_and_check_in.isEnabled()
    tap(qtbot, walk_in.book_and_check_in)
    (walk,) = [b for b in desk.service.day(at(10).date()) if b.walk_in]
    assert walk.device_id == "tablet-2" and walk.start == at(10)
    assert walk.end - walk.start == timedelta(minutes=walk_in.device.durations()[0])  # type: ignore[union-attr]
    assert walk.status is BookingStatus.CHECKED_IN and walk.name == "Walk-in"
    assert screen.panel == "booking" and screen.booking_panel.code.text() == walk.printed_code
    message = screen.booking_panel.message.text()
    assert "checked in" in message and walk.printed_code in message


def test_book_and_check_in_is_offered_only_while_the_device_is_free_now(
    qtbot: QtBot, desk: Desk
) -> None:
    desk.clock.now = at(9, 30)
    desk.book("tablet-2", at(10), 30, "Anna")  # someone has the running slot
    desk.clock.now = at(10, 7)
    screen = open_desk(desk)
    screen.open_walk_in("tablet-2")
    walk_in = screen.walk_in
    assert walk_in.chosen_start is not None and walk_in.chosen_start > desk.clock.now
    assert not walk_in.free_now and not walk_in.book_and_check_in.isVisible()
