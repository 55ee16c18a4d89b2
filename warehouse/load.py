"""`postloan load` and `postloan build`: check an extract, write it atomically, build the mart.

Nothing is written unless the whole extract passes every check (`ExtractError` lists all the
problems). Rows dated after the extract's as_of are then counted and left out (`extract_cutoff`),
so every figure is cut off at as_of. The write replaces the source, mart and build tables in one
step: a new DuckDB file swapped in by `atomic_write`, or one transaction elsewhere; portal tables
such as `loads` survive.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from warehouse import marts, schema
from warehouse.engine import atomic_write, duckdb_path, is_duckdb
from warehouse.extract_check import check_extract
from warehouse.extract_cutoff import cut_late_rows
from warehouse.extract_files import folder_files, open_regular
from warehouse.extract_problems import ExtractError, Problem, format_problems
from warehouse.extract_read import Staging, stage_extract
from warehouse.load_write import (
    WRITE_LAYERS,
    copy_duckdb_portal,
    create_indexes,
    create_mart_indexes,
    reset_tables,
    write_source,
)
from warehouse.marts.ew_scores import Scorer
from warehouse.portal.decisions import approved_for_build
from warehouse.scratch import load_folder
from warehouse.settings import Settings

__all__ = ["ExtractError", "LoadResult", "Problem", "format_problems", "load_extract", "rebuild"]

# The staging database may use this much memory before it spills to its temporary directory.
STAGING_MEMORY = "2500MB"


@dataclass(frozen=True)
class LoadResult:
    """What one successful load wrote."""

    load_id: int
    as_of: dt.date
    row_counts: dict[str, int]  # rows loaded, per table
    sha256: str
    seconds: float
    late_rows: dict[str, int]  # rows dated after as_of, per table that may have them: not loaded


@dataclass(frozen=True)
class BuildResult:
    """What one rebuild of the mart did."""

    as_of: dt.date
    seconds: float


class _Digest(threading.Thread):
    """SHA-256 of the extract's files, computed beside the checks."""

    def __init__(self, src: Path) -> None:
        super().__init__(daemon=True)
        self.src, self.stop, self.value = src, threading.Event(), ""

    def run(self) -> None:
        with contextlib.suppress(OSError):  # an unreadable extract is reported by the checks
            self.value = extract_sha256(self.src, self.stop)


def extract_sha256(src: Path, stop: threading.Event | None = None) -> str:
    """SHA-256 over a workbook's bytes, or over a folder's CSV files (sorted names and bytes).

    Only the files the load may read count (`extract_files`): never a pipe, a device or a file
    that a link leads to outside the folder.
    """
    h = hashlib.sha256()
    if src.is_dir():
        readable = folder_files(src).files
        files = [(n, readable[n]) for n in sorted(readable) if Path(n).suffix.lower() == ".csv"]
    else:
        files = [(src.name, src)]
    for name, path in files:
        if src.is_dir():
            h.update(name.encode() + b"\0" + path.stat().st_size.to_bytes(8, "big"))
        with open_regular(path) as fh:
            while chunk := fh.read(1 << 22):
                if stop is not None and stop.is_set():
                    return ""
                h.update(chunk)
    return h.hexdigest()


@contextlib.contextmanager
def _staging(scratch: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    spill = scratch / "staging"
    con = duckdb.connect(config={"memory_limit": STAGING_MEMORY, "temp_directory": str(spill)})
    # A compressed in-memory database holds a 1M-contract extract in about half the memory.
    con.execute("ATTACH ':memory:' AS staging (COMPRESS); USE staging").fetchall()
    try:
        yield con
    finally:
        con.close()


def _write(
    conn: Connection, st: Staging, url: str, scratch: Path, say: Callable[[str], None]
) -> dict[str, int]:
    reset_tables(conn, WRITE_LAYERS)
    path = duckdb_path(url) if is_duckdb(url) else None
    if path is not None:
        copy_duckdb_portal(conn, path)  # the new file starts empty; keep the load history
    counts = write_source(conn, st, say, scratch)
    for name in schema.SOURCE_TABLES:
        counts.setdefault(name, 0)
    create_indexes(conn, ["source"])
    return counts


def _record(
    conn: Connection,
    st: Staging,
    src: Path,
    as_of: dt.date,
    late: dict[str, int],
    **values: object,
) -> int:
    loads = schema.loads
    load_id = conn.execute(sa.select(sa.func.coalesce(sa.func.max(loads.c.load_id), 0))).scalar()
    late_rows = [
        {"load_id": int(load_id or 0) + 1, "table_name": name, "late_rows": n}
        for name, n in sorted(late.items())
    ]
    if late_rows:
        conn.execute(schema.load_late_rows.insert(), late_rows)
    conn.execute(
        loads.insert().values(
            load_id=int(load_id or 0) + 1,
            loaded_at=dt.datetime.now(dt.UTC).replace(tzinfo=None),
            as_of=as_of,
            institution=st.manifest["institution"][0],
            entity_type=st.manifest["entity_type"][0],
            currency=st.manifest["currency"][0],
            source=src.name,
            **values,
        )
    )
    return int(load_id or 0) + 1


def load_extract(
    src: Path,
    url: str,
    settings: Settings,
    progress: Callable[[str], None] | None = None,
    scorer: Scorer | None = None,
) -> LoadResult:
    """Check the extract at `src`, write it to the warehouse at `url` and build the mart
    (`scorer`: the early-warning step, `warehouse.marts.build_mart`)."""
    say = progress or (lambda _message: None)
    started = time.perf_counter()
    committee = approved_for_build(url)  # read before the write transaction opens
    digest = _Digest(src)
    digest.start()
    try:
        with load_folder() as scratch, _staging(scratch) as con:
            say(f"reading {src.name}")
            st = stage_extract(src, con)
            say("checking the extract")
            problems = check_extract(st)
            if problems:
                raise ExtractError(problems)
            as_of = dt.date.fromisoformat(st.manifest["as_of"][0])
            late = cut_late_rows(st, as_of)
            if any(late.values()):
                shown = ", ".join(f"{name} {n:,}" for name, n in sorted(late.items()) if n)
                say(f"rows dated after as_of {as_of}, not loaded: {shown}")
            with atomic_write(url, start_empty=True) as conn:
                counts = _write(conn, st, url, scratch, say)
                con.close()  # free the staging memory before the build
                say(f"building contract_month as of {as_of}")
                if committee:
                    say(f"applying {len(committee)} approved committee classifications")
                build_started = time.perf_counter()
                marts.build_mart(
                    conn, settings, as_of, progress=say, committee=committee, scorer=scorer
                )
                create_mart_indexes(conn)
                build_seconds = time.perf_counter() - build_started
                digest.join()
                load_id = _record(
                    conn,
                    st,
                    src,
                    as_of,
                    late,
                    sha256=digest.value,
                    row_counts=json.dumps(counts, sort_keys=True),
                    build_seconds=round(build_seconds, 3),
                )
    finally:
        digest.stop.set()
    seconds = time.perf_counter() - started
    say(f"load {load_id} done in {seconds:.1f} s")
    return LoadResult(load_id, as_of, counts, digest.value, seconds, late)


def rebuild(
    url: str,
    settings: Settings,
    progress: Callable[[str], None] | None = None,
    scorer: Scorer | None = None,
) -> BuildResult:
    """Re-run the month-end build on the current warehouse, as of its latest load (`scorer`:
    the early-warning step, `warehouse.marts.build_mart`)."""
    say = progress or (lambda _message: None)
    started = time.perf_counter()
    committee = approved_for_build(url)
    with atomic_write(url, start_empty=False) as conn:
        loads = schema.loads
        if not sa.inspect(conn).has_table(loads.name):
            raise LookupError("the warehouse has no loads yet; run postloan load first")
        latest = sa.select(loads.c.as_of).order_by(loads.c.load_id.desc()).limit(1)
        as_of = conn.execute(latest).scalar()
        if as_of is None:
            raise LookupError("the warehouse has no loads yet; run postloan load first")
        say(f"building contract_month as of {as_of}")
        if committee:
            say(f"applying {len(committee)} approved committee classifications")
        reset_tables(conn, ["mart", "build"])
        marts.build_mart(conn, settings, as_of, progress=say, committee=committee, scorer=scorer)
        create_mart_indexes(conn)
    return BuildResult(as_of, time.perf_counter() - started)
