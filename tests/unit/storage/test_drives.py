"""Export destinations: which mounts are offered, the configured folder, the data folder refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.storage.drives import ExportPlaces, removable_mounts, unique_path

# What /proc/self/mounts says on a Debian terminal with two sticks mounted by udisks2, a shared
# card, a write-protected stick and the usual system mounts.
MOUNT_TABLE = r"""sysfs /sys sysfs rw,nosuid,nodev,noexec,relatime 0 0
proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0
/dev/nvme0n1p2 / ext4 rw,relatime,errors=remount-ro 0 0
/dev/nvme0n1p1 /boot/efi vfat rw,relatime,fmask=0077,dmask=0077 0 0
tmpfs /run/user/1001 tmpfs rw,nosuid,nodev,relatime,size=791420k,mode=700,uid=1001 0 0
/dev/sda1 /media/probierladen-kiosk/STICK vfat rw,nosuid,nodev,relatime,uid=1001 0 0
/dev/sdb1 /run/media/probierladen-kiosk/USB\040DISK exfat rw,nosuid,nodev,relatime 0 0
/dev/sdc1 /media/CARD vfat rw,nosuid,nodev,relatime 0 0
/dev/sdd1 /media/probierladen-kiosk/LOCKED vfat ro,nosuid,nodev,relatime 0 0
/dev/sde1 /mnt/backup ext4 rw,relatime 0 0
/dev/sda1 /media/probierladen-kiosk/STICK vfat rw,nosuid,nodev,relatime,uid=1001 0 0
tmpfs /media tmpfs rw,relatime 0 0
/dev/sdf1 /home/media/stick vfat rw,relatime 0 0
"""


def test_only_writable_drives_below_the_media_folders_are_offered() -> None:
    assert removable_mounts(MOUNT_TABLE) == [
        Path("/media/probierladen-kiosk/STICK"),
        Path("/run/media/probierladen-kiosk/USB DISK"),  # \040 is a space in the mount table
        Path("/media/CARD"),
    ]


def test_an_empty_or_garbled_mount_table_offers_nothing() -> None:
    assert removable_mounts("") == []
    assert removable_mounts("nonsense\n\n/dev/sda1\n") == []


@pytest.fixture
def media(tmp_path: Path) -> Path:
    root = tmp_path / "media"
    for stick in ("kiosk/STICK", "kiosk/USB DISK"):
        (root / stick).mkdir(parents=True)
    return root


def places(tmp_path: Path, media: Path, **changes: object) -> ExportPlaces:
    table = tmp_path / "mounts"
    table.write_text(
        f"/dev/sda1 {media}/kiosk/STICK vfat rw 0 0\n"
        f"/dev/sdb1 {media}/kiosk/USB\\040DISK exfat rw 0 0\n",
        encoding="utf-8",
    )
    data_dir = tmp_path / "kiosk-home"
    data_dir.mkdir(exist_ok=True)
    arguments: dict[str, object] = {
        "data_dir": data_dir,
        "mount_table": table,
        "media_roots": (media,),
        "platform": "linux",
    }
    arguments.update(changes)
    return ExportPlaces(**arguments)  # type: ignore[arg-type]


def test_drives_are_described_by_volume_name_and_free_space(tmp_path: Path, media: Path) -> None:
    found = places(tmp_path, media).destinations()
    assert [(d.path, d.label, d.removable) for d in found] == [
        (media / "kiosk/STICK", "STICK", True),
        (media / "kiosk/USB DISK", "USB DISK", True),
    ]
    assert all(d.free_bytes > 0 for d in found)


def test_the_configured_folder_comes_first(tmp_path: Path, media: Path) -> None:
    folder = tmp_path / "exports-for-the-office"
    folder.mkdir()
    found = places(tmp_path, media, folder=folder).destinations()
    assert (found[0].path, found[0].removable) == (folder, False)
    assert len(found) == 3


def test_a_configured_folder_that_is_missing_is_not_offered(tmp_path: Path, media: Path) -> None:
    found = places(tmp_path, media, folder=tmp_path / "not-mounted").destinations()
    assert [d.label for d in found] == ["STICK", "USB DISK"]


def test_nothing_inside_the_data_folder_is_ever_offered(tmp_path: Path) -> None:
    # The data folder holding a "mounted drive" and being the configured folder itself.
    data_dir = tmp_path / "kiosk-home"
    inside = data_dir / "media" / "kiosk" / "STICK"
    inside.mkdir(parents=True)
    table = tmp_path / "mounts"
    table.write_text(f"/dev/sda1 {inside} vfat rw 0 0\n", encoding="utf-8")
    exports = data_dir / "exports"
    exports.mkdir()
    finder = ExportPlaces(
        data_dir,
        folder=exports,
        mount_table=table,
        media_roots=(data_dir / "media",),
        platform="linux",
    )
    assert finder.destinations() == []
    assert finder.refuses(exports) and finder.refuses(data_dir)
    assert finder.refuses(data_dir / "media" / ".." / "exports")
    assert not finder.refuses(tmp_path / "kiosk-home-exports")  # a sibling is fine


def test_an_unreadable_mount_table_offers_the_folder_only(tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    finder = ExportPlaces(
        tmp_path / "kiosk-home", folder=folder, mount_table=tmp_path / "gone", platform="linux"
    )
    assert [d.path for d in finder.destinations()] == [folder]


def test_windows_is_asked_for_drive_letters_only_on_windows(tmp_path: Path) -> None:
    # On Linux the Windows query answers nothing, even when a test pretends to be Windows.
    finder = ExportPlaces(tmp_path / "kiosk-home", mount_table=tmp_path / "x", platform="win32")
    assert finder.destinations() == []


def test_an_export_never_replaces_a_file_on_the_stick(tmp_path: Path) -> None:
    assert unique_path(tmp_path, "bookings-2026-12-01.csv") == tmp_path / "bookings-2026-12-01.csv"
    (tmp_path / "bookings-2026-12-01.csv").write_text("old", encoding="utf-8")
    (tmp_path / "bookings-2026-12-01-2.csv").write_text("old", encoding="utf-8")
    assert unique_path(tmp_path, "bookings-2026-12-01.csv") == (
        tmp_path / "bookings-2026-12-01-3.csv"
    )
