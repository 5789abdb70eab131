"""Booking a walk-in at the desk: device, length, a start from now on, a name — and the code.

Someone stands at the desk and wants to try a device right away. Walk-ins follow the staff
rules of the booking service: no lead time, no approval, and a start up to one slot step in the
past, so the slot that is running now can still be given away. A device whose last visitor's
data is not yet wiped offers no slot until staff mark it wiped (one tap, right here). On a
terminal joined to a hub the walk-in is asked of the hub like a visitor's booking, in the
background (kiosk.ui.parts.hub_booking). When the device is free right now, one tap books the
running slot and checks the visitor in at once: they are standing at the desk.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime, timedelta

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.core.bookings import (
    NAME_MAX,
    Booking,
    BookingService,
    BookOutcome,
    DevicePolicy,
    DeviceStatus,
    clean_name,
    name_problem,
)
from kiosk.core.i18n import Translator, format_time, localise_digits
from kiosk.storage import StorageError
from kiosk.ui.parts.desk_style import action_button, panel_frame, set_tone, storage_failed
from kiosk.ui.parts.flow_layout import FlowLayout
from kiosk.ui.parts.hub_booking import HubBooking, HubLink
from kiosk.ui.parts.screen_base import label
from kiosk.ui.parts.wrapping_button import WrappingButton
from kiosk.ui.staff.panels import BookingsGetter, DeskPanel
from kiosk.ui.staff.texts import (
    device_name,
    device_status_text,
    name_problem_text,
    problem_text,
)

log = logging.getLogger(__name__)
MAX_STARTS = 6  # the running slot and the next ones: two rows of times


def walk_in_starts(
    service: BookingService, device: DevicePolicy, minutes: int, now: datetime
) -> list[datetime]:
    """Today's starts a walk-in of ``minutes`` can have on ``device``: the running slot first."""
    step = timedelta(minutes=device.step_minutes)
    starts: list[datetime] = []
    for opening in service.calendar.opening(now.date()):
        start = opening.start
        if now > start:  # skip whole steps that are over (the running one stays)
            start += ((now - opening.start) // step) * step
        while start + timedelta(minutes=minutes) <= opening.end and len(starts) < MAX_STARTS:
            if service.check_slot(device.id, start, minutes, staff=True) is None:
                starts.append(start)
            start += step
    return starts


class WalkInPanel(DeskPanel):
    """Choose device, length and start; type a name (or leave it): booked, with its code."""

    booked = Signal(object)
    """A walk-in was booked (the Booking; CHECKED_IN when it was booked and checked in)."""
    changed = Signal()
    """The device was marked wiped from here."""

    def __init__(
        self,
        translator: Translator,
        bookings: BookingsGetter,
        parent: QWidget | None = None,
        *,
        hub: HubLink | None = None,
    ) -> None:
        super().__init__(translator, parent)
        self._bookings = bookings
        self._hub = HubBooking(self, hub)
        self.device: DevicePolicy | None = None
        self._devices: list[DevicePolicy] = []
        self._statuses: dict[str, DeviceStatus] = {}
        self._starts: list[datetime] = []
        self._now: datetime | None = None
        self._check_in = False  # the booking on its way is checked in once made
        self.title = label(self.frame, "panelTitle")
        self.choose_title = label(self.frame, "sectionTitle")
        self.device_list = QVBoxLayout()
        self.device_list.setSpacing(8)
        self.device_buttons: dict[str, WrappingButton] = {}
        self.other_device = QPushButton(self.frame)
        self.other_device.setObjectName("chip")
        self.other_device.clicked.connect(lambda: self.open(""))
        self.wipe_note = label(self.frame)
        self.wiped = action_button(self.frame, "primary")
        self.wiped.clicked.connect(self._mark_wiped)
        self.length_title = label(self.frame, "muted")
        self.lengths = QWidget(self.frame)
        self.length_flow = FlowLayout(self.lengths)
        self.length_group = QButtonGroup(self)
        self.length_group.idClicked.connect(lambda _id: self._refresh_starts())
        self.start_title = label(self.frame, "muted")
        self.starts = QWidget(self.frame)
        self.start_flow = FlowLayout(self.starts)
        self.start_group = QButtonGroup(self)
        self.no_start = label(self.frame)
        # Name and Book stay in view below the scrolling choices (the screen puts the footer
        # under the panel's scroll area): most walk-ins take the first start and just book.
        self.footer = panel_frame()
        footer = QVBoxLayout(self.footer)
        footer.setContentsMargins(16, 10, 16, 12)
        footer.setSpacing(8)
        self.name = QLineEdit(self.footer)
        self.name.setMaxLength(NAME_MAX + 10)
        self.name.returnPressed.connect(lambda: self.book())
        self.message = label(self.footer)
        self.message.hide()
        self.book_button = QPushButton(self.footer)
        self.book_button.setObjectName("primary")
        self.book_button.clicked.connect(lambda: self.book())
        self.book_and_check_in = action_button(self.footer, "primary")  # wraps long words
        self.book_and_check_in.clicked.connect(self.book_now_and_check_in)
        self.body.addWidget(self.title)
        self.body.addWidget(self.choose_title)
        self.body.addLayout(self.device_list)
        self.body.addWidget(self.other_device, 0, Qt.AlignmentFlag.AlignLeading)
        self.body.addWidget(self.wipe_note)
        self.body.addWidget(self.wiped)
        self.body.addWidget(self.start_title)
        self.body.addWidget(self.starts)
        self.body.addWidget(self.no_start)
        self.body.addWidget(self.length_title)
        self.body.addWidget(self.lengths)
        row = QHBoxLayout()
        row.setSpacing(8)
        row.addWidget(self.name, 1)
        row.addWidget(self.book_button)
        footer.addWidget(self.message)
        footer.addLayout(row)
        footer.addWidget(self.book_and_check_in)
        self.message.setMinimumWidth(1)
        self.retranslate_ui()

    # -- steps -----------------------------------------------------------------------------

    def prepare(self, devices: Sequence[DevicePolicy], statuses: dict[str, DeviceStatus]) -> None:
        """The devices staff can choose from (broken and in-repair ones are left out)."""
        self._devices = [d for d in devices if statuses.get(d.id, DeviceStatus.AVAILABLE).lendable]
        self._statuses = dict(statuses)
        for button in self.device_buttons.values():
            self.device_list.removeWidget(button)
            button.deleteLater()
        self.device_buttons = {}
        for device in self._devices:
            button = action_button(self.frame)
            button.clicked.connect(lambda _checked=False, d=device.id: self.open(d))
            self.device_list.addWidget(button)
            self.device_buttons[device.id] = button

    def open(self, device_id: str) -> None:
        """Start over: with ``device_id`` at the length-and-start step, else at the device step."""
        self._hub.drop()
        self.device = next((d for d in self._devices if d.id == device_id), None)
        self.message.hide()
        self.name.setText("")
        self._rebuild_lengths()
        self._refresh_starts()
        self.retranslate_ui()

    def _rebuild_lengths(self) -> None:
        for button in self.length_group.buttons():
            self.length_group.removeButton(button)
            self.length_flow.removeWidget(button)
            button.deleteLater()
        if self.device is None:
            return
        for index, minutes in enumerate(self.device.durations()):
            button = QPushButton(self.lengths)
            button.setObjectName("slotChip")
            button.setCheckable(True)
            button.setChecked(index == 0)
            self.length_group.addButton(button, minutes)
            self.length_flow.addWidget(button)
            button.show()

    @property
    def minutes(self) -> int:
        chosen = self.length_group.checkedId()
        if chosen > 0:
            return chosen
        return self.device.min_minutes if self.device is not None else 0

    def _refresh_starts(self) -> None:
        chosen = self.chosen_start
        for button in self.start_group.buttons():
            self.start_group.removeButton(button)
            self.start_flow.removeWidget(button)
            button.deleteLater()
        self._starts = []
        service, device = self._bookings(), self.device
        if service is None or device is None or not self._lendable_now():
            return
        try:
            self._now = service.now()
            self._starts = walk_in_starts(service, device, self.minutes, self._now)
        except StorageError:
            log.exception("free slots for a walk-in could not be read")
            self.say("error", storage_failed(self._tr))
            return
        keep = chosen if chosen in self._starts else (self._starts[0] if self._starts else None)
        for index, start in enumerate(self._starts):
            button = QPushButton(self.starts)
            button.setObjectName("slotChip")
            button.setCheckable(True)
            button.setChecked(start == keep)
            self.start_group.addButton(button, index)
            self.start_flow.addWidget(button)
            button.show()

    def _lendable_now(self) -> bool:
        if self.device is None:
            return False
        return self._statuses.get(self.device.id, DeviceStatus.AVAILABLE) is DeviceStatus.AVAILABLE

    @property
    def chosen_start(self) -> datetime | None:
        index = self.start_group.checkedId()
        return self._starts[index] if 0 <= index < len(self._starts) else None

    @property
    def start_buttons(self) -> list[QAbstractButton]:
        return [self.start_group.button(i) for i in range(len(self._starts))]

    def say(self, tone: str, text: str) -> None:
        set_tone(self.message, tone, text)

    # -- texts -----------------------------------------------------------------------------

    def retranslate_ui(self) -> None:
        super().retranslate_ui()
        _ = self._tr.gettext
        code = self._tr.current.code
        self.title.setText(
            _("Walk-in: {device}").format(device=device_name(self.device, self.device.id, code))
            if self.device is not None
            else _("Walk-in")
        )
        self.choose_title.setText(_("Which device?"))
        for offered in self._devices:
            self.device_buttons[offered.id].set_text(device_name(offered, offered.id, code))
        device = self.device
        choosing = device is None
        self.choose_title.setVisible(choosing)
        for button in self.device_buttons.values():
            button.setVisible(choosing)
        for widget in (self.other_device, self.length_title, self.lengths):
            widget.setVisible(not choosing)
        self.footer.setVisible(not choosing)
        self.other_device.setText(_("Other device"))
        self.length_title.setText(_("How long?"))
        self.start_title.setText(_("Start time"))
        # TRANSLATORS: placeholder of the walk-in's name field (it may stay empty)
        self.name.setPlaceholderText(_("Name"))
        self.name.setAccessibleName(_("First name or nickname of the visitor (optional)"))
        # TRANSLATORS: a verb on a short button (book the walk-in now)
        self.book_button.setText(_("Book now"))
        self.book_button.setAccessibleName(_("Book the walk-in"))
        self.wiped.set_text(_("Data wiped: offer it again"))
        for length_button in self.length_group.buttons():
            minutes = self.length_group.id(length_button)
            length_button.setText(
                localise_digits(
                    self._tr.ngettext("{n} minute", "{n} minutes", minutes).format(n=minutes),
                    code,
                )
            )
        for index, start_button in enumerate(self.start_buttons):
            start = self._starts[index]
            time = format_time(start, code)
            now = self._now is not None and start <= self._now
            # TRANSLATORS: the slot that is running already, e.g. "Now, 10:00"
            start_button.setText(_("Now, {time}").format(time=time) if now else time)
        if device is None:
            for widget in (
                self.wipe_note,
                self.wiped,
                self.start_title,
                self.starts,
                self.no_start,
            ):
                widget.hide()
            return
        status = self._statuses.get(device.id, DeviceStatus.AVAILABLE)
        needs_wiping = status is DeviceStatus.NEEDS_WIPING
        self.wipe_note.setText(
            _("The last visitor's data is still on this device. Wipe it first, then mark it here.")
        )
        self.wipe_note.setVisible(needs_wiping)
        self.wiped.setVisible(needs_wiping)
        if not status.lendable:
            self.no_start.setText(
                _("This device is marked “{status}”.").format(
                    status=device_status_text(self._tr, status)
                )
            )
        else:
            self.no_start.setText(_("No free slots left today on this device."))
        self.start_title.setVisible(bool(self._starts))
        self.starts.setVisible(bool(self._starts))
        self.no_start.setVisible(not self._starts and not needs_wiping)
        self.book_button.setEnabled(bool(self._starts) and not self._hub.waiting)
        self.book_and_check_in.set_text(_("Book and check in now"))
        self.book_and_check_in.setAccessibleName(
            _("Book the running slot and check the visitor in at once")
        )
        self.book_and_check_in.setVisible(self.free_now)
        self.book_and_check_in.setEnabled(self.free_now and not self._hub.waiting)

    @property
    def free_now(self) -> bool:
        """The device's first offered start is the slot running now (no one has it)."""
        return bool(self._starts) and self._now is not None and self._starts[0] <= self._now

    # -- actions ---------------------------------------------------------------------------

    def _mark_wiped(self) -> None:
        service, device = self._bookings(), self.device
        if service is None or device is None:
            return
        try:
            service.mark_wiped(device.id)
            self._statuses = service.statuses()
        except StorageError:
            log.exception("marking a device wiped failed")
            self.say("error", storage_failed(self._tr))
            return
        self.changed.emit()
        self._refresh_starts()
        self.retranslate_ui()

    def book_now_and_check_in(self) -> None:
        """Book the running slot (the first start) and check the visitor in at once."""
        if self.free_now:
            self.book(start=self._starts[0], check_in=True)

    def book(self, *, start: datetime | None = None, check_in: bool = False) -> None:
        """Book the chosen start (or ``start``) for the typed name (or the word for a walk-in);
        ``check_in``: check the visitor in as soon as it is booked."""
        service, device = self._bookings(), self.device
        start = start or self.chosen_start
        if service is None or device is None or start is None:
            return
        _ = self._tr.gettext
        # TRANSLATORS: stored as the visitor's name when staff type none (a walk-in booking)
        name = clean_name(self.name.text()) or _("Walk-in")
        problem = name_problem(name)
        if problem is not None:
            self.say("error", name_problem_text(self._tr, problem))
            return
        if self._hub.waiting:
            return
        self._check_in = check_in
        try:
            if service.joined:
                checked = service.request_booking(
                    device.id, start, self.minutes, name, walk_in=True
                )
                if not isinstance(checked, BookOutcome):
                    self._hub.ask(service, checked, self._answered)
                    self.say("idle", _("Booking at the hub… one moment."))
                    self.book_button.setEnabled(False)
                    self.book_and_check_in.setEnabled(False)
                    return
                outcome = checked
            else:
                outcome = service.book(device.id, start, self.minutes, name, walk_in=True)
        except StorageError:
            log.exception("a walk-in could not be booked")
            self.say("error", storage_failed(self._tr))
            return
        self._booked(outcome)

    @property
    def waiting(self) -> bool:
        """The hub is being asked for the walk-in."""
        return self._hub.waiting

    def forget(self) -> None:
        """Staff left the desk: an answer still on its way is not shown any more."""
        self._hub.drop()
        self.message.hide()
        self.retranslate_ui()

    def _answered(self, outcome: BookOutcome | None) -> None:
        self.message.hide()
        if outcome is None:
            self.say("error", storage_failed(self._tr))
            self.retranslate_ui()
            return
        self._booked(outcome)

    def _booked(self, outcome: BookOutcome) -> None:
        if outcome.booking is not None:
            self.name.setText("")
            made = outcome.booking
            self.booked.emit(self._checked_in(made) if self._check_in else made)
            return
        if outcome.name_problem is not None:
            self.say("error", name_problem_text(self._tr, outcome.name_problem))
            return
        if outcome.problem is not None:
            self.say("error", problem_text(self._tr, outcome.problem))
        self._refresh_starts()
        self.retranslate_ui()

    def _checked_in(self, booking: Booking) -> Booking:
        """The walk-in checked in (as it is now); as booked when that failed (the desk says
        the code, and staff check it in as usual)."""
        service = self._bookings()
        if service is None:
            return booking
        try:
            result = service.check_in(booking.printed_code)
        except StorageError:
            log.exception("a walk-in could not be checked in")
            return booking
        return result.booking if result.booking is not None else booking
