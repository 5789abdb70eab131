"""QR codes painted with QPainter: crisp black modules on white, for the screen and for print.

The matrix comes from ``qrcode`` (error correction M, a quiet zone of four modules included);
no PIL is involved. Modules are drawn as one path of whole-pixel rectangles without
antialiasing, so no grey seams appear between them on screen, in images or in PDF viewers.
"""

from __future__ import annotations

import math

import qrcode
from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPainterPath, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget
from qrcode.constants import ERROR_CORRECT_M

QUIET_ZONE_MODULES = 4
_DARK = QColor(0, 0, 0)
_LIGHT = QColor(255, 255, 255)
_PREFERRED_MODULE_PX = 8


def qr_matrix(text: str) -> list[list[bool]]:
    """The modules of the smallest QR code holding ``text``, quiet zone included (True = dark)."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=QUIET_ZONE_MODULES)
    code.add_data(text)
    code.make(fit=True)
    return [[bool(module) for module in row] for row in code.get_matrix()]


def qr_path(matrix: list[list[bool]], module: float, origin: QPointF | None = None) -> QPainterPath:
    """The dark modules as one path; each run of dark modules in a row is one rectangle."""
    path = QPainterPath()
    path.setFillRule(Qt.FillRule.WindingFill)
    x0, y0 = (origin.x(), origin.y()) if origin is not None else (0.0, 0.0)
    for y, row in enumerate(matrix):
        x = 0
        while x < len(row):
            if not row[x]:
                x += 1
                continue
            start = x
            while x < len(row) and row[x]:
                x += 1
            path.addRect(QRectF(x0 + start * module, y0 + y * module, (x - start) * module, module))
    return path


def paint_qr(painter: QPainter, matrix: list[list[bool]], origin: QPointF, module: float) -> None:
    """Paint white background (quiet zone included) and black modules at ``origin``."""
    side = len(matrix) * module
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.fillRect(QRectF(origin.x(), origin.y(), side, side), _LIGHT)
    painter.setBrush(_DARK)
    painter.drawPath(qr_path(matrix, module, origin))
    painter.restore()


def qr_image(text: str, module_px: int) -> QImage:
    """The QR code of ``text`` as an 8-bit grey image, ``module_px`` pixels per module."""
    if module_px < 1:
        raise ValueError("a module needs at least one pixel")
    matrix = qr_matrix(text)
    side = len(matrix) * module_px
    image = QImage(side, side, QImage.Format.Format_Grayscale8)
    image.fill(_LIGHT)
    painter = QPainter(image)
    try:
        paint_qr(painter, matrix, QPointF(0, 0), module_px)
    finally:
        painter.end()
    return image


class QrCodeWidget(QWidget):
    """Shows a QR code as large as fits, in whole device pixels per module, black on white.

    The colours ignore the theme on purpose: scanners need dark modules on a light ground.
    """

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._text = ""
        self._label = ""
        self._matrix: list[list[bool]] = []
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.set_text(text)

    def text(self) -> str:
        return self._text

    def set_text(self, text: str) -> None:
        """Show the QR code of ``text`` (an empty text shows an empty white square)."""
        self._text = text
        self._matrix = qr_matrix(text) if text else []
        self._update_accessible_name()
        self.updateGeometry()
        self.update()

    def set_accessible_label(self, label: str) -> None:
        """What the code is for, already translated ("QR code of your resume code")."""
        self._label = label
        self._update_accessible_name()

    def modules(self) -> int:
        """Modules per side, quiet zone included (0 without a text)."""
        return len(self._matrix)

    def sizeHint(self) -> QSize:
        side = max(self.modules(), 29) * _PREFERRED_MODULE_PX
        return QSize(side, side)

    def minimumSizeHint(self) -> QSize:
        side = max(self.modules(), 29) * 2
        return QSize(side, side)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return width

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        try:
            painter.fillRect(self.rect(), _LIGHT)
            if not self._matrix:
                return
            # Whole device pixels per module, also on a display scaled by 125 % or 150 %.
            ratio = self.devicePixelRatioF()
            painter.scale(1 / ratio, 1 / ratio)
            width, height = self.width() * ratio, self.height() * ratio
            count = len(self._matrix)
            module = max(1, math.floor(min(width, height) / count))
            side = module * count
            origin = QPointF(math.floor((width - side) / 2), math.floor((height - side) / 2))
            paint_qr(painter, self._matrix, origin, module)
        finally:
            painter.end()

    def _update_accessible_name(self) -> None:
        parts = [part for part in (self._label, self._text) if part]
        self.setAccessibleName(": ".join(parts))
