"""The first booking page: which devices are free now, today or on a day the visitor picks."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import date, timedelta
from enum import Enum

from babel import Locale
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QHBoxLayout,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.core.bookings import BookingService, DevicePolicy, Slot
from kiosk.core.i18n import Translator, language
from kiosk.storage import StorageError
from kiosk.ui.bookings.cards import DeviceCard, scroll_body
from kiosk.ui.bookings.day_button import DayButton
from kiosk.ui.bookings.texts import KIND_TITLES, Bookings, day_forms, long_day
from kiosk.ui.parts.screen_base import back_arrow, label

log = logging.getLogger(__name__)

NOW_MINUTES = 30  # "Free now" means: a free time starts within this many minutes
WEEK = 7  # columns of the "Pick a day" grid


def week_column(day: date, code: str) -> int:
    """The column of ``day`` in a week that starts on the language's first day of the week
    (Monday in German, Sunday in English, Saturday in Arabic and Persian)."""
    first = Locale.parse(language(code).babel_locale).first_week_day  # 0 = Monday
    return (day.weekday() - first) % WEEK


class View(Enum):
    NOW = "now"
    TODAY = "today"
    DAYS = "days"  # the next days as buttons
    DAY = "day"  # one day the visitor picked


class DeviceListPage(QWidget):
    """Devices as cards with their free times; views "Free now", "Today" and "Pick a day"."""

    slot_chosen = Signal(object)
    """The visitor tapped a free time (the Slot)."""
    lookup_requested = Signal()
    """The visitor has a booking code (to see or cancel a booking)."""
    back_requested = Signal()
    """The visitor wants to go back to the home screen."""

    def __init__(
        self,
        translator: Translator,
        bookings: Bookings,
        fallbacks: Sequence[str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._tr = translator
        self._bookings = bookings
        self._fallbacks = tuple(fallbacks)
        self.kind = ""
        self.view = View.TODAY
        self.day: date | None = None  # the day of the DAY view
        self._today: date | None = None
        self._problem = ""  # why nothing can be shown (no database, a read error)
        self._free: dict[str, list[Slot]] = {}  # device id → free times of the view shown
        self._devices: list[DevicePolicy] = []
        self._days: list[tuple[date, bool]] = []  # (day, open) of the DAYS view
        self.cards: dict[str, DeviceCard] = {}
        self.day_buttons: dict[date, DayButton] = {}

        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 16, 48, 16)
        layout.setSpacing(12)
        top = QHBoxLayout()
        self.title = label(self, "title")
        self.show_all = QPushButton(self)
        self.show_all.setObjectName("chip")
        self.show_all.clicked.connect(lambda: self.show_kind(""))
        top.addWidget(self.title, 1)
        top.addWidget(self.show_all, 0, Qt.AlignmentFlag.AlignVCenter)
        layout.addLayout(top)

        chips = QHBoxLayout()
        chips.setSpacing(8)
        self._chips = QButtonGroup(self)
        self.chip_now = QPushButton(self)
        self.chip_today = QPushButton(self)
        self.chip_days = QPushButton(self)
        for chip, view in (
            (self.chip_now, View.NOW),
            (self.chip_today, View.TODAY),
            (self.chip_days, View.DAYS),
        ):
            chip.setObjectName("chip")
            chip.setCheckable(True)
            chip.clicked.connect(lambda _=False, v=view: self.choose_view(v))
            self._chips.addButton(chip)
            chips.addWidget(chip)
        chips.addStretch(1)
        layout.addLayout(chips)

        self._scroll, content, self._content = scroll_body(self, self._tr.gettext)
        self._content_widget = content
        heading_row = QHBoxLayout()
        self.heading = label(content, "sectionTitle")
        self.other_day = QPushButton(content)
        self.other_day.setObjectName("chip")
        self.other_day.clicked.connect(lambda: self.choose_view(View.DAYS))
        heading_row.addWidget(self.heading, 1)
        heading_row.addWidget(self.other_day, 0, Qt.AlignmentFlag.AlignVCenter)
        self._content.addLayout(heading_row)
        self.message = label(content, "notice")
        self.message.hide()
        self._content.addWidget(self.message)
        self._cards_box = QVBoxLayout()
        self._cards_box.setSpacing(12)
        self._content.addLayout(self._cards_box)
        # A week a row, in every language: each weekday keeps its column (the language's own
        # first day of the week leads), as on a wall calendar.
        self._days_box = QWidget(content)
        self._day_grid = QGridLayout(self._days_box)
        self._day_grid.setContentsMargins(0, 0, 0, 0)
        self._day_grid.setSpacing(8)
        # 6 px between columns rather than 8: "Geschlossen" then keeps its full form at 100 %.
        self._day_grid.setHorizontalSpacing(6)
        for column in range(WEEK):
            self._day_grid.setColumnStretch(column, 1)
        self._content.addWidget(self._days_box)
        self._content.addStretch(1)
        layout.addWidget(self._scroll, 1)

        bottom = QHBoxLayout()
        self.back = QPushButton(self)
        self.back.clicked.connect(self.back_requested)
        self.my_booking = QPushButton(self)
        self.my_booking.clicked.connect(self.lookup_requested)
        bottom.addWidget(self.back)
        bottom.addStretch(1)
        bottom.addWidget(self.my_booking)
        layout.addLayout(bottom)
        self.retranslate()

    # -- what the visitor does -----------------------------------------------------------------

    def start(self) -> None:
        """A fresh visit: every device, and the most useful view (free now, today, or days)."""
        self.kind = ""
        self._pick_best_view()

    def show_kind(self, kind: str) -> None:
        """Only devices of ``kind`` ("" = every device)."""
        self.kind = kind
        self._pick_best_view()

    def choose_view(self, view: View, day: date | None = None) -> None:
        self.view = view
        self.day = day
        self.refresh()
        self._scroll.verticalScrollBar().setValue(0)

    def refresh(self) -> None:
        """Read the free times of the view shown again (on entering, after every booking)."""
        self._problem = ""
        self._free = {}
        self._days = []
        service = self._bookings()
        if service is None:
            self._problem = self._tr.gettext(
                "Booking is not possible at the moment. Please try again soon or ask our staff."
            )
        else:
            try:
                self._read(service)
            except StorageError:
                log.exception("free times could not be read")
                self._free, self._days = {}, []
                self._problem = self._tr.gettext(
                    "The free slots cannot be shown at the moment. Please ask our staff."
                )
        self._rebuild()

    def _read(self, service: BookingService) -> None:
        self._today = service.today()
        self._devices = service.visitor_devices(self.kind or None)
        wanted = {device.id for device in self._devices}
        if self.view is View.NOW:
            for slot in service.free_now(timedelta(minutes=NOW_MINUTES)):
                if slot.device_id in wanted:
                    self._free[slot.device_id] = [slot]
        elif self.view is View.DAYS:
            last = max((device.advance_days for device in self._devices), default=14)
            for offset in range(last + 1):
                day = self._today + timedelta(days=offset)
                self._days.append((day, bool(service.calendar.opening(day))))
        else:
            day = self._shown_day()
            if service.calendar.opening(day):
                self._free = service.free_day(day, self.kind or None)

    def _pick_best_view(self) -> None:
        """Free now if something is; else today if anything is left; else the days."""
        for view in (View.NOW, View.TODAY):
            self.view, self.day = view, None
            self.refresh()
            if self._problem or any(self._free.values()):
                break
        else:
            self.view = View.DAYS
            self.refresh()
        self._scroll.verticalScrollBar().setValue(0)

    def _shown_day(self) -> date:
        if self.view is View.DAY and self.day is not None:
            return self.day
        return self._today or date.today()

    def visible_device_ids(self) -> list[str]:
        """The devices shown as cards right now, in order."""
        return [device_id for device_id, card in self.cards.items() if not card.isHidden()]

    def visible_slots(self) -> list[Slot]:
        """Every free time shown as a button right now."""
        return [
            button.slot
            for device_id in self.visible_device_ids()
            for button in self.cards[device_id].buttons
        ]

    # -- building what is shown ----------------------------------------------------------------

    def _rebuild(self) -> None:
        for card in self.cards.values():
            self._cards_box.removeWidget(card)
            card.hide()
        for button in self.day_buttons.values():
            self._day_grid.removeWidget(button)
            button.hide()
            button.deleteLater()
        self.day_buttons = {}
        self._days_box.setVisible(self.view is View.DAYS and not self._problem)
        if self._problem:
            self.retranslate()
            return
        if self.view is View.DAYS:
            first = self._days[0][0] if self._days else None
            lead = week_column(first, self._tr.current.code) if first is not None else 0
            for index, (day, is_open) in enumerate(self._days):
                button = DayButton(self._days_box)
                button.setEnabled(is_open)
                # Names may be wider than a seventh of the page at large text sizes: the
                # columns stay equal and the button shows shorter forms of its lines.
                button.setMinimumWidth(1)
                button.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
                button.clicked.connect(lambda _=False, d=day: self.choose_view(View.DAY, d))
                row, column = divmod(lead + index, WEEK)
                self._day_grid.addWidget(button, row, column)
                self.day_buttons[day] = button
        else:
            # "Free now" lists only the free devices; a day lists every device (closed: none).
            shown = [device for device in self._devices if device.id in self._free]
            for device in shown:
                card = self._card(device)
                self._cards_box.addWidget(card)
                card.set_slots(self._free.get(device.id, []), self._empty_text(device))
                card.show()
        self.retranslate()

    def _card(self, device: DevicePolicy) -> DeviceCard:
        card = self.cards.get(device.id)
        if card is None or card.device is not device:
            if card is not None:
                card.hide()
                card.deleteLater()
            card = DeviceCard(device, self._tr, self._fallbacks, self._content_widget)
            card.slot_chosen.connect(self.slot_chosen)
            self.cards[device.id] = card
        return card

    def _empty_text(self, device: DevicePolicy) -> str:
        _ = self._tr.gettext
        day = self._shown_day()
        if self._today is not None and day > self._today + timedelta(days=device.advance_days):
            return self._tr.ngettext(
                "This device can be booked up to {n} day ahead.",
                "This device can be booked up to {n} days ahead.",
                device.advance_days,
            ).format(n=self._tr.number(device.advance_days))
        return _("No free slots left today.") if day == self._today else _("No free slots.")

    def _notice(self) -> str:
        _ = self._tr.gettext
        if self._problem:
            return self._problem
        if not self._devices:
            if self.kind:
                return _("No device of this kind can be booked at the moment.")
            return _("No device can be booked at the moment. Please ask our staff.")
        if self.view is View.NOW and not self._free:
            return self._tr.ngettext(
                "No device is free in the next {n} minute. Look at “Today” or pick a day.",
                "No device is free in the next {n} minutes. Look at “Today” or pick a day.",
                NOW_MINUTES,
            ).format(n=self._tr.number(NOW_MINUTES))
        if self.view in (View.TODAY, View.DAY) and not self._free:
            return _("We are closed on this day. Please pick another day.")
        return ""

    def retranslate(self) -> None:
        _ = self._tr.gettext
        code = self._tr.current.code
        kind_title = KIND_TITLES.get(self.kind)
        self.title.setText(_(kind_title) if kind_title else _("Try a device"))
        self.show_all.setText(_("Show all devices"))
        self.show_all.setVisible(bool(self.kind))
        self.chip_now.setText(_("Free now"))
        self.chip_today.setText(_("Today"))
        self.chip_days.setText(_("Pick a day"))
        chip = {View.NOW: self.chip_now, View.TODAY: self.chip_today}.get(self.view, self.chip_days)
        chip.setChecked(True)
        if self.view is View.NOW:
            heading = self._tr.ngettext(
                "Free in the next {n} minute", "Free in the next {n} minutes", NOW_MINUTES
            ).format(n=self._tr.number(NOW_MINUTES))
        elif self.view is View.DAYS:
            heading = _("Which day would you like to come?")
        else:
            heading = long_day(self._shown_day(), code)
        self.heading.setText(heading)
        self.other_day.setText(_("Other day"))
        self.other_day.setVisible(self.view is View.DAY)
        notice = self._notice()
        self.message.setText(notice)
        self.message.setVisible(bool(notice))
        for device_id in self.visible_device_ids():
            card = self.cards[device_id]
            card.set_empty_text(self._empty_text(card.device))
            card.retranslate()
        today = self._today or date.today()
        for day, button in self.day_buttons.items():
            button.set_lines(day_forms(day, today, code, self._tr, is_open=button.isEnabled()))
        back = _("Back")
        self.back.setText(f"{back_arrow(self.layoutDirection())}  {back}")
        self.back.setAccessibleName(_("Back to the start"))
        self.my_booking.setText(_("My booking"))
        self.my_booking.setAccessibleName(_("See or cancel my booking"))
