"""Course pictures as pixmaps: SVG rendered sharp at the screen's pixel ratio, raster scaled."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImageReader, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

from kiosk.ui import theme

log = logging.getLogger(__name__)


def _placeholder(size: QSize) -> QPixmap:
    pixmap = QPixmap(size)
    pixmap.fill(QColor(theme.PRIMARY_SOFT))
    return pixmap


def cover_pixmap(path: Path | None, size: QSize, ratio: float = 1.0) -> QPixmap:
    """The picture fitted into `size` (aspect kept, centred); a calm placeholder if unusable."""
    pixels = QSize(round(size.width() * ratio), round(size.height() * ratio))
    if path is None:
        return _placeholder(size)
    if path.suffix.lower() == ".svg":
        renderer = QSvgRenderer(str(path))
        if not renderer.isValid():
            log.warning("picture could not be drawn: %s", path.name)
            return _placeholder(size)
        canvas = QPixmap(pixels)
        canvas.fill(Qt.GlobalColor.transparent)
        fitted = renderer.defaultSize().scaled(pixels, Qt.AspectRatioMode.KeepAspectRatio)
        painter = QPainter(canvas)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        x = (pixels.width() - fitted.width()) / 2
        y = (pixels.height() - fitted.height()) / 2
        renderer.render(painter, QRectF(x, y, fitted.width(), fitted.height()))
        painter.end()
        canvas.setDevicePixelRatio(ratio)
        return canvas
    reader = QImageReader(str(path))
    reader.setAutoTransform(True)
    image = reader.read()
    if image.isNull():
        log.warning("picture could not be read: %s", path.name)
        return _placeholder(size)
    pixmap = QPixmap.fromImage(image).scaled(
        pixels, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
    )
    pixmap.setDevicePixelRatio(ratio)
    return pixmap
