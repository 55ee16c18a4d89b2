"""The `postloan` command line: help for every subcommand, clear failures, lazy imports."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from dashboard.cli.main import build_parser, month_end

POSTLOAN = Path(sys.executable).parent / "postloan"
SUBCOMMANDS = (
    "demo",
    "load",
    "build",
    "info",
    "check",
    "user",
    "report",
    "audit",
    "alerts",
    "tasks",
    "rectification",
    "model",
    "deliver",
    "scheduler",
    "subscribe",
)


def _run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(POSTLOAN), *args],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, **env},
        timeout=120,
    )


def test_help_lists_every_subcommand() -> None:
    result = _run("--help")
    assert result.returncode == 0, result.stderr
    for name in SUBCOMMANDS:
        assert name in result.stdout


def test_parser_has_exactly_the_known_subcommands() -> None:
    actions = [a for a in build_parser()._actions if a.dest == "command"]
    assert set(actions[0].choices) == set(SUBCOMMANDS)


@pytest.mark.parametrize("name", SUBCOMMANDS)
def test_subcommand_help(name: str) -> None:
    result = _run(name, "--help")
    assert result.returncode == 0, result.stderr
    assert f"usage: postloan {name}" in result.stdout


def test_help_does_not_import_the_heavy_libraries() -> None:
    code = (
        "import sys, dashboard.cli.main as c\n"
        "try:\n    c.main(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = {'pandas', 'sqlalchemy', 'streamlit', 'duckdb'} & set(sys.modules)\n"
        "assert not heavy, heavy\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


def test_info_on_a_missing_warehouse_says_so(tmp_path: Path) -> None:
    path = tmp_path / "nothing.duckdb"
    result = _run("info", "--warehouse", f"duckdb:///{path}")
    assert result.returncode != 0
    assert "no warehouse at" in result.stderr and "postloan load" in result.stderr
    assert "Traceback" not in result.stderr
    assert not path.exists()  # looking must not create it


def test_info_reads_the_url_from_the_environment(tmp_path: Path) -> None:
    path = tmp_path / "env.duckdb"
    result = _run("info", POSTLOAN_WAREHOUSE_URL=f"duckdb:///{path}")
    assert result.returncode != 0
    assert str(path) in result.stderr


def test_as_of_month_is_its_last_day() -> None:
    assert month_end("2024-02") == date(2024, 2, 29)
    assert month_end("2026-12") == date(2026, 12, 31)


def test_bad_as_of_is_a_usage_error() -> None:
    result = _run("demo", "out", "--as-of", "2026-13")
    assert result.returncode == 2
    assert "YYYY-MM" in result.stderr


def test_info_prints_the_latest_load_and_the_settings(db_url: str) -> None:
    import json
    from datetime import datetime

    import sqlalchemy as sa

    from warehouse import schema
    from warehouse.engine import create_warehouse_engine
    from warehouse.settings import SETTING_KEYS

    engine = create_warehouse_engine(db_url)
    schema.metadata.create_all(engine, tables=[schema.loads])
    row = {
        "loaded_at": datetime(2026, 11, 1, 2, 30),  # noqa: DTZ001 - stored as naive UTC
        "institution": "示例租赁",
        "entity_type": "financing_lease",
        "currency": "CNY",
        "source": "extract",
        "sha256": "ab" * 32,
        "row_counts": json.dumps({"contracts": 1234}),
        "build_seconds": None,
    }
    with engine.begin() as conn:
        conn.execute(
            sa.insert(schema.loads),
            [
                {**row, "load_id": 1, "as_of": date(2026, 9, 30)},
                {**row, "load_id": 2, "as_of": date(2026, 10, 31)},
            ],
        )
    engine.dispose()
    result = _run("info", "--warehouse", db_url)
    assert "2026-10-31" in result.stdout and "2026-09-30" not in result.stdout
    assert "示例租赁" in result.stdout and "1,234" in result.stdout
    assert all(key in result.stdout for key in SETTING_KEYS)
    # Only `loads` exists, so the warehouse is incomplete for this version: exit 3, say why.
    assert result.returncode == 3, result.stderr
    assert "older version" in result.stderr and "contract_month" in result.stderr


def test_info_on_an_empty_warehouse_says_so(db_url: str) -> None:
    from warehouse.engine import create_warehouse_engine

    engine = create_warehouse_engine(db_url)
    engine.connect().close()  # an empty database (on DuckDB: an empty file)
    engine.dispose()
    result = _run("info", "--warehouse", db_url)
    assert result.returncode != 0
    assert "no load yet" in result.stderr


def test_build_on_a_missing_warehouse_says_so(tmp_path: Path) -> None:
    path = tmp_path / "nothing.duckdb"
    result = _run("build", "--warehouse", f"duckdb:///{path}")
    assert result.returncode != 0
    assert "no warehouse at" in result.stderr and "Traceback" not in result.stderr
    assert not path.exists()


def test_load_of_a_bad_extract_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    extract = tmp_path / "empty-extract"
    extract.mkdir()
    path = tmp_path / "w.duckdb"
    result = _run("load", str(extract), "--warehouse", f"duckdb:///{path}")
    assert result.returncode == 2
    assert "manifest" in result.stderr and "unchanged" in result.stderr
    assert "Traceback" not in result.stderr
    assert not path.exists()


def test_demo_load_info_round_trip(db_url: str, tmp_path: Path) -> None:
    extract = tmp_path / "demo"
    demo = _run("demo", str(extract), "--contracts", "300", "--months", "12", "--as-of", "2026-06")
    assert demo.returncode == 0, demo.stderr
    load = _run("load", str(extract), "--warehouse", db_url)
    assert load.returncode == 0, load.stderr
    assert "build" in load.stderr  # progress lines
    info = _run("info", "--warehouse", db_url)
    assert info.returncode == 0, info.stderr
    assert "2026-06-30" in info.stdout and "contract_month" not in info.stderr
    build = _run("build", "--warehouse", db_url)
    assert build.returncode == 0, build.stderr


def test_info_names_what_an_older_warehouse_lacks_until_rebuilt(
    db_url: str, tmp_path: Path
) -> None:
    """A warehouse missing a mart table and a mart column (as an older version wrote it) makes
    `info` exit 3 naming both; `postloan build` writes them and `info` exits 0 again."""
    import sqlalchemy as sa

    from warehouse.engine import create_warehouse_engine

    extract = tmp_path / "demo"
    assert (
        _run(
            "demo", str(extract), "--contracts", "200", "--months", "6", "--as-of", "2026-06"
        ).returncode
        == 0
    )
    assert _run("load", str(extract), "--warehouse", db_url).returncode == 0
    engine = create_warehouse_engine(db_url)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE contract_watch"))
        conn.execute(sa.text("ALTER TABLE segment_values DROP COLUMN value"))
    engine.dispose()
    stale = _run("info", "--warehouse", db_url)
    assert stale.returncode == 3
    assert "contract_watch" in stale.stderr and "segment_values.value" in stale.stderr
    assert _run("build", "--warehouse", db_url).returncode == 0
    assert _run("info", "--warehouse", db_url).returncode == 0


def test_a_bad_settings_file_is_reported_not_raised(tmp_path: Path) -> None:
    from warehouse.engine import create_warehouse_engine

    settings = tmp_path / "postloan.toml"
    settings.write_text("[dpd]\ntolerence = '1.00'\n", encoding="utf-8")
    url = f"duckdb:///{tmp_path / 'w.duckdb'}"
    engine = create_warehouse_engine(url)
    engine.connect().close()
    engine.dispose()
    result = _run("build", "--warehouse", url, POSTLOAN_SETTINGS=str(settings))
    assert result.returncode == 2, result.stderr
    assert "bad settings file" in result.stderr and "dpd.tolerence" in result.stderr
    assert "Traceback" not in result.stderr
