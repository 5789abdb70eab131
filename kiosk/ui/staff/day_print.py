"""The desk's printouts on A4: today's list, the week's plan for the noticeboard, a broken
device's bookings; chosen from the desk bar's Print button and sent to the site's printer.

Today's list is for the desk (device, time, first name, code, status). The week's plan goes on
the noticeboard, so it shows when each device is taken and never who took it. The texts are in
the staff member's language and direction; nothing is kept on disk (kiosk.ui.parts.sheets).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from babel.dates import format_date
from PySide6.QtCore import QObject, QPoint, Qt
from PySide6.QtWidgets import QFrame, QVBoxLayout, QWidget

from kiosk.core.bookings import Booking, BookingService, BookingStatus, DevicePolicy, DeviceStatus
from kiosk.core.i18n import Translator, format_datetime, format_time, language, localise_digits
from kiosk.storage import StorageError
from kiosk.ui.parts.desk_style import action_button, set_tone, storage_failed
from kiosk.ui.parts.printers import PrintOutcome, not_printed_text
from kiosk.ui.parts.sheets import Sheet, SheetPrinter, send_sheet
from kiosk.ui.staff.texts import (
    booking_status_text,
    day_title,
    device_name,
    device_status_text,
    isolated,
    visitor_name,
)

if TYPE_CHECKING:
    from kiosk.ui.staff.desk import StaffBookingsScreen

log = logging.getLogger(__name__)

BookingsGetter = Callable[[], BookingService | None]


def _printed_at(tr: Translator, now: datetime) -> str:
    return tr.gettext("Printed {when}").format(when=format_datetime(now, tr.current.code))


def _page_text(tr: Translator) -> str:
    # TRANSLATORS: the footer of a printed list with several pages
    return tr.gettext("Page {page} of {pages}")


def _full_day(day: date, code: str) -> str:
    """The weekday and the date in full ("Tuesday, December 1, 2026")."""
    return localise_digits(
        format_date(day, format="full", locale=language(code).babel_locale), code
    )


def _times(tr: Translator, booking: Booking) -> str:
    code = tr.current.code
    return f"{format_time(booking.start, code)}\u2013{format_time(booking.end, code)}"


def today_sheet(
    tr: Translator, service: BookingService, site: str, day: date, now: datetime
) -> Sheet:
    """The day's bookings for the desk, device by device in the site's order, then by time;
    cancelled bookings are left out (their time is free again)."""
    _ = tr.gettext
    code = tr.current.code
    order = {device.id: index for index, device in enumerate(service.devices)}
    bookings = sorted(
        (b for b in service.day(day) if b.status is not BookingStatus.CANCELLED),
        key=lambda b: (order.get(b.device_id, len(order)), b.start),
    )
    rows = tuple(
        (
            device_name(service.device(b.device_id), b.device_id, code),
            _times(tr, b),
            visitor_name(tr, b),
            isolated(b.printed_code),
            booking_status_text(tr, b.status),
        )
        for b in bookings
    )
    return Sheet(
        title=_("Bookings on {day}").format(day=_full_day(day, code)),
        lines=(site, _printed_at(tr, now)),
        columns=(_("Device"), _("Time"), _("First name"), _("Code"), _("Status")),
        widths=(2.6, 3.0, 2.6, 1.8, 2.4),
        rows=rows,
        empty=_("No bookings on this day."),
        page_text=_page_text(tr),
        right_to_left=tr.current.is_rtl,
    )


def week_sheet(
    tr: Translator, service: BookingService, site: str, monday: date, now: datetime
) -> Sheet:
    """When each device is taken from Monday to Sunday, for the noticeboard: times, no names."""
    _ = tr.gettext
    code = tr.current.code
    days = [monday + timedelta(days=n) for n in range(7)]
    taken: dict[tuple[str, date], list[Booking]] = {}
    for booking in service.bookings_between(days[0], days[-1]):
        if booking.active:
            taken.setdefault((booking.device_id, booking.start.date()), []).append(booking)
    closed = {day for day in days if service.calendar.closed_reason(day) is not None}
    statuses = service.statuses()
    rows = []
    for device in service.devices:
        title = device_name(device, device.id, code)
        status = statuses.get(device.id, DeviceStatus.AVAILABLE)
        if not status.lendable:
            title = f"{title}\n{device_status_text(tr, status)}"
        cells = [title]
        for day in days:
            if day in closed:
                cells.append(_("Closed"))
                continue
            booked = sorted(taken.get((device.id, day), []), key=lambda b: b.start)
            cells.append("\n".join(_times(tr, b) for b in booked) or "\u2013")
        rows.append(tuple(cells))
    _year, number, _weekday = monday.isocalendar()
    return Sheet(
        title=_("Week {number}: {first} to {last}").format(
            number=tr.number(number),
            first=day_title(days[0], code, "MMMd"),
            last=day_title(days[-1], code, "yMMMd"),
        ),
        lines=(
            site,
            _("Times when the devices are booked. Ask at the desk for a free slot."),
            _printed_at(tr, now),
        ),
        columns=(_("Device"), *(day_title(day, code) for day in days)),
        widths=(2.6, *([1.6] * 7)),
        rows=tuple(rows),
        empty=_("No devices."),
        page_text=_page_text(tr),
        landscape=True,
        right_to_left=tr.current.is_rtl,
    )


def affected_sheet(
    tr: Translator,
    device: DevicePolicy,
    status: DeviceStatus,
    bookings: Sequence[Booking],
    site: str,
    now: datetime,
) -> Sheet:
    """A broken device's bookings, to call or move the visitors."""
    _ = tr.gettext
    code = tr.current.code
    name = device_name(device, device.id, code)
    rows = tuple(
        (
            day_title(b.start.date(), code, "yMMMEd"),
            _times(tr, b),
            visitor_name(tr, b),
            isolated(b.printed_code),
            booking_status_text(tr, b.status),
        )
        for b in sorted(bookings, key=lambda b: b.start)
    )
    return Sheet(
        title=_("Affected bookings: {device}").format(device=name),
        lines=(
            site,
            _("Status: {status}").format(status=device_status_text(tr, status)),
            _printed_at(tr, now),
        ),
        columns=(_("Day"), _("Time"), _("First name"), _("Code"), _("Status")),
        widths=(2.8, 3.0, 2.4, 1.8, 2.4),
        rows=rows,
        empty=_("No upcoming bookings are affected."),
        page_text=_page_text(tr),
        right_to_left=tr.current.is_rtl,
    )


def outcome_text(tr: Translator, outcome: PrintOutcome) -> str:
    """What became of a printout, in one or two plain sentences (without the ✓/✕ sign)."""
    _ = tr.gettext
    if outcome.printed:
        text = _("Sent to {printer}.").format(printer=outcome.printer)
        if not outcome.paper_set:
            text += " " + _("The printer did not take A4: it prints on the paper it has.")
        return text
    too_long = _("Not printed: {printer} did not take the job. Is it switched on, with paper?")
    return not_printed_text(_, outcome, too_long.format(printer=outcome.printer))


class PrintChoice(QFrame):
    """The small choice under the Print button: today's list or this week's plan. It lies over
    the desk (not a window of its own: a kiosk has no window manager); Print again closes it."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("deskPanel")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(8)
        self.today = action_button(self, "primary")
        self.week = action_button(self, "primary")
        layout.addWidget(self.today)
        layout.addWidget(self.week)
        self.hide()

    def retranslate(self, tr: Translator) -> None:
        _ = tr.gettext
        self.today.set_text(_("Today's list"))
        self.today.setAccessibleName(_("Print today's list of bookings"))
        self.week.set_text(_("This week's plan"))
        self.week.setAccessibleName(_("Print this week's plan for the noticeboard"))


class DayPrint(QObject):
    """The desk's printouts: what is printed, on which printer, and what the desk says then."""

    def __init__(
        self,
        desk: StaffBookingsScreen,
        translator: Translator,
        bookings: BookingsGetter,
        site: Callable[[], str],
        printer: SheetPrinter = send_sheet,
    ) -> None:
        super().__init__(desk)
        self._desk = desk
        self._tr = translator
        self._bookings = bookings
        self._site = site
        self.printer = printer
        self.choice = PrintChoice(desk)
        self.choice.today.clicked.connect(self.print_today)
        self.choice.week.clicked.connect(self.print_week)

    def open_choice(self) -> None:
        """The choice under the Print button, its edge at the button's reading side; a second
        tap on Print closes it."""
        if self.choice.isVisible():
            self.choice.hide()
            return
        self.choice.retranslate(self._tr)
        self.choice.setFixedWidth(max(280, self._desk.bar.print_button.width()))
        self.choice.adjustSize()
        button = self._desk.bar.print_button
        corner = button.mapTo(self._desk, QPoint(0, button.height() + 4))
        if self._desk.layoutDirection() == Qt.LayoutDirection.RightToLeft:
            corner.setX(corner.x() + button.width() - self.choice.width())
        corner.setX(max(0, min(corner.x(), self._desk.width() - self.choice.width())))
        self.choice.move(corner)
        self.choice.raise_()
        self.choice.show()

    def _day(self, service: BookingService) -> date:
        return self._desk.shown_day or service.today()

    def print_today(self) -> None:
        """The shown day's list (today's, unless staff went to another day)."""
        self.choice.hide()
        self._print(lambda s: today_sheet(self._tr, s, self._site(), self._day(s), s.now()))

    def print_week(self) -> None:
        """The plan of the week the shown day is in."""
        self.choice.hide()

        def sheet(service: BookingService) -> Sheet:
            day = self._day(service)
            monday = day - timedelta(days=day.weekday())
            return week_sheet(self._tr, service, self._site(), monday, service.now())

        self._print(sheet)

    def print_affected(self, device: object, bookings: object) -> None:
        """A broken device's bookings (from the device panel's "Print this list")."""
        if not isinstance(device, DevicePolicy) or not isinstance(bookings, list):
            return

        def sheet(service: BookingService) -> Sheet:
            status = service.status_of(device.id)
            return affected_sheet(self._tr, device, status, bookings, self._site(), service.now())

        self._print(sheet, self._desk.device_panel.say)

    def _print(
        self,
        make: Callable[[BookingService], Sheet],
        say: Callable[[str, str], None] | None = None,
    ) -> None:
        tell = say or (lambda tone, text: set_tone(self._desk.bar.feedback, tone, text))
        service = self._bookings()
        if service is None:
            tell("error", storage_failed(self._tr))
            return
        try:
            sheet = make(service)  # read before the printer is asked: a read error prints nothing
        except StorageError:
            log.exception("the bookings to print could not be read")
            tell("error", storage_failed(self._tr))
            return
        outcome = self.printer(lambda: sheet)
        tell("ok" if outcome.printed else "error", outcome_text(self._tr, outcome))


def install(desk: StaffBookingsScreen) -> DayPrint:
    """Wire the desk's Print button and the device panel's "Print this list"."""
    printouts = DayPrint(desk, desk._tr, desk._bookings, desk._site)
    desk.bar.print_button.clicked.connect(printouts.open_choice)
    desk.device_panel.print_requested.connect(printouts.print_affected)
    return printouts
