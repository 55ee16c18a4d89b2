"""The build's early-warning step (warehouse/marts/ew_scores.py, early_warning/scoring.py) on the
hand-worked book of `score_book`, on DuckDB and PostgreSQL: one score per performing contract per
scored month-end, equal to the fitted model applied to the feature frame; and bad input — no
approved version, a feature the warehouse lost, a model file that fails its check — leaves the
table empty with one line in the output and the log, while the build succeeds."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from dashboard.cli.main import main
from early_warning.data import load_features
from early_warning.monitoring import feature_spec, feature_stability, feature_stability_from
from early_warning.registry import MODELS, Registry
from early_warning.scorecard import Scorecard
from early_warning.scoring import score_build
from queries.filters import Filters
from queries.model_monitoring import computed_feature_bins, feature_bins
from tests.early_warning.score_book import (
    AS_OF,
    FEATURE,
    RATES,
    approved,
    fitted_models,
    lost_feature_models,
    overrides,
    score_book,
    table_rows,
)
from tests.warehouse.book import build_book
from warehouse import schema
from warehouse.engine import create_warehouse_engine
from warehouse.months import month_idx

OCT, NOV, DEC = (
    month_idx(date(2024, 10, 31)),
    month_idx(date(2024, 11, 30)),
    month_idx(date(2024, 12, 31)),
)
# (contract, month-end) -> number of high signals in the 6 months to it (module docstring)
SIGNALS = {
    ("K0", OCT): 0, ("K1", OCT): 1, ("K2", OCT): 1, ("K9", OCT): 0,
    ("K0", NOV): 0, ("K1", NOV): 1, ("K2", NOV): 1,
    ("K0", DEC): 0, ("K1", DEC): 1, ("K2", DEC): 2,
}  # fmt: skip
DECILES = {("K2", DEC): 1, ("K1", DEC): 4, ("K0", DEC): 7}
DECILES |= {("K1", NOV): 1, ("K2", NOV): 4, ("K0", NOV): 7}
DECILES |= {("K1", OCT): 1, ("K2", OCT): 3, ("K0", OCT): 6, ("K9", OCT): 8}


def _build(url: str, root: Path, lines: list[str]) -> None:
    """Build the score book with the early-warning step, its output lines into `lines`."""
    build_book(url, score_book(), AS_OF, score_build, lines.append, **overrides(root))


def test_the_build_scores_each_performing_contract_at_each_scored_month_end(
    db_url: str, tmp_path: Path
) -> None:
    root = tmp_path / "models"
    models = fitted_models()
    version = approved(root, models)
    lines: list[str] = []
    _build(db_url, root, lines)
    scores = table_rows(db_url, schema.ew_scores)
    keys = {(r.contract_id, int(r.month_idx)) for r in scores.itertuples()}
    assert keys == set(SIGNALS) and len(scores) == 10  # K9 after October and KC never
    assert set(scores.model_version) == {version}
    for r in scores.itertuples():
        signals = SIGNALS[(r.contract_id, int(r.month_idx))]
        assert r.score == pytest.approx(RATES[signals], abs=0.005), r
        # The safest bin loses no points: no reason; a signal is the reason.
        reasons = tuple(None if pd.isna(k) else k for k in (r.reason_1, r.reason_2, r.reason_3))
        assert reasons == (
            (None, None, None) if signals == 0 else (f"ew_reason.{FEATURE}", None, None)
        )
        assert r.month_end == {OCT: date(2024, 10, 31), NOV: date(2024, 11, 30)}.get(
            int(r.month_idx), date(2024, 12, 31)
        )
    got = {(r.contract_id, int(r.month_idx)): int(r.score_decile) for r in scores.itertuples()}
    assert {k: got[k] for k in DECILES} == DECILES
    # Independently: the fitted scorecard on the feature frame of each month-end.
    engine = create_warehouse_engine(db_url)
    try:
        for m in (OCT, NOV, DEC):
            frame = load_features(engine, m, m)
            expected = dict(zip(frame.contract_id, models["scorecard"].predict(frame), strict=True))
            stored = scores[scores.month_idx == m]
            assert dict(zip(stored.contract_id, stored.score, strict=True)) == pytest.approx(
                expected, rel=1e-12
            )
    finally:
        engine.dispose()
    said = [line for line in lines if line.startswith("early-warning scores: ")]
    assert said == [
        f"early-warning scores: {version} scored 10 performing contract-months at 3 "
        "month-end(s) (2024-10 … 2024-12), carried over 0 month-end(s) unchanged since the "
        f"previous build, in {said[0].rsplit(' in ', 1)[1]}"
    ]
    log = table_rows(db_url, schema.ew_score_log)
    assert list(log.outcome) == ["scored"] and list(log.model_version) == [version]
    assert list(log.scores) == [10] and list(log.month_ends) == [3] and log.message[0] == said[0]
    assert table_rows(db_url, schema.ew_feature_bins).empty  # the card keeps no reference


# A training reference by hand: signals cut at 0 and 1 (each edge value in the bin it closes),
# DPD at 30, months since inspection at 0.5, lessee type "individual" then any other.
REFERENCE = {
    "rows": 4,
    "score": {"kind": "numeric", "edges": [0.1], "shares": [0.5, 0.5], "missing": 0.0},
    "features": {
        FEATURE: {"kind": "numeric", "edges": [0.0, 1.0], "shares": [0.6, 0.3, 0.1], "missing": 0},
        "dpd": {"kind": "numeric", "edges": [30.0], "shares": [0.9, 0.1], "missing": 0.0},
        "months_since_inspection": {
            "kind": "numeric",
            "edges": [0.5],
            "shares": [0.5, 0.5],
            "missing": 0.0,
        },
        "lessee_type": {
            "kind": "categorical",
            "values": ["individual"],
            "shares": [1.0],
            "other": 0,
        },
    },
}
# Per month-end, each feature's rows per bin (numeric bins then missing; values then other):
# signals as SIGNALS; K9 82 DPD in October; nobody inspected (all missing); LK2 a company.
FEATURE_BINS = {
    OCT: {FEATURE: [2, 2, 0, 0], "dpd": [3, 1, 0], "months_since_inspection": [0, 0, 4],
          "lessee_type": [3, 1]},
    NOV: {FEATURE: [1, 2, 0, 0], "dpd": [3, 0, 0], "months_since_inspection": [0, 0, 3],
          "lessee_type": [2, 1]},
    DEC: {FEATURE: [1, 1, 1, 0], "dpd": [3, 0, 0], "months_since_inspection": [0, 0, 3],
          "lessee_type": [2, 1]},
}  # fmt: skip


def test_the_build_counts_each_features_rows_per_reference_bin_as_the_statement_does(
    db_url: str, tmp_path: Path
) -> None:
    root = tmp_path / "models"
    version = approved(root, fitted_models(), REFERENCE)
    book = score_book()
    for lessee in book.lessees:
        if lessee["lessee_id"] == "LK2":
            lessee["lessee_type"] = "company"
    build_book(db_url, book, AS_OF, score_build, **overrides(root))
    stored = table_rows(db_url, schema.ew_feature_bins)
    assert set(stored.model_version) == {version}
    got: dict[int, dict[str, list[int]]] = {}
    for r in stored.sort_values(["month_idx", "feature", "bin"]).itertuples():
        got.setdefault(int(r.month_idx), {}).setdefault(r.feature, []).append(int(r.rows))
        ends = {OCT: date(2024, 10, 31), NOV: date(2024, 11, 30), DEC: date(2024, 12, 31)}
        assert pd.Timestamp(r.month_end).date() == ends[int(r.month_idx)]
    assert got == FEATURE_BINS
    engine = create_warehouse_engine(db_url)
    try:
        for month_end in ("2024-10-31", "2024-11-30", "2024-12-31"):
            filters = Filters(as_of=date.fromisoformat(month_end))
            read = feature_bins(engine, filters, version=version)
            # The statement's SQL counting (offline reports) gives the same rows per bin ...
            spec = feature_spec(REFERENCE)
            computed = computed_feature_bins(engine, filters, features=spec)
            key = ["feature", "bin"]
            pd.testing.assert_frame_equal(
                read.sort_values(key).reset_index(drop=True),
                computed.sort_values(key).reset_index(drop=True),
                check_dtype=False,
            )
            # ... so the same PSI per feature.
            assert feature_stability_from(read, REFERENCE).equals(
                feature_stability(engine, filters, REFERENCE)
            )
        assert feature_bins(engine, Filters(as_of=date(2024, 9, 30)), version=version).empty
        assert feature_bins(engine, Filters(as_of=date(2024, 12, 31)), version="ew-9999").empty
    finally:
        engine.dispose()


def test_without_an_approved_version_the_table_is_empty_and_the_build_says_so(
    db_url: str, tmp_path: Path
) -> None:
    root = tmp_path / "models"
    Registry(root).propose(fitted_models(), {"purpose": "test"}, "alice")  # proposed only
    lines: list[str] = []
    _build(db_url, root, lines)
    assert table_rows(db_url, schema.ew_scores).empty
    said = [line for line in lines if line.startswith("early-warning scores: ")]
    assert said == [f"early-warning scores: none written — no approved model version in {root}"]
    log = table_rows(db_url, schema.ew_score_log)
    assert list(log.outcome) == ["no_model"] and log.model_version.isna().all()
    assert not table_rows(db_url, schema.contract_month).empty  # the rest of the build is there


def test_a_model_using_a_feature_the_warehouse_lost_is_refused_and_stays_approved(
    db_url: str, tmp_path: Path
) -> None:
    root = tmp_path / "models"
    version = approved(root, lost_feature_models())
    lines: list[str] = []
    _build(db_url, root, lines)
    assert table_rows(db_url, schema.ew_scores).empty
    said = [line for line in lines if line.startswith("early-warning scores: ")]
    assert len(said) == 1
    assert said[0].startswith(
        "early-warning scores: none written — the model in force uses features the warehouse "
        "no longer has: old_signal; train and approve a new version"
    )
    assert f"{version} stays the approved version" in said[0]
    assert Registry(root).in_force() == version  # the registry is left as it was
    log = table_rows(db_url, schema.ew_score_log)
    assert list(log.outcome) == ["refused"] and list(log.model_version) == [version]


def test_a_model_file_that_fails_its_check_is_refused(duckdb_url: str, tmp_path: Path) -> None:
    root = tmp_path / "models"
    version = approved(root, fitted_models())
    path = root / version / MODELS
    path.write_bytes(path.read_bytes() + b"tampered")
    lines: list[str] = []
    _build(duckdb_url, root, lines)
    assert table_rows(duckdb_url, schema.ew_scores).empty
    said = [line for line in lines if line.startswith("early-warning scores: ")]
    assert said == [
        f"early-warning scores: none written — {version}: {MODELS} does not match its card; "
        f"not loaded; {version} stays the approved version, the scores are empty until it is "
        "fixed"
    ]


def test_a_build_without_the_early_warning_step_leaves_the_table_empty(duckdb_url: str) -> None:
    build_book(duckdb_url, score_book(), AS_OF)
    assert table_rows(duckdb_url, schema.ew_scores).empty
    log = table_rows(duckdb_url, schema.ew_score_log)
    assert list(log.outcome) == ["skipped"]


def test_postloan_model_score_prints_the_builds_scores_as_the_model_computes_them(
    duckdb_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The build's rows (default) and the model applied again (`--registry`) print the same
    contracts, scores and reasons; both equal the scorecard on the feature frame."""
    root = tmp_path / "models"
    models = fitted_models()
    version = approved(root, models)
    _build(duckdb_url, root, [])
    engine = create_warehouse_engine(duckdb_url)
    try:
        frame = load_features(engine, DEC, DEC)
    finally:
        engine.dispose()
    p = dict(zip(frame.contract_id, models["scorecard"].predict(frame), strict=True))
    why = "high-severity warning signals in 6 months"
    expected = [f"  K2  {p['K2']:.1%}  DPD 0  {why}", f"  K1  {p['K1']:.1%}  DPD 0  {why}"]
    args = ["model", "score", "--warehouse", duckdb_url, "--top", "2", "--lang", "en"]
    assert main(args) == 0
    built = capsys.readouterr().out.splitlines()
    assert built == [
        f"{version} (scored by the build): 3 performing contracts scored at 2024-12; "
        "the 2 riskiest:",
        *expected,
    ]
    assert main([*args, "--registry", str(root)]) == 0
    computed = capsys.readouterr().out.splitlines()
    assert computed[1:] == expected


def test_a_model_that_fails_while_scoring_writes_nothing_and_the_build_goes_on(
    duckdb_url: str, tmp_path: Path
) -> None:
    """A scorecard whose binning of `dpd` cannot transform: refused in one line, no rows."""
    root = tmp_path / "models"
    broken = Scorecard(
        binnings={"dpd": "not a binning"}, coef={"dpd": -1.0}, intercept=0.0, best={}
    )
    version = approved(root, {**fitted_models(), "scorecard": broken})
    lines: list[str] = []
    _build(duckdb_url, root, lines)
    assert table_rows(duckdb_url, schema.ew_scores).empty
    said = [line for line in lines if line.startswith("early-warning scores: ")]
    assert len(said) == 1
    assert said[0].startswith(f"early-warning scores: none written — {version} could not score (")
    assert list(table_rows(duckdb_url, schema.ew_score_log).outcome) == ["refused"]
    assert table_rows(duckdb_url, schema.ew_feature_bins).empty
    assert not table_rows(duckdb_url, schema.contract_month).empty


def test_the_scores_written_in_a_transaction_are_not_kept_alive_until_it_ends(
    duckdb_url: str,
) -> None:
    # DuckDB keeps a frame handed over with `register` alive until the transaction ends: the
    # build (one transaction) held every chunk of scores it had written, 3 GiB at 1M contracts.
    import gc

    from warehouse.marts.ew_scores import _insert

    def frames() -> int:
        gc.collect()
        return sum(isinstance(o, pd.DataFrame) for o in gc.get_objects())

    engine = create_warehouse_engine(duckdb_url)
    try:
        with engine.begin() as conn:
            schema.ew_scores.create(conn)
            before = frames()
            for month in (OCT, NOV, DEC):
                chunk = pd.DataFrame(
                    {
                        "contract_id": ["K0", "K1"],
                        "month_idx": [month, month],
                        "month_end": [date(2024, 10, 31)] * 2,
                        "model_version": "ew-0001",
                        "score": [0.1, 0.2],
                        "score_decile": [2, 1],
                        "reason_1": ["ew_reason.dpd", None],
                        "reason_2": [None, None],
                        "reason_3": [None, None],
                    }
                )
                _insert(conn, chunk)
                del chunk
            assert frames() == before
            assert (
                conn.execute(schema.ew_scores.select().with_only_columns(schema.ew_scores.c.score))
                .scalars()
                .all()
                == [0.1, 0.2] * 3
            )
    finally:
        engine.dispose()
