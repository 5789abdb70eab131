"""Which printer gets a slip, and sending it there on the slip's own paper (A6 or 80 mm roll).

A "printer" that saves a file (Microsoft Print to PDF, XPS Document Writer, OneNote, Fax,
CUPS-PDF, Print to File) would open a save dialog on Windows or leave files with a visitor's
slip somewhere on the disk; the kiosk never prints to one. The choice is a pure function over
printer descriptions (read from Qt's QPrinterInfo by ``installed_printers``), so it is tested
with a made-up printer list.

The system's default printer is used when it is a real one. When the default is a file printer
(a fresh Windows makes "Microsoft Print to PDF" the default) and exactly one real printer is
installed, that one is used: nobody could mean another. With several real printers and a file
printer (or none) as the default, the kiosk does not guess and says so.

The print job gets the slip's paper size (``slip_paper`` / ``card_paper`` in the site config),
portrait, without margins: the layout alone does not make a printer feed A6 or cut an 80 mm
receipt at the slip's length.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum

from PySide6.QtGui import QPainter
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

from kiosk.ui.parts.printing import (
    Slip,
    SlipTooLongError,
    fit_slip,
    paint_slip,
    slip_page_layout,
)

log = logging.getLogger(__name__)

# Marks of a file printer in a queue's name, description or driver (make and model).
_FILE_PRINTER_MARKS = re.compile(
    r"print\s*to\s*(pdf|file)"
    r"|\bxps\b|document\s*writer|\bonenote\b|\b(pc-?)?fax\b"
    r"|cups-?pdf|virtual\s*pdf|pdf\s*creator|pdfcreator|pdf24|bullzip|cutepdf|\bnovapdf\b"
    r"|\bdopdf\b|adobe\s*pdf|foxit\s*(pdf|reader|phantom)|microsoft\s*print\s*to",
    re.IGNORECASE,
)
# A queue *named* after PDF is a file printer (CUPS-PDF's queue is called "PDF"). A driver
# called "Generic PDF Printer" is not: it drives real printers that take PDF as their language.
_PDF_NAME = re.compile(r"\bpdf\b", re.IGNORECASE)


@dataclass(frozen=True)
class PrinterDescription:
    """What the system says about one installed printer."""

    name: str
    make_and_model: str = ""
    description: str = ""
    location: str = ""
    is_default: bool = False
    is_remote: bool = False  # a network queue: fine, as long as it prints on paper


class PrintProblem(Enum):
    """Why nothing was printed."""

    NO_PRINTER = "no_printer"  # no printer is installed
    FILE_PRINTER = "file_printer"  # only file printers, or one is the default among real ones
    NO_DEFAULT = "no_default"  # several real printers and none is the default
    FAILED = "failed"  # the printer did not take the job
    TOO_LONG = "too_long"  # the slip's texts do not fit on its paper


@dataclass(frozen=True)
class PrinterChoice:
    """The printer to use, or why there is none (and which file printer was passed over)."""

    printer: PrinterDescription | None
    problem: PrintProblem | None = None
    passed_over: str = ""  # the name of the file printer that is the default, if any


def is_file_printer(printer: PrinterDescription) -> bool:
    """Whether ``printer`` writes a file (PDF, XPS, OneNote, fax) instead of printing on paper."""
    texts = (printer.name, printer.description, printer.make_and_model)
    if any(_FILE_PRINTER_MARKS.search(text) for text in texts):
        return True
    return any(_PDF_NAME.search(text) for text in (printer.name, printer.description))


def choose_printer(printers: Sequence[PrinterDescription]) -> PrinterChoice:
    """The printer a slip goes to: the default if it prints on paper, else the only real one."""
    real = [printer for printer in printers if not is_file_printer(printer)]
    default = next((printer for printer in printers if printer.is_default), None)
    if default is not None and default in real:
        return PrinterChoice(default)
    passed_over = default.name if default is not None else ""
    if len(real) == 1:
        return PrinterChoice(real[0], passed_over=passed_over)
    if len(real) > 1:
        # Which of several is meant is the administrator's call, made by setting the default.
        problem = PrintProblem.FILE_PRINTER if passed_over else PrintProblem.NO_DEFAULT
        return PrinterChoice(None, problem, passed_over)
    if printers:
        return PrinterChoice(None, PrintProblem.FILE_PRINTER, passed_over or printers[0].name)
    return PrinterChoice(None, PrintProblem.NO_PRINTER)


def describe(info: QPrinterInfo, *, is_default: bool = False) -> PrinterDescription:
    """One installed printer as the choice sees it."""
    return PrinterDescription(
        name=info.printerName(),
        make_and_model=info.makeAndModel(),
        description=info.description(),
        location=info.location(),
        is_default=is_default or info.isDefault(),
        is_remote=info.isRemote(),
    )


def installed_printers() -> list[PrinterDescription]:
    """Every printer the system knows (CUPS on Linux, the spooler on Windows)."""
    default = QPrinterInfo.defaultPrinterName()
    return [
        describe(info, is_default=bool(default) and info.printerName() == default)
        for info in QPrinterInfo.availablePrinters()
    ]


class PrintFailedError(RuntimeError):
    """The printer did not take the job."""


@dataclass(frozen=True)
class PrintOutcome:
    """What became of a print: the printer used, or why nothing was printed."""

    printer: str = ""  # the name of the printer used ("" when none was chosen)
    problem: PrintProblem | None = None
    passed_over: str = ""  # a file printer that is the system's default, not used
    paper_set: bool = True  # False: the printer would not take the slip's paper size

    @property
    def printed(self) -> bool:
        return self.problem is None


def not_printed_text(gettext: Callable[[str], str], outcome: PrintOutcome, too_long: str) -> str:
    """Why nothing came out of the printer, for staff, in plain words; ``too_long``: what the
    caller says when its printout does not fit the paper."""
    _ = gettext
    problem = outcome.problem or PrintProblem.FAILED
    if problem is PrintProblem.TOO_LONG:
        return too_long
    reason = {
        PrintProblem.NO_PRINTER: _("Not printed: no printer is set up on this terminal."),
        PrintProblem.FILE_PRINTER: _(
            "Not printed: {printer} saves a file instead of printing. Make a real printer "
            "the default (administrator)."
        ),
        PrintProblem.NO_DEFAULT: _(
            "Not printed: several printers are set up and none is the default (administrator)."
        ),
        PrintProblem.FAILED: _(
            "Not printed: {printer} did not take the job. Is it switched on, with paper?"
        ),
    }[problem]
    return reason.format(printer=outcome.printer or outcome.passed_over)


def print_on(printer: QPrinter, slip: Slip) -> bool:
    """Print ``slip`` as one page on ``printer``, with the slip's paper size set on the job.

    Returns whether the printer took the paper size (A6, or 80 mm wide and as long as the
    slip); when it does not, the slip is printed on the paper it has. Raises SlipTooLongError
    when the texts do not fit, PrintFailedError when the printer does not take the job.
    """
    printer.setFullPage(True)
    printer.setDocName("Probierladen Kiosk")  # never the slip's title: a queue lists it
    layout = fit_slip(slip, printer)
    wanted = slip_page_layout(slip, layout, printer.logicalDpiY())
    paper_set = printer.setPageLayout(wanted) and printer.pageLayout().pageSize().isEquivalentTo(
        wanted.pageSize()
    )
    painter = QPainter()
    if not painter.begin(printer):
        raise PrintFailedError("the printer did not take the job")
    try:
        paint_slip(painter, layout)
    finally:
        ended = painter.end()
    if not ended:
        raise PrintFailedError("the printer did not finish the job")
    return paper_set


def open_system_printer(printer: PrinterDescription) -> QPrinter | None:
    """The installed printer as a QPrinter; None when Qt says it writes a file after all."""
    info = QPrinterInfo.printerInfo(printer.name)
    if info.isNull():
        raise PrintFailedError("the printer is no longer installed")
    job = QPrinter(info, QPrinter.PrinterMode.HighResolution)
    if job.outputFormat() is not QPrinter.OutputFormat.NativeFormat or job.outputFileName():
        return None
    return job


def send_slip(
    make_slip: Callable[[str], Slip],
    *,
    printers: Callable[[], Sequence[PrinterDescription]] = installed_printers,
    open_printer: Callable[[PrinterDescription], QPrinter | None] = open_system_printer,
) -> PrintOutcome:
    """Print the slip ``make_slip`` makes (given the chosen printer's name) on the printer
    choose_printer picks from ``printers``; never on a file printer."""
    choice = choose_printer(printers())
    if choice.printer is None:
        problem = choice.problem or PrintProblem.NO_PRINTER
        log.warning("nothing printed: %s %s", problem.value, choice.passed_over)
        return PrintOutcome(problem=problem, passed_over=choice.passed_over)
    name = choice.printer.name
    try:
        job = open_printer(choice.printer)
        if job is None:
            log.warning("nothing printed: %s writes a file", name)
            return PrintOutcome(name, PrintProblem.FILE_PRINTER, name)
        paper_set = print_on(job, make_slip(name))
    except SlipTooLongError:
        return PrintOutcome(name, PrintProblem.TOO_LONG, choice.passed_over)
    except PrintFailedError as error:
        log.warning("nothing printed on %s: %s", name, error)
        return PrintOutcome(name, PrintProblem.FAILED, choice.passed_over)
    if not paper_set:
        log.warning("the printer %s did not take the slip's paper size", name)
    return PrintOutcome(name, None, choice.passed_over, paper_set)


def print_slip(slip: Slip) -> bool:
    """Send the slip to the chosen printer (see choose_printer); False when nothing printed."""
    return send_slip(lambda _printer: slip).printed


def printer_state() -> str:
    """The chosen printer's state for the health report: ready, busy, error, or none."""
    chosen = choose_printer(installed_printers()).printer
    info = QPrinterInfo() if chosen is None else QPrinterInfo.printerInfo(chosen.name)
    if info.isNull():
        return "none"
    return {
        QPrinter.PrinterState.Idle: "ready",
        QPrinter.PrinterState.Active: "busy",
    }.get(info.state(), "error")
