"""What `kiosk courses check` says about paths that are not course folders, FILE:LINE exactly."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.core.courses import check_courses, validate


def lines(*paths: Path) -> list[str]:
    return [str(problem) for problem in check_courses(list(paths)).problems]


def test_a_file_that_is_not_a_manifest_is_refused(courses: Path) -> None:
    notes = courses / "notes.txt"
    notes.write_text("not a course\n", encoding="utf-8")
    result = check_courses([notes])
    assert lines(notes) == ["courses/notes.txt:1: give a course folder or the courses folder"]
    assert result.courses_ok == 0 and not result.ok


def test_a_manifest_stands_for_its_course(package: Path) -> None:
    manifest = next(package.glob("*.toml"))
    result = check_courses([manifest])
    assert result.problems == () and result.courses_ok == 1


def test_an_unreadable_courses_folder_is_a_problem_not_a_crash(
    courses: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Permissions cannot make a folder unreadable for root (as CI containers run the tests), so
    # the listing fails here the way os.scandir fails on a folder without read permission.
    def unreadable(path: Path) -> list[Path]:
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(validate, "find_packages", unreadable)
    result = check_courses([courses])
    assert lines(courses) == ["courses:1: cannot read the folder: Permission denied"]
    assert result.courses_ok == 0
