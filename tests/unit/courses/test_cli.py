"""`kiosk courses check [PATH ...]` and the course part of `kiosk check`."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk import resources
from kiosk.cli import EXIT_FAILED, EXIT_OK, EXIT_USAGE, main
from tests.unit.courses.builders import edit, write_package


def test_good_courses_exit_0_with_a_summary(
    courses: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_package(courses, "second")
    assert main(["courses", "check", "courses"]) == EXIT_OK
    assert capsys.readouterr().out == "2 courses OK\n"
    assert main(["courses", "check", "courses/second"]) == EXIT_OK
    assert capsys.readouterr().out == "1 course OK\n"


def test_problems_exit_1_one_line_each(package: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(package / "content" / "de.md", "- (x) Ein Gerät", "- ( ) Ein Gerät")
    assert main(["courses", "check", str(package)]) == EXIT_FAILED
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "courses/video-calls/content/de.md:19: the quiz has no correct answer; mark it with (x)",
        "courses/video-calls/content/en.md:18: the answers differ from de.md: "
        "there ( ) ( ), here (x) ( )",
    ]


def test_several_paths_and_a_missing_one(courses: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["courses", "check", "courses", "nowhere"]) == EXIT_FAILED
    assert capsys.readouterr().out == "nowhere:1: no such file or folder\n"


def test_default_is_the_shipped_courses_folder(
    courses: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(resources, "COURSES", courses.absolute())
    assert main(["courses", "check"]) == EXIT_OK
    assert capsys.readouterr().out == "1 course OK\n"
    (courses / "video-calls" / "course.toml").unlink()
    assert main(["courses", "check"]) == EXIT_FAILED
    assert capsys.readouterr().out.startswith("courses/video-calls/course.toml:1: ")


def test_default_follows_the_site_config(courses: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = Path("site")
    site.mkdir()
    (site / "site.toml").write_text('[learning]\ncourses_dir = "../courses"\n')
    assert main(["courses", "check", "--config", "site/site.toml"]) == EXIT_OK
    assert capsys.readouterr().out == "1 course OK\n"


def test_courses_without_a_verb_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["courses"]) == EXIT_USAGE
    assert "kiosk courses check" in capsys.readouterr().err


def test_kiosk_check_includes_the_courses(
    courses: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (Path("site.toml")).write_text('[learning]\ncourses_dir = "courses"\n')
    args = ["check", "--config", "site.toml", "--data-dir", str(data_dir)]
    assert main(args) == EXIT_OK
    assert capsys.readouterr().out.strip().endswith(": ok")
    (courses / "video-calls" / "images" / "call.svg").unlink()
    assert main(args) != EXIT_OK
    err = capsys.readouterr().err.splitlines()
    assert "courses/video-calls/content/de.md:11: image not found: images/call.svg" in err


def test_a_courses_folder_without_courses_is_fine(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "README.md").write_text("courses will come")
    assert main(["courses", "check", str(tmp_path)]) == EXIT_OK
    assert capsys.readouterr().out == "0 courses OK\n"
