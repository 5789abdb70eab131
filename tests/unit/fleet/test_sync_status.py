"""`kiosk sync --status` on a terminal says what the hub delivered: the site config in use,
one waiting, one refused, and the course versions installed."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.config import load_config
from kiosk.core.courses.archive import pack_course
from kiosk.fleet.courses import CourseOffer, CourseStore
from kiosk.fleet.site_config import ConfigStore
from tests.fleet_sites import hub_config_body, joined_site, version_of_course


def test_sync_status_names_the_delivered_config_and_courses(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = joined_site(tmp_path)
    data = tmp_path / "data"
    packed = pack_course(version_of_course(tmp_path, 3))
    CourseStore(data / "fleet" / "courses").install(
        CourseOffer(12, "video-calls", 3, packed.sha256, len(packed.data)), packed.data
    )
    configs = ConfigStore(data / "fleet" / "config")
    local = load_config(config)
    for version, body in (
        (4, hub_config_body("ProbierLaden Jena")),
        (5, hub_config_body("Lobeda")),
        (6, hub_config_body("x").replace("[session]", "[session]\nidle_seconds = -5", 1)),
    ):
        configs.offer(version, hashlib.sha256(body.encode()).hexdigest(), body, local)
        if version == 4:
            configs.apply_pending()

    assert main(["sync", "--config", str(config), "--data-dir", str(data), "--status"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[-4:] == [
        "site config: version 4 from the hub",
        "site config: version 5 waits for a moment without visitors",
        lines[-2],
        "course video-calls: version 3 from the hub (id 12)",
    ]
    assert lines[-2].startswith("site config refused: version 6: site.toml:")
