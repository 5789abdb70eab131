"""A4 lists for the desk (today's bookings, the week's plan): a table laid out in pages, printed.

A sheet is a title, a few lines under it, and a table whose rows are already translated by the
caller. The table is laid out for the paint device it goes to (its resolution decides the pixel
sizes), broken into pages that each repeat the column headings, and painted the same way on a
printer and on a QImage (a preview, and tests that look at it). In a right-to-left language the
first column is on the right and every cell starts at its right edge.

Nothing is written to disk: the job goes to the site's printer (the same choice as the slips,
kiosk.ui.parts.printers.choose_printer), never to a file printer.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from PySide6.QtCore import QLineF, QMarginsF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QImage,
    QPageLayout,
    QPageSize,
    QPaintDevice,
    QPainter,
    QPen,
    QTextLayout,
    QTextOption,
)
from PySide6.QtPrintSupport import QPrinter

from kiosk.ui import theme
from kiosk.ui.parts.printers import (
    PrinterDescription,
    PrintFailedError,
    PrintOutcome,
    PrintProblem,
    choose_printer,
    installed_printers,
    open_system_printer,
)
from kiosk.ui.parts.printing import MM_PER_INCH, break_lines, ensure_fonts, is_right_to_left
from kiosk.ui.parts.screen_base import reading_direction

log = logging.getLogger(__name__)

A4_MM = (210.0, 297.0)
MARGIN_MM = 12.0
CELL_PAD_MM = 1.6
_TITLE_PT = 16.0
_LINE_PT = 10.0
_HEAD_PT = 9.5
_CELL_PT = 10.0
_FOOT_PT = 8.5
_HEAD_SHADE = QColor(225, 225, 225)
_RULE = QColor(120, 120, 120)


@dataclass(frozen=True)
class Sheet:
    """What goes on a printed list; every text is already in the staff member's language."""

    title: str
    lines: tuple[str, ...]  # under the title: the site, the day or week, when it was printed
    columns: tuple[str, ...]  # the column headings
    widths: tuple[float, ...]  # each column's share of the page's width
    rows: tuple[tuple[str, ...], ...]  # one text per column; "\n" starts a new line in a cell
    empty: str = ""  # said instead of the table when there are no rows
    page_text: str = "{page}/{pages}"  # the footer, e.g. "Page {page} of {pages}"
    landscape: bool = False  # the week's plan: seven days side by side
    right_to_left: bool = False  # the staff member's reading direction


@dataclass
class SheetText:
    """One laid-out text on a page and where its layout's top-left corner goes."""

    layout: QTextLayout
    origin: QPointF

    def text(self) -> str:
        return self.layout.text().replace("\u2028", "\n")


@dataclass
class SheetPage:
    """What one page shows, in device pixels of the device it was laid out for."""

    texts: list[SheetText] = field(default_factory=list)
    rules: list[QLineF] = field(default_factory=list)
    shades: list[QRectF] = field(default_factory=list)


def _font(point_size: float, *, bold: bool = False) -> QFont:
    font = QFont()
    font.setFamilies(list(theme.FONT_FAMILIES))
    font.setPointSizeF(point_size)
    font.setBold(bold)
    font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    return font


def _laid_out(
    text: str, font: QFont, device: QPaintDevice, width: float, *, right_to_left: bool
) -> tuple[QTextLayout, float]:
    """``text`` broken into lines ``width`` wide, starting on the sheet's reading side; its
    own direction comes from its first strong character (a code or a Latin name stays LTR)."""
    layout = QTextLayout(text.replace("\n", "\u2028"), font, device)
    side = Qt.AlignmentFlag.AlignRight if right_to_left else Qt.AlignmentFlag.AlignLeft
    option = QTextOption(side | Qt.AlignmentFlag.AlignAbsolute)
    own = is_right_to_left(text) if text.strip() else right_to_left
    option.setTextDirection(reading_direction(own))
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    layout.setTextOption(option)
    return layout, break_lines(layout, width)


def page_size_mm(sheet: Sheet) -> tuple[float, float]:
    """A4, portrait or landscape."""
    width, height = A4_MM
    return (height, width) if sheet.landscape else (width, height)


class _Pages:
    """Pages filled from the top; a new one when the next block does not fit."""

    def __init__(self, sheet: Sheet, device: QPaintDevice) -> None:
        self.sheet = sheet
        self.device = device
        self.px = device.logicalDpiY() / MM_PER_INCH
        width_mm, height_mm = page_size_mm(sheet)
        self.left = MARGIN_MM * self.px
        self.inner = (width_mm - 2 * MARGIN_MM) * self.px
        footer = _laid_out("0", _font(_FOOT_PT), device, self.inner, right_to_left=False)[1]
        self.bottom = (height_mm - MARGIN_MM) * self.px - footer - 2 * self.px
        self.pages: list[SheetPage] = []
        self.top = 0.0
        self._pending: list[tuple[QTextLayout, float]] = []
        self._pending_heading = False
        self.new_page()

    @property
    def page(self) -> SheetPage:
        return self.pages[-1]

    def new_page(self) -> None:
        self.pages.append(SheetPage())
        self.top = MARGIN_MM * self.px

    def text(self, text: str, font: QFont, *, gap_mm: float) -> None:
        rtl = self.sheet.right_to_left
        layout, height = _laid_out(text, font, self.device, self.inner, right_to_left=rtl)
        if self.top + height > self.bottom and self.page.texts:
            self.new_page()
        self.page.texts.append(SheetText(layout, QPointF(self.left, self.top)))
        self.top += height + gap_mm * self.px

    def column_edges(self) -> list[tuple[float, float]]:
        """Each column's left edge and width, the first column on the reading side."""
        total = sum(self.sheet.widths) or 1.0
        edges: list[tuple[float, float]] = []
        x = 0.0
        for share in self.sheet.widths:
            width = self.inner * share / total
            left = self.left + (self.inner - x - width if self.sheet.right_to_left else x)
            edges.append((left, width))
            x += width
        return edges

    def row(self, cells: Sequence[str], font: QFont, *, heading: bool = False) -> float:
        """Lay one table row out; returns its height (nothing placed yet)."""
        pad = CELL_PAD_MM * self.px
        self._pending = []
        height = 0.0
        rtl = self.sheet.right_to_left
        for (left, width), text in zip(self.column_edges(), cells, strict=True):
            layout, text_height = _laid_out(
                text, font, self.device, max(1.0, width - 2 * pad), right_to_left=rtl
            )
            self._pending.append((layout, left + pad))
            height = max(height, text_height)
        self._pending_heading = heading
        return height + 2 * pad

    def place_row(self, height: float) -> None:
        pad = CELL_PAD_MM * self.px
        page = self.page
        if self._pending_heading:
            page.shades.append(QRectF(self.left, self.top, self.inner, height))
        for layout, left in self._pending:
            page.texts.append(SheetText(layout, QPointF(left, self.top + pad)))
        self.top += height
        page.rules.append(QLineF(self.left, self.top, self.left + self.inner, self.top))


def layout_sheet(sheet: Sheet, device: QPaintDevice) -> list[SheetPage]:
    """The sheet laid out on A4 pages for ``device``; the table's headings on every page."""
    ensure_fonts()
    pages = _Pages(sheet, device)
    pages.text(sheet.title, _font(_TITLE_PT, bold=True), gap_mm=1.5)
    for line in sheet.lines:
        pages.text(line, _font(_LINE_PT), gap_mm=0.8)
    pages.top += 3 * pages.px
    if not sheet.rows:
        pages.text(sheet.empty, _font(_CELL_PT), gap_mm=0)
    head_font, cell_font = _font(_HEAD_PT, bold=True), _font(_CELL_PT)

    def heading() -> None:
        height = pages.row(sheet.columns, head_font, heading=True)
        pages.page.rules.append(QLineF(pages.left, pages.top, pages.left + pages.inner, pages.top))
        pages.place_row(height)

    if sheet.rows:
        heading()
    for cells in sheet.rows:
        height = pages.row(cells, cell_font)
        if pages.top + height > pages.bottom:
            pages.new_page()
            heading()
            height = pages.row(cells, cell_font)
        pages.place_row(height)

    count = len(pages.pages)
    if count > 1:  # one page needs no numbers
        for number, page in enumerate(pages.pages, start=1):
            text = sheet.page_text.format(page=number, pages=count)
            layout, _height = _laid_out(
                text, _font(_FOOT_PT), device, pages.inner, right_to_left=sheet.right_to_left
            )
            page.texts.append(SheetText(layout, QPointF(pages.left, pages.bottom + 2 * pages.px)))
    return pages.pages


def paint_page(painter: QPainter, page: SheetPage) -> None:
    """Paint one laid-out page: black on white, the headings shaded, thin rules between rows."""
    painter.save()
    for shade in page.shades:
        painter.fillRect(shade, _HEAD_SHADE)
    pen = QPen(_RULE)
    pen.setWidthF(max(1.0, painter.device().logicalDpiY() / 300))
    painter.setPen(pen)
    for rule in page.rules:
        painter.drawLine(rule)
    painter.setPen(QColor(0, 0, 0))
    for text in page.texts:
        text.layout.draw(painter, text.origin)
    painter.restore()


def render_sheet_images(sheet: Sheet, dpi: int = 100) -> list[QImage]:
    """Each page of the sheet as an image at ``dpi`` (the same layout and painting as print)."""
    dots = round(dpi / MM_PER_INCH * 1000)
    width_mm, height_mm = page_size_mm(sheet)
    images = []
    probe = QImage(1, 1, QImage.Format.Format_RGB32)
    probe.setDotsPerMeterX(dots)
    probe.setDotsPerMeterY(dots)
    for page in layout_sheet(sheet, probe):
        image = QImage(
            round(width_mm / MM_PER_INCH * dpi),
            round(height_mm / MM_PER_INCH * dpi),
            QImage.Format.Format_RGB32,
        )
        image.setDotsPerMeterX(dots)
        image.setDotsPerMeterY(dots)
        image.fill(QColor(255, 255, 255))
        painter = QPainter(image)
        try:
            paint_page(painter, page)
        finally:
            painter.end()
        images.append(image)
    return images


def sheet_page_layout(sheet: Sheet) -> QPageLayout:
    """A4 in the sheet's orientation, without margins (the sheet keeps its own)."""
    page = QPageLayout(
        QPageSize(QPageSize.PageSizeId.A4),
        QPageLayout.Orientation.Landscape if sheet.landscape else QPageLayout.Orientation.Portrait,
        QMarginsF(0, 0, 0, 0),
        QPageLayout.Unit.Millimeter,
    )
    page.setMode(QPageLayout.Mode.FullPageMode)
    return page


def print_sheet_on(printer: QPrinter, sheet: Sheet) -> bool:
    """Print every page of ``sheet`` on ``printer`` (A4 set on the job); whether the printer
    took A4. Raises PrintFailedError when the printer does not take the job."""
    printer.setFullPage(True)
    printer.setDocName("Probierladen Kiosk")  # never the sheet's title: a queue lists it
    wanted = sheet_page_layout(sheet)
    paper_set = printer.setPageLayout(wanted) and printer.pageLayout().pageSize().isEquivalentTo(
        wanted.pageSize()
    )
    pages = layout_sheet(sheet, printer)
    painter = QPainter()
    if not painter.begin(printer):
        raise PrintFailedError("the printer did not take the job")
    try:
        for number, page in enumerate(pages):
            if number and not printer.newPage():
                raise PrintFailedError("the printer did not take the next page")
            paint_page(painter, page)
    finally:
        ended = painter.end()
    if not ended:
        raise PrintFailedError("the printer did not finish the job")
    return paper_set


SheetPrinter = Callable[[Callable[[], Sheet]], PrintOutcome]
"""Prints the sheet a function makes and says what became of it (tests capture it as PDF)."""


def send_sheet(
    make_sheet: Callable[[], Sheet],
    *,
    printers: Callable[[], Sequence[PrinterDescription]] = installed_printers,
    open_printer: Callable[[PrinterDescription], QPrinter | None] = open_system_printer,
) -> PrintOutcome:
    """Print the sheet ``make_sheet`` makes on the printer choose_printer picks from
    ``printers``; never on a file printer."""
    choice = choose_printer(printers())
    if choice.printer is None:
        problem = choice.problem or PrintProblem.NO_PRINTER
        log.warning("list not printed: %s %s", problem.value, choice.passed_over)
        return PrintOutcome(problem=problem, passed_over=choice.passed_over)
    name = choice.printer.name
    try:
        job = open_printer(choice.printer)
        if job is None:
            log.warning("list not printed: %s writes a file", name)
            return PrintOutcome(name, PrintProblem.FILE_PRINTER, name)
        paper_set = print_sheet_on(job, make_sheet())
    except PrintFailedError as error:
        log.warning("list not printed on %s: %s", name, error)
        return PrintOutcome(name, PrintProblem.FAILED, choice.passed_over)
    if not paper_set:
        log.warning("the printer %s did not take A4", name)
    return PrintOutcome(name, None, choice.passed_over, paper_set)
