"""The bookings of a broken device: each with one-touch moves to a free device of the same kind.

When a device breaks, every visitor booked on it must be moved or called. The list shows all of
them (the panel scrolls), and under each booking a button per device of the same kind that is
free for the booking's whole time (a move keeps the booking's code and time).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QPushButton, QVBoxLayout, QWidget

from kiosk.core.bookings import (
    Block,
    Booking,
    BookingService,
    DevicePolicy,
    DeviceStatus,
    slot_problem,
)
from kiosk.core.i18n import LIST_SEPARATOR, Translator, format_slot
from kiosk.ui.parts.desk_style import action_button
from kiosk.ui.parts.wrapping_button import WrappingButton
from kiosk.ui.staff.texts import booking_status_text, device_name, isolated, visitor_name

_ANY_LENGTH = 24 * 60  # a move keeps the booking's length, whatever the other device allows


def move_targets(service: BookingService, bookings: Sequence[Booking]) -> dict[int, list[str]]:
    """For each booking, the ids of the other devices of its kind free for its whole time.

    The same rules as BookingService.move: the device can be lent, the site is open, the
    device has no blackout and no other booking (with its turnaround) at that time.
    """
    statuses = service.statuses()
    days: dict[date, list[Booking]] = {}
    targets: dict[int, list[str]] = {}
    for booking in bookings:
        day = booking.start.date()
        if day not in days:
            days[day] = [b for b in service.day(day) if b.active]
        free = []
        for device in service.devices:
            if device.kind != booking.device_kind or device.id == booking.device_id:
                continue
            if not statuses.get(device.id, DeviceStatus.AVAILABLE).lendable:
                continue
            taken = [
                Block(other.start, other.end, other.end + device.buffer)
                for other in days[day]
                if other.device_id == device.id
            ]
            wide = replace(device, min_minutes=0, max_minutes=_ANY_LENGTH)
            problem = slot_problem(
                wide, service.calendar, booking.start, booking.end, booking.start, taken, staff=True
            )
            if problem is None:
                free.append(device.id)
        targets[booking.id] = free
    return targets


@dataclass
class _Row:
    booking: Booking
    button: WrappingButton
    moves: dict[str, WrappingButton]


class AffectedList(QObject):
    """One big entry per booking (a tap opens it), and under it the devices it can move to.

    The entries go in ``layout``, which the panel nests in its own: a nested layout (not a
    widget of its own) passes the wrapped buttons' heights on, so no entry overlaps the next.
    """

    booking_requested = Signal(object)
    """Staff tapped a booking (the Booking)."""
    move_requested = Signal(object, str)
    """Staff tapped "Move to …": the Booking and the device id."""

    def __init__(self, translator: Translator, parent: QWidget) -> None:
        super().__init__(parent)
        self._parent = parent
        self._tr = translator
        self._devices: dict[str, DevicePolicy] = {}
        self._rows: list[_Row] = []
        self._shown: list[tuple[object, ...]] = []
        self.layout = QVBoxLayout()
        self.layout.setContentsMargins(0, 0, 0, 0)
        self.layout.setSpacing(8)

    @property
    def bookings(self) -> list[Booking]:
        return [row.booking for row in self._rows]

    @property
    def booking_buttons(self) -> list[QPushButton]:
        return [row.button for row in self._rows]

    def move_buttons(self, booking_id: int) -> dict[str, QPushButton]:
        """The "Move to …" buttons of one booking, by device id."""
        row = next((row for row in self._rows if row.booking.id == booking_id), None)
        return dict(row.moves) if row is not None else {}

    def show_bookings(
        self,
        bookings: Sequence[Booking],
        devices: Sequence[DevicePolicy],
        targets: dict[int, list[str]],
    ) -> None:
        """Every booking, each with its free targets (rebuilt only when something changed:
        the desk refreshes twice a minute and a finger may be on a button)."""
        self._devices = {device.id: device for device in devices}
        wanted = [
            (b.id, b.start, b.end, b.status, b.name, tuple(targets.get(b.id, ()))) for b in bookings
        ]
        if wanted == self._shown:
            return
        self._shown = list(wanted)
        for row in self._rows:
            for button in (row.button, *row.moves.values()):
                self.layout.removeWidget(button)
                button.deleteLater()
        self._rows = []
        for booking in bookings:
            button = action_button(self._parent)
            button.clicked.connect(lambda _checked=False, b=booking: self.booking_requested.emit(b))
            self.layout.addWidget(button)
            moves = {}
            for device_id in targets.get(booking.id, ()):
                move = action_button(self._parent, "primary")
                move.clicked.connect(
                    lambda _checked=False, b=booking, d=device_id: self.move_requested.emit(b, d)
                )
                self.layout.addWidget(move)
                moves[device_id] = move
            self._rows.append(_Row(booking, button, moves))
        self.retranslate_ui()
        for row in self._rows:  # made after the panel was shown: not shown by themselves
            for widget in (row.button, *row.moves.values()):
                widget.show()

    def retranslate_ui(self) -> None:
        _ = self._tr.gettext
        code = self._tr.current.code
        for row in self._rows:
            booking = row.booking
            row.button.set_text(
                f"{format_slot(booking.start, booking.end, code)}\n"
                f"{visitor_name(self._tr, booking)}{LIST_SEPARATOR}"
                f"{isolated(booking.printed_code)}{LIST_SEPARATOR}"
                f"{booking_status_text(self._tr, booking.status)}"
            )
            for device_id, move in row.moves.items():
                name = device_name(self._devices.get(device_id), device_id, code)
                # TRANSLATORS: one touch moves this booking (same time, same code) to that device
                move.set_text(_("Move to {device}").format(device=name))
