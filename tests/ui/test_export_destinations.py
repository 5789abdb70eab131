"""Exports go to USB sticks staff tap (or the configured folder), never through a file dialog.

The chooser is shown with a fake mount table and real folders under tmp_path; the exports are
real files, private to the kiosk's user, with names that never replace a file on the stick.
"""

from __future__ import annotations

import re
import stat
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QFileDialog
from pytestqt.qtbot import QtBot

from kiosk import resources
from kiosk.core.i18n import Translator
from kiosk.storage.drives import ExportPlaces
from kiosk.ui.parts.export_places import DestinationChooser, format_size
from kiosk.ui.parts.screen_base import reading_direction
from kiosk.ui.staff.export import ExportPanel
from kiosk.ui.stats.export_form import StatsExportForm
from tests.ui.looks import keep_look

KIOSK = Path(resources.__file__).parent


class Sticks:
    """A fake mount table and the folders it names: sticks are plugged in and pulled out."""

    def __init__(self, tmp_path: Path) -> None:
        self.media = tmp_path / "media"
        self.table = tmp_path / "mounts"
        self.data_dir = tmp_path / "kiosk-home"
        self.data_dir.mkdir()
        self.table.write_text("", encoding="utf-8")
        self.places = ExportPlaces(
            self.data_dir, mount_table=self.table, media_roots=(self.media,), platform="linux"
        )

    def plug(self, *labels: str) -> list[Path]:
        paths = []
        lines = ["/dev/nvme0n1p2 / ext4 rw,relatime 0 0"]
        for number, name in enumerate(labels):
            path = self.media / "probierladen-kiosk" / name
            path.mkdir(parents=True, exist_ok=True)
            paths.append(path)
            lines.append(f"/dev/sd{'abc'[number]}1 {path} vfat rw,nosuid,nodev 0 0")
        self.table.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return paths


@pytest.fixture
def sticks(tmp_path: Path) -> Sticks:
    return Sticks(tmp_path)


@pytest.fixture
def translator() -> Translator:
    return Translator(resources.TRANSLATIONS, default="en")


class FakeBookings:
    """The part of the booking service an export reads (bookings come from core tests)."""

    devices: tuple[object, ...] = ()

    def bookings_between(self, _first: date, _last: date) -> list[object]:
        return []

    def now(self) -> object:
        from datetime import UTC, datetime

        return datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def panel(qtbot: QtBot, translator: Translator, sticks: Sticks) -> Iterator[ExportPanel]:
    widget = ExportPanel(
        translator,
        lambda: FakeBookings(),  # type: ignore[arg-type, return-value]
        export_places=sticks.places,
        site_name=lambda: "Probierladen",
    )
    widget.set_span(date(2026, 12, 1), date(2026, 12, 1))
    widget.chooser._timer.setInterval(20)  # look again quickly
    qtbot.addWidget(widget)
    widget.resize(520, 900)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget


def tap(qtbot: QtBot, button: QAbstractButton) -> None:
    assert button.isVisible() and button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def no_file_dialog_anywhere() -> bool:
    widgets = QApplication.topLevelWidgets()
    return not any(isinstance(w, QFileDialog) for w in widgets) and not any(
        w.findChildren(QFileDialog) for w in widgets
    )


def test_two_sticks_are_offered_and_the_tapped_one_gets_a_private_file(
    qtbot: QtBot, panel: ExportPanel, sticks: Sticks
) -> None:
    first, second = sticks.plug("STICK", "KINGSTON")
    qtbot.waitUntil(lambda: len(panel.chooser.buttons) == 2)
    isolates = str.maketrans("", "", "\u2068\u2069")
    labels = [button.label.text().translate(isolates) for button in panel.chooser.buttons]
    name, free = labels[0].split("\n")
    assert name == "USB stick STICK" and free.endswith(" free")
    assert labels[1].startswith("USB stick KINGSTON\n")
    assert panel.folder == first  # the first one is chosen
    tap(qtbot, panel.chooser.buttons[1])
    assert panel.folder == second
    tap(qtbot, panel.csv)
    written = second / "bookings-2026-12-01.csv"
    assert written.is_file() and mode_of(written) == 0o600
    assert panel.message.text() == "✓  Saved on KINGSTON: bookings-2026-12-01.csv"
    tap(qtbot, panel.csv)  # again: a second file, the first one stays
    assert sorted(p.name for p in second.iterdir()) == [
        "bookings-2026-12-01-2.csv",
        "bookings-2026-12-01.csv",
    ]
    tap(qtbot, panel.ics)
    assert mode_of(second / "bookings-2026-12-01.ics") == 0o600
    assert list(first.iterdir()) == []
    assert panel.findChildren(QFileDialog) == [] and no_file_dialog_anywhere()


def test_without_a_stick_staff_are_asked_to_insert_one_and_it_appears_by_itself(
    qtbot: QtBot, panel: ExportPanel, sticks: Sticks
) -> None:
    assert panel.chooser.buttons == []
    assert panel.chooser.empty.isVisible()
    assert "Insert a USB stick" in panel.chooser.empty.text()
    assert not panel.csv.isEnabled() and not panel.ics.isEnabled()
    assert panel.export_csv() is None
    assert panel.message.text() == "✕  Please insert a USB stick first."
    (stick,) = sticks.plug("STICK")
    qtbot.waitUntil(lambda: len(panel.chooser.buttons) == 1)  # polled while shown
    assert not panel.chooser.empty.isVisible()
    assert panel.csv.isEnabled()
    tap(qtbot, panel.csv)
    assert (stick / "bookings-2026-12-01.csv").is_file()
    # Pulled out: the chooser says so again, and an export finds nowhere to go.
    sticks.plug()
    qtbot.waitUntil(lambda: panel.chooser.buttons == [])
    assert not panel.csv.isEnabled()


def test_a_stick_pulled_out_between_showing_and_tapping_is_noticed(
    qtbot: QtBot, panel: ExportPanel, sticks: Sticks
) -> None:
    sticks.plug("STICK")
    panel.chooser.refresh()
    panel.chooser._timer.stop()  # staff tap before the next look
    sticks.plug()
    assert panel.export_csv() is None
    assert "insert a USB stick" in panel.message.text()


def test_the_data_folder_is_never_a_destination(
    qtbot: QtBot, translator: Translator, tmp_path: Path
) -> None:
    data_dir = tmp_path / "kiosk-home"
    exports = data_dir / "exports"
    exports.mkdir(parents=True)
    places = ExportPlaces(data_dir, folder=exports, mount_table=tmp_path / "none")
    chooser = DestinationChooser(translator, places.destinations)
    qtbot.addWidget(chooser)
    assert chooser.buttons == [] and chooser.chosen is None


def test_the_configured_folder_is_offered_beside_the_sticks(
    qtbot: QtBot, translator: Translator, sticks: Sticks, tmp_path: Path
) -> None:
    office = tmp_path / "office-share"
    office.mkdir()
    sticks.plug("STICK")
    places = ExportPlaces(
        sticks.data_dir,
        folder=office,
        mount_table=sticks.table,
        media_roots=(sticks.media,),
        platform="linux",
    )
    chooser = DestinationChooser(translator, places.destinations)
    qtbot.addWidget(chooser)
    texts = [button.label.text() for button in chooser.buttons]
    assert texts[0].startswith("Folder \u2068office-share\u2069\n")
    assert texts[1].startswith("USB stick \u2068STICK\u2069\n")


def test_the_stats_export_writes_its_folder_onto_the_stick(
    qtbot: QtBot, translator: Translator, sticks: Sticks
) -> None:
    class Statistics:
        k = 5

        def today(self) -> date:
            return date(2026, 12, 10)

        def span(self, first: date, last: date, period: str) -> tuple[date, date, str]:
            return (first, last, period)

        def export(self, _span: object, out: Path, progress: object = None) -> Path:
            from kiosk.storage.files import write_atomically

            folder = out / "usage-2026-11"
            folder.mkdir()
            write_atomically(folder / "usage-statistics.csv", b"table\n", mode=0o644)
            return folder

    statistics = Statistics()
    form = StatsExportForm(translator, lambda: statistics, export_places=sticks.places)  # type: ignore[arg-type, return-value]
    qtbot.addWidget(form)
    form.resize(1200, 800)
    form.show()
    qtbot.waitExposed(form)
    assert not form.export_button.isEnabled()
    assert "Insert a USB stick" in form.chooser.empty.text()
    (stick,) = sticks.plug("STICK")
    form.chooser.refresh()
    assert form.export_button.isEnabled()
    with qtbot.waitSignal(form.exported) as exported:
        tap(qtbot, form.export_button)
    assert Path(exported.args[0]).parent == stick
    assert form.findChildren(QFileDialog) == [] and no_file_dialog_anywhere()


def test_the_kiosk_never_uses_a_file_dialog() -> None:
    """A file dialog lets whoever stands at the kiosk browse, rename and delete files."""
    uses = [
        f"{path.relative_to(KIOSK.parent)}:{number}"
        for path in sorted(KIOSK.rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if re.search(r"\bQFileDialog\b", line)
    ]
    assert uses == []


def test_free_space_is_written_the_languages_way() -> None:
    assert format_size(14_200_000_000, "en") == "14.2\u00a0GB"
    assert format_size(14_200_000_000, "de") == "14,2\u00a0GB"
    assert format_size(850_000_000, "en") == "850\u00a0MB"


# -- how it looks ---------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["de", "en", "ar"])
def test_screenshots_of_the_chooser(
    qtbot: QtBot, panel: ExportPanel, sticks: Sticks, translator: Translator, code: str
) -> None:
    translator.set_language(code)
    panel.setLayoutDirection(reading_direction(translator.current.is_rtl))
    panel.retranslate_ui()
    keep_look(panel, f"bookings-export-none-{code}")
    sticks.plug("STICK", "KINGSTON")
    qtbot.waitUntil(lambda: len(panel.chooser.buttons) == 2)
    panel.retranslate_ui()
    # Big touch targets, once the new buttons are laid out.
    qtbot.waitUntil(lambda: all(min(b.width(), b.height()) >= 48 for b in panel.chooser.buttons))
    keep_look(panel, f"bookings-export-two-{code}")
