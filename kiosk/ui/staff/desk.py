"""The staff desk for device bookings: check in by code, the day per device, walk-ins, devices.

What a busy member of staff needs at a glance: a check-in field that is always ready for the
next typed or scanned code (a USB scanner types the code and Enter) with a clear green or red
answer; the day (or week) as a timeline per device; and beside it a panel for what was tapped —
a booking with its actions, a device with its status, a walk-in, or the exports. No-shows are
released by the kiosk itself; the screen reads everything again twice a minute, so they show.

On a terminal joined to a hub the desk shows the whole site's bookings (they come down with the
sync), a red line when bookings need a new time (conflicts, kiosk.ui.staff.conflicts), and
sends every change made here on its way at once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, timedelta

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QResizeEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QVBoxLayout,
    QWidget,
)

from kiosk.core.bookings import Booking, BookingService, BookingStatus
from kiosk.core.i18n import Translator
from kiosk.storage import StorageError
from kiosk.storage.drives import ExportPlaces
from kiosk.ui.parts.desk_style import STYLE, action_button
from kiosk.ui.parts.hub_booking import HubBooking, HubLink
from kiosk.ui.parts.screen_base import ScreenBase
from kiosk.ui.staff.conflicts import conflicts_line
from kiosk.ui.staff.day_print import install as install_day_print
from kiosk.ui.staff.desk_bar import DeskBar
from kiosk.ui.staff.desk_check_in import DeskCheckIn, problem_text
from kiosk.ui.staff.desk_stacks import DeskPanels, DeskViews
from kiosk.ui.staff.edit_panel import install as install_edit
from kiosk.ui.staff.find_panel import install as install_find
from kiosk.ui.staff.plan_panel import install as install_plan
from kiosk.ui.staff.print_check import SlipSender
from kiosk.ui.staff.reprint import SlipSettings
from kiosk.ui.staff.texts import isolated
from kiosk.ui.staff.views import DeskReading, read_desk

log = logging.getLogger(__name__)

REFRESH_MS = 30_000
SHARED_POLL_MS = 1000  # a joined terminal: has the sync brought the site's bookings anew?


class StaffBookingsScreen(ScreenBase):
    """Check-in field, day/week navigation, the timeline and a panel for what was tapped."""

    back_requested = Signal()
    """Staff want the terminal overview (staff home) again."""

    def __init__(
        self,
        translator: Translator,
        bookings: Callable[[], BookingService | None],
        parent: QWidget | None = None,
        *,
        export_places: ExportPlaces,
        site_name: str = "",
        refresh_ms: int = REFRESH_MS,
        hub: HubLink | None = None,
        slips: SlipSettings | None = None,
        printer: SlipSender | None = None,
    ) -> None:
        """``bookings`` gives the booking service, or None while the database is not open;
        exports go to one of ``export_places`` (a USB stick); ``hub``: how a
        terminal joined to a hub books walk-ins there and sends changes at once; ``slips``
        and ``printer``: a booking's slip printed again (the chosen printer by default)."""
        super().__init__(translator, parent)
        self.setObjectName("staffBookings")
        self.setStyleSheet(STYLE)
        self._bookings = bookings
        self._hub_link = hub
        self._hub = HubBooking(self, hub)
        self._export_places = export_places
        self._site_name = site_name
        self._slips, self._printer = slips, printer
        self._day: date | None = None
        self._week = False
        self._reading: DeskReading | None = None
        self._selected: int | None = None
        self._problem = ""  # "closed" (no database) or "failed" (it could not be read)
        self.refresh_timer = QTimer(self)
        self.refresh_timer.setInterval(refresh_ms)
        self.refresh_timer.timeout.connect(self.refresh)
        # What the sync took from the hub shows within a second, not at the next refresh.
        self._shared_seen = 0
        self.shared_timer = QTimer(self)
        self.shared_timer.setInterval(SHARED_POLL_MS)
        self.shared_timer.timeout.connect(self._shared_changed)
        self._build()
        self.retranslate_ui()

    # -- building --------------------------------------------------------------------------

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 10, 16, 10)
        layout.setSpacing(8)
        self.bar = DeskBar(self)
        self.bar.back.clicked.connect(self.back_requested)
        self.checking = DeskCheckIn(
            self._tr,
            self._bookings,
            self.bar,
            self._hub,
            refresh=self.refresh,
            reading=lambda: self._reading,
            problem=lambda: self._problem,
            select=self.select_booking,
        )
        self.bar.code_field.returnPressed.connect(self.check_in)
        self.bar.check_in_button.clicked.connect(self.check_in)
        self.bar.walk_in_button.clicked.connect(lambda: self.open_walk_in(""))
        self.bar.export_button.clicked.connect(lambda: self._show_panel("export"))
        self.bar.previous.clicked.connect(lambda: self._step(-1))
        self.bar.today.clicked.connect(self.go_today)
        self.bar.next.clicked.connect(lambda: self._step(+1))
        self.bar.day_button.clicked.connect(lambda: self.set_week(False))
        self.bar.week_button.clicked.connect(lambda: self.set_week(True))

        # Shown while bookings of the site need a new time; a tap lists them.
        self.conflict_bar = action_button(self, "conflictBar")
        self.conflict_bar.clicked.connect(self.show_conflicts)
        self.conflict_bar.hide()

        self.views = DeskViews(self)
        self.timeline = self.views.timeline
        self.week = self.views.week
        self.unavailable = self.views.unavailable
        self.timeline.booking_chosen.connect(self.select_booking)
        self.timeline.device_chosen.connect(self.show_device)
        self.week.day_chosen.connect(self._week_day_chosen)

        self.panels = DeskPanels(
            self._tr,
            self._bookings,
            self,
            export_places=self._export_places,
            site_name=self._site,
            hub=self._hub_link,
            slips=self._slips,
            printer=self._printer,
        )
        panels = self.panels
        self.agenda, self.booking_panel = panels.agenda, panels.booking_panel
        self.device_panel, self.walk_in = panels.device_panel, panels.walk_in
        self.export, self.conflicts = panels.export, panels.conflicts
        self.agenda.booking_chosen.connect(self.select_booking)
        self.booking_panel.check_in_requested.connect(self.check_in_code)
        self.booking_panel.changed.connect(self._changed)
        self.booking_panel.rescheduled.connect(self._rescheduled)
        self.device_panel.changed.connect(self._changed)
        self.device_panel.booking_requested.connect(self.show_booking)
        self.device_panel.walk_in_requested.connect(self.open_walk_in)
        self.walk_in.booked.connect(self._walk_in_booked)
        self.walk_in.changed.connect(self._changed)
        self.conflicts.changed.connect(self._changed)
        install_plan(self)
        self.day_print = install_day_print(self)
        install_find(self)
        install_edit(self)
        for panel in panels.tapped():
            panel.closed.connect(self.show_agenda)

        body = QHBoxLayout()
        body.setSpacing(12)
        body.addWidget(self.views, 1)
        body.addWidget(self.panels)
        layout.addLayout(self.bar.top)
        layout.addWidget(self.bar.feedback)
        layout.addWidget(self.conflict_bar)
        layout.addLayout(self.bar.nav)
        layout.addLayout(body, 1)

    def _site(self) -> str:
        return self._site_name or self.window().windowTitle()

    # -- screen hooks ----------------------------------------------------------------------

    def enter(self) -> None:
        self.checking.forget()
        self._day = None  # back at the desk: today first
        self.refresh()  # first: the field is enabled once the bookings could be read
        self.bar.code_field.setFocus(Qt.FocusReason.OtherFocusReason)
        self.refresh_timer.start()
        if self._hub_link is not None:
            self._shared_seen = self._hub_link.shared_kept()
            self.shared_timer.start()

    def leave(self) -> None:
        self.refresh_timer.stop()
        self.shared_timer.stop()
        self.reset()

    def reset(self) -> None:
        """Nothing of a visitor stays on the screen once staff leave it."""
        self.walk_in.forget()
        self.bar.code_field.setText("")
        self.walk_in.name.setText("")
        self.checking.forget()
        self._show_panel("agenda")

    def resizeEvent(self, event: QResizeEvent) -> None:
        self.panels.fit(event.size().width())
        super().resizeEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # A scanner types wherever the focus is: keys nobody else wanted go to the code field.
        text = event.text()
        plain = not event.modifiers() & ~(
            Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.KeypadModifier
        )
        if text and text.isprintable() and plain and self.bar.code_field.isEnabled():
            self.bar.code_field.setFocus(Qt.FocusReason.OtherFocusReason)
            self.bar.code_field.insert(text)
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.bar.code_field.text():
            self.check_in()
            return
        super().keyPressEvent(event)

    # -- reading the bookings --------------------------------------------------------------

    @property
    def shown_day(self) -> date | None:
        return self._day

    @property
    def week_view(self) -> bool:
        return self._week

    @property
    def reading(self) -> DeskReading | None:
        """What the last refresh read (None before the first one, or without a database)."""
        return self._reading

    def span(self) -> tuple[date, date]:
        """The first and last day on screen (one day, or Monday to Sunday)."""
        day = self._day or date.today()
        if not self._week:
            return day, day
        monday = day - timedelta(days=day.weekday())
        return monday, monday + timedelta(days=6)

    def refresh(self) -> None:
        """Read the bookings and device states again and show them."""
        service = self._bookings()
        if service is None:
            self._problem, self._reading = "closed", None
            self._render()
            return
        try:
            service.release_no_shows()  # the app does it too; the desk never shows stale ones
            now = service.now()
            if self._day is None:
                self._day = now.date()
            reading = read_desk(service, now, *self.span(), self._tr.current.code)
            device = self.device_panel.device if self.panels.name == "device" else None
            upcoming = service.upcoming(device.id) if device is not None else []
        except StorageError:
            log.exception("the bookings could not be read")
            self._problem, self._reading = "failed", None
            self._render()
            return
        self._problem, self._reading = "", reading
        if self.panels.name == "conflicts" and not reading.conflicts and not self.conflicts.cards:
            self.panels.name = "agenda"  # nothing (left) to do there
        if self._selected is not None and self._selected not in reading.bookings:
            self._selected = None
            if self.panels.name == "booking":
                self.panels.name = "agenda"
        if device is not None:
            self.device_panel.show_device(device, reading.status(device.id), upcoming)
        self._render()

    # -- navigation ------------------------------------------------------------------------

    def set_week(self, week: bool) -> None:
        """Show the week around the shown day (True) or the day itself."""
        self._week = week
        (self.bar.week_button if week else self.bar.day_button).setChecked(True)
        self.refresh()

    def show_day(self, day: date) -> None:
        """Show ``day`` in the day view."""
        self._day = day
        self.set_week(False)

    def go_today(self) -> None:
        service = self._bookings()
        self._day = service.today() if service is not None else date.today()
        self.refresh()

    def _step(self, direction: int) -> None:
        if self._day is not None:
            self._day += timedelta(days=7 * direction if self._week else direction)
            self.refresh()

    def _week_day_chosen(self, day: object, device_id: str) -> None:
        if isinstance(day, date):
            self.show_day(day)
            if device_id:
                self.show_device(device_id)

    # -- panels ----------------------------------------------------------------------------

    @property
    def panel(self) -> str:
        """Which panel is shown: agenda, booking, device, walk_in or export."""
        return self.panels.name

    def _show_panel(self, name: str) -> None:
        self.panels.open(name, self.width())
        if name != "booking":
            self._selected = None
            self.timeline.select(None)

    def show_agenda(self) -> None:
        self._show_panel("agenda")

    def show_conflicts(self) -> None:
        """List the bookings that need a new time, each with the free times to move it to."""
        self.conflicts.message.hide()
        self._show_panel("conflicts")

    def _shared_changed(self) -> None:
        """The sync kept bookings or device states from the hub: show the site's day anew."""
        if self._hub_link is None:
            return
        count = self._hub_link.shared_kept()
        if count != self._shared_seen:
            self._shared_seen = count
            self.refresh()

    def _changed(self) -> None:
        """Something was changed here: on its way to the hub at once, and shown again."""
        self._hub.changed()
        self.refresh()

    def _rescheduled(self, booking: object, text: str) -> None:
        """A booking got a new time: open it on its (new) day and say what was done."""
        self._hub.changed()
        self.refresh()
        self.show_booking(booking)
        self.booking_panel.say("ok", text)

    def select_booking(self, booking_id: int) -> None:
        """Show one booking of the shown day or week with what can be done with it."""
        reading = self._reading
        booking = reading.bookings.get(booking_id) if reading is not None else None
        if reading is None or booking is None:
            return
        self._selected = booking_id
        self.panels.show_booking(reading, booking)
        self._show_panel("booking")
        self.timeline.select(booking_id)

    def show_booking(self, booking: object) -> None:
        """Go to the booking's day and open it (from a device's list of bookings)."""
        if not isinstance(booking, Booking):
            return
        if self._reading is None or booking.id not in self._reading.bookings:
            self.show_day(booking.start.date())
        self.select_booking(booking.id)

    def show_device(self, device_id: str) -> None:
        """Show a device's status and its next bookings."""
        service, reading = self._bookings(), self._reading
        device = reading.device(device_id) if reading is not None else None
        if service is None or reading is None or device is None:
            return
        try:
            upcoming = service.upcoming(device_id)
        except StorageError:
            log.exception("a device's bookings could not be read")
            upcoming = []
        self.device_panel.show_device(device, reading.status(device_id), upcoming)
        self._show_panel("device")

    def open_walk_in(self, device_id: str) -> None:
        """Book a walk-in (on ``device_id``, or choose the device first)."""
        if self._reading is None:
            return
        self.walk_in.prepare(self._reading.devices, self._reading.statuses)
        self.walk_in.open(device_id)
        self._show_panel("walk_in")

    def _walk_in_booked(self, booking: object) -> None:
        if not isinstance(booking, Booking):
            return
        checked_in = booking.status is BookingStatus.CHECKED_IN
        if checked_in:
            self._hub.changed()  # the check-in goes to the hub like any other
        self.refresh()
        self.show_booking(booking)
        _ = self._tr.gettext
        text = (
            _("Walk-in booked and checked in. Give the visitor the code {code}.")
            if checked_in
            else _("Walk-in booked. Give the visitor the code {code}.")
        ).format(code=isolated(booking.printed_code))
        if booking.provisional:
            text += " " + _("Provisional: the hub confirms it later.")
        self.booking_panel.say("ok", text)

    # -- check-in (kiosk.ui.staff.desk_check_in) ------------------------------------------

    def check_in(self) -> None:
        """Check in the code in the field; the field is emptied for the next scan."""
        self.checking.from_field()

    def check_in_code(self, typed: str) -> None:
        """Check in the booking with this code and say clearly what came of it."""
        self.checking.check_in_code(typed)

    # -- showing ---------------------------------------------------------------------------

    def _render(self) -> None:
        """Put the last reading on screen, in the current language (no database access)."""
        _ = self._tr.gettext
        reading = self._reading
        self.bar.set_enabled(reading is not None)
        self.panels.setVisible(reading is not None)
        conflicts = reading.conflicts if reading is not None else ()
        ahead = "←" if self.layoutDirection() == Qt.LayoutDirection.RightToLeft else "→"
        self.conflict_bar.set_text(f"{conflicts_line(self._tr, len(conflicts))}  {ahead}")
        self.conflict_bar.setAccessibleName(_("Show the bookings that need a new slot"))
        self.conflict_bar.setVisible(bool(conflicts))
        self.bar.name_arrows(self._tr, week=self._week)
        if reading is None:
            self.views.show_unavailable(problem_text(self._tr, self._problem or "closed"))
            self.bar.show_span(self._tr, None)
            return
        self.bar.show_span(
            self._tr, (reading.first, reading.last), today=reading.today, week=self._week
        )
        self.views.show_reading(
            self._tr, reading, week=self._week, focus_day=self._day, selected=self._selected
        )
        self.panels.show_reading(self._tr, reading, week=self._week, selected=self._selected)
        self.panels.open(self.panels.name, self.width())

    def retranslate_ui(self) -> None:
        _ = self._tr.gettext
        self.bar.retranslate(self._tr, self.layoutDirection())
        self.timeline.setAccessibleName(_("Bookings per device"))
        self.week.setAccessibleName(_("Bookings per device and day"))
        self.checking.retranslate()
        self.panels.retranslate_ui()
        if self.refresh_timer.isActive():
            self.refresh()  # on screen: read again, for the holidays' names in the new language
        else:
            self._render()
