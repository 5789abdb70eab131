"""Painted widgets' parts for screen readers: each booking, free time, cell and bar is a child with
its words, place and role, and pressing a tappable one does what a tap does; the parts follow
the content, and creating, querying and deleting desks many times does not crash."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import shiboken6
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QAccessible, QAccessibleInterface, QColor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from kiosk.core.bookings import BookingStatus, DeviceStatus
from kiosk.storage.drives import ExportPlaces
from kiosk.ui import theme
from kiosk.ui.parts.accessible_parts import PRESS
from kiosk.ui.staff.desk import StaffBookingsScreen
from kiosk.ui.staff.paint import TimelineRow
from kiosk.ui.staff.timeline import DayTimeline, TimelineBlock, TimelineDay
from kiosk.ui.staff.week import WeekCell, WeekGrid, WeekView
from kiosk.ui.stats.charts import DayBarChart, RankedBarChart
from tests.ui.desk_setup import Desk, at, desk  # noqa: F401  (the fixture)

Role = QAccessible.Role
DAY = datetime(2026, 12, 1)
ROWS = (
    TimelineRow("laptop", "Laptop 1", "Available", DeviceStatus.AVAILABLE),
    TimelineRow("vr", "VR headset", "Broken", DeviceStatus.BROKEN),
)


def block(booking_id: int, device: str, hour: int, minutes: int, name: str) -> TimelineBlock:
    start = DAY.replace(hour=hour)
    end = start + timedelta(minutes=minutes)
    return TimelineBlock(
        booking_id=booking_id,
        device_id=device,
        start=start,
        end=end,
        buffer_end=end + timedelta(minutes=15),
        status=BookingStatus.CONFIRMED,
        time=f"{start:%H:%M}",
        name=name,
        code="K7Q",
        description=f"{device}, {start:%H:%M}, {name}",
    )


def a_day(*blocks: TimelineBlock) -> TimelineDay:
    return TimelineDay(
        rows=ROWS,
        blocks=blocks,
        opening=((DAY.replace(hour=10), DAY.replace(hour=13)),),
    )


def children(widget: QWidget) -> list[QAccessibleInterface]:
    node = QAccessible.queryAccessibleInterface(widget)
    assert node is not None
    return [node.child(i) for i in range(node.childCount())]


def names(widget: QWidget) -> list[str]:
    return [child.text(QAccessible.Text.Name) for child in children(widget)]


def press(part: QAccessibleInterface) -> None:
    actions = part.actionInterface()
    assert actions is not None and PRESS in actions.actionNames()
    actions.doAction(PRESS)


def test_the_timeline_has_its_devices_bookings_and_free_times_as_parts(qtbot: QtBot) -> None:
    timeline = DayTimeline()
    qtbot.addWidget(timeline)
    timeline.resize(1000, 400)
    timeline.show()
    timeline.set_day(a_day(block(7, "laptop", 11, 60, "Ada")))
    assert names(timeline) == [
        "Laptop 1",
        "Laptop 1: free from 10:00 to 11:00",
        "laptop, 11:00, Ada",
        "Laptop 1: free from 12:15 to 13:00",  # after the turnaround
        "VR headset",  # broken: no free times
    ]
    parts = children(timeline)
    node = QAccessible.queryAccessibleInterface(timeline)
    assert {p.role() for p in parts} == {Role.Button}
    assert all(p.parent() is node for p in parts)
    assert [node.indexOfChild(p) for p in parts] == list(range(len(parts)))
    booking = parts[2]
    assert booking.rect() == timeline.block_rect(7).translated(timeline.mapToGlobal(QPoint()))
    assert node.childAt(booking.rect().center().x(), booking.rect().center().y()) is booking
    assert not booking.state().selected
    with qtbot.waitSignal(timeline.booking_chosen) as chosen:
        press(booking)
    assert chosen.args == [7] and timeline.selected_booking == 7
    assert booking.state().selected  # the same part, now chosen
    with qtbot.waitSignal(timeline.device_chosen) as device:
        press(parts[3])
    assert device.args == ["laptop"]


def test_the_parts_follow_the_content_and_old_ones_go(qtbot: QtBot) -> None:
    timeline = DayTimeline()
    qtbot.addWidget(timeline)
    timeline.resize(1000, 400)
    timeline.set_day(a_day(block(7, "laptop", 11, 60, "Ada")))
    first = children(timeline)
    timeline.set_day(a_day(block(7, "laptop", 11, 60, "Ada"), block(8, "laptop", 10, 30, "Bo")))
    second = children(timeline)
    assert "laptop, 10:00, Bo" in names(timeline)
    assert second[0] is first[0]  # a part that stays keeps its interface
    assert first[1].isValid() is False or first[1] not in second  # the free time that went
    timeline.set_day(a_day())
    assert names(timeline) == ["Laptop 1", "Laptop 1: free from 10:00 to 13:00", "VR headset"]


def week_view() -> WeekView:
    days = tuple(date(2026, 11, 30) + timedelta(days=n) for n in range(3))
    return WeekView(
        rows=ROWS,
        days=days,
        day_titles=(("Mon", "Nov 30"), ("Tue", "Dec 1"), ("Wed", "Dec 2")),
        today=days[1],
        cells={
            ("laptop", days[1]): WeekCell(2, conflicts=1),
            ("vr", days[2]): WeekCell(closed=True),
        },
        closed_text="Closed",
    )


def test_the_week_grid_has_day_titles_and_cells_as_parts(qtbot: QtBot) -> None:
    grid = WeekGrid()
    qtbot.addWidget(grid)
    grid.resize(900, 400)
    view = week_view()
    grid.set_view(view)
    parts = children(grid)
    assert [p.role() for p in parts] == [Role.ColumnHeader] * 3 + [Role.Cell] * 6
    assert parts[0].text(QAccessible.Text.Name) == "Mon Nov 30"
    assert parts[4].text(QAccessible.Text.Name) == (
        "Laptop 1, Tue Dec 1: 2 bookings, 1 bookings in conflict"
    )
    assert parts[8].text(QAccessible.Text.Name) == "VR headset, Wed Dec 2: Closed"
    origin = grid.mapToGlobal(QPoint())
    assert parts[4].rect() == grid.cell_rect("laptop", view.days[1]).translated(origin)
    with qtbot.waitSignal(grid.day_chosen) as chosen:
        press(parts[4])
    assert chosen.args == [view.days[1], "laptop"]
    with qtbot.waitSignal(grid.day_chosen) as title:
        press(parts[2])
    assert title.args == [view.days[2], ""]


def test_a_keyboard_chooses_a_week_cell_with_the_arrows_and_enter(qtbot: QtBot) -> None:
    grid = WeekGrid()
    qtbot.addWidget(grid)
    grid.resize(900, 400)
    view = week_view()
    grid.set_view(view, focus_day=view.days[1])
    grid.show()
    grid.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is grid)
    unfocused = grid.grab().toImage()
    grid.setFocus(Qt.FocusReason.TabFocusReason)
    assert grid.hasFocus() and grid.cursor_cell == ("laptop", view.days[1])  # the day shown
    QTest.keyClick(grid, Qt.Key.Key_Right)
    QTest.keyClick(grid, Qt.Key.Key_Down)
    QTest.keyClick(grid, Qt.Key.Key_Down)  # the last row: stays
    assert grid.cursor_cell == ("vr", view.days[2])
    focused = [p for p in children(grid) if p.state().focused]
    assert [p.text(QAccessible.Text.Name) for p in focused] == ["VR headset, Wed Dec 2: Closed"]
    # The ring: the cell's edge is drawn in the focus colour, and was not before.
    ring = grid.cell_rect("vr", view.days[2]).adjusted(2, 2, -2, -2)
    edge = QPoint(ring.center().x(), ring.top())
    image = grid.grab().toImage()
    assert QColor(image.pixel(edge)) == QColor(theme.FOCUS)
    assert QColor(unfocused.pixel(edge)) != QColor(theme.FOCUS)
    for key in (Qt.Key.Key_Return, Qt.Key.Key_Space):
        with qtbot.waitSignal(grid.day_chosen) as chosen:
            QTest.keyClick(grid, key)
        assert chosen.args == [view.days[2], "vr"]
    # Right to left, the days run from the right: the left arrow goes to the next day.
    grid.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
    QTest.keyClick(grid, Qt.Key.Key_Up)
    QTest.keyClick(grid, Qt.Key.Key_Right)
    assert grid.cursor_cell == ("laptop", view.days[1])
    QTest.keyClick(grid, Qt.Key.Key_Left)
    assert grid.cursor_cell == ("laptop", view.days[2])


def test_each_bar_of_a_chart_is_a_text_with_its_label_and_value(qtbot: QtBot) -> None:
    days = DayBarChart()
    qtbot.addWidget(days)
    days.resize(700, 300)
    days.set_days([(date(2026, 11, 30), 3), (date(2026, 12, 1), 0)], None, code="en", number=str)
    assert names(days) == ["Mon, November 30: 3", "Tue, December 1: 0"]
    ranked = RankedBarChart()
    qtbot.addWidget(ranked)
    ranked.resize(500, 300)
    ranked.set_rows([("First steps", 12), ("E-mail", 4)], number=str, empty="No data")
    assert names(ranked) == ["First steps: 12", "E-mail: 4"]
    parts = children(ranked)
    assert {p.role() for p in parts} == {Role.StaticText}
    assert all(p.actionInterface() is None for p in parts)  # nothing to press on a bar
    assert parts[0].rect().bottom() < parts[1].rect().top()
    ranked.set_rows([], number=str, empty="No data")
    assert names(ranked) == []


def test_desks_created_queried_and_deleted_many_times_do_not_crash(
    desk: Desk,  # noqa: F811
    tmp_path: Path,
) -> None:
    desk.book("tablet-1", at(10), 30, "Ada")
    screen = desk.open("en")
    QAccessible.setActive(True)  # events and registrations take the paths a screen reader uses
    held: list[QAccessibleInterface] = []  # parts a screen reader still holds

    def new_desk() -> StaffBookingsScreen:
        made = StaffBookingsScreen(
            desk.kiosk.translator,
            lambda: desk.service,
            screen,
            export_places=ExportPlaces(tmp_path, None),
        )
        made.resize(1280, 700)
        made.show_day(at(10).date())
        return made

    fresh = new_desk()
    try:
        for round_ in range(500):
            if round_ and round_ % 50 == 0:  # a new desk every 50 rounds; the old one deleted
                fresh.deleteLater()
                QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
                fresh = new_desk()
            fresh.set_week(round_ % 3 == 1)  # the week's content, then the day's again
            for painted in (fresh.timeline, fresh.week):
                for part in children(painted):
                    assert part.isValid() and part.text(QAccessible.Text.Name)
                    part.rect(), part.state(), part.parent()
            parts = children(fresh.timeline)
            held.append(parts[round_ % len(parts)])
            fresh.timeline.select(None if round_ % 2 else 1)
            fresh.timeline.set_day(fresh.timeline.day)  # refreshed between two queries
            assert len(children(fresh.timeline)) == len(parts)
            QApplication.processEvents()
        assert any(shiboken6.isValid(part) and part.isValid() for part in held)
        assert not all(shiboken6.isValid(part) for part in held)  # the deleted desks' parts
    finally:
        QAccessible.setActive(False)


CHURN = """
import shiboken6
from datetime import date
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QApplication
from kiosk.ui.staff.week import WeekGrid
from tests.ui.test_painted_parts import a_day, block, children, week_view
from kiosk.ui.staff.timeline import DayTimeline
app = QApplication([])
QAccessible.setActive(True)
kept = []
alive = []
for n in range(500):
    timeline, grid = DayTimeline(), WeekGrid()
    timeline.set_day(a_day(block(n, "laptop", 11, 30, "Ada")))
    grid.set_view(week_view())
    kept.extend(children(timeline)[:1])  # a screen reader still holding a part
    for widget in (timeline, grid):
        for part in children(widget):
            part.text(QAccessible.Text.Name), part.rect(), part.state(), part.parent()
    grid.setFocus()
    app.processEvents()
    if n % 2 == 0:
        alive.append((timeline, grid))  # the others lose their last reference: deleted
del timeline, grid
print(sum(shiboken6.isValid(part) for part in kept))
"""


def test_parts_outlive_nothing_up_to_the_end_of_the_program(tmp_path: Path) -> None:
    """A separate program, so a crash at exit (Qt's cache deleting what Python freed) shows."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    run = subprocess.run(
        [sys.executable, "-c", CHURN],
        capture_output=True,
        text=True,
        env=env,
        cwd=Path(__file__).resolve().parents[2],
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    assert int(run.stdout.split()[-1]) == 250  # the deleted timelines' parts are gone
