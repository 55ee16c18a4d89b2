"""Shared fixtures: a throwaway PostgreSQL server and an empty warehouse per test on each engine.

`db_url` runs a test once on DuckDB and once on PostgreSQL (marked `postgres`). The server comes
from $POSTLOAN_TEST_PG_URL (what `make test` exports) or is started here by `scripts/pg.sh` on a
free port and stopped at the end of the session. Under CI=true a server that cannot start fails
the run; elsewhere the PostgreSQL leg is skipped with the reason.
"""

from __future__ import annotations

import os
import socket
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

if TYPE_CHECKING:
    from _pytest.mark.structures import ParameterSet

ROOT = Path(__file__).resolve().parent.parent
PG_SCRIPT = ROOT / "scripts" / "pg.sh"
PG_DRIVER = "postgresql+psycopg"
BROWSER_TESTS = ROOT / "tests" / "browser"


def in_ci() -> bool:
    """True when $CI says this is a CI run (where a missing service is a failure)."""
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test under tests/browser `browser` before `-m` selects: `make test` runs
    `-m "not browser"` on parallel workers, then `-m browser` on its own workers (each with its
    own demo warehouse, Streamlit server and Chromium)."""
    for item in items:
        if item.path.is_relative_to(BROWSER_TESTS):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session", autouse=True)
def _built_books(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Keep built hand-made books (`tests.warehouse.built_cache`) in the session's temporary
    folder; drop them, and their PostgreSQL templates, at the end."""
    from tests.warehouse import built_cache

    built_cache.folder_root = tmp_path_factory.getbasetemp()
    yield
    built_cache.clear()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """How many hand-made book builds ran and how many were copies (this process only)."""
    from tests.warehouse import built_cache

    counts = built_cache.counts
    if counts["built"] or counts["copied"]:
        terminalreporter.write_line(
            f"hand-made books: {counts['built']} built, {counts['copied']} copied"
        )


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _with_driver(url: str) -> str:
    return make_url(url).set(drivername=PG_DRIVER).render_as_string(hide_password=False)


def _unavailable(message: str) -> None:
    if in_ci():
        pytest.fail(f"PostgreSQL is required under CI=true: {message}", pytrace=False)
    pytest.skip(f"PostgreSQL unavailable: {message}")


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """URL of a PostgreSQL server's `postgres` database, for creating test databases."""
    given = os.environ.get("POSTLOAN_TEST_PG_URL")
    if given:
        yield _with_driver(given)
        return
    env = {**os.environ, "POSTLOAN_PG_PORT": str(_free_port())}
    started = subprocess.run(
        [str(PG_SCRIPT), "start"], env=env, capture_output=True, text=True, check=False
    )
    try:
        if started.returncode != 0:
            _unavailable(f"scripts/pg.sh start failed:\n{started.stderr[-3000:]}")
        url = subprocess.run(
            [str(PG_SCRIPT), "url"], env=env, capture_output=True, text=True, check=True
        ).stdout.strip()
        yield url
    finally:
        subprocess.run([str(PG_SCRIPT), "stop"], env=env, capture_output=True, check=False)


def _pg_database(server_url: str) -> Iterator[str]:
    """Create an empty database t_<uuid> on the server, yield its URL, drop it afterwards."""
    name = f"t_{uuid.uuid4().hex}"
    admin = sa.create_engine(server_url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except sa.exc.OperationalError as exc:
        admin.dispose()
        _unavailable(f"cannot connect to {make_url(server_url)!r}: {exc.orig}")
    try:
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def engine_params(local: str = "duckdb") -> list[ParameterSet]:
    """Fixture params: `local` (a file on disk) and PostgreSQL (marked `postgres`)."""
    return [
        pytest.param(local, id=local),
        pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
    ]


def module_db_urls(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, folder: str
) -> Iterator[str]:
    """A fresh warehouse URL for a module: a DuckDB file in `folder`, or a new PG database."""
    if request.param == "duckdb":
        yield f"duckdb:///{tmp_path_factory.mktemp(folder)}/w.duckdb"
        return
    yield from _pg_database(request.getfixturevalue("pg_url"))


@pytest.fixture(params=engine_params())
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty warehouse URL: a DuckDB file, or a new PostgreSQL database."""
    if request.param == "duckdb":
        yield f"duckdb:///{tmp_path}/w.duckdb"
        return
    yield from _pg_database(request.getfixturevalue("pg_url"))


@pytest.fixture
def duckdb_url(tmp_path: Path) -> str:
    """A fresh, empty DuckDB warehouse file URL."""
    return f"duckdb:///{tmp_path}/w.duckdb"
