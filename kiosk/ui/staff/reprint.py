"""A booking's slip printed again at the desk: what the slip needs from the site, and what
became of the print in words. The slip goes straight to the printer, never to a file."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from kiosk.config import SiteConfig
from kiosk.core.bookings import Booking, DevicePolicy
from kiosk.core.i18n import Translator
from kiosk.ui.parts.booking_slip import booking_slip, house_rules_text
from kiosk.ui.parts.printers import PrintOutcome, not_printed_text
from kiosk.ui.parts.printing import Slip


@dataclass(frozen=True)
class SlipSettings:
    """The site's slip: house rules per language, paper, the no-show minutes it names."""

    house_rules: Mapping[str, str] = field(default_factory=dict)
    fallbacks: tuple[str, ...] = ()
    paper: str = "a6"
    no_show_minutes: int = 15

    @classmethod
    def of(cls, config: SiteConfig) -> SlipSettings:
        return cls(
            house_rules=config.bookings.house_rules,
            fallbacks=tuple(config.learning.fallback_languages),
            paper=config.bookings.slip_paper,
            no_show_minutes=config.bookings.no_show_minutes,
        )

    def slip(self, tr: Translator, booking: Booking, device: DevicePolicy) -> Slip:
        """The booking's slip in the desk's language (the visitor may ask for another first)."""
        code = tr.current.code
        return booking_slip(
            booking,
            device,
            language=code,
            gettext=tr.gettext,
            ngettext=tr.ngettext,
            house_rules=house_rules_text(self.house_rules, code, self.fallbacks),
            no_show_minutes=self.no_show_minutes,
            fallbacks=self.fallbacks,
            paper=self.paper,
        )


def reprint_text(tr: Translator, outcome: PrintOutcome) -> tuple[str, str]:
    """What became of printing a slip again: a tone ("ok", "error") and the words."""
    _ = tr.gettext
    if outcome.printed:
        return "ok", _("Slip sent to {printer}.").format(printer=outcome.printer)
    too_long = _("Not printed: the slip does not fit on this paper.")
    return "error", not_printed_text(_, outcome, too_long)
