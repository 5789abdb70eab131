"""Conflicts at the staff desk: bookings the hub gave to no one, moved to a free time in one tap.

A terminal joined to a hub books provisionally while the hub cannot be reached. When another
terminal of the site had booked the same time first, the hub keeps that one and this one becomes
a conflict: it holds no time, and the visitor still has its code. Every terminal of the site
shows the conflicts here, each with the next free times of its device kind ("Move here" keeps
the code and the length) and a way to cancel it.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QVBoxLayout, QWidget

from kiosk.core.bookings import Booking, DevicePolicy, Slot
from kiosk.core.i18n import LIST_SEPARATOR, Translator, format_time
from kiosk.storage import StorageError
from kiosk.ui.parts.desk_style import action_button, set_tone, storage_failed
from kiosk.ui.parts.screen_base import label
from kiosk.ui.parts.wrapping_button import WrappingButton
from kiosk.ui.staff.paint import CONFLICT_SIGN
from kiosk.ui.staff.panels import BookingsGetter, CancelWithQuestion, DeskPanel
from kiosk.ui.staff.texts import (
    day_title,
    device_name,
    isolated,
    problem_text,
    visitor_name,
)

log = logging.getLogger(__name__)


def conflicts_line(tr: Translator, count: int) -> str:
    """The desk's line above the day: how many bookings need a new time."""
    line = tr.ngettext(
        "{n} conflict: a booking needs a new slot",
        "{n} conflicts: bookings need a new slot",
        count,
    ).format(n=tr.number(count))
    return f"{CONFLICT_SIGN} {line}"


def slot_text(tr: Translator, slot: Slot, devices: Sequence[DevicePolicy]) -> str:
    """A free time to move to: day, time and device ("Tue, Dec 1 · 10:30–10:45 · Tablet 2")."""
    return _when_where(tr, slot.start, slot.end, slot.device_id, devices)


def _when_where(
    tr: Translator,
    start: datetime,
    end: datetime,
    device_id: str,
    devices: Sequence[DevicePolicy],
) -> str:
    code = tr.current.code
    device = next((d for d in devices if d.id == device_id), None)
    when = f"{format_time(start, code)}\u2013{format_time(end, code)}"
    return LIST_SEPARATOR.join(
        (day_title(start.date(), code), when, device_name(device, device_id, code))
    )


class MoveChoices(QWidget):
    """The next free times a booking can be given, a button each ("Move here: …")."""

    chosen = Signal(object)
    """Staff tapped a free time (the Slot)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        self.title = label(self, "muted")
        self.none = label(self)
        layout.addWidget(self.title)
        layout.addWidget(self.none)
        self._list = QVBoxLayout()
        self._list.setSpacing(8)
        layout.addLayout(self._list)
        self.slots: tuple[Slot, ...] = ()
        self.buttons: list[WrappingButton] = []

    def set_slots(self, slots: Sequence[Slot]) -> None:
        """Offer these times (the buttons are made again only when the times changed)."""
        if tuple(slots) == self.slots:
            return
        for button in self.buttons:
            self._list.removeWidget(button)
            button.hide()
            button.deleteLater()
        self.slots = tuple(slots)
        self.buttons = []
        for slot in self.slots:
            button = action_button(self, "primary")
            button.clicked.connect(lambda _checked=False, s=slot: self.chosen.emit(s))
            self._list.addWidget(button)
            self.buttons.append(button)

    def retranslate(self, tr: Translator, devices: Sequence[DevicePolicy]) -> None:
        _ = tr.gettext
        self.title.setText(_("Next free slots of this kind:"))
        self.title.setVisible(bool(self.slots))
        self.none.setText(
            " ".join(
                (
                    _("No free slots of this kind in the coming days."),
                    _("Cancel the booking and help the visitor at the desk."),
                )
            )
        )
        self.none.setVisible(not self.slots)
        for slot, button in zip(self.slots, self.buttons, strict=True):
            # TRANSLATORS: a button that gives a booking this free time (and device), one tap
            button.set_text(_("Move here: {slot}").format(slot=slot_text(tr, slot, devices)))


class ConflictCard(QWidget):
    """One conflict: who and what it was, the free times to move it to, and cancel."""

    move_requested = Signal(int, object)
    """Move the booking (its id) to the Slot."""
    cancel_requested = Signal(int)
    """Cancel the booking (its id), after staff said yes."""

    def __init__(self, booking: Booking, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.booking = booking
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 4)
        layout.setSpacing(8)
        line = QFrame(self)
        line.setFrameShape(QFrame.Shape.HLine)
        self.heading = label(self, "sectionTitle")
        self.details = label(self)
        self.choices = MoveChoices(self)
        self.choices.chosen.connect(lambda slot: self.move_requested.emit(self.booking.id, slot))
        self.cancelling = CancelWithQuestion(self)
        self.cancelling.confirmed.connect(lambda: self.cancel_requested.emit(self.booking.id))
        for widget in (line, self.heading, self.details, self.choices, self.cancelling):
            layout.addWidget(widget)

    def show_conflict(self, booking: Booking, slots: Sequence[Slot]) -> None:
        self.booking = booking
        self.choices.set_slots(slots)

    def retranslate(self, tr: Translator, devices: Sequence[DevicePolicy]) -> None:
        _ = tr.gettext
        booking = self.booking
        # The line starts with a mark of the reading direction: a code and a Latin name alone
        # would make it read left to right, with the sign on the wrong side in Arabic.
        rtl = self.layoutDirection() == Qt.LayoutDirection.RightToLeft
        mark = "\u200f" if rtl else "\u200e"
        self.heading.setText(
            f"{mark}{CONFLICT_SIGN} {isolated(booking.printed_code)}"
            f"{LIST_SEPARATOR}{visitor_name(tr, booking)}"
        )
        # TRANSLATORS: the time and device a conflict was booked for, e.g. "Was: Tue, Dec 1 ·
        # 11:00–11:30 · Android tablet"
        self.details.setText(
            _("Was: {when}").format(
                when=_when_where(tr, booking.start, booking.end, booking.device_id, devices)
            )
        )
        self.choices.retranslate(tr, devices)
        self.cancelling.retranslate(
            tr, _("Cancel this booking? The visitor's code stops working; this cannot be undone.")
        )


class ConflictPanel(DeskPanel):
    """Every conflict of the site from today on, each ready to be moved or cancelled."""

    changed = Signal()
    """A conflict was moved or cancelled: the desk reads the bookings again."""

    def __init__(
        self, translator: Translator, bookings: BookingsGetter, parent: QWidget | None = None
    ) -> None:
        super().__init__(translator, parent)
        self._bookings = bookings
        self._devices: Sequence[DevicePolicy] = ()
        self.title = label(self.frame, "panelTitle")
        self.explanation = label(self.frame, "muted")
        self.message = label(self.frame)
        self.message.hide()
        self.empty = label(self.frame)
        self._list = QVBoxLayout()
        self._list.setSpacing(8)
        for widget in (self.title, self.message, self.empty):
            self.body.addWidget(widget)
        # The conflicts and their free times first: what staff act on is in view at once.
        self.body.addLayout(self._list)
        self.body.addWidget(self.explanation)
        self.cards: dict[int, ConflictCard] = {}
        self.retranslate_ui()

    def show_conflicts(
        self,
        conflicts: Sequence[Booking],
        alternatives: dict[int, tuple[Slot, ...]],
        devices: Sequence[DevicePolicy],
    ) -> None:
        """Show these conflicts (read again by the desk); an open question stays open."""
        self._devices = devices
        wanted = [booking.id for booking in conflicts]
        for booking_id in [i for i in self.cards if i not in wanted]:
            card = self.cards.pop(booking_id)
            self._list.removeWidget(card)
            card.hide()
            card.deleteLater()
        for booking in conflicts:
            known = self.cards.get(booking.id)
            if known is None:
                card = ConflictCard(booking, self.frame)
                card.move_requested.connect(self.move_booking)
                card.cancel_requested.connect(self.cancel_booking)
                self._list.addWidget(card)
                self.cards[booking.id] = card
            else:
                card = known
            card.show_conflict(booking, alternatives.get(booking.id, ()))
        self.retranslate_ui()

    def say(self, tone: str, text: str) -> None:
        set_tone(self.message, tone, text)

    def move_booking(self, booking_id: int, slot: object) -> None:
        """Give the booking this free time; it keeps its code and length."""
        service = self._bookings()
        card = self.cards.get(booking_id)
        if service is None or card is None or not isinstance(slot, Slot):
            return
        _ = self._tr.gettext
        try:
            problem = service.reschedule(booking_id, slot)
        except StorageError:
            log.exception("rescheduling a conflict failed")
            self.say("error", storage_failed(self._tr))
            return
        if problem is None:
            self.say(
                "ok",
                _("Moved to {slot}. The code {code} stays the same.").format(
                    slot=slot_text(self._tr, slot, self._devices),
                    code=isolated(card.booking.printed_code),
                ),
            )
        else:
            self.say(
                "error",
                _("Cannot move it there: {reason}").format(reason=problem_text(self._tr, problem)),
            )
        self.changed.emit()

    def cancel_booking(self, booking_id: int) -> None:
        service = self._bookings()
        if service is None:
            return
        _ = self._tr.gettext
        try:
            done = service.cancel(booking_id, staff=True)
        except StorageError:
            log.exception("cancelling a conflict failed")
            self.say("error", storage_failed(self._tr))
            return
        if done:
            self.say("ok", _("Cancelled."))
        else:
            self.say("error", _("This booking can no longer be cancelled."))
        self.changed.emit()

    def retranslate_ui(self) -> None:
        super().retranslate_ui()
        _ = self._tr.gettext
        self.title.setText(_("Conflicts"))
        self.explanation.setText(
            " ".join(
                (
                    _("Booked while a terminal was offline."),
                    _("Meanwhile the hub gave the slot to another booking."),
                    _("The visitor keeps the code and sees the new slot under “My booking”."),
                )
            )
        )
        self.empty.setText(_("No conflicts. Every booking has its slot."))
        self.empty.setVisible(not self.cards)
        for card in self.cards.values():
            card.retranslate(self._tr, self._devices)
