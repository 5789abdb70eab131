"""The desk's plan panel as staff use it: block a device weekly for a workshop, book a visitor on
any day, and date exceptions with the bookings they affect — on a real database and real widgets,
with a clock the test sets."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton
from pytestqt.qtbot import QtBot

from kiosk import resources
from kiosk.app import KioskApp
from kiosk.config import SiteConfig, load_config
from kiosk.core.bookings import (
    Booking,
    BookingKind,
    BookingProblem,
    BookingService,
    device_policies,
    site_calendar,
)
from kiosk.ui.bookings.device_list import View
from kiosk.ui.bookings.screen import BookingScreen
from kiosk.ui.shell.screens import Screen
from kiosk.ui.staff.desk import StaffBookingsScreen
from kiosk.ui.staff.plan_panel import PlanPanel
from tests.ui.layout_checks import clipped_texts
from tests.ui.looks import keep_look
from tests.ui.running_app import shown_kiosk

BERLIN = ZoneInfo("Europe/Berlin")
TUESDAY = datetime(2026, 12, 1, 9, 0, tzinfo=BERLIN)  # demo hours: 10:00-13:00, 14:00-18:00
THURSDAY = date(2026, 12, 3)  # demo hours: 10:00-19:00


@dataclass
class Clock:
    now: datetime = TUESDAY

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Desk:
    kiosk: KioskApp
    service: BookingService
    screen: StaffBookingsScreen

    @property
    def plan(self) -> PlanPanel:
        return self.screen.panels.plan


@pytest.fixture
def kiosk(qtbot: QtBot, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[KioskApp]:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    with shown_kiosk(qtbot, load_config(resources.DEMO_CONFIG), data_dir) as app:
        yield app


@pytest.fixture
def desk(kiosk: KioskApp) -> Desk:
    site: SiteConfig = load_config(resources.DEMO_CONFIG)
    storage = kiosk.desk.storage
    assert storage is not None
    service = BookingService(
        storage.bookings,
        device_policies(site),
        site_calendar(site),
        storage.settings,
        clock=Clock(),
        no_show_minutes=site.bookings.no_show_minutes,
    )
    kiosk.window.attach_bookings(service)
    kiosk.desk.bookings = service
    screen = kiosk.window.screen_widget(Screen.STAFF_BOOKINGS)
    assert isinstance(screen, StaffBookingsScreen)
    return Desk(kiosk, service, screen)


def open_plan(qtbot: QtBot, desk: Desk, section: str, language: str = "en") -> PlanPanel:
    window = desk.kiosk.window
    window.enter_staff_mode()
    window.set_language(language)
    window.show_screen(Screen.STAFF_BOOKINGS)
    tap(qtbot, desk.screen.bar.plan_button)
    assert desk.screen.panel == "plan"
    tap(qtbot, desk.plan.section_buttons[section])
    return desk.plan


def tap(qtbot: QtBot, widget: QAbstractButton) -> None:
    assert widget.isVisible() and widget.isEnabled(), widget
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def blocks(service: BookingService, first: date, last: date) -> list[Booking]:
    return [b for b in service.bookings_between(first, last) if b.kind is BookingKind.BLOCKED]


def visitor_slots(kiosk: KioskApp, day: date, device_id: str) -> list[datetime]:
    """The free times a visitor sees for ``device_id`` on ``day`` in the booking screen."""
    window = kiosk.window
    window.leave_staff_mode()
    window.start_session("en")
    window.open_booking()
    screen = window.screen_widget(Screen.TRY_DEVICE)
    assert isinstance(screen, BookingScreen)
    screen.list_page.choose_view(View.DAY, day)
    return [s.start for s in screen.list_page.visible_slots() if s.device_id == device_id]


def test_a_weekly_workshop_block_hides_the_device_from_visitors_on_those_days(
    qtbot: QtBot, desk: Desk
) -> None:
    plan = open_plan(qtbot, desk, "block")
    form = plan.block
    form.device.choose("tablet-1")
    form.day.set_day(TUESDAY.date())
    form.start.set_value(time(10, 0))
    form.end.set_value(time(18, 0))  # the whole day, over the midday break
    qtbot.keyClicks(form.reason, "Workshop Senioren")
    tap(qtbot, form.weeks.more)
    assert form.weeks.value == 2
    with qtbot.waitSignal(plan.changed):
        tap(qtbot, form.save)
    made = blocks(desk.service, date(2026, 12, 1), date(2026, 12, 31))
    assert [b.start.date() for b in made] == [date(2026, 12, 1), date(2026, 12, 8)]
    assert {(b.device_id, b.reason) for b in made} == {("tablet-1", "Workshop Senioren")}
    assert form.message.property("tone") == "ok"
    assert "Blocked on 2 days." in form.message.text()
    assert len(form.results.lines) == 2
    # The desk shows it at once: the timeline of today has the block.
    assert any(b.id in desk.screen.reading.bookings for b in made)  # type: ignore[union-attr]

    # Visitors: nothing on the blocked Tuesdays, the usual times the week after; the other
    # tablet is not touched.
    assert visitor_slots(desk.kiosk, date(2026, 12, 8), "tablet-1") == []
    assert visitor_slots(desk.kiosk, date(2026, 12, 8), "tablet-2") != []
    assert visitor_slots(desk.kiosk, date(2026, 12, 15), "tablet-1") != []


def test_a_week_already_taken_is_refused_with_its_reason_the_others_are_made(
    qtbot: QtBot, desk: Desk
) -> None:
    taken = desk.service.book("tablet-1", TUESDAY.replace(day=8, hour=14), 30, "Anna")
    assert taken.booking is not None
    plan = open_plan(qtbot, desk, "block")
    form = plan.block
    form.device.choose("tablet-1")
    form.day.set_day(TUESDAY.date())
    form.start.set_value(time(14, 0))
    form.end.set_value(time(16, 0))
    qtbot.keyClicks(form.reason, "Workshop")
    for _ in range(2):
        tap(qtbot, form.weeks.more)
    tap(qtbot, form.save)
    made = blocks(desk.service, date(2026, 12, 1), date(2026, 12, 31))
    assert [b.start.date() for b in made] == [date(2026, 12, 1), date(2026, 12, 15)]
    assert form.message.property("tone") == "warn"
    refused = [line for line in form.results.lines if "not blocked" in line]
    assert len(refused) == 1
    assert "The device is already booked at this time." in refused[0]


def test_bad_block_input_is_refused_and_nothing_is_stored(qtbot: QtBot, desk: Desk) -> None:
    plan = open_plan(qtbot, desk, "block")
    form = plan.block
    form.device.choose("tablet-1")
    form.day.set_day(TUESDAY.date())
    form.start.set_value(time(14, 0))
    form.end.set_value(time(16, 0))
    tap(qtbot, form.save)  # no reason typed
    assert form.message.property("tone") == "error"
    assert "Please type a reason" in form.message.text()
    qtbot.keyClicks(form.reason, "Workshop")
    form.end.set_value(time(13, 0))  # before the start
    tap(qtbot, form.save)
    assert form.message.property("tone") == "error"
    assert "The end must be later than the start." in form.message.text()
    assert blocks(desk.service, date(2026, 12, 1), date(2027, 12, 31)) == []
    assert form.reason.text() == "Workshop"  # kept, to correct the times


def test_staff_book_a_visitor_beyond_the_visitors_window(qtbot: QtBot, desk: Desk) -> None:
    far = date(2027, 1, 14)  # a Thursday 44 days ahead; visitors may book 14 days ahead
    plan = open_plan(qtbot, desk, "visit")
    form = plan.visit
    form.device.choose("tablet-1")
    form.day.set_day(far)
    assert form.starts and form.starts[0] == datetime(2027, 1, 14, 10, tzinfo=BERLIN)
    first = form.starts[0]
    assert (
        desk.service.check_slot("tablet-1", first, form.minutes) is BookingProblem.TOO_FAR
    )  # a visitor could not
    qtbot.keyClicks(form.name, "Olena")
    with qtbot.waitSignal(plan.changed):
        tap(qtbot, form.book)
    booked = [b for b in desk.service.day(far) if b.name == "Olena"]
    assert len(booked) == 1 and booked[0].start == first
    assert form.message.property("tone") == "ok"
    assert booked[0].printed_code in form.message.text()
    assert first not in form.starts  # taken now


def test_a_date_exception_lists_the_affected_bookings_and_one_is_moved_from_there(
    qtbot: QtBot, desk: Desk
) -> None:
    anna = desk.service.book("tablet-1", datetime.combine(THURSDAY, time(15), BERLIN), 30, "Anna")
    early = desk.service.book("tablet-2", datetime.combine(THURSDAY, time(10), BERLIN), 30, "Karl")
    assert anna.booking is not None and early.booking is not None
    plan = open_plan(qtbot, desk, "exceptions")
    form = plan.exceptions
    assert form.none.isVisible()
    form.day.set_day(THURSDAY)
    tap(qtbot, form.hours)
    form.opens.set_value(time(10, 0))
    form.closes.set_value(time(13, 0))
    qtbot.keyClicks(form.note, "Team meeting")
    with qtbot.waitSignal(plan.changed):
        tap(qtbot, form.add)
    stored = desk.service.exceptions(THURSDAY, THURSDAY)
    assert [(e.closed, e.opens, e.closes, e.note) for e in stored] == [
        (False, time(10), time(13), "Team meeting")
    ]
    assert len(form._rows) == 1 and not form.none.isVisible()
    # Only Anna's afternoon booking is outside the new hours.
    assert [card.booking.id for card in form.affected] == [anna.booking.id]
    card = form.affected[0]
    assert "Anna" in card.text.text()
    assert card.move_buttons, "a free time to move to"
    target = card.moves[0]
    tap(qtbot, card.move_buttons[0])
    moved = desk.service.booking(anna.booking.code)
    assert moved is not None and moved.start == target.start
    assert moved.printed_code == anna.booking.printed_code  # the code stays
    assert form.message.property("tone") == "ok"
    assert form.affected == []  # nothing left to move


def test_bad_exception_input_is_refused_and_nothing_is_stored(qtbot: QtBot, desk: Desk) -> None:
    plan = open_plan(qtbot, desk, "exceptions")
    form = plan.exceptions
    form.day.set_day(THURSDAY)
    tap(qtbot, form.hours)
    form.opens.set_value(time(14, 0))
    form.closes.set_value(time(12, 0))
    tap(qtbot, form.add)
    assert form.message.property("tone") == "error"
    assert "The end must be later than the start." in form.message.text()
    form.day.set_day(date(2026, 11, 30))  # yesterday
    tap(qtbot, form.closed)
    tap(qtbot, form.add)
    assert "This day has passed." in form.message.text()
    assert desk.service.exceptions(date(2026, 11, 1), date(2027, 12, 31)) == []


def test_removing_an_exception_opens_the_day_again(qtbot: QtBot, desk: Desk) -> None:
    plan = open_plan(qtbot, desk, "exceptions")
    form = plan.exceptions
    form.day.set_day(THURSDAY)
    tap(qtbot, form.add)  # closed all day
    assert desk.service.calendar.opening(THURSDAY) == []
    remove = form._rows[0].findChildren(QAbstractButton)[-1]
    with qtbot.waitSignal(plan.changed):
        tap(qtbot, remove)
    assert desk.service.exceptions(THURSDAY, THURSDAY) == []
    assert desk.service.calendar.opening(THURSDAY) != []


@pytest.mark.parametrize("language", ["de", "en", "ar"])
def test_the_plan_panel_fits_at_1280_by_800(qtbot: QtBot, desk: Desk, language: str) -> None:
    desk.service.book("tablet-1", datetime.combine(THURSDAY, time(15), BERLIN), 30, "Anna")
    plan = open_plan(qtbot, desk, "block", language)
    for section in ("block", "visit", "exceptions"):
        tap(qtbot, plan.section_buttons[section])
        if section == "exceptions":
            plan.exceptions.day.set_day(THURSDAY)
            tap(qtbot, plan.exceptions.add)
        problems = clipped_texts(desk.kiosk.window)
        assert problems == [], f"{section}: {problems}"
        keep_look(desk.kiosk.window, f"staff-plan-{section}-{language}")
