"""Course tests work in a temporary folder holding courses/video-calls, a good package."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.unit.courses.builders import write_package


@pytest.fixture
def courses(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """`courses`, relative to the current folder, so problems read like on the command line."""
    monkeypatch.chdir(tmp_path)
    root = Path("courses")
    write_package(root)
    return root


@pytest.fixture
def package(courses: Path) -> Path:
    return courses / "video-calls"
