"""The list beside the desk's timeline holds every booking of a busy day and scrolls to the last."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QScrollArea
from pytestqt.qtbot import QtBot

from kiosk.core.bookings import Booking
from tests.ui.desk_setup import Desk, desk

__all__ = ["desk"]  # the fixture

DEVICES = ("tablet-1", "tablet-2", "phone-1", "ereader-1")


def busy_day(desk: Desk, count: int) -> list[Booking]:
    """``count`` bookings on the test's Tuesday, spread over four devices."""
    day = desk.clock.now.date()
    made: list[Booking] = []
    while len(made) < count:
        before = len(made)
        for device in DEVICES:
            free = [s for s in desk.service.free_slots(device, day) if s.start.date() == day]
            if free and len(made) < count:
                outcome = desk.service.book(
                    device, free[0].start, 30, f"Gast{len(made) + 1}", by_staff=True
                )
                assert outcome.booking is not None, outcome
                made.append(outcome.booking)
        assert len(made) > before, "the day has no free time left"
    return made


def test_the_list_shows_all_25_bookings_of_the_day_and_scrolls(qtbot: QtBot, desk: Desk) -> None:
    made = busy_day(desk, 25)
    assert {b.start.date() for b in made} == {desk.clock.now.date()}
    screen = desk.open("en")
    agenda = screen.agenda
    texts = agenda.entry_texts()
    assert len(texts) == 25
    for booking in made:
        assert sum(booking.printed_code in text for text in texts) == 1, booking.printed_code
    assert "25 active bookings" in agenda.summary.text()
    assert all(entry.isVisible() for entry in agenda.entries)

    area = screen.panels.widget(0)
    assert isinstance(area, QScrollArea) and area.widget() is agenda
    bar = area.verticalScrollBar()
    # More than fits beside the timeline: the list scrolls rather than cutting entries off.
    qtbot.waitUntil(lambda: bar.maximum() > 0)
    last = agenda.entries[-1]
    area.ensureWidgetVisible(last)
    assert bar.value() > 0
    top_left = last.mapTo(area.viewport(), QPoint(0, 0))
    assert top_left.y() >= 0 and top_left.y() + last.height() <= area.viewport().height()
    # The last entry is the day's latest booking.
    latest = max(made, key=lambda b: (b.start, DEVICES.index(b.device_id)))
    assert latest.printed_code in last.label.text()
    assert latest.start - min(b.start for b in made) > timedelta(hours=3)
