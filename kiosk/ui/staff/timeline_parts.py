"""The day's timeline as parts for screen readers: each device, each booking, each free time.

Row by row, in time order, as a sighted person reads the timeline; each part is where it is
drawn, and pressing it does what a tap there does (a booking is chosen, a device's row or a free
time in it opens the device).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QRect
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QStyle

from kiosk.ui.parts.accessible_parts import Part, pressing

if TYPE_CHECKING:
    from kiosk.ui.staff.timeline import DayTimeline, TimelineDay

BUTTON = QAccessible.Role.Button


def free_times(day: TimelineDay, device_id: str) -> list[tuple[datetime, datetime]]:
    """The opening times of a device that no active booking (with its turnaround) holds."""
    taken = sorted(
        (block.start, block.buffer_end)
        for block in day.blocks
        if block.device_id == device_id and block.active
    )
    spans: list[tuple[datetime, datetime]] = []
    for opens, closes in sorted(day.opening):
        moment = opens
        for start, end in taken:
            if start >= closes:
                break
            if start > moment:
                spans.append((moment, start))
            moment = max(moment, end)
        if moment < closes:
            spans.append((moment, closes))
    return spans


def _choose_device(timeline: DayTimeline, device_id: str) -> Callable[[], None]:
    return pressing(timeline, lambda widget: widget.device_chosen.emit(device_id))


def _choose_booking(timeline: DayTimeline, booking_id: int) -> Callable[[], None]:
    def choose(widget: DayTimeline) -> None:  # as a tap on the block: chosen, then announced
        widget.select(booking_id)
        widget.booking_chosen.emit(booking_id)

    return pressing(timeline, choose)


def timeline_parts(timeline: DayTimeline) -> list[Part]:
    """Row by row: the device, then its bookings and free times in time order."""
    day = timeline.day
    direction, whole = timeline.layoutDirection(), timeline.rect()
    parts: list[Part] = []
    for row in day.rows:
        header = timeline.row_rect(row.device_id)
        choose_device = _choose_device(timeline, row.device_id)
        parts.append(
            Part(("device", row.device_id), BUTTON, row.title, header, row.badge, choose_device)
        )
        pieces: list[tuple[datetime, Part]] = []
        for block in day.blocks:
            rect = timeline.block_rect(block.booking_id)
            if block.device_id != row.device_id or rect.isEmpty():
                continue
            chosen = block.booking_id == timeline.selected_booking
            press = _choose_booking(timeline, block.booking_id)
            key = ("booking", block.booking_id)
            part = Part(key, BUTTON, block.description, rect, "", press, chosen, chosen)
            pieces.append((block.start, part))
        if row.status.lendable:
            for start, end in free_times(day, row.device_id):
                x0, x1 = timeline.x_of(start), timeline.x_of(end)
                logical = QRect(x0, header.top(), max(1, x1 - x0), header.height())
                rect = QStyle.visualRect(direction, whole, logical)
                name = day.free_text(row.title, day.time_text(start), day.time_text(end))
                part = Part(("free", row.device_id, start), BUTTON, name, rect, "", choose_device)
                pieces.append((start, part))
        parts.extend(part for _start, part in sorted(pieces, key=lambda piece: piece[0]))
    return parts
