"""The staff desk's Edit panel: change a booking's start, end or device; the code stays.

Opened from a booking's panel (Change). Staff step the end or the start earlier or later by the
device's slot step, or choose another device of the same kind; before anything is saved the
panel shows the booking as it would be and, in words, the rule the change would break (another
booking, the opening hours, …). Save asks the booking service to edit the booking in place:
the visitor's code and slip stay valid, and the panel confirms what was done.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QPushButton, QWidget

from kiosk.core.bookings import Booking, BookingProblem, DevicePolicy
from kiosk.core.i18n import Translator, format_slot, format_time
from kiosk.storage import StorageError
from kiosk.ui.parts.desk_style import action_button, set_tone, storage_failed
from kiosk.ui.parts.screen_base import label
from kiosk.ui.staff.panels import BookingsGetter, DeskPanel
from kiosk.ui.staff.texts import device_name, isolated, problem_text

if TYPE_CHECKING:
    from kiosk.ui.staff.desk import StaffBookingsScreen

log = logging.getLogger(__name__)


class EditPanel(DeskPanel):
    """One booking's start, end and device to change, what that would give, and Save."""

    edited = Signal(object)
    """The booking was changed (the Booking as it is now)."""

    def __init__(
        self, translator: Translator, bookings: BookingsGetter, parent: QWidget | None = None
    ) -> None:
        super().__init__(translator, parent)
        self._bookings = bookings
        self.booking: Booking | None = None
        self._devices: dict[str, DevicePolicy] = {}
        self.start: datetime | None = None
        self.end: datetime | None = None
        self.device_id = ""
        self.problem: BookingProblem | None = None
        self.title = label(self.frame, "panelTitle")
        self.code = label(self.frame, "bookingCode", wrap=False)
        self.code.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.code_note = label(self.frame, "muted")
        grid = QGridLayout()
        grid.setSpacing(8)
        self.start_title = label(self.frame, "sectionTitle")
        self.start_earlier = action_button(self.frame)
        self.start_later = action_button(self.frame)
        self.end_title = label(self.frame, "sectionTitle")
        self.end_earlier = action_button(self.frame)
        self.end_later = action_button(self.frame)
        for row, (title, earlier, later) in enumerate(
            (
                (self.start_title, self.start_earlier, self.start_later),
                (self.end_title, self.end_earlier, self.end_later),
            )
        ):
            grid.addWidget(title, 2 * row, 0, 1, 2)
            grid.addWidget(earlier, 2 * row + 1, 0)
            grid.addWidget(later, 2 * row + 1, 1)
        self.start_earlier.clicked.connect(lambda: self._step("start", -1))
        self.start_later.clicked.connect(lambda: self._step("start", +1))
        self.end_earlier.clicked.connect(lambda: self._step("end", -1))
        self.end_later.clicked.connect(lambda: self._step("end", +1))
        self.device_title = label(self.frame, "sectionTitle")
        self._device_grid = QGridLayout()
        self._device_grid.setSpacing(8)
        self.device_chips: dict[str, QPushButton] = {}
        self.result = label(self.frame)
        self.check = label(self.frame)
        self.save = action_button(self.frame, "primary")
        self.save.clicked.connect(self._save)
        self.undo = action_button(self.frame)
        self.undo.clicked.connect(self._reset)
        self.message = label(self.frame)
        self.message.hide()
        for widget in (self.title, self.code, self.code_note, self.message):
            self.body.addWidget(widget)
        self.body.addLayout(grid)
        self.body.addWidget(self.device_title)
        self.body.addLayout(self._device_grid)
        for shown in (self.result, self.check, self.save, self.undo):
            self.body.addWidget(shown)
        self.retranslate_ui()

    # -- what is edited --------------------------------------------------------------------

    @property
    def step(self) -> timedelta:
        """The device's slot step: what one tap moves the start or the end by."""
        device = self._devices.get(self.device_id)
        return timedelta(minutes=device.step_minutes if device is not None else 15)

    def show_booking(self, booking: Booking, devices: Sequence[DevicePolicy]) -> None:
        """Edit ``booking``; ``devices``: all of the site's (those of its kind are offered)."""
        self.booking = booking
        self._devices = {device.id: device for device in devices}
        self.message.hide()
        self._rebuild_device_chips()
        self._reset()

    def _reset(self) -> None:
        booking = self.booking
        if booking is None:
            return
        self.start, self.end, self.device_id = booking.start, booking.end, booking.device_id
        self._proposed()

    def _step(self, which: str, direction: int) -> None:
        if self.start is None or self.end is None:
            return
        if which == "start":
            self.start += direction * self.step
        else:
            self.end += direction * self.step
        self.message.hide()
        self._proposed()

    def _choose_device(self, device_id: str) -> None:
        self.device_id = device_id
        self.message.hide()
        self._proposed()

    @property
    def changed(self) -> bool:
        booking = self.booking
        return booking is not None and (self.start, self.end, self.device_id) != (
            booking.start,
            booking.end,
            booking.device_id,
        )

    def _proposed(self) -> None:
        """Ask the service what the change would answer, and show it (nothing is saved)."""
        service, booking = self._bookings(), self.booking
        self.problem = None
        if service is not None and booking is not None and self.changed:
            try:
                self.problem = service.edit_problem(
                    booking.id, start=self.start, end=self.end, device_id=self.device_id
                )
            except StorageError:
                log.exception("an edit could not be checked")
                set_tone(self.message, "error", storage_failed(self._tr))
        self.retranslate_ui()

    # -- saving ----------------------------------------------------------------------------

    def _save(self) -> None:
        service, booking = self._bookings(), self.booking
        if service is None or booking is None or not self.changed:
            return
        _ = self._tr.gettext
        try:
            problem = service.edit(
                booking.id, start=self.start, end=self.end, device_id=self.device_id
            )
            now = service.booking(booking.code) if problem is None else None
        except StorageError:
            log.exception("editing a booking failed")
            set_tone(self.message, "error", storage_failed(self._tr))
            return
        if problem is not None:
            set_tone(
                self.message,
                "error",
                _("Not changed: {reason}").format(reason=problem_text(self._tr, problem)),
            )
            self._proposed()
            return
        if now is None:
            return
        self.booking = now
        self._reset()
        set_tone(
            self.message,
            "ok",
            _("Changed to {slot} on {device}. The code {code} stays the same.").format(
                slot=self._slot_text(now.start, now.end),
                device=self._device_name(now.device_id),
                code=isolated(now.printed_code),
            ),
        )
        self.edited.emit(now)

    # -- showing ---------------------------------------------------------------------------

    def _device_name(self, device_id: str) -> str:
        return device_name(self._devices.get(device_id), device_id, self._tr.current.code)

    def _slot_text(self, start: datetime, end: datetime) -> str:
        return format_slot(start, end, self._tr.current.code)

    def _rebuild_device_chips(self) -> None:
        booking = self.booking
        wanted = [
            device.id
            for device in self._devices.values()
            if booking is not None and device.kind == booking.device_kind
        ]
        if list(self.device_chips) == wanted:
            return
        for chip in self.device_chips.values():
            self._device_grid.removeWidget(chip)
            chip.deleteLater()
        self.device_chips = {}
        for index, device_id in enumerate(wanted):
            chip = QPushButton(self.frame)
            chip.setObjectName("chip")
            chip.setCheckable(True)
            chip.clicked.connect(lambda _checked=False, d=device_id: self._choose_device(d))
            self._device_grid.addWidget(chip, index, 0)
            self.device_chips[device_id] = chip

    def retranslate_ui(self) -> None:
        super().retranslate_ui()
        _ = self._tr.gettext
        self.title.setText(_("Change booking"))
        booking = self.booking
        self.save.set_text(_("Save the change"))
        self.undo.set_text(_("Back to the booking as it is"))
        self.device_title.setText(_("Device"))
        minutes = int(self.step.total_seconds() // 60)
        number = self._tr.number(minutes)
        self.start_title.setText(_("Start"))
        self.end_title.setText(_("End"))
        # TRANSLATORS: buttons: the start or end of a booking {n} minutes earlier or later
        earlier = self._tr.ngettext("{n} minute earlier", "{n} minutes earlier", minutes)
        later = self._tr.ngettext("{n} minute later", "{n} minutes later", minutes)
        for button in (self.start_earlier, self.end_earlier):
            button.set_text(earlier.format(n=number))
        for button in (self.start_later, self.end_later):
            button.set_text(later.format(n=number))
        for device_id, chip in self.device_chips.items():
            chip.setText(self._device_name(device_id))
            chip.setChecked(device_id == self.device_id)
        if booking is None or self.start is None or self.end is None:
            return
        self.code.setText(booking.printed_code)
        self.code_note.setText(_("The code stays the same."))
        self.start_title.setText(_("Start: {time}").format(time=self._time(self.start)))
        self.end_title.setText(_("End: {time}").format(time=self._time(self.end)))
        self.result.setText(
            _("Now: {slot} on {device}").format(
                slot=self._slot_text(self.start, self.end), device=self._device_name(self.device_id)
            )
            if self.changed
            else _("As booked: {slot} on {device}").format(
                slot=self._slot_text(booking.start, booking.end),
                device=self._device_name(booking.device_id),
            )
        )
        if not self.changed:
            set_tone(self.check, "idle", _("Tap earlier or later, or another device."))
        elif self.problem is not None:
            set_tone(
                self.check,
                "error",
                _("Not possible: {reason}").format(reason=problem_text(self._tr, self.problem)),
            )
        else:
            set_tone(self.check, "ok", _("Possible. Save to change the booking."))
        self.save.setEnabled(self.changed and self.problem is None)
        self.undo.setVisible(self.changed)

    def _time(self, moment: datetime) -> str:
        return format_time(moment, self._tr.current.code)


def open_edit(desk: StaffBookingsScreen) -> None:
    """Edit the booking shown in the booking panel."""
    booking, reading = desk.booking_panel.booking, desk.reading
    if booking is None or reading is None:
        return
    desk.panels.edit_panel.show_booking(booking, reading.devices)
    desk.panels.open("edit", desk.width())


def install(desk: StaffBookingsScreen) -> None:
    """Wire the Edit panel into the desk: the booking panel's Change button, a saved change
    (sent to the hub and shown on the timeline), and the way back."""
    panel = desk.panels.edit_panel
    desk.booking_panel.change.clicked.connect(lambda: open_edit(desk))
    panel.edited.connect(lambda _booking: desk._changed())  # to the hub, and shown anew
    panel.closed.connect(desk.show_agenda)
