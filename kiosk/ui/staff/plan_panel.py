"""The desk's plan panel: block a device, book a visitor on any day, and date exceptions.

What staff plan ahead rather than do for the person at the desk: a workshop that needs the
tablets every Tuesday afternoon, a visitor who phones to book a day beyond the visitors'
window, a closed day or shorter hours on a date. Every change takes effect at once: the panel
says ``changed`` and the desk reads the bookings again (and sends the change to the hub).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QButtonGroup, QPushButton, QWidget

from kiosk.core.i18n import Translator
from kiosk.ui.parts.flow_layout import FlowLayout
from kiosk.ui.parts.screen_base import label
from kiosk.ui.staff.panels import BookingsGetter, DeskPanel
from kiosk.ui.staff.plan_exceptions import ExceptionsForm
from kiosk.ui.staff.plan_fields import PLAN_STYLE
from kiosk.ui.staff.plan_forms import BlockForm, PlanForm, VisitForm

if TYPE_CHECKING:
    from kiosk.ui.staff.desk import StaffBookingsScreen

SECTIONS = ("block", "visit", "exceptions")


class PlanPanel(DeskPanel):
    """Three forms, one shown at a time: block a device, book a visitor, date exceptions."""

    changed = Signal()
    """Bookings, blocks or exceptions changed: the desk shows them anew."""
    booked = Signal(object)
    """A visitor was booked for a day (the Booking)."""

    def __init__(
        self, translator: Translator, bookings: BookingsGetter, parent: QWidget | None = None
    ) -> None:
        super().__init__(translator, parent)
        self.setStyleSheet(PLAN_STYLE)
        self.title = label(self.frame, "panelTitle")
        self.choices = QWidget(self.frame)
        flow = FlowLayout(self.choices)
        self._group = QButtonGroup(self)
        self.section_buttons: dict[str, QPushButton] = {}
        for name in SECTIONS:
            button = QPushButton(self.choices)
            button.setObjectName("chip")
            button.setCheckable(True)
            button.clicked.connect(lambda _c=False, n=name: self.show_section(n))
            self._group.addButton(button)
            flow.addWidget(button)
            self.section_buttons[name] = button
        self.block = BlockForm(translator, bookings, self.frame)
        self.visit = VisitForm(translator, bookings, self.frame)
        self.exceptions = ExceptionsForm(translator, bookings, self.frame)
        self.body.addWidget(self.title)
        self.body.addWidget(self.choices)
        for form in self.forms():
            self.body.addWidget(form)
            form.changed.connect(self.changed)
        self.visit.booked.connect(self.booked)
        self.section = "block"
        self.show_section("block")
        self.retranslate_ui()

    def forms(self) -> tuple[BlockForm, VisitForm, ExceptionsForm]:
        return (self.block, self.visit, self.exceptions)

    def form(self, name: str) -> PlanForm:
        return dict(zip(SECTIONS, self.forms(), strict=True))[name]

    def open(self) -> None:
        """Read the devices and exceptions anew; messages of the last visit are gone."""
        for form in self.forms():
            form.message.hide()
            form.prepare()
        self.block.results.show_lines([])

    def show_section(self, name: str) -> None:
        self.section = name
        self.section_buttons[name].setChecked(True)
        for section, form in zip(SECTIONS, self.forms(), strict=True):
            form.setVisible(section == name)

    def retranslate_ui(self) -> None:
        super().retranslate_ui()
        _ = self._tr.gettext
        self.title.setText(_("Blocks & exceptions"))
        texts = {
            "block": _("Block a device"),
            "visit": _("Book on any day"),
            "exceptions": _("Date exceptions"),
        }
        for name, button in self.section_buttons.items():
            button.setText(texts[name])
        for form in self.forms():
            form.retranslate()


def install(desk: StaffBookingsScreen) -> None:
    """Open the plan panel from the desk bar; what it changes shows on the desk at once."""
    panel = desk.panels.plan

    def open_plan() -> None:
        panel.open()
        desk.panels.open("plan", desk.width())
        desk.timeline.select(None)

    desk.bar.plan_button.clicked.connect(open_plan)
    panel.closed.connect(desk.show_agenda)
    # The desk's own reaction to a change: sent to the hub at once, then read again.
    panel.changed.connect(desk._changed)
