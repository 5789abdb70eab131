"""The third booking page: booked, with the code big, its QR code and a slip to print."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from kiosk.core.bookings import Booking, BookingStatus, DevicePolicy
from kiosk.core.i18n import Translator, format_slot, isolate, localise_digits
from kiosk.ui.bookings.cards import scroll_body
from kiosk.ui.bookings.texts import device_name
from kiosk.ui.parts.booking_slip import booking_slip, house_rules_text, provisional_text
from kiosk.ui.parts.code_entry import code_font
from kiosk.ui.parts.printers import print_slip
from kiosk.ui.parts.printing import Slip
from kiosk.ui.parts.qr import QrCodeWidget
from kiosk.ui.parts.screen_base import label

log = logging.getLogger(__name__)

SlipPrinter = Callable[[Slip], bool]
"""Prints a slip on the default printer; False when there is none."""

QR_SIDE = 208  # 7-pixel modules for a 6-symbol code: easy for the desk scanner
MESSAGE_MS = 10_000


class BookedPage(QWidget):
    """What the visitor takes away: device, time and the code (to check in or to cancel)."""

    done = Signal()
    """The visitor is finished here."""

    def __init__(
        self,
        translator: Translator,
        *,
        fallbacks: Sequence[str],
        house_rules: Mapping[str, str],
        reception: Mapping[str, str] | None = None,
        paper: str,
        no_show_minutes: int,
        printer: SlipPrinter = print_slip,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._tr = translator
        self._fallbacks = tuple(fallbacks)
        self._house_rules = dict(house_rules)
        self._reception = dict(reception or {})  # where codes are shown, per language
        self._paper = paper
        self._no_show_minutes = no_show_minutes
        self._printer = printer
        self.booking: Booking | None = None
        self.device: DevicePolicy | None = None
        self._printed: bool | None = None  # None: not printed yet

        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 16, 48, 16)
        layout.setSpacing(12)
        scroll, body, content = scroll_body(self, self._tr.gettext)
        self.title = label(body, "title")
        content.addWidget(self.title)
        row = QHBoxLayout()
        row.setSpacing(48)
        text = QVBoxLayout()
        text.setSpacing(8)
        self.what = label(body, "cardTitle")
        self.when = label(body, "when")
        self.code_caption = label(body, "muted")
        self.code_label = label(body, "resumeCode", wrap=False)
        self.code_label.setFont(code_font(44))
        self.code_label.setProperty("spell", True)  # read aloud character by character
        # Codes read left to right in every language.
        self.code_label.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.code_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.pending = label(body, "notice")
        self.explanation = label(body, "muted")
        text.addWidget(self.what)
        text.addWidget(self.when)
        text.addSpacing(8)
        text.addWidget(self.code_caption)
        text.addWidget(self.code_label)
        text.addStretch(1)
        self.qr = QrCodeWidget(parent=body)
        self.qr.setFixedSize(QR_SIDE, QR_SIDE)
        row.addLayout(text, 1)
        row.addWidget(self.qr, 0, Qt.AlignmentFlag.AlignTop)
        content.addLayout(row)
        # Under the row, across the whole width: long translations wrap into few lines.
        content.addWidget(self.pending)
        content.addWidget(self.explanation)
        content.addStretch(1)
        layout.addWidget(scroll, 1)
        nav = QHBoxLayout()
        nav.setSpacing(16)
        self.print_button = QPushButton(self)
        self.print_button.setObjectName("navButton")
        self.print_button.clicked.connect(self.print_slip)
        # What came of printing shows right above the buttons, in view without scrolling.
        self.message = label(self, "notice")
        self.message.hide()
        self._message_timer = QTimer(self)
        self._message_timer.setSingleShot(True)
        self._message_timer.timeout.connect(self.message.hide)
        self.done_button = QPushButton(self)
        self.done_button.setObjectName("navPrimary")
        self.done_button.clicked.connect(self.done)
        nav.addWidget(self.print_button)
        nav.addStretch(1)
        nav.addWidget(self.done_button)
        layout.addWidget(self.message)
        layout.addLayout(nav)
        self.retranslate()

    def show_booking(self, booking: Booking, device: DevicePolicy) -> None:
        self.booking = booking
        self.device = device
        self._printed = None
        self.message.hide()
        self.qr.set_text(booking.printed_code)
        self.retranslate()

    def slip(self) -> Slip | None:
        """The slip of the booking shown, in the visitor's language."""
        if self.booking is None or self.device is None:
            return None
        code = self._tr.current.code
        return booking_slip(
            self.booking,
            self.device,
            language=code,
            gettext=self._tr.gettext,
            ngettext=self._tr.ngettext,
            house_rules=house_rules_text(self._house_rules, code, self._fallbacks),
            no_show_minutes=self._no_show_minutes,
            fallbacks=self._fallbacks,
            paper=self._paper,
        )

    def print_slip(self) -> None:
        slip = self.slip()
        if slip is None:
            return
        self._printed = self._printer(slip)
        if self._printed:
            log.info("booking slip sent to the printer")
        self.retranslate()
        self.message.show()
        self._message_timer.start(MESSAGE_MS)

    def reset(self) -> None:
        """Forget the booking shown (its code must not reach the next visitor)."""
        self.booking = None
        self.device = None
        self._printed = None
        self._message_timer.stop()
        self.message.hide()
        self.qr.set_text("")
        self.retranslate()

    def retranslate(self) -> None:
        _ = self._tr.gettext
        code = self._tr.current.code
        booking, device = self.booking, self.device
        status = booking.status if booking is not None else None
        pending = status is BookingStatus.PENDING
        provisional = status is BookingStatus.PROVISIONAL
        if pending:
            self.title.setText(_("Waiting for staff confirmation"))
        elif provisional:
            self.title.setText(_("Booked provisionally"))
        else:
            self.title.setText(_("Booked!"))
        self.what.setText(device_name(device, self._tr, self._fallbacks) if device else "")
        self.when.setText(format_slot(booking.start, booking.end, code) if booking else "")
        self.code_caption.setText(_("Your booking code:"))
        self.code_label.setText(booking.printed_code if booking else "—")
        if booking is not None:
            spelled = " ".join(booking.printed_code.replace("-", ""))
            self.code_label.setAccessibleName(_("Your booking code: {code}").format(code=spelled))
        self.qr.set_accessible_label(_("QR code of your booking code"))
        if provisional:
            self.pending.setText(provisional_text(_))
        else:
            self.pending.setText(
                _("A member of staff still has to confirm this booking. Please ask at the desk.")
            )
        self.pending.setVisible(pending or provisional)
        self.explanation.setText("\n".join(self._where_to_go()))
        if self._printed is not None:
            self.message.setText(
                _("Your slip is being printed.")
                if self._printed
                else _("No printer is connected. Please write the code down or take a photo of it.")
            )
        self.print_button.setText(_("Print the slip"))
        self.print_button.setEnabled(booking is not None)
        self.done_button.setText(_("Done"))
        self.done_button.setAccessibleName(_("Done: end my visit. The booking stays."))

    def _where_to_go(self) -> list[str]:
        """Where the device is, where to show the code, when to come, and how to cancel: one
        sentence a line (short lines read more easily, in Leichte Sprache above all)."""
        _ = self._tr.gettext
        code = self._tr.current.code
        lines = []
        place = self.device.place(code, self._fallbacks) if self.device is not None else ""
        if place:
            # Site texts are Latin in Arabic and Persian lines: isolated, the full stop stays put.
            lines.append(_("The device is here: {place}").format(place=isolate(place)))
        reception = house_rules_text(self._reception, code, self._fallbacks)
        if reception:
            lines.append(_("Please come a few minutes before the start."))
            lines.append(_("Show your code here: {place}").format(place=isolate(reception)))
        else:
            lines.append(
                _("Please come to the desk a few minutes before the start and show this code.")
            )
        minutes = localise_digits(str(self._no_show_minutes), code)
        lines.append(
            self._tr.ngettext(
                "If you do not come within {minutes} minute of the start, the device is "
                "given to someone else.",
                "If you do not come within {minutes} minutes of the start, the device is "
                "given to someone else.",
                self._no_show_minutes,
            ).format(minutes=minutes)
        )
        lines.append(_("Cannot come? Cancel at the kiosk with this code."))
        return lines
