"""The QR widget and image: a real decoder reads back exactly the text, at any size."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from kiosk.ui.parts.qr import QUIET_ZONE_MODULES, QrCodeWidget, qr_image, qr_matrix

from .qr_decode import decode_qr, grey_levels

CODE = "K7PM-R3XJ"


@pytest.fixture
def widget(qtbot: QtBot) -> QrCodeWidget:
    qr = QrCodeWidget(CODE)
    qtbot.addWidget(qr)
    qr.resize(320, 320)
    qr.show()
    qtbot.waitExposed(qr)
    return qr


def test_the_matrix_has_a_quiet_zone_and_is_the_smallest_version() -> None:
    matrix = qr_matrix(CODE)
    assert len(matrix) == 21 + 2 * QUIET_ZONE_MODULES  # version 1: the code is short
    assert all(len(row) == len(matrix) for row in matrix)
    for ring in range(QUIET_ZONE_MODULES):
        assert not any(matrix[ring]) and not any(matrix[-1 - ring])
        assert not any(row[ring] or row[-1 - ring] for row in matrix)


@pytest.mark.parametrize("module_px", [1, 2, 3, 8])
def test_qr_image_decodes_at_every_module_size(qapp: object, module_px: int) -> None:
    image = qr_image(CODE, module_px)

    assert image.size() == QSize(29 * module_px, 29 * module_px)
    assert decode_qr(image) == [CODE]
    assert grey_levels(image) == {0, 255}  # crisp: no antialiased grey edges


def test_a_longer_payload_also_decodes(qapp: object) -> None:
    payload = "https://probierladen.example/b/ACDE-FGHJ?slot=2026-03-02T10:30"
    assert decode_qr(qr_image(payload, 2)) == [payload]


def test_qr_image_needs_at_least_a_pixel_per_module(qapp: object) -> None:
    with pytest.raises(ValueError, match="pixel"):
        qr_image(CODE, 0)


def test_the_widget_shows_a_decodable_black_and_white_code(widget: QrCodeWidget) -> None:
    image = widget.grab().toImage()

    assert decode_qr(image) == [CODE]
    assert grey_levels(image) == {0, 255}
    assert widget.text() == CODE
    assert widget.modules() == 29


def test_the_widget_fills_its_space_in_whole_pixels_per_module(widget: QrCodeWidget) -> None:
    image = widget.grab().toImage().convertToFormat(QImage.Format.Format_Grayscale8)
    dark_columns = [
        x
        for x in range(image.width())
        if any(image.pixelColor(x, y).value() == 0 for y in range(image.height()))
    ]
    # 320 px / 29 modules → 11 px per module; the 21 inner modules span 231 px, centred.
    assert dark_columns[-1] - dark_columns[0] + 1 == 21 * 11
    assert dark_columns[0] == (320 - 29 * 11) // 2 + QUIET_ZONE_MODULES * 11


def test_the_widget_follows_set_text(qtbot: QtBot, widget: QrCodeWidget) -> None:
    widget.set_text("ACDE-FGHJ")
    assert decode_qr(widget.grab().toImage()) == ["ACDE-FGHJ"]

    widget.set_text("")
    assert widget.modules() == 0
    assert grey_levels(widget.grab().toImage()) == {255}


def test_the_widget_is_white_and_unmirrored_whatever_the_theme_and_direction(
    qtbot: QtBot, widget: QrCodeWidget
) -> None:
    widget.setStyleSheet("background: #00566B; color: white;")
    widget.setLayoutDirection(Qt.LayoutDirection.RightToLeft)

    image = widget.grab().toImage()

    assert decode_qr(image) == [CODE]
    assert grey_levels(image) == {0, 255}


def test_the_widget_has_an_accessible_name(widget: QrCodeWidget) -> None:
    assert widget.accessibleName() == CODE
    widget.set_accessible_label("QR code of your resume code")
    assert widget.accessibleName() == f"QR code of your resume code: {CODE}"
    widget.set_text("ACDE-FGHJ")
    assert widget.accessibleName() == "QR code of your resume code: ACDE-FGHJ"


def test_size_hints_are_square_and_big_enough_to_scan(widget: QrCodeWidget) -> None:
    hint = widget.sizeHint()
    assert hint.width() == hint.height() >= 29 * 6
    assert widget.minimumSizeHint().width() >= 29 * 2
    assert widget.heightForWidth(250) == 250
