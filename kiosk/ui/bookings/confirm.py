"""The second booking page: check device and time, choose how long, give a name, confirm.

On a terminal joined to a hub the booking is checked here, then asked of the hub in the
background while the page says that it is booking (kiosk.ui.parts.hub_booking): the visitor
sees the hub's booking, "just taken" with the next free times, or what the site does while the
hub cannot be reached (a provisional booking, or "please ask at the desk"). A visitor who
has booked as much as one person may, or right after another booking here, is told so and how
long to wait; the wait counts down and the page can be used again when it is over.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import timedelta

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.core.bookings import (
    NAME_MAX,
    BookingProblem,
    BookOutcome,
    DevicePolicy,
    NameProblem,
    Slot,
)
from kiosk.core.i18n import (
    LIST_SEPARATOR,
    Translator,
    format_datetime,
    format_slot,
    format_time,
    isolate,
)
from kiosk.storage import StorageError
from kiosk.ui.bookings.cards import picture_label, scroll_body
from kiosk.ui.bookings.slot_button import SlotButton
from kiosk.ui.bookings.texts import (
    Bookings,
    device_name,
    limit_text,
    minutes_text,
    name_problem_text,
    problem_text,
)
from kiosk.ui.parts.flow_layout import FlowLayout
from kiosk.ui.parts.hub_booking import HubBooking, HubLink
from kiosk.ui.parts.screen_base import back_arrow, label

log = logging.getLogger(__name__)

# Longer than any allowed name, so pasted or scanned text that is too long is noticed and
# explained instead of being cut off silently into a name the visitor never typed.
NAME_FIELD_MAX = NAME_MAX + 20
DEFAULT_PURGE_DAYS = 7


class ConfirmPage(QWidget):
    """One slot of one device, about to be booked for a first name or nickname."""

    booked = Signal(object)
    """The booking is stored (the Booking)."""
    back_requested = Signal()
    """The visitor wants another time: back to the free times."""

    def __init__(
        self,
        translator: Translator,
        bookings: Bookings,
        fallbacks: Sequence[str],
        parent: QWidget | None = None,
        *,
        hub: HubLink | None = None,
    ) -> None:
        """``hub``: how this terminal asks the hub (None: it stands alone)."""
        super().__init__(parent)
        self._tr = translator
        self._bookings = bookings
        self._fallbacks = tuple(fallbacks)
        self._hub = HubBooking(self, hub)
        self.slot: Slot | None = None
        self.device: DevicePolicy | None = None
        self.minutes = 0
        self._problem: BookingProblem | None = None
        self._failure = ""  # msgid of a failure that is not a rule (no database, storage error)
        self._name_problem: NameProblem | None = None
        self._alternatives: tuple[Slot, ...] = ()
        # The cool-down's seconds left, counted down on screen (BookingProblem.COOL_DOWN).
        self._wait_s = 0
        self._countdown = QTimer(self)
        self._countdown.setInterval(1000)
        self._countdown.timeout.connect(self._count_down)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 12, 48, 12)
        layout.setSpacing(8)
        # While the name is typed the keyboard leaves room for a few lines only, and the card
        # with device and time has scrolled away: one line above them says what is booked.
        self.pinned = label(self, "when")
        self.pinned.hide()
        layout.addWidget(self.pinned)
        # Everything but the buttons scrolls: while the name is typed, the on-screen keyboard
        # takes the lower half of the screen, and the name field is scrolled into view.
        self._scroll, body, self._body = scroll_body(self, self._tr.gettext)
        self._length_parent = body
        self.title = label(body, "title")
        self._body.addWidget(self.title)

        self.refusal = label(body, "error")
        self.refusal.hide()
        self._body.addWidget(self.refusal)
        self.alternatives_title = label(body, "sectionTitle")
        self.alternatives_title.hide()
        self._body.addWidget(self.alternatives_title)
        self._alternatives_box = QWidget(body)
        self._alternatives_flow = FlowLayout(self._alternatives_box)
        self._alternatives_box.hide()
        self._body.addWidget(self._alternatives_box)
        self.alternative_buttons: list[SlotButton] = []

        self._summary = QFrame(body)
        self._summary.setObjectName("deviceCard")
        self._summary_row = QHBoxLayout(self._summary)
        self._summary_row.setContentsMargins(16, 16, 16, 16)
        self._summary_row.setSpacing(20)
        self._picture: QWidget | None = None
        text = QVBoxLayout()
        text.setSpacing(6)
        self.device_name = label(self._summary, "cardTitle")
        self.when = label(self._summary, "when")
        self.location = label(self._summary, "muted")
        self.notes = label(self._summary, "cardNote")
        for widget in (self.device_name, self.when, self.location, self.notes):
            text.addWidget(widget)
        text.addStretch(1)
        self._summary_row.addLayout(text, 1)
        self._body.addWidget(self._summary)

        # "How long?" and the lengths, which wrap onto a second row in long languages.
        lengths = QHBoxLayout()
        lengths.setSpacing(16)
        self.how_long = label(body, "sectionTitle", wrap=False)
        lengths.addWidget(self.how_long, 0, Qt.AlignmentFlag.AlignTop)
        self._length_box = FlowLayout(spacing=8)
        lengths.addLayout(self._length_box, 1)
        self._body.addLayout(lengths)
        self._lengths = QButtonGroup(self)
        self.length_buttons: dict[int, QPushButton] = {}

        self.privacy = label(body, "muted")
        self._body.addWidget(self.privacy)

        self.name_label = label(body, "fieldLabel")
        self.name = QLineEdit(body)
        self.name.setObjectName("nameField")
        self.name.setMaxLength(NAME_FIELD_MAX)
        self.name.setInputMethodHints(Qt.InputMethodHint.ImhNoPredictiveText)
        self.name.returnPressed.connect(self.confirm)
        self.name.textEdited.connect(self._name_edited)
        self.name.installEventFilter(self)
        self.name_label.setBuddy(self.name)
        self.name_error = label(body, "error")
        self.name_error.hide()
        self._body.addWidget(self.name_label)
        self._body.addWidget(self.name)
        self._body.addWidget(self.name_error)
        self._body.addStretch(1)
        self._scroll.viewport().installEventFilter(self)
        layout.addWidget(self._scroll, 1)
        # While the hub is asked: said right above the button that was tapped.
        self.busy = label(self, "notice")
        self.busy.hide()
        layout.addWidget(self.busy)

        nav = QHBoxLayout()
        self.back = QPushButton(self)
        self.back.clicked.connect(self.back_requested)
        self.confirm_button = QPushButton(self)
        self.confirm_button.setObjectName("navPrimary")
        self.confirm_button.clicked.connect(self.confirm)
        nav.addWidget(self.back)
        nav.addStretch(1)
        nav.addWidget(self.confirm_button)
        layout.addLayout(nav)
        self.retranslate()

    # -- what the visitor does -----------------------------------------------------------------

    def open(self, slot: Slot, device: DevicePolicy) -> None:
        """Show this slot; the length starts at the shortest the device allows."""
        self.slot = slot
        self.device = device
        self._clear_refusal()
        self._name_problem = None
        self.name_error.hide()
        if self._picture is not None:
            self._summary_row.removeWidget(self._picture)
            self._picture.hide()
            self._picture.deleteLater()
        self._picture = picture_label(device, self._summary)
        self._summary_row.insertWidget(0, self._picture, 0, Qt.AlignmentFlag.AlignTop)
        for button in self.length_buttons.values():
            self._lengths.removeButton(button)
            self._length_box.removeWidget(button)
            button.hide()  # gone at once, not only when the event loop deletes it
            button.deleteLater()
        self.length_buttons = {}
        for minutes in device.durations():
            button = QPushButton(self._length_parent)
            button.setObjectName("chip")
            button.setCheckable(True)
            button.clicked.connect(lambda _=False, m=minutes: self.choose_minutes(m))
            self._lengths.addButton(button)
            self._length_box.addWidget(button)
            self.length_buttons[minutes] = button
        self.minutes = device.durations()[0]
        self.length_buttons[self.minutes].setChecked(True)
        self.retranslate()
        self._scroll.verticalScrollBar().setValue(0)

    def choose_minutes(self, minutes: int) -> None:
        """A longer or shorter visit: the slot is checked again for the new length."""
        if self.slot is None or self.device is None:
            return
        self.minutes = minutes
        self.length_buttons[minutes].setChecked(True)
        self._clear_refusal()
        service = self._bookings()
        if service is None:
            self._failure = "unavailable"
        else:
            try:
                self._problem = service.check_slot(self.device.id, self.slot.start, minutes)
            except StorageError:
                log.exception("slot could not be checked")
                self._failure = "storage"
        self.retranslate()

    def confirm(self) -> None:
        """Book it; every refusal is explained and nothing is stored."""
        if self.slot is None or self.device is None or not self.confirm_button.isEnabled():
            return
        service = self._bookings()
        self._clear_refusal()
        self._name_problem = None
        if service is None:
            self._failure = "unavailable"
            self._show_refusal()
            return
        try:
            if service.joined:
                checked = service.request_booking(
                    self.device.id, self.slot.start, self.minutes, self.name.text()
                )
                if not isinstance(checked, BookOutcome):  # checked here: now the hub decides
                    self._hub.ask(service, checked, self._answered)
                    self.retranslate()
                    return
                outcome = checked
            else:
                outcome = service.book(
                    self.device.id, self.slot.start, self.minutes, self.name.text()
                )
        except StorageError:
            log.exception("booking could not be stored")
            self._failure = "storage"
            self._show_refusal()
            return
        self._handle(outcome)

    @property
    def waiting(self) -> bool:
        """The hub is being asked for this visitor's booking."""
        return self._hub.waiting

    def _answered(self, outcome: BookOutcome | None) -> None:
        self.retranslate()  # the page can be used again
        if outcome is None:
            self._failure = "storage"
            self._show_refusal()
            return
        self._handle(outcome)

    def _handle(self, outcome: BookOutcome) -> None:
        if outcome.booking is not None:
            # The booking holds the name now: the next one (for a friend, say) starts empty
            # instead of appending to it.
            self.name.setText("")
            self.booked.emit(outcome.booking)
            return
        if outcome.name_problem is not None:
            self._name_problem = outcome.name_problem
            self.retranslate()
            self.name.setFocus(Qt.FocusReason.OtherFocusReason)
            # The message appears under the field: scroll it into view above the keyboard.
            QTimer.singleShot(0, self._show_name_field)
            return
        self._problem = outcome.problem
        self._alternatives = outcome.alternatives
        if outcome.problem is BookingProblem.COOL_DOWN and outcome.wait_s > 0:
            self._wait_s = outcome.wait_s
            self._countdown.start()
        self._rebuild_alternatives()
        self._show_refusal()

    def _count_down(self) -> None:
        self._wait_s -= 1
        if self._wait_s <= 0:
            self._countdown.stop()
            if self._problem is BookingProblem.COOL_DOWN:
                self._problem = None  # waited long enough: the button works again
        self.retranslate()

    def _show_refusal(self) -> None:
        # The keyboard goes away so the explanation and the other times are in view.
        self.setFocus(Qt.FocusReason.OtherFocusReason)
        self.retranslate()
        self._scroll.verticalScrollBar().setValue(0)

    def _clear_refusal(self) -> None:
        self._problem = None
        self._failure = ""
        self._countdown.stop()
        self._wait_s = 0
        self._alternatives = ()
        self._rebuild_alternatives()

    def _rebuild_alternatives(self) -> None:
        for button in self.alternative_buttons:
            self._alternatives_flow.removeWidget(button)
            button.hide()
            button.deleteLater()
        self.alternative_buttons = []
        for slot in self._alternatives:
            button = SlotButton(slot, self._alternatives_box, time_only=False)
            button.clicked.connect(lambda _=False, s=slot: self._take_alternative(s))
            self._alternatives_flow.addWidget(button)
            self.alternative_buttons.append(button)

    def _take_alternative(self, slot: Slot) -> None:
        service = self._bookings()
        device = service.device(slot.device_id) if service is not None else None
        if device is not None:
            self.open(slot, device)

    def _name_edited(self, _text: str) -> None:
        if self._name_problem is not None:
            self._name_problem = None
            self.name_error.hide()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.name and event.type() in (QEvent.Type.FocusIn, QEvent.Type.FocusOut):
            self.pinned.setVisible(event.type() == QEvent.Type.FocusIn and self.slot is not None)
        # The on-screen keyboard came up (the view got smaller) while the name is typed: the
        # privacy note, the field and any message about the name stay in view above it.
        if (
            watched is self._scroll.viewport()
            and event.type() == QEvent.Type.Resize
            and self.name.hasFocus()
        ):
            self._show_name_field()
            QTimer.singleShot(0, self._show_name_field)  # again, once the layout has settled
        return False

    def _show_name_field(self) -> None:
        # Points, not widgets: for a focused field Qt would only bring its text cursor into view.
        lowest = self.name_error if self._name_problem else self.name
        self._scroll.ensureVisible(0, self.privacy.y(), 0, 8)
        self._scroll.ensureVisible(0, lowest.y() + lowest.height(), 0, 8)

    def leave(self) -> None:
        """The visitor went elsewhere: an answer still on its way is not shown to anyone."""
        if self._hub.waiting:
            self._hub.drop()
            self.retranslate()

    def reset(self) -> None:
        """Forget the visitor: typed name, chosen slot, any refusal, an answer on its way."""
        self._hub.drop()
        self.name.setText("")
        self.slot = None
        self.device = None
        self._name_problem = None
        self._clear_refusal()
        self.retranslate()

    # -- texts ---------------------------------------------------------------------------------

    def _refusal_text(self) -> str:
        _ = self._tr.gettext
        if self._failure == "unavailable":
            return _(
                "Booking is not possible at the moment. Please try again soon or ask our staff."
            )
        if self._failure == "storage":
            return _(
                "Sorry, the booking could not be saved. Nothing was booked. Please ask our staff."
            )
        if self._problem is None:
            return ""
        service = self._bookings()
        limit = service.limits.max_open_per_name_per_day if service is not None else 0
        today = (
            service is not None
            and self.slot is not None
            and self.slot.start.date() == service.today()
        )
        about_the_visitor = limit_text(
            self._tr, self._problem, limit=limit, wait_s=self._wait_s, today=today
        )
        return about_the_visitor or problem_text(self._tr, self._problem, self.device)

    def retranslate(self) -> None:
        _ = self._tr.gettext
        code = self._tr.current.code
        self.title.setText(_("Book this slot"))
        service = self._bookings()
        if self.slot is not None and self.device is not None:
            self.device_name.setText(device_name(self.device, self._tr, self._fallbacks))
            end = self.slot.start + timedelta(minutes=self.minutes)
            self.when.setText(format_slot(self.slot.start, end, code))
            name = isolate(device_name(self.device, self._tr, self._fallbacks))
            self.pinned.setText(f"{name}{LIST_SEPARATOR}{self.when.text()}")
            place = self.device.place(code, self._fallbacks)
            self.location.setText(_("Where: {place}").format(place=isolate(place)) if place else "")
            self.location.setVisible(bool(place))
            notes = []
            if self.device.staff_help:
                notes.append(_("Our staff will help you."))
            if self.device.approval:
                notes.append(_("Staff confirm each booking of this device."))
            self.notes.setText(" ".join(notes))
            self.notes.setVisible(bool(notes))
        for minutes, button in self.length_buttons.items():
            button.setText(minutes_text(self._tr, minutes))
        self.how_long.setText(_("How long?"))
        refusal = self._refusal_text()
        self.refusal.setText(refusal)
        self.refusal.setVisible(bool(refusal))
        self.alternatives_title.setText(_("Next free slots:"))
        self.alternatives_title.setVisible(bool(self._alternatives))
        self._alternatives_box.setVisible(bool(self._alternatives))
        for button in self.alternative_buttons:
            self._alternative_texts(button)
        days = service.purge_days if service is not None else DEFAULT_PURGE_DAYS
        self.privacy.setText(
            self._tr.ngettext(
                "No e-mail and no phone number needed. "
                "We delete your name {n} day after your visit.",
                "No e-mail and no phone number needed. "
                "We delete your name {n} days after your visit.",
                days,
            ).format(n=self._tr.number(days))
        )
        self.name_label.setText(_("First name or nickname"))
        self.name.setPlaceholderText(_("for example: Anna"))
        self.name.setAccessibleName(_("First name or nickname"))
        if self._name_problem is not None:
            self.name_error.setText(name_problem_text(self._tr, self._name_problem, NAME_MAX))
        self.name_error.setVisible(self._name_problem is not None)
        self.confirm_button.setText(_("Confirm booking"))
        # One booking at a time: nothing here can be changed while the hub is asked.
        waiting = self._hub.waiting
        self.confirm_button.setEnabled(self.slot is not None and not refusal and not waiting)
        self.busy.setText(_("Booking… one moment, please."))
        self.busy.setVisible(waiting)
        self.name.setReadOnly(waiting)
        for button in (*self.length_buttons.values(), *self.alternative_buttons):
            button.setEnabled(not waiting)
        self.back.setEnabled(not waiting)
        back = _("Back")
        self.back.setText(f"{back_arrow(self.layoutDirection())}  {back}")
        self.back.setAccessibleName(_("Back to the free slots"))

    def _alternative_texts(self, button: SlotButton) -> None:
        code = self._tr.current.code
        slot = button.slot
        same_day = self.slot is not None and slot.start.date() == self.slot.start.date()
        when = format_time(slot.start, code) if same_day else format_datetime(slot.start, code)
        service = self._bookings()
        device = service.device(slot.device_id) if service is not None else None
        if device is not None and (self.device is None or device.id != self.device.id):
            when = (
                f"{when}{LIST_SEPARATOR}{isolate(device_name(device, self._tr, self._fallbacks))}"
            )
        button.set_texts(when, when)
