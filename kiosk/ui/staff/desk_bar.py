"""The top of the staff desk: the check-in field, walk-in and export, the answer line, day and week.

The widgets belong to the desk screen (they are its children); this class builds and names them
and says their texts, so the desk itself is about what happens when they are used.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QLineEdit, QPushButton, QWidget

from kiosk.core.i18n import Translator
from kiosk.ui.parts.desk_style import set_tone
from kiosk.ui.parts.keyboard import TAP_TO_TYPE
from kiosk.ui.parts.screen_base import back_arrow, label
from kiosk.ui.staff.texts import EXAMPLE_BOOKING_CODE, day_title


class DeskBar:
    """The desk's controls above the day or week: a row for check-in, a line, a row for dates."""

    def __init__(self, desk: QWidget) -> None:
        self.top = QHBoxLayout()
        self.top.setSpacing(12)
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
        self.walk_in_button = QPushButton(desk)
        self.export_button = QPushButton(desk)
        self.top.addWidget(self.back)
        self.top.addWidget(self.code_field, 1)
        self.top.addWidget(self.check_in_button)
        self.top.addSpacing(12)
        self.top.addWidget(self.walk_in_button)
        self.top.addWidget(self.export_button)
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

    def set_enabled(self, enabled: bool) -> None:
        """Everything but Back works only while the bookings can be read."""
        for widget in (
            self.code_field,
            self.check_in_button,
            self.previous,
            self.today,
            self.next,
            self.day_button,
            self.week_button,
            self.walk_in_button,
            self.export_button,
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
