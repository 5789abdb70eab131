"""Leichte Sprache as a visitor reads it: one sentence per line, on screen and on paper."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from PySide6.QtGui import QImage

from kiosk import resources
from kiosk.core.bookings import Booking, BookingStatus, DevicePolicy
from kiosk.core.i18n import LANGUAGE_CODES, Translator
from kiosk.ui.parts.booking_slip import booking_slip
from kiosk.ui.parts.printing import layout_slip

CANCEL = "Cannot come? Cancel at the kiosk with this code."
DEVICE = DevicePolicy(
    id="vr-1", kind="vr-headset", name="VR-Brille", location={"de": "Raum hinten"}
)
BOOKING = Booking(
    id=7,
    code="K7PMR3",
    device_id="vr-1",
    device_kind="vr-headset",
    start=datetime(2026, 12, 1, 15, 0, tzinfo=ZoneInfo("Europe/Berlin")),
    end=datetime(2026, 12, 1, 15, 30, tzinfo=ZoneInfo("Europe/Berlin")),
    name="Zebulon",
    status=BookingStatus.CONFIRMED,
)


def translator(code: str) -> Translator:
    tr = Translator(resources.TRANSLATIONS, LANGUAGE_CODES, "de")
    tr.set_language(code)
    return tr


def test_the_slip_in_leichte_sprache_prints_each_sentence_on_its_own_line(qapp: object) -> None:
    easy = translator("de-x-ls")
    slip = booking_slip(BOOKING, DEVICE, language="de-x-ls", gettext=easy.gettext)
    cancel = easy.gettext(CANCEL)
    sentences = cancel.split("\n")
    assert len(sentences) >= 2, cancel  # the catalogue says it in more than one sentence
    laid_out = layout_slip(slip, QImage(600, 800, QImage.Format.Format_RGB32))
    block = laid_out.lines[slip.lines.index(cancel)].layout
    # Each sentence starts a line of its own (a long one may wrap further).
    starts = {block.lineAt(i).textStart() for i in range(block.lineCount())}
    offsets = [cancel.index(sentence) for sentence in sentences]
    assert set(offsets) <= starts, (offsets, sorted(starts))


def test_the_slip_separates_device_and_place_with_a_bar_not_a_middle_dot() -> None:
    easy = translator("de-x-ls")
    slip = booking_slip(BOOKING, DEVICE, language="de-x-ls", gettext=easy.gettext)
    assert slip.lines[0] == "VR-Brille | \u2068Raum hinten\u2069"
    german = translator("de")
    assert (
        "\n" not in booking_slip(BOOKING, DEVICE, language="de", gettext=german.gettext).lines[-1]
    )
