"""Each hand-made book is built once per test process; later builds of it are copies.

`build_book` is deterministic: the same book, as-of date and settings on the same engine give the
same warehouse. Many tests build the same book into their own fresh warehouse, so the first build
of a (book, as-of, settings, engine) is kept and the next ones copy it:

- DuckDB: the built file is copied (about 10 ms, where a build takes 1-2 s);
- PostgreSQL: the built database is kept as a template and the target database is recreated
  from it with `CREATE DATABASE … TEMPLATE` (a file copy on the server).

A copy is only used where the real build would start from nothing: a DuckDB file that does not
exist yet, or a PostgreSQL database with no table and no other session. Anything else (a rebuild
over an existing warehouse, a portal store already in it) runs the real build, as do builds that
score or report progress. The first build of each key always runs for real into the test's own
warehouse, so a failing build fails exactly as before. `POSTLOAN_TEST_BUILD_CACHE=0` turns the
copies off. Templates and cached files are removed at the end of the session (`clear`).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from warehouse.engine import duckdb_path, is_duckdb

_files: dict[str, Path] = {}  # key -> built DuckDB file
_templates: dict[str, tuple[str, str]] = {}  # key -> (admin URL, template database)
_folder: Path | None = None
folder_root: Path | None = None  # where kept files go: the session's pytest temporary folder
counts = {"built": 0, "copied": 0}  # builds of this process, for the run's summary


def enabled() -> bool:
    """False when $POSTLOAN_TEST_BUILD_CACHE is 0/false/no (every build runs for real)."""
    return os.environ.get("POSTLOAN_TEST_BUILD_CACHE", "1").strip().lower() not in {
        "0",
        "false",
        "no",
    }


def key(url: str, parts: object) -> str | None:
    """The cache key of a build: the engine kind and the repr of everything that went into it
    (None when a part has no faithful repr, so the build is never copied)."""
    kind = "duckdb" if is_duckdb(url) else make_url(url).get_backend_name()
    text = repr((kind, parts))
    if " object at 0x" in text:
        return None
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def _admin(url: str) -> sa.Engine:
    server = make_url(url).set(database="postgres").render_as_string(hide_password=False)
    return sa.create_engine(server, isolation_level="AUTOCOMMIT", poolclass=NullPool)


def _pg_fresh(url: str) -> bool:
    """True when the database at `url` has no table and nobody else is connected to it."""
    engine = sa.create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            tables = conn.execute(
                sa.text(
                    "SELECT count(*) FROM information_schema.tables"
                    " WHERE table_schema NOT IN ('pg_catalog', 'information_schema')"
                )
            ).scalar_one()
            others = conn.execute(
                sa.text(
                    "SELECT count(*) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            ).scalar_one()
    finally:
        engine.dispose()
    return tables == 0 and others == 0


def restore(url: str, build_key: str) -> bool:
    """Make the empty warehouse at `url` a copy of the build `build_key`; False if not possible."""
    if not enabled():
        return False
    if is_duckdb(url):
        source = _files.get(build_key)
        target = duckdb_path(url)
        if source is None or target is None or target.exists():
            return False
        if target.with_name(target.name + ".wal").exists():
            return False
        shutil.copyfile(source, target)
        counts["copied"] += 1
        return True
    if build_key not in _templates or not _pg_fresh(url):
        return False
    _, template = _templates[build_key]
    name = make_url(url).database
    admin = _admin(url)
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE "{name}"'))
            conn.execute(sa.text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    finally:
        admin.dispose()
    counts["copied"] += 1
    return True


def fresh(url: str) -> bool:
    """True when a build at `url` starts from nothing (so its result may be kept and copied)."""
    if not enabled():
        return False
    if is_duckdb(url):
        target = duckdb_path(url)
        return target is not None and not target.exists()
    return _pg_fresh(url)


def keep(url: str, build_key: str) -> None:
    """Keep the warehouse just built at `url` (from nothing) as the copy source of `build_key`."""
    global _folder
    if build_key in _files or build_key in _templates:
        return
    if is_duckdb(url):
        source = duckdb_path(url)
        if source is None or source.with_name(source.name + ".wal").exists():
            return
        if _folder is None:
            _folder = Path(tempfile.mkdtemp(prefix="postloan-books-", dir=folder_root))
        kept = _folder / f"{build_key}.duckdb"
        shutil.copyfile(source, kept)
        _files[build_key] = kept
        return
    template = f"tpl_{os.getpid()}_{build_key}"
    admin = _admin(url)
    try:
        with admin.connect() as conn:
            conn.execute(
                sa.text(f'CREATE DATABASE "{template}" TEMPLATE "{make_url(url).database}"')
            )
    finally:
        admin.dispose()
    _templates[build_key] = (
        make_url(url).set(database="postgres").render_as_string(hide_password=False),
        template,
    )


def clear() -> None:
    """Drop the template databases and remove the kept files of this process."""
    global _folder
    for server, template in _templates.values():
        admin = sa.create_engine(server, isolation_level="AUTOCOMMIT", poolclass=NullPool)
        try:
            with admin.connect() as conn:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)'))
        except sa.exc.OperationalError:
            pass  # the session's own server (tests/conftest.py `pg_url`) is already stopped
        finally:
            admin.dispose()
    _templates.clear()
    _files.clear()
    if _folder is not None:
        shutil.rmtree(_folder, ignore_errors=True)
        _folder = None
