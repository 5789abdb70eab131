"""A day of device bookings at a glance: one painted row per device over the opening hours.

Staff at the desk read it from a step away: each device is a row with its name and status
badge; each booking is a block coloured by its status, with its time, name and code, and the
turnaround after it (charging, wiping) drawn lighter; a red line marks the present. Tapping a
block chooses the booking, tapping a row chooses the device. The lunch break and other closed
hours between opening ranges are shown as a narrow hatched gap instead of wasting width.
Right-to-left languages get the whole picture mirrored: time runs from right to left.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from PySide6.QtCore import QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import (
    QAccessible,
    QBrush,
    QColor,
    QFocusEvent,
    QFontMetrics,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QResizeEvent,
)
from PySide6.QtWidgets import QStyle, QWidget

from kiosk.core.bookings import BookingStatus
from kiosk.core.bookings.records import ACTIVE
from kiosk.ui import theme
from kiosk.ui.parts.accessible_parts import Part, parts_changed
from kiosk.ui.parts.accessible_role import set_accessible_role
from kiosk.ui.staff.paint import (
    BOOKING_LOOKS,
    MAX_ROW_HEIGHT,
    PAD,
    ROW_HEIGHT,
    TITLE_SCALE,
    Look,
    TimelineRow,
    fill_look,
    fitted_lines,
    header_width,
    legend_height,
    paint_closed,
    paint_legend,
    paint_row_header,
    small_font,
)
from kiosk.ui.staff.timeline_parts import timeline_parts

AXIS_HEIGHT = 28
GAP_PX = 16  # closed hours between two opening ranges


@dataclass(frozen=True)
class TimelineBlock:
    """One booking on the timeline: its time, name and code are shown as far as they fit."""

    booking_id: int
    device_id: str
    start: datetime
    end: datetime
    buffer_end: datetime
    status: BookingStatus
    time: str
    name: str
    code: str
    description: str  # the whole booking in words, for screen readers
    blocked: bool = False  # staff hold the device (a block): hatched, its reason as the name

    @property
    def active(self) -> bool:
        """It holds its time (a conflict, cancellation or no-show does not)."""
        return self.status in ACTIVE


@dataclass(frozen=True)
class TimelineDay:
    """Everything one day's timeline shows; the screen fills it in the staff's language."""

    rows: tuple[TimelineRow, ...] = ()
    blocks: tuple[TimelineBlock, ...] = ()
    opening: tuple[tuple[datetime, datetime], ...] = ()
    now: datetime | None = None  # set when the day shown is today
    time_text: Callable[[datetime], str] = field(default=lambda moment: f"{moment:%H:%M}")
    closed_text: str = ""
    legend: tuple[tuple[Look, str], ...] = ()
    # A free time of a device in words for screen readers: (device, from, to).
    free_text: Callable[[str, str, str], str] = field(
        default=lambda device, start, end: f"{device}: free from {start} to {end}"
    )


@dataclass
class _Placed:
    block: TimelineBlock
    rect: QRect  # logical (left-to-right) coordinates
    buffer: QRect
    strip: bool  # drawn as a thin strip: an inactive booking under an active one


class DayTimeline(QWidget):
    """The painted day: rows of devices, blocks of bookings, the turnaround and a now line."""

    booking_chosen = Signal(int)
    """A booking was tapped (or chosen with the keyboard); its id."""
    device_chosen = Signal(str)
    """A device row was tapped outside any booking; the device id."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        set_accessible_role(self, QAccessible.Role.Chart)
        self._day = TimelineDay()
        self._selected: int | None = None
        self._placed: list[_Placed] = []
        self._segments: list[tuple[datetime, datetime, int, int]] = []
        self._header = 120
        self._row_h = ROW_HEIGHT
        self._update_height()

    # -- data ------------------------------------------------------------------------------

    def set_day(self, day: TimelineDay) -> None:
        """Show another day (or the same day refreshed); the selection stays if it still exists."""
        self._day = day
        if self._selected is not None and self.block(self._selected) is None:
            self._selected = None
        self.select(self._selected)
        self._relayout()

    @property
    def day(self) -> TimelineDay:
        return self._day

    def block(self, booking_id: int) -> TimelineBlock | None:
        return next((b for b in self._day.blocks if b.booking_id == booking_id), None)

    @property
    def selected_booking(self) -> int | None:
        return self._selected

    def select(self, booking_id: int | None) -> None:
        """Mark a booking as the chosen one (None: no booking chosen)."""
        self._selected = booking_id if booking_id is None or self.block(booking_id) else None
        chosen = self.block(self._selected) if self._selected is not None else None
        # Without a chosen booking a screen reader hears the whole day, booking by booking.
        every = "; ".join(b.description for b in self._day.blocks) or self._day.closed_text
        self.setAccessibleDescription(chosen.description if chosen else every)
        parts_changed(self)
        self.update()

    def block_rect(self, booking_id: int) -> QRect:
        """Where the booking's block is drawn (empty if it is not on the timeline)."""
        for placed in self._placed:
            if placed.block.booking_id == booking_id:
                return self._visual(placed.rect)
        return QRect()

    def row_rect(self, device_id: str) -> QRect:
        """The device's name and badge (tap target for the device)."""
        for index, row in enumerate(self._day.rows):
            if row.device_id == device_id:
                return self._visual(self._row_header(index))
        return QRect()

    # -- geometry --------------------------------------------------------------------------

    def _rows_bottom(self) -> int:
        return AXIS_HEIGHT + len(self._day.rows) * self._row_h

    def _legend_height(self) -> int:
        return legend_height(self._day.legend, self.font(), max(200, self.width() - 2 * PAD))

    def _update_height(self) -> None:
        rows = AXIS_HEIGHT + len(self._day.rows) * ROW_HEIGHT
        self.setMinimumHeight(rows + PAD + self._legend_height() + PAD)

    def _fit_rows(self) -> int:
        """Rows grow into spare height (a big screen): taller targets, room for more text."""
        if not self._day.rows:
            return ROW_HEIGHT
        spare = self.height() - AXIS_HEIGHT - self._legend_height() - 2 * PAD
        return max(ROW_HEIGHT, min(MAX_ROW_HEIGHT, spare // len(self._day.rows)))

    def sizeHint(self) -> QSize:
        return QSize(800, self.minimumHeight())

    def _visual(self, rect: QRect) -> QRect:
        return QStyle.visualRect(self.layoutDirection(), self.rect(), rect)

    def _row_header(self, index: int) -> QRect:
        return QRect(0, AXIS_HEIGHT + index * self._row_h, self._header, self._row_h)

    def _content(self) -> tuple[int, int]:
        return self._header + PAD, self.width() - PAD

    def _relayout(self) -> None:
        self._header = header_width(self._day.rows, self.font(), self.width())
        self._update_height()
        self._row_h = self._fit_rows()
        self._segments = self._make_segments()
        self._placed = self._place_blocks()
        self._update_height()
        parts_changed(self)
        self.update()

    def _make_segments(self) -> list[tuple[datetime, datetime, int, int]]:
        """The opening ranges (widened to every booking) and where each is drawn."""
        spans = sorted(
            [*self._day.opening, *((b.start, b.end) for b in self._day.blocks)],
            key=lambda span: span[0],
        )
        merged: list[list[datetime]] = []
        for start, end in spans:
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        if not merged:
            return []
        left, right = self._content()
        seconds = sum((end - start).total_seconds() for start, end in merged)
        room = max(1, right - left - GAP_PX * (len(merged) - 1))
        segments = []
        x = float(left)
        for start, end in merged:
            width = room * (end - start).total_seconds() / seconds
            segments.append((start, end, round(x), round(x + width)))
            x += width + GAP_PX
        return segments

    def x_of(self, moment: datetime) -> int:
        """Logical x of a moment (in a gap: the end of the range before it)."""
        if not self._segments:
            return self._content()[0]
        for start, end, x0, x1 in self._segments:
            if moment < start:
                return x0
            if moment <= end:
                share = (moment - start).total_seconds() / max(1, (end - start).total_seconds())
                return round(x0 + share * (x1 - x0))
        return self._segments[-1][3]

    def _place_blocks(self) -> list[_Placed]:
        rows = {row.device_id: index for index, row in enumerate(self._day.rows)}
        active = [b for b in self._day.blocks if b.active]
        placed = []
        # Active bookings first: they are what the desk acts on, and they win a tap.
        ordered = sorted(self._day.blocks, key=lambda b: (not b.active, b.start))
        for block in ordered:
            index = rows.get(block.device_id)
            if index is None:
                continue
            top = AXIS_HEIGHT + index * self._row_h
            x0, x1 = self.x_of(block.start), self.x_of(block.end)
            x1 = max(x1, x0 + 6)
            strip = not block.active and any(
                other.device_id == block.device_id
                and other.start < block.end
                and block.start < other.end
                for other in active
            )
            if strip:
                rect = QRect(x0, top + self._row_h - 14, x1 - x0, 10)
            else:
                rect = QRect(x0, top + 6, x1 - x0, self._row_h - 12)
            buffer_x1 = max(x1, self.x_of(block.buffer_end))
            buffer = QRect(x1, rect.top(), buffer_x1 - x1, rect.height())
            placed.append(_Placed(block, rect, buffer, strip))
        return placed

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._relayout()
        super().resizeEvent(event)

    # -- screen readers --------------------------------------------------------------------

    def accessible_parts(self) -> list[Part]:
        """Each device, booking and free time as a part a screen reader can read and press."""
        return timeline_parts(self)

    # -- painting --------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        try:
            self._paint(painter)
        finally:
            painter.end()

    def _paint(self, painter: QPainter) -> None:
        day = self._day
        painter.fillRect(self.rect(), QColor(theme.SURFACE))
        left, right = self._content()
        bottom = self._rows_bottom()
        for index, row in enumerate(day.rows):
            band = QRect(0, AXIS_HEIGHT + index * self._row_h, self.width(), self._row_h)
            if index % 2:
                painter.fillRect(self._visual(band), QColor(theme.BACKGROUND))
            if not row.status.lendable:
                paint_closed(painter, self._visual(band.adjusted(left, 0, 0, 0)))
            painter.setPen(QPen(QColor(theme.PRIMARY_SOFT), 1))
            painter.drawLine(0, band.bottom(), self.width(), band.bottom())
            paint_row_header(painter, self._visual(self._row_header(index)), row, self.font())
        if not self._segments:
            area = QRect(left, AXIS_HEIGHT, right - left, bottom - AXIS_HEIGHT)
            paint_closed(painter, self._visual(area))
            painter.setFont(small_font(self.font(), TITLE_SCALE, bold=True))
            painter.setPen(QColor(theme.TEXT_MUTED))
            painter.drawText(self._visual(area), int(Qt.AlignmentFlag.AlignCenter), day.closed_text)
        for before, after in zip(self._segments, self._segments[1:], strict=False):
            gap = QRect(before[3], AXIS_HEIGHT, after[2] - before[3], bottom - AXIS_HEIGHT)
            paint_closed(painter, self._visual(gap))
        self._paint_axis(painter)
        if day.now is not None and self._segments:
            past = QRect(left, AXIS_HEIGHT, self.x_of(day.now) - left, bottom - AXIS_HEIGHT)
            painter.fillRect(self._visual(past), QColor(26, 28, 30, 16))
        self._paint_blocks(painter)
        if day.now is not None and self._segments:
            self._paint_now(painter, day.now, bottom)
        legend = QRect(PAD, bottom + PAD, self.width() - 2 * PAD, self.height() - bottom - PAD)
        paint_legend(painter, legend, day.legend, self.font())
        if self.hasFocus():
            painter.setPen(QPen(QColor(theme.FOCUS), 3))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(self.rect().adjusted(1, 1, -2, -2))

    def _paint_axis(self, painter: QPainter) -> None:
        font = small_font(self.font())
        metrics = QFontMetrics(font)
        painter.save()
        painter.setFont(font)
        # Where each range starts matters most; full hours fill in where there is room.
        candidates: list[tuple[int, datetime]] = []
        for start, end, _x0, _x1 in self._segments:
            candidates.append((0, start))
            hour = start.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
            while hour <= end:
                candidates.append((1, hour))
                hour += timedelta(hours=1)
        taken: list[QRect] = []
        for _priority, moment in sorted(candidates, key=lambda c: (c[0], c[1])):
            text = self._day.time_text(moment)
            width = metrics.horizontalAdvance(text) + 8
            x = self.x_of(moment)
            logical = QRect(x - width // 2, 2, width, AXIS_HEIGHT - 6)
            logical.moveLeft(max(self._header, min(logical.left(), self.width() - width)))
            if any(logical.intersects(other) for other in taken):
                continue
            taken.append(logical)
            painter.setPen(QPen(QColor(theme.PRIMARY_SOFT), 1))
            tick = self._visual(QRect(x, AXIS_HEIGHT - 4, 1, self._rows_bottom() - AXIS_HEIGHT))
            painter.drawLine(tick.left(), tick.top(), tick.left(), tick.bottom())
            painter.setPen(QColor(theme.TEXT_MUTED))
            painter.drawText(self._visual(logical), int(Qt.AlignmentFlag.AlignCenter), text)
        painter.restore()

    def _paint_blocks(self, painter: QPainter) -> None:
        font = small_font(self.font())
        bold = small_font(self.font(), bold=True)
        metrics, bold_metrics = QFontMetrics(font), QFontMetrics(bold)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        for placed in reversed(self._placed):  # active ones last: on top
            look = BOOKING_LOOKS[placed.block.status]
            if placed.buffer.width() > 0 and placed.block.active:
                fill_look(painter, self._visual(placed.buffer), look, radius=3, alpha=70)
            rect = self._visual(placed.rect)
            fill_look(painter, rect, look, radius=6)
            if placed.block.blocked:  # hatched: a block is not a visitor, in any colour scheme
                hatch = QColor(look.text)
                hatch.setAlpha(90)
                painter.fillRect(
                    rect.adjusted(2, 2, -2, -2), QBrush(hatch, Qt.BrushStyle.BDiagPattern)
                )
            if placed.block.booking_id == self._selected:
                painter.setPen(QPen(QColor(theme.FOCUS), 3))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawRoundedRect(rect.adjusted(-2, -2, 2, 2), 7, 7)
            if placed.strip:
                continue
            inner = rect.adjusted(6, 4, -6, -4)
            if inner.width() < 18:
                continue
            painter.setPen(QColor(look.text))
            y = inner.top()
            for is_bold, line in fitted_lines(
                placed.block.time,
                placed.block.name,
                placed.block.code,
                inner.width(),
                bold_metrics,
                metrics,
            ):
                line_metrics = bold_metrics if is_bold else metrics
                if y + line_metrics.height() > inner.bottom() + 2:
                    break
                painter.setFont(bold if is_bold else font)
                painter.drawText(
                    QRect(inner.left(), y, inner.width(), line_metrics.height()),
                    int(Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignVCenter),
                    line,
                )
                y += line_metrics.height()
        painter.restore()

    def _paint_now(self, painter: QPainter, now: datetime, bottom: int) -> None:
        x = self._visual(QRect(self.x_of(now), 0, 1, 1)).left()
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(QPen(QColor(theme.DANGER), 2))
        painter.drawLine(x, AXIS_HEIGHT - 6, x, bottom)
        painter.setBrush(QColor(theme.DANGER))
        painter.drawEllipse(QPoint(x, AXIS_HEIGHT - 6), 5, 5)
        painter.restore()

    # -- touch and keys --------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        point = event.position().toPoint()
        for placed in self._placed:
            if self._visual(placed.rect.adjusted(0, -3, 0, 3)).contains(point):
                self._choose(placed.block.booking_id)
                return
        for index, row in enumerate(self._day.rows):
            band = QRect(0, AXIS_HEIGHT + index * self._row_h, self.width(), self._row_h)
            if band.contains(point):  # the band is as wide as the widget: no mirroring needed
                self.device_chosen.emit(row.device_id)
                return
        super().mousePressEvent(event)

    def _choose(self, booking_id: int) -> None:
        self.select(booking_id)
        self.booking_chosen.emit(booking_id)

    def _order(self) -> list[TimelineBlock]:
        rows = {row.device_id: index for index, row in enumerate(self._day.rows)}
        shown = [placed.block for placed in self._placed]
        return sorted(shown, key=lambda b: (rows.get(b.device_id, 0), b.start))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        order = self._order()
        key = event.key()
        if not order or key not in _NAVIGATION_KEYS:
            super().keyPressEvent(event)
            return
        ids = [block.booking_id for block in order]
        if self._selected not in ids:
            self._choose(ids[0])
            return
        current = ids.index(self._selected)
        rtl = self.layoutDirection() == Qt.LayoutDirection.RightToLeft
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self._choose(ids[current])
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            forward = (key == Qt.Key.Key_Right) != rtl
            self._choose(ids[(current + (1 if forward else -1)) % len(ids)])
        else:
            self._choose(self._next_row(order, current, key == Qt.Key.Key_Down))

    def _next_row(self, order: list[TimelineBlock], current: int, down: bool) -> int:
        """The booking in the next row up or down nearest in time to the chosen one."""
        rows = [row.device_id for row in self._day.rows]
        here = order[current]
        index = rows.index(here.device_id)
        step = 1 if down else -1
        index += step
        while 0 <= index < len(rows):
            candidates = [b for b in order if b.device_id == rows[index]]
            if candidates:
                nearest = min(candidates, key=lambda b: abs((b.start - here.start).total_seconds()))
                return nearest.booking_id
            index += step
        return here.booking_id

    def focusInEvent(self, event: QFocusEvent) -> None:
        self.update()  # the focus frame
        super().focusInEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self.update()
        super().focusOutEvent(event)


_NAVIGATION_KEYS = (
    Qt.Key.Key_Left,
    Qt.Key.Key_Right,
    Qt.Key.Key_Up,
    Qt.Key.Key_Down,
    Qt.Key.Key_Return,
    Qt.Key.Key_Enter,
    Qt.Key.Key_Space,
)
