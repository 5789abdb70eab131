"""Painted charts for the statistics dashboard: visitors per day, and ranked horizontal bars.

Both charts measure every label they paint and make room for it (a smaller weekday form, a
wrapped line, a taller row) instead of cutting it off, mirror in right-to-left languages, and
describe their numbers in their accessible description for screen readers, each bar also as a
part of its own ("label: value").
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from babel.dates import format_date, format_skeleton
from babel.numbers import format_decimal
from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import (
    QAccessible,
    QColor,
    QFocusEvent,
    QFont,
    QFontMetricsF,
    QPainter,
    QPaintEvent,
    QPen,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from kiosk.core.i18n import language, localise_digits
from kiosk.ui import theme
from kiosk.ui.parts.accessible_parts import Part, parts_changed
from kiosk.ui.parts.accessible_role import set_accessible_role

BAR = QColor(theme.PRIMARY)
BASELINE = QColor(theme.BORDER)
VALUE_TEXT = QColor(theme.TEXT)
LABEL_TEXT = QColor(theme.TEXT_MUTED)
LABEL_SCALE = 0.8  # chart labels against the body text size (18 pt → about 14 pt)
SMALLEST_LABEL_PT = 10.0
# Weekday forms from widest to narrowest; the first that fits under every bar is used.
WEEKDAY_FORMS = ("EEE", "EEEEEE", "EEEEE")

Number = Callable[[int], str]


def format_count(value: int, code: str) -> str:
    """A count as the language writes it: grouping and digits ("1.234", Persian "۱٬۲۳۴")."""

    babel_locale = language(code).babel_locale
    text = format_decimal(value, locale=babel_locale, numbering_system="default")
    return localise_digits(text, code)


def day_labels(day: date, code: str, weekday_form: str = "EEE") -> tuple[str, str]:
    """The weekday and the short date of ``day`` ("Do.", "12.11."; English "Thu", "11/12")."""

    babel_locale = language(code).babel_locale
    weekday = format_date(day, weekday_form, locale=babel_locale)
    short = format_skeleton("Md", day, locale=babel_locale)
    return localise_digits(weekday, code), localise_digits(short, code)


def long_day(day: date, code: str) -> str:
    """Weekday and date in words, for screen readers ("Donnerstag, 12. November")."""

    return localise_digits(
        format_skeleton("MMMMEEEEd", day, locale=language(code).babel_locale), code
    )


def _label_font(widget: QWidget, scale: float = LABEL_SCALE) -> QFont:
    font = QFont(widget.font())
    font.setPointSizeF(max(SMALLEST_LABEL_PT, widget.font().pointSizeF() * scale))
    return font


def _mirrored(rect: QRectF, width: float, rtl: bool) -> QRectF:
    """``rect`` laid out left to right, placed for the reading direction."""
    if not rtl:
        return rect
    return QRectF(width - rect.x() - rect.width(), rect.y(), rect.width(), rect.height())


def _focus_ring(painter: QPainter, widget: QWidget) -> None:
    """The keyboard focus, drawn like the focus ring of every other control."""
    if widget.hasFocus():
        painter.setPen(QPen(QColor(theme.FOCUS), 3))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(QRectF(widget.rect()).adjusted(1.5, 1.5, -1.5, -1.5), 6, 6)


def _leading(rtl: bool) -> Qt.AlignmentFlag:
    side = Qt.AlignmentFlag.AlignRight if rtl else Qt.AlignmentFlag.AlignLeft
    return side | Qt.AlignmentFlag.AlignAbsolute


class _Chart(QWidget):
    """What both charts share: a visible focus ring for keyboard and screen-reader users, and
    the chart role (their name and description say what they show)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        set_accessible_role(self, QAccessible.Role.Chart)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.update()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.update()


class DayBarChart(_Chart):
    """Visitors per day as vertical bars, oldest day at the reading start, today in bold."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dayChart")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # screen-reader users can land on it
        self._days: tuple[tuple[date, int], ...] = ()
        self._today: date | None = None
        self._code = "en"
        self._number: Number = str
        self._labels: dict[str, list[tuple[str, str]]] = {}  # weekday form → labels per day

    def set_days(
        self, days: Sequence[tuple[date, int]], today: date | None, *, code: str, number: Number
    ) -> None:
        """Show ``days`` ((day, visitors), oldest first) with labels in language ``code``."""
        self._days = tuple(days)
        self._today = today
        self._code = code
        self._number = number
        self._labels = {}
        self.setAccessibleDescription("; ".join(self._bar_texts()))
        parts_changed(self)
        self.updateGeometry()
        self.update()

    def _bar_texts(self) -> list[str]:
        return [f"{long_day(day, self._code)}: {self._number(n)}" for day, n in self._days]

    def accessible_parts(self) -> list[Part]:
        """Each day's bar, with its labels, as a text a screen reader can step to."""
        width, height = float(self.width()), float(self.height())
        slot = self._slot_width(width)
        rtl = self.layoutDirection() == Qt.LayoutDirection.RightToLeft
        return [
            Part(
                ("day", day),
                QAccessible.Role.StaticText,
                text,
                _mirrored(QRectF(index * slot, 0, slot, height), width, rtl).toRect(),
            )
            for index, ((day, _n), text) in enumerate(
                zip(self._days, self._bar_texts(), strict=True)
            )
        ]

    def _day_labels(self, form: str) -> list[tuple[str, str]]:
        if form not in self._labels:
            self._labels[form] = [day_labels(day, self._code, form) for day, _n in self._days]
        return self._labels[form]

    @property
    def days(self) -> tuple[tuple[date, int], ...]:
        return self._days

    @property
    def values(self) -> list[int]:
        return [count for _day, count in self._days]

    def bar_labels(self) -> list[tuple[str, str, str]]:
        """(weekday, date, value) under and over every bar, as painted now."""
        form, _font = self._fitting_labels(self._slot_width(self.width()))
        return [
            (weekday, short, self._number(n))
            for (weekday, short), (_day, n) in zip(self._day_labels(form), self._days, strict=True)
        ]

    # -- geometry ---------------------------------------------------------------------------

    def _slot_width(self, width: float) -> float:
        return width / max(1, len(self._days))

    def _fitting_labels(self, slot: float) -> tuple[str, QFont]:
        """The weekday form and font whose labels fit under every bar: a smaller font before a
        one-letter weekday ("D" is both Dienstag and Donnerstag)."""
        font = _label_font(self)
        room = slot - 6
        fixed = [short for _weekday, short in self._day_labels(WEEKDAY_FORMS[0])]
        fixed += [self._number(n) for _day, n in self._days]
        while True:
            metrics = QFontMetricsF(font)
            for form in WEEKDAY_FORMS:
                weekdays = [weekday for weekday, _short in self._day_labels(form)]
                widest = max((metrics.horizontalAdvance(t) for t in weekdays + fixed), default=0)
                last_size = font.pointSizeF() <= SMALLEST_LABEL_PT
                if widest <= room and (form != WEEKDAY_FORMS[-1] or last_size):
                    return form, font
            if font.pointSizeF() <= SMALLEST_LABEL_PT:
                return WEEKDAY_FORMS[-1], font
            font.setPointSizeF(max(SMALLEST_LABEL_PT, font.pointSizeF() - 1))

    def minimumSizeHint(self) -> QSize:
        smallest = QFont(self.font())
        smallest.setPointSizeF(SMALLEST_LABEL_PT)
        metrics = QFontMetricsF(smallest)
        labels = self._day_labels(WEEKDAY_FORMS[-1])
        widest = max(
            (metrics.horizontalAdvance(text) for pair in labels for text in pair), default=40.0
        )
        return QSize(int(len(self._days) * (widest + 8)), int(metrics.height() * 3 + 96))

    def sizeHint(self) -> QSize:
        # Only as tall as needed: the page's layout hands it any height to spare.
        hint = self.minimumSizeHint()
        return QSize(max(hint.width(), 640), max(hint.height(), self.minimumHeight()))

    # -- painting ---------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self._days:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setLayoutDirection(self.layoutDirection())
        rtl = self.layoutDirection() == Qt.LayoutDirection.RightToLeft
        width, height = float(self.width()), float(self.height())
        slot = self._slot_width(width)
        form, font = self._fitting_labels(slot)
        bold = QFont(font)
        bold.setBold(True)
        line = QFontMetricsF(font).height()
        bottom = height - 2 * line - 8  # the baseline; two label lines below it
        top = line + 6  # room for the value over the tallest bar
        peak = max(self.values) or 1
        labels = self._day_labels(form)
        for index, ((day, count), (weekday, short)) in enumerate(
            zip(self._days, labels, strict=True)
        ):
            slot_rect = _mirrored(QRectF(index * slot, 0, slot, height), width, rtl)
            bar_width = min(slot * 0.62, 48.0)
            bar_height = (bottom - top) * count / peak
            bar = QRectF(
                slot_rect.center().x() - bar_width / 2, bottom - bar_height, bar_width, bar_height
            )
            if count:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(BAR)
                painter.drawRoundedRect(bar, 4, 4)
            centre = Qt.AlignmentFlag.AlignHCenter
            painter.setFont(font)
            painter.setPen(VALUE_TEXT if count else LABEL_TEXT)
            painter.drawText(
                QRectF(slot_rect.x(), bar.top() - line - 2, slot, line),
                centre | Qt.AlignmentFlag.AlignBottom,
                self._number(count),
            )
            painter.setFont(bold if day == self._today else font)
            painter.setPen(VALUE_TEXT if day == self._today else LABEL_TEXT)
            painter.drawText(QRectF(slot_rect.x(), bottom + 6, slot, line), centre, weekday)
            painter.drawText(QRectF(slot_rect.x(), bottom + 6 + line, slot, line), centre, short)
        painter.setPen(QPen(BASELINE, 2))
        painter.drawLine(0, round(bottom), round(width), round(bottom))
        _focus_ring(painter, self)
        painter.end()


@dataclass(frozen=True)
class _Row:
    label: QRectF
    bar: QRectF
    value: QRectF
    flags: int


class RankedBarChart(_Chart):
    """Labelled horizontal bars, largest first (courses, device kinds, languages).

    Labels take at most about 60 % of the width and wrap onto more lines when longer, so the row
    grows instead of the text being cut; the value stands right after the end of its bar.
    """

    BAR_HEIGHT = 22.0
    GAP = 6.0

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("rankedChart")
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self._rows: tuple[tuple[str, int], ...] = ()
        self._number: Number = str
        self._empty = ""

    def set_rows(self, rows: Sequence[tuple[str, int]], *, number: Number, empty: str) -> None:
        """Show ``rows`` of (label, value) in the given order; ``empty`` when there are none."""
        self._rows = tuple(rows)
        self._number = number
        self._empty = empty
        lines = [f"{label}: {number(value)}" for label, value in self._rows]
        self.setAccessibleDescription("; ".join(lines) if lines else empty)
        parts_changed(self)
        self.updateGeometry()
        self.update()

    def accessible_parts(self) -> list[Part]:
        """Each bar with its label and value, as a text a screen reader can step to."""
        width = float(self.width())
        rtl = self.layoutDirection() == Qt.LayoutDirection.RightToLeft
        rows, _height = self._layout(width)
        return [
            Part(
                ("row", index),
                QAccessible.Role.StaticText,
                f"{label}: {self._number(value)}",
                _mirrored(QRectF(0, row.label.y(), width, row.label.height()), width, rtl).toRect(),
            )
            for index, (row, (label, value)) in enumerate(zip(rows, self._rows, strict=True))
        ]

    @property
    def rows(self) -> tuple[tuple[str, int], ...]:
        return self._rows

    @property
    def values(self) -> list[int]:
        return [value for _label, value in self._rows]

    @property
    def labels(self) -> list[str]:
        return [label for label, _value in self._rows]

    # -- geometry ---------------------------------------------------------------------------

    def _layout(self, width: float) -> tuple[list[_Row], float]:
        """Where every label, bar and value goes (left to right), and the height needed."""
        font = _label_font(self)
        metrics = QFontMetricsF(font)
        if not self._rows:
            rect = metrics.boundingRect(
                QRectF(0, 0, width, 10_000), int(Qt.TextFlag.TextWordWrap), self._empty
            )
            return [], rect.height() + 8
        values = [self._number(value) for _label, value in self._rows]
        value_width = max(metrics.horizontalAdvance(text) for text in values) + 8
        natural = max(metrics.horizontalAdvance(label) for label, _value in self._rows)
        label_width = min(natural + 2, max(60.0, width * 0.6))
        bar_room = max(8.0, width - label_width - self.GAP - value_width)
        peak = max(self.values) or 1
        rows, y = [], 0.0
        for label, value in self._rows:
            flags = int(Qt.TextFlag.TextWordWrap)
            if any(metrics.horizontalAdvance(word) > label_width for word in label.split()):
                flags = int(Qt.TextFlag.TextWrapAnywhere)
            needed = metrics.boundingRect(QRectF(0, 0, label_width, 10_000), flags, label)
            row_height = max(self.BAR_HEIGHT, needed.height())
            bar_length = max(2.0, bar_room * value / peak) if value else 0.0
            bar_x = label_width + self.GAP
            middle = y + row_height / 2
            rows.append(
                _Row(
                    label=QRectF(0, y, label_width, row_height),
                    bar=QRectF(bar_x, middle - self.BAR_HEIGHT / 2, bar_length, self.BAR_HEIGHT),
                    value=QRectF(bar_x + bar_length + 6, y, value_width, row_height),
                    flags=flags,
                )
            )
            y += row_height + self.GAP
        return rows, y - self.GAP

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return int(self._layout(float(width))[1]) + 2

    def sizeHint(self) -> QSize:
        return QSize(320, self.heightForWidth(320))

    def minimumSizeHint(self) -> QSize:
        return QSize(200, self.heightForWidth(max(200, self.width())))

    # -- painting ---------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setLayoutDirection(self.layoutDirection())
        painter.setFont(_label_font(self))
        rtl = self.layoutDirection() == Qt.LayoutDirection.RightToLeft
        width = float(self.width())
        rows, _height = self._layout(width)
        if not rows:
            painter.setPen(LABEL_TEXT)
            painter.drawText(
                QRectF(0, 0, width, self.height()),
                int(_leading(rtl) | Qt.AlignmentFlag.AlignTop) | int(Qt.TextFlag.TextWordWrap),
                self._empty,
            )
            _focus_ring(painter, self)
            painter.end()
            return
        vcentre = Qt.AlignmentFlag.AlignVCenter
        for row, (label, value) in zip(rows, self._rows, strict=True):
            painter.setPen(VALUE_TEXT)
            painter.drawText(
                _mirrored(row.label, width, rtl), int(_leading(rtl) | vcentre) | row.flags, label
            )
            if row.bar.width():
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(BAR)
                painter.drawRoundedRect(_mirrored(row.bar, width, rtl), 4, 4)
            painter.setPen(VALUE_TEXT)
            painter.drawText(
                _mirrored(row.value, width, rtl), int(_leading(rtl) | vcentre), self._number(value)
            )
        _focus_ring(painter, self)
        painter.end()
