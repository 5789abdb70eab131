"""Resume codes: take one (big, with its QR code, printable) and type or scan one to continue.

The entry takes booking codes too (one "I have a code" for returning visitors): those are handed
on to the booking lookup.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from kiosk.core.codes import CodeKind, EntryProblem, read_code
from kiosk.core.i18n import Translator, format_date, localise_digits
from kiosk.core.progress import HubAnswer, ProgressService, RestoreResult
from kiosk.core.resume_codes import RestoreStatus, ResumeCode
from kiosk.storage import StorageError
from kiosk.ui.learning.resume_card import resume_card
from kiosk.ui.parts.background import run_in_background
from kiosk.ui.parts.code_entry import code_field, code_font, entry_problem_text
from kiosk.ui.parts.printers import print_slip
from kiosk.ui.parts.qr import QrCodeWidget
from kiosk.ui.parts.screen_base import ScreenBase, back_arrow, label
from kiosk.ui.parts.scroll_page import ScrollPage

log = logging.getLogger(__name__)

HubLookup = Callable[[str], HubAnswer | None]
"""Asks the hub for a code taken at another terminal (blocking: run off the UI thread); None
when the hub cannot be reached."""

Printer = Callable[[ResumeCode, str, list[str], str], bool]
"""Prints the card (code, title, lines, paper); False when no printer is available."""


def print_resume_card(code: ResumeCode, title: str, lines: list[str], paper: str = "a6") -> bool:
    """Send the card to the system's default printer; False when there is none.

    The last line is the expiry; it goes under the QR code, as on the saved PDF card.
    """
    card = resume_card(
        code=code.code,
        expires_text=lines[-1] if lines else "",
        qr_text=code.code,
        title=title,
        lines=lines[:-1],
        page=paper,
    )
    if not print_slip(card):
        return False
    log.info("resume card sent to the printer")
    return True


class ResumeCardScreen(ScreenBase):
    """The visitor's code, big enough to photograph, with a QR code and a print button."""

    back_requested = Signal()

    def __init__(
        self,
        translator: Translator,
        progress: Callable[[], ProgressService | None],
        printer: Printer = print_resume_card,
        parent: QWidget | None = None,
        *,
        paper: str = "a6",
        city_wide: bool = False,
    ) -> None:
        """`city_wide`: the terminal syncs with the city's hub, so the code works at every
        kiosk of the network, not only here; the screen and the card say so."""
        super().__init__(translator, parent)
        self._progress = progress
        self._printer = printer
        self._paper = paper
        self._city_wide = city_wide
        self.code: ResumeCode | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 24, 48, 24)
        layout.setSpacing(16)
        # Title, code and explanation scroll when the text size needs more than the screen;
        # Back and Print stay below.
        self.page = ScrollPage(self, self._tr.gettext)
        page = self.page.body
        self.page.content.setSpacing(16)
        self._title = label(page, "title")
        row = QHBoxLayout()
        row.setSpacing(48)
        text = QVBoxLayout()
        text.setSpacing(16)
        self.code_label = label(page, "resumeCode", wrap=False)
        self.code_label.setFont(code_font(48))
        self.code_label.setProperty("spell", True)  # read aloud character by character
        self.code_label.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.code_label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.expiry = label(page)
        self.explanation = label(page, "muted")
        self.message = label(page, "notice")
        self.message.hide()
        for widget in (self.code_label, self.expiry, self.explanation, self.message):
            text.addWidget(widget)
        text.addStretch(1)
        self.qr = QrCodeWidget(parent=page)
        self.qr.setFixedSize(280, 280)
        row.addLayout(text, 1)
        row.addWidget(self.qr, 0, Qt.AlignmentFlag.AlignTop)
        self.page.content.addWidget(self._title)
        self.page.content.addLayout(row, 1)
        layout.addWidget(self.page, 1)
        nav = QHBoxLayout()
        self.back = QPushButton(self)
        self.back.clicked.connect(self.back_requested)
        self.print = QPushButton(self)
        self.print.setObjectName("primary")
        self.print.clicked.connect(self._print)
        nav.addWidget(self.back)
        nav.addStretch(1)
        nav.addWidget(self.print)
        layout.addLayout(nav)
        self.retranslate_ui()

    def enter(self) -> None:
        self.message.hide()
        progress = self._progress()
        self.code = None
        failed = progress is None
        if progress is not None:
            try:
                self.code = progress.take_resume_code()
            except StorageError:
                log.exception("resume code could not be stored")
                failed = True
        self.qr.set_text(self.code.code if self.code else "")
        self.retranslate_ui()
        if failed:
            self.message.setText(
                self._tr.gettext(
                    "No code can be made right now. Please ask our staff, they can help."
                )
            )
            self.message.show()

    def reset(self) -> None:
        self.code = None
        self.qr.set_text("")
        self.code_label.setText("")

    def _expiry_text(self) -> str:
        if self.code is None:
            return ""
        local: datetime = self.code.expires_at.astimezone()
        when = format_date(local.date(), self._tr.current.code)
        return self._tr.gettext("Valid until {date}.").format(date=when)

    def _print(self) -> None:
        _ = self._tr.gettext
        if self.code is None:
            return
        lines = [
            _(
                "Type this code at any kiosk of the city's network, "
                "or hold the QR code to its scanner."
            )
            if self._city_wide
            else _("Type this code at the kiosk, or hold the QR code to the scanner."),
            _("The code holds no name and nothing about you, only which steps you did."),
            self._expiry_text(),
        ]
        printed = self._printer(self.code, _("Continue your course"), lines, self._paper)
        self.message.setText(
            _("Your card is being printed.")
            if printed
            else _("No printer is connected. Please write the code down or take a photo of it.")
        )
        self.message.show()
        QTimer.singleShot(8000, self.message.hide)

    def retranslate_ui(self) -> None:
        _ = self._tr.gettext
        self._title.setText(_("Your code to continue later"))
        if self.code is not None:
            self.code_label.setText(self.code.code)
            self.code_label.setAccessibleName(
                _("Your code: {code}").format(code=" ".join(self.code.code))
            )
            self.qr.set_accessible_label(_("QR code of your code"))
        else:
            self.code_label.setText("—")
        self.expiry.setText(self._expiry_text())
        self.explanation.setText(
            _(
                "With this code you continue where you stopped, on this kiosk or on any other "
                "kiosk of the city's network. It holds no name and nothing about you."
            )
            if self._city_wide
            else _(
                "With this code you continue where you stopped, on this kiosk. "
                "It holds no name and nothing about you."
            )
        )
        self.print.setText(_("Print the code"))
        self.print.setEnabled(self.code is not None)
        back = _("Back")
        self.back.setText(f"{back_arrow(self.layoutDirection())}  {back}")


class ResumeEntryScreen(ScreenBase):
    """Type (or scan: a scanner types and presses Enter) a code to get the progress back, or a
    booking code to see that booking."""

    restored = Signal()
    """Progress came back; the shell shows the courses in progress."""
    booking_code_entered = Signal(str)
    """A well-formed booking code (compact) was typed: the shell shows that booking."""
    back_requested = Signal()

    def __init__(
        self,
        translator: Translator,
        progress: Callable[[], ProgressService | None],
        parent: QWidget | None = None,
        *,
        hub_lookup: HubLookup | None = None,
    ) -> None:
        super().__init__(translator, parent)
        self._progress = progress
        self._hub_lookup = hub_lookup
        # Each lookup gets a number; an answer for another one than awaited (the visitor left,
        # the session was wiped) is dropped.
        self._lookups = 0
        self._awaited: int | None = None
        self._last: RestoreResult | None = None
        self._problem: EntryProblem | None = None  # why the typed text is no code at all
        self._wait_timer = QTimer(self)
        self._wait_timer.setInterval(1000)
        self._wait_timer.timeout.connect(self._tick)
        layout = QVBoxLayout(self)
        # Compact: the on-screen keyboard shares the 800 pixels with this screen.
        layout.setContentsMargins(48, 12, 48, 12)
        layout.setSpacing(10)
        # What is said scrolls when the text size (or the keyboard) leaves too little room:
        # the page never grows past the screen; Back and Continue stay below.
        self.page = ScrollPage(self, self._tr.gettext)
        page = self.page.body
        self.page.content.setSpacing(10)
        self._title = label(page, "title")
        self._help = label(page, "muted")
        self.field = code_field(page)
        self.field.returnPressed.connect(self.submit)
        self.message = label(page, "error")
        self.message.hide()
        self.field.textEdited.connect(self._edited)
        self.field.character_filter.refused.connect(
            lambda: self._show_problem(EntryProblem.NOT_IN_CODES)
        )
        self.go = QPushButton(self)
        self.go.setObjectName("primary")
        self.go.clicked.connect(self.submit)
        for widget in (self._title, self._help, self.field, self.message):
            self.page.content.addWidget(widget)
        self.page.content.addStretch(1)
        layout.addWidget(self.page, 1)
        # The on-screen keyboard takes most of the height: the field being typed into (and
        # what is said about it) is scrolled back into view whenever the view shrinks.
        self.page.viewport().installEventFilter(self)
        nav = QHBoxLayout()
        self.back = QPushButton(self)
        self.back.clicked.connect(self.back_requested)
        nav.addWidget(self.back)
        nav.addStretch(1)
        nav.addWidget(self.go)
        layout.addLayout(nav)
        self.retranslate_ui()

    def enter(self) -> None:
        self.message.hide()
        self.field.setFocus()
        self._tick()

    def leave(self) -> None:
        self._wait_timer.stop()
        self._end_lookup()

    def reset(self) -> None:
        self.field.setText("")
        self.message.hide()
        self._last = None
        self._problem = None
        self._end_lookup()

    @property
    def looking_up(self) -> bool:
        """Whether the hub is being asked about the code right now."""
        return self._awaited is not None

    def submit_code(self, text: str) -> None:
        """Take ``text`` as if typed or scanned here (a resume code typed elsewhere)."""
        self.field.setText(text)
        self.submit()

    def submit(self) -> None:
        if self.looking_up:
            return
        read = read_code(self.field.text())
        if not read.is_code and read.problem is not None:
            self._show_problem(read.problem)
            return
        if read.kind is CodeKind.BOOKING:
            self.field.setText("")
            self.message.hide()
            self.booking_code_entered.emit(read.compact)
            return
        progress = self._progress()
        if progress is None:
            self._show_message(self._tr.gettext("Please try again in a moment."))
            return
        try:
            result = progress.restore(self.field.text())
        except StorageError:
            log.exception("resume code could not be checked")
            self._show_message(self._tr.gettext("Please try again in a moment."))
            return
        self._show_result(result)

    def _edited(self, _text: str) -> None:
        # Which characters codes never contain stays said while the visitor types on: a
        # scanner types the next characters at once, before anyone could read it.
        if self._problem is not EntryProblem.NOT_IN_CODES:
            self.message.hide()

    def _show_problem(self, problem: EntryProblem) -> None:
        self._last = None
        self._problem = problem
        self._show_message(entry_problem_text(self._tr, problem))

    def _show_result(self, result: RestoreResult) -> None:
        if result.status is RestoreStatus.ELSEWHERE and self._hub_lookup is not None:
            self._ask_hub(result.compact)
            return
        self._problem = None
        self._last = result
        if result.restored:
            self.field.setText("")
            self.restored.emit()
            return
        self._show_message(self._explain(result))
        self._tick()

    def _ask_hub(self, compact: str) -> None:
        """Not on this terminal: ask the hub in the background, the screen stays responsive."""
        lookup = self._hub_lookup
        if lookup is None:
            return
        self._lookups += 1
        number = self._awaited = self._lookups
        self.go.setEnabled(False)
        self.field.setEnabled(False)
        self._show_message(self._tr.gettext("Looking for your code at the other places…"))
        self.message.setObjectName("muted")
        self.message.style().polish(self.message)

        def answered(answer: HubAnswer | None) -> None:
            if number != self._awaited:
                return  # the visitor moved on meanwhile
            self._end_lookup()
            progress = self._progress()
            if progress is None:
                return
            try:
                result = progress.restore_from_hub(compact, answer)
            except StorageError:
                log.exception("a code from the hub could not be stored")
                self._show_message(self._tr.gettext("Please try again in a moment."))
                return
            self._show_result(result)

        run_in_background(self, lambda: lookup(compact), answered)

    def _end_lookup(self) -> None:
        self._awaited = None
        self.go.setEnabled(True)
        self.field.setEnabled(True)
        if self.message.objectName() != "error":
            self.message.setObjectName("error")
            self.message.style().polish(self.message)

    def _explain(self, result: RestoreResult) -> str:
        _ = self._tr.gettext
        if result.status is RestoreStatus.EXPIRED:
            return _("This code has expired. Codes are kept for a limited time only.")
        if result.status is RestoreStatus.THROTTLED:
            seconds = max(1, round(result.retry_after_s))
            text = self._tr.ngettext(
                "Too many wrong codes. Please wait {n} second.",
                "Too many wrong codes. Please wait {n} seconds.",
                seconds,
            ).format(n=seconds)
            return localise_digits(text, self._tr.current.code)
        if result.status is RestoreStatus.UNREACHABLE:
            return _(
                "This code is from another place, and the connection to it is down right now. "
                "Please try again later, or ask the staff."
            )
        if result.status is RestoreStatus.MALFORMED:  # read_code() caught every other problem
            return entry_problem_text(self._tr, EntryProblem.MISTYPED)
        return _("We do not know this code. Please check it.")

    def _show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()
        QTimer.singleShot(0, self._field_into_view)

    def _field_into_view(self) -> None:
        """The field, and the message under it as far as the view allows, in view."""
        if not self.message.isHidden():
            self.page.ensureWidgetVisible(self.message, 0, 8)
        self.page.ensureWidgetVisible(self.field, 0, 8)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.page.viewport()
            and event.type() == QEvent.Type.Resize
            and self.field.hasFocus()
        ):
            # After the layout settled: the body gets its new height after the view.
            QTimer.singleShot(0, self._field_into_view)
        return super().eventFilter(watched, event)

    def _tick(self) -> None:
        progress = self._progress()
        wait = progress.restore_wait_s() if progress is not None else 0.0
        self.go.setEnabled(wait <= 0)
        self.field.setEnabled(wait <= 0)
        if wait <= 0:
            self._wait_timer.stop()
            if self._last is not None and self._last.status is RestoreStatus.THROTTLED:
                self.message.hide()
            return
        seconds = max(1, round(wait))
        self._show_message(
            localise_digits(
                self._tr.ngettext(
                    "Too many wrong codes. Please wait {n} second.",
                    "Too many wrong codes. Please wait {n} seconds.",
                    seconds,
                ).format(n=seconds),
                self._tr.current.code,
            )
        )
        if not self._wait_timer.isActive():
            self._wait_timer.start()

    def retranslate_ui(self) -> None:
        _ = self._tr.gettext
        self._title.setText(_("I have a code"))
        self._help.setText(
            _(
                "Type the code from your card for continuing a course or from your booking slip, "
                "or hold its QR code to the scanner."
            )
        )
        self.field.setPlaceholderText("XXXX-XXXX")
        self.field.setAccessibleName(_("Your code"))
        self.go.setText(_("Continue"))
        back = _("Back")
        self.back.setText(f"{back_arrow(self.layoutDirection())}  {back}")
        if self.message.isHidden():
            return
        if self._problem is not None:
            self.message.setText(entry_problem_text(self._tr, self._problem))
        elif self._last is not None:
            self.message.setText(self._explain(self._last))
