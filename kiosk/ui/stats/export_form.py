"""The export of the usage figures for the city: period, granularity, USB stick, progress, result.

Staff pick a period (quick choices or two dates with calendar pop-ups), how finely to count
(month or day) and one of the USB sticks plugged in (or the configured export folder) — no file
dialog. The export writes one new folder of protected counts, or nothing at all; the form says
which, and where.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, QLocale, Qt, Signal
from PySide6.QtGui import QColor, QTextCharFormat
from PySide6.QtWidgets import (
    QButtonGroup,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.core.i18n import Translator, format_date
from kiosk.core.stats import ExportError, PeriodError, UsageStatistics
from kiosk.core.stats.periods import month_end, month_start
from kiosk.storage import StorageError
from kiosk.storage.drives import ExportPlaces
from kiosk.ui import theme
from kiosk.ui.parts.date_field import from_qdate, qt_locale, to_qdate
from kiosk.ui.parts.desk_style import TONE_SIGNS, breakable_path, panel_frame, storage_failed
from kiosk.ui.parts.export_places import DestinationChooser
from kiosk.ui.parts.flow_layout import FlowLayout
from kiosk.ui.parts.screen_base import label
from kiosk.ui.stats.dates import (
    DateField,
    last_month,
    last_published_day,
    last_quarter,
    this_year,
)

log = logging.getLogger(__name__)

# Whole calendar months or days only, and only of months that are over
# (kiosk.core.stats.periods): weeks cut across months and would give hidden counts away.
GRANULARITIES = ("month", "day")


_TONES = {
    "ok": (theme.SUCCESS, theme.ON_PRIMARY),
    "error": (theme.DANGER, theme.ON_PRIMARY),
}


def show_feedback(label: QLabel, tone: str, text: str) -> None:
    """``text`` in a feedback label, "ok" (green, ✓) or "error" (red, ✕).

    The look is the label's own stylesheet: a re-polish after a property change does not
    bring back the padding of an ancestor's rules (Qt 6.11), so staff_style's property-based
    tones would lose their padding inside a card."""
    background, colour = _TONES[tone]
    label.setStyleSheet(
        f"background: {background}; color: {colour}; border-radius: 10px; padding: 6px 14px;"
        " font-weight: 600;"
    )
    label.setProperty("tone", tone)
    label.setText(f"{TONE_SIGNS[tone]}  {text}")
    label.setVisible(bool(text))


class StatsExportForm(QWidget):
    """Two cards side by side: the period to export, and where and how to write it."""

    exported = Signal(str)
    """An export was written; the path of its folder."""

    def __init__(
        self,
        translator: Translator,
        statistics: Callable[[], UsageStatistics | None],
        parent: QWidget | None = None,
        *,
        export_places: ExportPlaces,
    ) -> None:
        super().__init__(parent)
        self._tr = translator
        self._statistics = statistics
        self._places = export_places
        self._first, self._last = last_month(date.today())
        self._build()
        self.retranslate_ui()

    # -- building --------------------------------------------------------------------------

    def _build(self) -> None:
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(16)
        period = panel_frame(self)
        target = panel_frame(self)
        column = QVBoxLayout()
        column.setSpacing(12)
        column.addWidget(period)
        # How the export protects people, next to the period it covers.
        self.privacy = label(self, "notice")
        column.addWidget(self.privacy)
        column.addStretch(1)
        row.addLayout(column, 1)
        row.addWidget(target, 1, Qt.AlignmentFlag.AlignTop)

        left = QVBoxLayout(period)
        left.setContentsMargins(20, 16, 20, 20)
        left.setSpacing(12)
        self.period_title = label(period, "panelTitle")
        quick = FlowLayout(spacing=10)
        self.last_month = QPushButton(period)
        self.last_quarter = QPushButton(period)
        self.this_year = QPushButton(period)
        for button, span in (
            (self.last_month, last_month),
            (self.last_quarter, last_quarter),
            (self.this_year, this_year),
        ):
            button.clicked.connect(
                lambda _checked=False, span=span: self.set_span(*span(self._today()))
            )
            quick.addWidget(button)
        # From and To side by side; on a narrow card (or with long words) To moves below.
        dates = FlowLayout(spacing=16)
        self.from_label, self.to_label = label(period, wrap=False), label(period, wrap=False)
        self.from_date, self.to_date = self._date_edit(period), self._date_edit(period)
        for caption, edit in ((self.from_label, self.from_date), (self.to_label, self.to_date)):
            pair = QWidget(period)
            pair_layout = QHBoxLayout(pair)
            pair_layout.setContentsMargins(0, 0, 0, 0)
            pair_layout.setSpacing(10)
            caption.setParent(pair)
            edit.setParent(pair)
            caption.setBuddy(edit)
            pair_layout.addWidget(caption)
            pair_layout.addWidget(edit)
            dates.addWidget(pair)
        self.per_label = label(period, "muted")
        chips = FlowLayout(spacing=10)
        self.granularity = QButtonGroup(self)
        self.granularity.setExclusive(True)
        self.chips: dict[str, QPushButton] = {}
        for name in GRANULARITIES:
            chip = QPushButton(period)
            chip.setObjectName("chip")
            chip.setCheckable(True)
            self.granularity.addButton(chip)
            chips.addWidget(chip)
            self.chips[name] = chip
        self.chips["month"].setChecked(True)
        self.granularity.buttonToggled.connect(lambda _chip, _on: self._show_span())
        for part in (self.period_title, quick, dates, self.per_label, chips):
            if isinstance(part, QWidget):
                left.addWidget(part)
            else:
                left.addLayout(part)

        right = QVBoxLayout(target)
        right.setContentsMargins(20, 16, 20, 20)
        right.setSpacing(12)
        self.target_title = label(target, "panelTitle")
        self.span = label(target, "sectionTitle")
        self.contents = label(target, "muted")
        # Why the dates end with the last month that is over (kiosk.core.stats.periods).
        self.whole_periods = label(target, "muted")
        self.chooser = DestinationChooser(self._tr, self._places.destinations, target)
        self.chooser.changed.connect(self._destinations_changed)
        self.export_button = QPushButton(target)
        self.export_button.setObjectName("primary")
        self.export_button.setMinimumHeight(64)
        self.export_button.clicked.connect(self.export)
        self.progress = QProgressBar(target)
        self.progress.setRange(0, 100)
        self.progress.setTextVisible(False)
        self.progress.setFixedHeight(14)
        self.progress.hide()
        self.message = label(target)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.hide()
        for widget in (self.target_title, self.span, self.contents, self.whole_periods):
            right.addWidget(widget)
        right.addWidget(self.chooser)
        right.addWidget(self.export_button)
        right.addWidget(self.progress)
        right.addWidget(self.message)
        for edit in (self.from_date, self.to_date):
            edit.dateChanged.connect(self._dates_changed)
        self._destinations_changed()

    def _date_edit(self, parent: QWidget) -> QDateEdit:
        edit = DateField(parent)
        edit.setObjectName("statsDate")
        edit.setCalendarPopup(True)
        edit.setMinimumDate(QDate(2000, 1, 1))
        edit.setMinimumWidth(220)
        calendar = edit.calendarWidget()
        calendar.setMinimumSize(480, 420)  # day cells of about 48 px: touch targets
        calendar.setVerticalHeaderFormat(calendar.VerticalHeaderFormat.NoVerticalHeader)
        plain = QTextCharFormat()
        plain.setForeground(QColor(theme.TEXT))
        for weekend in (Qt.DayOfWeek.Saturday, Qt.DayOfWeek.Sunday):
            calendar.setWeekdayTextFormat(weekend, plain)  # red weekends read as warnings
        return edit

    # -- state -----------------------------------------------------------------------------

    def _quick(self, span: Callable[[date], tuple[date, date]]) -> None:
        self.set_span(*span(self._today()))

    def _today(self) -> date:
        statistics = self._statistics()
        return statistics.today() if statistics is not None else date.today()

    @property
    def first(self) -> date:
        return self._first

    @property
    def last(self) -> date:
        return self._last

    @property
    def period(self) -> str:
        """How finely the export counts: "month" or "day"."""
        for name, chip in self.chips.items():
            if chip.isChecked():
                return name
        return "month"

    @property
    def folder(self) -> Path | None:
        """Where the next export goes: the chosen stick or folder (None: none is plugged in)."""
        chosen = self.chooser.chosen
        return chosen.path if chosen is not None else None

    def set_span(self, first: date, last: date) -> None:
        """Export the days from ``first`` to ``last`` (shown in the date fields)."""
        self._first, self._last = first, last
        self.show_dates()

    def show_dates(self) -> None:
        """Put the chosen period into the date fields (again: a session wipe empties them)."""
        for edit, day in ((self.from_date, self._first), (self.to_date, self._last)):
            edit.blockSignals(True)
            edit.setDate(to_qdate(day))
            edit.blockSignals(False)
        self._dates_changed()

    def reset_to_default(self) -> None:
        """The last complete month, counted per month."""
        today = self._today()
        for edit in (self.from_date, self.to_date):
            # Only months that are over are published (their figures no longer change).
            edit.setMaximumDate(to_qdate(last_published_day(today)))
        self._first, self._last = last_month(today)
        self.chips["month"].setChecked(True)
        self.message.hide()
        self.progress.hide()
        self.show_dates()
        self.retranslate_ui()

    def _destinations_changed(self) -> None:
        self.export_button.setEnabled(self.chooser.chosen is not None)

    def _dates_changed(self) -> None:
        self._first = from_qdate(self.from_date.date())
        self._last = from_qdate(self.to_date.date())
        self.message.hide()
        self.progress.hide()
        self._show_span()

    # -- exporting -------------------------------------------------------------------------

    def export(self) -> Path | None:
        """Write the export; the folder written, or None (the form says why)."""
        _ = self._tr.gettext
        self.progress.hide()
        if self._first > self._last:
            show_feedback(
                self.message,
                "error",
                _("The start date is after the end date. Please correct the period."),
            )
            return None
        statistics = self._statistics()
        if statistics is None:
            show_feedback(self.message, "error", not_open_text(self._tr))
            return None
        try:
            span = statistics.span(self._first, self._last, self.period)
        except PeriodError:
            # The date fields end at the last month that is over; a date typed past it anyway.
            show_feedback(
                self.message,
                "error",
                _(
                    "Figures of a month are published once the month is over. Please end the "
                    "period by {date}."
                ).format(
                    date=format_date(last_published_day(self._today()), self._tr.current.code)
                ),
            )
            return None
        self.chooser.refresh()  # the stick may have been pulled out since it was shown
        folder = self.folder
        if folder is None or self._places.refuses(folder):
            show_feedback(self.message, "error", _("Please insert a USB stick first."))
            return None
        self.progress.setValue(0)
        self.progress.show()
        self.export_button.setEnabled(False)
        try:
            written = statistics.export(span, folder, progress=self._progressed)
        except (ExportError, OSError) as error:
            log.warning("usage export to %s failed: %s", folder, error)
            self.progress.hide()
            if isinstance(error, ExportError) and error.missing_folder:
                reason = _("the folder does not exist")
            else:
                reason = _("the folder cannot be written")
            # Two messages, not one long one: each translation stays short enough to wrap.
            what = _("Nothing was exported: {reason}.").format(reason=reason)
            hint = _("Is the USB stick plugged in and writable?")
            show_feedback(self.message, "error", f"{what}\n{hint}")
            return None
        except StorageError:
            log.exception("usage figures for an export could not be read")
            self.progress.hide()
            show_feedback(self.message, "error", storage_failed(self._tr))
            return None
        finally:
            self._destinations_changed()
        self.progress.setValue(100)
        log.info("usage statistics exported to %s", written)
        show_feedback(
            self.message,
            "ok",
            _("Exported into the folder {folder}").format(folder=breakable_path(written)),
        )
        self.exported.emit(str(written))
        return written

    def _progressed(self, done: float) -> None:
        # The export runs on the UI thread (the database connection belongs to it); repaint()
        # shows the bar move without handing control to the event loop in the middle.
        self.progress.setValue(round(max(0.0, min(1.0, done)) * 100))
        self.progress.repaint()

    # -- texts -----------------------------------------------------------------------------

    def _show_span(self) -> None:
        """The days the export covers: counted per month, whole months."""
        code = self._tr.current.code
        first, last = self._first, self._last
        if self.period == "month":
            first, last = month_start(first), month_end(last)
        self.span.setText(f"{format_date(first, code)} \u2013 {format_date(last, code)}")

    def retranslate_ui(self) -> None:
        _ = self._tr.gettext
        code = self._tr.current.code
        locale = qt_locale(code)
        date_format = locale.dateFormat(QLocale.FormatType.ShortFormat)
        if "yyyy" not in date_format:
            date_format = date_format.replace("yy", "yyyy")
        for edit in (self.from_date, self.to_date):
            edit.setLocale(locale)
            edit.setDisplayFormat(date_format)
            edit.calendarWidget().setLocale(locale)
        self.period_title.setText(_("Period"))
        self.last_month.setText(_("Last month"))
        self.last_quarter.setText(_("Last quarter"))
        self.this_year.setText(_("This year so far"))
        self.this_year.setEnabled(self._today().month > 1)  # in January no month is over yet
        self.from_label.setText(_("From"))
        self.to_label.setText(_("To"))
        self.from_date.setAccessibleName(_("First day of the period"))
        self.to_date.setAccessibleName(_("Last day of the period"))
        # TRANSLATORS: above the choice Month / Week / Day (how finely the export counts)
        self.per_label.setText(_("Count the figures per"))
        self.chips["month"].setText(_("Month"))
        self.chips["day"].setText(_("Day"))
        self.target_title.setText(_("Export for the city"))
        self._show_span()
        self.contents.setText(
            _("A folder with a table (CSV), JSON and DCAT-AP.de metadata for the open-data portal.")
        )
        self.whole_periods.setText(
            _("Only whole days and months that are over, so comparing two exports reveals nothing.")
        )
        statistics = self._statistics()
        if statistics is not None:
            self.privacy.setText(
                _(
                    "Numbers below {k} stay empty in the export, as do numbers that would "
                    "reveal them."
                ).format(k=self._tr.number(statistics.k))
            )
        self.privacy.setVisible(statistics is not None)
        self.chooser.retranslate_ui()
        self.export_button.setText(_("Export figures"))
        self.export_button.setAccessibleName(_("Export the figures of the chosen period"))
        self.progress.setAccessibleName(_("Export progress"))


def not_open_text(tr: Translator) -> str:
    """Said where figures would be while the database is not open."""
    return tr.gettext("The database is not open yet, so there are no figures. Try again soon.")
