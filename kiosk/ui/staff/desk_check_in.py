"""The desk's check-in: a typed or scanned code checked in through the booking service, and the
clear green or red answer on the desk's bar (kept until the next code, said anew in a new language).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import Qt

from kiosk.core.bookings import BookingService, CheckIn
from kiosk.core.i18n import Translator
from kiosk.storage import StorageError
from kiosk.ui.parts.desk_style import set_tone, storage_failed
from kiosk.ui.parts.hub_booking import HubBooking
from kiosk.ui.staff.desk_bar import DeskBar
from kiosk.ui.staff.views import DeskReading, check_in_message

log = logging.getLogger(__name__)


def problem_text(tr: Translator, problem: str) -> str:
    """Why the desk shows no bookings: "closed" (no database) or anything else (not readable)."""
    if problem == "closed":
        return tr.gettext(
            "The booking database is not open, so no bookings can be shown. Please wait "
            "a moment; if this stays, see the terminal overview."
        )
    return storage_failed(tr)


class DeskCheckIn:
    """Checks in codes from the desk's field (or a booking's button) and says what came of it."""

    def __init__(
        self,
        translator: Translator,
        bookings: Callable[[], BookingService | None],
        bar: DeskBar,
        hub: HubBooking,
        *,
        refresh: Callable[[], None],
        reading: Callable[[], DeskReading | None],
        problem: Callable[[], str],
        select: Callable[[int], None],
    ) -> None:
        """``refresh`` reads the desk again, ``reading`` and ``problem`` give what it read, and
        ``select`` opens a booking of the shown day."""
        self._tr = translator
        self._bookings = bookings
        self._bar = bar
        self._hub = hub
        self._refresh = refresh
        self._reading = reading
        self._problem = problem
        self._select = select
        self.last: tuple[CheckIn, str] | None = None

    def idle_hint(self) -> str:
        _ = self._tr.gettext
        return self._tr.joined(
            _("Type or scan a booking code and press Enter to check in."),
            _("A first name finds the booking."),
        )

    def forget(self) -> None:
        """The bar is ready for the next visitor: no earlier answer, only the hint."""
        self.last = None
        set_tone(self._bar.feedback, "idle", self.idle_hint())

    def from_field(self) -> None:
        """Check in the code in the field; the field is emptied for the next scan."""
        field = self._bar.code_field
        typed = field.text()
        field.setText("")
        field.setFocus(Qt.FocusReason.OtherFocusReason)
        if typed.strip():
            self.check_in_code(typed)

    def check_in_code(self, typed: str) -> None:
        """Check in the booking with this code and say clearly what came of it."""
        service = self._bookings()
        if service is None:
            set_tone(self._bar.feedback, "error", problem_text(self._tr, "closed"))
            return
        try:
            result = service.check_in(typed)
        except StorageError:
            log.exception("check-in failed")
            set_tone(self._bar.feedback, "error", storage_failed(self._tr))
            return
        log.info("check-in: %s", result.status.value)
        self._hub.changed()
        self.last = (result, typed)
        self._refresh()
        self.show()
        reading = self._reading()
        shown = reading.bookings if reading is not None else {}
        if result.booking is not None and result.booking.id in shown:
            self._select(result.booking.id)

    def show(self) -> None:
        """Say the last check-in's answer (again, e.g. in a new language)."""
        if self.last is None:
            return
        reading = self._reading()
        if reading is None:  # checked, but the desk could not be read again
            set_tone(
                self._bar.feedback, "error", problem_text(self._tr, self._problem() or "closed")
            )
            return
        result, typed = self.last
        set_tone(self._bar.feedback, *check_in_message(self._tr, reading, result, typed))

    def retranslate(self) -> None:
        if self.last is not None:
            self.show()
        elif self._bar.feedback.property("tone") == "idle":
            set_tone(self._bar.feedback, "idle", self.idle_hint())
