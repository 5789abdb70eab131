"""Try a device: free times as big buttons, book with a first name, get a code, see or cancel it.

The visitor flow, at most five touches from the home screen to a confirmed booking (the letters
of the name not counted): "Try a device" → a free time → the name field → "Confirm booking".
No account, no e-mail, no phone: the code on screen, in its QR code and on the printed slip is
how the visitor checks in at the desk or cancels later under "My booking".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import Enum

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QSizePolicy, QStackedWidget, QVBoxLayout, QWidget

from kiosk.core.bookings import Booking, Slot
from kiosk.core.i18n import Translator
from kiosk.ui import theme
from kiosk.ui.bookings.confirm import ConfirmPage
from kiosk.ui.bookings.device_list import DeviceListPage
from kiosk.ui.bookings.done import BookedPage, SlipPrinter
from kiosk.ui.bookings.lookup import LookupPage
from kiosk.ui.bookings.texts import Bookings
from kiosk.ui.parts.hub_booking import HubLink
from kiosk.ui.parts.printers import print_slip
from kiosk.ui.parts.screen_base import ScreenBase

SHARED_CHECK_MS = 1000  # how often a joined terminal's list looks whether the sync brought news


class Page(Enum):
    LIST = "list"  # devices and their free times
    CONFIRM = "confirm"  # one time: length, name, confirm
    BOOKED = "booked"  # the code, its QR code, the slip
    LOOKUP = "lookup"  # "My booking": see or cancel by code


def booking_look(t: theme.Palette) -> str:
    """Looks of the booking pages only; sizes of text come from the app's stylesheet (A−/A+)."""
    return f"""
QWidget#bookingContent {{ background: {t.background}; }}
QFrame#deviceCard {{
    background: {t.surface}; border: 2px solid {t.divider}; border-radius: 16px;
}}
QFrame#deviceCard QLabel, QFrame#deviceCard QWidget {{ background: transparent; }}
QLabel#cardNote {{ color: {t.on_primary_soft}; font-weight: 600; }}
QLabel#when, QLabel#fieldLabel {{ font-weight: 600; }}
QPushButton#slotButton {{
    min-height: 56px; padding: 4px 12px; font-weight: 600;
    background: {t.primary_soft}; color: {t.on_primary_soft}; border: 2px solid {t.primary};
}}
QPushButton#slotButton:pressed {{ background: {t.primary}; color: {t.on_primary}; }}
QPushButton#slotButton:focus {{ border: 3px solid {t.focus}; padding: 3px 11px; }}
QPushButton#dayButton {{ min-height: 88px; min-width: 0; padding: 6px 4px; }}
QPushButton#dayButton:focus {{ border: 3px solid {t.focus}; padding: 5px 3px; }}
QPushButton#moreTimes {{
    min-height: 48px; padding: 4px 8px; background: transparent; border: none;
    color: {t.primary}; font-weight: 600; text-decoration: underline;
}}
QPushButton#moreTimes:focus {{ border: 3px solid {t.focus}; padding: 1px 5px; }}
/* The app's primary buttons would keep their colour when disabled: a refused time or a wait
   after wrong codes must look unavailable too. */
QPushButton#navPrimary:disabled, QPushButton#primary:disabled {{
    background: {t.disabled_bg}; color: {t.disabled_text}; border-color: {t.disabled_bg};
}}
QPushButton#danger {{ background: {t.danger}; color: {t.on_primary}; border-color: {t.danger}; }}
QPushButton#danger:focus {{ border: 3px solid {t.focus}; padding: 5px 19px; }}
"""


class BookingScreen(ScreenBase):
    """Book a device trial, take the code away, or look a booking up and cancel it."""

    back_requested = Signal()
    """The visitor wants to go back to the home screen."""
    visit_finished = Signal()
    """The visitor has their code and tapped "Done": the visit ends (nothing more to ask)."""
    resume_code_entered = Signal(str)
    """A code to continue a course was typed into "My booking": the shell takes it there."""

    def __init__(
        self,
        translator: Translator,
        bookings_getter: Bookings,
        *,
        house_rules: Mapping[str, str],
        reception: Mapping[str, str] | None = None,
        fallback_languages: Sequence[str],
        paper: str,
        no_show_minutes: int,
        printer: SlipPrinter = print_slip,
        hub: HubLink | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """``hub``: how a terminal joined to a hub asks it for bookings and sends changes at
        once (None: the terminal stands alone)."""
        super().__init__(translator, parent)
        self.setObjectName("booking")
        theme.follow_look(self, booking_look)  # follows the visitor's high-contrast switch
        self._bookings = bookings_getter
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self._stack = QStackedWidget(self)
        layout.addWidget(self._stack)
        self._fallbacks = tuple(fallback_languages)
        self._house_rules = dict(house_rules)
        self._reception = dict(reception or {})
        self._paper = paper
        self._no_show_minutes = no_show_minutes
        self._printer = printer
        self._hub = hub
        self.list_page = DeviceListPage(translator, bookings_getter, fallback_languages)
        self.list_page.back_requested.connect(self.back_requested)
        self.list_page.slot_chosen.connect(self.open_slot)
        self.list_page.lookup_requested.connect(self.open_lookup)
        self._pages: dict[Page, QWidget] = {}
        self._add(Page.LIST, self.list_page)
        self.page = Page.LIST
        # The other pages are built when first needed: opening the screen stays quick.
        self._confirm: ConfirmPage | None = None
        self._booked_page: BookedPage | None = None
        self._lookup: LookupPage | None = None
        # A joined terminal: when the sync brings bookings made at the other terminals of the
        # site, the free times on the list are read again (no time shown free that is taken).
        self._shared_seen = 0
        self.shared_timer = QTimer(self)
        self.shared_timer.setInterval(SHARED_CHECK_MS)
        self.shared_timer.timeout.connect(self._shared_changed)

    def _add(self, page: Page, widget: QWidget) -> None:
        self._pages[page] = widget
        self._stack.addWidget(widget)

    @property
    def confirm_page(self) -> ConfirmPage:
        if self._confirm is None:
            self._confirm = ConfirmPage(self._tr, self._bookings, self._fallbacks, hub=self._hub)
            self._confirm.back_requested.connect(self._back_to_list)
            self._confirm.booked.connect(self._booked)
            self._add(Page.CONFIRM, self._confirm)
        return self._confirm

    @property
    def booked_page(self) -> BookedPage:
        if self._booked_page is None:
            self._booked_page = BookedPage(
                self._tr,
                fallbacks=self._fallbacks,
                house_rules=self._house_rules,
                reception=self._reception,
                paper=self._paper,
                no_show_minutes=self._no_show_minutes,
                printer=self._printer,
            )
            self._booked_page.done.connect(self._done)
            self._add(Page.BOOKED, self._booked_page)
        return self._booked_page

    @property
    def lookup_page(self) -> LookupPage:
        if self._lookup is None:
            self._lookup = LookupPage(self._tr, self._bookings, self._fallbacks)
            self._lookup.back_requested.connect(self._back_to_list)
            self._lookup.resume_code_entered.connect(self.resume_code_entered)
            if self._hub is not None:  # a cancellation travels to the other terminals now
                self._lookup.cancelled.connect(self._hub.wake)
            self._add(Page.LOOKUP, self._lookup)
        return self._lookup

    # -- moving between the pages --------------------------------------------------------------

    def _show(self, page: Page) -> None:
        self.page = page
        target = self._pages[page]
        # Only the page shown counts for the screen's size: the booked page must not keep the
        # confirm page from shrinking when the on-screen keyboard comes up.
        for widget in self._pages.values():
            policy = (
                QSizePolicy.Policy.Preferred if widget is target else QSizePolicy.Policy.Ignored
            )
            widget.setSizePolicy(policy, policy)
        self.setFocus()  # no field grabs focus (and the keyboard) unasked
        self._stack.setCurrentWidget(target)

    def open_slot(self, slot: Slot) -> None:
        """The visitor tapped a free time: check it, choose a length, give a name."""
        service = self._bookings()
        device = service.device(slot.device_id) if service is not None else None
        if device is None:
            self.list_page.refresh()
            return
        self.confirm_page.open(slot, device)
        self._show(Page.CONFIRM)

    def open_lookup(self) -> None:
        """The visitor has a code: see or cancel that booking."""
        page = self.lookup_page
        self._show(Page.LOOKUP)
        page.start()

    def _back_to_list(self) -> None:
        if self._lookup is not None:
            self._lookup.leave()
        self._show(Page.LIST)
        self.list_page.refresh()

    def _booked(self, booking: Booking) -> None:
        service = self._bookings()
        device = service.device(booking.device_id) if service is not None else None
        if device is None:  # pragma: no cover - the service just booked this device
            return
        self.booked_page.show_booking(booking, device)
        self._show(Page.BOOKED)
        self.list_page.refresh()  # the time just booked is not free any more

    def _done(self) -> None:
        self.booked_page.reset()
        self._show(Page.LIST)
        self.visit_finished.emit()

    # -- screen hooks --------------------------------------------------------------------------

    def show_kind(self, kind: str) -> None:
        """Only devices of ``kind`` (from a course's "Try a device for this"); "" = all."""
        self._show(Page.LIST)
        self.list_page.show_kind(kind)

    def enter(self) -> None:
        self._forget_shown()
        self._show(Page.LIST)
        self.list_page.start()
        if self._hub is not None:
            self._shared_seen = self._hub.shared_kept()
            self.shared_timer.start()

    def _shared_changed(self) -> None:
        """The sync kept bookings or device states from the hub: the list shows them."""
        if self._hub is None:
            return
        count = self._hub.shared_kept()
        if count != self._shared_seen:
            self._shared_seen = count
            if self.page is Page.LIST:
                self.list_page.refresh()

    def leave(self) -> None:
        self.shared_timer.stop()
        if self._confirm is not None:
            self._confirm.leave()
        if self._lookup is not None:
            self._lookup.leave()

    def reset(self) -> None:
        if self._confirm is not None:
            self._confirm.reset()
        self._forget_shown()
        self.list_page.kind = ""
        self._show(Page.LIST)

    def _forget_shown(self) -> None:
        """The code shown and the booking looked up are for the moment only."""
        if self._booked_page is not None:
            self._booked_page.reset()
        if self._lookup is not None:
            self._lookup.reset()

    def _built_pages(self) -> list[DeviceListPage | ConfirmPage | BookedPage | LookupPage]:
        # getattr: a direction change may reach the screen while it is still being built.
        pages = [getattr(self, name, None) for name in ("list_page", "_confirm")]
        pages += [getattr(self, name, None) for name in ("_booked_page", "_lookup")]
        return [page for page in pages if page is not None]

    def retranslate_ui(self) -> None:
        for page in self._built_pages():
            page.retranslate()
