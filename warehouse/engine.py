"""Engines from settings, and the one atomic way to write a warehouse.

Readers (the dashboard) open an embedded DuckDB file read-only with no pool, so each query sees
the newest complete file. Writers never touch the live file: they build a fresh copy beside it and
swap it in with an atomic rename; on any other database the whole write is one transaction.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.pool import NullPool

from warehouse.settings import ROOT


def duckdb_writer_config() -> dict[str, object]:
    """DuckDB settings for loads and builds: bounded memory, spilling to disk beyond it.

    Row order of the built tables carries no meaning, and dropping it lets DuckDB stream
    `CREATE TABLE AS` with less memory. $POSTLOAN_DUCKDB_MEMORY overrides the 4 GB cap.
    """
    return {
        "memory_limit": os.environ.get("POSTLOAN_DUCKDB_MEMORY", "4GB"),
        "preserve_insertion_order": False,
    }


def is_duckdb(url: str) -> bool:
    """True for a duckdb:// URL."""
    return make_url(url).get_backend_name() == "duckdb"


def duckdb_path(url: str) -> Path | None:
    """The file of a duckdb:// URL (relative paths are under the project root); None in memory."""
    database = make_url(url).database
    if not database or database == ":memory:":
        return None
    path = Path(database)
    return path if path.is_absolute() else ROOT / path


def _resolved(url: str) -> str:
    path = duckdb_path(url) if is_duckdb(url) else None
    if path is None:
        return url
    return make_url(url).set(database=str(path)).render_as_string(hide_password=False)


def create_warehouse_engine(url: str, *, read_only: bool = False) -> Engine:
    """An engine on the warehouse at `url`; read-only for the dashboard on DuckDB files."""
    url = _resolved(url)
    if is_duckdb(url):
        args = {"read_only": True} if read_only and duckdb_path(url) else {}
        return sa.create_engine(url, poolclass=NullPool, connect_args=args)
    if make_url(url).get_backend_name() == "postgresql":
        # JIT compilation costs more than it saves on these analytic queries.
        return sa.create_engine(url, connect_args={"options": "-c jit=off"}, pool_pre_ping=True)
    return sa.create_engine(url)


@contextlib.contextmanager
def atomic_write(url: str, *, start_empty: bool) -> Iterator[Connection]:
    """A connection in one transaction; commits only if the block succeeds.

    On a DuckDB file the work happens in a new file (empty, or a copy of the current one when
    `start_empty` is false) that replaces the live file only after it is complete, so readers keep
    the previous data until then and a failure leaves the warehouse exactly as it was.
    """
    path = duckdb_path(url) if is_duckdb(url) else None
    if path is None:
        engine = create_warehouse_engine(url)
        try:
            with engine.begin() as conn:
                yield conn
        finally:
            engine.dispose()
        return

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    if not start_empty and path.exists():
        shutil.copyfile(path, tmp)
    engine = sa.create_engine(
        f"duckdb:///{tmp}", poolclass=NullPool, connect_args={"config": duckdb_writer_config()}
    )
    try:
        with engine.begin() as conn:
            yield conn
        engine.dispose()
        with tmp.open("rb") as fh:
            os.fsync(fh.fileno())
        tmp.replace(path)
    finally:
        engine.dispose()
        tmp.unlink(missing_ok=True)
        tmp.with_name(tmp.name + ".wal").unlink(missing_ok=True)
