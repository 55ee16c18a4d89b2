"""Engines from settings, and the one atomic way to write a warehouse.

Readers (the dashboard) share one read-only DuckDB instance per version of an embedded file, so
queries keep its catalogue and warm buffer cache instead of reopening the file (60-90 ms each);
a pooled connection is swapped out as soon as the file on disk is a different one. Writers never
touch the live file: they build a fresh copy beside it and swap it in with an atomic rename; on any
other database the whole write is one transaction.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import duckdb
import sqlalchemy as sa
from duckdb_engine import ConnectionWrapper
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.pool import NullPool

from warehouse.scratch import claimed, sweep
from warehouse.settings import ROOT

# work_mem for the build's transaction and for the big early-warning feature reads on PostgreSQL
# (the default 4 MB makes their sorts and hash aggregates spill to disk).
PG_BUILD_WORK_MEM = "256MB"


def duckdb_writer_config() -> dict[str, object]:
    """DuckDB settings for loads and builds: bounded memory, spilling to disk beyond it.

    Row order of the build's scratch tables carries no meaning, and dropping it lets DuckDB stream
    `CREATE TABLE AS` with less memory; the build turns it back on for the statements that write
    the marts in month order. $POSTLOAN_DUCKDB_MEMORY overrides the 4 GB cap.
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


FileVersion = tuple[int, int, int, int]


def file_version(path: Path) -> FileVersion | None:
    """Device, inode, size and mtime of `path` (None if missing): a load's rename changes them."""
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


class ReadOnlyFile:
    """One read-only DuckDB instance per version of a warehouse file, handing out connections.

    The file is ATTACHed to a private in-memory instance rather than opened by path: DuckDB caches
    instances by path, so a second `duckdb.connect(path)` while an old connection is still open
    would return the *replaced* file's data. Connections are cursors on the current instance, so
    they share its catalogue and buffer cache; the instance is never opened for writing.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._version: FileVersion | None = None
        self._root: duckdb.DuckDBPyConnection | None = None

    def connect(self) -> tuple[duckdb.DuckDBPyConnection, FileVersion | None]:
        """A new connection on the instance for the file as it is now, and that version."""
        version = file_version(self.path)
        with self._lock:
            if self._root is None or version is None or version != self._version:
                root = duckdb.connect(":memory:")
                quoted = str(self.path).replace("'", "''")
                root.execute(f"ATTACH '{quoted}' AS warehouse (READ_ONLY)")
                # Old connections keep the old instance alive until they are returned and closed.
                self._root, self._version = root, version
            cursor = self._root.cursor()
        cursor.execute("USE warehouse")
        return cursor, version


def _reader_engine(url: str, path: Path) -> Engine:
    """A pooled read-only engine on a DuckDB file that follows loads' atomic renames."""
    source = ReadOnlyFile(path)
    versions: dict[int, FileVersion | None] = {}

    def creator() -> ConnectionWrapper:
        cursor, version = source.connect()
        wrapped = ConnectionWrapper(cursor)
        versions[id(wrapped)] = version
        return wrapped

    engine = sa.create_engine(url, creator=creator, pool_size=4, max_overflow=12)

    @event.listens_for(engine, "checkout")
    def _current_file_only(dbapi_conn: object, record: object, proxy: object) -> None:
        # A load renamed a new file over the old one: drop this connection, the pool reconnects.
        if versions.get(id(dbapi_conn)) != file_version(path):
            raise sa.exc.DisconnectionError("the warehouse file was replaced by a new load")

    @event.listens_for(engine, "close")
    def _forget(dbapi_conn: object, record: object) -> None:
        versions.pop(id(dbapi_conn), None)

    return engine


def create_warehouse_engine(url: str, *, read_only: bool = False) -> Engine:
    """An engine on the warehouse at `url`; `read_only`: DuckDB opened read-only, PostgreSQL
    sessions with `default_transaction_read_only` (the dashboard's, the CLI's readers)."""
    url = _resolved(url)
    if is_duckdb(url):
        path = duckdb_path(url)
        if read_only and path is not None:
            return _reader_engine(url, path)
        return sa.create_engine(url, poolclass=NullPool)
    if make_url(url).get_backend_name() == "postgresql":
        # JIT compilation costs more than it saves on these analytic queries. A reader's session
        # is read-only at the server too, whatever the role in the URL may do.
        options = "-c jit=off" + (" -c default_transaction_read_only=on" if read_only else "")
        return sa.create_engine(url, connect_args={"options": options}, pool_pre_ping=True)
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
    # The new file and DuckDB's .wal and .tmp spill folder beside it are scratch files: those of
    # a killed writer are removed here, those of a live one left alone (`warehouse.scratch`).
    sweep(path.parent, f".{path.name}.")
    with claimed(path.parent, f".{path.name}.") as stem:
        tmp = path.with_name(f"{stem}.tmp")
        if not start_empty and path.exists():
            shutil.copyfile(path, tmp)
        engine = sa.create_engine(
            f"duckdb:///{tmp}", poolclass=NullPool, connect_args={"config": duckdb_writer_config()}
        )
        try:
            with engine.begin() as conn:
                conn.info["replaces"] = path  # the build's scoring step reads the old scores
                yield conn
            engine.dispose()
            with tmp.open("rb") as fh:
                os.fsync(fh.fileno())
            tmp.replace(path)
        finally:
            engine.dispose()
