"""The kiosk on a real X server (Xvfb), the way a terminal's display server runs it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


@pytest.fixture
def x_display() -> Iterator[str]:
    xvfb = shutil.which("Xvfb")
    assert xvfb, "Xvfb is installed by packaging/system-deps.sh"
    read_end, write_end = os.pipe()
    server = subprocess.Popen(
        [xvfb, "-displayfd", str(write_end), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        pass_fds=(write_end,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_end)
    with os.fdopen(read_end) as announced:
        number = announced.readline().strip()
    try:
        assert number, "Xvfb did not start"
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_selftest_passes_on_a_real_x_server(x_display: str, tmp_path: Path) -> None:
    env = {
        **os.environ,
        "DISPLAY": x_display,
        "QT_QPA_PLATFORM": "xcb",
        "KIOSK_HOME": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "-m", "kiosk", "selftest"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "platform=xcb" in result.stdout
    assert "startup_ms=" in result.stdout
    for screen in ("attract", "home", "idle_warning", "staff_login", "staff_home"):
        assert f"screen={screen} ok" in result.stdout
