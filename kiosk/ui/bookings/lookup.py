"""The "My booking" page: type or scan the code from the slip, see the booking, cancel it.

It also says what became of a booking since the slip was printed: staff moved it to another
time, it is still provisional (booked while this kiosk was offline), the hub gave its time
to another booking made elsewhere meanwhile (a conflict: staff offer another time), or its
device broke (the visitor comes to the desk or books another time).

A code to continue a course typed here is handed on to the resume entry: returning visitors
need not know which of their codes goes where.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from enum import Enum

from PySide6.QtCore import QElapsedTimer, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from kiosk.core.bookings import Booking, BookingStatus, Lookup, LookupStatus
from kiosk.core.codes import CodeKind, EntryProblem, read_code
from kiosk.core.i18n import Translator, format_slot, localise_digits
from kiosk.storage import StorageError
from kiosk.ui.bookings.cards import scroll_body
from kiosk.ui.bookings.texts import (
    Bookings,
    conflict_text,
    device_name,
    status_text,
)
from kiosk.ui.parts.booking_slip import provisional_text
from kiosk.ui.parts.code_entry import code_field, entry_problem_text
from kiosk.ui.parts.screen_base import back_arrow, label

log = logging.getLogger(__name__)

CANCELLABLE = (BookingStatus.PENDING, BookingStatus.CONFIRMED, BookingStatus.PROVISIONAL)


class Step(Enum):
    ENTER = "enter"  # typing the code
    SHOWN = "shown"  # the booking is shown
    ASK = "ask"  # "Do you really want to cancel?"
    CANCELLED = "cancelled"


class LookupPage(QWidget):
    """Find a booking by its code; show device, time and status; cancel after a second yes."""

    back_requested = Signal()
    """The visitor is done here: back to the free times."""
    cancelled = Signal()
    """A booking was cancelled (its time is free again)."""
    resume_code_entered = Signal(str)
    """A well-formed code to continue a course (compact) was typed here instead."""

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
        self.step = Step.ENTER
        self.booking: Booking | None = None
        self._lookup: Lookup | None = None
        self._problem = ""  # msgid-independent key of what went wrong with the typed code
        self._started = True  # the booking shown has started already (no cancelling then)
        self._wait_s = 0.0
        self._waited = QElapsedTimer()
        self._wait_timer = QTimer(self)
        self._wait_timer.setInterval(1000)
        self._wait_timer.timeout.connect(self._tick)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 12, 48, 12)
        layout.setSpacing(8)
        # The body scrolls: the on-screen keyboard shares the screen while the code is typed.
        self._scroll, body, content = scroll_body(self, self._tr.gettext)
        self._scroll.viewport().installEventFilter(self)
        self.title = label(body, "title")
        self.help = label(body, "muted")
        self.field = code_field(body)
        self.field.returnPressed.connect(self.submit)
        self.field.textEdited.connect(self._edited)
        self.field.character_filter.refused.connect(self._refused)
        self.error = label(body, "error")
        self.error.hide()
        for widget in (self.title, self.help, self.field, self.error):
            content.addWidget(widget)

        self.result = QFrame(body)
        self.result.setObjectName("deviceCard")
        box = QVBoxLayout(self.result)
        box.setContentsMargins(20, 16, 20, 16)
        box.setSpacing(8)
        self.what = label(self.result, "cardTitle")
        self.when = label(self.result, "when")
        self.status = label(self.result, "muted")
        self.note = label(self.result, "muted")
        for widget in (self.what, self.when, self.status, self.note):
            box.addWidget(widget)
        content.addWidget(self.result)
        # What happened since the slip was printed (moved, provisional, a conflict).
        self.news = label(body, "notice")
        self.news.hide()
        content.addWidget(self.news)
        self.question = label(body, "notice")
        content.addWidget(self.question)
        answers = QHBoxLayout()
        self.keep = QPushButton(body)
        self.keep.clicked.connect(self._keep)
        self.yes_cancel = QPushButton(body)
        self.yes_cancel.setObjectName("danger")
        self.yes_cancel.clicked.connect(self._cancel)
        answers.addWidget(self.keep)
        answers.addWidget(self.yes_cancel)
        answers.addStretch(1)
        content.addLayout(answers)
        self.outcome = label(body, "notice")
        content.addWidget(self.outcome)
        content.addStretch(1)
        layout.addWidget(self._scroll, 1)

        nav = QHBoxLayout()
        self.back = QPushButton(self)
        self.back.clicked.connect(self._back)
        self.go = QPushButton(self)
        self.go.setObjectName("primary")
        self.go.clicked.connect(self.submit)
        self.cancel_button = QPushButton(self)
        self.cancel_button.setObjectName("primary")
        self.cancel_button.clicked.connect(self._ask)
        nav.addWidget(self.back)
        nav.addStretch(1)
        nav.addWidget(self.cancel_button)
        nav.addWidget(self.go)
        layout.addLayout(nav)
        self.retranslate()

    # -- what the visitor does -----------------------------------------------------------------

    def start(self) -> None:
        """Ready for a code: the field has focus, so the keyboard comes up with Latin keys."""
        self.step = Step.ENTER
        self.booking = None
        self._problem = ""
        self.field.setText("")
        if self._waiting():  # still waiting after too many wrong codes: keep counting down
            self._wait_timer.start()
        self.retranslate()
        self.field.setFocus(Qt.FocusReason.OtherFocusReason)

    def look_up(self, code: str) -> None:
        """Show the booking of ``code`` (typed at another entry) as if typed here."""
        self.start()
        self.field.setText(code)
        self.submit()

    def submit(self) -> None:
        if self.step is not Step.ENTER or self._waiting():
            return
        text = self.field.text()
        read = read_code(text)
        if read.kind is CodeKind.RESUME and read.is_code:
            self.field.setText("")
            self._problem = ""
            self.retranslate()
            self.resume_code_entered.emit(read.compact)
            return
        service = self._bookings()
        # No code at all: nothing is looked up, so nothing counts as a guess.
        self._problem = read.problem.value if read.problem is not None else ""
        if not self._problem and service is None:
            self._problem = "unavailable"
        elif not self._problem and service is not None:
            try:
                self._lookup = service.find(text)
                self._started = (
                    self._lookup.booking is None or self._lookup.booking.start <= service.now()
                )
            except StorageError:
                log.exception("booking could not be looked up")
                self._problem = "storage"
        if not self._problem and self._lookup is not None:
            status = self._lookup.status
            if status is LookupStatus.FOUND and self._lookup.booking is not None:
                self.booking = self._lookup.booking
                self.step = Step.SHOWN
                self.setFocus(Qt.FocusReason.OtherFocusReason)  # the keyboard goes away
            elif status is LookupStatus.MALFORMED:  # read_code() lets none through; to be safe
                self._problem = EntryProblem.MISTYPED.value
            elif status is LookupStatus.THROTTLED:
                self._problem = "throttled"
                self._start_wait(self._lookup.wait_s)
            else:
                self._problem = "unknown"
                if self._lookup.wait_s > 0:
                    self._start_wait(self._lookup.wait_s)
        self.retranslate()
        QTimer.singleShot(0, self._show_field)

    def _ask(self) -> None:
        if self.step is Step.SHOWN and self._cancellable():
            self.step = Step.ASK
            self.retranslate()

    def _keep(self) -> None:
        self.step = Step.SHOWN
        self.retranslate()

    def _cancel(self) -> None:
        if self.step is not Step.ASK or self.booking is None:
            return
        service = self._bookings()
        self._problem = ""
        done = False
        if service is None:
            self._problem = "unavailable"
        else:
            try:
                done = service.cancel(self.booking.id)
            except StorageError:
                log.exception("booking could not be cancelled")
                self._problem = "storage"
        if done:
            self.step = Step.CANCELLED
            self.cancelled.emit()
        else:
            self.step = Step.SHOWN
            self._problem = self._problem or "not_cancelled"
        self.retranslate()

    def _back(self) -> None:
        # Done after cancelling, or not looking anything up: back to the free times; else back
        # to the field, for another code.
        if self.step in (Step.ENTER, Step.CANCELLED):
            self.back_requested.emit()
        else:
            self.start()

    def _cancellable(self) -> bool:
        return self.booking is not None and self.booking.status in CANCELLABLE and not self._started

    def _refused(self) -> None:
        if self._problem != "throttled":
            self._problem = EntryProblem.NOT_IN_CODES.value
            self.retranslate()

    def _edited(self, _text: str) -> None:
        # Which characters codes never contain stays said while the visitor types on (a
        # scanner types the next characters at once, before anyone could read it).
        if self._problem not in ("", "throttled", EntryProblem.NOT_IN_CODES.value):
            self._problem = ""
            self.error.hide()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # The on-screen keyboard came up (the view got smaller): keep the field in view.
        if watched is self._scroll.viewport() and event.type() == QEvent.Type.Resize:
            self._show_field()
        return False

    def _show_field(self) -> None:
        if self.step is Step.ENTER:
            lowest = self.error if not self.error.isHidden() else self.field
            self._scroll.ensureVisible(0, lowest.y() + lowest.height(), 0, 8)

    # -- waiting after too many wrong codes ----------------------------------------------------

    def _start_wait(self, seconds: float) -> None:
        self._wait_s = seconds
        self._waited.start()
        self._wait_timer.start()

    def _left_s(self) -> int:
        if not self._waited.isValid():
            return 0
        return max(0, math.ceil(self._wait_s - self._waited.elapsed() / 1000))

    def _waiting(self) -> bool:
        return self._left_s() > 0

    def _tick(self) -> None:
        if not self._waiting():
            self._wait_timer.stop()
            self._waited.invalidate()
            if self._problem == "throttled":
                self._problem = ""
        self.retranslate()

    def leave(self) -> None:
        self._wait_timer.stop()

    def reset(self) -> None:
        """Forget the visitor: the typed code and the booking shown."""
        self.leave()
        self._waited.invalidate()
        self.step = Step.ENTER
        self.booking = None
        self._lookup = None
        self._problem = ""
        self.field.setText("")
        self.retranslate()

    # -- texts ---------------------------------------------------------------------------------

    def _problem_text(self) -> str:
        _ = self._tr.gettext
        if self._problem in {problem.value for problem in EntryProblem}:
            return entry_problem_text(self._tr, EntryProblem(self._problem))
        if self._problem == "throttled" or (self._problem == "unknown" and self._waiting()):
            seconds = max(1, self._left_s())
            return localise_digits(
                self._tr.ngettext(
                    "Too many wrong codes. Please wait {n} second.",
                    "Too many wrong codes. Please wait {n} seconds.",
                    seconds,
                ).format(n=seconds),
                self._tr.current.code,
            )
        texts = {
            "unavailable": _("Please try again in a moment."),
            "storage": _("Please try again in a moment."),
            "unknown": _("We do not know this code. Please check it."),
            "not_cancelled": _("This booking cannot be cancelled any more. Please ask our staff."),
        }
        return texts.get(self._problem, "")

    def _news(self, booking: Booking, device: str) -> str:
        """What became of the booking since the slip was printed, in plain words."""
        _ = self._tr.gettext
        parts = []
        if booking.moved and booking.active:
            when = format_slot(booking.start, booking.end, self._tr.current.code)
            parts.append(
                _("Staff moved your booking to {when}. Your slip is no longer up to date.").format(
                    when=f"{device}, {when}"
                )
            )
        if booking.status is BookingStatus.PROVISIONAL:
            parts.append(provisional_text(_, with_check=False))
        elif booking.status is BookingStatus.CONFLICT:
            parts.append(conflict_text(_))
        if self._lookup is not None and self._lookup.device_unavailable and booking.active:
            parts.append(
                _(
                    "This device is out of order at the moment. Please come to the desk, "
                    "or book another slot."
                )
            )
        return " ".join(parts)

    def retranslate(self) -> None:
        _ = self._tr.gettext
        code = self._tr.current.code
        entering = self.step is Step.ENTER
        self.title.setText(_("My booking"))
        self.help.setText(_("Type the code from your slip, or hold its QR code to the scanner."))
        self.field.setPlaceholderText("XXX-XXX")
        self.field.setAccessibleName(_("Your booking code"))
        waiting = self._waiting()
        for widget in (self.help, self.field):
            widget.setVisible(entering)
        self.field.setEnabled(not waiting)
        self.go.setEnabled(not waiting)
        problem = self._problem_text()
        self.error.setText(problem)
        self.error.setVisible(bool(problem))

        booking = self.booking
        self.result.setVisible(not entering and booking is not None)
        if booking is not None:
            service = self._bookings()
            device = service.device(booking.device_id) if service is not None else None
            name = device_name(device, self._tr, self._fallbacks) if device else booking.device_kind
            self.what.setText(name)
            self.when.setText(format_slot(booking.start, booking.end, code))
            status = _("Cancelled") if self.step is Step.CANCELLED else None
            self.status.setText(
                _("Status: {status}").format(status=status or status_text(self._tr, booking.status))
            )
            started = booking.status in CANCELLABLE and self._started
            self.note.setText(
                _("It has already started. Please ask our staff if you need help.")
                if started and self.step is Step.SHOWN
                else ""
            )
            self.note.setVisible(bool(self.note.text()))
            news = self._news(booking, name)
            self.news.setText(news)
            self.news.setVisible(bool(news) and self.step is not Step.CANCELLED)
        else:
            self.news.hide()
        asking = self.step is Step.ASK
        self.question.setText(
            _("Do you really want to cancel this booking? The slot becomes free for others.")
        )
        self.keep.setText(_("No, keep it"))
        self.yes_cancel.setText(_("Yes, cancel it"))
        for part in (self.question, self.keep, self.yes_cancel):
            part.setVisible(asking)
        self.outcome.setText(_("Your booking is cancelled. Thank you for telling us."))
        self.outcome.setVisible(self.step is Step.CANCELLED)
        self.go.setText(_("Show my booking"))
        self.go.setVisible(entering)
        self.cancel_button.setText(_("Cancel this booking"))
        self.cancel_button.setVisible(self.step is Step.SHOWN and self._cancellable())
        back = _("Back")
        self.back.setText(f"{back_arrow(self.layoutDirection())}  {back}")
        to_list = self.step in (Step.ENTER, Step.CANCELLED)
        self.back.setAccessibleName(
            _("Back to the free slots") if to_list else _("Look up another code")
        )
