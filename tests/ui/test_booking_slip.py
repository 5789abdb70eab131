"""The booking slip: the QR reads back as the code; texts in the visitor's language; no name."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from kiosk import resources
from kiosk.core.bookings import Booking, BookingStatus, DevicePolicy
from kiosk.core.i18n import LANGUAGE_CODES, Translator
from kiosk.ui.parts.booking_slip import booking_slip, house_rules_text
from kiosk.ui.parts.printing import PageFormat, render_slip_image, write_slip_pdf

from .qr_decode import decode_qr

BERLIN = ZoneInfo("Europe/Berlin")
DEVICE = DevicePolicy(
    id="vr-1", kind="vr-headset", name="VR-Brille", names={"ar": "نظارة الواقع الافتراضي"}
)
BOOKING = Booking(
    id=7,
    code="K7PMR3",
    device_id="vr-1",
    device_kind="vr-headset",
    start=datetime(2026, 12, 1, 15, 0, tzinfo=BERLIN),
    end=datetime(2026, 12, 1, 15, 30, tzinfo=BERLIN),
    name="Zebulon",
    status=BookingStatus.PENDING,
)


def slip_in(language: str, paper: str = "a6"):
    translator = Translator(resources.TRANSLATIONS, LANGUAGE_CODES, language)
    translator.set_language(language)
    rules = {"de": "Bitte sorgsam behandeln.", "en": "Please handle with care."}
    return booking_slip(
        BOOKING,
        DEVICE,
        language=language,
        gettext=translator.gettext,
        house_rules=house_rules_text(rules, language, ("en", "de")),
        fallbacks=("en", "de"),
        paper=paper,
    )


@pytest.mark.parametrize("paper", ["a6", "receipt"])
@pytest.mark.parametrize("language", ["de", "en", "ar"])
def test_the_slip_qr_decodes_to_the_booking_code(qapp: object, language: str, paper: str) -> None:
    slip = slip_in(language, paper)
    assert slip.page is PageFormat(paper)
    assert decode_qr(render_slip_image(slip, dpi=150)) == ["K7P-MR3"]


def test_the_slip_speaks_the_visitors_language_and_names_nobody(qapp: object) -> None:
    german, arabic = slip_in("de"), slip_in("ar")
    assert "Dienstag, 1. Dezember" in german.note and "15:00" in german.note
    assert "VR-Brille" in german.lines[0]
    assert "نظارة الواقع الافتراضي" in arabic.lines[0]
    assert "ديسمبر" in arabic.note  # the month in Arabic
    assert german.lines[-1] == "Bitte sorgsam behandeln."
    assert arabic.lines[-1] == "Please handle with care."  # the fallback chain
    for slip in (german, arabic):
        texts = " ".join((slip.title, slip.code, slip.note, *slip.lines))
        assert "Zebulon" not in texts


def test_the_slip_pdf_is_written(qapp: object, tmp_path: Path) -> None:
    path = write_slip_pdf(tmp_path / "slip.pdf", slip_in("fa"))
    assert path.read_bytes().startswith(b"%PDF")
