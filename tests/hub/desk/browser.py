"""A headless Chromium for the staff web desk: Debian's browser and driver through Selenium,
never downloaded, and the few steps every browser test takes (sign in, fill a form)."""

from __future__ import annotations

import os
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.chrome.webdriver import WebDriver
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import Select, WebDriverWait

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
# The office PC the issue names; screenshots are taken at this size too.
WINDOW = (1366, 768)
INSTALL_HINT = (
    "packaging/system-deps.sh test (or: apt-get install --no-install-recommends "
    "chromium chromium-driver)"
)


class BrowserMissingError(RuntimeError):
    """Chromium or its driver is not installed; the message says how to install them."""


def start_chromium(window: tuple[int, int] = WINDOW, language: str = "en") -> WebDriver:
    """A new headless Chromium driven by Debian's chromedriver.

    ``--no-sandbox``: CI runs as root, where Chromium's sandbox refuses to start.
    ``language``: the browser's Accept-Language, so the desk's first answer can follow it.
    """
    for needed in (CHROMIUM, CHROMEDRIVER):
        if not needed.exists():
            raise BrowserMissingError(f"{needed} is missing; install it with {INSTALL_HINT}")
    # Selenium Manager would fetch a browser or driver it cannot find; the paths are given
    # below, and this makes sure it never reaches the network even so.
    os.environ["SE_OFFLINE"] = "true"
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",  # containers often have a 64 MB /dev/shm
        f"--window-size={window[0]},{window[1]}",
        f"--lang={language}",
        "--hide-scrollbars",  # screenshots without a scroll bar's stripe
        "--force-device-scale-factor=1",
    ):
        options.add_argument(argument)
    options.add_experimental_option("prefs", {"intl.accept_languages": language})
    service = Service(executable_path=str(CHROMEDRIVER))
    return webdriver.Chrome(service=service, options=options)


def wait_for(driver: WebDriver, css: str, timeout_s: float = 10) -> WebElement:
    """The first element matching ``css`` once the page has it."""
    return WebDriverWait(driver, timeout_s).until(
        expected_conditions.presence_of_element_located((By.CSS_SELECTOR, css))
    )


def fill(form: WebElement, **fields: str) -> None:
    """Types (or chooses, for a select) each named field's value in ``form``."""
    for name, value in fields.items():
        field = form.find_element(By.NAME, name)
        if field.tag_name == "select":
            Select(field).select_by_value(value)
        else:
            field.clear()
            field.send_keys(value)


def submit(driver: WebDriver, form: WebElement) -> None:
    """Submits ``form`` with its own submit button, then waits for the next page to load."""
    # A mark on the old page's window: gone once the browser shows the next page. (Waiting for
    # the old element to go stale trips over chromedriver's "node does not belong to the
    # document" while the page changes.)
    driver.execute_script("window.deskOldPage = true")
    form.find_element(By.CSS_SELECTOR, "[type=submit]").click()
    WebDriverWait(driver, 10).until(
        lambda d: d.execute_script(
            "return window.deskOldPage === undefined && document.readyState === 'complete'"
        )
    )


def sign_in(
    driver: WebDriver, hub_url: str, name: str, password: str, page: str = "/desk/"
) -> None:
    """Opens ``page`` of the desk (the sign-in form comes first) and signs in there."""
    driver.get(f"{hub_url}{page}")
    form = wait_for(driver, "form[action='/desk/login']")
    fill(form, name=name, password=password)
    submit(driver, form)


def flash(driver: WebDriver) -> str:
    """The text of the page's status messages (done or problem), empty when there is none."""
    boxes = driver.find_elements(By.CSS_SELECTOR, "main [role=status]")
    return " ".join(box.text for box in boxes)
