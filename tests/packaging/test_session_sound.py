"""The Linux session kit gives the kiosk user the sound devices, for reading aloud."""

from __future__ import annotations

from pathlib import Path

from tests.packaging.test_session_kit import NAME, make_archive, needs_root, run, staged_root


def members(root: Path, group: str) -> list[str]:
    for line in (root / "etc" / "group").read_text().splitlines():
        name, _, _, users = line.split(":")
        if name == group:
            return users.split(",") if users else []
    raise AssertionError(f"no group {group} in the staged root")


def test_install_puts_the_kiosk_user_in_the_audio_group_also_on_update(
    tmp_path: Path,
) -> None:
    needs_root()
    top, root = make_archive(tmp_path), staged_root(tmp_path)
    install: list[str | Path] = [top / "linux" / "install.sh", "--root", root]
    first = run(install)
    assert first.returncode == 0, first.stdout + first.stderr
    assert NAME in members(root, "audio")
    again = run(install)
    assert again.returncode == 0, again.stdout + again.stderr
    assert members(root, "audio").count(NAME) == 1
