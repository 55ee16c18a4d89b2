"""Carried-over scores (warehouse/marts/ew_scores.py `score_months`) on the score book of
`score_book`, on DuckDB and PostgreSQL: a rebuild with unchanged inputs and the same approved
version scores nothing and keeps every score; a corrected history rescores the month-end it
touches and the later ones, the earlier ones keep identical scores; a new version rescores all;
the DuckDB load reads the previous scores from the file it replaces, and a missing, corrupt or
older file means everything is scored, never a failed build.

Hand-worked: the book's signals give K0 none, K1 and K2 one at 2024-10 and -11; at 2024-12 K2 two
(score_book docstring). The correction adds a high signal for K0's lessee on 2024-11-15: K0 then
has one at 2024-11 and -12 (20%, like K1), nothing changes at 2024-10. Deciles per month-end
(score, highest first, then contract id; rank × 10 // rows + 1): 2024-11 K0 K1 K2 all 20%: K0 1,
K1 4, K2 7; 2024-12 K2 50% 1, then K0 4, K1 7.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import sqlalchemy as sa

from early_warning.scoring import score_build
from tests.early_warning.score_book import (
    AS_OF,
    RATES,
    _signal,
    approved,
    fitted_models,
    overrides,
    score_book,
    table_rows,
)
from tests.early_warning.test_build_scores import REFERENCE
from tests.warehouse.book import Book, build_book, d
from warehouse import schema
from warehouse.engine import atomic_write, create_warehouse_engine, duckdb_path
from warehouse.marts import build_mart
from warehouse.months import month_idx
from warehouse.settings import load_settings

OCT, NOV, DEC = (month_idx(date(2024, m, 28)) for m in (10, 11, 12))


def _scores(url: str) -> pd.DataFrame:
    engine = create_warehouse_engine(url)
    try:
        with engine.connect() as conn:
            s = schema.ew_scores
            result = conn.execute(sa.select(s).order_by(s.c.month_idx, s.c.contract_id))
            return pd.DataFrame(result.fetchall(), columns=list(result.keys()))
    finally:
        engine.dispose()


def _said(lines: list[str]) -> str:
    said = [line for line in lines if line.startswith("early-warning scores: ")]
    assert len(said) == 1, said
    return said[0].rsplit(", in ", 1)[0]


def _rebuild(url: str, root: Path, lines: list[str], *extra_signals: dict[str, Any]) -> None:
    """The month-end build again on the same warehouse (PostgreSQL's one transaction, a DuckDB
    rebuild's copy), after adding `extra_signals` to the source rows."""
    engine = create_warehouse_engine(url)
    try:
        with engine.begin() as conn:
            if extra_signals:
                conn.execute(schema.SOURCE_TABLES["warning_signals"].insert(), list(extra_signals))
            settings = load_settings(overrides=overrides(root))
            build_mart(conn, settings, d(AS_OF), lines.append, scorer=score_build)
    finally:
        engine.dispose()


def _by_key(frame: pd.DataFrame) -> dict[tuple[str, int], tuple]:
    return {
        (r.contract_id, int(r.month_idx)): (
            r.model_version,
            float(r.score),
            int(r.score_decile),
            r.reason_1,
        )
        for r in frame.itertuples()
    }


def test_a_rebuild_carries_unchanged_month_ends_over_and_rescores_corrected_ones(
    db_url: str, tmp_path: Path
) -> None:
    root = tmp_path / "models"
    version = approved(root, fitted_models(), REFERENCE)
    lines: list[str] = []
    build_book(db_url, score_book(), AS_OF, score_build, lines.append, **overrides(root))
    assert _said(lines) == (
        f"early-warning scores: {version} scored 10 performing contract-months at 3 month-end(s) "
        "(2024-10 … 2024-12), carried over 0 month-end(s) unchanged since the previous build"
    )
    first = _by_key(_scores(db_url))
    first_bins = table_rows(db_url, schema.ew_feature_bins)
    months = table_rows(db_url, schema.ew_score_months)
    assert sorted(zip(months.month_idx, months.rows, strict=True)) == [(OCT, 4), (NOV, 3), (DEC, 3)]

    # Nothing changed, same version: nothing scored, every score and bin kept as it was.
    lines.clear()
    _rebuild(db_url, root, lines)
    assert _said(lines) == (
        f"early-warning scores: {version} scored 0 performing contract-months at 0 month-end(s), "
        "carried over 3 month-end(s) (2024-10 … 2024-12, 10 rows) unchanged since the previous "
        "build"
    )
    assert _by_key(_scores(db_url)) == first
    key = ["month_idx", "feature", "bin"]
    pd.testing.assert_frame_equal(
        table_rows(db_url, schema.ew_feature_bins).sort_values(key).reset_index(drop=True),
        first_bins.sort_values(key).reset_index(drop=True),
    )

    # A signal for K0 dated in November: November and December rescored, October kept.
    lines.clear()
    _rebuild(db_url, root, lines, _signal(4, "LK0", "2024-11-15"))
    assert _said(lines) == (
        f"early-warning scores: {version} scored 6 performing contract-months at 2 month-end(s) "
        "(2024-11 … 2024-12), carried over 1 month-end(s) (2024-10, 4 rows) unchanged since the "
        "previous build"
    )
    now = _by_key(_scores(db_url))
    assert {k: v for k, v in now.items() if k[1] == OCT} == {
        k: v for k, v in first.items() if k[1] == OCT
    }
    assert now[("K0", NOV)][1] == pytest.approx(RATES[1], abs=0.005)
    assert now[("K0", DEC)][1] == pytest.approx(RATES[1], abs=0.005)
    deciles = {k: v[2] for k, v in now.items() if k[1] != OCT}
    assert deciles == {
        ("K0", NOV): 1, ("K1", NOV): 4, ("K2", NOV): 7,
        ("K2", DEC): 1, ("K0", DEC): 4, ("K1", DEC): 7,
    }  # fmt: skip
    bins = table_rows(db_url, schema.ew_feature_bins)
    signals = bins[(bins.feature == "signals_high_6m") & (bins.month_idx == NOV)]
    assert list(signals.sort_values("bin").rows) == [0, 3, 0, 0]  # all three have one signal

    # A newly approved version rescores every month-end.
    lines.clear()
    newer = approved(root, fitted_models(), REFERENCE)
    _rebuild(db_url, root, lines)
    assert _said(lines) == (
        f"early-warning scores: {newer} scored 10 performing contract-months at 3 month-end(s) "
        "(2024-10 … 2024-12), carried over 0 month-end(s) unchanged since the previous build"
    )
    assert set(_scores(db_url).model_version) == {newer}
    assert set(table_rows(db_url, schema.ew_feature_bins).model_version) == {newer}


def _load(url: str, book: Book, root: Path, lines: list[str]) -> None:
    """What `postloan load` does on DuckDB: the sources and the build in a new file that replaces
    the live one (`atomic_write`)."""
    settings = load_settings(overrides=overrides(root))
    with atomic_write(url, start_empty=True) as conn:
        schema.metadata.create_all(conn, tables=list(schema.SOURCE_TABLES.values()))
        for name, table in schema.SOURCE_TABLES.items():
            rows = getattr(book, name, [])
            if rows:
                conn.execute(table.insert(), rows)
        build_mart(conn, settings, d(AS_OF), lines.append, scorer=score_build)


def test_a_duckdb_load_reads_the_previous_scores_from_the_file_it_replaces(
    duckdb_url: str, tmp_path: Path
) -> None:
    root = tmp_path / "models"
    version = approved(root, fitted_models(), REFERENCE)
    lines: list[str] = []
    _load(duckdb_url, score_book(), root, lines)
    first = _by_key(_scores(duckdb_url))
    assert len(first) == 10
    lines.clear()
    _load(duckdb_url, score_book(), root, lines)
    assert _said(lines) == (
        f"early-warning scores: {version} scored 0 performing contract-months at 0 month-end(s), "
        "carried over 3 month-end(s) (2024-10 … 2024-12, 10 rows) unchanged since the previous "
        "build"
    )
    assert _by_key(_scores(duckdb_url)) == first
    assert len(table_rows(duckdb_url, schema.ew_feature_bins)) > 0

    # A replaced file of an older layout (no ew_score_months): everything scored.
    engine = create_warehouse_engine(duckdb_url)
    try:
        with engine.begin() as conn:
            conn.execute(sa.text("DROP TABLE ew_score_months"))
    finally:
        engine.dispose()
    lines.clear()
    _load(duckdb_url, score_book(), root, lines)
    assert "scored 10 performing contract-months at 3 month-end(s)" in _said(lines)
    assert _by_key(_scores(duckdb_url)) == first

    # A replaced file that is not a database: everything scored, the load succeeds.
    duckdb_path(duckdb_url).write_bytes(b"not a duckdb file")
    lines.clear()
    _load(duckdb_url, score_book(), root, lines)
    assert "scored 10 performing contract-months at 3 month-end(s)" in _said(lines)
    assert _by_key(_scores(duckdb_url)) == first
