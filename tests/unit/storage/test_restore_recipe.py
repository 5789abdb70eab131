"""The administrator guide's restore recipe, run against a data folder in a temporary directory.

The lines are taken from packaging/README.md as written; only what needs root or the installed
kiosk is replaced (the data folder's path, `sudo -u` of the kiosk user, systemctl, the admin
command), so the test follows the guide when the guide changes.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from pathlib import Path

from kiosk.storage.database import Storage

from .conftest import FakeClock

GUIDE = Path(__file__).resolve().parents[3] / "packaging" / "README.md"
INSTALLED_DATA_DIR = "/var/lib/probierladen-kiosk"


def recipe() -> list[str]:
    """The shell lines of the guide's restore recipe."""
    text = GUIDE.read_text(encoding="utf-8")
    block = re.search(r"```sh\n# restore-recipe[^\n]*\n(.*?)```", text, re.DOTALL)
    assert block is not None, "the guide's restore recipe is missing"
    return block.group(1).strip().splitlines()


def runnable(line: str, data_dir: Path) -> str:
    line = line.replace(INSTALLED_DATA_DIR, str(data_dir))
    line = line.replace("sudo -u probierladen-kiosk ", "")
    return re.sub(r"^sudo (systemctl|probierladen-kiosk-admin) .*$", ":", line)


def test_the_recipe_uses_the_installed_paths_and_acts_as_the_kiosk_user() -> None:
    lines = recipe()
    assert lines[0] == "sudo systemctl stop probierladen-kiosk"
    assert lines[-1] == "sudo systemctl start probierladen-kiosk"
    for line in lines[1:-2]:
        assert line.startswith("sudo -u probierladen-kiosk ")
        # Absolute paths only: sudo does not keep the administrator's working directory in mind.
        for word in line.split()[3:]:
            if "/" in word and not word.startswith("-"):
                assert word.startswith(INSTALLED_DATA_DIR), word
    install = (GUIDE.parents[0] / "linux" / "install.sh").read_text(encoding="utf-8")
    assert f"DATA_DIR={INSTALLED_DATA_DIR}\n" in install
    assert "KIOSK_USER=probierladen-kiosk\n" in install


def test_the_recipe_restores_the_chosen_backup(
    data_dir: Path, open_storage: Callable[..., Storage], clock: FakeClock
) -> None:
    clock.current = clock.current.replace(day=9, hour=10, minute=14)
    with open_storage() as storage:
        storage.settings.set("state", "in the backup")
        clock.advance(minutes=1)  # staff press "Back up now" at 10:15
        chosen = storage.backup_now()
        assert chosen.name == "kiosk-20260309-101500.sqlite3"
        storage.settings.set("state", "after the backup")
    # A write-ahead log left by a kiosk that was killed must go with the replaced database.
    (data_dir / "kiosk.sqlite3-wal").write_bytes(b"frames of the replaced database")

    script = "\n".join(["set -eu", *(runnable(line, data_dir) for line in recipe())])
    subprocess.run(["bash", "-c", script], check=True, timeout=30)

    assert sorted(p.name for p in (data_dir / "replaced").iterdir()) == [
        "kiosk.sqlite3",
        "kiosk.sqlite3-wal",
    ]
    assert not (data_dir / "kiosk.sqlite3-wal").exists()
    with open_storage() as storage:
        assert storage.report.recovered is False
        assert storage.settings.get("state") == "in the backup"
