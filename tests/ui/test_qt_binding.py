"""The Qt binding must not leak or over-release references: a kiosk runs for weeks."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QPushButton


def test_void_calls_keep_the_refcount_of_none(qtbot) -> None:  # type: ignore[no-untyped-def]
    # PySide6 6.12.0 released a reference to None on every call returning void; on Python
    # before 3.12 None's count reaches zero and the interpreter aborts mid-session.
    button = QPushButton()
    qtbot.addWidget(button)
    font = button.font()
    before = sys.getrefcount(None)
    for _ in range(5000):
        button.setFont(font)
        font.setPointSizeF(18.0)
        button.setText("x")
    assert sys.getrefcount(None) - before > -100
