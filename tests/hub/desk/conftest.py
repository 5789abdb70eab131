"""Staff web desk test setup: a hub serving the desk over real HTTP with two sites, staff
accounts, and one headless Chromium per test session (each test starts with no cookies)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from selenium.webdriver.chrome.webdriver import WebDriver

from kiosk.hub.desk import accounts
from tests.hub.desk.browser import start_chromium
from tests.hub.servers import add_site, threaded_hub

SITE_A = "probierladen"
SITE_B = "bibliothek"
PASSWORD = "correct-horse-42"  # noqa: S105 - every test account's, on a throwaway database


@dataclass(frozen=True)
class DeskHub:
    """A running hub: its base URL, its database, and a folder for terminals' files."""

    url: str
    database_url: str
    folder: Path

    @property
    def desk(self) -> str:
        return f"{self.url}/desk"

    def add_staff(
        self, name: str, sites: tuple[str, ...] = (SITE_A,), *, admin: bool = False
    ) -> str:
        """A staff account with PASSWORD; returns its name."""
        with psycopg.connect(self.database_url) as conn:
            accounts.add_account(conn, name, PASSWORD, sites, admin=admin)
        return name


@pytest.fixture
def desk_hub(hub_database: str, tmp_path: Path) -> Iterator[DeskHub]:
    """The hub (kiosk.hub.api.create_app, desk included) on a loopback port, with two sites."""
    for site in (SITE_A, SITE_B):
        add_site(hub_database, site, tmp_path)
    with threaded_hub(hub_database) as url:
        yield DeskHub(url, hub_database, tmp_path)


@pytest.fixture(scope="session")
def chromium_session() -> Iterator[WebDriver]:
    """One browser for the session: starting Chromium takes about a second. It never skips:
    without Chromium the tests error with how to install it."""
    driver = start_chromium()
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def browser(chromium_session: WebDriver) -> Iterator[WebDriver]:
    """The session's browser with no cookies, as a person at a fresh office PC."""
    # Every cookie of every host: WebDriver's delete_all_cookies only clears the open page's,
    # and cookies are per host, not per port (each test's hub is another port of 127.0.0.1).
    chromium_session.execute_cdp_cmd("Network.clearBrowserCookies", {})
    chromium_session.get("about:blank")
    yield chromium_session
    chromium_session.execute_cdp_cmd("Network.clearBrowserCookies", {})
