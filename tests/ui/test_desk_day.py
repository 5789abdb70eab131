"""The front desk's day on the staff desk: a walk-in booked and checked in with one tap, a late
visitor's no-show restored, a booking's slip printed again, the timeline's "now", blocks and
the whole day's list — on a real database, real widgets and a clock the test moves."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from pytestqt.qtbot import QtBot

from kiosk.core.bookings import BookingStatus
from kiosk.ui.parts.printers import PrintOutcome, send_slip
from kiosk.ui.parts.printing import Slip, render_slip_image
from tests.ui import test_staff_bookings as staff_desk
from tests.ui.qr_decode import decode_qr
from tests.ui.test_printers import WINDOWS, pdf_capture
from tests.ui.test_staff_bookings import Desk, at, open_desk, tap, tap_block

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


def test_a_late_visitor_s_no_show_is_checked_in_after_all_within_the_slot(
    qtbot: QtBot, desk: Desk
) -> None:
    desk.clock.now = at(9, 30)
    anna = desk.book("tablet-1", at(10), 30, "Anna")
    desk.clock.now = at(10, 20)  # released as a no-show after 15 minutes
    screen = open_desk(desk)
    assert desk.status(anna) is BookingStatus.NO_SHOW
    tap_block(qtbot, screen, anna)
    panel = screen.booking_panel
    tap(qtbot, panel.restore)
    assert desk.status(anna) is BookingStatus.CHECKED_IN
    assert panel.message.property("tone") == "ok"
    assert screen.booking_panel.status.text() == "Checked in"
    assert not panel.restore.isVisible()


def test_a_no_show_whose_slot_is_over_offers_no_restore(qtbot: QtBot, desk: Desk) -> None:
    desk.clock.now = at(9, 30)
    anna = desk.book("tablet-1", at(10), 30, "Anna")
    desk.clock.now = at(10, 31)
    screen = open_desk(desk)
    tap_block(qtbot, screen, anna)
    assert desk.status(anna) is BookingStatus.NO_SHOW
    assert not screen.booking_panel.restore.isVisible()
    assert "book a walk-in" in screen.booking_panel.note.text()


def test_a_booking_s_slip_and_qr_code_are_printed_again(
    qtbot: QtBot, desk: Desk, tmp_path: Path
) -> None:
    desk.clock.now = at(9, 30)
    anna = desk.book("tablet-1", at(10), 30, "Anna")
    screen = open_desk(desk)
    target, slips = tmp_path / "job.pdf", list[Slip]()

    def printer(make_slip: Callable[[str], Slip]) -> PrintOutcome:
        def keep(name: str) -> Slip:
            slips.append(make_slip(name))
            return slips[-1]

        return send_slip(keep, printers=lambda: WINDOWS, open_printer=pdf_capture(target))

    screen.booking_panel.printer = printer
    tap_block(qtbot, screen, anna)
    tap(qtbot, screen.booking_panel.reprint)
    [slip] = slips
    assert slip.code == anna.printed_code and "Anna" not in " ".join(slip.lines)
    assert decode_qr(render_slip_image(slip)) == [anna.printed_code]
    assert target.read_bytes().startswith(b"%PDF")  # what the printer got
    assert screen.booking_panel.message.text().endswith("Slip sent to EPSON TM-T20III Receipt.")


def test_a_device_row_says_who_has_it_now_and_then_that_it_needs_wiping(
    qtbot: QtBot, desk: Desk
) -> None:
    desk.clock.now = at(9, 30)
    anna = desk.book("tablet-1", at(10), 30, "Anna")
    desk.clock.now = at(10, 5)
    desk.service.check_in(anna.printed_code)
    screen = open_desk(desk)
    row = next(r for r in screen.timeline.day.rows if r.device_id == "tablet-1")
    assert row.badge == "In use: Anna"
    desk.clock.now = at(10, 40)  # over: the visitor's data is still on it
    screen.refresh()
    row = next(r for r in screen.timeline.day.rows if r.device_id == "tablet-1")
    assert row.badge == "Needs wiping"


def test_a_block_shows_hatched_with_its_reason_and_opens_its_panel(
    qtbot: QtBot, desk: Desk
) -> None:
    outcome = desk.service.block("tablet-2", at(14), at(16), "Workshop")
    [block] = outcome.made
    screen = open_desk(desk)
    shown = screen.timeline.block(block.id)
    assert shown is not None and shown.blocked and shown.name == "Blocked: Workshop"
    tap_block(qtbot, screen, block)
    panel = screen.booking_panel
    assert panel.status.text() == "Blocked: Workshop"
    assert not panel.check_in.isVisible() and not panel.reprint.isVisible()
    assert panel.cancelling.isVisible()
