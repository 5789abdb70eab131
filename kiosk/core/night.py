"""When the kiosk sleeps: the site's opening hours, widened by the power margins, as a schedule.

Awake from `wake_before_opening_min` before each opening range until `sleep_after_closing_min`
after it; ranges that meet or overlap (across midnight too) are one awake period. Closure days
and public holidays have no opening ranges, so the kiosk sleeps through them. Everything is
compared in UTC, so a day with a daylight-saving change is as long as it really is.

No Qt and no clock of its own: given the config's calendar and a moment, the answer is pure.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from kiosk.core.bookings.rules import SiteCalendar

NIGHT_MODES = ("off", "blank", "shutdown")
# How far ahead the next opening is looked for (a long summer closure included).
HORIZON_DAYS = 400


@dataclass(frozen=True)
class NightPlan:
    """The [power] section: what to do at night and the margins around opening hours."""

    mode: str  # one of NIGHT_MODES
    wake_before: timedelta
    sleep_after: timedelta


@dataclass(frozen=True)
class PowerState:
    """Whether the kiosk should be awake at a moment, and when that next changes (UTC; None:
    never within the horizon)."""

    awake: bool
    next_change: datetime | None


ALWAYS_AWAKE = PowerState(awake=True, next_change=None)


def awake_periods(
    calendar: SiteCalendar, plan: NightPlan, first_day: date
) -> Iterator[tuple[datetime, datetime]]:
    """The awake periods from ``first_day`` on, in order, merged where they meet (UTC)."""
    pending: tuple[datetime, datetime] | None = None
    for offset in range(HORIZON_DAYS):
        day = first_day + timedelta(days=offset)
        ranges = sorted(calendar.opening(day), key=lambda interval: interval.start)
        for interval in ranges:
            start = interval.start.astimezone(UTC) - plan.wake_before
            end = interval.end.astimezone(UTC) + plan.sleep_after
            if pending is not None and start <= pending[1]:
                pending = (pending[0], max(pending[1], end))
                continue
            if pending is not None:
                yield pending
            pending = (start, end)
    if pending is not None:
        yield pending


def power_state(calendar: SiteCalendar, plan: NightPlan, now: datetime) -> PowerState:
    """Awake or asleep at ``now`` (an aware datetime), and when that changes next.

    Night mode off, or a site without any opening hours (the default config), is always awake:
    a kiosk must never go dark because its hours were not filled in.
    """
    if plan.mode == "off" or not any(text.strip() for text in calendar.hours.values()):
        return ALWAYS_AWAKE
    moment = now.astimezone(UTC)
    # The day before too: its last range plus the margin can reach past midnight.
    local_day = moment.astimezone(calendar.zone).date()
    for start, end in awake_periods(calendar, plan, local_day - timedelta(days=1)):
        if end <= moment:
            continue
        if start <= moment:
            return PowerState(awake=True, next_change=end)
        return PowerState(awake=False, next_change=start)
    return PowerState(awake=False, next_change=None)
