"""The night schedule: awake from the margin before opening to the margin after closing, through
midnight, closures and daylight-saving changes; the config's choices are the schedule's."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from kiosk.config.sections import PowerSection
from kiosk.config.settings import keys_of
from kiosk.core.bookings.rules import SiteCalendar
from kiosk.core.night import NIGHT_MODES, NightPlan, PowerState, power_state

BERLIN = ZoneInfo("Europe/Berlin")
WEEK = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
BLANK = NightPlan("blank", wake_before=timedelta(minutes=15), sleep_after=timedelta(minutes=15))


def calendar(closures: tuple[str, ...] = (), **hours: str) -> SiteCalendar:
    return SiteCalendar(BERLIN, {day: hours.get(day, "") for day in WEEK}, closures)


def local(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=BERLIN)


def state_at(site: SiteCalendar, when: str, plan: NightPlan = BLANK) -> PowerState:
    return power_state(site, plan, local(when))


EVERY_DAY = {day: "10:00-18:00" for day in WEEK}


def test_awake_from_the_margin_before_opening_to_the_margin_after_closing() -> None:
    site = calendar(**EVERY_DAY)
    # 2025-03-05 is a Wednesday.
    assert state_at(site, "2025-03-05T09:44") == PowerState(False, local("2025-03-05T09:45"))
    assert state_at(site, "2025-03-05T09:45") == PowerState(True, local("2025-03-05T18:15"))
    assert state_at(site, "2025-03-05T18:14:59") == PowerState(True, local("2025-03-05T18:15"))
    assert state_at(site, "2025-03-05T18:15") == PowerState(False, local("2025-03-06T09:45"))


def test_a_lunch_break_shorter_than_both_margins_stays_awake() -> None:
    site = calendar(wed="10:00-12:00, 12:20-16:00")
    assert state_at(site, "2025-03-05T12:10") == PowerState(True, local("2025-03-05T16:15"))
    long_break = calendar(wed="10:00-12:00, 14:00-16:00")
    assert state_at(long_break, "2025-03-05T13:00") == PowerState(False, local("2025-03-05T13:45"))


def test_opening_hours_across_midnight_are_one_awake_night() -> None:
    # Saturday until midnight, Sunday from midnight: awake throughout, asleep after Sun 02:15.
    site = calendar(sat="18:00-24:00", sun="00:00-02:00")
    assert state_at(site, "2025-03-08T23:59") == PowerState(True, local("2025-03-09T02:15"))
    assert state_at(site, "2025-03-09T00:30") == PowerState(True, local("2025-03-09T02:15"))
    assert state_at(site, "2025-03-09T02:15") == PowerState(False, local("2025-03-15T17:45"))


def test_the_margin_after_a_late_closing_reaches_into_the_next_day() -> None:
    site = calendar(fri="16:00-23:55")
    assert state_at(site, "2025-03-08T00:05") == PowerState(True, local("2025-03-08T00:10"))


def test_the_margin_before_an_early_opening_starts_the_day_before() -> None:
    site = calendar(mon="00:10-06:00")
    plan = NightPlan("blank", timedelta(minutes=30), timedelta(0))
    # Sunday 2025-03-09 23:40 is 30 minutes before Monday's 00:10.
    assert state_at(site, "2025-03-09T23:39", plan) == PowerState(False, local("2025-03-09T23:40"))
    assert state_at(site, "2025-03-09T23:50", plan) == PowerState(True, local("2025-03-10T06:00"))


def test_closures_and_holidays_sleep_all_day() -> None:
    site = calendar(("2025-03-06..2025-03-07",), **EVERY_DAY)
    assert state_at(site, "2025-03-06T11:00") == PowerState(False, local("2025-03-08T09:45"))
    holiday = SiteCalendar(
        BERLIN, EVERY_DAY, (), holiday=lambda day: "Labour Day" if day.day == 1 else None
    )
    assert state_at(holiday, "2025-05-01T12:00") == PowerState(False, local("2025-05-02T09:45"))


@pytest.mark.parametrize(
    ("saturday", "sunday", "monday"),
    [
        # Spring forward (2025-03-30): 09:45 local is 07:45 UTC on Sunday, 08:45 UTC before.
        ("2025-03-29T08:45", "2025-03-30T07:45", "2025-03-31T07:45"),
        # Fall back (2025-10-26): 09:45 local is 08:45 UTC on Sunday, 07:45 UTC before.
        ("2025-10-25T07:45", "2025-10-26T08:45", "2025-10-27T08:45"),
    ],
)
def test_a_daylight_saving_change_keeps_the_local_times(
    saturday: str, sunday: str, monday: str
) -> None:
    site = calendar(**EVERY_DAY)
    utc = [datetime.fromisoformat(t).replace(tzinfo=UTC) for t in (saturday, sunday, monday)]
    night = utc[0].replace(hour=20)  # Saturday night, after closing
    assert power_state(site, BLANK, night) == PowerState(False, utc[1])
    assert power_state(site, BLANK, utc[1] - timedelta(seconds=1)).awake is False
    assert power_state(site, BLANK, utc[1]).awake is True
    # Sunday closes at 18:15 local, on the new offset.
    sunday_close = power_state(site, BLANK, utc[1]).next_change
    assert sunday_close is not None
    assert sunday_close.astimezone(BERLIN).strftime("%H:%M") == "18:15"
    assert power_state(site, BLANK, sunday_close) == PowerState(False, utc[2])


def test_off_or_no_opening_hours_at_all_is_always_awake() -> None:
    off = NightPlan("off", timedelta(minutes=15), timedelta(minutes=15))
    assert state_at(calendar(**EVERY_DAY), "2025-03-05T03:00", off) == PowerState(True, None)
    assert state_at(calendar(), "2025-03-05T03:00") == PowerState(True, None)


def test_closed_for_longer_than_the_horizon_sleeps_without_a_next_change() -> None:
    site = calendar(("2025-01-01..2027-12-31",), **EVERY_DAY)
    assert state_at(site, "2025-03-05T12:00") == PowerState(False, None)


def test_the_configs_choices_are_the_schedules_modes() -> None:
    night = next(key for key in keys_of(PowerSection) if key.name == "night")
    assert night.setting.choices == NIGHT_MODES
