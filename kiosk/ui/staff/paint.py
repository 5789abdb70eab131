"""Drawing shared by the staff desk's painted day and week views.

Colours per booking and device status, device names with their status badge, the colour key
and the hatching for closed hours look the same in both views. A status is never told by colour
alone: pending and released bookings have a dashed edge, provisional ones (booked while the hub
could not be reached) are hatched, and a conflict carries a "!" wherever it is drawn.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import QStyle

from kiosk.core.bookings import BookingStatus, DeviceStatus
from kiosk.ui import theme

ROW_HEIGHT = 56  # a row is a touch target of its own (≥ 48 px)
MAX_ROW_HEIGHT = 96
PAD = 8
LEGEND_LINE = 26
SMALL_SCALE = 0.7  # painted text relative to the screen's body text
TITLE_SCALE = 0.75
BADGE_SCALE = 0.62

SOFT_SUCCESS = "#E1F0E5"
SOFT_DANGER = "#F8E1E2"
PENDING_EDGE = "#8A5A00"
HATCH_ALPHA = 90  # light enough that the text on a hatched block stays readable


@dataclass(frozen=True)
class Look:
    """How one booking status or device status is drawn: fill, text and edge."""

    fill: str
    text: str
    edge: str
    dashed: bool = False
    hatched: bool = False  # thin diagonal lines over the fill, in the edge's colour


BOOKING_LOOKS: dict[BookingStatus, Look] = {
    BookingStatus.CONFIRMED: Look(theme.PRIMARY, theme.ON_PRIMARY, theme.PRIMARY),
    BookingStatus.PENDING: Look(theme.NOTICE, theme.ON_NOTICE, PENDING_EDGE, dashed=True),
    BookingStatus.CHECKED_IN: Look(theme.SUCCESS, theme.ON_PRIMARY, theme.SUCCESS),
    BookingStatus.NO_SHOW: Look(SOFT_DANGER, theme.DANGER, theme.DANGER, dashed=True),
    BookingStatus.CANCELLED: Look(
        theme.DISABLED_BG, theme.DISABLED_TEXT, theme.BORDER, dashed=True
    ),
    BookingStatus.PROVISIONAL: Look(
        theme.PRIMARY_SOFT, theme.ON_PRIMARY_SOFT, theme.PRIMARY, dashed=True, hatched=True
    ),
    BookingStatus.CONFLICT: Look(theme.DANGER, theme.ON_PRIMARY, theme.DANGER),
}
CONFLICT_SIGN = "!"  # before a conflict's time on the timeline and in the lists
DEVICE_LOOKS: dict[DeviceStatus, Look] = {
    DeviceStatus.AVAILABLE: Look(SOFT_SUCCESS, theme.SUCCESS, theme.SUCCESS),
    DeviceStatus.NEEDS_WIPING: Look(theme.NOTICE, theme.ON_NOTICE, PENDING_EDGE),
    DeviceStatus.BROKEN: Look(SOFT_DANGER, theme.DANGER, theme.DANGER),
    DeviceStatus.IN_REPAIR: Look(theme.DISABLED_BG, theme.TEXT_MUTED, theme.BORDER),
}
# Text colours on the fills above, for the contrast test (WCAG 1.4.3, ≥ 4.5:1).
TEXT_PAIRS: tuple[tuple[str, str, str], ...] = tuple(
    (f"booking {status.value}", look.text, look.fill) for status, look in BOOKING_LOOKS.items()
) + tuple((f"device {status.value}", look.text, look.fill) for status, look in DEVICE_LOOKS.items())


@dataclass(frozen=True)
class TimelineRow:
    """One device: its name and its status badge, already in the staff member's language."""

    device_id: str
    title: str
    badge: str
    status: DeviceStatus


def small_font(base: QFont, scale: float = SMALL_SCALE, *, bold: bool = False) -> QFont:
    font = QFont(base)
    font.setPointSizeF(max(9.0, base.pointSizeF() * scale))
    font.setBold(bold)
    return font


def header_width(rows: Sequence[TimelineRow], base: QFont, total: int) -> int:
    """Width of the device column: the longest name or badge, at most 30 % of the widget."""
    title = QFontMetrics(small_font(base, TITLE_SCALE, bold=True))
    badge = QFontMetrics(small_font(base, BADGE_SCALE))
    widest = max(
        (
            max(title.horizontalAdvance(row.title), badge.horizontalAdvance(row.badge) + 16)
            for row in rows
        ),
        default=120,
    )
    # a few pixels of slack: text exactly as wide as its room gets elided by Qt
    return max(120, min(widest + 2 * PAD + 4, int(total * 0.3)))


def paint_row_header(painter: QPainter, rect: QRect, row: TimelineRow, base: QFont) -> None:
    """Device name (elided to fit) and its status badge, aligned to the reading direction."""
    painter.save()
    title_font = small_font(base, TITLE_SCALE, bold=True)
    badge_font = small_font(base, BADGE_SCALE)
    title_metrics = QFontMetrics(title_font)
    badge_metrics = QFontMetrics(badge_font)
    used = title_metrics.height() + 2 + badge_metrics.height() + 2
    inner = rect.adjusted(PAD, max(2, (rect.height() - used) // 2), -PAD, -2)
    painter.setFont(title_font)
    painter.setPen(QColor(theme.TEXT))
    title_rect = QRect(inner.left(), inner.top(), inner.width(), title_metrics.height())
    painter.drawText(
        title_rect,
        int(Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignVCenter),
        title_metrics.elidedText(row.title, Qt.TextElideMode.ElideRight, inner.width()),
    )
    badge_text = badge_metrics.elidedText(
        row.badge, Qt.TextElideMode.ElideRight, inner.width() - 16
    )
    width = badge_metrics.horizontalAdvance(badge_text) + 16
    height = badge_metrics.height() + 2
    badge = QRect(inner.left(), title_rect.bottom() + 3, width, height)
    badge = QStyle.visualRect(painter.layoutDirection(), inner, badge)
    look = DEVICE_LOOKS[row.status]
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setPen(QPen(QColor(look.edge), 1))
    painter.setBrush(QColor(look.fill))
    painter.drawRoundedRect(badge, height / 2, height / 2)
    painter.setFont(badge_font)
    painter.setPen(QColor(look.text))
    painter.drawText(badge, int(Qt.AlignmentFlag.AlignCenter), badge_text)
    painter.restore()


def paint_legend(
    painter: QPainter, area: QRect, legend: Sequence[tuple[Look, str]], base: QFont
) -> int:
    """The colour key, flowing over as many lines as needed; returns the height used."""
    font = small_font(base, BADGE_SCALE)
    metrics = QFontMetrics(font)
    x, y = 0, 0
    painter.save()
    painter.setFont(font)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    for look, text in legend:
        item = 16 + 6 + metrics.horizontalAdvance(text) + 14
        if x and x + item > area.width():
            x, y = 0, y + LEGEND_LINE
        logical = QRect(area.left() + x, area.top() + y, item, LEGEND_LINE)
        swatch = QRect(logical.left(), logical.top() + 5, 16, 16)
        words = QRect(logical.left() + 22, logical.top(), item - 22, LEGEND_LINE)
        direction = painter.layoutDirection()
        fill_look(painter, QStyle.visualRect(direction, area, swatch), look, radius=4)
        painter.setPen(QColor(theme.TEXT))
        painter.drawText(
            QStyle.visualRect(direction, area, words),
            int(Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignVCenter),
            text,
        )
        x += item
    painter.restore()
    return y + LEGEND_LINE if legend else 0


def legend_height(legend: Sequence[tuple[Look, str]], base: QFont, width: int) -> int:
    metrics = QFontMetrics(small_font(base, BADGE_SCALE))
    x, lines = 0, 1
    for _look, text in legend:
        item = 16 + 6 + metrics.horizontalAdvance(text) + 14
        if x and x + item > width:
            x, lines = 0, lines + 1
        x += item
    return lines * LEGEND_LINE if legend else 0


def fill_look(
    painter: QPainter, rect: QRect, look: Look, *, radius: float, alpha: int = 255
) -> None:
    fill = QColor(look.fill)
    fill.setAlpha(alpha)
    edge = QColor(look.edge)
    edge.setAlpha(alpha)
    pen = QPen(edge, 2 if look.dashed else 1)
    if look.dashed:
        pen.setStyle(Qt.PenStyle.DashLine)
    painter.setPen(pen)
    painter.setBrush(fill)
    painter.drawRoundedRect(rect.adjusted(1, 1, -1, -1), radius, radius)
    if look.hatched:
        lines = QColor(look.edge)
        lines.setAlpha(min(alpha, HATCH_ALPHA))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QBrush(lines, Qt.BrushStyle.BDiagPattern))
        painter.drawRoundedRect(rect.adjusted(2, 2, -2, -2), radius, radius)


def paint_closed(painter: QPainter, rect: QRect) -> None:
    """Hatching for time nobody can book (closed hours, an unavailable device)."""
    painter.save()
    colour = QColor(theme.BORDER)
    colour.setAlpha(70)
    painter.fillRect(rect, QBrush(colour, Qt.BrushStyle.BDiagPattern))
    painter.restore()


# A 12-hour clock's day period at the end of a time ("AM", "PM", "ص", "م"): no digit in it.
_DAY_PERIOD = re.compile(r"[\s\u202f]+[^\d\s]+$")


def fitted_lines(
    time: str, name: str, code: str, width: int, bold: QFontMetrics, plain: QFontMetrics
) -> list[tuple[bool, str]]:
    """What of a block's time, name and code fits into ``width`` (bold first line or nothing):
    a wide block says "10:00 Anna" over "K7P-MR3", a narrow one "10:00" over "An…" (and the
    code below where the row is tall enough), a sliver says nothing (the panel tells the rest
    when it is tapped)."""
    joined = f"{time} {name}"
    if bold.horizontalAdvance(joined) <= width:
        lines = [(True, joined)]
        if plain.horizontalAdvance(code) <= width:
            lines.append((False, code))
        return lines
    if bold.horizontalAdvance(time) > width:
        # "10:00 AM", "10:00 ص": the day period goes first (the axis above says it).
        time = _DAY_PERIOD.sub("", time)
        if bold.horizontalAdvance(time) > width:
            return []
    lines = [(True, time)]
    shown = plain.elidedText(name, Qt.TextElideMode.ElideRight, width)
    if shown == name or len(shown.rstrip("…")) >= 3:
        lines.append((False, shown))
    if plain.horizontalAdvance(code) <= width:
        lines.append((False, code))  # shown when the row is tall enough
    return lines
