"""Choosing the period of an export: the quick spans, dates in the staff's locale, the field.

Only months that are over are published (kiosk.core.stats.periods), so every quick span ends
with the last month that is over.
"""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import QDateEdit

from kiosk.ui.parts.date_field import paint_drop_arrow


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


class DateField(QDateEdit):
    """A date field with a calendar pop-up and a large, visible arrow to open it."""

    ARROW_ROOM = 48  # the drop-down area, a touch target (the stylesheet gives it this width)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        paint_drop_arrow(self, self.ARROW_ROOM)
