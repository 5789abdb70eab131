"""Staff mode's home: the terminal's health at a glance (later features add their tools here)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

import kiosk
from kiosk.core.courses import BrokenPackage
from kiosk.core.i18n import Translator, format_date, format_time, isolate
from kiosk.core.staff import StaffDesk, StaffOverview
from kiosk.core.staff_log import event_sentence
from kiosk.speech import languages_with_voice_here
from kiosk.ui.parts.printers import send_slip
from kiosk.ui.parts.printing import PageFormat
from kiosk.ui.parts.screen_base import ScreenBase, label
from kiosk.ui.staff.paint import CONFLICT_SIGN
from kiosk.ui.staff.print_check import SlipSender, outcome_text, sample_slip
from kiosk.ui.theme import enable_kinetic_scrolling

# How the terminal words a refused delivery: "version 4: site.toml:12: …; …".
REFUSED_VERSION = re.compile(r"^version (\d+): (.*)$", re.DOTALL)
REASON_SHOWN = 120  # characters; the whole text is in the log and at the hub


def first_reason(text: str) -> str:
    """The first of the '; '-separated problems, short enough for one or two lines."""
    first = text.split("; ", 1)[0]
    return first if len(first) <= REASON_SHOWN else first[: REASON_SHOWN - 1] + "…"


def when(tr: Translator, at: datetime) -> str:
    """A date and time as the staff's language writes them, with its digits ("7. Dezember 2026
    17:01", Persian "۷ دسامبر ۲۰۲۶ ۱۷:۰۱")."""
    code = tr.current.code
    return f"{format_date(at.date(), code)} {format_time(at, code)}"


def language_list(tr: Translator, names: list[str]) -> str:
    """Names joined by the separator the staff's language puts between list items (CLDR's:
    ", ", Persian "،", Arabic " و"): a Latin comma between Arabic or Persian words reads as
    misplaced. Every pair alike, no "and" before the last: the list is a record, not a sentence."""
    from babel import Locale  # imported when staff look here, never for the first frame

    pattern = str(Locale.parse(tr.current.babel_locale).list_patterns["standard"]["middle"])
    return pattern.replace("{0}", "").replace("{1}", "").join(names)


def broken_course_line(tr: Translator, package: BrokenPackage) -> str:
    """A course package not offered: its folder and its first problem in the staff's language,
    and how many more it has (all of them: `kiosk courses check`)."""
    first = package.problems[0].message.translated(tr) if package.problems else ""
    more = len(package.problems) - 1
    if more > 0:
        first = tr.ngettext(
            "{first} (and {n} more problem)", "{first} (and {n} more problems)", more
        ).format(first=first, n=tr.number(more))
    if tr.current.is_rtl:
        # A right-to-left mark first: the line starts with the folder's (Latin) name, which
        # would otherwise make Qt lay the whole line out left to right.
        return f"\u200f{isolate(package.path.name)}: {first}"
    return f"{package.path.name}: {first}"


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
        paper: str = "a6",
        printer: SlipSender = send_slip,
        voices: Callable[[], frozenset[str] | None] = languages_with_voice_here,
    ):
        """`courses` gives the number of course packages offered and a line per broken one;
        `conflicts` how many bookings of the site need a new time (joined to a hub); `paper`
        is the booking slip's ([bookings] slip_paper), which the test print uses; `voices` the
        languages that can be read aloud here (None: no speech engine), asked on each visit."""
        super().__init__(translator, parent)
        self.setObjectName("staffHome")
        self._desk = desk
        self._courses_status = courses
        self._conflicts = conflicts
        self._conflict_count = 0
        self._paper = PageFormat(paper)
        self._printer = printer
        self._voices = voices
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 24, 48, 24)
        layout.setSpacing(16)
        self._title = label(self, "title")
        # A grid rather than a form layout: it gives a wrapped value the height it needs at the
        # width it gets (a form layout sizes it by its preferred width, and cuts lines off).
        form = QGridLayout()
        form.setColumnStretch(1, 1)
        self._site_label, self._site = QLabel(self), label(self)
        self._version_label, self._version = QLabel(self), label(self)
        self._data_label, self._data = QLabel(self), label(self)
        self._db_label, self._db = QLabel(self), label(self)
        self._backup_label, self._backup = QLabel(self), label(self)
        self._courses_label, self.courses = QLabel(self), label(self)
        self._hub_label, self.hub = QLabel(self), label(self)
        self._speech_label, self.speech = QLabel(self), label(self)
        for line, (name, value) in enumerate(
            (
                (self._site_label, self._site),
                (self._version_label, self._version),
                (self._data_label, self._data),
                (self._db_label, self._db),
                (self._backup_label, self._backup),
                (self._courses_label, self.courses),
                (self._hub_label, self.hub),
                (self._speech_label, self.speech),
            )
        ):
            top_leading = Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignTop
            form.addWidget(name, line, 0, top_leading)
            form.addWidget(value, line, 1)
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
        self.test_print = QPushButton(self)
        self.test_print.clicked.connect(self.print_test_slip)
        self.message = label(self, "muted")  # what the last backup or test print did
        # Bookings that need a new time are the first thing staff should see here.
        self.conflicts = label(self, "notice")
        self.conflicts.hide()
        row = QHBoxLayout()
        row.addWidget(self.bookings)
        row.addWidget(self.statistics)
        row.addWidget(self.backup)
        row.addWidget(self.test_print)
        row.addWidget(self.message, 1)
        layout.addWidget(self._title)
        # The figures scroll when they outgrow the screen (a refused delivery adds lines).
        figures = QWidget(self)
        figures.setObjectName("staffFigures")
        figures.setLayout(form)
        form.setContentsMargins(0, 0, 0, 0)
        # Rows closer than the screen's blocks: at 1280×800 every figure then shows unscrolled,
        # also with the taller lines of Arabic and Persian and a broken course listed.
        form.setHorizontalSpacing(layout.spacing())
        form.setVerticalSpacing(layout.spacing() // 2)
        self._figures = QScrollArea(self)
        self._figures.setObjectName("staffFiguresScroll")
        self._figures.setWidgetResizable(True)
        self._figures.setFrameShape(QFrame.Shape.NoFrame)
        self._figures.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # figures only: not a Tab stop
        self._figures.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._figures.setWidget(figures)
        self._figure_rows = figures
        enable_kinetic_scrolling(self._figures)
        layout.addWidget(self._figures, 10)
        layout.addWidget(self.conflicts)
        layout.addLayout(row)
        layout.addWidget(self._events_title)
        layout.addWidget(self.events, 1)
        self.retranslate_ui()

    def enter(self) -> None:
        self.message.clear()
        self.refresh()

    def refresh(self) -> None:
        """Read the current figures from the desk."""
        _ = self._tr.gettext
        overview = self._desk.overview()
        self._site.setText(overview.site_name)
        self._version.setText(self._tr.digits(overview.version or kiosk.__version__))
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
            when(self._tr, overview.last_backup) if overview.last_backup else _("none yet")
        )
        offered, broken = self._courses_status()
        # No count for none: a language's zero form may still carry the number ("(0)").
        lines = [
            self._tr.ngettext(
                "{n} course package offered", "{n} course packages offered", offered
            ).format(n=self._tr.number(offered))
            if offered
            else _("No course packages offered")
        ]
        if broken:
            # The command isolated: in Arabic and Persian its quotes and the brackets around
            # it otherwise change places.
            lines.append(
                _("Not offered to visitors (fix with {command}):").format(
                    command=isolate("'kiosk courses check'")
                )
            )
            lines += [f"✕ {line}" for line in broken]
        joined = overview.hub_state != "standalone"
        if joined:
            lines += self._delivered_courses(overview)
        self.courses.setText("\n".join(lines))
        self._hub_label.setVisible(joined)
        self.hub.setVisible(joined)
        if joined:
            self.hub.setText("\n".join([self._hub_text(overview), *self._site_settings(overview)]))
        self.speech.setText(self._speech_text())
        self._fit_figures()
        self.events.clear()
        for at, kind, detail in overview.events:
            self.events.addItem(f"{when(self._tr, at)}  {event_sentence(self._tr, kind, detail)}")
        self._conflict_count = self._conflicts() if overview.database_ready else 0
        self._show_conflicts()
        self.backup.setEnabled(overview.database_ready)
        self.bookings.setEnabled(overview.database_ready)
        self.statistics.setEnabled(overview.database_ready)

    def _fit_figures(self) -> None:
        """As tall as the figures are at the width they have, while the screen has room; the
        staff log takes the rest."""
        width = self._figures.viewport().width() or self._figure_rows.sizeHint().width()
        self._figures.setMaximumHeight(self._figure_rows.heightForWidth(width) + 2)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_figures()

    def _show_conflicts(self) -> None:
        count = self._conflict_count
        text = self._tr.ngettext(
            "{n} booking needs a new slot: move or cancel it under Bookings.",
            "{n} bookings need a new slot: move or cancel them under Bookings.",
            count,
        ).format(n=self._tr.number(count))
        self.conflicts.setText(f"{CONFLICT_SIGN} {text}")
        self.conflicts.setVisible(count > 0)

    def _speech_text(self) -> str:
        """Which of the site's languages can be read aloud on this terminal."""
        _ = self._tr.gettext
        with_voice = self._voices()  # loads the speech library: only when staff look here
        if with_voice is None:
            return _("No speech engine on this terminal: install espeak-ng (see the guide).")
        # Each name isolated: Arabic and Persian names in a left-to-right list keep their place.
        names = [(lang.code, f"\u2068{lang.native_name}\u2069") for lang in self._tr.languages]
        have = [name for code, name in names if code in with_voice]
        missing = [name for code, name in names if code not in with_voice]
        lines = []
        if have:
            lines.append(
                _("Voices for: {languages}").format(languages=language_list(self._tr, have))
            )
        if missing:
            lines.append(
                _("No voice for: {languages}").format(languages=language_list(self._tr, missing))
            )
        return "\n".join(lines)

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
                ).format(n=self._tr.number(overview.hub_backlog))
            )
        if overview.hub_last_ok is not None:
            last = self._tr.digits(overview.hub_last_ok.astimezone().strftime("%H:%M:%S"))
            lines.append(_("Last sync at {time}").format(time=last))
        return "\n".join(lines)

    def _delivered_courses(self, overview: StaffOverview) -> list[str]:
        """The course versions the hub delivered, and the packages it sent that were refused."""
        _ = self._tr.gettext
        lines = []
        if overview.hub_courses:
            versions = ", ".join(
                _("{course} (version {n})").format(course=course, n=self._tr.number(version))
                for course, version in overview.hub_courses
            )
            lines.append(_("From the city network: {courses}").format(courses=versions))
        if overview.hub_courses_problem:
            lines.append(
                "✕ "
                + _("Not installed (the version before stays): {reason}").format(
                    reason=first_reason(overview.hub_courses_problem)
                )
            )
        return lines

    def _site_settings(self, overview: StaffOverview) -> list[str]:
        """Which site settings are in use, and a newer version from the hub not taken."""
        _ = self._tr.gettext
        version = overview.hub_config_version
        lines = [
            _("Site settings: this terminal's own file")
            if version is None
            else _("Site settings: version {n} from the city network").format(
                n=self._tr.number(version)
            )
        ]
        refused = REFUSED_VERSION.match(overview.hub_config_problem)
        if refused:
            lines.append(
                "✕ "
                + _(
                    "Site settings version {n} not taken (the last good one stays): {reason}"
                ).format(
                    n=self._tr.number(int(refused.group(1))),
                    reason=first_reason(refused.group(2)),
                )
            )
        return lines

    def _backup_now(self) -> None:
        _ = self._tr.gettext
        made = self._desk.backup_now()
        self.message.setText(
            _("Backup made at {time}.").format(time=self._tr.digits(f"{made:%H:%M:%S}"))
        )
        self.refresh()

    def print_test_slip(self) -> None:
        """Print a sample slip on the chosen printer and say what became of it."""
        _ = self._tr.gettext
        site = self._desk.overview().site_name
        outcome = self._printer(
            lambda printer: sample_slip(
                site=site, printer=printer, paper=self._paper, now=datetime.now(), gettext=_
            )
        )
        self.message.setText(outcome_text(outcome, self._paper, _))

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
        self._speech_label.setText(_("Read aloud"))
        self._events_title.setText(_("Staff log"))
        self.events.setAccessibleName(_("Staff log"))
        self.bookings.setText(_("Bookings"))
        self.bookings.setAccessibleName(_("Today's device bookings"))
        self.statistics.setText(_("Statistics"))
        self.statistics.setAccessibleName(_("Usage statistics and the export for the city"))
        self.backup.setText(_("Back up now"))
        self.backup.setAccessibleName(_("Back up the database now"))
        self.test_print.setText(_("Test print"))
        self.test_print.setAccessibleName(_("Print a test slip to check the printer"))
        self._show_conflicts()
        if self.isVisible():
            self.refresh()
