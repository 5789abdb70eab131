"""Staff statistics: the usage dashboard, the one-touch consultation counter, the city export.

The dashboard reads at a glance: visitors per day over the last two weeks, the courses started
most, bookings per device kind and the visitors' languages, all painted from the anonymous
counts. Beside it is the counter staff press after helping someone in person. The second page
writes the protected figures for the city's open-data portal.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QElapsedTimer, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.core.i18n import N_, Translator, language
from kiosk.core.stats import Dashboard, UsageEvents, UsageStatistics
from kiosk.storage import StorageError
from kiosk.storage.drives import ExportPlaces
from kiosk.ui import theme
from kiosk.ui.parts.desk_style import STYLE, panel_frame, scrolled, storage_failed
from kiosk.ui.parts.screen_base import ScreenBase, back_arrow, label
from kiosk.ui.parts.wrapping_button import WrappingButton
from kiosk.ui.stats.charts import DayBarChart, RankedBarChart, format_count
from kiosk.ui.stats.export_form import StatsExportForm, not_open_text, show_feedback

log = logging.getLogger(__name__)

DASHBOARD_DAYS = 14
REFRESH_MS = 60_000
CONFIRM_MS = 4000
# A second press this soon after the first is a double tap, not a second consultation.
DOUBLE_TAP_MS = 600

# The device kinds the kiosk ships pictures for; a site's own kinds are shown prettified.
KIND_NAMES: dict[str, str] = {
    "tablet": N_("Tablet"),
    "smartphone": N_("Smartphone"),
    "vr-headset": N_("VR headset"),
    "e-reader": N_("E-reader"),
    "smart-speaker": N_("Smart speaker"),
    "robot-vacuum": N_("Robot vacuum"),
}

STATS_STYLE = f"""
QLabel#bigCount {{ font-size: 36pt; font-weight: 700; color: {theme.PRIMARY}; }}
QLabel#screenTitle {{ font-size: 24pt; font-weight: 600; }}
QPushButton#consultation {{
    min-height: 80px; background: {theme.PRIMARY}; border-color: {theme.PRIMARY};
}}
QPushButton#consultation:pressed {{ background: {theme.ON_PRIMARY_SOFT}; }}
QPushButton#consultation:focus {{ border: 3px solid {theme.FOCUS}; }}
QPushButton#consultation QLabel#buttonText {{
    font-size: 22pt; font-weight: 600; color: {theme.ON_PRIMARY}; background: transparent;
}}
QPushButton#consultation:disabled {{
    background: {theme.DISABLED_BG}; border-color: {theme.DISABLED_BG};
}}
QPushButton#consultation QLabel#buttonText:disabled {{ color: {theme.DISABLED_TEXT}; }}
QPushButton#pageTab:checked {{
    background: {theme.PRIMARY}; color: {theme.ON_PRIMARY}; border-color: {theme.PRIMARY};
}}
QDateEdit {{
    min-height: 56px; padding: 4px 12px; background: {theme.SURFACE};
    border: 2px solid {theme.BORDER}; border-radius: 10px;
}}
QDateEdit:focus {{ border: 3px solid {theme.FOCUS}; }}
QDateEdit::drop-down {{ width: 48px; border: none; background: transparent; }}
QDateEdit::down-arrow {{ image: none; width: 0; height: 0; }}
/* Cards make their labels transparent; a notice keeps its background. */
QFrame#deskPanel QLabel#notice {{ background: {theme.NOTICE}; color: {theme.ON_NOTICE}; }}
QCalendarWidget QWidget#qt_calendar_navigationbar {{ background: {theme.PRIMARY_SOFT}; }}
QCalendarWidget QToolButton {{
    min-height: 48px; min-width: 48px; color: {theme.ON_PRIMARY_SOFT}; background: transparent;
    border: none; font-weight: 600;
}}
QCalendarWidget QAbstractItemView {{
    selection-background-color: {theme.PRIMARY}; selection-color: {theme.ON_PRIMARY};
}}
DayBarChart, RankedBarChart {{ background: transparent; }}
"""


def prettified(identifier: str) -> str:
    """An id as words: "video-calls" → "Video calls"."""
    words = identifier.replace("_", " ").replace("-", " ").strip()
    return words[:1].upper() + words[1:]


def language_name(code: str) -> str:
    """A language in its own name ("Deutsch", "العربية"); an unknown code as it is."""
    try:
        return language(code).native_name
    except KeyError:
        return code


class StaffStatsScreen(ScreenBase):
    """Dashboard and consultation counter on one page, the export for the city on another."""

    back_requested = Signal()
    """Staff want the terminal overview (staff home) again."""

    def __init__(
        self,
        translator: Translator,
        statistics_getter: Callable[[], UsageStatistics | None],
        usage_getter: Callable[[], UsageEvents | None],
        parent: QWidget | None = None,
        *,
        export_places: ExportPlaces,
        course_title: Callable[[str], str] = prettified,
        refresh_ms: int = REFRESH_MS,
        confirm_ms: int = CONFIRM_MS,
    ) -> None:
        super().__init__(translator, parent)
        self.setObjectName("staffStats")
        self.setStyleSheet(STYLE + STATS_STYLE)
        self._statistics = statistics_getter
        self._usage = usage_getter
        self._course_title = course_title
        self.dashboard: Dashboard | None = None
        self._problem = ""  # why there are no figures: "not_open", "failed" or ""
        self._last_press = QElapsedTimer()
        self.double_tap_ms = DOUBLE_TAP_MS
        self.refresh_timer = QTimer(self)
        self.refresh_timer.setInterval(refresh_ms)
        self.refresh_timer.timeout.connect(self.refresh)
        self._confirm_timer = QTimer(self)
        self._confirm_timer.setSingleShot(True)
        self._confirm_timer.setInterval(confirm_ms)
        self._confirm_timer.timeout.connect(lambda: self.confirmation.hide())
        self._build(export_places)
        self.retranslate_ui()

    # -- building --------------------------------------------------------------------------

    def _build(self, export_places: ExportPlaces) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 10, 16, 10)
        layout.setSpacing(10)
        top = QHBoxLayout()
        top.setSpacing(12)
        self.back = QPushButton(self)
        self.back.clicked.connect(self.back_requested)
        self.title = label(self, "screenTitle")
        self.dashboard_tab = QPushButton(self)
        self.export_tab = QPushButton(self)
        self._tabs = QButtonGroup(self)
        for index, tab in enumerate((self.dashboard_tab, self.export_tab)):
            tab.setObjectName("pageTab")
            tab.setCheckable(True)
            self._tabs.addButton(tab, index)
        self.dashboard_tab.setChecked(True)
        self._tabs.idClicked.connect(self.show_page)
        top.addWidget(self.back)
        top.addWidget(self.title, 1)
        top.addWidget(self.dashboard_tab)
        top.addWidget(self.export_tab)
        layout.addLayout(top)
        self.pages = QStackedWidget(self)
        self.pages.addWidget(scrolled(self._build_dashboard(), self.pages))
        self.export = StatsExportForm(self._tr, self._statistics, export_places=export_places)
        export_page = QWidget()
        export_layout = QVBoxLayout(export_page)
        export_layout.setContentsMargins(0, 0, 0, 0)
        export_layout.addWidget(self.export)
        export_layout.addStretch(1)
        self.pages.addWidget(scrolled(export_page, self.pages))
        layout.addWidget(self.pages, 1)

    def _card(self, parent: QWidget) -> tuple[QWidget, QVBoxLayout, QLabel]:
        frame = panel_frame(parent)
        body = QVBoxLayout(frame)
        body.setContentsMargins(18, 12, 18, 16)
        body.setSpacing(8)
        title = label(frame, "sectionTitle")
        body.addWidget(title)
        return frame, body, title

    def _build_dashboard(self) -> QWidget:
        page = QWidget()
        grid = QGridLayout(page)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(14)
        self.problem = label(page, "notice")
        self.problem.hide()
        grid.addWidget(self.problem, 0, 0, 1, 3)

        days, body, self.days_title = self._card(page)
        self.days_summary = label(days, "muted")
        heading = QHBoxLayout()
        heading.setSpacing(16)
        body.removeWidget(self.days_title)
        self.days_title.setWordWrap(False)  # short; the summary beside it wraps instead
        heading.addWidget(self.days_title)
        heading.addWidget(self.days_summary, 1)
        body.insertLayout(0, heading)
        self.days_chart = DayBarChart(days)
        self.days_chart.setMinimumHeight(150)
        body.addWidget(self.days_chart, 1)
        grid.addWidget(days, 1, 0, 1, 2)

        counter, body, self.consultations_title = self._card(page)
        count_row = QHBoxLayout()
        count_row.setSpacing(12)
        self.consultations_today = label(counter, "bigCount", wrap=False)
        self.today_caption = label(counter, "muted")
        # One short word beside the count: the card keeps its height, nothing moves.
        self.confirmation = label(counter, wrap=False)
        self.confirmation.hide()
        count_row.addWidget(self.consultations_today)
        count_row.addWidget(self.today_caption, 1)
        count_row.addWidget(self.confirmation)
        self.consultation = WrappingButton("", counter)
        self.consultation.setObjectName("consultation")
        self.consultation.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.consultation.clicked.connect(self.count_consultation)
        body.addLayout(count_row)
        body.addWidget(self.consultation)
        body.addStretch(1)
        grid.addWidget(counter, 1, 2)

        self.ranked: dict[str, RankedBarChart] = {}
        self.ranked_titles: dict[str, QLabel] = {}
        for column, name in enumerate(("courses", "devices", "languages")):
            card, body, title = self._card(page)
            chart = RankedBarChart(card)
            body.addWidget(chart)
            body.addStretch(1)
            self.ranked[name] = chart
            self.ranked_titles[name] = title
            grid.addWidget(card, 2, column)
        for column in range(3):
            grid.setColumnStretch(column, 1)
        grid.setRowStretch(1, 1)  # spare height goes to the bars of the days
        return page

    # -- pages and figures -----------------------------------------------------------------

    def show_page(self, index: int) -> None:
        """0: the dashboard with the counter; 1: the export for the city."""
        self.pages.setCurrentIndex(index)
        button = self._tabs.button(index)
        if button is not None:
            button.setChecked(True)

    def enter(self) -> None:
        self.show_page(0)
        self.confirmation.hide()
        self.export.reset_to_default()
        self.refresh()
        self.refresh_timer.start()

    def leave(self) -> None:
        self.refresh_timer.stop()
        self._confirm_timer.stop()

    def refresh(self) -> None:
        """Read the figures again and show them."""
        statistics = self._statistics()
        self._problem = ""
        if statistics is None:
            self.dashboard = None
            self._problem = "not_open"
        else:
            try:
                self.dashboard = statistics.dashboard(DASHBOARD_DAYS)
            except StorageError:
                log.exception("the usage dashboard could not be read")
                self.dashboard = None
                self._problem = "failed"
        self._render()

    def _number(self, value: int) -> str:
        return format_count(value, self._tr.current.code)

    def _kind_name(self, kind: str) -> str:
        return self._tr.gettext(KIND_NAMES[kind]) if kind in KIND_NAMES else prettified(kind)

    def _render(self) -> None:
        _ = self._tr.gettext
        code = self._tr.current.code
        dashboard = self.dashboard
        problems = {"not_open": not_open_text(self._tr), "failed": storage_failed(self._tr)}
        self.problem.setText(problems.get(self._problem, ""))
        self.problem.setVisible(bool(self._problem))
        statistics = self._statistics()
        today = statistics.today() if statistics is not None else None
        days = dashboard.days if dashboard is not None else ()
        self.days_chart.set_days(days, today, code=code, number=self._number)
        total = sum(count for _day, count in days)
        self.days_summary.setText(
            # TRANSLATORS: beside "Visitors per day"; {n} visitor sessions, e.g. "326 in the
            # last 14 days"
            self._tr.ngettext(
                "{n} in the last {days} day", "{n} in the last {days} days", DASHBOARD_DAYS
            ).format(n=self._number(total), days=self._number(DASHBOARD_DAYS))
        )
        empty = _("No figures yet")
        rows = {
            "courses": [
                (self._course_title(course), n)
                for course, n in (dashboard.top_courses if dashboard else ())
            ],
            "devices": [
                (self._kind_name(kind), n)
                for kind, n in (dashboard.bookings_by_kind if dashboard else ())
            ],
            "languages": [
                (language_name(lang), n) for lang, n in (dashboard.languages if dashboard else ())
            ],
        }
        for name, chart in self.ranked.items():
            chart.set_rows(rows[name], number=self._number, empty=empty)
        count = dashboard.consultations_today if dashboard is not None else 0
        self.consultations_today.setText(self._number(count) if dashboard is not None else "–")
        self.consultations_today.setAccessibleName(
            self._tr.ngettext(
                "{n} personal consultation today", "{n} personal consultations today", count
            ).format(n=self._number(count))
        )
        self.consultation.setEnabled(dashboard is not None and self._usage() is not None)

    # -- the consultation counter ----------------------------------------------------------

    def count_consultation(self) -> None:
        """Record one personal consultation and show today's new count."""
        usage = self._usage()
        if usage is None:
            return
        if self._last_press.isValid() and self._last_press.elapsed() < self.double_tap_ms:
            return
        self._last_press.start()
        _ = self._tr.gettext
        before = self.dashboard.consultations_today if self.dashboard is not None else 0
        usage.consultation()
        self.refresh()
        after = self.dashboard.consultations_today if self.dashboard is not None else before
        if after > before:
            # TRANSLATORS: one word beside today's number after staff pressed "+1 consultation"
            show_feedback(self.confirmation, "ok", _("Counted"))
            self._confirm_timer.start()
        else:  # said in full across the page: the card has room for one word only
            self.confirmation.hide()
            self.problem.setText(
                _("The consultation could not be counted. Please press the button again.")
            )
            self.problem.show()

    # -- texts -----------------------------------------------------------------------------

    def retranslate_ui(self) -> None:
        _ = self._tr.gettext
        back = _("Back")
        self.back.setText(f"{back_arrow(self.layoutDirection())}  {back}")
        self.back.setAccessibleName(_("Back to the terminal overview"))
        self.title.setText(_("Usage statistics"))
        self.dashboard_tab.setText(_("Overview"))
        self.dashboard_tab.setAccessibleName(_("Usage overview and consultation counter"))
        self.export_tab.setText(_("Export for the city"))
        self.export_tab.setAccessibleName(_("Export the figures for the city"))
        self.days_title.setText(_("Visitors per day"))
        self.days_chart.setAccessibleName(
            self._tr.ngettext(
                "Visitor sessions per day, last {days} day",
                "Visitor sessions per day, last {days} days",
                DASHBOARD_DAYS,
            ).format(days=self._number(DASHBOARD_DAYS))
        )
        self.consultations_title.setText(_("Personal consultations"))
        self.today_caption.setText(_("Today"))
        # TRANSLATORS: the big counter button; keep it short, "+1" stays in front
        self.consultation.set_text(_("+1 consultation"))
        self.consultation.setAccessibleName(_("Count one personal consultation"))
        self.consultation.setAccessibleDescription(
            _("Press once after helping someone in person. Only the number is kept.")
        )
        titles = {
            "courses": _("Courses started most"),
            "devices": _("Bookings by device kind"),
            "languages": _("Languages of the visitors"),
        }
        for name, title in titles.items():
            self.ranked_titles[name].setText(title)
            self.ranked[name].setAccessibleName(title)
        self.export.retranslate_ui()
        self._render()
