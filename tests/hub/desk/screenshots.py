"""Screenshots of the staff web desk for the README: the bookings page of a seeded hub in German
and in Arabic at 1366×768, taken by the browser tests' headless Chromium.

    .venv/bin/python -m tests.hub.desk.screenshots assets/screenshots

A throwaway PostgreSQL cluster, the hub on the loopback with the demo site, a terminal's
bookings for the next open day (taken through the hub's API, as a terminal does), and a staff
member of that site who signs in. Nothing outside OUT_DIR is left behind.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import httpx
import psycopg
from selenium.webdriver.common.by import By

from kiosk.core.bookings import Slot
from kiosk.hub.desk import accounts
from kiosk.hub.devcluster import DevCluster
from kiosk.hub.schema import apply_migrations
from tests.hub.booking_slots import ask, open_slots
from tests.hub.desk.browser import WINDOW, sign_in, start_chromium
from tests.hub.servers import add_site, enrol, threaded_hub

SITE = "probierladen"
STAFF = "anna.k"
STAFF_PASSWORD = "screens-only-2468"  # noqa: S105 - a throwaway account of a throwaway hub
# First names only, as the terminals keep them; made up, several scripts.
VISITORS = ("Jonas", "Fatima", "Olena", "Mehmet", "Sara", "Dmitri", "Leyla", "Paul")
LANGUAGES = ("de", "ar")


def seed_bookings(url: str, token: str, slots: Sequence[Slot]) -> None:
    """The bookings, asked for as a terminal asks (POST /v1/bookings)."""
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}) as client:
        for slot, name in zip(slots, VISITORS, strict=False):
            response = client.post("/v1/bookings", json=ask(slot, name=name))
            response.raise_for_status()


def day_slots(count: int) -> list[Slot]:
    """Up to ``count`` slots of the next open day, a few per device, none touching another."""
    candidates = open_slots(60, minutes=60)
    day = candidates[0].start.date()
    same_day = [slot for slot in candidates if slot.start.date() == day]
    # Every other slot: a day with gaps, as a real one has, so free times show too.
    return same_day[::2][:count]


def take(url: str, day: date, language: str, out_dir: Path) -> Path:
    """The bookings page in ``language``, seen by a browser asking for that language, its page
    area exactly WINDOW. (Date fields keep Chromium's own en-US format: Debian ships its other
    UI languages in chromium-l10n, which the tests do not need.)"""
    driver = start_chromium(language=language)
    try:
        # The window size includes no browser bar in headless mode, but the page area can still
        # be smaller; the screenshot is of the page area, so set that.
        width, height = WINDOW
        driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
        )
        page = f"/desk/sites/{SITE}/bookings?day={day.isoformat()}&lang={language}"
        sign_in(driver, url, STAFF, STAFF_PASSWORD, page)
        if driver.find_element(By.TAG_NAME, "html").get_attribute("lang") != language:
            raise SystemExit(f"desk-screenshots: the page is not in {language}")
        path = out_dir / f"desk-bookings-{language}.png"
        driver.save_screenshot(str(path))
        return path
    finally:
        driver.quit()


def seed(url: str, database_url: str) -> date:
    """A terminal's bookings for the next open day and a staff member of the site (its config
    already on the hub); returns that day."""
    token = enrol(database_url, SITE, "terminal-a")
    with psycopg.connect(database_url) as conn:
        accounts.add_account(conn, STAFF, STAFF_PASSWORD, [SITE])
    slots = day_slots(len(VISITORS))
    seed_bookings(url, token, slots)
    return slots[0].start.date()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="desk-screenshots", description=__doc__)
    parser.add_argument("out_dir", type=Path, help="folder for the PNG files")
    args = parser.parse_args(argv)
    out_dir: Path = args.out_dir
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="desk-screens-") as tmp, DevCluster.create() as pg:
        database_url = pg.create_database("hub")
        apply_migrations(database_url)
        add_site(database_url, SITE, Path(tmp))
        with threaded_hub(database_url) as url:
            day = seed(url, database_url)
            made = [take(url, day, language, out_dir) for language in LANGUAGES]
    for path in made:
        print(f"desk-screenshots: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
