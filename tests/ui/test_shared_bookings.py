"""Bookings of a terminal joined to a hub, on screen: provisional bookings on the booked page, the
slip and "My booking"; conflicts and moved bookings for the visitor; the staff desk's conflicts
with their free times and one-touch move; texts and looks of the new statuses.

The booking service here is the real one over the kiosk's real database, joined (its shared copy
is the database's booking repository) but with no hub to ask: an answer never comes, so the
site's offline policy decides, as when the network is down. The hub itself is in
tests/hub/test_bookings_ui.py.
"""

from __future__ import annotations

import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QCoreApplication, Qt, QThreadPool
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from kiosk import resources
from kiosk.app import KioskApp
from kiosk.config import SiteConfig, load_config
from kiosk.core.bookings import (
    Booking,
    BookingService,
    BookingStatus,
    SharedBooking,
    Slot,
    device_policies,
    site_calendar,
)
from kiosk.core.bookings.ledger import timestamp
from kiosk.core.bookings.shared import REFUSE
from kiosk.core.i18n import LANGUAGE_CODES, Translator
from kiosk.core.resume_codes import generate_code
from kiosk.core.session import EndReason
from kiosk.storage.database import Storage
from kiosk.ui.bookings import texts as visitor_texts
from kiosk.ui.bookings.lookup import Step
from kiosk.ui.bookings.screen import BookingScreen, Page
from kiosk.ui.shell.screens import Screen
from kiosk.ui.staff import texts as staff_texts
from kiosk.ui.staff.desk import StaffBookingsScreen
from kiosk.ui.staff.paint import BOOKING_LOOKS
from tests.ui.layout_checks import clipped_texts
from tests.ui.running_app import shown_kiosk

BERLIN = ZoneInfo("Europe/Berlin")
TUESDAY = datetime(2026, 12, 1, 9, 0, tzinfo=BERLIN)  # demo hours: 10:00-13:00, 14:00-18:00
PROVISIONAL_START = "Your booking is provisional: this kiosk is offline right now."


def at(hour: int, minute: int = 0) -> datetime:
    return TUESDAY.replace(hour=hour, minute=minute)


@dataclass
class Clock:
    now: datetime = TUESDAY

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Site:
    """The kiosk with a joined booking service on a clock the test moves."""

    kiosk: KioskApp
    service: BookingService
    clock: Clock
    storage: Storage

    def book(self, device: str, start: datetime, minutes: int, name: str) -> Booking:
        """A booking made on this terminal while the hub could not be asked: provisional."""
        outcome = self.service.book(device, start, minutes, name)
        assert outcome.booking is not None, outcome
        return outcome.booking

    def hub_takes(self, booking: Booking, name: str = "Cleo") -> SharedBooking:
        """Another terminal of the site had booked the same time, and the hub kept that one;
        the sync brings it here."""
        device = self.service.device(booking.device_id)
        assert device is not None
        winner = SharedBooking(
            uid=uuid.uuid4().hex,
            code=generate_code(length=6),
            device_id=booking.device_id,
            device_kind=booking.device_kind,
            start_ts=timestamp(booking.start),
            end_ts=timestamp(booking.end),
            block_until_ts=timestamp(booking.end + device.buffer),
            name=name,
            status="confirmed",
            walk_in=False,
            moved=False,
            updated_ts=timestamp(self.clock.now),
        )
        self.storage.bookings.keep_shared([winner])
        return winner

    def now_of(self, booking: Booking) -> Booking:
        found = self.service.booking(booking.code)
        assert found is not None
        return found


@pytest.fixture
def site_config() -> SiteConfig:
    return load_config(resources.DEMO_CONFIG)


@pytest.fixture
def kiosk(
    qtbot: QtBot, site_config: SiteConfig, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[KioskApp]:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    with shown_kiosk(qtbot, site_config, data_dir) as app:
        yield app


def joined_site(kiosk: KioskApp, config: SiteConfig, offline: str = "provisional") -> Site:
    storage = kiosk.desk.storage
    assert storage is not None
    clock = Clock()
    service = BookingService(
        storage.bookings,
        device_policies(config),
        site_calendar(config),
        storage.settings,
        clock=clock,
        no_show_minutes=config.bookings.no_show_minutes,
        shared=storage.bookings,
        offline_bookings=offline,
    )
    kiosk.window.attach_bookings(service)
    kiosk.desk.bookings = service
    return Site(kiosk, service, clock, storage)


@pytest.fixture
def site(kiosk: KioskApp, site_config: SiteConfig) -> Site:
    return joined_site(kiosk, site_config)


def booking_screen(kiosk: KioskApp, language: str = "en") -> BookingScreen:
    kiosk.window.start_session(language)
    kiosk.window.show_screen(Screen.TRY_DEVICE)
    screen = kiosk.window.screen_widget(Screen.TRY_DEVICE)
    assert isinstance(screen, BookingScreen)
    return screen


def tap(qtbot: QtBot, widget: QWidget) -> None:
    assert widget.isVisible() and widget.isEnabled(), widget
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def confirm_booking(qtbot: QtBot, screen: BookingScreen, slot: Slot, name: str) -> None:
    screen.open_slot(slot)
    assert screen.page is Page.CONFIRM
    screen.confirm_page.name.setText(name)
    tap(qtbot, screen.confirm_page.confirm_button)


def look_up(screen: BookingScreen, booking: Booking) -> None:
    screen.open_lookup()
    screen.lookup_page.field.setText(booking.printed_code)
    screen.lookup_page.submit()
    assert screen.lookup_page.step is Step.SHOWN


# -- the visitor -----------------------------------------------------------------------------


def test_without_an_answer_from_the_hub_the_booking_is_provisional_and_says_so(
    qtbot: QtBot, site: Site
) -> None:
    screen = booking_screen(site.kiosk)
    slot = site.service.free_slots("tablet-1", at(10).date())[0]
    confirm_booking(qtbot, screen, slot, "Anna")
    confirm = screen.confirm_page
    # The hub is asked in the background; meanwhile the page says so and takes no second tap.
    assert confirm.waiting
    assert confirm.busy.isVisible() and confirm.busy.text() == "Booking… one moment, please."
    assert not confirm.confirm_button.isEnabled() and not confirm.back.isEnabled()
    assert confirm.name.isReadOnly()
    confirm.confirm()  # a second tap (or Enter) does nothing
    qtbot.waitUntil(lambda: screen.page is Page.BOOKED, timeout=5000)
    (booking,) = site.service.day(at(10).date())
    assert booking.status is BookingStatus.PROVISIONAL and booking.name == "Anna"
    done = screen.booked_page
    assert done.title.text() == "Booked provisionally"
    assert done.pending.isVisible()
    assert done.pending.text().startswith(PROVISIONAL_START)
    assert "our staff will offer you another slot" in done.pending.text()
    assert done.pending.text().endswith("Check with your code at this kiosk, or ask at the desk.")
    assert done.code_label.text() == booking.printed_code
    slip = done.slip()
    assert slip is not None and slip.code == booking.printed_code
    assert any(line.startswith(PROVISIONAL_START) for line in slip.lines)
    assert clipped_texts(site.kiosk.window) == []


def test_the_provisional_slip_in_german_and_easy_german(qtbot: QtBot, site: Site) -> None:
    booking = site.book("tablet-1", at(10), 15, "Anna")
    device = site.service.device("tablet-1")
    assert device is not None
    from kiosk.ui.parts.booking_slip import booking_slip

    german = Translator(resources.TRANSLATIONS, LANGUAGE_CODES, "de")
    easy = Translator(resources.TRANSLATIONS, LANGUAGE_CODES, "de-x-ls")
    easy.set_language("de-x-ls")
    for translator, start in (
        (german, "Ihre Buchung ist vorläufig"),
        (easy, "Ihre Buchung ist noch nicht sicher."),
    ):
        code = translator.current.code
        slip = booking_slip(booking, device, language=code, gettext=translator.gettext)
        assert any(line.startswith(start) for line in slip.lines), slip.lines


def test_refused_offline_bookings_send_the_visitor_to_the_desk(
    qtbot: QtBot, kiosk: KioskApp, site_config: SiteConfig
) -> None:
    site = joined_site(kiosk, site_config, offline=REFUSE)
    screen = booking_screen(kiosk)
    slot = site.service.free_slots("tablet-1", at(10).date())[0]
    confirm_booking(qtbot, screen, slot, "Anna")
    confirm = screen.confirm_page
    qtbot.waitUntil(lambda: not confirm.waiting, timeout=5000)
    assert screen.page is Page.CONFIRM
    assert confirm.refusal.text() == (
        "Bookings need the network at the moment. Please ask at the desk."
    )
    assert not confirm.alternative_buttons
    assert site.service.day(at(10).date()) == []
    assert confirm.back.isEnabled()


def test_a_wipe_while_the_hub_is_asked_shows_nothing_to_the_next_visitor(
    qtbot: QtBot, site: Site
) -> None:
    screen = booking_screen(site.kiosk)
    slot = site.service.free_slots("tablet-1", at(10).date())[0]
    confirm_booking(qtbot, screen, slot, "Anna")
    assert screen.confirm_page.waiting
    site.kiosk.window.end_session(EndReason.IDLE)  # before the answer is handled
    assert not screen.confirm_page.waiting
    assert not screen.confirm_page.busy.isVisible()
    next_visitor = booking_screen(site.kiosk)
    assert next_visitor is screen
    # The answer (none came) arrives meanwhile, and is dropped.
    pool = QThreadPool.globalInstance()
    qtbot.waitUntil(lambda: pool.activeThreadCount() == 0, timeout=5000)
    QCoreApplication.processEvents()
    assert screen.page is Page.LIST
    assert screen.booked_page.booking is None
    # Nothing was booked for a visitor who is not there (no answer: no provisional booking).
    assert site.service.day(at(10).date()) == []


def test_my_booking_says_what_became_of_a_booking(qtbot: QtBot, site: Site) -> None:
    provisional = site.book("tablet-1", at(10), 15, "Anna")
    lost = site.book("tablet-1", at(11), 30, "Bert")
    site.hub_takes(lost)
    moved = site.book("tablet-2", at(12), 15, "Dora")
    assert site.service.reschedule(moved.id, Slot("tablet-2", at(15), at(15, 15))) is None
    assert site.now_of(lost).status is BookingStatus.CONFLICT
    screen = booking_screen(site.kiosk)
    lookup = screen.lookup_page

    look_up(screen, lost)
    assert lookup.status.text() == "Status: Needs a new slot"
    assert lookup.news.isVisible()
    assert lookup.news.text() == (
        "This kiosk was offline when you booked. Meanwhile the slot was given to another "
        "booking. Our staff will offer you another slot. Please ask at the desk."
    )
    assert not lookup.cancel_button.isVisible()  # staff sort it out at the desk

    look_up(screen, moved)
    assert lookup.when.text() == "Tuesday, December 1, 3:00\u202fPM\u20133:15\u202fPM"
    assert lookup.news.text().startswith(
        "Staff moved your booking to iPad, Tuesday, December 1, 3:00\u202fPM\u20133:15\u202fPM. "
        "Your slip is no longer up to date."
    )

    look_up(screen, provisional)
    assert lookup.status.text() == "Status: Booked, not yet confirmed"
    assert lookup.news.text().startswith(PROVISIONAL_START)
    assert lookup.cancel_button.isVisible()  # a provisional booking can be cancelled
    tap(qtbot, lookup.cancel_button)
    tap(qtbot, lookup.yes_cancel)
    assert site.now_of(provisional).status is BookingStatus.CANCELLED
    assert not lookup.news.isVisible()


# -- the staff desk --------------------------------------------------------------------------


def open_desk(site: Site, language: str = "en") -> StaffBookingsScreen:
    window = site.kiosk.window
    window.enter_staff_mode()
    window.set_language(language)
    window.show_screen(Screen.STAFF_BOOKINGS)
    screen = window.screen_widget(Screen.STAFF_BOOKINGS)
    assert isinstance(screen, StaffBookingsScreen)
    return screen


def test_conflicts_are_listed_with_free_times_and_move_in_one_tap(qtbot: QtBot, site: Site) -> None:
    lost = site.book("tablet-1", at(11), 30, "Bert")
    site.hub_takes(lost)
    tomorrow = site.book("tablet-2", at(10) + timedelta(days=1), 15, "Emil")
    site.hub_takes(tomorrow, "Fritz")
    window = site.kiosk.window
    window.enter_staff_mode()
    window.set_language("en")
    home = window.screen_widget(Screen.STAFF_HOME)
    assert home.conflicts.isVisible()  # type: ignore[attr-defined]
    assert home.conflicts.text().startswith("! 2 bookings need a new slot")  # type: ignore[attr-defined]

    screen = open_desk(site)
    bar = screen.conflict_bar
    assert bar.isVisible()
    assert bar.label.text().startswith("! 2 conflicts: bookings need a new slot")
    assert bar.height() >= 48
    tap(qtbot, bar)
    assert screen.panel == "conflicts"
    panel = screen.conflicts
    assert set(panel.cards) == {lost.id, tomorrow.id}  # tomorrow's too: not only the day shown
    card = panel.cards[lost.id]
    assert card.heading.text().endswith(f"{lost.printed_code}\u2069 | Bert")
    eleven = "11:00\u202fAM\u201311:30\u202fAM"
    assert card.details.text() == f"Was: Tue, Dec 1 | {eleven} | Android tablet"
    choices = card.choices
    assert choices.slots == tuple(site.service.alternatives(site.now_of(lost)))
    assert 1 <= len(choices.buttons) <= 5
    assert all(s.device_id in ("tablet-1", "tablet-2") for s in choices.slots)  # same kind
    first = choices.slots[0]
    button = choices.buttons[0]
    assert button.label.text().startswith("Move here: Tue, Dec 1 | ")
    assert button.height() >= 48
    assert clipped_texts(window) == []

    tap(qtbot, button)
    moved = site.now_of(lost)
    assert moved.code == lost.code  # the visitor's code still works
    assert (moved.device_id, moved.start) == (first.device_id, first.start)
    assert moved.end - moved.start == lost.end - lost.start  # the same length
    assert moved.status is BookingStatus.PROVISIONAL and moved.moved  # the hub takes it next
    assert panel.message.property("tone") == "ok"
    assert f"The code \u2066{lost.printed_code}\u2069 stays the same." in panel.message.text()
    assert set(panel.cards) == {tomorrow.id}
    assert bar.label.text().startswith("! 1 conflict: a booking needs a new slot")

    # The other one cannot be moved anywhere it fits, say: staff cancel it, after a yes.
    other = panel.cards[tomorrow.id]
    tap(qtbot, other.cancelling.cancel)
    assert other.cancelling.question.isVisible()
    tap(qtbot, other.cancelling.yes)
    assert site.now_of(tomorrow).status is BookingStatus.CANCELLED
    assert not bar.isVisible()
    assert screen.panel == "conflicts" and panel.empty.isVisible()
    tap(qtbot, panel.back)
    assert screen.panel == "agenda"


def test_a_conflict_on_the_timeline_opens_with_its_free_times(qtbot: QtBot, site: Site) -> None:
    lost = site.book("tablet-1", at(11), 30, "Bert")
    site.hub_takes(lost)
    screen = open_desk(site)
    block = screen.timeline.block(lost.id)
    assert block is not None and block.time.startswith("! ")  # not by colour alone
    assert any(line.startswith("! ") and "Conflict" in line for line in screen.agenda.entry_texts())
    screen.select_booking(lost.id)
    panel = screen.booking_panel
    assert panel.status.text() == "Conflict"
    assert panel.note.text().startswith("The hub gave this slot to another booking.")
    assert not panel.check_in.isVisible()
    assert panel.new_time.isVisible() and panel.new_time.buttons
    assert panel.cancelling.cancel.isVisible()
    later = panel.new_time.slots[-1]
    tap(qtbot, panel.new_time.buttons[-1])
    moved = site.now_of(lost)
    assert moved.start == later.start and moved.status is BookingStatus.PROVISIONAL
    # The desk opened the booking at its new time and says what was done.
    assert screen.panel == "booking" and panel.booking is not None
    assert panel.booking.id == lost.id and panel.booking.start == later.start
    assert "stays the same" in panel.message.text()


def test_check_in_of_provisional_and_conflict_bookings(qtbot: QtBot, site: Site) -> None:
    anna = site.book("tablet-1", at(10), 30, "Anna")
    lost = site.book("tablet-2", at(10), 30, "Bert")
    site.hub_takes(lost)
    site.clock.now = at(9, 55)
    screen = open_desk(site)
    screen.select_booking(anna.id)
    assert screen.booking_panel.status.text() == "Provisional"
    assert screen.booking_panel.check_in.isVisible()  # a provisional booking is checked in too
    tap(qtbot, screen.booking_panel.check_in)
    assert site.now_of(anna).status is BookingStatus.CHECKED_IN
    assert screen.bar.feedback.property("tone") == "ok"
    screen.check_in_code(lost.printed_code)
    assert screen.bar.feedback.property("tone") == "error"
    assert "The hub gave this slot to another booking" in screen.bar.feedback.text()
    assert "Give it a new slot first." in screen.bar.feedback.text()


def test_a_walk_in_while_the_hub_cannot_be_asked_is_provisional(qtbot: QtBot, site: Site) -> None:
    site.clock.now = at(10, 7)
    screen = open_desk(site)
    tap(qtbot, screen.bar.walk_in_button)
    walk_in = screen.walk_in
    tap(qtbot, walk_in.device_buttons["tablet-2"])
    tap(qtbot, walk_in.book_button)
    assert walk_in.waiting and not walk_in.book_button.isEnabled()
    assert walk_in.message.text() == "Booking at the hub… one moment."
    qtbot.waitUntil(lambda: screen.panel == "booking", timeout=5000)
    (walk,) = [b for b in site.service.day(at(10).date()) if b.walk_in]
    assert walk.status is BookingStatus.PROVISIONAL
    text = screen.booking_panel.message.text()
    assert walk.printed_code in text
    assert text.endswith("Provisional: the hub confirms it later.")


def test_the_legend_names_the_shared_statuses_only_on_a_joined_terminal(
    qtbot: QtBot, site: Site, site_config: SiteConfig
) -> None:
    screen = open_desk(site)
    legend = [text for _look, text in screen.timeline.day.legend]
    assert "Provisional" in legend and "Conflict" in legend
    screen.leave()
    storage = site.storage
    alone = BookingService(
        storage.bookings,
        device_policies(site_config),
        site_calendar(site_config),
        storage.settings,
        clock=site.clock,
    )
    site.kiosk.window.attach_bookings(alone)
    screen.enter()
    legend = [text for _look, text in screen.timeline.day.legend]
    assert "Provisional" not in legend and "Conflict" not in legend
    assert not screen.conflict_bar.isVisible()


@pytest.mark.parametrize("language", ["de", "en", "ar", "pseudo"])
def test_conflicts_fit_at_1280_by_800(qtbot: QtBot, site: Site, language: str) -> None:
    lost = site.book("tablet-1", at(11), 30, "Karl-Heinz")
    site.hub_takes(lost)
    site.book("vr-1", at(14), 30, "Ölüdeniz")
    pseudo = language == "pseudo"
    screen = open_desk(site, "en" if pseudo else language)
    site.kiosk.translator.set_pseudo(pseudo)
    found: dict[str, list[str]] = {}
    steps = {
        "day": lambda: None,
        "conflicts": screen.show_conflicts,
        "conflict": lambda: screen.select_booking(lost.id),
        "week": lambda: (screen.show_agenda(), screen.set_week(True)),
    }
    for name, step in steps.items():
        step()
        problems = clipped_texts(site.kiosk.window)
        if problems:
            found[name] = problems
    home = site.kiosk.window
    home.show_screen(Screen.STAFF_HOME)
    if problems := clipped_texts(home):
        found["home"] = problems
    site.kiosk.translator.set_pseudo(False)
    assert found == {}, "\n".join(f"{k}: {v}" for k, v in found.items())
    assert (home.width(), home.height()) == (1280, 800)


@pytest.mark.parametrize("language", LANGUAGE_CODES)
def test_the_visitor_pages_of_shared_bookings_fit_in_every_language(
    qtbot: QtBot, site: Site, language: str
) -> None:
    provisional = site.book("tablet-1", at(10), 15, "Anna")
    lost = site.book("tablet-1", at(11), 30, "Bert")
    site.hub_takes(lost)
    moved = site.book("tablet-2", at(12), 15, "Dora")
    assert site.service.reschedule(moved.id, Slot("tablet-2", at(15), at(15, 15))) is None
    screen = booking_screen(site.kiosk, language)
    found: dict[str, list[str]] = {}

    def check(name: str) -> None:
        if problems := clipped_texts(site.kiosk.window):
            found[name] = problems

    device = site.service.device("tablet-1")
    assert device is not None
    screen.booked_page.show_booking(site.now_of(provisional), device)
    screen._show(Page.BOOKED)
    check("booked provisionally")
    slot = site.service.free_slots("tablet-2", at(10).date())[0]
    confirm_booking(qtbot, screen, slot, "Emil")
    check("booking, one moment")
    qtbot.waitUntil(lambda: screen.page is Page.BOOKED, timeout=5000)
    for booking, name in ((lost, "conflict"), (moved, "moved"), (provisional, "provisional")):
        look_up(screen, booking)
        check(f"my booking, {name}")
    assert found == {}, "\n".join(f"{k}: {v}" for k, v in found.items())
    texts = (screen.lookup_page.status.text(), screen.lookup_page.news.text())
    if language != "en":  # translated, not English left over
        assert "not yet confirmed" not in texts[0] and "provisional" not in texts[1]


def test_every_status_has_words_and_a_look(qapp: object) -> None:
    for code in LANGUAGE_CODES:
        translator = Translator(resources.TRANSLATIONS, LANGUAGE_CODES, code)
        translator.set_language(code)
        for status in BookingStatus:
            assert staff_texts.booking_status_text(translator, status)
            assert visitor_texts.status_text(translator, status)
    english = Translator(resources.TRANSLATIONS, LANGUAGE_CODES, "en")
    assert staff_texts.booking_status_text(english, BookingStatus.PROVISIONAL) == "Provisional"
    assert staff_texts.booking_status_text(english, BookingStatus.CONFLICT) == "Conflict"
    assert visitor_texts.status_text(english, BookingStatus.CONFLICT) == "Needs a new slot"
    assert set(BOOKING_LOOKS) == set(BookingStatus)
    # Provisional and conflict differ from confirmed by more than colour.
    confirmed = BOOKING_LOOKS[BookingStatus.CONFIRMED]
    provisional = BOOKING_LOOKS[BookingStatus.PROVISIONAL]
    assert provisional.hatched and provisional.dashed and not confirmed.hatched
