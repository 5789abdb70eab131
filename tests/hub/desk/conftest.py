"""Staff web desk test setup: a hub serving the desk over real HTTP, with the demo site pushed,
and one headless Chromium per test session (each test starts with no cookies)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from selenium.webdriver.chrome.webdriver import WebDriver

from tests.hub.desk.browser import start_chromium
from tests.hub.servers import add_site, threaded_hub


@dataclass(frozen=True)
class DeskHub:
    """A running hub: its base URL, its database, and a folder for terminals' files."""

    url: str
    database_url: str
    folder: Path

    @property
    def desk(self) -> str:
        return f"{self.url}/desk"


SITE_A = "probierladen"
SITE_B = "bibliothek"


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
    chromium_session.delete_all_cookies()
    yield chromium_session
    # The next test must not inherit a signed-in page (cookies are per origin, and every
    # test's hub has its own port, but a page left open would still be one).
    chromium_session.get("about:blank")
    chromium_session.delete_all_cookies()
