"""A device as visitors see it: picture, name, what it is, where it is, and its free times."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from kiosk.core.bookings import DevicePolicy, Slot
from kiosk.core.i18n import Translator, format_time, isolate
from kiosk.ui import theme
from kiosk.ui.bookings.slot_button import SlotButton
from kiosk.ui.bookings.texts import device_name, device_picture
from kiosk.ui.parts.flow_layout import FlowLayout
from kiosk.ui.parts.images import cover_pixmap
from kiosk.ui.parts.screen_base import label
from kiosk.ui.parts.scroll_cue import attach_scroll_cue

PICTURE_SIZE = QSize(128, 96)
FIRST_TIMES = 8  # more would make a long list for a beginner; "More times" shows the rest


def scroll_body(
    parent: QWidget, gettext: Callable[[str], str] | None = None
) -> tuple[QScrollArea, QWidget, QVBoxLayout]:
    """A page body that scrolls up and down (by dragging, on a touch screen).

    Every booking page keeps its buttons below a scrolling body: with the on-screen keyboard up
    or the largest text size, what does not fit scrolls instead of being cut off. With
    ``gettext`` (the visitor's language) the body says when there is more below and has large
    up and down buttons (kiosk.ui.parts.scroll_cue).
    """
    area = QScrollArea(parent)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    # Always shown: a bar that comes and goes would change the width after the text was laid out.
    area.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
    theme.enable_kinetic_scrolling(area)
    body = QWidget()
    body.setObjectName("bookingContent")
    layout = QVBoxLayout(body)
    layout.setContentsMargins(0, 0, 12, 12)
    layout.setSpacing(12)
    area.setWidget(body)
    if gettext is not None:
        attach_scroll_cue(area, gettext)
    return area, body, layout


@lru_cache(maxsize=64)
def _picture(path: Path, width: int, height: int, ratio: float) -> QPixmap:
    # Drawn once per picture and size: the lists are rebuilt on every visit.
    return cover_pixmap(path, QSize(width, height), ratio)


def picture_label(device: DevicePolicy, parent: QWidget, size: QSize = PICTURE_SIZE) -> QLabel:
    """The device's photo or drawing, fitted into ``size``."""
    picture = QLabel(parent)
    picture.setFixedSize(size)
    picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
    pixmap = _picture(
        device_picture(device), size.width(), size.height(), parent.devicePixelRatioF()
    )
    picture.setPixmap(pixmap)
    return picture


class DeviceCard(QFrame):
    """One device with its free times on the day shown; a time is one tap away from booking."""

    slot_chosen = Signal(object)
    """The visitor tapped a free time (the Slot)."""

    def __init__(
        self,
        device: DevicePolicy,
        translator: Translator,
        fallbacks: Sequence[str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.device = device
        self._tr = translator
        self._fallbacks = tuple(fallbacks)
        self.setObjectName("deviceCard")
        self._slots: list[Slot] = []
        self._empty_text = ""
        self._expanded = False
        row = QHBoxLayout(self)
        row.setContentsMargins(16, 16, 16, 16)
        row.setSpacing(20)
        row.addWidget(picture_label(device, self), 0, Qt.AlignmentFlag.AlignTop)
        text = QVBoxLayout()
        text.setSpacing(6)
        self.title = label(self, "cardTitle")
        self.description = label(self, "muted")
        self.location = label(self, "muted")
        self.notes = label(self, "cardNote")
        for widget in (self.title, self.description, self.location, self.notes):
            text.addWidget(widget)
        self.empty = label(self, "muted")
        self.empty.hide()
        text.addWidget(self.empty)
        self._times = QWidget(self)
        self._flow = FlowLayout(self._times, uniform=True)
        text.addSpacing(4)
        text.addWidget(self._times)
        self.more = QPushButton(self)
        self.more.setObjectName("moreTimes")
        self.more.clicked.connect(self._expand)
        self.more.hide()
        text.addWidget(self.more, 0, Qt.AlignmentFlag.AlignLeading)
        row.addLayout(text, 1)
        self.buttons: list[SlotButton] = []

    def set_slots(self, slots: Sequence[Slot], empty_text: str, *, limit: bool = True) -> None:
        """Show these free times (the first few, unless ``limit`` is off or "More" was tapped)."""
        self._slots = list(slots)
        self._empty_text = empty_text
        self._expanded = not limit
        self._rebuild()
        self.retranslate()

    def set_empty_text(self, text: str) -> None:
        """What the card says when the device has no free time (in the current language)."""
        self._empty_text = text

    def _expand(self) -> None:
        self._expanded = True
        self._rebuild()
        self.retranslate()
        if self.buttons[FIRST_TIMES:]:
            self.buttons[FIRST_TIMES].setFocus(Qt.FocusReason.OtherFocusReason)

    def _rebuild(self) -> None:
        for button in self.buttons:
            self._flow.removeWidget(button)
            button.hide()
            button.deleteLater()
        shown = self._slots if self._expanded else self._slots[:FIRST_TIMES]
        self.buttons = []
        for slot in shown:
            button = SlotButton(slot, self._times)
            button.clicked.connect(lambda _=False, s=slot: self.slot_chosen.emit(s))
            self._flow.addWidget(button)
            self.buttons.append(button)
        self._times.setVisible(bool(shown))
        self._flow.invalidate()

    def retranslate(self) -> None:
        tr, fallbacks = self._tr, self._fallbacks
        _ = tr.gettext
        code = tr.current.code
        name = device_name(self.device, tr, fallbacks)
        self.title.setText(name)
        self.description.setText(self.device.text(code, fallbacks))
        self.description.setVisible(bool(self.description.text()))
        place = self.device.place(code, fallbacks)
        self.location.setText(_("Where: {place}").format(place=isolate(place)) if place else "")
        self.location.setVisible(bool(place))
        notes = []
        if self.device.staff_help:
            notes.append(_("Our staff will help you."))
        if self.device.approval:
            notes.append(_("Staff confirm each booking of this device."))
        self.notes.setText(" ".join(notes))
        self.notes.setVisible(bool(notes))
        self.empty.setText(self._empty_text)
        self.empty.setVisible(not self._slots and bool(self._empty_text))
        for button in self.buttons:
            time = format_time(button.slot.start, code)
            button.set_texts(time, f"{time}, {name}")
        hidden = len(self._slots) - len(self.buttons)
        self.more.setText(
            tr.ngettext("Show {n} more slot", "Show {n} more slots", hidden).format(
                n=tr.number(hidden)
            )
        )
        self.more.setVisible(hidden > 0)
        self.setAccessibleName(name)
