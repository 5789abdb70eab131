"""The booking slip: device, date and time in the visitor's language, the code, its QR, house rules.

The same slip is printed at the kiosk, again from the staff desk, and written as PDF by
``kiosk bookings slip``. It shows the booking code, never the visitor's name: a slip left on the
counter tells nobody who booked. The QR code holds the printed code (``K7P-MR3``), so a USB
scanner at the staff desk types it into the check-in field.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from kiosk.core.bookings import Booking, BookingStatus, DevicePolicy
from kiosk.core.i18n import LIST_SEPARATOR, format_slot, isolate, localise_digits, text_in
from kiosk.ui.parts.printing import PageFormat, Slip

Gettext = Callable[[str], str]
NGettext = Callable[[str, str, int], str]


def provisional_text(gettext: Gettext, *, with_check: bool = True) -> str:
    """What a provisional booking means for the visitor (booked while this kiosk was offline),
    and, on the booked page and the slip, how to find out what came of it."""
    _ = gettext
    # One sentence per message: translators (Leichte Sprache above all) can say each in
    # their own short sentences.
    sentences = [
        _("Your booking is provisional: this kiosk is offline right now."),
        _("It is confirmed as soon as the kiosk is back online."),
        _("If someone else took this slot meanwhile, our staff will offer you another slot."),
    ]
    if with_check:
        sentences.append(_("Check with your code at this kiosk, or ask at the desk."))
    return " ".join(sentences)


def house_rules_text(rules: Mapping[str, str], language: str, fallbacks: Sequence[str] = ()) -> str:
    """The site's house rules in ``language`` (or the first fallback that has them)."""
    return text_in(rules, language, fallbacks) or ""


def booking_slip(
    booking: Booking,
    device: DevicePolicy,
    *,
    language: str,
    gettext: Gettext,
    house_rules: str = "",
    no_show_minutes: int = 15,
    fallbacks: Sequence[str] = (),
    paper: str = "a6",
    ngettext: NGettext | None = None,
) -> Slip:
    """The slip for ``booking``, every text in ``language`` (``gettext`` and ``ngettext``
    translate into it; without ``ngettext`` the counting sentence stays English)."""
    _ = gettext
    plural = ngettext or (lambda singular, many, n: singular if n == 1 else many)
    where = device.display_name(language, fallbacks)
    if place := device.place(language, fallbacks):
        # The location is the site's own text, often in another script than the name. The bar
        # separates them: Leichte Sprache uses the middle dot inside long words (Bild·schirm).
        where = f"{where}{LIST_SEPARATOR}{isolate(place)}"
    lines = [where]
    if booking.status is BookingStatus.PENDING:
        lines.append(
            _("A member of staff still has to confirm this booking. Please ask at the desk.")
        )
    elif booking.status is BookingStatus.PROVISIONAL:
        # Booked while this kiosk was offline: the slip says so as plainly as the screen.
        lines.append(provisional_text(_))
    lines.append(_("Please come to the desk a few minutes before the start and show this code."))
    lines.append(
        plural(
            "If you do not come within {minutes} minute of the start, the device is given to "
            "someone else.",
            "If you do not come within {minutes} minutes of the start, the device is given to "
            "someone else.",
            no_show_minutes,
        ).format(minutes=localise_digits(str(no_show_minutes), language))
    )
    lines.append(_("Cannot come? Cancel at the kiosk with this code."))
    if house_rules:
        lines.append(house_rules)
    return Slip(
        title=_("Your device trial"),
        code=booking.printed_code,
        qr_payload=booking.printed_code,
        note=format_slot(booking.start, booking.end, language),
        lines=tuple(lines),
        page=PageFormat(paper),
    )
