"""The staff desk's panel for one booking: its details and what can be done with it.

A conflict (a booking the hub gave to no one) offers the next free times of its kind, one tap
each; a provisional booking (made while the hub could not be reached) is checked in as usual.
A late visitor's no-show is checked in again while its slot runs; the slip with the code and its
QR code can be printed again; a block (staff hold the device) can be ended now or removed.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QPushButton, QVBoxLayout, QWidget

from kiosk.core.bookings import (
    Booking,
    BookingStatus,
    DevicePolicy,
    DeviceStatus,
    Slot,
)
from kiosk.core.i18n import LIST_SEPARATOR, Translator, format_slot
from kiosk.storage import StorageError
from kiosk.ui.parts.desk_style import action_button, set_tone, storage_failed
from kiosk.ui.parts.printers import send_slip
from kiosk.ui.parts.screen_base import label
from kiosk.ui.parts.wrapping_button import WrappingButton
from kiosk.ui.staff.conflicts import MoveChoices, slot_text
from kiosk.ui.staff.panels import BookingsGetter, CancelWithQuestion, DeskPanel
from kiosk.ui.staff.print_check import SlipSender
from kiosk.ui.staff.reprint import SlipSettings, reprint_text
from kiosk.ui.staff.texts import (
    booking_status_text,
    device_name,
    device_status_text,
    isolated,
    problem_text,
    visitor_name,
)

log = logging.getLogger(__name__)


class BookingPanel(DeskPanel):
    """One booking: code, device, time, name, status; check in, approve, move, cancel."""

    check_in_requested = Signal(str)
    """Staff pressed Check in; the booking's printed code."""
    changed = Signal()
    """The booking was approved, moved or cancelled: the desk shows the new state."""
    rescheduled = Signal(object, str)
    """The booking got a new time (the Booking as it is now, and what to tell staff)."""

    def __init__(
        self,
        translator: Translator,
        bookings: BookingsGetter,
        parent: QWidget | None = None,
        *,
        slips: SlipSettings | None = None,
        printer: SlipSender = send_slip,
    ) -> None:
        """``slips``: what the site's slip holds; ``printer`` prints it (the chosen printer)."""
        super().__init__(translator, parent)
        self._bookings = bookings
        self._slips = slips or SlipSettings()
        self.printer = printer  # how a slip reaches the chosen printer
        self._running = False  # the booking's slot has not ended (read with the booking)
        self.booking: Booking | None = None
        self._devices: dict[str, DevicePolicy] = {}
        self._statuses: dict[str, DeviceStatus] = {}
        self._alternatives: tuple[Slot, ...] = ()
        self.code = label(self.frame, "bookingCode", wrap=False)
        self.code.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.code.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status = label(self.frame, "sectionTitle")
        self.details = label(self.frame)
        self.message = label(self.frame)
        self.message.hide()
        self.check_in = action_button(self.frame, "primary")
        self.check_in.clicked.connect(self._check_in)
        self.approve = action_button(self.frame, "primary")
        self.approve.clicked.connect(self._approve)
        self.restore = action_button(self.frame, "primary")
        self.restore.clicked.connect(self._restore)
        self.end_block = action_button(self.frame)
        self.end_block.clicked.connect(self._end_block)
        self.reprint = action_button(self.frame)
        self.reprint.clicked.connect(self.print_slip)
        self.change = action_button(self.frame)  # opens kiosk.ui.staff.edit_panel
        self.move_title = label(self.frame, "muted")
        self.move_targets = QVBoxLayout()
        self.move_targets.setSpacing(8)
        self._move_buttons: dict[str, WrappingButton] = {}
        self.new_time = MoveChoices(self.frame)
        self.new_time.chosen.connect(self._reschedule)
        self.cancelling = CancelWithQuestion(self.frame)
        self.cancelling.confirmed.connect(self._cancel)
        self.note = label(self.frame, "muted")
        for widget in (self.code, self.status, self.details, self.message):
            self.body.addWidget(widget)
        self.body.addWidget(self.check_in)
        self.body.addWidget(self.approve)
        self.body.addWidget(self.restore)
        self.body.addWidget(self.end_block)
        self.body.addWidget(self.reprint)
        self.body.addWidget(self.change)
        self.body.addWidget(self.move_title)
        self.body.addLayout(self.move_targets)
        self.body.addWidget(self.new_time)
        self.body.addWidget(self.cancelling)
        self.body.addWidget(self.note)
        self.retranslate_ui()

    # -- showing ---------------------------------------------------------------------------

    def show_booking(
        self,
        booking: Booking,
        devices: Sequence[DevicePolicy],
        statuses: dict[str, DeviceStatus],
        *,
        alternatives: Sequence[Slot] = (),
        keep_message: bool = False,
    ) -> None:
        """Show ``booking`` (again, after a refresh: then an open question stays open);
        ``alternatives``: the free times a conflict can be moved to."""
        same = self.booking is not None and self.booking.id == booking.id
        self.booking = booking
        self._devices = {device.id: device for device in devices}
        self._statuses = statuses
        self._alternatives = tuple(alternatives)
        self.new_time.set_slots(self._alternatives)
        if not same:
            self.cancelling.keep()
        if not (same or keep_message):
            self.message.hide()
        self._running = self._not_over(booking)
        self._rebuild_move_targets()
        self.retranslate_ui()

    def _not_over(self, booking: Booking) -> bool:
        service = self._bookings()
        try:
            return service is not None and booking.end > service.now()
        except StorageError:
            return False

    def say(self, tone: str, text: str) -> None:
        set_tone(self.message, tone, text)

    def _rebuild_move_targets(self) -> None:
        booking = self.booking
        wanted = (
            [
                device.id
                for device in self._devices.values()
                if booking is not None
                and device.kind == booking.device_kind
                and device.id != booking.device_id
            ]
            if booking is not None
            else []
        )
        if list(self._move_buttons) != wanted:
            for button in self._move_buttons.values():
                self.move_targets.removeWidget(button)
                button.deleteLater()
            self._move_buttons = {}
            for device_id in wanted:
                button = action_button(self.frame)
                button.clicked.connect(lambda _checked=False, d=device_id: self._move(d))
                self.move_targets.addWidget(button)
                self._move_buttons[device_id] = button

    @property
    def move_buttons(self) -> dict[str, QPushButton]:
        return dict(self._move_buttons)

    def retranslate_ui(self) -> None:
        super().retranslate_ui()
        _ = self._tr.gettext
        code = self._tr.current.code
        self.check_in.set_text(_("Check in"))
        self.approve.set_text(_("Approve"))
        self.restore.set_text(_("The visitor is here: check in after all"))
        self.end_block.set_text(_("End the block now"))
        self.reprint.set_text(_("Print the slip again"))
        self.reprint.setAccessibleName(_("Print the booking slip with its code and QR code again"))
        self.change.set_text(_("Change"))
        self.change.setAccessibleName(_("Change the slot or the device"))
        if self.booking is not None and self.booking.blocked:
            question = _("Remove this block? The time becomes free for bookings again.")
        elif self.booking is not None and self.booking.status is BookingStatus.CONFLICT:
            question = _(
                "Cancel this booking? The visitor's code stops working; this cannot be undone."
            )
        else:
            question = _(
                "Cancel this booking? The slot becomes free for others; this cannot be undone."
            )
        self.cancelling.retranslate(self._tr, question)
        self.move_title.setText(_("Move to another device of this kind:"))
        booking = self.booking
        if booking is None:
            return
        self.code.setText(booking.printed_code)
        self.code.setAccessibleName(
            _("Booking code {code}").format(code=" ".join(booking.printed_code))
        )
        self.status.setText(
            _("Blocked: {reason}").format(reason=booking.reason or "–")
            if booking.blocked
            else booking_status_text(self._tr, booking.status)
        )
        device = self._devices.get(booking.device_id)
        lines = [
            device_name(device, booking.device_id, code),
            format_slot(booking.start, booking.end, code),
        ]
        if not booking.blocked:
            lines.append(visitor_name(self._tr, booking))
        if device is not None and (place := device.place(code)):
            lines[0] += f"{LIST_SEPARATOR}{place}"
        if booking.walk_in:
            lines.append(_("Walk-in, booked at the desk"))
        self.details.setText("\n".join(lines))
        for device_id, button in self._move_buttons.items():
            target = self._devices.get(device_id)
            status = self._statuses.get(device_id, DeviceStatus.AVAILABLE)
            name = device_name(target, device_id, code)
            if not status.lendable:
                name = f"{name} ({device_status_text(self._tr, status)})"
            button.set_text(name)
        self._show_actions(booking)

    def _show_actions(self, booking: Booking) -> None:
        _ = self._tr.gettext
        status = booking.status
        conflict = status is BookingStatus.CONFLICT
        block = booking.blocked
        visit = not block
        self.check_in.setVisible(
            visit and status in (BookingStatus.CONFIRMED, BookingStatus.PROVISIONAL)
        )
        self.approve.setVisible(visit and status is BookingStatus.PENDING)
        self.restore.setVisible(visit and status is BookingStatus.NO_SHOW and self._running)
        started = self._running and self._started(booking)
        self.end_block.setVisible(block and booking.active and started)
        self.reprint.setVisible(visit and (booking.active or status is BookingStatus.CHECKED_IN))
        self.change.setVisible(booking.active)
        movable = booking.active and bool(self._move_buttons)
        self.move_title.setVisible(movable)
        for button in self._move_buttons.values():
            button.setVisible(movable)
        self.new_time.retranslate(self._tr, list(self._devices.values()))
        self.new_time.setVisible(conflict)
        self.cancelling.setVisible(booking.active or conflict)
        notes = {
            BookingStatus.PROVISIONAL: " ".join(
                (
                    _("Booked while the hub could not be reached."),
                    _("The hub confirms it at the next sync."),
                    _("If the slot was taken elsewhere, it becomes a conflict."),
                )
            ),
            BookingStatus.CONFLICT: " ".join(
                (
                    _("The hub gave this slot to another booking."),
                    _("Give it a new slot below, or cancel it."),
                    _("The visitor keeps the code."),
                )
            ),
            BookingStatus.PENDING: _("Approve this booking before the visitor can check in."),
            BookingStatus.CHECKED_IN: _("The visitor is checked in."),
            BookingStatus.CANCELLED: _(
                "This booking was cancelled; nothing more can be done with it. "
                "If the visitor is here, book a walk-in."
            ),
            BookingStatus.NO_SHOW: _(
                "Released as a no-show: nobody checked in soon enough after the start. "
                "If the visitor is here, book a walk-in."
            ),
        }
        if status is BookingStatus.NO_SHOW and self._running:
            notes[status] = _(
                "Released as a no-show: nobody checked in soon enough after the start. "
                "If the visitor is here now, check them in after all."
            )
        note = "" if block else notes.get(status, "")
        self.note.setText(note)
        self.note.setVisible(bool(note))

    def _started(self, booking: Booking) -> bool:
        service = self._bookings()
        try:
            return service is not None and booking.start < service.now()
        except StorageError:
            return False

    # -- actions ---------------------------------------------------------------------------

    def _check_in(self) -> None:
        if self.booking is not None:
            self.check_in_requested.emit(self.booking.printed_code)

    def _restore(self) -> None:
        service, booking = self._bookings(), self.booking
        if service is None or booking is None:
            return
        _ = self._tr.gettext
        try:
            done = service.restore_no_show(booking.id)
        except StorageError:
            log.exception("restoring a no-show failed")
            self.say("error", storage_failed(self._tr))
            return
        if done:
            self.say("ok", _("Checked in after all. The visitor can start."))
        else:
            self.say(
                "error",
                _("Cannot check in after all: the slot is over or went to someone else."),
            )
        self.changed.emit()

    def _end_block(self) -> None:
        service, booking = self._bookings(), self.booking
        if service is None or booking is None:
            return
        _ = self._tr.gettext
        try:
            problem = service.edit(booking.id, end=service.now())
        except StorageError:
            log.exception("ending a block failed")
            self.say("error", storage_failed(self._tr))
            return
        if problem is None:
            self.say("ok", _("The block ends now. The device is free for bookings again."))
        else:
            self.say(
                "error",
                _("Cannot end the block: {reason}").format(reason=problem_text(self._tr, problem)),
            )
        self.changed.emit()

    def print_slip(self) -> None:
        """Print the booking's slip (code, QR code, time, house rules) again; never on a file."""
        booking = self.booking
        device = self._devices.get(booking.device_id) if booking is not None else None
        if booking is None or device is None:
            return
        slip = self._slips.slip(self._tr, booking, device)
        outcome = self.printer(lambda _printer: slip)
        if outcome.printed:
            log.info("a booking slip was printed again at the desk")
        self.say(*reprint_text(self._tr, outcome))

    def _approve(self) -> None:
        service, booking = self._bookings(), self.booking
        if service is None or booking is None:
            return
        _ = self._tr.gettext
        try:
            done = service.approve(booking.id)
        except StorageError:
            log.exception("approving a booking failed")
            self.say("error", storage_failed(self._tr))
            return
        if done:
            self.say("ok", _("Approved. The visitor can check in."))
        else:
            self.say("error", _("This booking is no longer waiting for approval."))
        self.changed.emit()

    def _cancel(self) -> None:
        service, booking = self._bookings(), self.booking
        if service is None or booking is None:
            return
        _ = self._tr.gettext
        try:
            done = service.cancel(booking.id, staff=True)
        except StorageError:
            log.exception("cancelling a booking failed")
            self.say("error", storage_failed(self._tr))
            return
        if done:
            self.say("ok", _("Cancelled. The slot is free again."))
        else:
            self.say("error", _("This booking can no longer be cancelled."))
        self.changed.emit()

    def _reschedule(self, slot: object) -> None:
        service, booking = self._bookings(), self.booking
        if service is None or booking is None or not isinstance(slot, Slot):
            return
        _ = self._tr.gettext
        try:
            problem = service.reschedule(booking.id, slot)
        except StorageError:
            log.exception("giving a booking a new time failed")
            self.say("error", storage_failed(self._tr))
            return
        if problem is None:
            text = _("Moved to {slot}. The code {code} stays the same.").format(
                slot=slot_text(self._tr, slot, list(self._devices.values())),
                code=isolated(booking.printed_code),
            )
            try:
                moved = service.booking(booking.code)
            except StorageError:
                log.exception("a rescheduled booking could not be read again")
                moved = None
            if moved is not None:
                self.rescheduled.emit(moved, text)  # the desk opens it on its new day
                return
            self.say("ok", text)
        else:
            self.say(
                "error",
                _("Cannot move it there: {reason}").format(reason=problem_text(self._tr, problem)),
            )
        self.changed.emit()

    def _move(self, device_id: str) -> None:
        service, booking = self._bookings(), self.booking
        if service is None or booking is None:
            return
        _ = self._tr.gettext
        try:
            problem = service.move(booking.id, device_id)
        except StorageError:
            log.exception("moving a booking failed")
            self.say("error", storage_failed(self._tr))
            return
        target = device_name(self._devices.get(device_id), device_id, self._tr.current.code)
        if problem is None:
            self.say("ok", _("Moved to {device}.").format(device=target))
        else:
            self.say(
                "error",
                _("Cannot move to {device}: {reason}").format(
                    device=target, reason=problem_text(self._tr, problem)
                ),
            )
        self.changed.emit()
