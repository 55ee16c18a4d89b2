"""A load killed mid-way (SIGKILL) leaves the warehouse as it was and nothing that the next load
does not remove; removing a killed load's scratch files never touches a live load's. On DuckDB
(the new warehouse file beside the live one) and PostgreSQL (the staging folder)."""

from __future__ import annotations

import os
import select
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import pytest

from tests.warehouse.extract_edits import FIXTURE, count, snapshot
from warehouse import schema
from warehouse.engine import duckdb_path, is_duckdb
from warehouse.load import load_extract
from warehouse.scratch import LOAD_PREFIX, load_folder, sweep
from warehouse.settings import ROOT, load_settings

SETTINGS = load_settings()

# A load that stops inside its write transaction, once the new warehouse file and the staging
# folder exist, and goes on when it reads a line (or is killed there).
LOADER = textwrap.dedent(
    """
    import sys
    from pathlib import Path

    from warehouse.load import load_extract
    from warehouse.settings import load_settings

    def progress(message):
        if message.startswith("building contract_month"):
            print("building", flush=True)
            sys.stdin.readline()

    load_extract(Path(sys.argv[1]), sys.argv[2], load_settings(), progress=progress)
    print("done", flush=True)
    """
)


@pytest.fixture
def scratch_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A temporary directory of its own for the loads of one test, in and out of process."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def _start(url: str, tmp: Path) -> subprocess.Popen[str]:
    """A load of the fixture in another process, once it is stopped inside its write."""
    proc = subprocess.Popen(
        [sys.executable, "-c", LOADER, str(FIXTURE), url],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, "TMPDIR": str(tmp)},
    )
    assert proc.stdout is not None
    deadline = time.monotonic() + 120
    while (left := deadline - time.monotonic()) > 0:
        if not select.select([proc.stdout], [], [], left)[0]:
            break
        line = proc.stdout.readline()
        if line.strip() == "building":
            return proc
        if not line:
            break  # the load ended before it got there
    _kill(proc)
    raise AssertionError(f"the load never reached its build (exit code {proc.returncode})")


def _kill(proc: subprocess.Popen[str]) -> None:
    """SIGKILL, as the out-of-memory killer or `kill -9` would; then close the pipes."""
    proc.kill()
    proc.communicate()


def _scratch(url: str, tmp: Path) -> list[str]:
    """The scratch files there are: in the loads' temporary directory and beside a DuckDB file."""
    names = [p.name for p in tmp.iterdir()]
    path = duckdb_path(url) if is_duckdb(url) else None
    if path is not None:
        names += [p.name for p in path.parent.iterdir() if p.name.startswith(f".{path.name}.")]
    return sorted(names)


def test_the_next_load_removes_what_a_killed_load_left(db_url: str, scratch_tmp: Path) -> None:
    load_extract(FIXTURE, db_url, SETTINGS)
    before = snapshot(db_url)
    proc = _start(db_url, scratch_tmp)
    during = _scratch(db_url, scratch_tmp)
    assert any(n.startswith(LOAD_PREFIX) and not n.endswith(".lock") for n in during), during
    if is_duckdb(db_url):
        assert any(n.endswith(".tmp") for n in during), during  # the new warehouse file
    _kill(proc)
    assert _scratch(db_url, scratch_tmp) == during  # a killed load cannot clean up
    assert snapshot(db_url) == before
    path = duckdb_path(db_url) if is_duckdb(db_url) else None
    if path is not None:  # and one an older version left, without a lock
        path.with_name(f".{path.name}.0123456789abcdef.tmp").write_bytes(b"\0" * 4096)

    load_extract(FIXTURE, db_url, SETTINGS)
    assert _scratch(db_url, scratch_tmp) == []
    assert count(db_url, schema.loads) == 2


def test_a_live_load_keeps_its_scratch_files(db_url: str, scratch_tmp: Path) -> None:
    load_extract(FIXTURE, db_url, SETTINGS)
    proc = _start(db_url, scratch_tmp)
    live = _scratch(db_url, scratch_tmp)
    # What another load does first, while this one runs: sweep both places.
    with load_folder() as mine:
        path = duckdb_path(db_url) if is_duckdb(db_url) else None
        if path is not None:
            sweep(path.parent, f".{path.name}.")
        assert sorted([*live, mine.name, f"{mine.name}.lock"]) == _scratch(db_url, scratch_tmp)
    assert _scratch(db_url, scratch_tmp) == live

    out, _ = proc.communicate("\n", timeout=300)
    assert (proc.returncode, out.strip()) == (0, "done")
    assert _scratch(db_url, scratch_tmp) == []
    assert count(db_url, schema.loads) == 2
