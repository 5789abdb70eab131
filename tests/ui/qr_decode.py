"""Reading QR codes back with a real decoder (zxing-cpp), from QImages the kiosk paints."""

from __future__ import annotations

import zxingcpp
from PySide6.QtGui import QImage


def grey_buffer(image: QImage) -> memoryview:
    """The image as rows of 8-bit grey pixels without row padding, shaped (height, width)."""
    grey = image.convertToFormat(QImage.Format.Format_Grayscale8)
    width, height, stride = grey.width(), grey.height(), grey.bytesPerLine()
    raw = bytes(grey.constBits())
    packed = b"".join(raw[row * stride : row * stride + width] for row in range(height))
    return memoryview(packed).cast("B", (height, width))


def decode_qr(image: QImage) -> list[str]:
    """The texts of every QR code zxing-cpp finds in the image."""
    found = zxingcpp.read_barcodes(grey_buffer(image))
    return [barcode.text for barcode in found if barcode.format == zxingcpp.BarcodeFormat.QRCode]


def grey_levels(image: QImage) -> set[int]:
    """Every grey level used in the image (a crisp black-on-white code has exactly two)."""
    return set(grey_buffer(image).tobytes())
