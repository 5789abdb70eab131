"""Exporting the shown day or week as a CSV table and an iCalendar file onto a USB stick.

Staff tap one of the plugged-in sticks (or the configured export folder); there is no file
dialog and no default inside the data folder, where a list of names would outlive their purge.
Each file is new (a unique name, never replacing one), private to the kiosk's user, and written
completely or not at all; the panel shows where it went, or what went wrong and what to try.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from kiosk.core.bookings.export import write_csv, write_ics
from kiosk.core.i18n import Translator, format_date
from kiosk.storage import StorageError
from kiosk.storage.drives import ExportPlaces, unique_path
from kiosk.ui.parts.desk_style import action_button, set_tone, storage_failed
from kiosk.ui.parts.export_places import DestinationChooser
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
    """Where exports go (one button per USB stick), the two export buttons and the outcome."""

    def __init__(
        self,
        translator: Translator,
        bookings: BookingsGetter,
        parent: QWidget | None = None,
        *,
        export_places: ExportPlaces,
        site_name: Callable[[], str],
    ) -> None:
        super().__init__(translator, parent)
        self._bookings = bookings
        self._places = export_places
        self._site_name = site_name
        self._first = self._last = date.today()
        self.title = label(self.frame, "panelTitle")
        self.span = label(self.frame, "sectionTitle")
        self.chooser = DestinationChooser(translator, export_places.destinations, self.frame)
        self.chooser.changed.connect(self._destinations_changed)
        self.csv = action_button(self.frame, "primary")
        self.csv.clicked.connect(self.export_csv)
        self.ics = action_button(self.frame, "primary")
        self.ics.clicked.connect(self.export_ics)
        self.privacy = label(self.frame, "muted")
        self.message = label(self.frame)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.hide()
        for widget in (
            self.title,
            self.span,
            self.chooser,
            self.csv,
            self.ics,
            self.message,
            self.privacy,
        ):
            self.body.addWidget(widget)
        self._destinations_changed()
        self.retranslate_ui()

    @property
    def folder(self) -> Path | None:
        """Where the next export goes: the chosen stick or folder (None: none is plugged in)."""
        chosen = self.chooser.chosen
        return chosen.path if chosen is not None else None

    def _destinations_changed(self) -> None:
        there = self.chooser.chosen is not None
        self.csv.setEnabled(there)
        self.ics.setEnabled(there)

    def set_span(self, first: date, last: date) -> None:
        """The days the export covers: the day or week on the screen."""
        self._first, self._last = first, last
        self.retranslate_ui()

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
        self.chooser.refresh()  # the stick may have been pulled out since it was shown
        folder = self.folder
        if folder is None or self._places.refuses(folder):
            set_tone(self.message, "error", _("Please insert a USB stick first."))
            return None
        try:
            bookings = service.bookings_between(self._first, self._last)
            devices = {device.id: device for device in service.devices}
            stamp = service.now()
        except StorageError:
            log.exception("bookings for an export could not be read")
            set_tone(self.message, "error", storage_failed(self._tr))
            return None
        try:
            path = unique_path(folder, export_name(self._first, self._last, suffix))
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
                    "Could not save there ({reason}). Is the USB stick plugged in and writable?"
                ).format(reason=reason),
            )
            return None
        log.info("bookings exported to %s", path)
        chosen = self.chooser.chosen
        place = chosen.label if chosen is not None else folder.name
        set_tone(
            self.message, "ok", _("Saved on {place}: {file}").format(place=place, file=path.name)
        )
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
        self.privacy.setText(
            _(
                "Calendar files hold no names. A table holds visitors' names: take the USB "
                "stick with you and delete the file when it is no longer needed."
            )
        )
        self.chooser.retranslate_ui()
