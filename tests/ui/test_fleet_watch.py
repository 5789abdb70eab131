"""What the hub delivers is taken into use only at an idle moment: a visitor keeps the course
version they started, a new site config waits until nobody is at the terminal, and staff see the
versions in use. The terminal here is joined to a hub that cannot be reached; the deliveries are
installed into its stores as the sync thread would."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from pytestqt.qtbot import QtBot

from kiosk.app import KioskApp
from kiosk.config import load_config
from kiosk.core.courses.archive import pack_course
from kiosk.core.session import EndReason
from kiosk.fleet.courses import CourseOffer
from kiosk.terminal import RUNNING_MARKER
from kiosk.ui.shell.fleet_watch import FleetWatch
from kiosk.ui.shell.screens import Screen
from kiosk.ui.staff.home import StaffHomeScreen
from tests.fleet_sites import COURSE, hub_config_body, joined_site, version_of_course
from tests.ui.layout_checks import clipped_texts
from tests.ui.running_app import shown_kiosk


def install(kiosk: KioskApp, folder: Path, version: int) -> Path:
    """Install a version of the course as the sync thread would; returns its folder."""
    packed = pack_course(version_of_course(folder, version))
    offer = CourseOffer(version, COURSE, version, packed.sha256, len(packed.data))
    assert kiosk.desk.courses is not None
    return kiosk.desk.courses.install(offer, packed.data).folder


def watch_of(kiosk: KioskApp) -> FleetWatch:
    watch = kiosk.window.findChild(FleetWatch)
    assert isinstance(watch, FleetWatch)
    return watch


def title_shown(kiosk: KioskApp) -> str:
    course = kiosk.window.catalogue.get(COURSE)
    assert course is not None
    return course.title_in("en", ())


def test_a_visitor_mid_lesson_finishes_on_the_version_they_started(
    qtbot: QtBot, tmp_path: Path
) -> None:
    site = load_config(joined_site(tmp_path))
    with shown_kiosk(qtbot, site, tmp_path / "data") as kiosk:
        watch = watch_of(kiosk)
        second = install(kiosk, tmp_path, 2)
        assert watch.check() == "courses"  # nobody here: taken into use at once
        assert title_shown(kiosk) == "Video calls with the family · v2"

        window = kiosk.window
        window.start_session("en")
        window.open_course(COURSE)
        lesson = window.lesson
        lesson.go_next()
        assert (lesson.course is not None, window.current_screen) == (True, Screen.LESSON)
        assert lesson.course is not None and lesson.course.version == 2

        third = install(kiosk, tmp_path, 3)
        for _ in range(3):  # however often the watch looks while the visitor is here
            assert watch.check() == ""
        assert lesson.course.version == 2 and lesson.course.folder == second
        assert second.is_dir(), "the version in use stays on disk while the visitor learns"
        lesson.go_next()  # the visitor goes on, pictures and all, on version 2
        assert window.lesson is lesson and lesson.index == 2

        window.end_session(EndReason.ENDED_BY_VISITOR)
        assert watch.check() == "courses"
        assert title_shown(kiosk) == "Video calls with the family · v3"
        assert not second.exists(), "a version nobody uses any more is deleted"
        assert third.is_dir()
        window.start_session("en")
        window.open_course(COURSE)
        assert window.lesson.course is not None and window.lesson.course.version == 3


def test_staff_never_see_a_course_change_under_their_hands_and_see_the_versions(
    qtbot: QtBot, tmp_path: Path
) -> None:
    site = load_config(joined_site(tmp_path))
    with shown_kiosk(qtbot, site, tmp_path / "data", language="en") as kiosk:
        watch = watch_of(kiosk)
        install(kiosk, tmp_path, 4)
        kiosk.window.enter_staff_mode()
        assert watch.check() == ""  # staff are here
        home = kiosk.window.screen_widget(Screen.STAFF_HOME)
        assert isinstance(home, StaffHomeScreen)
        home.refresh()
        assert "From the city network: video-calls (version 4)" in home.courses.text()
        assert "Site settings: this terminal's own file" in home.hub.text()
        assert home.hub.isVisible()
        kiosk.window.leave_staff_mode()
        assert watch.check() == "courses"


def offer_config(kiosk: KioskApp, version: int, body: str) -> str:
    assert kiosk.desk.configs is not None
    digest = hashlib.sha256(body.encode("utf-8")).hexdigest()
    return kiosk.desk.configs.offer(version, digest, body, kiosk.config)


def test_a_new_site_config_waits_until_nobody_is_at_the_terminal(
    qtbot: QtBot, tmp_path: Path
) -> None:
    site = load_config(joined_site(tmp_path))
    applied: list[str] = []
    with shown_kiosk(
        qtbot, site, tmp_path / "data", apply_config=lambda: applied.append("now")
    ) as kiosk:
        watch = watch_of(kiosk)
        kiosk.window.start_session("de")
        assert offer_config(kiosk, 2, hub_config_body("Stadtbibliothek")) == ""
        assert watch.check() == "" and applied == []
        kiosk.window.end_session(EndReason.ENDED_BY_VISITOR)
        assert watch.check() == "config" and applied == ["now"]


def test_the_sites_config_the_kiosk_already_runs_with_is_taken_without_a_rebuild(
    qtbot: QtBot, tmp_path: Path
) -> None:
    site = load_config(joined_site(tmp_path))
    applied: list[str] = []
    with shown_kiosk(
        qtbot, site, tmp_path / "data", apply_config=lambda: applied.append("now")
    ) as kiosk:
        # The site's config on the hub is the file this terminal was set up with.
        assert offer_config(kiosk, 1, hub_config_body("Probierladen Jena")) == ""
        assert watch_of(kiosk).check() == "courses" and applied == []
        assert kiosk.desk.configs is not None
        assert kiosk.desk.configs.applied() is not None and not kiosk.desk.config_waiting()


def test_staff_see_why_a_config_from_the_hub_was_not_taken(qtbot: QtBot, tmp_path: Path) -> None:
    site = load_config(joined_site(tmp_path))
    with shown_kiosk(qtbot, site, tmp_path / "data", language="en") as kiosk:
        broken = hub_config_body("x").replace("[session]", "[session]\nidle_seconds = -5", 1)
        problem = offer_config(kiosk, 3, broken)
        assert problem.startswith("version 3: ")
        kiosk.window.enter_staff_mode()
        home = kiosk.window.screen_widget(Screen.STAFF_HOME)
        assert isinstance(home, StaffHomeScreen)
        home.refresh()
        shown = home.hub.text().splitlines()[-1]
        assert shown.startswith(
            "✕ Site settings version 3 not taken (the last good one stays): site.toml:"
        ), shown
        assert "idle_seconds" in shown and len(shown) < 200
        # However long the lines grow, none is cut off: the figures scroll instead.
        home.conflicts.setText("⚠ " + "Eine Buchung braucht eine neue Zeit. " * 2)
        home.conflicts.show()
        for language in ("de", "ar", "ru", "en"):
            kiosk.window.set_language(language)
            assert clipped_texts(kiosk.window) == [], language


def test_a_crash_is_noticed_at_the_next_start_and_a_clean_end_leaves_nothing(
    qtbot: QtBot, tmp_path: Path
) -> None:
    site = load_config(joined_site(tmp_path))
    data = tmp_path / "data"
    data.mkdir()
    (data / RUNNING_MARKER).touch()  # left by a kiosk that lost its power
    with shown_kiosk(qtbot, site, data) as kiosk:
        crash = kiosk.desk.facts["last_crash"]
        assert crash is not None and crash.endswith("+00:00")
        assert (data / RUNNING_MARKER).exists()
        assert kiosk.desk.facts["printer"] in {"ready", "busy", "error", "none"}
        kiosk.desk.mark_stopped()
    assert not (data / RUNNING_MARKER).exists()
    with shown_kiosk(qtbot, site, data) as kiosk:
        # Remembered in the database: reported until a newer crash replaces it.
        assert kiosk.desk.facts["last_crash"] == crash


RELOADING_KIOSK = textwrap.dedent(
    """
    import hashlib, sys
    from pathlib import Path
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    from kiosk.app import ensure_qt_app, run_kiosk
    from kiosk.config import load_config
    from kiosk.fleet.site_config import ConfigStore
    from kiosk.logs import start_logging
    from kiosk.terminal import site_config_in_use

    config_file, data, body_file = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
    local = load_config(config_file)
    titles = []

    def offer():
        body = body_file.read_text(encoding="utf-8")
        digest = hashlib.sha256(body.encode()).hexdigest()
        ConfigStore(data / "fleet" / "config").offer(2, digest, body, local)

    def config_in_use():
        config = site_config_in_use(local, data)
        titles.append(config.site.name)
        QTimer.singleShot(500, lambda: titles.append(
            QApplication.activeWindow().windowTitle() if QApplication.activeWindow() else
            [w.windowTitle() for w in QApplication.topLevelWidgets() if w.isVisible()][0]))
        QTimer.singleShot(800, QApplication.quit)
        return config

    start_logging(data)
    ensure_qt_app()
    QTimer.singleShot(300, offer)
    code = run_kiosk(site_config_in_use(local, data), data, config_in_use=config_in_use)
    print("RESULT", code, titles)
    """
)


def test_the_running_kiosk_is_built_anew_with_a_new_config_at_an_idle_moment(
    tmp_path: Path,
) -> None:
    config = joined_site(tmp_path)
    body = tmp_path / "body.toml"
    body.write_text(hub_config_body("Stadtteilzentrum Lobeda"), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-c", RELOADING_KIOSK, str(config), str(tmp_path / "data"), str(body)],
        capture_output=True,
        text=True,
        timeout=90,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        check=False,
    )
    assert "RESULT 0 ['Stadtteilzentrum Lobeda', 'Stadtteilzentrum Lobeda']" in done.stdout, (
        done.stdout + done.stderr[-3000:]
    )
    log = (tmp_path / "data" / "logs" / "kiosk.log").read_text(encoding="utf-8")
    assert "the kiosk is built anew with the site config from the hub" in log
