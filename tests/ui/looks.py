"""Pictures of the screens tests build, for people to look at: set KIOSK_TEST_SHOTS=<folder>.

Without the variable nothing is written; the widget is still painted, so a screen that cannot
be drawn fails the test either way.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtWidgets import QWidget


def keep_look(widget: QWidget, name: str) -> None:
    """Paint ``widget``; save it as ``<KIOSK_TEST_SHOTS>/<name>.png`` when that is set."""
    picture = widget.grab()
    assert not picture.isNull()
    folder = os.environ.get("KIOSK_TEST_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        assert picture.save(str(Path(folder) / f"{name}.png"))
