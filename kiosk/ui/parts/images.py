"""Pictures drawn at the size shown: course pictures off the UI thread, within limits.

Course pictures come from packages (authors, the hub) and may have changed since they were
checked, so each is checked again right before it is drawn (`picture_problem`), and drawn in a
worker: a QImage at the size it is shown (an SVG rendered onto it, a raster decoded with
`QImageReader.setScaledSize`, which JPEG decodes at a fraction of its size). Until it is ready
the label shows a calm placeholder; a picture that must not be drawn shows its description in
a frame instead. Pictures the site itself provides (device photos) are drawn at once.
"""

from __future__ import annotations

import functools
import html
import itertools
import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSize, Qt, QThreadPool
from PySide6.QtGui import QColor, QImage, QImageReader, QPainter, QPixmap
from PySide6.QtWidgets import QLabel

from kiosk.core.courses.safety import picture_problem
from kiosk.ui import theme
from kiosk.ui.parts.background import run_in_background

log = logging.getLogger(__name__)
_REQUEST = "pictureRequest"  # the label property naming the newest picture asked for
_requests = itertools.count(1)
# Requests still to be drawn; the worker skips one a newer request for its label replaced.
# (Set operations are atomic under the interpreter lock.)
_in_flight: set[int] = set()
# The label property by which the app-wide sheet frames a missing picture's description (so
# the frame follows the visitor's high-contrast switch).
_MISSING = "pictureMissing"


def _placeholder(size: QSize) -> QPixmap:
    pixmap = QPixmap(size)
    pixmap.fill(QColor(theme.colours().primary_soft))
    return pixmap


def draw_picture(path: Path, pixels: QSize, *, check: bool = True) -> QImage | None:
    """The picture fitted into `pixels` (aspect kept); None if it must not or cannot be drawn.

    Safe on any thread. `QImageReader` decodes (and renders an SVG) at the fitted size, and
    PySide lets other threads run Python meanwhile; `QSvgRenderer.render` would hold the
    interpreter, and with it the UI, for as long as the picture takes (seconds, for an SVG of
    thousands of overlapping shapes). With `check`, the file is held to the course limits
    first. An SVG comes centred on a transparent canvas of `pixels`; a raster at its fitted
    size.
    """
    if check:
        problem = picture_problem(path)
        if problem is not None:
            log.warning("picture not drawn (%s): %s", problem, path.name)
            return None
    reader = QImageReader(str(path))
    reader.setAutoTransform(True)
    size = reader.size()  # from the header: nothing is decoded yet
    if size.isValid() and not size.isEmpty():
        reader.setScaledSize(size.scaled(pixels, Qt.AspectRatioMode.KeepAspectRatio))
    image = reader.read()
    if image.isNull():
        log.warning("picture could not be read: %s", path.name)
        return None
    if image.width() > pixels.width() or image.height() > pixels.height():
        # (A photo turned by its EXIF orientation was fitted before turning.)
        image = image.scaled(
            pixels, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
        )
    if path.suffix.lower() != ".svg":
        return image
    canvas = QImage(pixels, QImage.Format.Format_ARGB32_Premultiplied)
    canvas.fill(Qt.GlobalColor.transparent)
    painter = QPainter(canvas)
    x, y = (pixels.width() - image.width()) // 2, (pixels.height() - image.height()) // 2
    painter.drawImage(x, y, image)
    painter.end()
    return canvas


def cover_pixmap(path: Path | None, size: QSize, ratio: float = 1.0) -> QPixmap:
    """A picture the site provides (a device photo), fitted into `size` at once; a calm
    placeholder if there is none or it is unusable."""
    if path is None:
        return _placeholder(size)
    pixels = QSize(round(size.width() * ratio), round(size.height() * ratio))
    image = draw_picture(path, pixels, check=False)
    if image is None:
        return _placeholder(size)
    pixmap = QPixmap.fromImage(image)
    pixmap.setDevicePixelRatio(ratio)
    return pixmap


def show_course_picture(label: QLabel, path: Path | None, size: QSize, alt: str = "") -> None:
    """Show a course picture on `label` at `size`: a placeholder now, the picture once a
    worker has drawn it; its description `alt` in a frame if it must not be drawn.

    Asking again (another step) makes an answer still on its way to be dropped; a label that
    is gone by then gets nothing.
    """
    request = _new_request(label)
    label.setPixmap(_placeholder(size))
    if path is None:
        return
    ratio = label.devicePixelRatioF()
    pixels = QSize(round(size.width() * ratio), round(size.height() * ratio))

    def shown(image: QImage | None) -> None:
        if label.property(_REQUEST) != request:
            return  # the label shows another picture by now
        if image is None:
            if alt:  # (a cover has none: its placeholder stays)
                show_missing(label, alt)
            return
        pixmap = QPixmap.fromImage(image)
        pixmap.setDevicePixelRatio(ratio)
        label.setPixmap(pixmap)

    _in_flight.add(request)

    def draw() -> QImage | None:
        try:
            # A visitor paging on quickly leaves pictures nobody will see: skip them.
            return draw_picture(path, pixels) if request in _in_flight else None
        finally:
            _in_flight.discard(request)

    run_in_background(label, draw, shown, pool=_pool())


def check_course_picture(label: QLabel, path: Path, alt: str, usable: Callable[[], None]) -> None:
    """Check a course picture off the UI thread, then call `usable()` on the UI thread, or
    show `alt` in a frame on `label` if it must not be drawn (for animations, which Qt plays
    on the UI thread frame by frame, bounded by the limits)."""
    request = _new_request(label)

    def checked(problem: str | None) -> None:
        if label.property(_REQUEST) != request:
            return
        if problem is not None:
            log.warning("picture not drawn (%s): %s", problem, path.name)
            show_missing(label, alt)
            return
        usable()

    run_in_background(label, lambda: picture_problem(path), checked, pool=_pool())


def forget_picture(label: QLabel) -> None:
    """Drop any picture still being drawn for `label`, and its framed description."""
    _new_request(label)
    label.clear()


def _new_request(label: QLabel) -> int:
    """A number for the picture `label` is to show now; the one before is no longer drawn."""
    request = next(_requests)
    _in_flight.discard(label.property(_REQUEST) or 0)
    label.setProperty(_REQUEST, request)
    _clear_missing(label)
    return request


@functools.cache
def _pool() -> QThreadPool:
    """One thread of its own draws pictures, one after the other: a slow picture never takes
    the threads of the hub calls, and two never compete for the terminal's few cores."""
    pool = QThreadPool()
    pool.setMaxThreadCount(1)
    return pool


def show_missing(label: QLabel, alt: str) -> None:
    """The picture's description, as plain text, in a frame where the picture would be."""
    label.clear()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    _set_missing(label, True)
    label.setText(alt)


def _clear_missing(label: QLabel) -> None:
    if label.property(_MISSING):
        _set_missing(label, False)
        label.clear()


def _set_missing(label: QLabel, missing: bool) -> None:
    label.setProperty(_MISSING, missing)
    # Qt matches a property selector when the widget is polished: polish it again.
    label.style().unpolish(label)
    label.style().polish(label)


def plain_tooltip(text: str) -> str:
    """A tooltip showing `text` as typed: Qt reads any tooltip that looks like HTML as rich
    text, so it gets escaped rich text (which Qt shows literally)."""
    return f"<p>{html.escape(text, quote=False)}</p>" if text else ""
