"""Scratch files of loads and builds: claimed by a lock while their owner lives, swept after.

A load stages the extract in a private folder under the system's temporary directory, and a
DuckDB write builds the new warehouse file beside the live one (`engine.atomic_write`). A load
that is killed (SIGKILL, out of memory, power) cannot remove them, so every scratch name `<stem>`
comes with a lock file `<stem>.lock`, created and locked (`flock`) before anything named `<stem>*`
exists and removed after it is gone. The kernel releases the lock when its process dies, however
it dies; so a lock that can be taken proves its owner is gone, and `sweep` removes what it left.
Scratch files of a live load or build stay locked and are never touched.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

LOAD_PREFIX = "postloan-load-"  # a load's staging folder under the temporary directory


def _remove_all(paths: list[Path]) -> list[Path]:
    for path in paths:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
    return paths


def stem_of(name: str, prefix: str) -> str:
    """The scratch stem a file name belongs to: `prefix` and the id up to the next dot."""
    return prefix + name[len(prefix) :].split(".", 1)[0]


def _own(parent: Path, stem: str) -> list[Path]:
    """The scratch files of `stem` (`<stem>` and `<stem>.<anything>`), its lock left out."""
    return [
        p
        for p in parent.glob(f"{glob_escape(stem)}*")
        if (p.name == stem or p.name.startswith(stem + ".")) and p.name != f"{stem}.lock"
    ]


def glob_escape(text: str) -> str:
    """`text` as a glob pattern matching only itself."""
    return "".join(f"[{c}]" if c in "*?[" else c for c in text)


def sweep(parent: Path, prefix: str) -> list[Path]:
    """Remove the scratch files `<prefix>*` in `parent` whose owner is gone; what was removed.

    An owner is gone when its lock can be taken, or when it has no lock: the lock is made before
    and removed after the files, so a file listed while its lock was missing was left by an older
    version or by a sweep that was itself killed, or is already gone.
    """
    removed: list[Path] = []
    if not parent.is_dir():
        return removed
    listed: dict[str, list[Path]] = {}
    for path in parent.glob(f"{glob_escape(prefix)}*"):  # files first, then their locks
        listed.setdefault(stem_of(path.name, prefix), []).append(path)
    for stem, paths in sorted(listed.items()):
        lock = parent / f"{stem}.lock"
        try:
            fd = os.open(lock, os.O_RDWR)
        except FileNotFoundError:
            removed += _remove_all([p for p in paths if p != lock])
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            continue  # a live owner
        else:
            removed += _remove_all(_own(parent, stem))
            lock.unlink(missing_ok=True)
            removed.append(lock)
        finally:
            os.close(fd)
    return removed


@contextlib.contextmanager
def claimed(parent: Path, prefix: str) -> Iterator[str]:
    """A new scratch stem `<prefix><pid>-<random>` in `parent`, locked until the block ends.

    The caller creates its files as `<stem><suffix>`; whatever of them is left at the end is
    removed before the lock is.
    """
    stem = f"{prefix}{os.getpid()}-{uuid.uuid4().hex[:12]}"
    lock = parent / f"{stem}.lock"
    # Locked under a name no sweep looks at, then renamed: a sweep never sees it unlocked.
    fresh = parent / f".postloan-lock-{uuid.uuid4().hex}"
    fd = os.open(fresh, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        fresh.replace(lock)
    except BaseException:
        os.close(fd)
        fresh.unlink(missing_ok=True)
        raise
    try:
        yield stem
    finally:
        _remove_all(_own(parent, stem))
        lock.unlink(missing_ok=True)
        os.close(fd)


@contextlib.contextmanager
def load_folder() -> Iterator[Path]:
    """A private scratch folder for one load under the temporary directory, removed at the end;
    the folders of killed loads are swept first."""
    parent = Path(tempfile.gettempdir())
    sweep(parent, LOAD_PREFIX)
    with claimed(parent, LOAD_PREFIX) as stem:
        folder = parent / stem
        folder.mkdir(mode=0o700)
        yield folder
