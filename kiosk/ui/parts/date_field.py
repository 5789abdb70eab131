"""A date field staff can use by touch: large, with a calendar pop-up of finger-sized days.

Shared by the staff desk's forms and the statistics page (whose period field draws the same arrow
and writes dates with the same locale).
"""

from __future__ import annotations

from datetime import date

from babel import Locale
from PySide6.QtCore import QDate, QLocale, QPointF, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen, QTextCharFormat
from PySide6.QtWidgets import QDateEdit, QWidget

from kiosk.core.i18n import language
from kiosk.ui import theme

DATE_FIELD_STYLE = f"""
QDateEdit#touchDate {{
    min-height: 56px; padding: 4px 12px; background: {theme.SURFACE};
    border: 2px solid {theme.BORDER}; border-radius: 10px;
}}
QDateEdit#touchDate:focus {{ border: 3px solid {theme.FOCUS}; }}
QDateEdit#touchDate::drop-down {{ width: 48px; border: none; background: transparent; }}
QDateEdit#touchDate::down-arrow {{ image: none; width: 0; height: 0; }}
QCalendarWidget QWidget#qt_calendar_navigationbar {{ background: {theme.PRIMARY_SOFT}; }}
QCalendarWidget QToolButton {{
    min-height: 48px; min-width: 48px; color: {theme.ON_PRIMARY_SOFT}; background: transparent;
    border: none; font-weight: 600;
}}
QCalendarWidget QAbstractItemView {{
    selection-background-color: {theme.PRIMARY}; selection-color: {theme.ON_PRIMARY};
}}
"""


def to_qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def from_qdate(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


def qt_locale(code: str) -> QLocale:
    """Qt's locale for a language, with the digits the kiosk writes elsewhere (Babel/CLDR):
    Qt reads "ar" as Egyptian Arabic with Arabic-Indic digits, CLDR's "ar" uses Latin ones."""
    babel_locale = language(code).babel_locale
    locale = QLocale(babel_locale)
    latin = Locale.parse(babel_locale).default_numbering_system == "latn"
    if latin and locale.zeroDigit() != "0":
        world = QLocale(f"{babel_locale}_001")
        if world.zeroDigit() == "0" and world.language() == locale.language():
            return world
    return locale


def paint_drop_arrow(field: QDateEdit, room: int) -> None:
    """A large arrow in the field's drop-down area (``room`` wide, at the end of the field in its
    reading direction): the style's own arrow is too small to see what opens the calendar."""
    painter = QPainter(field)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    colour = theme.PRIMARY if field.isEnabled() else theme.DISABLED_TEXT
    painter.setPen(QPen(QColor(colour), 3, c=Qt.PenCapStyle.RoundCap))
    rtl = field.layoutDirection() == Qt.LayoutDirection.RightToLeft
    middle = room / 2 if rtl else field.width() - room / 2
    centre = QPointF(middle, field.height() / 2 + 3)
    painter.drawPolyline(
        [centre + QPointF(-8, -5), centre + QPointF(0, 3), centre + QPointF(8, -5)]
    )
    painter.end()


class TouchDateField(QDateEdit):
    """A date with a calendar pop-up (day cells of about 48 px) and a visible arrow to open it."""

    ARROW_ROOM = 48  # the drop-down area, a touch target (the style gives it this width)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("touchDate")
        self.setCalendarPopup(True)
        self.setMinimumDate(QDate(2000, 1, 1))
        self.setMinimumWidth(200)
        calendar = self.calendarWidget()
        calendar.setMinimumSize(420, 380)
        calendar.setVerticalHeaderFormat(calendar.VerticalHeaderFormat.NoVerticalHeader)
        plain = QTextCharFormat()
        plain.setForeground(QColor(theme.TEXT))
        for weekend in (Qt.DayOfWeek.Saturday, Qt.DayOfWeek.Sunday):
            calendar.setWeekdayTextFormat(weekend, plain)  # red weekends read as warnings
        self.setStyleSheet(DATE_FIELD_STYLE)

    @property
    def day(self) -> date:
        return from_qdate(self.date())

    def set_day(self, day: date) -> None:
        self.setDate(to_qdate(day))

    def set_language(self, code: str) -> None:
        """Write the date (weekday first, so staff see which day it is) in ``code``."""
        locale = qt_locale(code)
        self.setLocale(locale)
        self.calendarWidget().setLocale(locale)
        self.setDisplayFormat(f"ddd, {locale.dateFormat(QLocale.FormatType.ShortFormat)}")

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        paint_drop_arrow(self, self.ARROW_ROOM)
