"""Printable slips: real PDFs of the right page size, written all or nothing, QR readable back."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from kiosk.ui.learning.resume_card import render_resume_card_pdf, resume_card
from kiosk.ui.parts.printing import (
    PageFormat,
    Slip,
    SlipTooLongError,
    SlipWriteError,
    layout_slip,
    render_slip_image,
)

from .qr_decode import decode_qr

CODE = "K7PM-R3XJ"
MM = 72 / 25.4  # PDF points per millimetre
LINES = (
    "Mit diesem Code lernen Sie später an jedem Terminal weiter.",
    "Tippen Sie auf „Weiterlernen“ und geben Sie den Code ein.",
    "يمكنك متابعة التعلم لاحقًا باستخدام هذا الرمز.",
    "Der Code enthält keine persönlichen Daten.",
)
TITLE = "Ihr Code zum Weiterlernen"
EXPIRES = "Gültig bis 29. August 2026"


def write_card(path: Path, *, lines: Sequence[str] = LINES, page: str | PageFormat = "a6") -> Path:
    return render_resume_card_pdf(
        path, code=CODE, expires_text=EXPIRES, qr_text=CODE, title=TITLE, lines=lines, page=page
    )


def card(page: str | PageFormat = PageFormat.A6) -> Slip:
    return resume_card(
        code=CODE, expires_text=EXPIRES, qr_text=CODE, title=TITLE, lines=LINES, page=page
    )


def media_boxes(pdf: bytes) -> list[tuple[float, float]]:
    boxes = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)
    return [(float(width), float(height)) for width, height in boxes]


def page_count(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


def files_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_a6_card_is_one_a6_page(qapp: object, tmp_path: Path) -> None:
    path = write_card(tmp_path / "card.pdf")

    pdf = path.read_bytes()
    assert path == tmp_path / "card.pdf"
    assert path.stat().st_mode & 0o777 == 0o644  # readable by the print spooler
    assert pdf.startswith(b"%PDF-")
    assert pdf.rstrip().endswith(b"%%EOF")
    assert page_count(pdf) == 1
    ((width, height),) = media_boxes(pdf)
    assert width == pytest.approx(105 * MM, abs=1.5)
    assert height == pytest.approx(148 * MM, abs=1.5)
    assert files_in(tmp_path) == ["card.pdf"]  # no temporary file left behind


def test_receipt_is_80_mm_wide_and_as_long_as_its_content(qapp: object, tmp_path: Path) -> None:
    short = write_card(tmp_path / "short.pdf", lines=(), page="receipt")
    long = write_card(tmp_path / "long.pdf", page="receipt")

    ((short_width, short_height),) = media_boxes(short.read_bytes())
    ((long_width, long_height),) = media_boxes(long.read_bytes())
    assert short_width == long_width == pytest.approx(80 * MM, abs=1.5)
    assert 60 * MM < short_height < long_height < 160 * MM


def test_the_registered_fonts_are_embedded_arabic_included(qapp: object, tmp_path: Path) -> None:
    pdf = write_card(tmp_path / "card.pdf").read_bytes()

    fonts = set(re.findall(rb"/BaseFont\s*/(?:[A-Z]{6}\+)?([\w-]+)", pdf))
    assert fonts == {b"NotoSans-Bold", b"NotoSans-Regular", b"NotoSansArabicUI-Regular"}


@pytest.mark.parametrize("page", list(PageFormat))
def test_the_qr_on_the_slip_reads_back_as_the_code(qapp: object, page: PageFormat) -> None:
    image = render_slip_image(card(page), dpi=150)

    assert decode_qr(image) == [CODE]
    expected_width_px = (105 if page is PageFormat.A6 else 80) / 25.4 * 150
    assert image.width() == pytest.approx(expected_width_px, abs=2)


def test_a_small_low_resolution_print_still_reads_back(qapp: object) -> None:
    assert decode_qr(render_slip_image(card("receipt"), dpi=72)) == [CODE]


def ink_columns(image: QImage, top: float, bottom: float) -> list[int]:
    grey = image.convertToFormat(QImage.Format.Format_Grayscale8)
    rows = range(int(top), min(int(bottom) + 1, grey.height()))
    return [
        x for x in range(grey.width()) if any(grey.pixelColor(x, y).value() < 128 for y in rows)
    ]


def test_arabic_lines_run_right_to_left_and_others_left_to_right(qapp: object) -> None:
    slip = card()
    image = render_slip_image(slip, dpi=150)
    layout = layout_slip(slip, image)
    german, _, arabic, _ = layout.lines

    assert (german.right_to_left, arabic.right_to_left) == (False, True)
    german_ink = ink_columns(image, german.rect.top(), german.rect.bottom())
    arabic_ink = ink_columns(image, arabic.rect.top(), arabic.rect.bottom())
    margin = german.rect.left()
    # German starts at the left margin; the short Arabic line starts at the right margin.
    assert german_ink[0] - margin < 6
    assert german.rect.right() - arabic_ink[-1] < 6
    assert arabic_ink[0] - margin > 40


def test_far_too_much_text_for_a6_is_refused_and_nothing_is_written(
    qapp: object, tmp_path: Path
) -> None:
    (tmp_path / "card.pdf").write_bytes(b"%PDF-1.4 the previous card")

    with pytest.raises(SlipTooLongError):
        write_card(tmp_path / "card.pdf", lines=LINES * 12)

    assert (tmp_path / "card.pdf").read_bytes() == b"%PDF-1.4 the previous card"
    assert files_in(tmp_path) == ["card.pdf"]


def test_a_folder_that_does_not_exist_raises_and_leaves_nothing(
    qapp: object, tmp_path: Path
) -> None:
    target = tmp_path / "missing" / "card.pdf"

    with pytest.raises(SlipWriteError, match="cannot write"):
        write_card(target)

    assert files_in(tmp_path) == []


def test_a_failure_at_the_last_step_leaves_no_partial_file(qapp: object, tmp_path: Path) -> None:
    (tmp_path / "card.pdf").mkdir()  # a folder where the PDF should go: the rename fails

    with pytest.raises(SlipWriteError, match="cannot write"):
        write_card(tmp_path / "card.pdf")

    assert files_in(tmp_path) == ["card.pdf"]
    assert list((tmp_path / "card.pdf").iterdir()) == []


def test_slip_is_generic_enough_for_a_booking_slip(qapp: object, tmp_path: Path) -> None:
    slip = Slip(
        title="Ihre Buchung: Tablet",
        code="ACDE-FGHJ",
        qr_payload="ACDE-FGHJ",
        note="Mo, 2. März 2026, 10:30–11:00",
        lines=("Bitte kommen Sie 5 Minuten früher.",),
        page=PageFormat.RECEIPT,
    )
    assert decode_qr(render_slip_image(slip)) == ["ACDE-FGHJ"]
