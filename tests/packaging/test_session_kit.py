"""The Linux session kit without a built bundle: the unit, the session launcher, install.sh
(checksums, file modes, uninstall without --root) and the admin command.

A stand-in bundle (a `kiosk` script running this checkout's kiosk) takes the frozen one's place,
so these run in `make test`; test_installer.py runs the same kit on the real bundle.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parents[2]
KIT = REPO / "packaging" / "linux"
NAME = "probierladen-kiosk"
UNIT = KIT / f"{NAME}.service"
LAUNCHER = KIT / f"{NAME}-session"


def build_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("kiosk_build", REPO / "packaging" / "build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def needs_root() -> None:
    if os.geteuid() != 0:
        if os.environ.get("CI"):
            pytest.fail("CI runs as root; this test must run there")
        pytest.skip("needs root (creates a user, mounts a throwaway view of /etc, /opt, /var)")


def run(
    argv: list[str | Path], env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(a) for a in argv], capture_output=True, text=True, check=False, timeout=120, env=env
    )


# --- the unit -------------------------------------------------------------------------------


def verify_unit(text: str, tmp_path: Path) -> str:
    """What `systemd-analyze verify` says about a unit text (empty = nothing), with the
    launcher's path pointing at a stub so that only the unit itself is judged."""
    stub = tmp_path / "session"
    stub.write_text("#!/bin/sh\n")
    stub.chmod(0o755)
    unit = tmp_path / f"{NAME}.service"
    unit.write_text(text.replace(f"/opt/{NAME}/{NAME}-session", str(stub)))
    analyze = shutil.which("systemd-analyze")
    assert analyze, "systemd-analyze is missing (packaging/system-deps.sh test installs systemd)"
    result = run([analyze, "verify", "--man=no", unit])
    return (result.stdout + result.stderr).strip() or ("" if result.returncode == 0 else "failed")


def test_the_unit_verifies_and_keeps_run_user_with_a_watchdog(tmp_path: Path) -> None:
    text = UNIT.read_text()
    assert verify_unit(text, tmp_path) == ""
    settings = [line.strip() for line in text.splitlines() if not line.startswith("#")]
    # ProtectHome=yes would hide /run/user, where cage's Wayland socket lives.
    assert not [line for line in settings if line.startswith("ProtectHome=")]
    assert "InaccessiblePaths=-/home -/root" in settings
    for needed in ("Type=simple", "WatchdogSec=30", "NotifyAccess=all", "Restart=always"):
        assert needed in settings
    (start,) = [line for line in settings if line.startswith("ExecStart=")]
    assert start.startswith(f"ExecStart=/opt/{NAME}/{NAME}-session -d -- /opt/{NAME}/kiosk run")
    assert start.endswith(f"--kiosk --config /etc/{NAME}/site.toml")


def test_the_unit_check_catches_an_unknown_directive(tmp_path: Path) -> None:
    text = UNIT.read_text().replace("Restart=always", "Restart=always\nRestartEvery=2")
    assert "Unknown key" in verify_unit(text, tmp_path)


# --- the session launcher: cage with the site's keyboard layout -----------------------------


@pytest.fixture
def fake_cage(tmp_path: Path) -> Path:
    """A `cage` first on PATH that prints its keyboard environment and arguments."""
    folder = tmp_path / "bin"
    folder.mkdir()
    cage = folder / "cage"
    cage.write_text(
        '#!/bin/sh\necho "layout=${XKB_DEFAULT_LAYOUT-} variant=${XKB_DEFAULT_VARIANT-}"\n'
        'echo "args=$*"\n'
    )
    cage.chmod(0o755)
    return folder


def kiosk_program(folder: Path) -> Path:
    """This checkout's kiosk as one program file, as the bundle's `kiosk` is."""
    program = folder / "kiosk"
    program.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m kiosk "$@"\n')
    program.chmod(0o755)
    return program


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        ('keyboard_layout = "us"', "layout=us variant="),
        ('keyboard_layout = "de(nodeadkeys)"', "layout=de variant=nodeadkeys"),
        ("", "layout=de variant="),  # the default
        ('keyboard_layout = "de; rm -rf /"', "layout=de variant="),  # refused by the config
    ],
)
def test_the_launcher_starts_cage_with_the_sites_layout(
    setting: str, expected: str, fake_cage: Path, tmp_path: Path
) -> None:
    config = tmp_path / "site.toml"
    config.write_text(f"[ui]\n{setting}\n")
    program = kiosk_program(tmp_path)
    argv: list[str | Path] = [LAUNCHER, "-d", "--", program, "run", "--kiosk", "--config", config]
    env = {"PATH": f"{fake_cage}:/usr/bin:/bin", "XKB_DEFAULT_VARIANT": "dvorak"}
    result = run(argv, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        expected,
        f"args=-d -- {program} run --kiosk --config {config}",
    ]


def test_the_layout_key_is_checked_with_its_line(tmp_path: Path) -> None:
    from kiosk.config import ConfigError, load_config

    config = tmp_path / "site.toml"
    config.write_text('[ui]\nonscreen_keyboard = "auto"\nkeyboard_layout = "German"\n')
    with pytest.raises(ConfigError) as error:
        load_config(config)
    (problem,) = error.value.problems
    assert str(problem).startswith(f"{config}:3: ui.keyboard_layout: 'German' is not a keyboard")
    config.write_text('[ui]\nkeyboard_layout = "tr(f)"\n')
    assert load_config(config).ui.keyboard_layout == "tr(f)"


# --- install.sh -----------------------------------------------------------------------------


def make_archive(folder: Path) -> Path:
    """An unpacked archive as build.py makes it (bundle, kit, guide, SHA256SUMS), with a
    stand-in bundle; returns its top folder."""
    top = folder / f"{NAME}-0.0.0-linux-test"
    bundle = top / NAME
    (bundle / "_internal" / "kiosk").mkdir(parents=True)
    shutil.copy(REPO / "kiosk" / "demo_site.toml", bundle / "_internal" / "kiosk")
    kiosk_program(bundle)
    shutil.copytree(KIT, top / "linux")
    shutil.copy(REPO / "packaging" / "README.md", top / "README.md")
    parts = {NAME: bundle, "linux": top / "linux", "README.md": top / "README.md"}
    (top / "SHA256SUMS").write_text(build_module().manifest(parts))
    top.chmod(0o755)
    folder.chmod(0o755)
    return top


def staged_root(folder: Path) -> Path:
    root = folder / "root"
    (root / "etc").mkdir(parents=True)
    for name in ("passwd", "group", "shadow", "gshadow", "login.defs"):
        if Path("/etc", name).exists():
            shutil.copy2(Path("/etc", name), root / "etc" / name)
    (root / "usr" / "bin").mkdir(parents=True)
    for stub in ("cage", "Xwayland"):
        (root / "usr" / "bin" / stub).write_text("#!/bin/sh\n")
        (root / "usr" / "bin" / stub).chmod(0o755)
    return root


def tree(root: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(root)): b"" if path.is_dir() else path.read_bytes()
        for path in root.rglob("*")
    }


def test_install_sets_the_config_to_0640_for_the_kiosk_group_also_on_update(
    tmp_path: Path,
) -> None:
    needs_root()
    top, root = make_archive(tmp_path), staged_root(tmp_path)
    install: list[str | Path] = [top / "linux" / "install.sh", "--root", root]
    first = run(install)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "checked every file of the archive against SHA256SUMS" in first.stdout
    config = root / "etc" / NAME / "site.toml"
    group = next(
        int(line.split(":")[3])
        for line in (root / "etc" / "passwd").read_text().splitlines()
        if line.startswith(f"{NAME}:")
    )
    for path, mode in ((config, 0o640), (config.parent, 0o750)):
        info = path.stat()
        assert (info.st_mode & 0o777, info.st_uid, info.st_gid) == (mode, 0, group), path
    assert os.access(root / "opt" / NAME / f"{NAME}-session", os.X_OK)
    assert os.access(root / "usr" / "local" / "sbin" / f"{NAME}-uninstall", os.X_OK)
    config.chmod(0o644)  # an installation from an older version
    again = run(install)
    assert again.returncode == 0, again.stdout + again.stderr
    assert config.stat().st_mode & 0o777 == 0o640


@pytest.mark.parametrize("tampering", ["changed", "added", "no-manifest"])
def test_a_tampered_archive_is_refused_before_anything_is_written(
    tampering: str, tmp_path: Path
) -> None:
    needs_root()
    top, root = make_archive(tmp_path), staged_root(tmp_path)
    if tampering == "changed":
        with (top / NAME / "kiosk").open("a") as program:
            program.write("touch /tmp/owned\n")
    elif tampering == "added":
        (top / NAME / "_internal" / "sitecustomize.py").write_text("import os\n")
    else:
        (top / "SHA256SUMS").unlink()
    before = tree(root)
    result = run([top / "linux" / "install.sh", "--root", root])
    assert result.returncode == 1
    assert "nothing was installed" in result.stderr or "SHA256SUMS is missing" in result.stderr
    assert tree(root) == before
    if tampering == "no-manifest":
        unchecked = run([top / "linux" / "install.sh", "--root", root, "--no-verify"])
        assert unchecked.returncode == 0, unchecked.stdout + unchecked.stderr


# Mounts a throwaway layer over /etc, /opt, /usr and /var (in a private mount namespace), so
# install.sh and the uninstaller run on the real paths, without --root, and change nothing here.
NAMESPACE_SCRIPT = r"""
set -eu
layers=$1 top=$2
for dir in etc opt usr var; do
    mkdir -p "$layers/$dir/upper" "$layers/$dir/work"
    mount -t overlay overlay \
        -o "lowerdir=/$dir,upperdir=$layers/$dir/upper,workdir=$layers/$dir/work" "/$dir"
done
for stub in cage Xwayland; do
    [ -x /usr/bin/$stub ] || { printf '#!/bin/sh\n' >/usr/bin/$stub; chmod 755 /usr/bin/$stub; }
done
rm -rf /run/systemd/system 2>/dev/null || true
state() {
    echo "== $1"
    for path in /opt/probierladen-kiosk/kiosk /etc/probierladen-kiosk/site.toml \
        /var/lib/probierladen-kiosk /etc/systemd/system/probierladen-kiosk.service \
        /etc/systemd/system/graphical.target.wants/probierladen-kiosk.service \
        /usr/local/sbin/probierladen-kiosk-admin /usr/local/sbin/probierladen-kiosk-uninstall \
        /etc/pam.d/probierladen-kiosk; do
        if [ -e "$path" ] || [ -L "$path" ]; then echo "present $path"; else echo "gone $path"; fi
    done
    user=gone
    if getent passwd probierladen-kiosk >/dev/null; then user=present; fi
    echo "$user user"
}
"$top/linux/install.sh" >&2
state installed
/usr/local/sbin/probierladen-kiosk-uninstall >&2
state uninstalled
"$top/linux/install.sh" >&2
"$top/linux/install.sh" --uninstall --purge >&2
state purged
"""


def states(output: str) -> dict[str, dict[str, str]]:
    found: dict[str, dict[str, str]] = {}
    current: dict[str, str] = {}
    for line in output.splitlines():
        if line.startswith("== "):
            current = found.setdefault(line[3:], {})
        else:
            status, what = line.split(" ", 1)
            current[what] = status
    return found


def test_install_and_uninstall_without_root_on_the_real_paths(tmp_path: Path) -> None:
    """The uninstaller kept on the terminal removes the session and the program but keeps
    config, data and user; --uninstall --purge removes those too. (Before, uninstalling without
    --root stopped at `${root:?}` after deleting the unit, leaving the rest behind.)"""
    needs_root()
    top = make_archive(tmp_path)
    layers = tmp_path / "layers"
    script = tmp_path / "namespace.sh"
    script.write_text(NAMESPACE_SCRIPT)
    unshare: list[str | Path] = [
        "unshare",
        "--mount",
        "--propagation",
        "private",
        "bash",
        script,
        layers,
        top,
    ]
    result = run(unshare)
    assert result.returncode == 0, result.stdout + result.stderr
    found = states(result.stdout)
    assert set(found["installed"].values()) == {"present"}, found["installed"]
    kept = {
        "/etc/probierladen-kiosk/site.toml",
        "/var/lib/probierladen-kiosk",
        "user",
    }
    assert {what for what, status in found["uninstalled"].items() if status == "present"} == kept
    assert set(found["purged"].values()) == {"gone"}, found["purged"]
    assert not Path(f"/opt/{NAME}").exists() and not Path(f"/etc/{NAME}").exists()


# --- the admin command ----------------------------------------------------------------------


@pytest.mark.parametrize("argv", [["demo-data", "--days", "30"], ["run", "--demo"]])
def test_the_admin_command_refuses_demo_data_and_the_demo_pin(argv: list[str]) -> None:
    needs_root()
    result = run([KIT / f"{NAME}-admin", *argv])
    assert result.returncode == 2
    assert "not offered on an installed terminal" in result.stderr
