"""Staff mode's test print: a sample slip on the site's slip paper, and what became of it."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from kiosk import resources
from kiosk.app import KioskApp
from kiosk.config import SiteConfig, load_config
from kiosk.ui.parts.printers import PrinterDescription, PrintOutcome, send_slip
from kiosk.ui.parts.printing import Slip, render_slip_image
from kiosk.ui.shell.screens import Screen
from kiosk.ui.staff.home import StaffHomeScreen
from tests.ui.running_app import shown_kiosk
from tests.ui.test_printers import WINDOWS, pdf_capture
from tests.ui.test_printing import MM, media_boxes

from .qr_decode import decode_qr


@pytest.fixture
def site() -> SiteConfig:
    config = load_config(resources.DEMO_CONFIG)
    return replace(config, bookings=replace(config.bookings, slip_paper="receipt"))


@pytest.fixture
def kiosk(
    qtbot: QtBot, site: SiteConfig, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[KioskApp]:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    with shown_kiosk(qtbot, site, data_dir) as app:
        app.window.enter_staff_mode()
        app.window.set_language("en")
        yield app


def staff_home(
    kiosk: KioskApp, printers: list[PrinterDescription], target: Path, slips: list[Slip]
) -> StaffHomeScreen:
    """The staff home on the terminal's real desk, printing to ``printers`` (captured as PDF)."""

    def printer(make_slip: Callable[[str], Slip]) -> PrintOutcome:
        def keep(name: str) -> Slip:
            slips.append(make_slip(name))
            return slips[-1]

        return send_slip(keep, printers=lambda: printers, open_printer=pdf_capture(target))

    home = StaffHomeScreen(kiosk.translator, kiosk.desk, paper="receipt", printer=printer)
    home.resize(1280, 700)
    home.enter()
    return home


def test_the_staff_home_offers_a_test_print(kiosk: KioskApp) -> None:
    home = kiosk.window.screen_widget(Screen.STAFF_HOME)
    assert isinstance(home, StaffHomeScreen)
    assert home.test_print.isVisible()
    assert home.test_print.text() == "Test print"


def test_the_test_print_prints_a_sample_without_personal_data_on_the_slip_paper(
    qtbot: QtBot, kiosk: KioskApp, site: SiteConfig, tmp_path: Path
) -> None:
    target = tmp_path / "job.pdf"
    slips: list[Slip] = []
    home = staff_home(kiosk, WINDOWS, target, slips)

    home.test_print.click()

    [slip] = slips
    assert slip.title == "Test print"
    assert slip.code == slip.qr_payload == "TEST"
    assert slip.lines[:3] == (
        site.site.name,
        "Paper: receipt roll, 80 mm wide",
        "Printer: EPSON TM-T20III Receipt",
    )
    assert decode_qr(render_slip_image(slip)) == ["TEST"]
    [(width, _height)] = media_boxes(target.read_bytes())
    assert width == pytest.approx(80 * MM, abs=0.5)
    assert home.message.text() == (
        "✓ Test slip sent to EPSON TM-T20III Receipt on receipt roll, 80 mm wide."
    )


def test_the_test_print_says_why_nothing_was_printed(
    qtbot: QtBot, kiosk: KioskApp, tmp_path: Path
) -> None:
    target = tmp_path / "job.pdf"
    home = staff_home(kiosk, WINDOWS[:-1], target, [])

    home.test_print.click()

    assert not target.exists()
    assert home.message.text() == (
        "✕ Not printed: Microsoft Print to PDF saves a file instead of printing. "
        "Make a real printer the default (administrator)."
    )


def test_the_test_print_says_when_there_is_no_printer(
    qtbot: QtBot, kiosk: KioskApp, tmp_path: Path
) -> None:
    home = staff_home(kiosk, [], tmp_path / "job.pdf", [])

    home.test_print.click()

    assert home.message.text() == "✕ Not printed: no printer is set up on this terminal."
