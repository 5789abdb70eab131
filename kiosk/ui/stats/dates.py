"""Choosing the period of an export: the quick spans, dates in the staff's locale, the field.

Only months that are over are published (kiosk.core.stats.periods), so every quick span ends
with the last month that is over.
"""

from __future__ import annotations

from datetime import date, timedelta

from babel import Locale
from PySide6.QtCore import QDate, QLocale, QPointF, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QDateEdit

from kiosk.core.i18n import language
from kiosk.ui import theme


def last_month(today: date) -> tuple[date, date]:
    """The last complete calendar month before ``today``."""
    last = today.replace(day=1) - timedelta(days=1)
    return last.replace(day=1), last


def last_quarter(today: date) -> tuple[date, date]:
    """The last complete calendar quarter before ``today``."""
    this_quarter = today.replace(month=3 * ((today.month - 1) // 3) + 1, day=1)
    last = this_quarter - timedelta(days=1)
    return last.replace(month=3 * ((last.month - 1) // 3) + 1, day=1), last


def this_year(today: date) -> tuple[date, date]:
    """From New Year's Day to the end of the last month that is over (in January: nothing yet,
    the end comes before the start)."""
    return today.replace(month=1, day=1), last_published_day(today)


def last_published_day(today: date) -> date:
    """The last day whose figures may be published: the end of the last month that is over."""
    return today.replace(day=1) - timedelta(days=1)


def qt_locale(code: str) -> QLocale:
    """Qt's locale for a language, writing digits as the kiosk does elsewhere (Babel/CLDR).

    Qt reads "ar" as Egyptian Arabic with Arabic-Indic digits, while CLDR's "ar" (and so every
    other number on the kiosk) uses Latin digits; the language's world-wide locale agrees."""

    babel_locale = language(code).babel_locale
    locale = QLocale(babel_locale)
    latin = Locale.parse(babel_locale).default_numbering_system == "latn"
    if latin and locale.zeroDigit() != "0":
        world = QLocale(f"{babel_locale}_001")
        if world.zeroDigit() == "0" and world.language() == locale.language():
            return world
    return locale


def to_qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def from_qdate(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


class DateField(QDateEdit):
    """A date field with a calendar pop-up and a large, visible arrow to open it."""

    ARROW_ROOM = 48  # the drop-down area, a touch target (the stylesheet gives it this width)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        colour = theme.PRIMARY if self.isEnabled() else theme.DISABLED_TEXT
        painter.setPen(QPen(QColor(colour), 3, c=Qt.PenCapStyle.RoundCap))
        rtl = self.layoutDirection() == Qt.LayoutDirection.RightToLeft
        middle = self.ARROW_ROOM / 2 if rtl else self.width() - self.ARROW_ROOM / 2
        centre = QPointF(middle, self.height() / 2 + 3)
        painter.drawPolyline(
            [centre + QPointF(-8, -5), centre + QPointF(0, 3), centre + QPointF(8, -5)]
        )
        painter.end()
