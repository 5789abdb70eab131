"""The terminal's store of hub-delivered courses: a package is installed only when its hash and
its content are right, the switch is one rename of the index, and old folders stay for a
visitor until pruned."""

from __future__ import annotations

import json
import logging
import os
import re
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from kiosk.core.courses import archive
from kiosk.core.courses.archive import PackedCourse, pack_course
from kiosk.core.courses.archive import sha256_of as sha256
from kiosk.fleet import courses as courses_module
from kiosk.fleet.courses import PROBLEM_MAX, CourseOffer, CourseStore, InstallRefused
from tests.unit.courses.builders import edit, write_package


def package(tmp_path: Path, version: int, course_id: str = "video-calls") -> PackedCourse:
    folder = write_package(tmp_path / f"src-{course_id}-{version}", course_id)
    edit(folder / "course.toml", "version = 1", f"version = {version}")
    return pack_course(folder)


def offer(packed: PackedCourse, number: int, version: int) -> CourseOffer:
    return CourseOffer(number, packed.course_id, version, packed.sha256, len(packed.data))


@pytest.fixture
def store(tmp_path: Path) -> CourseStore:
    return CourseStore(tmp_path / "fleet" / "courses")


def test_an_installed_course_is_in_the_index_in_a_folder_named_like_it(
    tmp_path: Path, store: CourseStore, caplog: pytest.LogCaptureFixture
) -> None:
    v1 = package(tmp_path, 1)
    with caplog.at_level(logging.INFO, logger="kiosk.fleet"):
        course = store.install(offer(v1, 7, 1), v1.data)
    assert [r.getMessage() for r in caplog.records] == [
        "course video-calls v1 (id 7) installed from the hub"
    ]
    assert course.folder == store.root / f"video-calls-{v1.sha256[:12]}" / "video-calls"
    assert (course.folder / "course.toml").read_text(encoding="utf-8").count("version = 1") == 1
    assert store.installed() == {"video-calls": course}
    assert CourseStore(store.root).installed() == {"video-calls": course}  # from the file
    assert store.folders() == [course.folder]
    assert store.problem() == ""
    assert [p.name for p in store.root.iterdir() if p.name.startswith(".")] == []
    # The same offer again changes nothing: nothing is unpacked or written.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(courses_module, "unpack_course", fail)
        patch.setattr(courses_module, "write_atomically", fail)
        assert store.install(offer(v1, 7, 1), v1.data) == course


def fail(*_args: object) -> None:
    raise AssertionError("not to be called")


def test_the_same_package_published_again_is_renamed_in_the_index_only(
    tmp_path: Path, store: CourseStore
) -> None:
    v1 = package(tmp_path, 1)
    first = store.install(offer(v1, 7, 1), v1.data)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(courses_module, "unpack_course", fail)
        again = store.install(offer(v1, 12, 1), v1.data)
    assert again == courses_module.InstalledCourse("video-calls", 12, 1, v1.sha256, first.folder)
    assert CourseStore(store.root).installed() == {"video-calls": again}


def test_the_index_is_one_json_file_with_a_format_and_the_courses_sorted(
    tmp_path: Path, store: CourseStore
) -> None:
    v1, other = package(tmp_path, 1), package(tmp_path, 3, "phishing")
    store.install(offer(v1, 7, 1), v1.data)
    store.install(offer(other, 8, 3), other.data)
    body = {
        "format": 1,
        "courses": {
            "phishing": {
                "id": 8,
                "version": 3,
                "sha256": other.sha256,
                "folder": f"phishing-{other.sha256[:12]}",
            },
            "video-calls": {
                "id": 7,
                "version": 1,
                "sha256": v1.sha256,
                "folder": f"video-calls-{v1.sha256[:12]}",
            },
        },
    }
    assert (store.root / "index.json").read_text(encoding="utf-8") == json.dumps(body, indent=1)


def test_a_package_is_unpacked_beside_the_installed_ones_under_a_temporary_name(
    tmp_path: Path, store: CourseStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    v1 = package(tmp_path, 1)
    places: list[Path] = []
    unpack = archive.unpack_course

    def spy(data: bytes, into: Path, course_id: str) -> Path:
        places.append(into)
        return unpack(data, into, course_id)

    monkeypatch.setattr(courses_module, "unpack_course", spy)
    store.install(offer(v1, 7, 1), v1.data)
    (place,) = places
    assert place.parent == store.root
    assert re.fullmatch(r"\.incoming-[0-9a-f]{12}", place.name)  # what prune recognises
    assert not place.exists()


def test_a_newer_version_switches_and_the_old_folder_stays_until_pruned(
    tmp_path: Path, store: CourseStore
) -> None:
    v1, v2 = package(tmp_path, 1), package(tmp_path, 2)
    old = store.install(offer(v1, 7, 1), v1.data)
    new = store.install(offer(v2, 9, 2), v2.data)
    assert store.installed()["video-calls"] == new
    assert (new.id, new.version) == (9, 2)
    assert old.folder.is_dir()  # a visitor mid-lesson still reads it
    assert store.prune(keep=[old.folder]) == []
    assert store.prune() == [old.folder.parent]
    assert not old.folder.exists() and new.folder.is_dir()


def test_a_hash_mismatch_is_refused_and_the_old_version_stays(
    tmp_path: Path, store: CourseStore
) -> None:
    v1, v2 = package(tmp_path, 1), package(tmp_path, 2)
    old = store.install(offer(v1, 7, 1), v1.data)
    altered = v2.data[:-1] + bytes([v2.data[-1] ^ 1])
    bad = offer(v2, 9, 2)
    with pytest.raises(InstallRefused, match=r"^hash mismatch$"):
        store.install(bad, altered)
    assert store.installed() == {"video-calls": old}
    assert store.problem() == "video-calls v2 (id 9): hash mismatch"
    assert store.refused(bad) and not store.refused(offer(v1, 7, 1))
    assert sorted(p.name for p in store.root.iterdir()) == ["index.json", old.folder.parent.name]
    # While the hub still offers it, the refusal stays.
    store.forget_refusals([offer(v1, 7, 1), bad])
    assert store.refused(bad)
    # The hub offers something else (rolled back, or a new version): the problem is over.
    store.forget_refusals([offer(v1, 7, 1)])
    assert store.problem() == "" and not store.refused(bad)


def test_a_good_install_ends_the_course_s_earlier_refusal(
    tmp_path: Path, store: CourseStore
) -> None:
    v2 = package(tmp_path, 2)
    with pytest.raises(InstallRefused):
        store.install(offer(v2, 9, 2), v2.data[:-1])
    assert store.refused(offer(v2, 9, 2))
    store.install(offer(v2, 9, 2), v2.data)
    assert store.problem() == "" and not store.refused(offer(v2, 9, 2))


def test_a_package_the_checker_refuses_keeps_the_old_version_with_its_lines(
    tmp_path: Path, store: CourseStore
) -> None:
    v1 = package(tmp_path, 1)
    old = store.install(offer(v1, 7, 1), v1.data)
    folder = write_package(tmp_path / "broken")
    edit(folder / "course.toml", "version = 1", "version = 2")
    edit(folder / "course.toml", 'level = "beginner"', 'level = "wizard"')
    (folder / "images" / "call.svg").unlink()
    broken = pack_course(folder)
    with pytest.raises(InstallRefused) as refused:
        store.install(offer(broken, 9, 2), broken.data)
    lines = str(refused.value).splitlines()
    assert "video-calls/content/de.md:11: image not found: images/call.svg" in lines
    assert any(
        line.startswith("video-calls/course.toml:5: level: must be one of") for line in lines
    )
    assert str(tmp_path) not in str(refused.value)  # no paths of this terminal in the report
    assert store.installed() == {"video-calls": old}
    assert store.problem().startswith("video-calls v2 (id 9): video-calls/content/de.md:11: image")
    assert "; video-calls/course.toml:5: level" in store.problem()
    assert sorted(p.name for p in store.root.iterdir()) == ["index.json", old.folder.parent.name]


def test_a_temporary_folder_that_cannot_be_deleted_does_not_hide_the_refusal(
    tmp_path: Path, store: CourseStore
) -> None:
    folder = write_package(tmp_path / "broken")
    (folder / "images" / "call.svg").unlink()
    broken = pack_course(folder)

    def cannot(*_args: object, **_kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(os, "unlink", cannot)
        with pytest.raises(InstallRefused, match=r"image not found: images/call\.svg"):
            store.install(offer(broken, 9, 1), broken.data)
    assert store.refused(offer(broken, 9, 1))  # the package's fault: not fetched again
    (leftover,) = store.root.iterdir()
    assert leftover.name.startswith(".incoming-")
    later = CourseStore(store.root, clock=lambda: time.time() + 3600)
    assert later.prune() == [leftover]


def test_a_package_of_another_course_or_version_is_refused(
    tmp_path: Path, store: CourseStore
) -> None:
    other = package(tmp_path, 2, "phishing")
    with pytest.raises(InstallRefused, match="outside the course folder 'video-calls'"):
        store.install(CourseOffer(9, "video-calls", 2, other.sha256, 1), other.data)
    # Named right on the outside, another course inside.
    folder = write_package(tmp_path / "inside")
    edit(folder / "course.toml", 'id = "video-calls"', 'id = "phishing"')
    inside = pack_course(folder)
    with pytest.raises(InstallRefused, match="id 'phishing' differs from the folder name"):
        store.install(offer(inside, 9, 1), inside.data)
    v1 = package(tmp_path, 1)
    with pytest.raises(InstallRefused, match=r"^the package says version 1$"):
        store.install(offer(v1, 9, 4), v1.data)
    with pytest.raises(InstallRefused, match=r"^'\.\./x' is not a course id$"):
        store.install(CourseOffer(9, "../x", 1, v1.sha256, 1), v1.data)
    assert store.problem() == "../x v1 (id 9): '../x' is not a course id; " + (
        "video-calls v4 (id 9): the package says version 1"
    )
    assert store.installed() == {}
    assert not (tmp_path / "x").exists()


class PowerCut(BaseException):
    """The machine stops at this point."""


def test_a_crash_between_unpacking_and_the_switch_leaves_the_old_version_in_use(
    tmp_path: Path, store: CourseStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    v1, v2 = package(tmp_path, 1), package(tmp_path, 2)
    old = store.install(offer(v1, 7, 1), v1.data)
    index_before = (store.root / "index.json").read_bytes()

    def cut(_path: Path, _data: bytes) -> None:
        raise PowerCut

    with monkeypatch.context() as patch:
        patch.setattr(courses_module, "write_atomically", cut)
        with pytest.raises(PowerCut):
            store.install(offer(v2, 9, 2), v2.data)
    # v2 is unpacked and complete, but the index still names v1: after a restart v1 is used.
    assert (store.root / f"video-calls-{v2.sha256[:12]}" / "video-calls").is_dir()
    assert (store.root / "index.json").read_bytes() == index_before
    restarted = CourseStore(store.root)
    assert restarted.installed() == {"video-calls": old}
    assert restarted.folders() == [old.folder]
    # The next round installs v2 properly over the leftover.
    new = restarted.install(offer(v2, 9, 2), v2.data)
    assert restarted.installed() == {"video-calls": new}
    assert json.loads((store.root / "index.json").read_bytes())["courses"]["video-calls"] == {
        "folder": f"video-calls-{v2.sha256[:12]}",
        "id": 9,
        "sha256": v2.sha256,
        "version": 2,
    }


def test_a_rename_that_fails_leaves_the_old_version_and_no_temporary_folder(
    tmp_path: Path, store: CourseStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    v1, v2 = package(tmp_path, 1), package(tmp_path, 2)
    old = store.install(offer(v1, 7, 1), v1.data)

    def full_disk(_self: Path, _target: Path) -> Path:
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patch:
        patch.setattr(Path, "replace", full_disk)
        with pytest.raises(OSError, match="No space left"):
            store.install(offer(v2, 9, 2), v2.data)
    assert store.installed() == {"video-calls": old}
    assert not [p for p in store.root.iterdir() if p.name.startswith(".incoming-")]
    # Not the package's fault: it is fetched again, and the report says why it is missing.
    assert not store.refused(offer(v2, 9, 2))
    assert (
        store.problem() == "video-calls v2 (id 9): cannot be stored here (No space left on device)"
    )


def test_a_local_fault_without_a_text_is_reported_by_its_kind(
    tmp_path: Path, store: CourseStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    v1 = package(tmp_path, 1)

    def refused(_self: Path, _target: Path) -> Path:
        raise PermissionError

    monkeypatch.setattr(Path, "replace", refused)
    with pytest.raises(PermissionError):
        store.install(offer(v1, 7, 1), v1.data)
    assert store.problem() == "video-calls v1 (id 7): cannot be stored here (PermissionError)"
    assert not store.refused(offer(v1, 7, 1))


def test_a_damaged_index_counts_as_nothing_installed(
    tmp_path: Path, store: CourseStore, caplog: pytest.LogCaptureFixture
) -> None:
    v1 = package(tmp_path, 1)
    course = store.install(offer(v1, 7, 1), v1.data)
    (store.root / "index.json").write_text("{not json", encoding="utf-8")
    caplog.clear()
    assert store.installed() == {}
    assert [(r.levelno, r.getMessage()) for r in caplog.records] == [
        (
            logging.ERROR,
            "the index of installed courses cannot be read (Expecting property name enclosed "
            "in double quotes: line 1 column 2 (char 1)); none used",
        )
    ]
    index = {"format": 1, "courses": {"video-calls": {"id": 7, "version": 1, "sha256": "x"}}}
    (store.root / "index.json").write_text(json.dumps(index), encoding="utf-8")
    assert store.installed() == {}  # an entry without its folder
    index["courses"]["video-calls"]["folder"] = "../../elsewhere"  # type: ignore[index]
    (store.root / "index.json").write_text(json.dumps(index), encoding="utf-8")
    assert store.installed() == {}
    assert course.folder.is_dir()


GOOD_ENTRY = {
    "id": 7,
    "version": 1,
    "sha256": "0123456789abcdef",
    "folder": "video-calls-0123456789ab",
}
DAMAGED: dict[str, Any] = {
    "a list": [GOOD_ENTRY],
    "no courses": {"format": 1},
    "courses a list": {"format": 1, "courses": [GOOD_ENTRY]},
}
DAMAGED_ENTRY: dict[str, tuple[str, Any]] = {
    "not an object": ("video-calls", ["video-calls-0123456789ab"]),
    "not a course id": ("Video-Calls", {**GOOD_ENTRY, "folder": "Video-Calls-0123456789ab"}),
    "id as text": ("video-calls", {**GOOD_ENTRY, "id": "7"}),
    "version as text": ("video-calls", {**GOOD_ENTRY, "version": "1"}),
    "hash a number": (
        "video-calls",
        {**GOOD_ENTRY, "sha256": 123456789012345, "folder": "video-calls-123456789012"},
    ),
    "another folder": ("video-calls", {**GOOD_ENTRY, "folder": "video-calls-ffffffffffff"}),
}


@pytest.mark.parametrize("case", sorted(DAMAGED))
def test_an_index_without_its_courses_counts_as_nothing_installed(
    store: CourseStore, caplog: pytest.LogCaptureFixture, case: str
) -> None:
    store.root.mkdir(parents=True)
    (store.root / "index.json").write_text(json.dumps(DAMAGED[case]), encoding="utf-8")
    assert store.installed() == {}
    assert [(r.levelno, r.getMessage()) for r in caplog.records] == [
        (logging.ERROR, "the index of installed courses names no courses; none used")
    ]


@pytest.mark.parametrize("case", sorted(DAMAGED_ENTRY))
def test_a_damaged_entry_of_the_index_is_left_out(
    store: CourseStore, caplog: pytest.LogCaptureFixture, case: str
) -> None:
    course_id, damaged = DAMAGED_ENTRY[case]
    courses = {course_id: damaged, "phishing": {**GOOD_ENTRY, "folder": "phishing-0123456789ab"}}
    store.root.mkdir(parents=True)
    (store.root / "index.json").write_text(
        json.dumps({"format": 1, "courses": courses}), encoding="utf-8"
    )
    assert store.installed() == {
        "phishing": courses_module.InstalledCourse(
            "phishing", 7, 1, "0123456789abcdef", store.root / "phishing-0123456789ab" / "phishing"
        )
    }
    assert [(r.levelno, r.getMessage()) for r in caplog.records] == [
        (logging.ERROR, "an entry of the installed courses' index is damaged; left out")
    ]


def test_remove_takes_the_course_out_of_the_index_only(
    tmp_path: Path, store: CourseStore, caplog: pytest.LogCaptureFixture
) -> None:
    v1, other = package(tmp_path, 1), package(tmp_path, 3, "phishing")
    course = store.install(offer(v1, 7, 1), v1.data)
    kept = store.install(offer(other, 8, 3), other.data)
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="kiosk.fleet"):
        assert store.remove("video-calls") is True
    assert [r.getMessage() for r in caplog.records] == [
        "course video-calls is no longer installed from the hub"
    ]
    assert store.remove("video-calls") is False
    assert store.installed() == {"phishing": kept}
    assert course.folder.is_dir()
    assert store.prune() == [course.folder.parent]
    assert store.folders() == [kept.folder]


def test_prune_leaves_young_temporary_folders_and_deletes_old_ones(
    tmp_path: Path, store: CourseStore
) -> None:
    v1 = package(tmp_path, 1)
    course = store.install(offer(v1, 7, 1), v1.data)
    young = store.root / ".incoming-young"
    (young / "video-calls").mkdir(parents=True)
    stray = store.root / "stray.txt"
    stray.write_text("x", encoding="utf-8")
    assert store.prune() == [stray]
    assert young.is_dir()
    later = CourseStore(store.root, clock=lambda: time.time() + 3601)
    assert later.prune() == [young]
    assert later.folders() == [course.folder]


def test_a_temporary_folder_is_deleted_from_exactly_an_hour_on(
    tmp_path: Path, store: CourseStore
) -> None:
    store.root.mkdir(parents=True)
    temporary = store.root / ".incoming-0123456789ab"
    temporary.mkdir()
    os.utime(temporary, (1_000_000, 1_000_000))
    assert CourseStore(store.root, clock=lambda: 1_003_599.5).prune() == []
    assert CourseStore(store.root, clock=lambda: 1_003_600.0).prune() == [temporary]


def test_prune_goes_on_after_a_young_temporary_folder(tmp_path: Path, store: CourseStore) -> None:
    store.root.mkdir(parents=True)
    strays, young = [], []
    for n in range(5):  # created in turns, in whatever order the folder lists them
        strays.append(store.root / f"stray-{n}")
        strays[-1].mkdir()
        young.append(store.root / f".incoming-{n}")
        young[-1].mkdir()
    assert sorted(store.prune()) == strays
    assert sorted(store.root.iterdir()) == young


def test_prune_keeps_the_folders_still_open_or_their_containers(
    tmp_path: Path, store: CourseStore
) -> None:
    v1, v2, v3 = package(tmp_path, 1), package(tmp_path, 2), package(tmp_path, 3)
    first = store.install(offer(v1, 7, 1), v1.data)
    second = store.install(offer(v2, 8, 2), v2.data)
    store.install(offer(v3, 9, 3), v3.data)
    assert store.prune(keep=[first.folder, second.folder.parent, tmp_path / "elsewhere"]) == []
    assert store.prune(keep=[second.folder.parent]) == [first.folder.parent]
    assert store.prune() == [second.folder.parent]


def test_refusals_found_before_the_bytes_arrive_are_reported_one_per_course(
    tmp_path: Path, store: CourseStore
) -> None:
    big = CourseOffer(9, "video-calls", 2, "ab" * 32, 99_000_000)
    lost = CourseOffer(4, "phishing", 1, "cd" * 32, 1000)
    store.refuse(big, "99000000 bytes is more than a package may have")
    store.refuse(lost, "could not be fetched\n(timeout)", final=False)
    assert store.refused(big) and not store.refused(lost)
    assert not store.refused(CourseOffer(10, "video-calls", 2, "ab" * 32, 99_000_000))
    assert store.problem() == (
        "phishing v1 (id 4): could not be fetched; (timeout); "
        "video-calls v2 (id 9): 99000000 bytes is more than a package may have"
    )
    # A course no longer installed from the hub has no problem either.
    assert store.remove("phishing") is False
    assert store.problem() == (
        "video-calls v2 (id 9): 99000000 bytes is more than a package may have"
    )


def test_the_problem_is_cut_to_500_characters(store: CourseStore) -> None:
    refused = CourseOffer(9, "video-calls", 2, "ab" * 32, 1000)
    prefix = "video-calls v2 (id 9): "
    exact = "x" * (PROBLEM_MAX - len(prefix))
    store.refuse(refused, exact)
    assert store.problem() == prefix + exact
    assert len(store.problem()) == PROBLEM_MAX == 500
    store.refuse(refused, exact + "yz")
    assert store.problem() == prefix + exact[:-1] + "…"


def test_installs_and_prunes_from_two_threads_keep_the_store_consistent(
    tmp_path: Path, store: CourseStore
) -> None:
    versions = [package(tmp_path, number) for number in range(1, 6)]
    errors: list[BaseException] = []
    done = threading.Event()

    def prune_all_the_time() -> None:
        try:
            while not done.is_set():
                store.prune()
        except BaseException as error:  # noqa: BLE001 - reported by the test below
            errors.append(error)

    pruner = threading.Thread(target=prune_all_the_time)
    pruner.start()
    try:
        for number, packed in enumerate(versions, start=1):
            installed = store.install(offer(packed, number, number), packed.data)
            assert (installed.folder / "course.toml").is_file()
    finally:
        done.set()
        pruner.join(10)
    assert errors == []
    store.prune()
    (last,) = store.folders()
    assert last.parent.name == f"video-calls-{versions[-1].sha256[:12]}"
    assert sorted(p.name for p in store.root.iterdir()) == sorted(["index.json", last.parent.name])
    assert sha256(versions[-1].data) == store.installed()["video-calls"].sha256
