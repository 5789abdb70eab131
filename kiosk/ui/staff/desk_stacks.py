"""The staff desk's two stacks: what is shown of the bookings (the day's timeline, the week's
grid, or why nothing can be shown) and the panel beside it (the list, or what was tapped)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QStackedWidget, QVBoxLayout, QWidget

from kiosk.core.bookings import Booking, BookingService
from kiosk.core.i18n import Translator
from kiosk.storage.drives import ExportPlaces
from kiosk.ui.parts.desk_style import scrolled
from kiosk.ui.parts.hub_booking import HubLink
from kiosk.ui.parts.screen_base import label
from kiosk.ui.staff.booking_panel import BookingPanel
from kiosk.ui.staff.conflicts import ConflictPanel
from kiosk.ui.staff.device_panel import DevicePanel
from kiosk.ui.staff.edit_panel import EditPanel
from kiosk.ui.staff.export import ExportPanel
from kiosk.ui.staff.find_panel import FindPanel
from kiosk.ui.staff.panels import AgendaPanel
from kiosk.ui.staff.plan_panel import PlanPanel
from kiosk.ui.staff.print_check import SlipSender
from kiosk.ui.staff.reprint import SlipSettings
from kiosk.ui.staff.timeline import DayTimeline
from kiosk.ui.staff.views import DeskReading, agenda, timeline_day, week_view
from kiosk.ui.staff.walk_in import WalkInPanel
from kiosk.ui.staff.week import WeekGrid

PANELS = ("agenda", "booking", "device", "walk_in", "export", "conflicts", "plan", "find", "edit")


class DeskViews(QStackedWidget):
    """The day as a timeline per device, the week as a grid, or a notice why neither shows."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.timeline = DayTimeline(self)
        self.week = WeekGrid(self)
        self.unavailable = label(self, "notice")
        self.unavailable.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeading)
        timeline_scroll = scrolled(self.timeline, self)
        timeline_scroll.setObjectName("timelineScroll")
        self.addWidget(timeline_scroll)
        self.addWidget(scrolled(self.week, self))
        unavailable_page = QWidget(self)
        page_layout = QVBoxLayout(unavailable_page)
        page_layout.setContentsMargins(0, 0, 0, 0)
        page_layout.addWidget(self.unavailable)
        page_layout.addStretch(1)
        self.addWidget(unavailable_page)

    def show_day(self) -> None:
        self.setCurrentIndex(0)

    def show_week(self) -> None:
        self.setCurrentIndex(1)

    def show_reading(
        self,
        tr: Translator,
        reading: DeskReading,
        *,
        week: bool,
        focus_day: date | None,
        selected: int | None,
    ) -> None:
        """The read week as a grid, or its first day as a timeline with ``selected`` marked."""
        if week:
            self.week.set_view(week_view(tr, reading), focus_day=focus_day)
            self.show_week()
        else:
            self.timeline.set_day(timeline_day(tr, reading, reading.first))
            self.timeline.select(selected)
            self.show_day()

    def show_unavailable(self, text: str) -> None:
        self.unavailable.setText(text)
        self.setCurrentIndex(2)


class DeskPanels(QStackedWidget):
    """The panel beside the bookings: the list of the shown day or week (agenda), one booking,
    one device, a walk-in, the exports, or the conflicts; one of PANELS at a time."""

    def __init__(
        self,
        translator: Translator,
        bookings: Callable[[], BookingService | None],
        parent: QWidget | None = None,
        *,
        export_places: ExportPlaces,
        site_name: Callable[[], str],
        hub: HubLink | None,
        slips: SlipSettings | None = None,
        printer: SlipSender | None = None,
    ) -> None:
        super().__init__(parent)
        self.name = "agenda"  # which of PANELS is shown
        self.agenda = AgendaPanel(translator, self)
        self.booking_panel = (
            BookingPanel(translator, bookings, self, slips=slips, printer=printer)
            if printer is not None
            else BookingPanel(translator, bookings, self, slips=slips)
        )
        self.device_panel = DevicePanel(translator, bookings, self)
        self.walk_in = WalkInPanel(translator, bookings, self, hub=hub)
        self.export = ExportPanel(
            translator, bookings, self, export_places=export_places, site_name=site_name
        )
        self.conflicts = ConflictPanel(translator, bookings, self)
        self.addWidget(scrolled(self.agenda, self))
        for panel in self.tapped():
            if panel is not self.walk_in:
                self.addWidget(scrolled(panel, self))
                continue
            # The walk-in's confirm button stays in view below its scrolled form.
            page = QWidget(self)
            page_layout = QVBoxLayout(page)
            page_layout.setContentsMargins(0, 0, 0, 0)
            page_layout.setSpacing(8)
            page_layout.addWidget(scrolled(panel, page), 1)
            page_layout.addWidget(self.walk_in.footer)
            self.addWidget(page)
        self.plan = PlanPanel(translator, bookings, self)  # blocks, staff bookings, exceptions
        self.addWidget(scrolled(self.plan, self))
        self.find_panel = FindPanel(translator, bookings, self)  # a booking by name, code, time
        self.addWidget(scrolled(self.find_panel, self))
        self.edit_panel = EditPanel(translator, bookings, self)  # a booking's time or device
        self.addWidget(scrolled(self.edit_panel, self))

    def tapped(
        self,
    ) -> tuple[BookingPanel, DevicePanel, WalkInPanel, ExportPanel, ConflictPanel]:
        """The panels for what was tapped, in the order of PANELS after the agenda."""
        return (self.booking_panel, self.device_panel, self.walk_in, self.export, self.conflicts)

    def show_reading(
        self, tr: Translator, reading: DeskReading, *, week: bool, selected: int | None
    ) -> None:
        """Give every panel what it shows of the reading (the open booking anew)."""
        self.export.set_span(reading.first, reading.last)
        self.agenda.show_entries(*agenda(tr, reading, week=week))
        self.conflicts.show_conflicts(reading.conflicts, reading.alternatives, reading.devices)
        booking = reading.bookings.get(selected) if selected is not None else None
        if self.name == "booking" and booking is not None:
            self.show_booking(reading, booking)

    def show_booking(self, reading: DeskReading, booking: Booking) -> None:
        """Fill the booking panel with ``booking`` and what can be done with it."""
        self.booking_panel.show_booking(
            booking,
            reading.devices,
            reading.statuses,
            alternatives=reading.alternatives.get(booking.id, ()),
        )

    def open(self, name: str, desk_width: int) -> None:
        self.name = name
        self.fit(desk_width)
        self.setCurrentIndex(PANELS.index(name))

    def fit(self, desk_width: int) -> None:
        """About a third of the desk's width: room for wrapped actions, while the timeline
        keeps the rest. The conflicts get more: each has its times to move it to."""
        if self.name in ("conflicts", "plan"):
            self.setFixedWidth(max(340, min(640, round(desk_width * 0.45))))
        else:
            self.setFixedWidth(max(340, min(480, round(desk_width * 0.3))))

    def retranslate_ui(self) -> None:
        for panel in self.tapped():
            panel.retranslate_ui()
        self.plan.retranslate_ui()
        self.find_panel.retranslate_ui()
        self.edit_panel.retranslate_ui()
