"""Icons drawn by the kiosk itself (a globe, a speaker, a contrast sign): the same on every
terminal whatever its fonts hold, sharp on high-density screens, in the colour asked for."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPen, QPixmap


def drawn_icon(
    draw: Callable[[QPainter, float], None],
    size: int,
    colour: str,
    *,
    line_width: float,
    filled: bool = False,
) -> QIcon:
    """An icon of `size` px: `draw(painter, size)` paints with a pen of `colour` and
    `line_width` (and a brush of that colour when `filled`)."""
    ratio = 2  # drawn at twice the size: sharp on high-density screens too
    pixmap = QPixmap(size * ratio, size * ratio)
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    pen = QPen(QColor(colour))
    pen.setWidthF(line_width)
    painter.setPen(pen)
    if filled:
        painter.setBrush(QColor(colour))
    draw(painter, float(size))
    painter.end()
    return QIcon(pixmap)
