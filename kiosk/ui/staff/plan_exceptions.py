"""Date exceptions at the desk: closed all day, or open only some hours, on one date.

The list shows the exceptions from today on, each with a way to see the bookings it affects
and to remove it. Adding one lists at once the bookings it affects, each with one-touch moves
to free times of its kind and a cancel that asks first. Exceptions are kept in the database
and take effect at once (the site config's hours stay the default).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime, time, timedelta

from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.core.bookings import Booking, DateException, Slot
from kiosk.core.i18n import LIST_SEPARATOR, Translator, format_slot, format_time
from kiosk.storage import StorageError
from kiosk.ui.parts.date_field import TouchDateField
from kiosk.ui.parts.desk_style import action_button, storage_failed
from kiosk.ui.parts.screen_base import label
from kiosk.ui.parts.wrapping_button import WrappingButton
from kiosk.ui.staff.panels import CancelWithQuestion
from kiosk.ui.staff.plan_fields import TimeChoice
from kiosk.ui.staff.plan_forms import BookingsGetter, PlanForm
from kiosk.ui.staff.texts import (
    day_title,
    device_name,
    isolated,
    problem_text,
    visitor_name,
)

log = logging.getLogger(__name__)

LIST_DAYS = 366  # exceptions are listed a year ahead
MOVES_OFFERED = 2  # one-touch moves per affected booking


def exception_text(tr: Translator, exception: DateException) -> str:
    """ "Thu, 24 Dec: closed all day" or "… open only 10:00–13:00", with the note."""
    _ = tr.gettext
    code = tr.current.code
    day = day_title(exception.day, code, "yMMMEd")
    if exception.closed or exception.opens is None or exception.closes is None:
        text = _("{day}: closed all day").format(day=day)
    else:
        text = _("{day}: open only {opens}–{closes}").format(
            day=day,
            opens=format_time(datetime.combine(exception.day, exception.opens), code),
            closes=format_time(datetime.combine(exception.day, exception.closes), code),
        )
    return f"{text}\n{exception.note}" if exception.note else text


class AffectedBooking(QWidget):
    """One booking an exception affects: when and who, moves to free times, and cancel."""

    def __init__(
        self,
        booking: Booking,
        moves: Sequence[Slot],
        tr: Translator,
        device_names: dict[str, str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.booking = booking
        self.moves = list(moves)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 8)
        layout.setSpacing(6)
        _ = tr.gettext
        code = tr.current.code
        device = device_names.get(booking.device_id, booking.device_id)
        self.text = label(self)
        self.text.setMinimumWidth(1)
        self.text.setText(
            f"{format_slot(booking.start, booking.end, code)}\n"
            f"{device}{LIST_SEPARATOR}{visitor_name(tr, booking)}"
            f"{LIST_SEPARATOR}{isolated(booking.printed_code)}"
        )
        layout.addWidget(self.text)
        self.move_buttons: list[WrappingButton] = []
        for slot in self.moves:
            button = action_button(self, "primary")
            button.set_text(
                _("Move to {day}, {time} ({device})").format(
                    day=day_title(slot.start.date(), code),
                    time=format_time(slot.start, code),
                    device=device_names.get(slot.device_id, slot.device_id),
                )
            )
            layout.addWidget(button)
            self.move_buttons.append(button)
        if not self.moves:
            none = label(self, "muted")
            none.setText(_("No free slots of this kind to move it to."))
            layout.addWidget(none)
        self.cancel = CancelWithQuestion(self)
        self.cancel.retranslate(tr, _("Cancel this booking? Please tell the visitor."))
        layout.addWidget(self.cancel)


class ExceptionsForm(PlanForm):
    """The exceptions from today on; add one; the bookings it affects, to move or cancel."""

    def __init__(
        self, translator: Translator, bookings: BookingsGetter, parent: QWidget | None = None
    ) -> None:
        super().__init__(translator, bookings, parent)
        self.exceptions: list[DateException] = []
        self.affected: list[AffectedBooking] = []
        self._shown: DateException | None = None
        self.list_title = label(self, "sectionTitle")
        self.none = label(self, "muted")
        self._list = QVBoxLayout()
        self._list.setSpacing(6)
        self._rows: list[QWidget] = []
        self.add_title = label(self, "sectionTitle")
        self.day = TouchDateField(self)
        self.closed = QPushButton(self)
        self.hours = QPushButton(self)
        self._kind = QButtonGroup(self)
        # One under the other: side by side, the longer languages cut them in the narrow panel.
        kinds = QVBoxLayout()
        kinds.setSpacing(6)
        for button in (self.closed, self.hours):
            button.setObjectName("chip")
            button.setCheckable(True)
            self._kind.addButton(button)
            kinds.addWidget(button)
        self.closed.setChecked(True)
        self.closed.toggled.connect(lambda _on: self._show_hours())
        self.opens = TimeChoice(self)
        self.closes = TimeChoice(self)
        self.opens.set_value(time(10, 0))
        self.closes.set_value(time(13, 0))
        self.times = QWidget(self)
        times = QHBoxLayout(self.times)
        times.setContentsMargins(0, 0, 0, 0)
        dash = label(self.times, wrap=False)
        dash.setText("–")
        times.addWidget(self.opens, 1)
        times.addWidget(dash)
        times.addWidget(self.closes, 1)
        self.note = QLineEdit(self)
        self.note.setMaxLength(80)
        self.add = action_button(self, "primary")
        self.add.clicked.connect(self.add_exception)
        self.affected_title = label(self, "sectionTitle")
        self.affected_title.hide()
        self._affected_box = QVBoxLayout()
        self.form.addWidget(self.list_title)
        self.form.addWidget(self.none)
        self.form.addLayout(self._list)
        self.form.addWidget(self.add_title)
        self.form.addWidget(self.day)
        self.form.addLayout(kinds)
        below: tuple[QWidget, ...] = (
            self.times,
            self.note,
            self.add,
            self.message,
            self.affected_title,
        )
        for widget in below:
            self.form.addWidget(widget)
        self.form.addLayout(self._affected_box)
        self._show_hours()

    # -- reading ---------------------------------------------------------------------------

    def prepare(self) -> None:
        """Read the exceptions from today on again."""
        service = self._bookings()
        if service is None:
            return
        today = service.today()
        self.day.set_day(max(self.day.day, today))
        try:
            self.exceptions = service.exceptions(today, today + timedelta(days=LIST_DAYS))
        except StorageError:
            log.exception("the date exceptions could not be read")
            self.say("error", storage_failed(self._tr))
            return
        self._rebuild_list()

    def _rebuild_list(self) -> None:
        for row in self._rows:
            self._list.removeWidget(row)
            row.deleteLater()
        self._rows = []
        _ = self._tr.gettext
        for exception in self.exceptions:
            row = QWidget(self)
            layout = QVBoxLayout(row)
            layout.setContentsMargins(0, 0, 0, 4)
            text = label(row)
            text.setMinimumWidth(1)
            text.setText(exception_text(self._tr, exception))
            buttons = QHBoxLayout()
            show = action_button(row)
            show.set_text(_("Affected bookings"))
            show.clicked.connect(lambda _c=False, e=exception: self.show_affected(e))
            remove = action_button(row, "danger")
            remove.set_text(_("Remove"))
            remove.setAccessibleName(_("Remove this exception"))
            remove.clicked.connect(lambda _c=False, e=exception: self.remove(e))
            buttons.addWidget(show)
            buttons.addWidget(remove)
            layout.addWidget(text)
            layout.addLayout(buttons)
            self._list.addWidget(row)
            row.show()
            self._rows.append(row)
        self.none.setVisible(not self.exceptions)

    # -- actions ---------------------------------------------------------------------------

    def add_exception(self) -> None:
        service = self._bookings()
        if service is None:
            return
        _ = self._tr.gettext
        day, closed = self.day.day, self.closed.isChecked()
        if day < service.today():
            self.say("error", _("This day has passed. Please choose today or a later day."))
            return
        opens = None if closed else self.opens.value
        closes = None if closed else self.closes.value
        if opens is not None and closes is not None and closes <= opens:
            self.say("error", _("The end must be later than the start."))
            return
        try:
            exception, affected = service.add_exception(
                day, closed=closed, opens=opens, closes=closes, note=self.note.text().strip()
            )
        except StorageError:
            log.exception("a date exception could not be stored")
            self.say("error", storage_failed(self._tr))
            return
        except ValueError:
            self.say("error", _("This exception cannot be saved. Please check the day and times."))
            return
        self.note.setText("")
        self.say(
            "ok", _("Saved: {exception}").format(exception=exception_text(self._tr, exception))
        )
        self.prepare()
        self._show(exception, affected)
        self.changed.emit()

    def remove(self, exception: DateException) -> None:
        service = self._bookings()
        if service is None:
            return
        try:
            done = service.remove_exception(exception.id)
        except StorageError:
            log.exception("a date exception could not be removed")
            self.say("error", storage_failed(self._tr))
            return
        if done:
            self.say("ok", self._tr.gettext("Removed. The usual opening hours apply again."))
        if self._shown is not None and self._shown.id == exception.id:
            self._show(None, [])
        self.prepare()
        self.changed.emit()

    def show_affected(self, exception: DateException, *, keep_message: bool = False) -> None:
        service = self._bookings()
        if service is None:
            return
        try:
            affected = service.affected_by(exception)
        except StorageError:
            log.exception("the bookings of a date exception could not be read")
            self.say("error", storage_failed(self._tr))
            return
        if not keep_message:
            self.message.hide()
        self._show(exception, affected)

    def _show(self, exception: DateException | None, affected: Sequence[Booking]) -> None:
        """The bookings ``exception`` affects, each with its moves and cancel."""
        service = self._bookings()
        self._shown = exception
        for card in self.affected:
            self._affected_box.removeWidget(card)
            card.deleteLater()
        self.affected = []
        if exception is None or service is None:
            self.affected_title.hide()
            return
        _ = self._tr.gettext
        code = self._tr.current.code
        names = {d.id: device_name(d, d.id, code) for d in service.devices}
        for booking in affected:
            try:
                moves = service.alternatives(booking)[:MOVES_OFFERED]
            except StorageError:
                log.exception("free times for an affected booking could not be read")
                moves = []
            card = AffectedBooking(booking, moves, self._tr, names, self)
            for button, slot in zip(card.move_buttons, card.moves, strict=True):
                button.clicked.connect(lambda _c=False, b=booking, s=slot: self.move_booking(b, s))
            card.cancel.confirmed.connect(lambda b=booking: self.cancel_booking(b))
            self._affected_box.addWidget(card)
            card.show()
            self.affected.append(card)
        self.affected_title.setText(
            self._tr.ngettext(
                "{n} booking is affected: please move or cancel it.",
                "{n} bookings are affected: please move or cancel them.",
                len(affected),
            ).format(n=self._tr.number(len(affected)))
            if affected
            else _("No bookings are affected.")
        )
        self.affected_title.show()

    def move_booking(self, booking: Booking, slot: Slot) -> None:
        service = self._bookings()
        if service is None:
            return
        _ = self._tr.gettext
        try:
            problem = service.reschedule(booking.id, slot)
        except StorageError:
            log.exception("an affected booking could not be moved")
            self.say("error", storage_failed(self._tr))
            return
        if problem is not None:
            self.say("error", problem_text(self._tr, problem))
        else:
            code = self._tr.current.code
            self.say(
                "ok",
                _("Moved to {day}, {time}. The code stays {code}.").format(
                    day=day_title(slot.start.date(), code),
                    time=format_time(slot.start, code),
                    code=isolated(booking.printed_code),
                ),
            )
            self.changed.emit()
        self._refresh_affected()

    def cancel_booking(self, booking: Booking) -> None:
        service = self._bookings()
        if service is None:
            return
        try:
            done = service.cancel(booking.id, staff=True)
        except StorageError:
            log.exception("an affected booking could not be cancelled")
            self.say("error", storage_failed(self._tr))
            return
        if done:
            self.say("ok", self._tr.gettext("Booking cancelled."))
            self.changed.emit()
        self._refresh_affected()

    def _refresh_affected(self) -> None:
        shown = self._shown
        if shown is not None:
            self.show_affected(shown, keep_message=True)

    # -- texts -----------------------------------------------------------------------------

    def _show_hours(self) -> None:
        self.times.setVisible(self.hours.isChecked())

    def retranslate(self) -> None:
        _ = self._tr.gettext
        code = self._tr.current.code
        self.list_title.setText(_("Date exceptions from today on"))
        self.none.setText(_("None: the usual opening hours apply."))
        self.add_title.setText(_("Add an exception"))
        self.closed.setText(_("Closed all day"))
        self.hours.setText(_("Open only"))
        self.note.setPlaceholderText(_("Note, for example “Staff training”"))
        self.note.setAccessibleName(_("Note for the exception"))
        self.add.set_text(_("Save the exception"))
        self.opens.setAccessibleName(_("Opens at"))
        self.closes.setAccessibleName(_("Closes at"))
        for choice in (self.opens, self.closes):
            choice.retranslate(code)
        self.day.set_language(code)
        self._rebuild_list()
        if self._shown is not None:
            self._refresh_affected()
