"""`[storage] export_folder`: absolute, never inside the data folder, refused with FILE:LINE."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk import resources
from kiosk.cli import EXIT_USAGE, main
from kiosk.config import ConfigError, load_config


def config_with(tmp_path: Path, folder: str) -> Path:
    demo = resources.DEMO_CONFIG.read_text(encoding="utf-8")
    path = tmp_path / "site.toml"
    # The demo has a [storage] table: the key goes into it, on a line of its own.
    assert "[storage]\n" in demo
    path.write_text(
        demo.replace("[storage]\n", f"[storage]\nexport_folder = {folder!r}\n", 1),
        encoding="utf-8",
    )
    return path


def line_of(path: Path, text: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, start=1) if text in line)


def test_empty_means_usb_sticks_only(tmp_path: Path) -> None:
    assert load_config(resources.DEMO_CONFIG, data_dir=tmp_path).storage.export_folder == ""


def test_an_absolute_folder_outside_the_data_folder_is_taken(tmp_path: Path) -> None:
    path = config_with(tmp_path, str(tmp_path / "exports"))
    config = load_config(path, data_dir=tmp_path / "kiosk-home")
    assert config.storage.export_folder == str(tmp_path / "exports")


def test_a_relative_folder_is_refused_with_its_line(tmp_path: Path) -> None:
    path = config_with(tmp_path, "exports")
    with pytest.raises(ConfigError) as raised:
        load_config(path)
    (problem,) = raised.value.problems
    assert (problem.file, problem.line, problem.key) == (
        str(path),
        line_of(path, "export_folder"),
        "storage.export_folder",
    )
    assert "absolute path" in problem.message


@pytest.mark.parametrize("below", ["", "exports", "backups/../exports"])
def test_a_folder_inside_the_data_folder_is_refused_with_its_line(
    tmp_path: Path, below: str
) -> None:
    data_dir = tmp_path / "kiosk-home"
    path = config_with(tmp_path, str(data_dir / below) if below else str(data_dir))
    with pytest.raises(ConfigError) as raised:
        load_config(path, data_dir=data_dir)
    (problem,) = raised.value.problems
    assert problem.line == line_of(path, "export_folder")
    assert problem.key == "storage.export_folder"
    assert "inside the data folder" in problem.message


def test_kiosk_check_exits_2_naming_the_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir = tmp_path / "kiosk-home"
    path = config_with(tmp_path, str(data_dir / "exports"))
    code = main(["check", "--config", str(path), "--data-dir", str(data_dir)])
    assert code == EXIT_USAGE
    err = capsys.readouterr().err
    assert f"{path}:{line_of(path, 'export_folder')}: storage.export_folder:" in err
    assert "inside the data folder" in err
