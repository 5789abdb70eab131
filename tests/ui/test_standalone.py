"""A terminal that stands alone (no [hub]) loads nothing of the network: no HTTP client, no
sync thread, and queues nothing for a hub."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = """
import sys, tempfile
from pathlib import Path
from kiosk import resources
from kiosk.app import build_app
from kiosk.config import load_config
app = build_app(load_config(resources.DEMO_CONFIG), Path(sys.argv[1]), open_storage_now=True)
assert app.desk.storage is not None and app.desk.sync is None
loaded = sorted(name for name in sys.modules if name.split(".")[0] in ("httpx", "httpcore")
                or name.startswith("kiosk.sync") or name.startswith("kiosk.hub"))
print(",".join(loaded))
"""


def test_a_terminal_standing_alone_loads_no_network_code(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path / "data")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""
