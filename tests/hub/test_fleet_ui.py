"""The fleet as visitors and staff see it: a course published at the hub shows on two running
kiosks without a restart, a visitor in the middle of it finishes on their version, and a site
config pushed at the hub is taken into use by a running kiosk once nobody is at it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from pytestqt.qtbot import QtBot

from kiosk.app import KioskApp
from kiosk.config import load_config
from kiosk.core.session import EndReason
from kiosk.terminal import site_config_in_use
from kiosk.ui.shell.fleet_watch import FleetWatch
from kiosk.ui.shell.screens import Screen
from kiosk.ui.staff.home import StaffHomeScreen
from tests.fleet_sites import COURSE, version_of_course
from tests.hub.servers import add_site, make_terminal, site_config_text, threaded_hub
from tests.ui.running_app import shown_kiosk

WAIT_MS = 20_000  # the terminals sync every second; a round with a download takes ~0.1 s


def hub_cli(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kiosk", "hub", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "KIOSK_HUB_DATABASE": database_url},
        timeout=60,
        check=False,
    )


def english_title(kiosk: KioskApp) -> str:
    course = kiosk.window.catalogue.get(COURSE)
    assert course is not None
    return course.title_in("en", ())


def watch_of(kiosk: KioskApp) -> FleetWatch:
    watch = kiosk.window.findChild(FleetWatch)
    assert isinstance(watch, FleetWatch)
    return watch


def installed_version(kiosk: KioskApp) -> int | None:
    assert kiosk.desk.courses is not None
    course = kiosk.desk.courses.installed().get(COURSE)
    return None if course is None else course.version


def shows_version(kiosk: KioskApp, version: int) -> bool:
    """Whether the kiosk took the version into use (the watch is asked as its timer would)."""
    watch_of(kiosk).check()
    return english_title(kiosk) == f"Video calls with the family · v{version}"


def test_a_published_course_shows_on_two_running_kiosks_and_a_visitor_keeps_theirs(
    qtbot: QtBot, hub_database: str, tmp_path: Path
) -> None:
    add_site(hub_database, "vhs", tmp_path)
    with threaded_hub(hub_database) as hub:
        a = make_terminal(tmp_path, hub_database, hub, "vhs", "vhs-a")
        b = make_terminal(tmp_path, hub_database, hub, "vhs", "vhs-b")
        with (
            shown_kiosk(qtbot, load_config(a.config), a.data_dir, language="en") as on_a,
            shown_kiosk(qtbot, load_config(b.config), b.data_dir, language="en") as on_b,
        ):
            assert english_title(on_a) == english_title(on_b) == "Video calls with the family"
            published = hub_cli(
                hub_database, "courses", "publish", str(version_of_course(tmp_path, 2))
            )
            assert published.returncode == 0, published.stderr
            qtbot.waitUntil(lambda: shows_version(on_a, 2), timeout=WAIT_MS)
            qtbot.waitUntil(lambda: shows_version(on_b, 2), timeout=WAIT_MS)

            # A visitor on A is in the middle of version 2 when version 3 is published.
            on_a.window.start_session("en")
            on_a.window.open_course(COURSE)
            on_a.window.lesson.go_next()
            published = hub_cli(
                hub_database, "courses", "publish", str(version_of_course(tmp_path, 3))
            )
            assert published.returncode == 0, published.stderr
            qtbot.waitUntil(lambda: shows_version(on_b, 3), timeout=WAIT_MS)
            qtbot.waitUntil(lambda: installed_version(on_a) == 3, timeout=WAIT_MS)
            assert watch_of(on_a).check() == ""
            lesson = on_a.window.lesson
            assert lesson.course is not None and lesson.course.version == 2
            assert lesson.course.folder.is_dir()
            lesson.go_next()
            assert lesson.index == 2

            on_a.window.end_session(EndReason.ENDED_BY_VISITOR)
            assert shows_version(on_a, 3)

            # Staff on A see which version is in use.
            on_a.window.enter_staff_mode()
            on_a.window.set_language("en")
            home = on_a.window.screen_widget(Screen.STAFF_HOME)
            assert isinstance(home, StaffHomeScreen)
            home.refresh()
            assert "From the city network: video-calls (version 3)" in home.courses.text()


def waiting_config(kiosk: KioskApp) -> int | None:
    """The version of the site config that waits for an idle moment (the site's first version
    arrives too, and the newer one takes its place)."""
    assert kiosk.desk.configs is not None
    pending = kiosk.desk.configs.pending()
    return None if pending is None else pending[0]


def test_a_config_pushed_at_the_hub_is_taken_into_use_once_nobody_is_at_the_kiosk(
    qtbot: QtBot, hub_database: str, tmp_path: Path
) -> None:
    add_site(hub_database, "vhs", tmp_path)
    with threaded_hub(hub_database) as hub:
        terminal = make_terminal(tmp_path, hub_database, hub, "vhs", "vhs-a")
        local = load_config(terminal.config)
        taken: list[str] = []
        with shown_kiosk(
            qtbot, local, terminal.data_dir, apply_config=lambda: taken.append("now")
        ) as kiosk:
            kiosk.window.start_session("de")
            pushed = tmp_path / "renamed.toml"
            pushed.write_text(
                site_config_text().replace(
                    'name = "Probierladen Jena"', 'name = "Stadtteilzentrum Lobeda"', 1
                ),
                encoding="utf-8",
            )
            done = hub_cli(hub_database, "config", "push", "--site", "vhs", str(pushed))
            assert done.returncode == 0, done.stderr
            qtbot.waitUntil(lambda: waiting_config(kiosk) == 2, timeout=WAIT_MS)
            assert watch_of(kiosk).check() == "" and taken == []  # a visitor is here
            kiosk.window.end_session(EndReason.ENDED_BY_VISITOR)
            assert watch_of(kiosk).check() == "config" and taken == ["now"]
        # What run_kiosk builds the kiosk anew with: the hub's config, the terminal's [hub].
        config = site_config_in_use(local, terminal.data_dir)
        assert config.site.name == "Stadtteilzentrum Lobeda"
        assert config.hub == local.hub and config.staff.pin_hash == local.staff.pin_hash
