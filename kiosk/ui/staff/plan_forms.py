"""Two forms of the desk's plan: block a device (a workshop, once or weekly) and book a visitor
on any day.

Both go through the booking service with the staff rules: a block holds its time like a
booking and is never offered to visitors; a staff booking may be for any day, beyond the
visitors' advance window and limits, while opening hours, closures and overlaps still apply.
Bad input is refused here with a sentence saying what to change, and nothing is stored.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLineEdit, QVBoxLayout, QWidget

from kiosk.core.bookings import NAME_MAX, Booking, BookingService, clean_name, name_problem
from kiosk.core.bookings.blocks import MAX_WEEKS, REASON_MAX, reason_problem
from kiosk.core.i18n import Translator, format_slot, format_time, localise_digits
from kiosk.storage import StorageError
from kiosk.ui.parts.date_field import TouchDateField
from kiosk.ui.parts.desk_style import action_button, set_tone, storage_failed
from kiosk.ui.parts.screen_base import label
from kiosk.ui.staff.plan_fields import (
    DeviceChoice,
    ResultList,
    TimeChoice,
    WeekStepper,
    at_time,
    refused_line,
)
from kiosk.ui.staff.texts import (
    device_name,
    isolated,
    name_problem_text,
    problem_text,
)

log = logging.getLogger(__name__)

BookingsGetter = Callable[[], BookingService | None]
MAX_OFFERED_STARTS = 40  # a long day in 15-minute steps


def choice(parent: QWidget) -> QComboBox:
    box = QComboBox(parent)
    box.setObjectName("planChoice")
    box.setMaxVisibleItems(8)
    return box


class PlanForm(QWidget):
    """A titled form in the plan panel with its message line; ``changed`` after a save."""

    changed = Signal()

    def __init__(
        self, translator: Translator, bookings: BookingsGetter, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._tr = translator
        self._bookings = bookings
        self.form = QVBoxLayout(self)
        self.form.setContentsMargins(0, 0, 0, 0)
        self.form.setSpacing(8)
        self.message = label(self)
        self.message.setMinimumWidth(1)
        self.message.hide()

    def say(self, tone: str, text: str) -> None:
        set_tone(self.message, tone, text)

    def today(self) -> date:
        service = self._bookings()
        return service.today() if service is not None else date.today()


class BlockForm(PlanForm):
    """Device, day, from–to, reason and how many weeks: Save blocks that time."""

    def __init__(
        self, translator: Translator, bookings: BookingsGetter, parent: QWidget | None = None
    ) -> None:
        super().__init__(translator, bookings, parent)
        self.device_label = label(self, "muted")
        self.device = DeviceChoice(self)
        self.day_label = label(self, "muted")
        self.day = TouchDateField(self)
        self.time_label = label(self, "muted")
        self.start = TimeChoice(self)
        self.end = TimeChoice(self)
        self.start.set_value(time(14, 0))
        self.end.set_value(time(16, 0))
        self.dash = label(self, wrap=False)
        self.dash.setText("–")
        times = QHBoxLayout()
        times.addWidget(self.start, 1)
        times.addWidget(self.dash)
        times.addWidget(self.end, 1)
        self.reason_label = label(self, "muted")
        self.reason = QLineEdit(self)
        self.reason.setMaxLength(REASON_MAX)
        self.weeks_label = label(self, "muted")
        self.weeks = WeekStepper(translator, self)
        self.save = action_button(self, "primary")
        self.save.clicked.connect(self.block)
        self.results = ResultList(self)
        self.results.hide()
        above: tuple[QWidget, ...] = (
            self.device_label,
            self.device,
            self.day_label,
            self.day,
            self.time_label,
        )
        below: tuple[QWidget, ...] = (
            self.reason_label,
            self.reason,
            self.weeks_label,
            self.weeks,
            self.save,
            self.message,
            self.results,
        )
        for widget in above:
            self.form.addWidget(widget)
        self.form.addLayout(times)
        for widget in below:
            self.form.addWidget(widget)

    def prepare(self) -> None:
        """The site's devices, and today's date to start from."""
        service = self._bookings()
        if service is None:
            return
        self.device.set_devices(service.devices, self._tr.current.code)
        self.day.set_day(max(self.day.day, service.today()))

    def block(self) -> None:
        """Block the chosen time, week by week; say what was made and what was refused."""
        service = self._bookings()
        if service is None:
            return
        _ = self._tr.gettext
        reason = clean_name(self.reason.text())
        self.results.show_lines([])
        if not reason:
            self.say("error", _("Please type a reason, for example “Workshop”."))
            return
        if reason_problem(reason) is not None or len(reason) > REASON_MAX:
            self.say("error", _("The reason contains a character that cannot be stored."))
            return
        if self.end.value <= self.start.value:
            self.say("error", _("The end must be later than the start."))
            return
        if self.device.device is None:
            return
        zone = service.calendar.zone
        day = self.day.day
        weeks = max(1, min(MAX_WEEKS, self.weeks.value))
        try:
            outcome = service.block(
                self.device.device_id,
                at_time(day, self.start.value, zone),
                at_time(day, self.end.value, zone),
                reason,
                weeks=weeks,
            )
        except StorageError:
            log.exception("a block could not be stored")
            self.say("error", storage_failed(self._tr))
            return
        code = self._tr.current.code
        lines = [("ok", slot_text(made, code)) for made in outcome.made]
        lines += [("error", refused_line(self._tr, day, why)) for day, why in outcome.refused]
        self.results.show_lines(lines)
        made_text = self._tr.ngettext(
            "Blocked on {n} day.", "Blocked on {n} days.", len(outcome.made)
        ).format(n=self._tr.number(len(outcome.made)))
        if not outcome.refused:
            self.say("ok", made_text)
        elif outcome.made:
            self.say("warn", made_text + " " + _("Some weeks could not be blocked:"))
        else:
            self.say("error", _("Nothing was blocked:"))
        if outcome.made:
            self.reason.setText("")
            self.changed.emit()

    def retranslate(self) -> None:
        _ = self._tr.gettext
        code = self._tr.current.code
        self.device_label.setText(_("Device"))
        self.day_label.setText(_("Day (the first one, if weekly)"))
        self.time_label.setText(_("From – to"))
        # TRANSLATORS: why a device is blocked, shown on the staff timeline
        self.reason_label.setText(_("Reason, for example “Workshop”"))
        self.reason.setAccessibleName(_("Reason for the block"))
        self.weeks_label.setText(_("Weekly, for how many weeks?"))
        self.save.set_text(_("Block this time"))
        for choice in (self.start, self.end):
            choice.retranslate(code)
        self.start.setAccessibleName(_("From"))
        self.end.setAccessibleName(_("To"))
        self.day.set_language(code)
        self.weeks.retranslate()
        service = self._bookings()
        if service is not None:
            self.device.set_devices(service.devices, code)


def slot_text(booking: Booking, code: str) -> str:
    return format_slot(booking.start, booking.end, code)


class VisitForm(PlanForm):
    """Book a visitor on any day: name, device, day, length and a free start."""

    booked = Signal(object)
    """A visitor was booked (the Booking)."""

    def __init__(
        self, translator: Translator, bookings: BookingsGetter, parent: QWidget | None = None
    ) -> None:
        super().__init__(translator, bookings, parent)
        self.name_label = label(self, "muted")
        self.name = QLineEdit(self)
        self.name.setMaxLength(NAME_MAX + 10)
        self.device_label = label(self, "muted")
        self.device = DeviceChoice(self)
        self.day_label = label(self, "muted")
        self.day = TouchDateField(self)
        self.length_label = label(self, "muted")
        self.length = choice(self)
        self.start_label = label(self, "muted")
        self.start = choice(self)
        self._lengths: list[int] = []
        self._starts: list[datetime] = []
        self.no_start = label(self)
        self.book = action_button(self, "primary")
        self.book.clicked.connect(self.make_booking)
        for widget in (
            self.name_label,
            self.name,
            self.device_label,
            self.device,
            self.day_label,
            self.day,
            self.length_label,
            self.length,
            self.start_label,
            self.start,
            self.no_start,
            self.book,
            self.message,
        ):
            self.form.addWidget(widget)
        self.device.currentIndexChanged.connect(lambda _i: self._fill_lengths())
        self.length.currentIndexChanged.connect(lambda _i: self.refresh_starts())
        self.day.dateChanged.connect(lambda _d: self.refresh_starts())

    def prepare(self) -> None:
        service = self._bookings()
        if service is None:
            return
        self.device.set_devices(service.devices, self._tr.current.code)
        self.day.set_day(max(self.day.day, service.today()))
        self._fill_lengths()

    @property
    def minutes(self) -> int:
        index = self.length.currentIndex()
        return self._lengths[index] if 0 <= index < len(self._lengths) else 0

    @property
    def chosen_start(self) -> datetime | None:
        index = self.start.currentIndex()
        return self._starts[index] if 0 <= index < len(self._starts) else None

    @property
    def starts(self) -> list[datetime]:
        return list(self._starts)

    def _fill_lengths(self) -> None:
        device = self.device.device
        keep = self.minutes
        self._lengths = device.durations() if device is not None else []
        self.length.blockSignals(True)
        self.length.clear()
        for minutes in self._lengths:
            self.length.addItem(self._minutes_text(minutes))
        if keep in self._lengths:
            self.length.setCurrentIndex(self._lengths.index(keep))
        self.length.blockSignals(False)
        self.refresh_starts()

    def _minutes_text(self, minutes: int) -> str:
        text = self._tr.ngettext("{n} minute", "{n} minutes", minutes).format(n=minutes)
        return localise_digits(text, self._tr.current.code)

    def refresh_starts(self) -> None:
        """The starts of the chosen day a staff booking of this length can have."""
        service, device = self._bookings(), self.device.device
        self._starts = []
        if service is not None and device is not None and self.minutes:
            try:
                self._starts = staff_starts(service, device.id, self.day.day, self.minutes)
            except StorageError:
                log.exception("free times for a staff booking could not be read")
                self.say("error", storage_failed(self._tr))
        self.start.clear()
        code = self._tr.current.code
        for start in self._starts:
            self.start.addItem(format_time(start, code))
        self.start.setVisible(bool(self._starts))
        self.start_label.setVisible(bool(self._starts))
        self.no_start.setVisible(not self._starts)
        self.book.setEnabled(bool(self._starts))

    def make_booking(self) -> None:
        service, device, start = self._bookings(), self.device.device, self.chosen_start
        if service is None or device is None or start is None:
            return
        name = clean_name(self.name.text())
        problem = name_problem(name)
        if problem is not None:
            self.say("error", name_problem_text(self._tr, problem))
            return
        try:
            outcome = service.book(device.id, start, self.minutes, name, by_staff=True)
        except StorageError:
            log.exception("a staff booking could not be stored")
            self.say("error", storage_failed(self._tr))
            return
        if outcome.booking is None:
            if outcome.name_problem is not None:
                self.say("error", name_problem_text(self._tr, outcome.name_problem))
            elif outcome.problem is not None:
                self.say("error", problem_text(self._tr, outcome.problem))
            self.refresh_starts()
            return
        booking = outcome.booking
        _ = self._tr.gettext
        code = self._tr.current.code
        text = _("Booked: {time} on {device}. Give the visitor the code {code}.").format(
            time=slot_text(booking, code),
            device=device_name(device, device.id, code),
            code=isolated(booking.printed_code),
        )
        if booking.provisional:
            text += " " + _("Provisional: the hub confirms it later.")
        self.say("ok", text)
        self.name.setText("")
        self.refresh_starts()
        self.booked.emit(booking)
        self.changed.emit()

    def retranslate(self) -> None:
        _ = self._tr.gettext
        code = self._tr.current.code
        self.name_label.setText(_("First name or nickname"))
        self.name.setAccessibleName(_("First name or nickname of the visitor"))
        self.device_label.setText(_("Device"))
        self.day_label.setText(_("Day"))
        self.length_label.setText(_("How long?"))
        self.start_label.setText(_("Start time"))
        self.no_start.setText(_("No free slots on this day for this device."))
        self.book.set_text(_("Book for the visitor"))
        self.day.set_language(code)
        service = self._bookings()
        if service is not None:
            self.device.set_devices(service.devices, code)
        for index, minutes in enumerate(self._lengths):
            self.length.setItemText(index, self._minutes_text(minutes))
        for index, start in enumerate(self._starts):
            self.start.setItemText(index, format_time(start, code))


def staff_starts(
    service: BookingService, device_id: str, day: date, minutes: int
) -> list[datetime]:
    """The starts on ``day`` staff can book for ``minutes`` on the device, in slot steps."""
    device = service.device(device_id)
    if device is None:
        return []
    step = timedelta(minutes=device.step_minutes)
    now = service.now()
    starts: list[datetime] = []
    for opening in service.calendar.opening(day):
        start = opening.start
        while start + timedelta(minutes=minutes) <= opening.end:
            if start >= now and service.check_slot(device_id, start, minutes, staff=True) is None:
                starts.append(start)
                if len(starts) >= MAX_OFFERED_STARTS:
                    return starts
            start += step
    return starts
