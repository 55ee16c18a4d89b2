"""scripts/bench.py measures PostgreSQL by itself: without `--pg-url` or `--no-pg` it starts its
own server, loads the largest book into it as a timed step, and stops and removes the server at
the end, also when the run is interrupted."""

from __future__ import annotations

import re
import socket
import sys
import tempfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
import bench
from free_port import free_port

pytestmark = pytest.mark.postgres

pg_bin = list(Path("/usr/lib/postgresql").glob("*/bin/postgres"))
needs_server = pytest.mark.skipif(not pg_bin, reason="no PostgreSQL server binaries")


def _gone(port: int) -> bool:
    """Nothing accepts connections on the port and the server's data directory is removed."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        refused = sock.connect_ex(("127.0.0.1", port)) != 0
    return refused and not (Path(tempfile.gettempdir()) / f"postloan-bench-pg-{port}").exists()


@needs_server
def test_a_load_run_loads_its_own_postgresql_and_leaves_no_server(tmp_path: Path) -> None:
    port = free_port(0)
    out = tmp_path / "bench.md"
    argv = ["150", "--sections", "load", "--pg-port", str(port), "--output", str(out)]
    assert bench.main(argv) == 0
    text = out.read_text(encoding="utf-8")
    duck, pg = text.split("\nPostgreSQL, this run's own")
    assert re.search(rf"PostgreSQL \d+\.\d+ \(`127\.0\.0\.1:{port}/bench`; sessions: jit off,", pg)
    assert "the build sets work_mem 256MB" in pg
    number = r"[\d,]+(?:\.\d)?"
    row = re.search(
        rf"^\| 150 \| ({number}) \| ({number}) \| ([\d,]+) \| ({number}) \| \d+\.\d\d \|  \|$",
        pg,
        re.M,
    )
    assert row, pg
    load, build, months = (float(row.group(i).replace(",", "")) for i in (1, 2, 3))
    assert 0 < build <= load
    duck_months = re.search(r"^\| 150 \|(?: [^|]+ \|){4} ([\d,]+) \|", duck, re.M)
    assert duck_months and float(duck_months.group(1).replace(",", "")) == months  # same book
    assert _gone(port)


@needs_server
def test_an_interrupted_run_stops_its_postgresql(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    port = free_port(0)
    seen: list[str] = []

    def interrupted(ctx: bench.Context) -> bench.Section:
        assert ctx.own_pg is not None and not _gone(ctx.own_pg.port)
        seen.append(bench.pg_server(ctx.own_pg.url))
        raise KeyboardInterrupt

    monkeypatch.setitem(bench.SECTIONS, "load", interrupted)
    argv = ["150", "--sections", "load", "--pg-port", str(port), "--output", str(tmp_path / "b")]
    with pytest.raises(KeyboardInterrupt):
        bench.main(argv)
    assert seen and f":{port}/bench" in seen[0]
    assert _gone(port)


def test_no_pg_and_a_given_pg_url_start_no_server(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    started: list[int] = []
    measured: list[str | None] = []
    monkeypatch.setattr(bench, "own_postgres", lambda port: started.append(port))

    def load(ctx: bench.Context) -> bench.Section:
        measured.append(ctx.pg_url)
        return bench.Section("t", "")

    monkeypatch.setitem(bench.SECTIONS, "load", load)
    argv = ["150", "--sections", "load", "--output", str(tmp_path / "b.md")]
    for flag in (["--no-pg"], ["--pg-url", "postgresql+psycopg://u@h:1/d"]):
        assert bench.main([*argv, *flag]) == 0
    assert started == []
    assert measured == [None, "postgresql+psycopg://u@h:1/d"]


def test_an_old_output_s_duckdb_load_section_is_replaced_by_the_new_one() -> None:
    old = bench.render([bench.Section("Demo, load and build (DuckDB)", "old table\n")], "x")
    new = bench.Section(bench.LOAD_TITLE, "DuckDB and PostgreSQL tables\n")
    assert bench.merged(old, [new]) == [new]
