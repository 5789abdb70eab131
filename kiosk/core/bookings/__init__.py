"""Device-trial bookings: rules, slots, codes, the service and exports (no Qt, no SQL)."""

from __future__ import annotations

from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from kiosk.core.bookings.blocks import MAX_WEEKS, REASON_MAX, reason_problem
from kiosk.core.bookings.exceptions import (
    NOTE_MAX,
    DateException,
    ExceptionProblem,
    ExceptionRefusedError,
    SharedDateException,
    exception_problem,
)
from kiosk.core.bookings.names import NAME_MAX, NameProblem, clean_name, name_key, name_problem
from kiosk.core.bookings.records import (
    CHECK_IN_EARLY,
    CODE_LENGTH,
    BlockOutcome,
    Booking,
    BookingKind,
    BookingStatus,
    BookOutcome,
    CheckIn,
    CheckInStatus,
    DeviceStatus,
    Lookup,
    LookupStatus,
)
from kiosk.core.bookings.rules import (
    Block,
    BookingProblem,
    DevicePolicy,
    Interval,
    SiteCalendar,
    Slot,
    VisitorLimits,
    free_slots,
    public_holidays,
    slot_problem,
)
from kiosk.core.bookings.search import SearchFilter
from kiosk.core.bookings.service import BookingService
from kiosk.core.bookings.shared import (
    OFFLINE_POLICIES,
    BookingAuthority,
    BookingRequest,
    HubAnswer,
    HubRefusal,
    SharedBooking,
    SharedCopy,
    SharedDeviceStatus,
)
from kiosk.core.bookings.store import BookingStore

if TYPE_CHECKING:
    from kiosk.config import SiteConfig

__all__ = [
    "CHECK_IN_EARLY",
    "CODE_LENGTH",
    "MAX_WEEKS",
    "NAME_MAX",
    "NOTE_MAX",
    "OFFLINE_POLICIES",
    "REASON_MAX",
    "Block",
    "BlockOutcome",
    "BookOutcome",
    "Booking",
    "BookingAuthority",
    "BookingKind",
    "BookingProblem",
    "BookingRequest",
    "BookingService",
    "BookingStatus",
    "BookingStore",
    "CheckIn",
    "CheckInStatus",
    "DateException",
    "DevicePolicy",
    "DeviceStatus",
    "ExceptionProblem",
    "ExceptionRefusedError",
    "HubAnswer",
    "HubRefusal",
    "Interval",
    "Lookup",
    "LookupStatus",
    "NameProblem",
    "SearchFilter",
    "SharedBooking",
    "SharedCopy",
    "SharedDateException",
    "SharedDeviceStatus",
    "SiteCalendar",
    "Slot",
    "VisitorLimits",
    "clean_name",
    "device_policies",
    "exception_problem",
    "free_slots",
    "name_key",
    "name_problem",
    "public_holidays",
    "reason_problem",
    "site_calendar",
    "slot_problem",
    "visitor_limits",
]


def site_calendar(config: SiteConfig) -> SiteCalendar:
    """The site's opening hours, closures and public holidays from its config."""
    hours = config.opening_hours
    holidays = public_holidays(config.bookings.public_holidays)
    return SiteCalendar(
        zone=ZoneInfo(config.site.timezone),
        hours={
            day: getattr(hours, day) for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
        },
        closures=config.bookings.closures,
        holiday=holidays,
        holiday_in=holidays.name,
    )


def visitor_limits(config: SiteConfig) -> VisitorLimits:
    """How much one visitor may book, from the site config's [bookings] section."""
    return VisitorLimits(
        max_open_per_name_per_day=config.bookings.max_open_per_name_per_day,
        cooldown_s=config.bookings.cooldown_s,
    )


def device_policies(config: SiteConfig) -> list[DevicePolicy]:
    """Every [[devices]] table of the site config as a DevicePolicy."""
    return [
        DevicePolicy(
            id=device.id,
            kind=device.kind,
            name=device.name,
            # The plain name is in the site's default language; other languages may differ.
            names={config.languages.default: device.name, **device.names},
            description=device.description,
            photo=str(config.resolve(device.photo)) if device.photo else "",
            location=device.location,
            staff_help=device.staff_help,
            approval=device.approval,
            min_minutes=device.min_minutes,
            max_minutes=device.max_minutes,
            step_minutes=device.step_minutes,
            buffer_minutes=device.buffer_minutes,
            lead_minutes=device.lead_minutes,
            advance_days=device.advance_days,
            blackouts=device.blackouts,
        )
        for device in config.devices
    ]
