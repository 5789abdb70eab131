"""Printing a slip: never on a file printer, and on the slip's paper (A6 or the 80 mm roll)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtPrintSupport import QPrinter

from kiosk.ui.parts.printers import (
    PrinterDescription,
    PrintProblem,
    choose_printer,
    is_file_printer,
    send_slip,
)
from kiosk.ui.parts.printing import PageFormat, Slip, fit_slip

from .test_printing import CODE, LINES, MM, card, media_boxes, page_count

# What a fresh Windows 11 lists, with a receipt printer added by the administrator.
WINDOWS = [
    PrinterDescription("Microsoft Print to PDF", "Microsoft Print To PDF", is_default=True),
    PrinterDescription("Microsoft XPS Document Writer", "Microsoft XPS Document Writer v4"),
    PrinterDescription("OneNote (Desktop)", "Send to Microsoft OneNote 16 Driver"),
    PrinterDescription("Fax", "Microsoft Shared Fax Driver"),
    PrinterDescription("EPSON TM-T20III Receipt", "EPSON TM-T20III Receipt6"),
]
FILE_PRINTERS = [
    PrinterDescription("Microsoft Print to PDF", "Microsoft Print To PDF"),
    PrinterDescription("Microsoft XPS Document Writer", "Microsoft XPS Document Writer v4"),
    PrinterDescription("Send To OneNote 2016", "Send to Microsoft OneNote 16 Driver"),
    PrinterDescription("OneNote for Windows 10", "Microsoft Software Printer Driver"),
    PrinterDescription("Fax", "Microsoft Shared Fax Driver"),
    PrinterDescription("PDF", "Generic CUPS-PDF Printer (w/ options)"),
    PrinterDescription("Virtual_PDF_Printer", "Generic CUPS-PDF Printer"),
    PrinterDescription("Print to File", ""),
    PrinterDescription("Office_Fax", "HP Fax hpcups 3.22.10"),
    PrinterDescription("Adobe PDF", "Adobe PDF Converter"),
    PrinterDescription("PDF24", "PDF24"),
    PrinterDescription("Drucker", "", description="Als PDF speichern"),
]
REAL_PRINTERS = [
    PrinterDescription("Brother_HL_L2350DW", "Brother HL-L2350DW series, using brlaser v6"),
    # Driverless network printers that take PDF as their language print on paper.
    PrinterDescription("Buero", "Generic PDF Printer", is_remote=True),
    PrinterDescription("EPSON_TM_T20III", "EPSON TM BA Thermal"),
    PrinterDescription("HP_OfficeJet_Pro_9010", "HP OfficeJet Pro 9010 Series, hpcups 3.22.10"),
    PrinterDescription("Kyocera ECOSYS P2040dn", "Kyocera ECOSYS P2040dn KPDL", is_remote=True),
]
A6_POINTS = (105 * MM, 148 * MM)


@pytest.mark.parametrize("printer", FILE_PRINTERS, ids=lambda printer: printer.name)
def test_file_printers_are_recognised(printer: PrinterDescription) -> None:
    assert is_file_printer(printer)


@pytest.mark.parametrize("printer", REAL_PRINTERS, ids=lambda printer: printer.name)
def test_printers_that_print_on_paper_are_not_taken_for_file_printers(
    printer: PrinterDescription,
) -> None:
    assert not is_file_printer(printer)


def test_a_file_printer_as_the_default_is_passed_over_for_the_one_real_printer() -> None:
    choice = choose_printer(WINDOWS)
    assert choice.printer is not None
    assert choice.printer.name == "EPSON TM-T20III Receipt"
    assert choice.passed_over == "Microsoft Print to PDF"


def test_a_real_default_printer_is_used() -> None:
    printers = [*WINDOWS[:-1], PrinterDescription("Buero", "Generic PDF Printer", is_default=True)]
    printers[0] = PrinterDescription("Microsoft Print to PDF", "Microsoft Print To PDF")
    printers.append(REAL_PRINTERS[0])
    choice = choose_printer(printers)
    assert choice.printer is not None and choice.printer.name == "Buero"
    assert choice.problem is None


def test_only_file_printers_means_nothing_is_printed() -> None:
    choice = choose_printer(WINDOWS[:-1])
    assert choice.printer is None
    assert choice.problem is PrintProblem.FILE_PRINTER
    assert choice.passed_over == "Microsoft Print to PDF"


def test_several_real_printers_behind_a_file_printer_default_are_not_guessed_between() -> None:
    choice = choose_printer([*WINDOWS, REAL_PRINTERS[0]])
    assert choice.printer is None
    assert choice.problem is PrintProblem.FILE_PRINTER


def test_several_real_printers_and_no_default_say_so() -> None:
    choice = choose_printer(REAL_PRINTERS[:2])
    assert choice.printer is None
    assert choice.problem is PrintProblem.NO_DEFAULT


def test_no_printer_at_all() -> None:
    assert choose_printer([]).problem is PrintProblem.NO_PRINTER


def test_a_slip_is_never_sent_to_a_file_printer(qapp: object) -> None:
    opened: list[str] = []

    def open_printer(printer: PrinterDescription) -> QPrinter | None:
        opened.append(printer.name)
        return QPrinter()

    outcome = send_slip(
        lambda _name: card(), printers=lambda: WINDOWS[:-1], open_printer=open_printer
    )

    assert not outcome.printed
    assert outcome.problem is PrintProblem.FILE_PRINTER
    assert opened == []


def pdf_capture(target: Path) -> Callable[[PrinterDescription], QPrinter]:
    """The printer the job goes to, captured as a PDF (a real printer would print the same)."""

    def open_printer(_printer: PrinterDescription) -> QPrinter:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(target))
        return printer

    return open_printer


def test_an_a6_slip_is_printed_on_a6_paper_portrait(qapp: object, tmp_path: Path) -> None:
    target = tmp_path / "job.pdf"
    names: list[str] = []

    def make(name: str) -> Slip:
        names.append(name)
        return card(PageFormat.A6)

    outcome = send_slip(make, printers=lambda: WINDOWS, open_printer=pdf_capture(target))

    assert outcome.printed and outcome.paper_set
    assert outcome.printer == names[0] == "EPSON TM-T20III Receipt"
    pdf = target.read_bytes()
    assert page_count(pdf) == 1
    [(width, height)] = media_boxes(pdf)
    assert width == pytest.approx(A6_POINTS[0], abs=1)  # not A4 (595) or Letter (612)
    assert height == pytest.approx(A6_POINTS[1], abs=1)


def test_a_receipt_is_printed_80_mm_wide_and_as_long_as_its_content(
    qapp: object, tmp_path: Path
) -> None:
    target = tmp_path / "job.pdf"
    slip = card(PageFormat.RECEIPT)

    outcome = send_slip(
        lambda _name: slip, printers=lambda: WINDOWS, open_printer=pdf_capture(target)
    )

    assert outcome.printed and outcome.paper_set
    [(width, height)] = media_boxes(target.read_bytes())
    assert width == pytest.approx(80 * MM, abs=0.5)
    content = fit_slip(slip, QPrinter(QPrinter.PrinterMode.HighResolution))
    dpi = QPrinter(QPrinter.PrinterMode.HighResolution).logicalDpiY()
    assert height == pytest.approx(content.height / dpi * 72, abs=1)
    assert 80 * MM < height < 297 * MM  # portrait, and no A4 length of paper wasted


def test_a_slip_too_long_for_its_paper_is_not_printed(qapp: object, tmp_path: Path) -> None:
    target = tmp_path / "job.pdf"
    slip = Slip(title="Test", code=CODE, qr_payload=CODE, lines=LINES * 40)

    outcome = send_slip(
        lambda _name: slip, printers=lambda: WINDOWS, open_printer=pdf_capture(target)
    )

    assert outcome.problem is PrintProblem.TOO_LONG
    assert not target.exists()
