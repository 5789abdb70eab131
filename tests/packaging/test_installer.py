"""The installer bundle: trimmed contents, size, and the frozen kiosk working from its archive.

These tests need a bundle. `make test-installer` builds one (packaging/build.py) and runs this
file with KIOSK_BUNDLE set; CI runs that after `make test` (.ci/run), and test_admin_guide.py
fails when CI stops doing so. Without KIOSK_BUNDLE (a plain `pytest`, `make test`) this module is
not collected (tests/packaging/conftest.py). With KIOSK_BUNDLE set nothing is skipped (except the
two root-only tests outside CI): a missing tool or a missing bundle is a failure.

The frozen kiosk is always run from the unpacked archive, in another folder and with a bare
environment, so a bundle that only works on the build machine (or from dist/) cannot pass.
"""

from __future__ import annotations

import csv
import os
import platform
import re
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

import kiosk
from kiosk.config import load_config
from kiosk.core.i18n import LANGUAGES
from kiosk.hub.devcluster import DevCluster
from kiosk.hub.schema import apply_migrations
from kiosk.storage.database import Storage

REPO = Path(__file__).resolve().parents[2]
NAME = "probierladen-kiosk"
BUNDLE_ENV = os.environ.get("KIOSK_BUNDLE", "")
BASELINE = REPO / "build" / "baseline" / "dist" / "qlabel-baseline"
IN_CI = bool(os.environ.get("CI"))

SHIPPED_LOCALES = sorted({language.babel_locale for language in LANGUAGES})
QT_MODULES_USED = {"QtCore", "QtGui", "QtWidgets", "QtPrintSupport"}
UNWANTED_QT = re.compile(r"Qt6?(Qml|Quick|WebEngine|3D|Multimedia|Network)", re.IGNORECASE)


# --- fixtures -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def bundle() -> Path:
    path = Path(BUNDLE_ENV)
    path = path if path.is_absolute() else REPO / path
    if not (path / "kiosk").is_file():
        pytest.fail(f"KIOSK_BUNDLE={BUNDLE_ENV}: no built bundle there (run make test-installer)")
    return path


@pytest.fixture(scope="module")
def internal(bundle: Path) -> Path:
    """The bundle's data folder (sys._MEIPASS of the frozen kiosk)."""
    return bundle / "_internal"


@pytest.fixture(scope="module")
def archive(bundle: Path) -> Path:
    system, machine = platform.system().lower(), platform.machine().lower()
    path = bundle.parent / f"{NAME}-{kiosk.__version__}-{system}-{machine}.tar.gz"
    assert path.is_file(), f"{path.name} is missing next to the bundle"
    return path


@pytest.fixture(scope="module")
def unpacked(archive: Path) -> Iterator[Path]:
    """The archive unpacked somewhere else, readable by an unprivileged user (for cage)."""
    folder = Path(tempfile.mkdtemp(prefix="kiosk-unpacked-"))
    folder.chmod(0o755)
    try:
        with tarfile.open(archive) as tar:
            tar.extractall(folder, filter="data")
        (top,) = folder.iterdir()
        yield top
    finally:
        shutil.rmtree(folder)


@pytest.fixture(scope="module")
def frozen(unpacked: Path) -> Path:
    return unpacked / NAME / "kiosk"


@pytest.fixture
def bare_env(tmp_path: Path) -> dict[str, str]:
    """What a terminal's service has: no Python, no venv, no project on any path."""
    home = tmp_path / "home"
    home.mkdir()
    return {
        "PATH": "/usr/sbin:/usr/bin:/sbin:/bin",
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "QT_QPA_PLATFORM": "offscreen",
    }


def run(
    argv: list[str | Path], env: dict[str, str], cwd: Path, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(a) for a in argv],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def tool(name: str) -> str:
    """A command-line tool the test needs; system-deps.sh installer-test installs them all."""
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed (packaging/system-deps.sh installer-test)")
    return found


def needs_root() -> None:
    if os.geteuid() != 0:
        if IN_CI:
            pytest.fail("CI runs as root; this test must run there")
        pytest.skip("needs root (creates a user in a staged root / runs cage as another user)")


def folder_size(folder: Path) -> int:
    return sum(
        Path(directory, name).lstat().st_size
        for directory, _dirs, files in os.walk(folder)
        for name in files
    )


# --- contents -------------------------------------------------------------------------------


def test_no_qml_quick_webengine_or_other_unused_qt(bundle: Path) -> None:
    unwanted = [
        str(path.relative_to(bundle))
        for path in bundle.rglob("*")
        if UNWANTED_QT.search(path.name) or path.name == "qml"
    ]
    assert unwanted == []


def test_only_the_qt_modules_the_kiosk_imports(internal: Path) -> None:
    modules = {path.name.split(".")[0] for path in (internal / "PySide6").glob("Qt*.*")}
    assert modules == QT_MODULES_USED


def test_platform_plugins_for_offscreen_x11_and_wayland_only(internal: Path) -> None:
    plugins = internal / "PySide6" / "Qt" / "plugins"
    platforms = {path.name for path in (plugins / "platforms").iterdir()}
    assert platforms == {"libqoffscreen.so", "libqxcb.so", "libqwayland.so"}
    assert (plugins / "imageformats" / "libqsvg.so").is_file()
    assert (plugins / "imageformats" / "libqjpeg.so").is_file()
    assert (plugins / "printsupport" / "libcupsprintersupport.so").is_file()
    assert not (plugins / "platformthemes").exists()


def test_qt_translations_only_for_shipped_languages(internal: Path) -> None:
    import PySide6

    wheel = Path(PySide6.__file__).parent / "Qt" / "translations"
    expected = {f"qtbase_{code}.qm" for code in SHIPPED_LOCALES} & {
        path.name for path in wheel.iterdir()
    }
    shipped = {path.name for path in (internal / "PySide6" / "Qt" / "translations").iterdir()}
    assert shipped == expected
    assert len(expected) == len(SHIPPED_LOCALES), "Qt has a catalogue for every shipped language"


def test_babel_locale_data_trimmed_to_shipped_locales(internal: Path) -> None:
    locales = {path.stem for path in (internal / "babel" / "locale-data").glob("*.dat")}
    assert locales == {"root", *SHIPPED_LOCALES}
    assert (internal / "babel" / "global.dat").is_file()


def test_shipped_content_is_listed_and_complete(internal: Path) -> None:
    catalogues = sorted(REPO.glob("translations/*/LC_MESSAGES/messages.po"))
    for po in catalogues:
        relative = po.relative_to(REPO).with_suffix(".mo")
        assert (internal / relative).is_file(), f"{relative} is not in the bundle"
    assert not list((internal / "translations").rglob("*.po"))
    courses = {p.name for p in (REPO / "courses").iterdir() if p.is_dir()}
    assert courses <= {p.name for p in (internal / "courses").iterdir()}
    assert (internal / "kiosk" / "demo_site.toml").is_file()
    assert (internal / "assets" / "images" / "logo.svg").is_file()
    fonts = {p.name for p in (REPO / "assets" / "fonts").glob("*.ttf")}
    assert fonts == {p.name for p in (internal / "assets" / "fonts").glob("*.ttf")}
    assert not (internal / "assets" / "screenshots").exists()


def test_bundle_size_against_a_bare_pyside6_app(bundle: Path) -> None:
    if not BASELINE.is_dir():
        pytest.fail(f"{BASELINE} is missing: packaging/build.py builds it next to the bundle")
    ratio = folder_size(bundle) / folder_size(BASELINE)
    assert ratio <= 1.15, f"bundle_ratio={ratio:.2f}"


def test_archive_holds_bundle_session_kit_and_guide(unpacked: Path) -> None:
    assert unpacked.name == f"{NAME}-{kiosk.__version__}-linux-{platform.machine().lower()}"
    assert (unpacked / NAME / "kiosk").is_file()
    assert os.access(unpacked / NAME / "kiosk", os.X_OK)
    assert (unpacked / "linux" / "install.sh").is_file()
    assert os.access(unpacked / "linux" / "install.sh", os.X_OK)
    assert (unpacked / "linux" / f"{NAME}.service").is_file()
    assert (unpacked / "linux" / METAINFO.name).is_file()
    assert (unpacked / "README.md").read_text().startswith("# ")


# --- the frozen kiosk -----------------------------------------------------------------------


def test_frozen_selftest_passes(frozen: Path, bare_env: dict[str, str], tmp_path: Path) -> None:
    result = run([frozen, "selftest"], bare_env, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    for expected in ("platform=offscreen", "fonts=ok", "images=ok", "catalogues=ok", "database=ok"):
        assert expected in lines
    assert any(re.fullmatch(r"courses=[1-9]\d* ok", line) for line in lines)
    assert lines[-1] == "selftest: ok"


def test_frozen_check_and_version(frozen: Path, bare_env: dict[str, str], tmp_path: Path) -> None:
    version = run([frozen, "--version"], bare_env, tmp_path)
    assert version.stdout.strip() == f"kiosk {kiosk.__version__}"
    check = run([frozen, "check", "--data-dir", tmp_path / "data"], bare_env, tmp_path)
    assert check.returncode == 0, check.stderr
    assert check.stdout.strip().endswith("demo_site.toml: ok")


def test_frozen_terminal_syncs_with_a_hub_but_carries_no_hub_server(
    frozen: Path, internal: Path, bare_env: dict[str, str], tmp_path: Path
) -> None:
    """The terminal's side of the hub (kiosk.sync, httpx) is in the bundle and works frozen;
    the hub's server stack is not, and `kiosk hub` says what to install instead."""
    from tests.hub.servers import add_site, make_terminal, threaded_hub

    for server_part in ("fastapi", "starlette", "uvicorn", "psycopg", "psycopg_pool"):
        assert not (internal / server_part).exists(), server_part
    refused = run([frozen, "hub", "status", "--database", "postgresql://hub"], bare_env, tmp_path)
    assert refused.returncode == 2
    assert "pip install 'probierladen-kiosk[hub]'" in refused.stderr
    with DevCluster.create() as cluster:
        url = cluster.create_database("frozen")
        apply_migrations(url)
        add_site(url, "vhs", tmp_path)
        with threaded_hub(url) as hub_url:
            terminal = make_terminal(tmp_path, url, hub_url, "vhs", "frozen-1")
            with Storage.open(terminal.data_dir, outbox=True) as storage:
                storage.usage.add_events(
                    [("2026-12-01T10", "session_started", "de", "", "", "", "")] * 250
                )
            argv: list[str | Path] = [frozen, "sync", "--once", "--config", terminal.config]
            sync = run([*argv, "--data-dir", terminal.data_dir], bare_env, tmp_path)
            assert sync.returncode == 0, sync.stderr
            assert sync.stdout.strip().endswith("pushed 250 rows, pulled 0 records; 0 rows waiting")


def test_frozen_holidays_icalendar_rdflib_and_pdf(
    frozen: Path, bare_env: dict[str, str], tmp_path: Path
) -> None:
    """demo-data books slots around Thuringia's holidays (holidays' dynamically loaded country
    module); the exports use icalendar, rdflib's Turtle plugin and Qt's PDF printer."""
    data = tmp_path / "data"
    demo = run([frozen, "demo-data", "--days", "30", "--data-dir", data], bare_env, tmp_path)
    assert demo.returncode == 0, demo.stderr
    assert re.search(r"[1-9]\d* bookings ahead", demo.stdout), demo.stdout

    period = ["--from", "2000-01-01", "--to", "2100-12-31"]
    ics, table = tmp_path / "bookings.ics", tmp_path / "bookings.csv"
    for fmt, out in (("ics", ics), ("csv", table)):
        export = run(
            [
                frozen,
                "bookings",
                "export",
                *period,
                "--format",
                fmt,
                "--out",
                out,
                "--data-dir",
                data,
            ],
            bare_env,
            tmp_path,
        )
        assert export.returncode == 0, export.stderr
    import icalendar

    calendar = icalendar.Calendar.from_ical(ics.read_bytes())
    assert calendar.walk("VEVENT")
    with table.open(newline="", encoding="utf-8") as rows:
        code = next(csv.DictReader(rows))["code"]

    slip = tmp_path / "slip.pdf"
    printed = run(
        [frozen, "bookings", "slip", code, "--out", slip, "--lang", "ar", "--data-dir", data],
        bare_env,
        tmp_path,
    )
    assert printed.returncode == 0, printed.stderr
    assert slip.read_bytes().startswith(b"%PDF")

    out = tmp_path / "stats"
    out.mkdir()
    # Whole months that are over only: the last 60 days of demo data up to last month's end.
    last = date.today().replace(day=1) - timedelta(days=1)
    months = ["--from", (last - timedelta(days=59)).isoformat(), "--to", last.isoformat()]
    argv = [frozen, "stats", "export", *months, "--out", out, "--data-dir", data]
    stats = run(argv, bare_env, tmp_path)
    assert stats.returncode == 0, stats.stderr
    (turtle,) = out.glob("*/*.ttl")
    import rdflib

    graph = rdflib.Graph().parse(turtle, format="turtle")
    dcat = rdflib.Namespace("http://www.w3.org/ns/dcat#")
    assert list(graph.subjects(rdflib.RDF.type, dcat.Dataset))


def test_frozen_kiosk_finds_qt_translations_and_babel_locales(
    frozen: Path, bare_env: dict[str, str], tmp_path: Path
) -> None:
    """Every language switched to once: Qt's catalogue and Babel's locale data of each is read
    from the bundle, and Babel never looks for a locale file that was trimmed away."""
    trace = tmp_path / "strace.txt"
    shots = tmp_path / "shots"
    config = load_config(REPO / "kiosk" / "demo_site.toml")
    strace = [tool("strace"), "-f", "-qq", "-e", "trace=openat,stat,newfstatat,statx,access"]
    screenshots = [frozen, "screenshots", "--lang", "all", "--out", shots]
    result = run([*strace, "-o", trace, *screenshots], bare_env, tmp_path, timeout=600)
    assert result.returncode == 0, result.stderr
    assert {p.name for p in shots.iterdir()} == set(config.languages.enabled)
    opened: set[str] = set()
    missing: set[str] = set()
    for line in trace.read_text().splitlines():
        match = re.search(r'"([^"]+)"', line)
        if match:
            (missing if "= -1 ENOENT" in line else opened).add(match.group(1))
    for code in SHIPPED_LOCALES:
        assert any(p.endswith(f"/PySide6/Qt/translations/qtbase_{code}.qm") for p in opened), code
        assert any(p.endswith(f"/babel/locale-data/{code}.dat") for p in opened), code
    assert [p for p in missing if "/babel/locale-data/" in p] == []


def unit_environment() -> dict[str, str]:
    """The Environment= settings of the kiosk session's systemd unit."""
    settings = (KIT / f"{NAME}.service").read_text().splitlines()
    pairs = [line.removeprefix("Environment=").split("=", 1) for line in settings]
    return {pair[0]: pair[1] for pair in pairs if len(pair) == 2 and not pair[0].startswith("#")}


def test_frozen_kiosk_runs_in_cage_on_wayland(frozen: Path, tmp_path: Path) -> None:
    """The kiosk session: the frozen kiosk inside cage (headless output) as an unprivileged user,
    started as the unit starts it (its launcher, its environment), with the Wayland client
    libraries from the system, as on a terminal."""
    needs_root()
    tool("cage")
    nobody = 65534
    runtime, data = Path(tempfile.mkdtemp()), Path(tempfile.mkdtemp())
    try:
        config = data / "site.toml"
        demo = (frozen.parent / "_internal" / "kiosk" / "demo_site.toml").read_text()
        config.write_text(demo.replace('keyboard_layout = "de"', 'keyboard_layout = "tr(f)"'))
        for folder in (runtime, data, config):
            os.chown(folder, nobody, nobody)
        env = {
            "PATH": "/usr/sbin:/usr/bin:/sbin:/bin",
            "HOME": str(data),
            "LANG": "C.UTF-8",
            "XDG_RUNTIME_DIR": str(runtime),
            "WLR_BACKENDS": "headless",
            "WLR_LIBINPUT_NO_DEVICES": "1",
            "WLR_RENDERER": "pixman",
            **unit_environment(),
        }
        env["KIOSK_HOME"] = str(data)
        assert env["QT_QPA_PLATFORM"] == "wayland"
        as_nobody = [tool("setpriv"), f"--reuid={nobody}", f"--regid={nobody}", "--clear-groups"]
        # The launcher as the archive ships it (the repository's copy may sit in a folder the
        # unprivileged user cannot enter).
        launcher = frozen.parent.parent / "linux" / f"{NAME}-session"
        session: list[str | Path] = [launcher, "-d", "--", frozen, "selftest", "--config", config]
        result = run([*as_nobody, *session], env, data)
    finally:
        shutil.rmtree(runtime)
        shutil.rmtree(data)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "keyboard layout tr(f)" in result.stderr
    lines = result.stdout.splitlines()
    assert "platform=wayland" in lines
    assert lines[-1] == "selftest: ok"


# --- the Linux session kit ------------------------------------------------------------------

KIT = REPO / "packaging" / "linux"
(METAINFO,) = KIT.glob("*.metainfo.xml")
SCRIPTS = [
    KIT / "install.sh",
    KIT / f"{NAME}-admin",
    KIT / f"{NAME}-session",
    REPO / "packaging" / "system-deps.sh",
]


def test_shell_scripts_pass_shellcheck() -> None:
    for script in SCRIPTS:
        syntax = subprocess.run(["bash", "-n", script], capture_output=True, text=True, check=False)
        assert syntax.returncode == 0, syntax.stderr
    lint = subprocess.run(
        [tool("shellcheck"), *SCRIPTS], capture_output=True, text=True, check=False
    )
    assert lint.returncode == 0, lint.stdout


def test_desktop_entry_is_valid() -> None:
    result = subprocess.run(
        [tool("desktop-file-validate"), KIT / f"{NAME}.desktop"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout


def test_install_script_in_a_staged_root(unpacked: Path, tmp_path: Path) -> None:
    """install.sh from the archive: user, program, config (demo without its PIN), data folder,
    unit enabled; a second run keeps the site's config; --uninstall --purge removes it all."""
    needs_root()
    root = tmp_path / "root"
    (root / "etc").mkdir(parents=True)
    for name in ("passwd", "group", "shadow", "gshadow", "login.defs"):
        if Path("/etc", name).exists():
            shutil.copy2(Path("/etc", name), root / "etc" / name)
    (root / "usr" / "bin").mkdir(parents=True)
    for stub in ("cage", "Xwayland"):
        (root / "usr" / "bin" / stub).write_text("#!/bin/sh\n")
        (root / "usr" / "bin" / stub).chmod(0o755)
    install = [str(unpacked / "linux" / "install.sh"), "--root", str(root)]

    first = subprocess.run(install, capture_output=True, text=True, check=False)
    assert first.returncode == 0, first.stdout + first.stderr
    prefix, config = root / "opt" / NAME, root / "etc" / NAME / "site.toml"
    assert (prefix / "kiosk").is_file()
    assert (prefix / "README.md").is_file()
    assert re.search(r'^pin_hash = ""$', config.read_text(), re.MULTILINE)
    assert "scrypt$" not in config.read_text()
    user = next(
        line.split(":")
        for line in (root / "etc" / "passwd").read_text().splitlines()
        if line.startswith(f"{NAME}:")
    )
    data = root / "var" / "lib" / NAME
    assert (data.stat().st_uid, data.stat().st_mode & 0o777) == (int(user[2]), 0o750)
    assert user[6] == "/usr/sbin/nologin"
    wants = root / "etc" / "systemd" / "system" / "graphical.target.wants" / f"{NAME}.service"
    assert wants.is_symlink()
    assert (root / "etc" / "pam.d" / NAME).is_file()
    assert (root / "usr" / "local" / "sbin" / f"{NAME}-admin").is_file()
    metainfo = root / "usr" / "share" / "metainfo" / METAINFO.name
    assert metainfo.is_file()
    appstream = [tool("appstreamcli"), "validate-tree", "--no-net", str(root)]
    tree = subprocess.run(appstream, capture_output=True, text=True, check=False)
    assert tree.returncode == 0, tree.stdout + tree.stderr

    config.write_text(config.read_text().replace('name = "Probierladen Jena"', 'name = "Ort"'))
    again = subprocess.run(install, capture_output=True, text=True, check=False)
    assert again.returncode == 0, again.stdout + again.stderr
    assert 'name = "Ort"' in config.read_text()

    removed = subprocess.run(
        [*install, "--uninstall", "--purge"], capture_output=True, text=True, check=False
    )
    assert removed.returncode == 0, removed.stdout + removed.stderr
    assert not prefix.exists() and not config.exists() and not data.exists()
    assert not metainfo.exists()
    assert not wants.exists()
    assert f"{NAME}:" not in (root / "etc" / "passwd").read_text()
