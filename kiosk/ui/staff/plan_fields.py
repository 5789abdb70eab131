"""The fields of the desk's plan forms: a time of day, a device, a number of weeks, a result.

Each is made for a finger: a list to pick from rather than digits to type, and big − and +
buttons rather than a spin box's small arrows.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta, tzinfo

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from kiosk.core.bookings import BookingProblem, DevicePolicy
from kiosk.core.i18n import Translator, format_time
from kiosk.ui.parts.desk_style import set_tone
from kiosk.ui.parts.screen_base import label
from kiosk.ui.staff.texts import day_title, device_name, problem_text

FIRST_TIME = time(6, 0)  # the earliest time offered (a site may open early on a date)
LAST_TIME = time(23, 0)
TIME_STEP = timedelta(minutes=15)
MAX_WEEKS = 52

PLAN_STYLE = """
QComboBox#planChoice { min-height: 48px; padding: 4px 12px; }
QComboBox#planChoice QAbstractItemView { min-height: 48px; }
QPushButton#stepper { min-width: 56px; min-height: 48px; font-size: 18pt; font-weight: 700; }
"""


def at_time(day: date, clock: time, zone: tzinfo) -> datetime:
    return datetime.combine(day, clock, tzinfo=zone)


class TimeChoice(QComboBox):
    """A time of day in steps of 15 minutes, written the way the staff member's language does."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("planChoice")
        self._times: list[time] = []
        moment = datetime.combine(date(2000, 1, 1), FIRST_TIME)
        while moment.time() <= LAST_TIME:
            self._times.append(moment.time())
            self.addItem("")
            moment += TIME_STEP
        self.setMaxVisibleItems(8)

    @property
    def value(self) -> time:
        return self._times[max(0, self.currentIndex())]

    def set_value(self, value: time) -> None:
        nearest = min(
            range(len(self._times)),
            key=lambda i: abs(
                (self._times[i].hour * 60 + self._times[i].minute)
                - (value.hour * 60 + value.minute)
            ),
        )
        self.setCurrentIndex(nearest)

    def retranslate(self, code: str) -> None:
        for index, value in enumerate(self._times):
            self.setItemText(index, format_time(datetime.combine(date(2000, 1, 1), value), code))


class DeviceChoice(QComboBox):
    """One of the site's devices, by the name staff know it by."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("planChoice")
        self._devices: list[DevicePolicy] = []

    def set_devices(self, devices: Sequence[DevicePolicy], code: str) -> None:
        chosen = self.device_id
        self._devices = list(devices)
        self.blockSignals(True)
        self.clear()
        for device in self._devices:
            self.addItem(device_name(device, device.id, code), device.id)
        ids = [device.id for device in self._devices]
        self.setCurrentIndex(ids.index(chosen) if chosen in ids else 0)
        self.blockSignals(False)

    @property
    def device(self) -> DevicePolicy | None:
        index = self.currentIndex()
        return self._devices[index] if 0 <= index < len(self._devices) else None

    @property
    def device_id(self) -> str:
        device = self.device
        return device.id if device is not None else ""

    def choose(self, device_id: str) -> None:
        ids = [device.id for device in self._devices]
        if device_id in ids:
            self.setCurrentIndex(ids.index(device_id))


class WeekStepper(QWidget):
    """How many weeks in a row (1 to 52): − and + either side of the number."""

    changed = Signal(int)

    def __init__(self, translator: Translator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tr = translator
        self.value = 1
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.less = QPushButton("−", self)
        self.more = QPushButton("+", self)
        for button in (self.less, self.more):
            button.setObjectName("stepper")
        self.shown = label(self, wrap=False)
        self.less.clicked.connect(lambda: self.set_value(self.value - 1))
        self.more.clicked.connect(lambda: self.set_value(self.value + 1))
        row.addWidget(self.less)
        row.addWidget(self.shown, 1)
        row.addWidget(self.more)
        self.retranslate()

    def set_value(self, value: int) -> None:
        self.value = max(1, min(MAX_WEEKS, value))
        self.retranslate()
        self.changed.emit(self.value)

    def retranslate(self) -> None:
        _ = self._tr.gettext
        self.shown.setText(
            self._tr.ngettext("{n} week", "{n} weeks", self.value).format(
                n=self._tr.number(self.value)
            )
        )
        self.less.setEnabled(self.value > 1)
        self.more.setEnabled(self.value < MAX_WEEKS)
        self.less.setAccessibleName(_("One week fewer"))
        self.more.setAccessibleName(_("One week more"))


class ResultList(QWidget):
    """What came of a save: a line per day done and per day refused, with why."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(4)
        self.lines: list[str] = []

    def show_lines(self, lines: Sequence[tuple[str, str]]) -> None:
        """Each line with its tone ("ok" or "error")."""
        while self._layout.count():
            item = self._layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.lines = [text for _tone, text in lines]
        for tone, text in lines:
            line = label(self)
            line.setMinimumWidth(1)
            self._layout.addWidget(line)
            set_tone(line, tone, text)
        self.setVisible(bool(lines))


def refused_line(tr: Translator, day: date, problem: BookingProblem) -> str:
    """A week that could not be blocked, and why, in words."""
    return tr.gettext("{day}: not blocked. {reason}").format(
        day=day_title(day, tr.current.code), reason=problem_text(tr, problem)
    )
