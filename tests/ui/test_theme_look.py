"""The theme as Qt draws it: hints in empty fields are painted in the checked colour."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from kiosk.ui import theme


@pytest.fixture(autouse=True)
def themed(qapp: QApplication) -> Iterator[None]:
    before = qapp.styleSheet()
    theme.apply(qapp)
    yield
    qapp.setStyleSheet(before)


def test_a_fields_hint_is_drawn_at_text_contrast(qtbot: QtBot) -> None:
    field = QLineEdit()
    qtbot.addWidget(field)
    field.setPlaceholderText("for example: Anna")
    field.show()
    qtbot.waitExposed(field)
    drawn = field.palette().color(QPalette.ColorRole.PlaceholderText)
    # Qt's own choice was the text colour at half opacity (about 3.3:1 on white).
    assert drawn.alpha() == 255
    assert drawn == QColor(theme.PLACEHOLDER)
    assert theme.contrast_ratio(drawn.name(), theme.SURFACE) >= 4.5
