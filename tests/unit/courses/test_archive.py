"""Canonical course archives: the same folder gives the same bytes, and no archive can write
outside the course folder it is unpacked into."""

from __future__ import annotations

import gzip
import io
import os
import tarfile
from pathlib import Path

import pytest

from kiosk.core.courses import archive
from kiosk.core.courses.archive import ArchiveError, pack_course, sha256_of, unpack_course
from tests.unit.courses.builders import write, write_package


def files_below(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_the_same_folder_packs_to_the_same_bytes_and_its_hash(tmp_path: Path) -> None:
    folder = write_package(tmp_path / "a")
    first, second = pack_course(folder), pack_course(folder)
    assert first.data == second.data
    assert first.sha256 == second.sha256 == sha256_of(first.data)
    assert first.course_id == "video-calls"


def test_other_times_modes_and_places_pack_to_the_same_bytes(tmp_path: Path) -> None:
    one = write_package(tmp_path / "one")
    other = write_package(tmp_path / "elsewhere" / "other")
    for path in other.rglob("*"):
        os.utime(path, (1_000_000, 1_000_000))
    (other / "course.toml").chmod(0o600)
    (other / "images").chmod(0o700)
    assert pack_course(one).data == pack_course(other).data
    write(other / "images" / "cover.svg", b"<svg/>")  # one changed byte changes the hash
    assert pack_course(one).sha256 != pack_course(other).sha256


def test_hidden_files_are_left_out_and_links_refused(tmp_path: Path) -> None:
    folder = write_package(tmp_path)
    plain = pack_course(folder).data
    write(folder / ".DS_Store", b"x")
    write(folder / "content" / ".de.md.swp", b"x")
    write(folder / ".git" / "HEAD", b"ref")
    assert pack_course(folder).data == plain
    (folder / "images" / "link.svg").symlink_to(folder / "images" / "cover.svg")
    with pytest.raises(ArchiveError, match=r"link\.svg: links cannot be published"):
        pack_course(folder)


def test_a_package_unpacks_to_the_files_it_was_packed_from(tmp_path: Path) -> None:
    folder = write_package(tmp_path / "src")
    unpacked = unpack_course(pack_course(folder).data, tmp_path / "into", "video-calls")
    assert unpacked == tmp_path / "into" / "video-calls"
    assert files_below(unpacked) == files_below(folder)
    assert all(p.stat().st_mode & 0o777 in (0o644, 0o755) for p in unpacked.rglob("*"))


Member = tuple[tarfile.TarInfo, bytes | None]


def tar_gz(*members: Member) -> bytes:
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for info, data in members:
            if data is not None:
                info.size = len(data)
            tar.addfile(info, None if data is None else io.BytesIO(data))
    return gzip.compress(raw.getvalue())


def entry(name: str, kind: bytes = tarfile.REGTYPE, **fields: object) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type = kind
    for key, value in fields.items():
        setattr(info, key, value)
    return info


TOP: Member = (entry("video-calls", tarfile.DIRTYPE), None)
HOSTILE: dict[str, list[Member]] = {
    "parent": [TOP, (entry("video-calls/../x"), b"x")],
    "parent-first": [(entry("../x"), b"x")],
    "absolute": [TOP, (entry("/tmp/x"), b"x")],
    "symlink": [TOP, (entry("video-calls/l", tarfile.SYMTYPE, linkname="/etc/passwd"), None)],
    "device": [TOP, (entry("video-calls/d", tarfile.CHRTYPE, devmajor=1, devminor=3), None)],
    "fifo": [TOP, (entry("video-calls/f", tarfile.FIFOTYPE), None)],
    "hard link": [
        TOP,
        (entry("video-calls/a"), b"a"),
        (entry("video-calls/h", tarfile.LNKTYPE, linkname="video-calls/a"), None),
    ],
    "twice": [TOP, (entry("video-calls/a"), b"a"), (entry("video-calls/a"), b"b")],
    "wrong top": [(entry("other", tarfile.DIRTYPE), None), (entry("other/a"), b"a")],
    "backslash": [TOP, (entry("video-calls\\..\\x"), b"x")],
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_a_hostile_archive_is_refused_and_writes_nothing_outside(tmp_path: Path, case: str) -> None:
    into = tmp_path / "deep" / "into"
    with pytest.raises(ArchiveError):
        unpack_course(tar_gz(*HOSTILE[case]), into, "video-calls")
    outside = {p for p in tmp_path.rglob("*") if into not in (p, *p.parents)}
    assert outside == {tmp_path / "deep"}
    assert not any(p.is_symlink() for p in into.rglob("*"))


def test_an_archive_without_the_course_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ArchiveError, match="holds no folder 'video-calls'"):
        unpack_course(tar_gz(), tmp_path / "into", "video-calls")


def test_a_compression_bomb_stops_at_the_bound(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(archive, "MAX_BYTES", 1024 * 1024)
    bomb = tar_gz(TOP, (entry("video-calls/zeros"), bytes(2 * 1024 * 1024)))
    assert len(bomb) < 10_000  # small on the wire, big unpacked
    with pytest.raises(ArchiveError, match="more than 1 MiB"):
        unpack_course(bomb, tmp_path / "into", "video-calls")
    written = tmp_path / "into" / "video-calls" / "zeros"
    assert written.stat().st_size <= 1024 * 1024


def test_too_many_entries_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(archive, "MAX_ENTRIES", 5)
    many = [TOP, *[(entry(f"video-calls/{n}"), b"x") for n in range(5)]]
    with pytest.raises(ArchiveError, match="more than 5 entries"):
        unpack_course(tar_gz(*many), tmp_path / "into", "video-calls")
    assert len(list((tmp_path / "into" / "video-calls").iterdir())) == 4


@pytest.mark.parametrize("damage", ["truncated", "flipped", "not gzip", "empty"])
def test_a_damaged_archive_is_refused(tmp_path: Path, damage: str) -> None:
    good = pack_course(write_package(tmp_path / "src")).data
    data = {
        "truncated": good[: len(good) // 2],
        "flipped": good[:40] + bytes([good[40] ^ 0xFF]) + good[41:],
        "not gzip": b"PK\x03\x04 a zip file",
        "empty": b"",
    }[damage]
    with pytest.raises(ArchiveError, match="not a readable package archive"):
        unpack_course(data, tmp_path / "into", "video-calls")
