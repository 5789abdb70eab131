"""A week of device bookings: per device and day the number of bookings and where they lie.

Staff plan the week with it (who comes on Thursday, is the VR headset booked out?): each cell
shows the count of active bookings and a thin strip with the bookings' places in the day's
opening hours, coloured by status (provisional ones hatched); a day with a conflict (a booking
the hub gave to no one) carries a red "!" with their number. Tapping a cell opens that day.
With a keyboard the arrows move a ringed cell and Enter or Space opens it; screen readers get
each day's title and each cell as parts of their own.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date

from PySide6.QtCore import QRect, QSize, Qt, Signal
from PySide6.QtGui import (
    QAccessible,
    QBrush,
    QColor,
    QFocusEvent,
    QFont,
    QFontMetrics,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
)
from PySide6.QtWidgets import QStyle, QWidget

from kiosk.core.bookings import BookingStatus
from kiosk.ui import theme
from kiosk.ui.parts.accessible_parts import Part, part_focused, parts_changed, pressing
from kiosk.ui.parts.accessible_role import set_accessible_role
from kiosk.ui.staff.paint import (
    BOOKING_LOOKS,
    CONFLICT_SIGN,
    MAX_ROW_HEIGHT,
    PAD,
    ROW_HEIGHT,
    TITLE_SCALE,
    TimelineRow,
    header_width,
    paint_closed,
    paint_row_header,
    small_font,
)

DAY_HEADER_HEIGHT = 50


@dataclass(frozen=True)
class WeekCell:
    """One device on one day: how many active bookings, and where in the day they all lie."""

    count: int = 0
    marks: tuple[tuple[float, float, BookingStatus], ...] = ()  # shares of the opening hours
    closed: bool = False
    conflicts: int = 0  # bookings of that day the hub gave to no one: they need a new time


@dataclass(frozen=True)
class WeekView:
    """Everything the week grid shows, already in the staff member's language."""

    rows: tuple[TimelineRow, ...] = ()
    days: tuple[date, ...] = ()
    day_titles: tuple[tuple[str, str], ...] = ()  # weekday, and the date below it
    today: date | None = None
    cells: Mapping[tuple[str, date], WeekCell] = field(default_factory=dict)
    count_texts: Mapping[int, str] = field(default_factory=dict)  # counts in the staff's digits
    closed_text: str = ""
    # A cell's counts in words for screen readers (plural forms in the staff's language).
    booking_count: Callable[[int], str] = field(default=lambda n: f"{n} bookings")
    conflict_count: Callable[[int], str] = field(default=lambda n: f"{n} bookings in conflict")


def cell_text(view: WeekView, row: TimelineRow, column: int) -> str:
    """One cell in words: the device, the day, and how many bookings (or that it is closed)."""
    day = view.days[column]
    weekday, date_text = view.day_titles[column] if column < len(view.day_titles) else ("", "")
    cell = view.cells.get((row.device_id, day), WeekCell())
    words = [view.closed_text if cell.closed and not cell.count else view.booking_count(cell.count)]
    if cell.conflicts:
        words.append(view.conflict_count(cell.conflicts))
    return f"{row.title}, {weekday} {date_text}: " + ", ".join(words)


def week_description(view: WeekView) -> str:
    """The grid in words for screen readers: each day, then each device's count of bookings."""
    days = []
    for day, (weekday, date_text) in zip(view.days, view.day_titles, strict=False):
        cells = []
        for row in view.rows:
            cell = view.cells.get((row.device_id, day), WeekCell())
            shown = view.closed_text if cell.closed else view.count_texts.get(cell.count)
            cells.append(f"{row.title} {shown if shown is not None else cell.count}")
        days.append(f"{weekday} {date_text}: " + ", ".join(cells))
    return "; ".join(days)


class WeekGrid(QWidget):
    """Devices down, days across; a cell tells how busy the device is that day."""

    day_chosen = Signal(object, str)
    """A cell (date, device id) or a day's title (date, "") was tapped."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._view = WeekView()
        self._focus_day: date | None = None
        self._cursor: tuple[int, int] | None = None  # (row, column) of the keyboard's cell
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        set_accessible_role(self, QAccessible.Role.Chart)
        self._update_height()

    def set_view(self, view: WeekView, focus_day: date | None = None) -> None:
        self._view = view
        self._focus_day = focus_day
        if self._cursor is not None and not self._in_grid(*self._cursor):
            self._cursor = None
        self.setAccessibleDescription(week_description(view))
        self._update_height()
        parts_changed(self)
        self.update()

    # -- keyboard and screen readers --------------------------------------------------------

    def _in_grid(self, row: int, column: int) -> bool:
        return 0 <= row < len(self._view.rows) and 0 <= column < len(self._view.days)

    @property
    def cursor_cell(self) -> tuple[str, date] | None:
        """The cell the keyboard is on: (device id, day)."""
        if self._cursor is None:
            return None
        row, column = self._cursor
        return self._view.rows[row].device_id, self._view.days[column]

    def _move_cursor(self, row: int, column: int) -> None:
        self._cursor = (row, column)
        parts_changed(self)
        part_focused(self, ("cell", row, column))
        self.update()

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        if self._cursor is None and self._in_grid(0, 0):
            days = self._view.days
            start = next((d for d in (self._focus_day, self._view.today) if d in days), days[0])
            self._move_cursor(0, days.index(start))
        self.update()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.update()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if self._cursor is None or event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            super().keyPressEvent(event)
            return
        row, column = self._cursor
        # Days run with the reading direction: the arrow moves to the cell seen on that side.
        forward = 1 if self.layoutDirection() == Qt.LayoutDirection.LeftToRight else -1
        steps = {
            Qt.Key.Key_Left: (0, -forward),
            Qt.Key.Key_Right: (0, forward),
            Qt.Key.Key_Up: (-1, 0),
            Qt.Key.Key_Down: (1, 0),
        }
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self._choose(row, column)
        elif key in steps:
            down, across = steps[Qt.Key(key)]
            if self._in_grid(row + down, column + across):
                self._move_cursor(row + down, column + across)
        else:
            super().keyPressEvent(event)

    def _choose(self, row: int, column: int) -> None:
        self.day_chosen.emit(self._view.days[column], self._view.rows[row].device_id)

    def _press(self, row: int, column: int) -> Callable[[], None]:
        return pressing(self, lambda grid: grid._choose(row, column))  # as a tap on the cell

    def _press_title(self, day: date) -> Callable[[], None]:
        return pressing(self, lambda grid: grid.day_chosen.emit(day, ""))

    def accessible_parts(self) -> list[Part]:
        """Each day's title (a tap opens the day), then the cells row by row."""
        view = self._view
        header, width = self._columns()
        parts = []
        for column, day in enumerate(view.days):
            title = " ".join(view.day_titles[column]) if column < len(view.day_titles) else ""
            logical = QRect(round(header + column * width), 0, round(width), DAY_HEADER_HEIGHT)
            role = QAccessible.Role.ColumnHeader
            rect = self._visual(logical)
            parts.append(Part(("day", column), role, title, rect, press=self._press_title(day)))
        for row_index, row in enumerate(view.rows):
            for column, day in enumerate(view.days):
                at = (row_index, column)
                parts.append(
                    Part(
                        ("cell", *at),
                        QAccessible.Role.Cell,
                        cell_text(view, row, column),
                        self.cell_rect(row.device_id, day),
                        press=self._press(*at),
                        selected=day == self._focus_day,
                        focused=self._cursor == at,
                    )
                )
        return parts

    @property
    def view(self) -> WeekView:
        return self._view

    def _update_height(self) -> None:
        self.setMinimumHeight(DAY_HEADER_HEIGHT + len(self._view.rows) * ROW_HEIGHT + PAD)

    def _row_height(self) -> int:
        """Rows grow into spare height, as on the day's timeline."""
        if not self._view.rows:
            return ROW_HEIGHT
        spare = (self.height() - DAY_HEADER_HEIGHT - PAD) // len(self._view.rows)
        return max(ROW_HEIGHT, min(MAX_ROW_HEIGHT, spare))

    def sizeHint(self) -> QSize:
        return QSize(800, self.minimumHeight())

    def _visual(self, rect: QRect) -> QRect:
        return QStyle.visualRect(self.layoutDirection(), self.rect(), rect)

    def _columns(self) -> tuple[int, float]:
        header = header_width(self._view.rows, self.font(), self.width())
        days = max(1, len(self._view.days))
        return header, (self.width() - header - PAD) / days

    def cell_rect(self, device_id: str, day: date) -> QRect:
        """Where a device's day is drawn (empty when not shown)."""
        rows = [row.device_id for row in self._view.rows]
        if device_id not in rows or day not in self._view.days:
            return QRect()
        header, width = self._columns()
        column = self._view.days.index(day)
        logical = QRect(
            round(header + column * width),
            DAY_HEADER_HEIGHT + rows.index(device_id) * self._row_height(),
            round(width),
            self._row_height(),
        )
        return self._visual(logical)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        try:
            self._paint(painter)
        finally:
            painter.end()

    def _paint(self, painter: QPainter) -> None:
        view = self._view
        painter.fillRect(self.rect(), QColor(theme.SURFACE))
        header, width = self._columns()
        title_font = small_font(self.font(), TITLE_SCALE, bold=True)
        count_font = small_font(self.font(), 0.9, bold=True)
        note_font = small_font(self.font())
        for column, day in enumerate(view.days):
            logical = QRect(round(header + column * width), 0, round(width), DAY_HEADER_HEIGHT)
            rect = self._visual(logical)
            if day == view.today:
                painter.fillRect(rect, QColor(theme.PRIMARY_SOFT))
            painter.setPen(QColor(theme.ON_PRIMARY_SOFT if day == view.today else theme.TEXT))
            weekday, when = (
                view.day_titles[column] if column < len(view.day_titles) else ("", str(day))
            )
            upper = QRect(rect.left(), rect.top() + 2, rect.width(), rect.height() // 2 - 2)
            lower = QRect(rect.left(), upper.bottom(), rect.width(), rect.height() // 2 - 2)
            for text, font, where in ((weekday, title_font, upper), (when, note_font, lower)):
                metrics = QFontMetrics(font)
                painter.setFont(font)
                painter.drawText(
                    where,
                    int(Qt.AlignmentFlag.AlignCenter),
                    metrics.elidedText(text, Qt.TextElideMode.ElideRight, where.width() - 8),
                )
        row_height = self._row_height()
        for index, row in enumerate(view.rows):
            top = DAY_HEADER_HEIGHT + index * row_height
            band = QRect(0, top, self.width(), self._row_height())
            if index % 2:
                painter.fillRect(self._visual(band), QColor(theme.BACKGROUND))
            paint_row_header(
                painter, self._visual(QRect(0, top, header, self._row_height())), row, self.font()
            )
            for column, day in enumerate(view.days):
                cell = view.cells.get((row.device_id, day), WeekCell())
                logical = QRect(round(header + column * width), top, round(width), row_height)
                self._paint_cell(painter, self._visual(logical), cell, count_font, note_font)
            painter.setPen(QPen(QColor(theme.PRIMARY_SOFT), 1))
            painter.drawLine(0, band.bottom(), self.width(), band.bottom())
        painter.setPen(QPen(QColor(theme.PRIMARY_SOFT), 1))
        for column in range(len(view.days) + 1):
            x = self._visual(QRect(round(header + column * width), 0, 1, 1)).left()
            painter.drawLine(x, 0, x, DAY_HEADER_HEIGHT + len(view.rows) * self._row_height())
        if self._focus_day in view.days:
            column = view.days.index(self._focus_day)
            logical = QRect(
                round(header + column * width),
                1,
                round(width),
                DAY_HEADER_HEIGHT + len(view.rows) * self._row_height() - 2,
            )
            painter.setPen(QPen(QColor(theme.PRIMARY), 2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(self._visual(logical))
        cursor = self.cursor_cell
        if cursor is not None and self.hasFocus():  # the keyboard's cell, ringed as every focus
            painter.setPen(QPen(QColor(theme.FOCUS), 3))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(self.cell_rect(*cursor).adjusted(2, 2, -2, -2))

    def _paint_cell(
        self, painter: QPainter, rect: QRect, cell: WeekCell, count_font: QFont, note_font: QFont
    ) -> None:
        view = self._view
        if cell.closed and not cell.count:
            paint_closed(painter, rect)
            painter.setFont(note_font)
            painter.setPen(QColor(theme.TEXT_MUTED))
            metrics = QFontMetrics(note_font)
            painter.drawText(
                rect,
                int(Qt.AlignmentFlag.AlignCenter),
                metrics.elidedText(view.closed_text, Qt.TextElideMode.ElideRight, rect.width() - 8),
            )
            return
        if cell.count:
            painter.setFont(count_font)
            painter.setPen(QColor(theme.TEXT))
            text = view.count_texts.get(cell.count, str(cell.count))
            painter.drawText(rect.adjusted(0, 2, 0, -16), int(Qt.AlignmentFlag.AlignCenter), text)
        strip = QRect(rect.left() + 6, rect.bottom() - 14, rect.width() - 12, 10)
        painter.fillRect(strip, QColor(theme.DISABLED_BG))
        rtl = self.layoutDirection() == Qt.LayoutDirection.RightToLeft
        for start, end, status in cell.marks:
            x0 = strip.left() + round(start * strip.width())
            x1 = max(x0 + 3, strip.left() + round(end * strip.width()))
            mark = QRect(x0, strip.top(), x1 - x0, strip.height())
            if rtl:  # time runs from right to left, as on the day's timeline
                mark.moveLeft(strip.left() + strip.right() - mark.right())
            look = BOOKING_LOOKS[status]
            if look.hatched:  # not by colour alone: a provisional booking is hatched
                painter.fillRect(mark, QColor(look.fill))
                painter.fillRect(mark, QBrush(QColor(look.edge), Qt.BrushStyle.Dense5Pattern))
            else:
                painter.fillRect(mark, QColor(look.edge))
        if cell.conflicts:
            self._paint_conflicts(painter, rect, cell.conflicts, note_font)

    def _paint_conflicts(self, painter: QPainter, rect: QRect, count: int, font: QFont) -> None:
        """A red badge with "!" and the number in the cell's leading top corner."""
        look = BOOKING_LOOKS[BookingStatus.CONFLICT]
        text = f"{CONFLICT_SIGN} {self._view.count_texts.get(count, str(count))}"
        metrics = QFontMetrics(font)
        height = metrics.height() + 2
        width = metrics.horizontalAdvance(text) + 12
        logical = QRect(rect.left() + 4, rect.top() + 4, width, height)
        badge = QStyle.visualRect(self.layoutDirection(), rect, logical)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(look.fill))
        painter.drawRoundedRect(badge, height / 2, height / 2)
        painter.setFont(font)
        painter.setPen(QColor(look.text))
        painter.drawText(badge, int(Qt.AlignmentFlag.AlignCenter), text)
        painter.restore()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        point = event.position().toPoint()
        for day in self._view.days:
            for row in self._view.rows:
                if self.cell_rect(row.device_id, day).contains(point):
                    self.day_chosen.emit(day, row.device_id)
                    return
            column = self.cell_rect(self._view.rows[0].device_id, day) if self._view.rows else None
            if column is not None and column.left() <= point.x() <= column.right():
                self.day_chosen.emit(day, "")
                return
        super().mousePressEvent(event)
