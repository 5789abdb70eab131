"""Printable slips (resume card, booking slip): laid out once, painted to PDF or image.

A slip is a title, one big code, the code's QR, a note (e.g. "valid until …") and a few lines of
explanation, all already translated by the caller; it never carries personal data. The same
layout and painting serve the PDF (QPdfWriter, A6 portrait or 80 mm receipt paper) and a QImage
(for a preview on screen and for tests that read the QR back).

The QR payload of a resume card is the plain code, ``K7PM-R3XJ``: it fits the smallest QR
version (alphanumeric mode), so it stays readable when printed small or worn, and a USB or
camera scanner at the kiosk simply types it into the code field like a keyboard would.

Text follows its own script's direction line by line, so Arabic and Persian lines run right to
left even on a German card. The code itself is always left to right.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from PySide6.QtCore import QMarginsF, QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QFontMetricsF,
    QImage,
    QPageLayout,
    QPageSize,
    QPaintDevice,
    QPainter,
    QPdfWriter,
    QTextLayout,
    QTextOption,
)

from kiosk import resources
from kiosk.storage.files import atomic_path
from kiosk.ui import theme
from kiosk.ui.parts.qr import paint_qr, qr_matrix
from kiosk.ui.parts.screen_base import reading_direction

PDF_DPI = 300
MM_PER_INCH = 25.4
A6_MM = (105.0, 148.0)
RECEIPT_WIDTH_MM = 80.0
_MIN_SCALE = 0.55  # smaller than this and the slip would be hard to read: refuse instead


class PageFormat(Enum):
    """The paper a slip is printed on."""

    A6 = "a6"  # 105 × 148 mm, portrait: office printers, card stock
    RECEIPT = "receipt"  # 80 mm wide thermal receipt roll, as long as the content


@dataclass(frozen=True)
class _Style:
    margin_mm: float
    gap_mm: float
    title_pt: float
    code_pt: float
    qr_mm: float
    note_pt: float
    line_pt: float


_STYLES = {
    PageFormat.A6: _Style(
        margin_mm=8, gap_mm=4, title_pt=15, code_pt=30, qr_mm=38, note_pt=11, line_pt=10.5
    ),
    PageFormat.RECEIPT: _Style(
        margin_mm=4, gap_mm=3.5, title_pt=14, code_pt=26, qr_mm=36, note_pt=10.5, line_pt=10
    ),
}


@dataclass(frozen=True)
class Slip:
    """What goes on a printed slip; every text is already in the visitor's language."""

    title: str
    code: str  # printed big, e.g. "K7PM-R3XJ"
    qr_payload: str  # what the QR code holds (for a resume card: the code itself)
    note: str = ""  # under the QR code, e.g. "Valid until 30 August 2026"
    lines: tuple[str, ...] = ()  # a few short explanations, one paragraph each
    page: PageFormat = PageFormat.A6


class SlipWriteError(OSError):
    """The slip could not be written; no file (not even a partial one) was left behind."""


class SlipTooLongError(ValueError):
    """The texts do not fit on the page even in the smallest allowed type size."""


@dataclass
class SlipText:
    """One laid-out paragraph of a slip and where it goes."""

    layout: QTextLayout
    rect: QRectF
    right_to_left: bool


@dataclass
class SlipQr:
    """The QR code of a slip: its modules, top-left corner and whole pixels per module."""

    matrix: list[list[bool]]
    origin: QPointF
    module: int

    @property
    def rect(self) -> QRectF:
        side = len(self.matrix) * self.module
        return QRectF(self.origin.x(), self.origin.y(), side, side)


@dataclass
class SlipLayout:
    """Where everything goes on one slip, in device pixels of the device it was laid out for."""

    width: float
    height: float
    scale: float
    title: SlipText
    code: SlipText
    qr: SlipQr
    note: SlipText | None
    lines: list[SlipText] = field(default_factory=list)


def is_right_to_left(text: str) -> bool:
    """Whether the first strongly directional character of ``text`` is right-to-left."""
    for character in text:
        direction = unicodedata.bidirectional(character)
        if direction in ("R", "AL"):
            return True
        if direction == "L":
            return False
    return False


def ensure_fonts() -> None:
    """Make sure the shipped fonts are registered (the app does it at start; a CLI may not)."""
    if theme.FONT_FAMILIES[0] not in QFontDatabase.families():
        theme.register_fonts(resources.FONTS)


def _font(point_size: float, *, bold: bool = False) -> QFont:
    font = QFont()
    font.setFamilies(list(theme.FONT_FAMILIES))
    font.setPointSizeF(point_size)
    font.setBold(bold)
    font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    return font


def _text_block(
    text: str,
    font: QFont,
    device: QPaintDevice,
    *,
    left: float,
    top: float,
    width: float,
    centred: bool,
    direction: Qt.LayoutDirection | None = None,
) -> SlipText:
    right_to_left = (
        is_right_to_left(text)
        if direction is None
        else (direction == Qt.LayoutDirection.RightToLeft)
    )
    # QTextLayout breaks lines only at U+2028, not at "\n" (Leichte Sprache's sentence breaks).
    layout = QTextLayout(text.replace("\n", "\u2028"), font, device)
    # A line starts at its own script's side: QTextLayout does not mirror AlignLeft by itself.
    if centred:
        alignment = Qt.AlignmentFlag.AlignHCenter
    elif right_to_left:
        alignment = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignAbsolute
    else:
        alignment = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignAbsolute
    option = QTextOption(alignment)
    option.setTextDirection(reading_direction(right_to_left))
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    layout.setTextOption(option)
    height = break_lines(layout, width)
    return SlipText(layout, QRectF(left, top, width, height), right_to_left)


def break_lines(layout: QTextLayout, width: float) -> float:
    """Lay ``layout`` out in lines ``width`` wide, one under the other; their total height."""
    layout.beginLayout()
    height = 0.0
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(width)
        line.setPosition(QPointF(0, height))
        height += line.height()
    layout.endLayout()
    return height


def layout_slip(slip: Slip, device: QPaintDevice, *, scale: float = 1.0) -> SlipLayout:
    """Lay the slip out for ``device`` (its resolution decides the pixel sizes)."""
    ensure_fonts()
    style = _STYLES[slip.page]
    px_per_mm = device.logicalDpiY() / MM_PER_INCH
    page_width_mm = RECEIPT_WIDTH_MM if slip.page is PageFormat.RECEIPT else A6_MM[0]
    width = page_width_mm * px_per_mm
    margin = style.margin_mm * px_per_mm
    gap = style.gap_mm * px_per_mm * scale
    inner = width - 2 * margin
    top = margin

    title = _text_block(
        slip.title,
        _font(style.title_pt * scale, bold=True),
        device,
        left=margin,
        top=top,
        width=inner,
        centred=True,
    )
    bottom = title.rect.bottom()
    top = bottom + gap

    code_font = _font(style.code_pt * scale, bold=True)
    code_font.setLetterSpacing(QFont.SpacingType.PercentageSpacing, 108)
    advance = QFontMetricsF(code_font, device).horizontalAdvance(slip.code)
    if advance > inner:  # a long booking code on receipt paper: smaller, never cut off
        code_font.setPointSizeF(code_font.pointSizeF() * inner / advance * 0.98)
    code = _text_block(
        slip.code,
        code_font,
        device,
        left=margin,
        top=top,
        width=inner,
        centred=True,
        direction=Qt.LayoutDirection.LeftToRight,
    )
    bottom = code.rect.bottom()
    top = bottom + gap * 0.5

    matrix = qr_matrix(slip.qr_payload)
    # Whole device pixels per module: crisp in the PDF and in images alike.
    module = max(1, int(style.qr_mm * scale * px_per_mm / len(matrix)))
    side = module * len(matrix)
    qr = SlipQr(matrix, QPointF(round((width - side) / 2), round(top)), module)
    bottom = qr.rect.bottom()
    top = bottom + gap * 0.5

    note = None
    if slip.note:
        note = _text_block(
            slip.note,
            _font(style.note_pt * scale),
            device,
            left=margin,
            top=top,
            width=inner,
            centred=True,
        )
        bottom = note.rect.bottom()
        top = bottom + gap

    lines = []
    line_font = _font(style.line_pt * scale)
    for text in slip.lines:
        block = _text_block(
            text, line_font, device, left=margin, top=top, width=inner, centred=False
        )
        lines.append(block)
        bottom = block.rect.bottom()
        top = bottom + gap * 0.4

    return SlipLayout(
        width=width,
        height=bottom + margin,
        scale=scale,
        title=title,
        code=code,
        qr=qr,
        note=note,
        lines=lines,
    )


def page_size(slip: Slip, layout: SlipLayout, dpi: float) -> QPageSize:
    """A6, or 80 mm receipt paper exactly as long as the content."""
    if slip.page is PageFormat.A6:
        return QPageSize(QPageSize.PageSizeId.A6)
    height_mm = math.ceil(layout.height / dpi * MM_PER_INCH * 10) / 10
    return QPageSize(
        QSizeF(RECEIPT_WIDTH_MM, height_mm),
        QPageSize.Unit.Millimeter,
        "Receipt 80 mm",
        QPageSize.SizeMatchPolicy.ExactMatch,
    )


def slip_page_layout(slip: Slip, layout: SlipLayout, dpi: float) -> QPageLayout:
    """The slip's paper, portrait, without margins (the slip keeps its own inside the page)."""
    page = QPageLayout(
        page_size(slip, layout, dpi),
        QPageLayout.Orientation.Portrait,
        QMarginsF(0, 0, 0, 0),
        QPageLayout.Unit.Millimeter,
    )
    # A printer's minimum margins must not move the slip: it was laid out from the page's edge.
    page.setMode(QPageLayout.Mode.FullPageMode)
    return page


def fit_slip(slip: Slip, device: QPaintDevice) -> SlipLayout:
    """The layout at full size, or smaller type when an A6 card would overflow."""
    if slip.page is PageFormat.RECEIPT:
        return layout_slip(slip, device)
    available = A6_MM[1] / MM_PER_INCH * device.logicalDpiY()
    scale = 1.0
    while scale >= _MIN_SCALE:
        layout = layout_slip(slip, device, scale=scale)
        if layout.height <= available:
            return layout
        scale = round(scale - 0.05, 2)
    raise SlipTooLongError("the texts do not fit on an A6 card; shorten them")


def paint_slip(painter: QPainter, layout: SlipLayout) -> None:
    """Paint a laid-out slip: black on white, whatever the screen theme."""
    painter.save()
    painter.setPen(QColor(0, 0, 0))
    blocks = [layout.title, layout.code, *([layout.note] if layout.note else []), *layout.lines]
    for block in blocks:
        block.layout.draw(painter, block.rect.topLeft())
    paint_qr(painter, layout.qr.matrix, layout.qr.origin, layout.qr.module)
    painter.restore()


def _dots_per_metre(dpi: float) -> int:
    return round(dpi / MM_PER_INCH * 1000)


def render_slip_image(slip: Slip, dpi: int = 150) -> QImage:
    """The slip as an image at ``dpi``, the same layout and painting as the PDF."""
    probe = QImage(1, 1, QImage.Format.Format_RGB32)
    probe.setDotsPerMeterX(_dots_per_metre(dpi))
    probe.setDotsPerMeterY(_dots_per_metre(dpi))
    layout = fit_slip(slip, probe)
    # From millimetres, not QPageSize.sizePixels(): Qt keeps A6 in whole points (297 × 420),
    # which would make the image 2 px narrower than the layout at 150 dpi.
    size_mm = page_size(slip, layout, dpi).size(QPageSize.Unit.Millimeter)
    width = round(size_mm.width() / MM_PER_INCH * dpi)
    height = round(size_mm.height() / MM_PER_INCH * dpi)
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.setDotsPerMeterX(_dots_per_metre(dpi))
    image.setDotsPerMeterY(_dots_per_metre(dpi))
    image.fill(QColor(255, 255, 255))
    painter = QPainter(image)
    try:
        paint_slip(painter, layout)
    finally:
        painter.end()
    return image


def _write_pdf(target: Path, slip: Slip) -> None:
    writer = QPdfWriter(str(target))
    writer.setResolution(PDF_DPI)
    writer.setCreator("Probierladen Kiosk")
    writer.setTitle(slip.title)
    layout = fit_slip(slip, writer)
    writer.setPageLayout(slip_page_layout(slip, layout, PDF_DPI))
    painter = QPainter()
    if not painter.begin(writer):
        raise SlipWriteError(f"could not start writing the PDF {target.name}")
    try:
        paint_slip(painter, layout)
    finally:
        ended = painter.end()
    if not ended:
        raise SlipWriteError(f"could not finish writing the PDF {target.name}")
    del writer  # closes the file before it is checked, synced and renamed


def write_slip_pdf(path: Path, slip: Slip) -> Path:
    """Write the slip as a one-page PDF at ``path``, all or nothing.

    It is written under a temporary name in the same folder and renamed into place when
    complete, so a failed write never leaves a half-written PDF for the printer to pick up.
    Raises SlipWriteError (an OSError) when the folder cannot be written.
    """
    path = Path(path)
    try:
        # 0644: the print spooler must read it (a slip holds a code, never a name).
        with atomic_path(path, mode=0o644) as partial:
            _write_pdf(partial, slip)
            if not partial.read_bytes().rstrip().endswith(b"%%EOF"):
                raise SlipWriteError(f"the PDF {path.name} came out incomplete (disk full?)")
    except SlipWriteError:
        raise
    except OSError as error:
        raise SlipWriteError(f"cannot write {path}: {error.strerror or error}") from error
    return path
