"""Which files of an extract folder may be read: regular files inside the folder, nothing else.

A table file that is a symbolic link leading out of the folder would let an extract read any file
the loader can; a named pipe would block the load forever; a folder, a socket or a device is no
table. Such a file is refused by name (`manifest.csv`, `<table>.csv`); other names are extra files
and are ignored. A link to a regular file inside the folder is read like that file.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

_KINDS: tuple[tuple[object, str], ...] = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


def _kind(mode: int) -> str:
    for test, name in _KINDS:
        if test(mode):  # type: ignore[operator]
            return name
    return "not a regular file"


@dataclass(frozen=True)
class FolderFiles:
    """The files of an extract folder: readable ones by name, and why the others are not."""

    files: dict[str, Path] = field(default_factory=dict)  # name -> the regular file to read
    refused: dict[str, str] = field(default_factory=dict)  # name -> why it cannot be read


def _vet(entry: Path, root: Path) -> tuple[Path | None, str]:
    mode = entry.lstat().st_mode
    if not stat.S_ISLNK(mode):
        if stat.S_ISREG(mode):
            return entry, ""
        return None, f"{_kind(mode)}, not a regular file"
    target = Path(os.path.realpath(entry))  # unlike Path.resolve, never raises on a loop
    if not target.is_relative_to(root):
        return None, "a symbolic link to a file outside the extract folder; copy the file in"
    try:
        mode = target.stat().st_mode
    except OSError:
        return None, "a symbolic link to nothing (its target is missing or loops)"
    if not stat.S_ISREG(mode):
        return None, f"a symbolic link to {_kind(mode)}, not a regular file"
    return target, ""


def folder_files(src: Path) -> FolderFiles:
    """Vet every entry of the folder `src` without opening any of them."""
    root, found = src.resolve(), FolderFiles()
    for entry in src.iterdir():
        try:
            path, why = _vet(entry, root)
        except OSError as exc:  # vanished or unreadable while looking
            path, why = None, f"cannot be read: {exc.strerror}"
        if path is not None:
            found.files[entry.name] = path
        else:
            found.refused[entry.name] = why
    return found


def open_regular(path: Path) -> BinaryIO:
    """Open `path` for reading, refusing (OSError) anything but a regular file, never blocking on
    a named pipe swapped in after it was vetted."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(f"{path.name} is not a regular file")
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise
