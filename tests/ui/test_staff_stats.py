"""Staff statistics as staff use them: the dashboard's figures, the consultation counter and the
export for the city, on a real database filled with synthetic usage, in German, English, Arabic."""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QAbstractButton, QDateEdit, QWidget
from pytestqt.qtbot import QtBot

from kiosk import resources
from kiosk.app import KioskApp
from kiosk.config import SiteConfig, load_config
from kiosk.core.i18n import Translator
from kiosk.core.stats import UsageStatistics
from kiosk.core.stats.demo import synthetic_events
from kiosk.storage.database import Storage
from kiosk.storage.drives import ExportPlaces
from kiosk.terminal import make_usage
from kiosk.ui.shell.screens import Screen
from kiosk.ui.stats.dates import last_month, last_quarter, this_year
from kiosk.ui.stats.export_form import StatsExportForm
from kiosk.ui.stats.screen import StaffStatsScreen, language_name, prettified
from tests.ui.layout_checks import clipped_texts
from tests.ui.running_app import shown_kiosk

COURSES = ("video-calls", "phishing-fake-shops", "safe-passwords", "tablet-first-steps")
EXPORT_FILES = {"usage-statistics.csv", "usage-statistics.json", "dcat-ap-de.ttl"}


@pytest.fixture
def stick(tmp_path: Path) -> Path:
    """The folder `[storage] export_folder` names (outside the data folder), as a stick would."""
    folder = tmp_path / "usb-stick"
    folder.mkdir()
    return folder


@pytest.fixture
def site(stick: Path) -> SiteConfig:
    demo = load_config(resources.DEMO_CONFIG)
    return replace(demo, storage=replace(demo.storage, export_folder=str(stick)))


def unwritable(form: StatsExportForm, stick: Path) -> None:
    """The export folder becomes one that refuses new files, even for root (/proc)."""
    stick.rmdir()
    stick.symlink_to("/proc")
    form.chooser.refresh()


@pytest.fixture
def used_data_dir(site: SiteConfig, data_dir: Path) -> Path:
    """Six weeks of synthetic usage up to today, stored before the kiosk starts (as
    ``kiosk demo-data`` does: at start the kiosk rolls finished days up into daily counts)."""
    storage = Storage.open(data_dir)
    try:
        _events, statistics = make_usage(site, storage)
        kinds = sorted({device.kind for device in site.devices})
        storage.usage.add_events(
            synthetic_events(statistics.today(), 42, courses=COURSES, device_kinds=kinds)
        )
    finally:
        storage.close()
    return data_dir


@pytest.fixture
def kiosk(
    qtbot: QtBot, site: SiteConfig, used_data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[KioskApp]:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    with shown_kiosk(qtbot, site, used_data_dir) as app:
        yield app


def statistics_of(kiosk: KioskApp) -> UsageStatistics:
    statistics = kiosk.desk.statistics
    assert statistics is not None
    return statistics


@pytest.fixture
def screen(kiosk: KioskApp) -> StaffStatsScreen:
    """Staff looking at the statistics, in English (tests that need another language say so)."""
    kiosk.window.enter_staff_mode()
    kiosk.window.set_language("en")
    kiosk.window.show_screen(Screen.STAFF_STATS)
    shown = kiosk.window.screen_widget(Screen.STAFF_STATS)
    assert isinstance(shown, StaffStatsScreen)
    return shown


def click(qtbot: QtBot, button: QAbstractButton) -> None:
    assert button.isVisible() and button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def consultations_stored(kiosk: KioskApp, day: date) -> int:
    storage = kiosk.desk.storage
    assert storage is not None
    rows = storage.usage.counts(
        day.isoformat(), day.isoformat(), kinds=("consultation",), period="day"
    )
    return sum(row.count for row in rows)


# -- the dashboard ---------------------------------------------------------------------------


def test_the_dashboard_shows_the_figures_of_the_data(
    kiosk: KioskApp, screen: StaffStatsScreen
) -> None:
    dashboard = statistics_of(kiosk).dashboard(14)
    assert dashboard.top_courses and dashboard.languages  # the data is there
    assert screen.dashboard == dashboard
    assert screen.days_chart.days == dashboard.days
    assert len(screen.days_chart.values) == 14
    courses = screen.ranked["courses"]
    assert courses.values == [n for _id, n in dashboard.top_courses]
    # Courses by their title in the staff's language (the catalogue's, not the package id).
    language = kiosk.translator.current.code
    titles = {c.id: c.title_in(language) for c in kiosk.window.catalogue}
    assert courses.labels == [
        titles.get(course, prettified(course)) for course, _n in dashboard.top_courses
    ]
    devices = screen.ranked["devices"]
    assert devices.values == [n for _kind, n in dashboard.bookings_by_kind]
    assert "VR headset" in devices.labels  # a shipped kind, named in words
    languages = screen.ranked["languages"]
    assert languages.values == [n for _code, n in dashboard.languages]
    assert languages.labels == [language_name(code) for code, _n in dashboard.languages]
    assert "Deutsch" in languages.labels and "العربية" in languages.labels
    assert screen.consultations_today.text() == str(dashboard.consultations_today)
    total = sum(n for _day, n in dashboard.days)
    assert screen.days_summary.text() == f"{total:,} in the last 14 days"
    # Screen readers hear the numbers, not only the bars.
    top_language, top_count = languages.rows[0]
    assert f"{top_language}: {top_count}" in languages.accessibleDescription()
    busiest = max(dashboard.days, key=lambda pair: pair[1])
    assert f": {busiest[1]}" in screen.days_chart.accessibleDescription()
    assert screen.days_chart.accessibleName()


def test_the_days_are_labelled_in_the_staff_language_and_mirror_in_arabic(
    kiosk: KioskApp, screen: StaffStatsScreen
) -> None:
    today = statistics_of(kiosk).today()
    kiosk.window.set_language("de")
    weekday, short, _value = screen.days_chart.bar_labels()[-1]
    assert short == f"{today.day}.{today.month}."
    german_weekdays = ("Mo.", "Di.", "Mi.", "Do.", "Fr.", "Sa.", "So.")
    assert weekday == german_weekdays[today.weekday()]
    kiosk.window.set_language("ar")
    assert screen.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert screen.days_chart.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert screen.back.text().startswith("→")
    # Refresh keeps reading the same figures; only the words change.
    assert screen.days_chart.values == [n for _day, n in statistics_of(kiosk).dashboard().days]


def test_new_activity_shows_when_staff_come_back(
    qtbot: QtBot, kiosk: KioskApp, screen: StaffStatsScreen
) -> None:
    before = screen.days_chart.values[-1]
    usage = kiosk.desk.usage
    assert usage is not None
    for _ in range(3):
        usage.session_started("uk")
    click(qtbot, screen.back)
    assert kiosk.window.current_screen is Screen.STAFF_HOME
    kiosk.window.show_screen(Screen.STAFF_STATS)
    assert screen.days_chart.values[-1] == before + 3


# -- the consultation counter ----------------------------------------------------------------


def test_the_consultation_button_counts_exactly_one(
    qtbot: QtBot, kiosk: KioskApp, screen: StaffStatsScreen
) -> None:
    today = statistics_of(kiosk).today()
    stored = consultations_stored(kiosk, today)
    assert screen.consultations_today.text() == str(stored)
    click(qtbot, screen.consultation)
    assert consultations_stored(kiosk, today) == stored + 1
    assert screen.consultations_today.text() == str(stored + 1)
    assert screen.dashboard is not None
    assert screen.dashboard.consultations_today == stored + 1
    assert screen.confirmation.isVisible()
    assert "Counted" in screen.confirmation.text()
    # A double tap is one consultation.
    click(qtbot, screen.consultation)
    assert consultations_stored(kiosk, today) == stored + 1
    screen.double_tap_ms = 0
    click(qtbot, screen.consultation)
    assert consultations_stored(kiosk, today) == stored + 2
    assert screen.consultations_today.text() == str(stored + 2)


def test_the_confirmation_goes_away_by_itself(
    qtbot: QtBot, kiosk: KioskApp, screen: StaffStatsScreen
) -> None:
    screen._confirm_timer.setInterval(20)
    click(qtbot, screen.consultation)
    assert screen.confirmation.isVisible()
    qtbot.waitUntil(lambda: not screen.confirmation.isVisible())


# -- the export for the city -----------------------------------------------------------------


def open_export(qtbot: QtBot, screen: StaffStatsScreen) -> None:
    click(qtbot, screen.export_tab)
    assert screen.pages.currentIndex() == 1
    assert screen.export.isVisible()


def test_export_by_clicks_writes_the_folder_and_says_where(
    qtbot: QtBot, kiosk: KioskApp, screen: StaffStatsScreen, stick: Path
) -> None:
    today = statistics_of(kiosk).today()
    form = screen.export
    # The default is the last complete month, counted per month.
    assert (form.first, form.last) == last_month(today)
    assert form.period == "month"
    open_export(qtbot, screen)
    click(qtbot, form.last_quarter)
    assert (form.first, form.last) == last_quarter(today)
    assert form.from_date.date() == qdate(form.first)
    click(qtbot, form.last_month)
    click(qtbot, form.chips["day"])
    assert form.period == "day"
    assert form.folder == stick  # the only destination: chosen
    assert form.chooser.buttons[0].label.text().startswith("Folder \u2068usb-stick\u2069\n")
    seen: list[int] = []
    form.progress.valueChanged.connect(seen.append)
    with qtbot.waitSignal(form.exported) as exported:
        click(qtbot, form.export_button)
    written = Path(exported.args[0])
    assert written.parent == stick
    # The bar moved with the export (fed by its progress callback) and ended full.
    assert len(seen) >= 3 and seen == sorted(seen) and seen[-1] == 100
    assert {path.name for path in written.iterdir()} == EXPORT_FILES
    assert [path for path in stick.iterdir()] == [written]  # no temporary folder left
    assert form.progress.isVisible() and form.progress.value() == 100
    assert form.message.isVisible() and form.message.property("tone") == "ok"
    assert str(written) in form.message.text().replace("\u200a", "")
    with (written / "usage-statistics.csv").open(encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    first, last = last_month(today)
    assert {row["period"] for row in rows} == {"day"}
    starts = {row["period_start"] for row in rows if row["period_start"] != "total"}
    assert min(starts) == first.isoformat() and max(starts) == last.isoformat()


def test_export_never_goes_into_the_data_folder(
    qtbot: QtBot, kiosk: KioskApp, screen: StaffStatsScreen, data_dir: Path, stick: Path
) -> None:
    open_export(qtbot, screen)
    form = screen.export
    click(qtbot, form.last_quarter)
    with qtbot.waitSignal(form.exported) as exported:
        click(qtbot, form.export_button)
    written = Path(exported.args[0])
    assert written.parent == stick
    assert {path.name for path in written.iterdir()} == EXPORT_FILES
    assert not (data_dir / "exports").exists()
    assert not [path for path in data_dir.rglob("usage-statistics.*")]


def test_a_period_ending_before_it_starts_is_refused(
    qtbot: QtBot, kiosk: KioskApp, screen: StaffStatsScreen, data_dir: Path, stick: Path
) -> None:
    open_export(qtbot, screen)
    form = screen.export
    today = statistics_of(kiosk).today()
    published = today.replace(day=1) - timedelta(days=1)  # the end of the last month over
    form.from_date.setDate(qdate(published - timedelta(days=10)))
    form.to_date.setDate(qdate(published - timedelta(days=40)))
    assert form.first > form.last
    with qtbot.assertNotEmitted(form.exported):
        click(qtbot, form.export_button)
    assert form.message.isVisible() and form.message.property("tone") == "error"
    assert "start date is after the end date" in form.message.text()
    assert not form.progress.isVisible()
    assert list(stick.iterdir()) == []
    assert not (data_dir / "exports").exists()
    # Put right, the same click exports.
    form.to_date.setDate(qdate(published))
    assert not form.message.isVisible()  # the old complaint goes with the correction
    with qtbot.waitSignal(form.exported):
        click(qtbot, form.export_button)
    assert len(list(stick.iterdir())) == 1


def test_an_unwritable_folder_shows_the_error_and_writes_nothing(
    qtbot: QtBot, kiosk: KioskApp, screen: StaffStatsScreen, data_dir: Path, stick: Path
) -> None:
    open_export(qtbot, screen)
    form = screen.export
    proc = Path("/proc")  # refuses new files and folders, even for root
    before = set(proc.iterdir())
    unwritable(form, stick)
    with qtbot.assertNotEmitted(form.exported):
        click(qtbot, form.export_button)
    assert form.message.isVisible() and form.message.property("tone") == "error"
    assert "Nothing was exported" in form.message.text()
    assert "the folder cannot be written" in form.message.text()
    assert not form.progress.isVisible()
    assert form.export_button.isEnabled()  # staff can choose another folder and try again
    assert not [path for path in set(proc.iterdir()) - before if "usage" in path.name]
    assert not (data_dir / "exports").exists()


def test_quick_periods() -> None:
    assert last_month(date(2026, 1, 15)) == (date(2025, 12, 1), date(2025, 12, 31))
    assert last_month(date(2026, 3, 1)) == (date(2026, 2, 1), date(2026, 2, 28))
    assert last_quarter(date(2026, 2, 10)) == (date(2025, 10, 1), date(2025, 12, 31))
    assert last_quarter(date(2026, 8, 31)) == (date(2026, 4, 1), date(2026, 6, 30))
    # Up to the last month that is over: only those are published.
    assert this_year(date(2026, 8, 31)) == (date(2026, 1, 1), date(2026, 7, 31))
    first, last = this_year(date(2026, 1, 20))
    assert last < first  # January: no month of the year is over yet (the button is off)


def test_without_a_database_the_screen_says_so(qtbot: QtBot, tmp_path: Path) -> None:
    translator = Translator(resources.TRANSLATIONS, default="en")
    stick = tmp_path / "stick"
    stick.mkdir()
    places = ExportPlaces(tmp_path / "kiosk-home", folder=stick)
    screen = StaffStatsScreen(translator, lambda: None, lambda: None, export_places=places)
    qtbot.addWidget(screen)
    screen.resize(1280, 700)
    screen.show()
    qtbot.waitExposed(screen)
    screen.enter()
    assert screen.problem.isVisible() and "database is not open" in screen.problem.text()
    assert not screen.consultation.isEnabled()
    assert screen.days_chart.values == []
    assert screen.ranked["languages"].accessibleDescription() == "No figures yet"
    screen.show_page(1)
    click(qtbot, screen.export.export_button)
    assert "database is not open" in screen.export.message.text()
    assert list(stick.iterdir()) == []
    screen.leave()


# -- layout ----------------------------------------------------------------------------------


def touch_targets_too_small(root: QWidget) -> list[str]:
    return [
        f"{type(widget).__name__} {widget.accessibleName()!r}: {widget.size()}"
        for widget in root.findChildren(QWidget)
        if isinstance(widget, QAbstractButton | QDateEdit)
        and widget.isVisible()
        and min(widget.width(), widget.height()) < 48
    ]


@pytest.mark.parametrize("size", [(1280, 800), (1920, 1080)])
@pytest.mark.parametrize("code", ["de", "en", "ar"])
def test_no_clipped_text_and_big_targets(
    qtbot: QtBot,
    kiosk: KioskApp,
    screen: StaffStatsScreen,
    code: str,
    size: tuple[int, int],
    stick: Path,
) -> None:
    kiosk.window.resize(*size)
    kiosk.window.set_language(code)
    for page in (0, 1):
        screen.show_page(page)
        assert clipped_texts(kiosk.window) == [], (code, page)
        assert touch_targets_too_small(screen) == [], (code, page)
        # Everything fits without scrolling at these sizes (once the page's layout has settled:
        # the export page's destinations are looked for again while it shows).
        area = screen.pages.currentWidget()
        qtbot.waitUntil(
            lambda area=area: area.widget().height() <= area.viewport().height() + 1,
            timeout=2000,
        )
    screen.show_page(1)
    unwritable(screen.export, stick)
    click(qtbot, screen.export.export_button)  # the longest message there is
    assert clipped_texts(kiosk.window) == [], code


def test_long_translations_still_fit(kiosk: KioskApp, screen: StaffStatsScreen) -> None:
    """Pseudo-translated (every text about 40 % longer): words wrap, nothing is cut off."""
    kiosk.translator.set_pseudo(True)
    try:
        for page in (0, 1):
            screen.show_page(page)
            assert clipped_texts(kiosk.window) == [], page
    finally:
        kiosk.translator.set_pseudo(False)


GERMAN_MONTHS = [
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
]


def test_dates_and_numbers_follow_the_language(kiosk: KioskApp, screen: StaffStatsScreen) -> None:
    kiosk.window.set_language("de")
    form = screen.export
    first, last = last_month(statistics_of(kiosk).today())
    assert form.from_date.text() == f"{first:%d.%m.%Y}"
    month = GERMAN_MONTHS[first.month - 1]
    assert form.span.text() == f"1. {month} {first.year} \u2013 {last.day}. {month} {last.year}"
    kiosk.window.set_language("ar")
    assert str(first.year) in form.from_date.text()  # Latin digits, as every Arabic number here
    assert form.from_date.layoutDirection() == Qt.LayoutDirection.RightToLeft
    kiosk.window.set_language("en")
    assert f"{first:%B} 1, {first.year}" in form.span.text()
