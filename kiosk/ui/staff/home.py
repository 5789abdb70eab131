"""Staff mode's home: the terminal's health at a glance (later features add their tools here)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

import kiosk
from kiosk.core.i18n import Translator
from kiosk.core.staff import StaffDesk, StaffOverview
from kiosk.ui.parts.screen_base import ScreenBase, label
from kiosk.ui.staff.paint import CONFLICT_SIGN
from kiosk.ui.theme import enable_kinetic_scrolling


class StaffHomeScreen(ScreenBase):
    """Site, version, data directory, database state, backups and the staff log."""

    bookings_requested = Signal()
    """Staff want to run the day's bookings."""
    statistics_requested = Signal()
    """Staff want the usage figures (dashboard, export for the city)."""

    def __init__(
        self,
        translator: Translator,
        desk: StaffDesk,
        parent: QWidget | None = None,
        *,
        courses: Callable[[], tuple[int, list[str]]] = lambda: (0, []),
        conflicts: Callable[[], int] = lambda: 0,
    ):
        """`courses` gives the number of course packages offered and a line per broken one;
        `conflicts` how many bookings of the site need a new time (joined to a hub)."""
        super().__init__(translator, parent)
        self.setObjectName("staffHome")
        self._desk = desk
        self._courses_status = courses
        self._conflicts = conflicts
        self._conflict_count = 0
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 24, 48, 24)
        layout.setSpacing(16)
        self._title = label(self, "title")
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeading)
        self._site_label, self._site = QLabel(self), label(self)
        self._version_label, self._version = QLabel(self), label(self)
        self._data_label, self._data = QLabel(self), label(self)
        self._db_label, self._db = QLabel(self), label(self)
        self._backup_label, self._backup = QLabel(self), label(self)
        self._courses_label, self._courses = QLabel(self), label(self)
        self._hub_label, self.hub = QLabel(self), label(self)
        self._delivered_label, self.delivered = QLabel(self), label(self)
        for name, value in (
            (self._site_label, self._site),
            (self._version_label, self._version),
            (self._data_label, self._data),
            (self._db_label, self._db),
            (self._backup_label, self._backup),
            (self._courses_label, self._courses),
            (self._hub_label, self.hub),
            (self._delivered_label, self.delivered),
        ):
            form.addRow(name, value)
        self._form = form
        self._data.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._events_title = label(self, "subtitle")
        self.events = QListWidget(self)
        self.events.setMinimumHeight(48)  # it scrolls; the figures above must not be squeezed
        enable_kinetic_scrolling(self.events)
        self.bookings = QPushButton(self)
        self.bookings.setObjectName("primary")
        self.bookings.clicked.connect(self.bookings_requested)
        self.statistics = QPushButton(self)
        self.statistics.clicked.connect(self.statistics_requested)
        self.backup = QPushButton(self)
        self.backup.clicked.connect(self._backup_now)
        self._message = label(self, "muted")
        # Bookings that need a new time are the first thing staff should see here.
        self.conflicts = label(self, "notice")
        self.conflicts.hide()
        row = QHBoxLayout()
        row.addWidget(self.bookings)
        row.addWidget(self.statistics)
        row.addWidget(self.backup)
        row.addWidget(self._message, 1)
        layout.addWidget(self._title)
        layout.addLayout(form)
        layout.addWidget(self.conflicts)
        layout.addLayout(row)
        layout.addWidget(self._events_title)
        layout.addWidget(self.events, 1)
        self.retranslate_ui()

    def enter(self) -> None:
        self._message.clear()
        self.refresh()

    def refresh(self) -> None:
        """Read the current figures from the desk."""
        _ = self._tr.gettext
        overview = self._desk.overview()
        self._site.setText(overview.site_name)
        self._version.setText(overview.version or kiosk.__version__)
        self._data.setText(overview.data_dir)
        if not overview.database_ready:
            self._db.setText(_("Opening…"))
        elif overview.database_recovered:
            self._db.setText(
                _("Restored after damage at start; the damaged file was kept aside (see log).")
            )
        else:
            self._db.setText(_("OK"))
        self._backup.setText(
            overview.last_backup.strftime("%Y-%m-%d %H:%M")
            if overview.last_backup
            else _("none yet")
        )
        offered, broken = self._courses_status()
        lines = [
            self._tr.ngettext(
                "{n} course package offered", "{n} course packages offered", offered
            ).format(n=offered)
        ]
        if broken:
            lines.append(_("Not offered to visitors (fix with 'kiosk courses check'):"))
            lines += [f"✕ {line}" for line in broken]
        self._courses.setText("\n".join(lines))
        joined = overview.hub_state != "standalone"
        self._form.setRowVisible(self.hub, joined)
        self._form.setRowVisible(self.delivered, joined)
        if joined:
            self.hub.setText(self._hub_text(overview))
            self.delivered.setText(self._delivered_text(overview))
        self.events.clear()
        for at, kind in overview.events:
            self.events.addItem(f"{at:%Y-%m-%d %H:%M}  {kind}")
        self._conflict_count = self._conflicts() if overview.database_ready else 0
        self._show_conflicts()
        self.backup.setEnabled(overview.database_ready)
        self.bookings.setEnabled(overview.database_ready)
        self.statistics.setEnabled(overview.database_ready)

    def _show_conflicts(self) -> None:
        count = self._conflict_count
        text = self._tr.ngettext(
            "{n} booking needs a new time: move or cancel it under Bookings.",
            "{n} bookings need a new time: move or cancel them under Bookings.",
            count,
        ).format(n=self._tr.number(count))
        self.conflicts.setText(f"{CONFLICT_SIGN} {text}")
        self.conflicts.setVisible(count > 0)

    def _hub_text(self, overview: StaffOverview) -> str:
        """The hub's state in words, with what waits in the outbox when there is something."""
        _ = self._tr.gettext
        state = {
            "starting": _("Connecting…"),
            "online": _("Connected"),
            "offline": _("Not reachable: working offline, nothing is lost"),
            "refused": _("Refused: this terminal must be enrolled again (administrator)"),
            "stopped": _("Not syncing: the token or certificate file is missing (administrator)"),
        }.get(overview.hub_state, overview.hub_state)
        lines = [state]
        if overview.hub_backlog:
            lines.append(
                self._tr.ngettext(
                    "{n} entry waiting to be sent",
                    "{n} entries waiting to be sent",
                    overview.hub_backlog,
                ).format(n=overview.hub_backlog)
            )
        if overview.hub_last_ok is not None:
            last = overview.hub_last_ok.astimezone().strftime("%H:%M:%S")
            lines.append(_("Last sync at {time}").format(time=last))
        return "\n".join(lines)

    def _delivered_text(self, overview: StaffOverview) -> str:
        """The site config and course versions the hub delivered, and a config not taken."""
        _ = self._tr.gettext
        version = overview.hub_config_version
        lines = [
            _("Site settings: this terminal's own file")
            if version is None
            else _("Site settings: version {n}").format(n=self._tr.number(version))
        ]
        if overview.hub_config_problem:
            lines.append(
                "✕ "
                + _("A newer version was not taken (the last good one stays): {reason}").format(
                    reason=overview.hub_config_problem
                )
            )
        for course_id, course_version in overview.hub_courses:
            lines.append(
                _("Course {course}: version {n}").format(
                    course=course_id, n=self._tr.number(course_version)
                )
            )
        if not overview.hub_courses:
            lines.append(_("Courses: those shipped with the kiosk"))
        if overview.hub_courses_problem:
            lines.append(
                "✕ "
                + _("Not installed (the version before stays): {reason}").format(
                    reason=overview.hub_courses_problem
                )
            )
        return "\n".join(lines)

    def _backup_now(self) -> None:
        _ = self._tr.gettext
        made = self._desk.backup_now()
        self._message.setText(_("Backup made at {time}.").format(time=f"{made:%H:%M:%S}"))
        self.refresh()

    def retranslate_ui(self) -> None:
        _ = self._tr.gettext
        self._title.setText(_("Terminal overview"))
        self._site_label.setText(_("Site"))
        self._version_label.setText(_("Version"))
        self._data_label.setText(_("Data folder"))
        self._db_label.setText(_("Database"))
        self._backup_label.setText(_("Last backup"))
        self._courses_label.setText(_("Courses"))
        self._hub_label.setText(_("City network"))
        self._delivered_label.setText(_("From the city network"))
        self._events_title.setText(_("Staff log"))
        self.bookings.setText(_("Bookings"))
        self.bookings.setAccessibleName(_("Today's device bookings"))
        self.statistics.setText(_("Statistics"))
        self.statistics.setAccessibleName(_("Usage statistics and the export for the city"))
        self.backup.setText(_("Back up now"))
        self.backup.setAccessibleName(_("Back up the database now"))
        self._show_conflicts()
        if self.isVisible():
            self.refresh()
