"""Staff mode's test print: a sample slip without personal data, and what became of it in words.

Staff print it after setting up a printer (see the administrator guide's printers section): it
shows the site, the date and time, the paper the site config asks for and the printer the kiosk
chose, and its QR code holds the word TEST, so the desk scanner can be tried on it too.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from kiosk.ui.parts.printers import PrintOutcome, not_printed_text
from kiosk.ui.parts.printing import PageFormat, Slip

Gettext = Callable[[str], str]
SlipSender = Callable[[Callable[[str], Slip]], PrintOutcome]
"""Prints the slip made for the chosen printer's name (kiosk.ui.parts.printers.send_slip)."""

SAMPLE_CODE = "TEST"


def paper_name(paper: PageFormat, gettext: Gettext) -> str:
    """The paper in words, e.g. "A6 (105 × 148 mm)"."""
    _ = gettext
    if paper is PageFormat.RECEIPT:
        return _("receipt roll, 80 mm wide")
    return _("A6 (105 × 148 mm)")


def sample_slip(
    *, site: str, printer: str, paper: PageFormat, now: datetime, gettext: Gettext
) -> Slip:
    """The sample slip: nothing on it is about a visitor."""
    _ = gettext
    return Slip(
        title=_("Test print"),
        code=SAMPLE_CODE,
        qr_payload=SAMPLE_CODE,
        note=f"{now:%Y-%m-%d %H:%M}",
        lines=(
            site,
            _("Paper: {paper}").format(paper=paper_name(paper, gettext)),
            _("Printer: {printer}").format(printer=printer),
            _("If this slip is complete and the QR code scans as TEST, printing works."),
        ),
        page=paper,
    )


def outcome_text(outcome: PrintOutcome, paper: PageFormat, gettext: Gettext) -> str:
    """What became of the test print, for staff: a ✓ or ✕ and one or two plain sentences."""
    _ = gettext
    if outcome.printed:
        text = _("Test slip sent to {printer} on {paper}.").format(
            printer=outcome.printer, paper=paper_name(paper, gettext)
        )
        if not outcome.paper_set:
            text += " " + _(
                "The printer did not take this paper size: set it in the printer's settings "
                "(administrator guide, Printers)."
            )
        return f"✓ {text}"
    too_long = _("Not printed: the test slip does not fit on this paper.")
    return "✕ " + not_printed_text(gettext, outcome, too_long)
