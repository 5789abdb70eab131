"""Bookable times of the demo site, for tests and benches that book through the hub.

The demo site's rules (kiosk/demo_site.toml, as pushed to the hub) give the slots; a slot is
only offered when its block (its time and the device's turnaround after it) leaves the other
chosen slots free, so every one can be booked on its own.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from kiosk.config import parse_config
from kiosk.core.bookings import (
    CODE_LENGTH,
    DevicePolicy,
    SiteCalendar,
    Slot,
    device_policies,
    free_slots,
    site_calendar,
)
from kiosk.core.resume_codes import generate_code, utc_now
from tests.hub.servers import site_config_text

# Devices of the demo site visitors book without approval, each its own table.
OPEN_DEVICES = ("tablet-1", "tablet-2", "phone-1", "ereader-1")


def demo_rules(config_text: str | None = None) -> tuple[dict[str, DevicePolicy], SiteCalendar]:
    """The devices and calendar of the demo site (or of the site config ``config_text``)."""
    config = parse_config(config_text or site_config_text(), "demo")
    return {device.id: device for device in device_policies(config)}, site_calendar(config)


def open_slots(
    count: int,
    *,
    devices: Sequence[str] = OPEN_DEVICES,
    minutes: int = 30,
    days_ahead: int = 1,
    config_text: str | None = None,
) -> list[Slot]:
    """``count`` slots of ``minutes`` from ``days_ahead`` days on, none blocking another."""
    policies, calendar = demo_rules(config_text)
    now = calendar.now(utc_now())
    last_day = max(policies[device_id].advance_days for device_id in devices)
    found: list[Slot] = []
    for offset in range(days_ahead, last_day + 1):
        day = (now + timedelta(days=offset)).date()
        for device_id in devices:
            device = policies[device_id]
            free_until = now
            for slot in free_slots(device, calendar, day, now, [], minutes):
                if slot.start >= free_until:
                    found.append(slot)
                    free_until = slot.end + device.buffer
    found.sort(key=lambda slot: (slot.start, slot.device_id))
    if len(found) < count:
        raise RuntimeError(f"the demo site has only {len(found)} free slots ahead")
    return found[:count]


def block_until(slot: Slot) -> datetime:
    policies, _calendar = demo_rules()
    return slot.end + policies[slot.device_id].buffer


def new_uid() -> str:
    return uuid.uuid4().hex


def new_code() -> str:
    return generate_code(length=CODE_LENGTH)


def ask(
    slot: Slot,
    *,
    uid: str | None = None,
    code: str | None = None,
    name: str = "Alex",
    walk_in: bool = False,
) -> dict[str, Any]:
    """The body of POST /v1/bookings for a slot."""
    return {
        "uid": uid or new_uid(),
        "code": code or new_code(),
        "device_id": slot.device_id,
        "start_ts": int(slot.start.timestamp()),
        "minutes": slot.minutes,
        "name": name,
        "walk_in": walk_in,
    }
