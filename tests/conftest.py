"""Shared test setup: GUI tests are marked automatically and every test gets its own data dir."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Tests never need a display; a test that wants a real X server starts Xvfb itself.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parent.parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/ui/" in item.path.as_posix():
            item.add_marker(pytest.mark.gui)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A fresh, empty data directory (what KIOSK_HOME points to on a terminal)."""
    path = tmp_path / "kiosk-home"
    path.mkdir()
    return path
