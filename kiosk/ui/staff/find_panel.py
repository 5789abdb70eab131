"""The staff desk's Find panel: a booking by part of a first name or code, a device or a time.

For the visitor who lost the code: staff type what the visitor remembers ("Anna", "tablet 14",
a few symbols of the code) or tap a filter (waiting for approval, today's no-shows, conflicts,
blocks); each booking found is a big row (day and time, device, first name, code, status) and
a tap opens it. A first name typed into the check-in field lands here too, while anything that
looks like a code (a scanner's) still checks in at once.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from kiosk.core.bookings import CODE_LENGTH, Booking, DevicePolicy, SearchFilter
from kiosk.core.i18n import LIST_SEPARATOR, Translator
from kiosk.core.resume_codes import normalise_code
from kiosk.storage import StorageError
from kiosk.ui.parts.desk_style import action_button, set_tone, storage_failed
from kiosk.ui.parts.screen_base import label
from kiosk.ui.parts.wrapping_button import WrappingButton
from kiosk.ui.staff.panels import BookingsGetter, DeskPanel
from kiosk.ui.staff.texts import (
    EXAMPLE_BOOKING_CODE,
    booking_status_text,
    day_title,
    device_name,
    isolated,
    time_range,
    visitor_name,
)
from kiosk.ui.staff.views import shown_input

if TYPE_CHECKING:
    from kiosk.ui.staff.desk import StaffBookingsScreen

log = logging.getLogger(__name__)

SHOWN_AT_MOST = 40  # rows; more means the words were too vague to read through anyway
TYPING_PAUSE_MS = 300  # search once staff pause typing, not at every key


def is_first_name(typed: str) -> bool:
    """Whether text typed into the check-in field is a name to search for, not a code to check
    in: it is not a well-formed booking code and holds letters but no digit (every booking code
    has digits only by chance, but a mistyped one with digits should still say how codes look)."""
    text = typed.strip()
    if not text or normalise_code(text, CODE_LENGTH) is not None:
        return False
    return any(ch.isalpha() for ch in text) and not any(ch.isdigit() for ch in text)


def filter_text(tr: Translator, only: SearchFilter) -> str:
    _ = tr.gettext
    texts = {
        SearchFilter.WAITING: _("Waiting for approval"),
        # TRANSLATORS: filter: bookings released today because nobody checked in in time
        SearchFilter.NO_SHOW_TODAY: _("No-show today"),
        # TRANSLATORS: filter: bookings whose time the hub gave to another booking
        SearchFilter.CONFLICT: _("Conflicts"),
        # TRANSLATORS: filter: times staff blocked a device (a workshop, a repair)
        SearchFilter.BLOCKED: _("Blocked times"),
    }
    return texts[only]


def result_line(tr: Translator, booking: Booking, device: str) -> str:
    """One booking found: day, time and who (or why blocked); then device, code and status."""
    _ = tr.gettext
    when = f"{day_title(booking.start.date(), tr.current.code)} {time_range(tr, booking)}"
    if booking.blocked:
        who = _("Blocked: {reason}").format(reason=booking.reason or "")
    else:
        who = visitor_name(tr, booking)
    return (
        f"{when}  {who}\n"
        f"{device}{LIST_SEPARATOR}{isolated(booking.printed_code)}{LIST_SEPARATOR}"
        f"{booking_status_text(tr, booking.status)}"
    )


class FindPanel(DeskPanel):
    """A search field, four filters and the bookings found; a tap opens one."""

    booking_chosen = Signal(object)
    """A booking found was tapped (the Booking)."""

    def __init__(
        self, translator: Translator, bookings: BookingsGetter, parent: QWidget | None = None
    ) -> None:
        super().__init__(translator, parent)
        self._bookings = bookings
        self.title = label(self.frame, "panelTitle")
        self.field = QLineEdit(self.frame)
        self.field.setObjectName("findField")
        self.field.setMaxLength(40)
        self.field.setClearButtonEnabled(True)
        self.field.setMinimumHeight(56)
        self.field.returnPressed.connect(self.run)
        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.setInterval(TYPING_PAUSE_MS)
        self._pause.timeout.connect(self.run)
        self.field.textEdited.connect(lambda _text: self._pause.start())
        self.chips: dict[SearchFilter, QPushButton] = {}
        for only in SearchFilter:
            chip = QPushButton(self.frame)
            chip.setObjectName("chip")
            chip.setCheckable(True)
            chip.clicked.connect(lambda _checked=False, f=only: self._chip_tapped(f))
            self.chips[only] = chip
        self._chip_grid = QGridLayout()
        self._chip_grid.setSpacing(8)
        self._chip_columns = 0
        self.summary = label(self.frame, "muted")
        self.message = label(self.frame)
        self.message.hide()
        self._list = QVBoxLayout()
        self._list.setSpacing(6)
        # The filters above the field: while staff type, the panel scrolls to the field and the
        # first rows found show right below it, above the on-screen keyboard.
        self.body.addWidget(self.title)
        self.body.addLayout(self._chip_grid)
        self.body.addWidget(self.field)
        self.body.addWidget(self.summary)
        self.body.addWidget(self.message)
        self.body.addLayout(self._list)
        # Rows are kept and reused (like the list of the day): each search fills them anew.
        self._rows: list[WrappingButton] = []
        self.found: list[Booking] = []
        self._arrange_chips(1)
        self.retranslate_ui()

    # -- what is searched ------------------------------------------------------------------

    @property
    def only(self) -> SearchFilter | None:
        """The filter tapped, if any."""
        return next((only for only, chip in self.chips.items() if chip.isChecked()), None)

    def search_for(self, text: str) -> None:
        """Search for ``text`` among all bookings (no filter), at once."""
        for chip in self.chips.values():
            chip.setChecked(False)
        self.field.setText(text)
        self.run()

    def _chip_tapped(self, only: SearchFilter) -> None:
        # One filter at a time; tapping the one that is on turns it off.
        for other, chip in self.chips.items():
            if other is not only:
                chip.setChecked(False)
        self.run()

    def run(self) -> None:
        """Search with the field's text and the filter, and show what was found."""
        self._pause.stop()
        _ = self._tr.gettext
        text, only, service = self.field.text().strip(), self.only, self._bookings()
        self.message.hide()
        if service is None or (not text and only is None):
            self._show([], {})
            return
        try:
            devices = {device.id: device for device in service.devices}
            names = {key: device_name(d, key, self._tr.current.code) for key, d in devices.items()}
            found = service.search(text, only=only, names=names)
        except StorageError:
            log.exception("searching the bookings failed")
            set_tone(self.message, "error", storage_failed(self._tr))
            self._show([], {})
            return
        self._show(found, devices)
        # How many were found, never what was searched for: names stay out of the log.
        log.info("desk search: %d found", len(found))

    def refresh(self) -> None:
        """Search again (the bookings may have changed since)."""
        if self.field.text().strip() or self.only is not None:
            self.run()

    # -- showing ---------------------------------------------------------------------------

    def keep_field_in_view(self) -> None:
        """Scroll the panel so the field and the first rows show (above the keyboard)."""
        parent = self.parentWidget()
        while parent is not None and not isinstance(parent, QScrollArea):
            parent = parent.parentWidget()
        if parent is not None:
            top = self.field.mapTo(self, self.field.rect().topLeft()).y() - 8
            QTimer.singleShot(0, lambda: parent.verticalScrollBar().setValue(top))

    def _show(self, found: Sequence[Booking], devices: dict[str, DevicePolicy]) -> None:
        self.found = list(found[:SHOWN_AT_MOST])
        while len(self._rows) < len(self.found):
            row = action_button(self.frame)
            index = len(self._rows)
            row.clicked.connect(lambda _checked=False, i=index: self._row_tapped(i))
            self._list.addWidget(row)
            self._rows.append(row)
        code = self._tr.current.code
        for index, row in enumerate(self._rows):
            if index < len(self.found):
                booking = self.found[index]
                device = device_name(devices.get(booking.device_id), booking.device_id, code)
                row.set_text(result_line(self._tr, booking, device))
            row.setVisible(index < len(self.found))
        self._say_summary(len(found))

    def _say_summary(self, count: int) -> None:
        _ = self._tr.gettext
        searched = bool(self.field.text().strip()) or self.only is not None
        if not searched:
            text = _(
                "Type part of a first name or of the code, a device or a time (14:00), "
                "or tap a filter."
            )
        elif count == 0:
            text = _("No booking found. Try fewer letters, or another filter.")
        elif count > SHOWN_AT_MOST:
            text = self._tr.ngettext(
                "{n} booking found; the first {shown} are shown. Type more to narrow.",
                "{n} bookings found; the first {shown} are shown. Type more to narrow.",
                count,
            )
            text = text.format(n=self._tr.number(count), shown=self._tr.number(SHOWN_AT_MOST))
        else:
            text = self._tr.ngettext("{n} booking found", "{n} bookings found", count).format(
                n=self._tr.number(count)
            )
        self.summary.setText(text)

    def no_match_text(self, typed: str) -> str:
        """What the check-in field says when what was typed is neither a code nor a name."""
        return self._tr.gettext(
            "“{text}” is not a booking code, and no booking has this first name. "
            "Booking codes look like {example}."
        ).format(text=isolated(shown_input(typed)), example=isolated(EXAMPLE_BOOKING_CODE))

    @property
    def rows(self) -> list[WrappingButton]:
        return self._rows[: len(self.found)]

    def row_texts(self) -> list[str]:
        return [row.label.text() for row in self.rows]

    def _row_tapped(self, index: int) -> None:
        if index < len(self.found):
            self.booking_chosen.emit(self.found[index])

    def _arrange_chips(self, columns: int) -> None:
        if columns == self._chip_columns:
            return
        self._chip_columns = columns
        for chip in self.chips.values():
            self._chip_grid.removeWidget(chip)
        for index, chip in enumerate(self.chips.values()):
            self._chip_grid.addWidget(chip, index // columns, index % columns)

    def resizeEvent(self, event: QResizeEvent) -> None:
        # Two filters a row where both fit, else one: no filter's words are ever cut.
        room = self.frame.contentsRect().width() - 32 - self._chip_grid.spacing()
        widest = max(chip.sizeHint().width() for chip in self.chips.values())
        self._arrange_chips(2 if 2 * widest <= room else 1)
        super().resizeEvent(event)

    def retranslate_ui(self) -> None:
        super().retranslate_ui()
        _ = self._tr.gettext
        self.title.setText(_("Find a booking"))
        self.field.setPlaceholderText(_("First name, code, device or time"))
        self.field.setAccessibleName(_("Search the bookings"))
        for only, chip in self.chips.items():
            chip.setText(filter_text(self._tr, only))
        self._chip_columns = 0  # the words changed: arrange again at the next resize
        self._arrange_chips(1)
        self.updateGeometry()
        if self.field.text().strip() or self.only is not None:
            self.run()  # the rows' words (statuses, days) in the new language
        else:
            self._say_summary(0)


def open_find(desk: StaffBookingsScreen, text: str = "") -> None:
    """Show the Find panel, searching for ``text`` if given (else as it was left)."""
    panel = desk.panels.find_panel
    if text:
        panel.search_for(text)
    else:
        panel.refresh()
    desk.panels.open("find", desk.width())
    desk.timeline.select(None)
    if not text:
        panel.field.setFocus(Qt.FocusReason.OtherFocusReason)
        panel.keep_field_in_view()


def install(desk: StaffBookingsScreen) -> None:
    """Wire the Find panel into the desk: the bar's Find button, a tapped row, and a first name
    typed into the check-in field (a code there still checks in at once)."""
    bar, panel = desk.bar, desk.panels.find_panel
    bar.find_button.clicked.connect(lambda: open_find(desk))
    panel.booking_chosen.connect(desk.show_booking)
    panel.closed.connect(desk.show_agenda)

    def check_in_or_find() -> None:
        typed = bar.code_field.text()
        if not is_first_name(typed):
            desk.check_in()
            return
        bar.code_field.setText("")
        panel.search_for(typed.strip())
        if not panel.found:  # neither a code nor a name: say how codes look, as before
            set_tone(bar.feedback, "error", panel.no_match_text(typed))
            return
        set_tone(bar.feedback, "idle", " ")
        open_find(desk, typed.strip())

    for signal in (bar.code_field.returnPressed, bar.check_in_button.clicked):
        signal.disconnect(desk.check_in)
        signal.connect(check_in_or_find)
