"""The desk's printouts and a broken device's list as staff use them: the desk bar's Print
button, the device panel's one-touch moves; the printer captured as a PDF, its text read back."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from kiosk.core.bookings import Booking, BookingService, DeviceStatus
from kiosk.ui.bookings.lookup import Step
from kiosk.ui.bookings.screen import BookingScreen
from kiosk.ui.parts.printers import PrintOutcome
from kiosk.ui.parts.sheets import Sheet, render_sheet_images, send_sheet
from kiosk.ui.shell.screens import Screen
from kiosk.ui.staff.desk import StaffBookingsScreen
from tests.ui import test_staff_bookings as staff_desk
from tests.ui.layout_checks import clipped_texts
from tests.ui.looks import keep_look
from tests.ui.pdf_text import pdf_pages_text, pdf_text
from tests.ui.test_printers import WINDOWS, pdf_capture
from tests.ui.test_printing import MM, media_boxes
from tests.ui.test_staff_bookings import Desk, at, open_desk, tap

# The staff desk's fixtures: the demo site's bookings on a clock the test moves.
export_folder = staff_desk.export_folder
site = staff_desk.site
kiosk = staff_desk.kiosk
desk = staff_desk.desk

A4 = (210 * MM, 297 * MM)


def capture(target: Path, sheets: list[Sheet]) -> Callable[[Callable[[], Sheet]], PrintOutcome]:
    """The site's printer (a receipt printer among Windows' file printers), captured as PDF."""

    def printer(make: Callable[[], Sheet]) -> PrintOutcome:
        def keep() -> Sheet:
            sheets.append(make())
            return sheets[-1]

        return send_sheet(keep, printers=lambda: WINDOWS, open_printer=pdf_capture(target))

    return printer


def print_from_bar(qtbot: QtBot, screen: StaffBookingsScreen, which: str) -> None:
    tap(qtbot, screen.bar.print_button)
    choice = screen.day_print.choice
    qtbot.waitUntil(choice.isVisible)
    tap(qtbot, choice.today if which == "today" else choice.week)
    assert not choice.isVisible()


def save_pages(sheet: Sheet, name: str) -> None:
    """The printed pages as pictures, kept where KIOSK_TEST_SHOTS says (tests/ui/looks.py)."""
    folder = os.environ.get("KIOSK_TEST_SHOTS")
    images = render_sheet_images(sheet, 100)
    assert images and not any(image.isNull() for image in images)
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        for number, image in enumerate(images, start=1):
            assert image.save(str(Path(folder) / f"print-{name}-{number}.png"))


def busy_day(desk: Desk) -> list[Booking]:
    bookings = [
        desk.book("tablet-1", at(10), 30, "Anna"),
        desk.book("tablet-2", at(11), 30, "Olena"),
        desk.book("phone-1", at(14), 15, "مريم"),
    ]
    gone = desk.book("tablet-1", at(15), 30, "Gustav")
    assert desk.service.cancel(gone.id)
    return bookings


@pytest.mark.parametrize("language", ["en", "ar"])
def test_today_s_list_goes_to_the_site_s_printer_on_a4(
    qtbot: QtBot, desk: Desk, tmp_path: Path, language: str
) -> None:
    bookings = busy_day(desk)
    screen = open_desk(desk, language)
    target, sheets = tmp_path / "job.pdf", list[Sheet]()
    screen.day_print.printer = capture(target, sheets)

    print_from_bar(qtbot, screen, "today")

    [(width, height)] = media_boxes(target.read_bytes())
    assert (width, height) == pytest.approx(A4, abs=1.5)
    text = pdf_text(target.read_bytes())
    for booking in bookings:
        assert booking.name is not None and booking.name in text
        assert booking.printed_code in text
    assert "Gustav" not in text  # cancelled: the time is free again
    [sheet] = sheets
    assert sheet.right_to_left is (language == "ar")
    assert [row[2] for row in sheet.rows] == ["Anna", "Olena", "مريم"]  # devices in site order
    assert "EPSON TM-T20III Receipt" in screen.bar.feedback.text()
    if language == "en":
        assert "Bookings on Tuesday, December 1, 2026" in text
        assert "Confirmed" in text and "Time" in text and "First name" in text
    save_pages(sheet, f"today-{language}")


def test_a_block_is_printed_with_its_reason(qtbot: QtBot, desk: Desk, tmp_path: Path) -> None:
    """A device blocked for a workshop is on today's list as what it is held for, not as a
    visitor whose name was deleted."""
    outcome = desk.service.block("tablet-1", at(14), at(16), "Workshop")
    [block] = outcome.made
    screen = open_desk(desk, "en")
    target, sheets = tmp_path / "job.pdf", list[Sheet]()
    screen.day_print.printer = capture(target, sheets)

    print_from_bar(qtbot, screen, "today")

    text = pdf_text(target.read_bytes())
    assert "Blocked: Workshop" in text and block.printed_code in text
    assert "(name deleted)" not in text


def test_the_week_s_plan_shows_times_and_no_names(qtbot: QtBot, desk: Desk, tmp_path: Path) -> None:
    busy_day(desk)
    thursday = desk.book("tablet-1", at(10) + timedelta(days=2), 45, "Dieter")
    screen = open_desk(desk, "de")
    target, sheets = tmp_path / "job.pdf", list[Sheet]()
    screen.day_print.printer = capture(target, sheets)

    print_from_bar(qtbot, screen, "week")

    [(width, height)] = media_boxes(target.read_bytes())
    assert (width, height) == pytest.approx((A4[1], A4[0]), abs=1.5)  # landscape
    text = pdf_text(target.read_bytes())
    for name in ("Anna", "Olena", "Dieter", "Gustav"):
        assert name not in text
    assert thursday.printed_code not in text
    [sheet] = sheets
    tablet = next(row for row in sheet.rows if row[0] == "Android-Tablet")
    assert tablet[1] == "\u2013"  # Monday
    assert tablet[2] == "10:00\u201310:30"  # Tuesday: Anna, and Gustav's cancelled time is free
    assert tablet[4] == "10:00\u201310:45"  # Thursday
    assert "10:00" in text and "10:45" in text
    save_pages(sheet, "week-de")


def test_nothing_is_printed_on_a_file_printer(qtbot: QtBot, desk: Desk, tmp_path: Path) -> None:
    busy_day(desk)
    screen = open_desk(desk)
    target = tmp_path / "job.pdf"

    def only_files(make: Callable[[], Sheet]) -> PrintOutcome:
        return send_sheet(make, printers=lambda: WINDOWS[:-1], open_printer=pdf_capture(target))

    screen.day_print.printer = only_files
    print_from_bar(qtbot, screen, "today")

    assert not target.exists()
    assert "Microsoft Print to PDF saves a file instead of printing" in screen.bar.feedback.text()


def book_25(service: BookingService) -> list[Booking]:
    """25 bookings of the first tablet over the next days (a day holds fewer)."""
    made: list[Booking] = []
    day = 0
    while len(made) < 25:
        for hour, minute in [(h, m) for h in (10, 11, 12, 14, 15, 16, 17) for m in (0, 30)]:
            start = at(hour, minute) + timedelta(days=day)
            outcome = service.book("tablet-1", start, 15, f"Besucher{len(made)}")
            if outcome.booking is not None:
                made.append(outcome.booking)
            if len(made) == 25:
                return made
        day += 1
    return made


def test_a_broken_device_lists_all_25_bookings_and_prints_them(
    qtbot: QtBot, desk: Desk, tmp_path: Path
) -> None:
    made = book_25(desk.service)
    screen = open_desk(desk)
    screen.show_device("tablet-1")
    panel = screen.device_panel
    target, sheets = tmp_path / "job.pdf", list[Sheet]()
    screen.day_print.printer = capture(target, sheets)

    tap(qtbot, panel.broken)

    assert "25 upcoming bookings are affected" in panel.message.text()
    assert len(panel.upcoming_buttons) == 25
    listed = " ".join(button.label.text() for button in panel.upcoming_buttons)  # type: ignore[attr-defined]
    assert all(booking.printed_code in listed for booking in made)
    tap(qtbot, panel.print_list)
    pages = pdf_pages_text(target.read_bytes())
    text = "\n".join("\n".join(page) for page in pages)
    assert all(booking.printed_code in text for booking in made)
    assert "Affected bookings: Android tablet" in text
    assert "Sent to EPSON TM-T20III Receipt." in panel.message.text()
    save_pages(sheets[0], "affected-en")


def test_one_touch_moves_a_booking_to_a_free_tablet_and_keeps_its_code(
    qtbot: QtBot, desk: Desk
) -> None:
    anna = desk.book("tablet-1", at(11), 30, "Anna")
    desk.book("tablet-2", at(11), 30, "Olena")  # the other tablet is taken at Anna's time
    bert = desk.book("tablet-1", at(14), 30, "Bert")
    screen = open_desk(desk)
    screen.show_device("tablet-1")
    panel = screen.device_panel
    tap(qtbot, panel.broken)

    assert panel.move_buttons(anna.id) == {}
    [move] = panel.move_buttons(bert.id).values()
    assert move.label.text() == "Move to iPad"  # type: ignore[attr-defined]
    tap(qtbot, move)

    moved = desk.service.booking(bert.code)
    assert moved is not None and moved.device_id == "tablet-2" and moved.code == bert.code
    assert (moved.start, moved.end) == (bert.start, bert.end)
    assert panel.message.text().endswith("Moved to iPad.")
    assert [b.id for b in panel.upcoming_list.bookings] == [anna.id]  # Bert left the list


@pytest.mark.parametrize("language", ["de", "ar"])
def test_the_device_panel_in_de_and_ar(qtbot: QtBot, desk: Desk, language: str) -> None:
    desk.book("tablet-1", at(11), 30, "Anna")
    desk.book("tablet-2", at(11), 30, "Olena")
    desk.book("tablet-1", at(14), 30, "مريم")
    screen = open_desk(desk, language)
    screen.show_device("tablet-1")
    tap(qtbot, screen.device_panel.broken)
    assert len(screen.device_panel.upcoming_buttons) == 2
    assert clipped_texts(screen.window()) == []
    keep_look(screen.window(), f"staff-broken-device-{language}")


def test_the_visitor_s_lookup_says_the_device_is_out_of_order(qtbot: QtBot, desk: Desk) -> None:
    anna = desk.book("tablet-1", at(14), 30, "Anna")
    desk.service.set_device_status("tablet-1", DeviceStatus.BROKEN)
    window = desk.kiosk.window
    window.start_session("en")
    qtbot.mouseClick(window.home.try_device, Qt.MouseButton.LeftButton)
    screen = window.screen_widget(Screen.TRY_DEVICE)
    assert isinstance(screen, BookingScreen)
    screen.open_lookup()
    lookup = screen.lookup_page
    lookup.look_up(anna.printed_code)

    assert lookup.step is Step.SHOWN
    assert lookup.news.isVisible()
    assert lookup.news.text() == (
        "This device is out of order at the moment. Please come to the desk, or book another slot."
    )
    desk.service.set_device_status("tablet-1", DeviceStatus.AVAILABLE)
    lookup.look_up(anna.printed_code)
    assert not lookup.news.isVisible()
