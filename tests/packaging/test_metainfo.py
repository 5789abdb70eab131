"""The AppStream metadata and the menu entry: valid, and naming the same app as the kiosk itself."""

from __future__ import annotations

import configparser
import shutil
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

import kiosk
from kiosk import resources
from kiosk.app import build_app
from kiosk.config import load_config
from kiosk.core.i18n import LANGUAGE_CODES
from tests.conftest import REPO

KIT = REPO / "packaging" / "linux"
DESKTOP = KIT / "probierladen-kiosk.desktop"
(METAINFO,) = KIT.glob("*.metainfo.xml")
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def appstreamcli() -> str:
    found = shutil.which("appstreamcli")
    assert found, "appstreamcli is installed by packaging/system-deps.sh test (package appstream)"
    return found


def component() -> ElementTree.Element:
    return ElementTree.parse(METAINFO).getroot()  # noqa: S314 (our own file, not input)


def text_of(path: str) -> str:
    found = component().find(path)
    assert found is not None and found.text, f"{METAINFO.name} has no <{path}>"
    return found.text.strip()


def test_metainfo_passes_the_appstream_validator() -> None:
    result = subprocess.run(
        [appstreamcli(), "validate", "--no-net", "--explain", METAINFO],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_installed_tree_links_metainfo_desktop_entry_and_icon(tmp_path: Path) -> None:
    """The files where install.sh puts them: the validator finds the launchable desktop file."""
    share = tmp_path / "usr" / "share"
    icons = share / "icons" / "hicolor" / "scalable" / "apps"
    for folder in (share / "metainfo", share / "applications", icons):
        folder.mkdir(parents=True)
    shutil.copy(METAINFO, share / "metainfo")
    shutil.copy(DESKTOP, share / "applications")
    shutil.copy(resources.LOGO, icons / "probierladen-kiosk.svg")
    result = subprocess.run(
        [appstreamcli(), "validate-tree", "--no-net", "--explain", tmp_path],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_component_id_is_reverse_dns_and_names_the_file() -> None:
    component_id = text_of("id")
    assert METAINFO.name == f"{component_id}.metainfo.xml"
    assert len(component_id.split(".")) >= 3, "AppStream ids are reverse-DNS: tld.vendor.product"


def test_launchable_is_the_desktop_file() -> None:
    launchables = {(item.get("type"), item.text) for item in component().findall("launchable")}
    assert launchables == {("desktop-id", DESKTOP.name)}


def test_names_match_the_desktop_entry() -> None:
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    entry.read(DESKTOP, encoding="utf-8")
    desktop = entry["Desktop Entry"]
    names = {item.get(XML_LANG): item.text for item in component().findall("name")}
    assert names == {None: desktop["Name"], "de": desktop["Name[de]"]}
    categories = {item.text for item in component().findall("categories/category")}
    assert categories == set(filter(None, desktop["Categories"].split(";")))


def test_newest_release_is_the_version_the_kiosk_reports() -> None:
    releases = component().findall("releases/release")
    assert releases, "every version needs a <release> entry, newest first"
    assert releases[0].get("version") == kiosk.__version__
    dates = [release.get("date") or "" for release in releases]
    assert dates == sorted(dates, reverse=True)


def test_licence_and_languages_match_the_project() -> None:
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    assert text_of("project_license") == pyproject["project"]["license"]
    languages = [item.text or "" for item in component().findall("languages/lang")]
    assert sorted(languages) == sorted(LANGUAGE_CODES)


@pytest.mark.gui
def test_the_running_kiosk_names_its_desktop_file(
    qtbot: QtBot, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Wayland compositors and desktops find the menu entry (name, icon) by the app id."""
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # build_app installs its own
    app = build_app(load_config(resources.DEMO_CONFIG), data_dir)
    try:
        desktop_id = f"{QGuiApplication.desktopFileName()}.desktop"
        assert desktop_id == DESKTOP.name == text_of("launchable[@type='desktop-id']")
    finally:
        app.window.close()
        app.window.deleteLater()
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
