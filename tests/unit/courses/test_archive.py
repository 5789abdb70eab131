"""Canonical course archives: the same folder gives the same bytes, and no archive can write
outside the course folder it is unpacked into."""

from __future__ import annotations

import gzip
import io
import os
import tarfile
import tracemalloc
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
    link = folder / "images" / "link.svg"
    link.symlink_to(folder / "images" / "cover.svg")
    with pytest.raises(ArchiveError) as refused:
        pack_course(folder)
    assert str(refused.value) == f"{link}: links cannot be published; copy the file instead"


def test_only_a_folder_of_files_and_folders_can_be_packed(tmp_path: Path) -> None:
    folder = write_package(tmp_path)
    with pytest.raises(ArchiveError) as refused:
        pack_course(folder / "course.toml")
    assert str(refused.value) == f"{folder / 'course.toml'}: not a folder"
    fifo = folder / "content" / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(ArchiveError) as refused:
        pack_course(folder)
    assert str(refused.value) == f"{fifo}: only files and folders can be published"


def test_the_archive_is_canonical_entry_by_entry(tmp_path: Path) -> None:
    folder = tmp_path / "video-calls"
    for name in ("a/b", "a-b", "B", "content/de.md"):
        write(folder / name, name.encode())
    data = pack_course(folder).data
    # gzip: deflate, no flags (so no file name), time 0, best compression, no operating system.
    assert data[:10] == b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
    raw = gzip.decompress(data)
    assert raw[257:265] == b"ustar\x0000"  # POSIX (pax) headers, not GNU ones
    with tarfile.open(fileobj=io.BytesIO(raw)) as tar:
        members = tar.getmembers()
        contents = {m.name: tar.extractfile(m).read() for m in members if m.isfile()}  # type: ignore[union-attr]
    # Sorted by the whole name as text: "a-b" before "a/b", capitals first.
    assert [(m.name, m.type, m.mode) for m in members] == [
        ("video-calls", tarfile.DIRTYPE, 0o755),
        ("video-calls/B", tarfile.REGTYPE, 0o644),
        ("video-calls/a", tarfile.DIRTYPE, 0o755),
        ("video-calls/a-b", tarfile.REGTYPE, 0o644),
        ("video-calls/a/b", tarfile.REGTYPE, 0o644),
        ("video-calls/content", tarfile.DIRTYPE, 0o755),
        ("video-calls/content/de.md", tarfile.REGTYPE, 0o644),
    ]
    assert {(m.mtime, m.uid, m.gid, m.uname, m.gname) for m in members} == {(0, 0, 0, "", "")}
    assert contents == {
        f"video-calls/{n}": n.encode() for n in ("B", "a-b", "a/b", "content/de.md")
    }


def test_the_bytes_do_not_depend_on_the_default_tar_format(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = write_package(tmp_path)
    plain = pack_course(folder).data
    monkeypatch.setattr(tarfile.TarFile, "format", tarfile.GNU_FORMAT)
    assert pack_course(folder).data == plain


def test_a_folder_of_exactly_max_entries_packs_and_one_more_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(archive, "MAX_ENTRIES", 5)
    folder = tmp_path / "video-calls"
    for name in ("a", "b", "c/d"):  # with the folders video-calls and c: 5 entries
        write(folder / name, b"x")
    unpacked = unpack_course(pack_course(folder).data, tmp_path / "into", "video-calls")
    assert files_below(unpacked) == files_below(folder)
    write(folder / "e", b"x")
    with pytest.raises(ArchiveError) as refused:
        pack_course(folder)
    assert str(refused.value) == f"{folder}: more than 5 files and folders"


def test_a_package_unpacks_to_the_files_it_was_packed_from(tmp_path: Path) -> None:
    folder = write_package(tmp_path / "src")
    unpacked = unpack_course(pack_course(folder).data, tmp_path / "into", "video-calls")
    assert unpacked == tmp_path / "into" / "video-calls"
    assert files_below(unpacked) == files_below(folder)
    assert all(p.stat().st_mode & 0o777 in (0o644, 0o755) for p in unpacked.rglob("*"))


def test_a_package_unpacks_into_an_existing_empty_folder(tmp_path: Path) -> None:
    folder = write_package(tmp_path / "src")
    into = tmp_path / "into"
    into.mkdir()
    unpacked = unpack_course(pack_course(folder).data, into, "video-calls")
    assert files_below(unpacked) == files_below(folder)


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
# Each hostile archive with the refusal's text ({into}: the folder it is unpacked into).
HOSTILE: dict[str, tuple[list[Member], str]] = {
    "parent": (
        [TOP, (entry("video-calls/../x"), b"x")],
        "'video-calls/../x': outside the course folder 'video-calls'",
    ),
    "parent-first": ([(entry("../x"), b"x")], "'../x': outside the course folder 'video-calls'"),
    "absolute": ([TOP, (entry("/tmp/x"), b"x")], "'/tmp/x': not a plain relative name"),
    "root folder": ([(entry("/", tarfile.DIRTYPE), None)], "'': not a plain relative name"),
    "empty name": ([TOP, (entry(""), b"x")], "'': not a plain relative name"),
    "nul": (
        [TOP, (entry("video-calls/a", pax_headers={"path": "video-calls/a\x00b"}), b"x")],
        r"'video-calls/a\x00b': not a plain relative name",
    ),
    "symlink": (
        [TOP, (entry("video-calls/l", tarfile.SYMTYPE, linkname="/etc/passwd"), None)],
        "video-calls/l: only files and folders are allowed",
    ),
    "device": (
        [TOP, (entry("video-calls/d", tarfile.CHRTYPE, devmajor=1, devminor=3), None)],
        "video-calls/d: only files and folders are allowed",
    ),
    "fifo": (
        [TOP, (entry("video-calls/f", tarfile.FIFOTYPE), None)],
        "video-calls/f: only files and folders are allowed",
    ),
    "hard link": (
        [
            TOP,
            (entry("video-calls/a"), b"a"),
            (entry("video-calls/h", tarfile.LNKTYPE, linkname="video-calls/a"), None),
        ],
        "video-calls/h: only files and folders are allowed",
    ),
    "twice": (
        [TOP, (entry("video-calls/a"), b"a"), (entry("video-calls/a"), b"b")],
        "{into}/video-calls/a: the archive holds it twice",
    ),
    "file then folder": (
        [TOP, (entry("video-calls/a"), b"a"), (entry("video-calls/a", tarfile.DIRTYPE), None)],
        "{into}/video-calls/a: the archive holds it twice",
    ),
    "wrong top": (
        [(entry("other", tarfile.DIRTYPE), None), (entry("other/a"), b"a")],
        "'other': outside the course folder 'video-calls'",
    ),
    "backslash": (
        [TOP, (entry("video-calls\\..\\x"), b"x")],
        r"'video-calls\\..\\x': not a plain relative name",
    ),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_a_hostile_archive_is_refused_and_writes_nothing_outside(tmp_path: Path, case: str) -> None:
    into = tmp_path / "deep" / "into"
    members, message = HOSTILE[case]
    with pytest.raises(ArchiveError) as refused:
        unpack_course(tar_gz(*members), into, "video-calls")
    assert str(refused.value) == message.format(into=into)
    outside = {p for p in tmp_path.rglob("*") if into not in (p, *p.parents)}
    assert outside == {tmp_path / "deep"}
    assert not any(p.is_symlink() for p in into.rglob("*"))


def test_an_archive_without_the_course_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ArchiveError) as refused:
        unpack_course(tar_gz(), tmp_path / "into", "video-calls")
    assert str(refused.value) == "the archive holds no folder 'video-calls'"


def test_folders_may_be_missing_or_come_after_their_files_or_twice(tmp_path: Path) -> None:
    archive_data = tar_gz(
        (entry("video-calls/a/b/c"), b"c"),  # no folder entries before it at all
        (entry("video-calls/a", tarfile.DIRTYPE), None),
        (entry("video-calls/x/y", tarfile.DIRTYPE), None),  # before its parent
        (entry("video-calls/x", tarfile.DIRTYPE), None),
        TOP,
        TOP,
        (entry("video-calls/./d"), b"d"),
    )
    unpacked = unpack_course(archive_data, tmp_path / "into", "video-calls")
    assert files_below(unpacked) == {"a/b/c": b"c", "d": b"d"}
    assert (unpacked / "x" / "y").is_dir()


def test_a_compression_bomb_stops_at_the_bound(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(archive, "MAX_BYTES", 1024 * 1024)
    bomb = tar_gz(TOP, (entry("video-calls/zeros"), bytes(2 * 1024 * 1024)))
    assert len(bomb) < 10_000  # small on the wire, big unpacked
    with pytest.raises(ArchiveError) as refused:
        unpack_course(bomb, tmp_path / "into", "video-calls")
    assert str(refused.value) == "more than 1 MiB"
    written = tmp_path / "into" / "video-calls" / "zeros"
    assert written.stat().st_size <= 1024 * 1024


def test_a_compression_bomb_is_never_held_in_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(archive, "MAX_BYTES", 1024 * 1024)
    bomb = tar_gz(TOP, (entry("video-calls/zeros"), bytes(32 * 1024 * 1024)))
    tracemalloc.start()
    try:
        with pytest.raises(ArchiveError):
            unpack_course(bomb, tmp_path / "into", "video-calls")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 4 * 1024 * 1024  # read in small pieces, not the 32 MiB at once


def test_exactly_max_bytes_over_several_files_unpack_and_one_more_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(archive, "MAX_BYTES", 2 * 1024 * 1024)
    half = bytes(1024 * 1024)
    exact = tar_gz(TOP, (entry("video-calls/a"), half), (entry("video-calls/b"), half))
    unpacked = unpack_course(exact, tmp_path / "exact", "video-calls")
    assert files_below(unpacked) == {"a": half, "b": half}
    over = tar_gz(
        TOP,
        (entry("video-calls/a"), half),
        (entry("video-calls/b"), half),
        (entry("video-calls/c"), b"x"),
    )
    with pytest.raises(ArchiveError) as refused:
        unpack_course(over, tmp_path / "over", "video-calls")
    assert str(refused.value) == "more than 2 MiB"


def test_too_many_entries_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(archive, "MAX_ENTRIES", 5)
    many = [TOP, *[(entry(f"video-calls/{n}"), b"x") for n in range(5)]]
    with pytest.raises(ArchiveError) as refused:
        unpack_course(tar_gz(*many), tmp_path / "into", "video-calls")
    assert str(refused.value) == "more than 5 entries"
    assert len(list((tmp_path / "into" / "video-calls").iterdir())) == 4
    unpacked = unpack_course(tar_gz(*many[:5]), tmp_path / "exact", "video-calls")
    assert sorted(p.name for p in unpacked.iterdir()) == ["0", "1", "2", "3"]


@pytest.mark.parametrize("damage", ["truncated", "flipped", "not gzip", "empty"])
def test_a_damaged_archive_is_refused(tmp_path: Path, damage: str) -> None:
    good = pack_course(write_package(tmp_path / "src")).data
    data = {
        "truncated": good[: len(good) // 2],
        "flipped": good[:40] + bytes([good[40] ^ 0xFF]) + good[41:],
        "not gzip": b"PK\x03\x04 a zip file",
        "empty": b"",
    }[damage]
    with pytest.raises(ArchiveError, match=r"^not a readable package archive \(.+\)$"):
        unpack_course(data, tmp_path / "into", "video-calls")


def test_only_a_gzip_compressed_tar_is_read(tmp_path: Path) -> None:
    raw = gzip.decompress(pack_course(write_package(tmp_path / "src")).data)
    with pytest.raises(ArchiveError) as refused:
        unpack_course(raw, tmp_path / "into", "video-calls")
    assert str(refused.value) == "not a readable package archive (not a gzip file)"
