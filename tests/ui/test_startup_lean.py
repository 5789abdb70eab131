"""What the kiosk loads and keeps on its way to the first frame: the speech parts, the key
watcher and the modules' source text come later or go again (start-up time and peak memory)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

# Prints what is loaded and watched when `kiosk run` says it is ready (its first frame shown,
# before the work queued for the turns after it).
AT_FIRST_FRAME = """
import sys
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication
from kiosk.cli import main
real = sys.stdout

class AtReady:
    def write(self, text):
        if text.startswith("ready"):
            loaded = sorted(name for name in sys.modules if name == "ctypes"
                            or name.startswith(("kiosk.ui.shell.speech", "kiosk.speech.espeak")))
            real.write("loaded=" + ",".join(loaded) + "\\n")
            for window in QApplication.topLevelWidgets():
                keys = window.findChild(QObject, "keyboardAccess")
                if keys is not None:
                    real.write(f"keys_watching={getattr(keys, 'watching', None)}\\n")
        return real.write(text)

    def flush(self):
        real.flush()

sys.stdout = AtReady()
sys.exit(main(["run", "--exit-when-ready", "--data-dir", sys.argv[1]]))
"""

# Builds the kiosk with its database open and lists the source files the line cache still holds.
AFTER_OPENING = """
import linecache, sys
from pathlib import Path
from kiosk import resources
from kiosk.app import build_app
from kiosk.config import load_config
app = build_app(load_config(resources.DEMO_CONFIG), Path(sys.argv[1]), open_storage_now=True)
assert app.desk.storage is not None
print("\\n".join(sorted(linecache.cache)))
"""


def _run(script: str, data_dir: Path) -> str:
    result = subprocess.run(
        [sys.executable, "-c", script, str(data_dir)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_the_first_frame_comes_before_speech_and_the_key_watcher(tmp_path: Path) -> None:
    said = _run(AT_FIRST_FRAME, tmp_path / "data").splitlines()
    # Reading aloud, speech mode and the highlight are built on the turn after the first frame;
    # the speech engine (ctypes, espeak-ng) loads on the first thing said.
    assert "loaded=" in said
    # An application-wide Python event filter makes Qt wrap every object and event type it
    # delivers: the keys lent to buttons are watched from the turn after the first frame on.
    assert "keys_watching=False" in said
    assert any(line.startswith("ready") for line in said)


def test_the_line_cache_lets_go_of_the_source_text_read_while_starting(tmp_path: Path) -> None:
    cached = _run(AFTER_OPENING, tmp_path / "data").splitlines()
    # PySide6's import hook reads every module's source; none of the window's or the storage
    # layer's stays in memory once the database is open.
    assert not [name for name in cached if "/kiosk/ui/" in name or "sqlite_utils" in name]
