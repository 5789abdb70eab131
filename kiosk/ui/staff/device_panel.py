"""The staff desk's panel for one device: its status, its next bookings, wiped, broken, repaired.

A broken device (or one in repair) lists every booking it still has, each with one-touch moves
to a free device of the same kind, and the list can be printed for calling the visitors.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QPushButton, QWidget

from kiosk.core.bookings import (
    Booking,
    DevicePolicy,
    DeviceStatus,
)
from kiosk.core.i18n import Translator
from kiosk.storage import StorageError
from kiosk.ui.parts.desk_style import action_button, set_tone, storage_failed
from kiosk.ui.parts.screen_base import label
from kiosk.ui.staff.affected import AffectedList, move_targets
from kiosk.ui.staff.panels import BookingsGetter, DeskPanel
from kiosk.ui.staff.texts import device_name, device_status_text, problem_text

log = logging.getLogger(__name__)


class DevicePanel(DeskPanel):
    """One device: its status (wiped, broken, in repair, available) and its next bookings."""

    changed = Signal()
    """The device's status changed: the desk shows the new state."""
    booking_requested = Signal(object)
    """Staff tapped one of the device's bookings (the Booking)."""
    walk_in_requested = Signal(str)
    """Staff want to book a walk-in on this device; its id."""
    print_requested = Signal(object, object)
    """Staff want the affected bookings on paper: the DevicePolicy and the list of Bookings."""

    def __init__(
        self, translator: Translator, bookings: BookingsGetter, parent: QWidget | None = None
    ) -> None:
        super().__init__(translator, parent)
        self._bookings = bookings
        self.device: DevicePolicy | None = None
        self.status: DeviceStatus = DeviceStatus.AVAILABLE
        self._upcoming: list[Booking] = []
        self._affected_shown = False
        self.title = label(self.frame, "panelTitle")
        self.location = label(self.frame, "muted")
        self.state = label(self.frame, "sectionTitle")
        self.message = label(self.frame)
        self.message.hide()
        self.walk_in = action_button(self.frame, "primary")
        self.walk_in.clicked.connect(self._walk_in)
        self.wiped = action_button(self.frame, "primary")
        self.wiped.clicked.connect(self._mark_wiped)
        self.available = action_button(self.frame, "primary")
        self.available.clicked.connect(lambda: self._set_status(DeviceStatus.AVAILABLE))
        self.broken = action_button(self.frame, "danger")
        self.broken.clicked.connect(lambda: self._set_status(DeviceStatus.BROKEN))
        self.in_repair = action_button(self.frame)
        self.in_repair.clicked.connect(lambda: self._set_status(DeviceStatus.IN_REPAIR))
        self.upcoming_title = label(self.frame, "sectionTitle")
        self.print_list = action_button(self.frame)
        self.print_list.clicked.connect(self._print)
        self.upcoming_list = AffectedList(translator, self.frame)
        self.upcoming_list.booking_requested.connect(self.booking_requested)
        self.upcoming_list.move_requested.connect(self._move)
        for widget in (self.title, self.location, self.state, self.message):
            self.body.addWidget(widget)
        for button in (self.wiped, self.walk_in, self.available, self.broken, self.in_repair):
            self.body.addWidget(button)
        self.body.addWidget(self.upcoming_title)
        self.body.addWidget(self.print_list)
        self.body.addLayout(self.upcoming_list.layout)
        self.retranslate_ui()

    def show_device(
        self, device: DevicePolicy, status: DeviceStatus, upcoming: Sequence[Booking]
    ) -> None:
        if self.device is None or self.device.id != device.id:
            self.message.hide()
            self._affected_shown = False
        self.device = device
        self.status = status
        self._set_upcoming(upcoming)
        self.retranslate_ui()

    @property
    def upcoming_buttons(self) -> list[QPushButton]:
        return self.upcoming_list.booking_buttons

    def move_buttons(self, booking_id: int) -> dict[str, QPushButton]:
        """The one-touch moves of an affected booking, by device id."""
        return self.upcoming_list.move_buttons(booking_id)

    def _set_upcoming(self, upcoming: Sequence[Booking]) -> None:
        # All of them, however many: staff must reach every visitor of a broken device.
        self._upcoming = list(upcoming)
        service = self._bookings()
        targets: dict[int, list[str]] = {}
        devices: Sequence[DevicePolicy] = ()
        if service is not None:
            devices = service.devices
            if not self.status.lendable:
                try:
                    targets = move_targets(service, self._upcoming)
                except StorageError:
                    log.exception("the free devices for moves could not be read")
        self.upcoming_list.show_bookings(self._upcoming, devices, targets)

    def retranslate_ui(self) -> None:
        super().retranslate_ui()
        _ = self._tr.gettext
        code = self._tr.current.code
        self.walk_in.set_text(_("Book a walk-in on this device"))
        self.wiped.set_text(_("Data wiped: offer it again"))
        self.available.set_text(_("Available again"))
        self.broken.set_text(_("Mark as broken"))
        self.in_repair.set_text(_("Mark as in repair"))
        device = self.device
        if device is None:
            return
        self.title.setText(device_name(device, device.id, code))
        self.location.setText(device.place(code))
        self.location.setVisible(bool(self.location.text()))
        status = self.status
        self.state.setText(
            _("Status: {status}").format(status=device_status_text(self._tr, status))
        )
        self.wiped.setVisible(status is DeviceStatus.NEEDS_WIPING)
        self.walk_in.setVisible(status.lendable)
        self.available.setVisible(not status.lendable)
        self.broken.setVisible(status is not DeviceStatus.BROKEN)
        self.in_repair.setVisible(status is not DeviceStatus.IN_REPAIR)
        if not status.lendable:
            title = (
                _("Affected bookings: please call or move these visitors")
                if self._upcoming
                else _("No upcoming bookings are affected.")
            )
        else:
            title = _("Next bookings") if self._upcoming else _("No upcoming bookings.")
        self.upcoming_title.setText(title)
        self.print_list.set_text(_("Print this list"))
        self.print_list.setVisible(not status.lendable and bool(self._upcoming))
        self.upcoming_list.retranslate_ui()

    def say(self, tone: str, text: str) -> None:
        set_tone(self.message, tone, text)

    def _walk_in(self) -> None:
        if self.device is not None:
            self.walk_in_requested.emit(self.device.id)

    def _mark_wiped(self) -> None:
        service, device = self._bookings(), self.device
        if service is None or device is None:
            return
        try:
            service.mark_wiped(device.id)
        except StorageError:
            log.exception("marking a device wiped failed")
            self.say("error", storage_failed(self._tr))
            return
        self.say("ok", self._tr.gettext("Marked as wiped. Visitors can book it again."))
        self.changed.emit()

    def _set_status(self, status: DeviceStatus) -> None:
        service, device = self._bookings(), self.device
        if service is None or device is None:
            return
        _ = self._tr.gettext
        try:
            affected = service.set_device_status(device.id, status)
        except StorageError:
            log.exception("changing a device status failed")
            self.say("error", storage_failed(self._tr))
            return
        if status.lendable:
            self.say("ok", _("Available again. Visitors can book it."))
        else:
            text = self._tr.ngettext(
                "Hidden from visitors. {n} upcoming booking is affected.",
                "Hidden from visitors. {n} upcoming bookings are affected.",
                len(affected),
            ).format(n=self._tr.number(len(affected)))
            self.say("warn" if affected else "ok", text)
        self.status = status
        self._set_upcoming(affected)
        self.retranslate_ui()
        self.changed.emit()

    def _print(self) -> None:
        if self.device is not None:
            self.print_requested.emit(self.device, list(self._upcoming))

    def _move(self, booking: Booking, device_id: str) -> None:
        """One touch: the booking goes to ``device_id`` at the same time, with the same code."""
        service = self._bookings()
        if service is None:
            return
        _ = self._tr.gettext
        target = device_name(service.device(device_id), device_id, self._tr.current.code)
        try:
            problem = service.move(booking.id, device_id)
            upcoming = service.upcoming(booking.device_id)
        except StorageError:
            log.exception("moving a booking off a broken device failed")
            self.say("error", storage_failed(self._tr))
            return
        if problem is None:
            self.say("ok", _("Moved to {device}.").format(device=target))
        else:
            self.say(
                "error",
                _("Cannot move to {device}: {reason}").format(
                    device=target, reason=problem_text(self._tr, problem)
                ),
            )
        self._set_upcoming(upcoming)
        self.retranslate_ui()
        self.changed.emit()
