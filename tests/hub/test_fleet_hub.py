"""Course packages and site configs on the hub: `kiosk hub courses publish|list|rollback` and the
terminals' side of it (GET /v1/fleet, the archives, GET /v1/config), against a real PostgreSQL
and a real hub served over HTTP.

A config that tries to set `[hub]` or the staff PIN hash is refused at push: see
test_hub_cli.py (test_config_push_refuses_a_hub_section_at_its_line and
test_config_push_refuses_a_staff_pin_hash_at_its_line).
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest

from kiosk.cli import main as kiosk_main
from kiosk.core.courses import check_courses
from kiosk.core.courses.archive import pack_course, unpack_course
from tests.hub.servers import REPO, add_site, enrol, threaded_hub


def course(tmp_path: Path, course_id: str = "video-calls", *, under: str = "src") -> Path:
    """A copy of a shipped course to publish and change, as its author's version 1 (whatever
    version the shipped copy has reached)."""
    folder = tmp_path / under / course_id
    shutil.copytree(REPO / "courses" / course_id, folder)
    manifest = folder / "course.toml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(re.sub(r"(?m)^version = \d+$", "version = 1", text, count=1), "utf-8")
    return folder


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def new_version(folder: Path, version: int) -> None:
    """A changed package with a raised version, as an author would make it."""
    edit(folder / "course.toml", "version = 1", f"version = {version}")
    edit(folder / "content" / "en.md", "Almost all devices", f"(v{version}) Almost all devices")


def hub(database: str, *args: str | Path) -> list[str]:
    return ["hub", *map(str, args), "--database", database]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[str], list[str]]:
    code = kiosk_main(list(argv))
    out, err = capsys.readouterr()
    return code, out.splitlines(), err.splitlines()


def publish(database: str, *args: str | Path) -> int:
    return kiosk_main(hub(database, "courses", "publish", *args))


def stored(database: str) -> list[tuple[Any, ...]]:
    with psycopg.connect(database) as conn:
        return conn.execute(
            "SELECT id, course_id, version, sha256, sites, withdrawn_at IS NOT NULL "
            "FROM course_packages ORDER BY id"
        ).fetchall()


@pytest.fixture
def sites(hub_database: str, tmp_path: Path) -> str:
    """Sites vhs and library on the hub (configs pushed)."""
    for site in ("vhs", "library"):
        add_site(hub_database, site, tmp_path)
    return hub_database


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


# --- publish ----------------------------------------------------------------------------------


def test_publish_stores_the_canonical_archive_and_says_its_id(
    sites: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = course(tmp_path)
    code, out, err = run(capsys, *hub(sites, "courses", "publish", folder))
    assert (code, err) == (0, [])
    assert out == ["video-calls: version 1 published as id 1 (all sites)"]
    with psycopg.connect(sites) as conn:
        row = conn.execute("SELECT archive, sha256, size, sites FROM course_packages").fetchone()
    assert row is not None
    archive, sha256, size, chosen = bytes(row[0]), row[1], row[2], row[3]
    assert archive == pack_course(folder).data
    assert sha256 == hashlib.sha256(archive).hexdigest() and size == len(archive)
    assert chosen is None
    # What a terminal unpacks passes the checker.
    unpacked = unpack_course(archive, tmp_path / "unpacked", "video-calls")
    assert check_courses([unpacked]).ok


def test_a_broken_package_is_refused_with_its_lines_and_nothing_is_stored(
    sites: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = course(tmp_path, "safe-passwords")
    broken = course(tmp_path)
    edit(broken / "content" / "en.md", "- (x) I call over", "- ( ) I call over")  # no right answer
    edit(broken / "course.toml", 'level = "beginner"', 'level = "expert"')
    expected = [str(problem) for problem in check_courses([broken]).problems]
    assert len(expected) >= 2 and all(line.startswith(f"{broken}/") for line in expected)

    code, out, err = run(capsys, *hub(sites, "courses", "publish", good, broken))
    assert code == 2 and out == []
    assert err == expected  # as `kiosk courses check` prints them, PATH:LINE first
    assert stored(sites) == []  # not even the good package of the same call


def test_a_changed_package_must_raise_its_version(
    sites: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = course(tmp_path)
    assert publish(sites, folder) == 0
    edit(folder / "content" / "en.md", "Almost all devices", "Nearly all devices")
    capsys.readouterr()
    code, out, err = run(capsys, *hub(sites, "courses", "publish", folder))
    assert (code, out) == (2, [])
    assert err == [f"{folder}/course.toml:2: version: raise it above 1 (the newest published)"]
    assert len(stored(sites)) == 1

    edit(folder / "course.toml", "version = 1", "version = 2")
    code, out, _err = run(capsys, *hub(sites, "courses", "publish", folder))
    assert (code, out) == (0, ["video-calls: version 2 published as id 2 (all sites)"])


def test_the_same_content_twice_is_one_publication(
    sites: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = course(tmp_path)
    assert publish(sites, folder) == 0
    (folder / ".DS_Store").write_bytes(b"left by a file manager")  # never packed
    capsys.readouterr()
    code, out, _err = run(capsys, *hub(sites, "courses", "publish", folder))
    assert code == 0
    assert out == ["video-calls: version 1 is published already as id 1 (all sites); nothing new"]
    assert len(stored(sites)) == 1


def test_publish_for_named_sites_and_refuse_an_unknown_one(
    sites: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = course(tmp_path)
    code, out, err = run(
        capsys, *hub(sites, "courses", "publish", folder, "--site", "museum", "--site", "vhs")
    )
    assert (code, out) == (2, [])
    assert err == [
        "hub courses publish: no site 'museum' on this hub: push its config first "
        "(kiosk hub config push)"
    ]
    assert stored(sites) == []
    code, out, _err = run(
        capsys, *hub(sites, "courses", "publish", "--site", "vhs", "--site", "library", folder)
    )
    assert (code, out) == (0, ["video-calls: version 1 published as id 1 (library, vhs)"])
    assert stored(sites)[0][4] == ["library", "vhs"]


def test_publish_takes_a_folder_of_courses(
    sites: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    course(tmp_path, "video-calls")
    course(tmp_path, "safe-passwords")
    code, out, _err = run(capsys, *hub(sites, "courses", "publish", tmp_path / "src"))
    assert code == 0
    assert out == [
        "safe-passwords: version 1 published as id 1 (all sites)",
        "video-calls: version 1 published as id 2 (all sites)",
    ]
    code, _out, err = run(capsys, *hub(sites, "courses", "publish", tmp_path / "nothing"))
    assert code == 2 and err == [f"{tmp_path / 'nothing'}:1: give a course folder (no such folder)"]


# --- list and rollback ------------------------------------------------------------------------


def test_list_shows_versions_sites_and_what_is_offered(
    sites: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _err = run(capsys, *hub(sites, "courses", "list"))
    assert (code, out) == (0, ["no course packages published"])
    folder = course(tmp_path)
    assert publish(sites, folder) == 0  # id 1, all sites
    new_version(folder, 2)
    assert publish(sites, folder, "--site", "vhs") == 0  # id 2, vhs only
    capsys.readouterr()

    code, out, _err = run(capsys, *hub(sites, "courses", "list", "--json"))
    listed = json.loads("\n".join(out))
    assert [
        (item["id"], item["course"], item["version"], item["sites"], item["state"])
        for item in listed
    ] == [(2, "video-calls", 2, ["vhs"], "offered"), (1, "video-calls", 1, None, "offered")]
    assert [item["offered_to"] for item in listed] == [["vhs"], ["library"]]
    assert set(listed[0]) >= {"id", "course", "version", "sites", "published", "state"}

    code, out, _err = run(capsys, *hub(sites, "courses", "list"))
    assert out[0].split() == ["id", "course", "version", "sites", "published", "state"]
    assert out[1].split()[:4] == ["2", "video-calls", "2", "vhs"]
    assert out[1].split()[-1] == "offered"
    assert out[2].split()[:5] == ["1", "video-calls", "1", "all", "sites"]


def test_rollback_by_id_and_by_course_down_to_nothing(
    sites: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = course(tmp_path)
    assert publish(sites, folder) == 0
    new_version(folder, 2)
    assert publish(sites, folder) == 0
    capsys.readouterr()

    code, out, _err = run(capsys, *hub(sites, "courses", "rollback", "2"))
    assert (code, out) == (0, ["video-calls: id 2 withdrawn; sites now get version 1 (id 1)"])
    code, out, _err = run(capsys, *hub(sites, "courses", "rollback", "video-calls"))
    assert (code, out) == (0, ["video-calls: id 1 withdrawn; no version is offered now"])
    assert [row[5] for row in stored(sites)] == [True, True]

    code, out, err = run(capsys, *hub(sites, "courses", "rollback", "video-calls"))
    assert (code, out) == (2, [])
    assert err == ["hub courses rollback: video-calls: no live publication to roll back"]
    code, _out, err = run(capsys, *hub(sites, "courses", "rollback", "1"))
    assert (code, err) == (2, ["hub courses rollback: id 1 is withdrawn already"])
    code, _out, err = run(capsys, *hub(sites, "courses", "rollback", "99"))
    assert code == 2 and err == [
        "hub courses rollback: no publication with id 99 (see kiosk hub courses list)"
    ]
    # A version once published is never used again, also after its rollback.
    code, _out, err = run(capsys, *hub(sites, "courses", "publish", folder))
    assert code == 2 and err[0].endswith("version: raise it above 2 (the newest published)")


def test_rollback_for_one_site_leaves_the_others(
    sites: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = course(tmp_path)
    assert publish(sites, folder) == 0
    new_version(folder, 2)
    assert publish(sites, folder) == 0
    capsys.readouterr()
    code, out, _err = run(
        capsys, *hub(sites, "courses", "rollback", "video-calls", "--site", "vhs")
    )
    assert (code, out) == (
        0,
        ["video-calls: id 2 withdrawn for vhs; vhs now gets version 1 (id 1)"],
    )
    code, out, _err = run(capsys, *hub(sites, "courses", "list", "--json"))
    listed = {item["id"]: item for item in json.loads("\n".join(out))}
    assert (listed[2]["state"], listed[2]["offered_to"], listed[2]["withdrawn_sites"]) == (
        "offered",
        ["library"],
        ["vhs"],
    )
    assert listed[1]["offered_to"] == ["vhs"]

    # A version named for sites is withdrawn once it is rolled back for each of them.
    passwords = course(tmp_path, "safe-passwords")
    assert publish(sites, passwords, "--site", "vhs", "--site", "library") == 0  # id 3
    assert kiosk_main(hub(sites, "courses", "rollback", "3", "--site", "library")) == 0
    assert stored(sites)[2][5] is False
    capsys.readouterr()
    code, out, _err = run(capsys, *hub(sites, "courses", "rollback", "3", "--site", "vhs"))
    assert out == ["safe-passwords: id 3 withdrawn for vhs; vhs is offered no version"]
    assert stored(sites)[2][5] is True
    code, _out, err = run(capsys, *hub(sites, "courses", "rollback", "3", "--site", "museum"))
    assert (code, err) == (2, ["hub courses rollback: no site 'museum' on this hub"])


# --- the terminals' side ----------------------------------------------------------------------


def test_each_terminal_gets_its_site_s_manifest_archives_and_config(
    sites: str, tmp_path: Path
) -> None:
    videos = course(tmp_path)
    passwords = course(tmp_path, "safe-passwords")
    assert publish(sites, videos) == 0  # id 1, all sites
    assert publish(sites, passwords, "--site", "library") == 0  # id 2
    new_version(videos, 2)
    assert publish(sites, videos, "--site", "vhs") == 0  # id 3
    vhs, library = enrol(sites, "vhs", "vhs-1"), enrol(sites, "library", "lib-1")
    with psycopg.connect(sites) as conn:
        configs: dict[str, str] = dict(
            conn.execute("SELECT site, sha256 FROM site_configs WHERE version = 1").fetchall()
        )

    with threaded_hub(sites) as url, httpx.Client(base_url=url, timeout=10) as client:
        seen = {}
        for name, token in (("vhs", vhs), ("library", library)):
            answer = client.get("/v1/fleet", headers=bearer(token))
            assert answer.status_code == 200, answer.text
            seen[name] = answer.json()
            assert seen[name]["config"] == {"version": 1, "sha256": configs[name]}
        assert [(c["course_id"], c["id"], c["version"]) for c in seen["vhs"]["courses"]] == [
            ("video-calls", 3, 2)
        ]
        assert [(c["course_id"], c["id"], c["version"]) for c in seen["library"]["courses"]] == [
            ("safe-passwords", 2, 1),
            ("video-calls", 1, 1),
        ]
        for name, token in (("vhs", vhs), ("library", library)):
            for offer in seen[name]["courses"]:
                archive = client.get(f"/v1/courses/{offer['id']}/archive", headers=bearer(token))
                assert archive.status_code == 200
                assert archive.headers["content-type"] == "application/gzip"
                assert hashlib.sha256(archive.content).hexdigest() == offer["sha256"]
                assert len(archive.content) == offer["size"]
        assert (
            client.get("/v1/courses/3/archive", headers=bearer(vhs)).content
            == pack_course(videos).data
        )
        # Not offered to this site: another site's, superseded, unknown, or withdrawn.
        for token, publication in ((vhs, 2), (vhs, 1), (library, 3), (library, 99)):
            refused = client.get(f"/v1/courses/{publication}/archive", headers=bearer(token))
            assert refused.status_code == 404
            assert refused.json()["error"] == "unknown"
        assert kiosk_main(hub(sites, "courses", "rollback", "2")) == 0
        assert client.get("/v1/courses/2/archive", headers=bearer(library)).status_code == 404
        after = client.get("/v1/fleet", headers=bearer(library)).json()
        assert [c["course_id"] for c in after["courses"]] == ["video-calls"]

        config = client.get("/v1/config", headers=bearer(vhs))
        assert config.status_code == 200
        body = config.json()
        assert (body["version"], body["sha256"]) == (1, configs["vhs"])
        assert hashlib.sha256(body["body"].encode()).hexdigest() == configs["vhs"]

        for path in ("/v1/fleet", "/v1/config", "/v1/courses/3/archive"):
            assert client.get(path).status_code == 401
            assert client.get(path, headers=bearer(vhs + "x")).status_code == 401


def test_a_site_without_a_config_gets_none(hub_database: str) -> None:
    with psycopg.connect(hub_database) as conn:
        conn.execute("INSERT INTO sites (id) VALUES ('new-site')")
    token = enrol(hub_database, "new-site", "new-1")
    with threaded_hub(hub_database) as url, httpx.Client(base_url=url, timeout=10) as client:
        assert client.get("/v1/fleet", headers=bearer(token)).json() == {
            "config": None,
            "courses": [],
        }
        missing = client.get("/v1/config", headers=bearer(token))
        assert missing.status_code == 404 and missing.json()["error"] == "no_config"
