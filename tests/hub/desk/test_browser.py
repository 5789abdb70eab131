"""The staff web desk in a real headless browser (Debian's Chromium through Selenium)."""

from __future__ import annotations

import json

from selenium.webdriver.chrome.webdriver import WebDriver
from selenium.webdriver.common.by import By

from tests.hub.desk.conftest import DeskHub


def test_the_browser_reaches_the_hub_over_http(desk_hub: DeskHub, browser: WebDriver) -> None:
    browser.get(f"{desk_hub.url}/health")
    body = json.loads(browser.find_element(By.TAG_NAME, "body").text)
    assert body["status"] == "ok"
