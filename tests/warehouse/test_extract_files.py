"""warehouse.extract_files: folder entries are vetted by kind without being opened, and opening
never blocks on a named pipe."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from warehouse.extract_files import folder_files, open_regular


def test_a_device_is_refused_by_its_kind() -> None:
    found = folder_files(Path("/dev"))
    assert found.refused["null"] == "a character device, not a regular file"
    assert "null" not in found.files


def test_links_are_followed_only_inside_the_folder(tmp_path: Path) -> None:
    folder = tmp_path / "extract"
    folder.mkdir()
    (folder / "data.txt").write_text("a\n")
    (tmp_path / "outside.txt").write_text("b\n")
    (folder / "inside.csv").symlink_to(folder / "data.txt")
    (folder / "outside.csv").symlink_to(tmp_path / "outside.txt")
    (folder / "up.csv").symlink_to(Path("..") / "outside.txt")
    (folder / "nothing.csv").symlink_to(folder / "missing.txt")
    (folder / "loop.csv").symlink_to(folder / "loop.csv")
    found = folder_files(folder)
    assert found.files == {"data.txt": folder / "data.txt", "inside.csv": folder / "data.txt"}
    assert found.refused["outside.csv"].startswith("a symbolic link to a file outside")
    assert found.refused["up.csv"].startswith("a symbolic link to a file outside")
    nothing = "a symbolic link to nothing (its target is missing or loops)"
    assert found.refused["nothing.csv"] == found.refused["loop.csv"] == nothing


def test_opening_a_pipe_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    pipe = tmp_path / "contracts.csv"
    os.mkfifo(pipe)
    with pytest.raises(OSError, match="not a regular file"):
        open_regular(pipe)
