"""Exporting the shown day or week as a CSV table and an iCalendar file, to disk or a stick.

Files go to the ``exports`` folder in the terminal's data directory unless staff choose another
folder (a USB stick). Each file is written completely or not at all; the panel shows where it
went, or what went wrong and what to try.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QWidget

from kiosk.core.bookings.export import write_csv, write_ics
from kiosk.core.i18n import Translator, format_date
from kiosk.storage import StorageError
from kiosk.ui.parts.desk_style import action_button, breakable_path, set_tone, storage_failed
from kiosk.ui.parts.screen_base import label
from kiosk.ui.staff.panels import BookingsGetter, DeskPanel

log = logging.getLogger(__name__)


def export_name(first: date, last: date, suffix: str) -> str:
    """``bookings-2026-12-01.csv`` for a day, ``bookings-2026-W49.ics`` for a Monday-to-Sunday
    week (short names fit the screen and sort well on a stick)."""
    if first == last:
        span = first.isoformat()
    elif first.isoweekday() == 1 and (last - first).days == 6:
        year, week, _day = first.isocalendar()
        span = f"{year}-W{week:02d}"
    else:
        span = f"{first.isoformat()}_{last.isoformat()}"
    return f"bookings-{span}{suffix}"


class ExportPanel(DeskPanel):
    """Where exports go, the two export buttons and the folder choice."""

    def __init__(
        self,
        translator: Translator,
        bookings: BookingsGetter,
        parent: QWidget | None = None,
        *,
        data_dir: Path,
        site_name: Callable[[], str],
    ) -> None:
        super().__init__(translator, parent)
        self._bookings = bookings
        self._default_folder = data_dir / "exports"
        self._folder: Path | None = None
        self._site_name = site_name
        self._first = self._last = date.today()
        self.title = label(self.frame, "panelTitle")
        self.span = label(self.frame, "sectionTitle")
        self.folder_label = label(self.frame, "path")
        self.folder_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.csv = action_button(self.frame, "primary")
        self.csv.clicked.connect(self.export_csv)
        self.ics = action_button(self.frame, "primary")
        self.ics.clicked.connect(self.export_ics)
        self.privacy = label(self.frame, "muted")
        self.choose = action_button(self.frame)
        self.choose.clicked.connect(self._choose_folder)
        self.default = action_button(self.frame)
        self.default.clicked.connect(lambda: self.set_folder(None))
        self.message = label(self.frame)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.hide()
        for widget in (
            self.title,
            self.span,
            self.csv,
            self.ics,
            self.message,
            self.folder_label,
            self.choose,
            self.default,
            self.privacy,
        ):
            self.body.addWidget(widget)
        self.retranslate_ui()

    @property
    def folder(self) -> Path:
        """Where the next export goes."""
        return self._folder or self._default_folder

    def set_folder(self, folder: Path | None) -> None:
        """Export to ``folder`` from now on (None: back to the data folder's exports)."""
        self._folder = folder
        self.message.hide()
        self.retranslate_ui()

    def set_span(self, first: date, last: date) -> None:
        """The days the export covers: the day or week on the screen."""
        self._first, self._last = first, last
        self.retranslate_ui()

    def _choose_folder(self) -> None:
        _ = self._tr.gettext
        chosen = QFileDialog.getExistingDirectory(
            self,
            _("Choose the folder for exports"),
            str(self.folder if self.folder.is_dir() else Path.home()),
            QFileDialog.Option.ShowDirsOnly | QFileDialog.Option.DontUseNativeDialog,
        )
        if chosen:
            self.set_folder(Path(chosen))

    def export_csv(self) -> Path | None:
        """Every booking of the span as a table; the path written, or None (the panel says why)."""
        return self._export(".csv")

    def export_ics(self) -> Path | None:
        """The span's active bookings as a calendar file (without names)."""
        return self._export(".ics")

    def _export(self, suffix: str) -> Path | None:
        service = self._bookings()
        if service is None:
            return None
        _ = self._tr.gettext
        folder = self.folder
        try:
            bookings = service.bookings_between(self._first, self._last)
            devices = {device.id: device for device in service.devices}
            stamp = service.now()
        except StorageError:
            log.exception("bookings for an export could not be read")
            set_tone(self.message, "error", storage_failed(self._tr))
            return None
        path = folder / export_name(self._first, self._last, suffix)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            if suffix == ".csv":
                write_csv(path, bookings, devices)
            else:
                write_ics(path, bookings, devices, site_name=self._site_name(), stamp=stamp)
        except OSError as error:
            log.warning("export to %s failed: %s", folder, error)
            missing = isinstance(error, FileNotFoundError) or not folder.is_dir()
            reason = (
                _("the folder does not exist") if missing else _("the folder cannot be written")
            )
            set_tone(
                self.message,
                "error",
                _(
                    "Could not save in this folder ({reason}). Is the USB stick plugged in "
                    "and writable? You can also choose another folder."
                ).format(reason=reason),
            )
            return None
        log.info("bookings exported to %s", path)
        set_tone(self.message, "ok", _("Saved: {file}").format(file=path.name))
        return path

    def retranslate_ui(self) -> None:
        super().retranslate_ui()
        _ = self._tr.gettext
        code = self._tr.current.code
        self.title.setText(_("Export"))
        if self._first == self._last:
            self.span.setText(format_date(self._first, code))
        else:
            self.span.setText(
                f"{format_date(self._first, code)}\u2013{format_date(self._last, code)}"
            )
        self.csv.set_text(_("Export as table (CSV)"))
        self.ics.set_text(_("Export as calendar (.ics)"))
        self.privacy.setText(_("Calendar files hold no names."))
        self.folder_label.setText(_("Folder: {folder}").format(folder=breakable_path(self.folder)))
        self.choose.set_text(_("Choose another folder (USB stick)…"))
        self.default.set_text(_("Back to the data folder"))
        self.default.setVisible(self._folder is not None)
