"""The top of the staff desk: the check-in field, the desk's actions, the answer line, day and week.

The widgets belong to the desk screen (they are its children, the actions inside one group); this
class builds and names them and says their texts, so the desk itself is about what happens when
they are used. The actions (walk-in, blocks and exceptions, print, export) stand beside the
check-in field while the screen is wide enough for both, else in a second row below it.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.core.i18n import Translator
from kiosk.ui.parts.desk_style import set_tone
from kiosk.ui.parts.keyboard import TAP_TO_TYPE
from kiosk.ui.parts.screen_base import back_arrow, label
from kiosk.ui.staff.texts import EXAMPLE_BOOKING_CODE, day_title

# The check-in field never gets narrower than this beside the actions (a code and some room).
FIELD_ROOM = 260
SHORT_DESK = 560  # px: the desk's height while the on-screen keyboard is up


class DeskBar(QObject):
    """The desk's controls above the day or week: check-in and actions (one or two rows), a
    line, a row for dates."""

    def __init__(self, desk: QWidget) -> None:
        super().__init__(desk)
        self._desk = desk
        self.top = QVBoxLayout()
        self.top.setSpacing(8)
        self.check_row = QHBoxLayout()
        self.check_row.setSpacing(12)
        self.action_row = QHBoxLayout()
        self.action_row.setSpacing(12)
        self.top.addLayout(self.check_row)
        self.top.addLayout(self.action_row)
        self.back = QPushButton(desk)
        self.code_field = QLineEdit(desk)
        self.code_field.setObjectName("checkInField")
        self.code_field.setMaxLength(32)
        self.code_field.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.code_field.setInputMethodHints(
            Qt.InputMethodHint.ImhPreferUppercase
            | Qt.InputMethodHint.ImhNoPredictiveText
            | Qt.InputMethodHint.ImhLatinOnly
        )
        # Focused on entry for the scanner; the on-screen keyboard waits for a tap.
        self.code_field.setProperty(TAP_TO_TYPE, True)
        self.check_in_button = QPushButton(desk)
        self.check_in_button.setObjectName("primary")
        self.find_button = QPushButton(desk)
        self.actions = QWidget(desk)
        self.walk_in_button = QPushButton(self.actions)
        self.plan_button = QPushButton(self.actions)
        self.print_button = QPushButton(self.actions)
        self.export_button = QPushButton(self.actions)
        actions = QHBoxLayout(self.actions)
        actions.setContentsMargins(0, 0, 0, 0)
        actions.setSpacing(12)
        for button in self.action_buttons():
            actions.addWidget(button)
        self.check_row.addWidget(self.back)
        self.check_row.addWidget(self.code_field, 1)
        self.check_row.addWidget(self.check_in_button)
        self.check_row.addWidget(self.find_button)
        self.wrapped = False  # the actions in the second row
        self.check_row.addWidget(self.actions)
        desk.installEventFilter(self)
        self.feedback = label(desk)
        set_tone(self.feedback, "idle", " ")

        self.nav = QHBoxLayout()
        self.nav.setSpacing(8)
        self.previous = QPushButton(desk)
        self.today = QPushButton(desk)
        self.next = QPushButton(desk)
        self.date_label = label(desk, "sectionTitle")
        self.today_badge = label(desk, "todayBadge", wrap=False)
        self.day_button = QPushButton(desk)
        self.week_button = QPushButton(desk)
        self._view_group = QButtonGroup(desk)
        for button in (self.day_button, self.week_button):
            button.setObjectName("chip")
            button.setCheckable(True)
            self._view_group.addButton(button)
        self.day_button.setChecked(True)
        for arrow in (self.previous, self.next):
            arrow.setObjectName("arrow")
        for widget in (self.previous, self.today, self.next):
            self.nav.addWidget(widget)
        self.nav.addWidget(self.date_label, 1)
        self.nav.addWidget(self.today_badge, 0, Qt.AlignmentFlag.AlignVCenter)
        for widget in (self.day_button, self.week_button):
            self.nav.addWidget(widget)

    def action_buttons(self) -> tuple[QPushButton, ...]:
        """The desk's actions beside (or below) the check-in field, in their order."""
        return (self.walk_in_button, self.plan_button, self.print_button, self.export_button)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._desk and event.type() == QEvent.Type.Resize:
            self.fit()
        return False

    def fit(self) -> None:
        """The actions beside the check-in field if all fits in the desk's width, else below."""
        margins = self._desk.contentsMargins()
        outer = self._desk.layout()
        if outer is not None:
            inner = outer.contentsMargins()
            margins.setLeft(margins.left() + inner.left())
            margins.setRight(margins.right() + inner.right())
        room = self._desk.width() - margins.left() - margins.right()
        row = (self.back, self.check_in_button, self.find_button, self.actions)
        needed = sum(widget.sizeHint().width() for widget in row) + FIELD_ROOM
        needed += self.check_row.spacing() * len(row)
        wrap = needed > room
        # The on-screen keyboard takes the lower half: the second row of actions steps aside
        # while staff type, so the panel below keeps room for what they type into.
        self.actions.setVisible(not (wrap and self._desk.height() < SHORT_DESK))
        if wrap == self.wrapped:
            return
        self.wrapped = wrap
        if wrap:
            self.check_row.removeWidget(self.actions)
            self.action_row.addStretch(1)
            self.action_row.addWidget(self.actions)
        else:
            self.action_row.removeWidget(self.actions)
            while self.action_row.count():
                self.action_row.takeAt(0)
            self.check_row.addWidget(self.actions)

    def set_enabled(self, enabled: bool) -> None:
        """Everything but Back works only while the bookings can be read."""
        for widget in (
            self.code_field,
            self.check_in_button,
            self.find_button,
            self.previous,
            self.today,
            self.next,
            self.day_button,
            self.week_button,
            *self.action_buttons(),
        ):
            widget.setEnabled(enabled)

    def name_arrows(self, tr: Translator, *, week: bool) -> None:
        """What the previous and next arrows step by, for screen readers."""
        _ = tr.gettext
        self.previous.setAccessibleName(_("Previous week") if week else _("Previous day"))
        self.next.setAccessibleName(_("Next week") if week else _("Next day"))

    def show_span(
        self,
        tr: Translator,
        span: tuple[date, date] | None,
        *,
        today: date | None = None,
        week: bool = False,
    ) -> None:
        """The shown day or week as a title, marked when it holds today (None: nothing shown)."""
        if span is None:
            self.date_label.setText("")
            self.today_badge.hide()
            return
        _ = tr.gettext
        code = tr.current.code
        first, last = span
        self.today_badge.setText(_("Today"))
        self.today_badge.setVisible(today is not None and first <= today <= last)
        if not week:
            self.date_label.setText(day_title(first, code, "yMMMEd"))
            return
        _year, number, _weekday = first.isocalendar()
        self.date_label.setText(
            _("Week {number}: {first} to {last}").format(
                number=tr.number(number),
                first=day_title(first, code, "MMMd"),
                last=day_title(last, code, "yMMMd"),
            )
        )

    def retranslate(self, tr: Translator, direction: Qt.LayoutDirection) -> None:
        _ = tr.gettext
        rtl = direction == Qt.LayoutDirection.RightToLeft
        back = _("Back")
        self.back.setText(f"{back_arrow(direction)}  {back}")
        self.back.setAccessibleName(_("Back to the terminal overview"))
        self.code_field.setPlaceholderText(
            _("Booking code, e.g. {example}").format(example=EXAMPLE_BOOKING_CODE)
        )
        self.code_field.setAccessibleName(_("Booking code to check in"))
        self.check_in_button.setText(_("Check in"))
        self.previous.setText("→" if rtl else "←")
        self.next.setText("←" if rtl else "→")
        self.today.setText(_("Today"))
        self.day_button.setText(_("Day"))
        self.week_button.setText(_("Week"))
        # TRANSLATORS: button to book a visitor who comes without a booking
        self.walk_in_button.setText(_("Walk-in"))
        self.walk_in_button.setAccessibleName(_("Book a walk-in"))
        self.export_button.setText(_("Export"))
        # TRANSLATORS: button that opens the search for a booking (name, code, device, time)
        self.find_button.setText(_("Find"))
        self.find_button.setAccessibleName(_("Find a booking"))
        # TRANSLATORS: button: block times of a device (workshop, repair) and change a day's hours
        plan = _("Blocks & exceptions")
        self.plan_button.setText(plan.replace("&", "&&"))  # a single & would mark a shortcut
        self.plan_button.setAccessibleName(plan)
        self.print_button.setText(_("Print"))
        self.print_button.setAccessibleName(_("Print the shown day"))
        self.fit()
