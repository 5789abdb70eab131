"""What a booking's box on the staff timeline says when it is narrow."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QApplication

from kiosk.ui.staff.paint import fitted_lines


def metrics(qapp: QApplication, *, bold: bool) -> QFontMetrics:
    font = QFont(qapp.font())
    font.setBold(bold)
    return QFontMetrics(font)


def test_a_box_too_narrow_for_the_day_period_still_says_the_time(qapp: QApplication) -> None:
    """A 12-hour time in Arabic ("10:00 ص") did not fit a half-hour box at 1920 px, and the box
    stayed empty; without its day period (the axis above says it) the time fits."""
    bold, plain = metrics(qapp, bold=True), metrics(qapp, bold=False)
    for time, short in (("10:00 ص", "10:00"), ("10:00\u202fAM", "10:00")):
        width = bold.horizontalAdvance(short) + 2
        assert bold.horizontalAdvance(time) > width
        lines = fitted_lines(time, "Anna", "PEA-N3N", width, bold, plain)
        assert lines[0] == (True, short)
    # Where the whole time fits, it is shown whole.
    wide = bold.horizontalAdvance("10:00 ص Anna") + 2
    assert fitted_lines("10:00 ص", "Anna", "PEA-N3N", wide, bold, plain)[0] == (
        True,
        "10:00 ص Anna",
    )
    # A sliver says nothing.
    assert fitted_lines("10:00 ص", "Anna", "PEA-N3N", 8, bold, plain) == []
