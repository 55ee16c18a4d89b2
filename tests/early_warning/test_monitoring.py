"""Monitoring the model in force (queries/model_monitoring.py, early_warning/monitoring.py) on the
hand-made scores and outcomes of tests/early_warning/monitoring_book.py, on DuckDB and PostgreSQL.
Every expected figure is worked out in the comments from that book."""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path

import pytest

from early_warning.metrics import PSI_FLOOR
from early_warning.monitoring import (
    feature_stability,
    latest_known,
    model_in_force,
    score_stability,
)
from early_warning.registry import Registry
from queries.filters import Filters
from queries.model_monitoring import calibration, performance
from tests.early_warning.books import hand_book
from tests.early_warning.monitoring_book import (
    AS_OF,
    JULY,
    JUNE,
    MAY,
    VERSION,
    write_monitoring_book,
)
from tests.warehouse.book import build_book
from warehouse.engine import create_warehouse_engine

FLOOR = PSI_FLOOR


def _by_month(frame):  # type: ignore[no-untyped-def]
    return {
        date.fromisoformat(str(m)[:10]): row
        for m, row in zip(frame["month_end"], frame.to_dict("records"), strict=True)
    }


def test_discrimination_and_brier_per_month_end_with_unknown_outcomes_left_empty(
    db_url: str,
) -> None:
    write_monitoring_book(db_url)
    engine = create_warehouse_engine(db_url)
    try:
        frame = performance(engine, Filters(as_of=AS_OF), version=VERSION)
    finally:
        engine.dispose()
    rows = _by_month(frame)
    assert list(rows) == [MAY, JUNE, JULY]
    june = rows[JUNE]
    # y 1 1 0 1 0 0 for 0.9 0.8 0.7 0.6 0.6 0.1 (the other version's 0.99 is not counted):
    # defaults 0.9 and 0.8 beat the three others (6 pairs), 0.6 loses to 0.7, ties 0.6 (½),
    # beats 0.1: 7.5 of 9 pairs.
    assert (june["rows"], june["defaults"], june["outcome_known"]) == (6, 3, True)
    assert june["observed"] == pytest.approx(0.5)
    assert june["predicted"] == pytest.approx(3.7 / 6)
    assert june["auc"] == pytest.approx(7.5 / 9)
    # At or above 0.8: 2/3 of defaults, none of the others — the largest gap.
    assert june["ks"] == pytest.approx(2 / 3)
    # (0.1² + 0.2² + 0.7² + 0.4² + 0.6² + 0.1²) / 6
    assert june["brier"] == pytest.approx(1.07 / 6)
    may = rows[MAY]
    # Only C1 (0.5, the highest) defaults: C2's write-off in December is 7 months on.
    assert (may["rows"], may["defaults"], may["auc"], may["ks"]) == (4, 1, 1.0, 1.0)
    assert may["brier"] == pytest.approx((0.25 + 0.16 + 0.09 + 0.04) / 4)
    july = rows[JULY]
    # July + 6 = January 2025, after the as-of: not yet known, although C7 is over 90 in October.
    assert (july["rows"], july["outcome_known"]) == (3, False)
    assert (july["defaults"], july["observed"], july["auc"], july["ks"], july["brier"]) == (
        None,
        None,
        None,
        None,
        None,
    )
    assert july["predicted"] == pytest.approx(0.3)
    assert latest_known(frame)["month_end"] == frame["month_end"].iloc[1]


def test_an_earlier_as_of_knows_only_what_was_known_then(db_url: str) -> None:
    write_monitoring_book(db_url)
    engine = create_warehouse_engine(db_url)
    try:
        frame = performance(engine, Filters(as_of=date(2024, 11, 30)), version=VERSION)
    finally:
        engine.dispose()
    rows = _by_month(frame)
    # As of November, June + 6 = December is not yet built: June is not known; May is (C1's
    # September default).
    assert rows[MAY]["defaults"] == 1 and rows[JUNE]["outcome_known"] is False
    assert rows[JUNE]["auc"] is None


def test_observed_against_predicted_by_decile(db_url: str) -> None:
    write_monitoring_book(db_url)
    engine = create_warehouse_engine(db_url)
    try:
        frame = calibration(engine, Filters(as_of=AS_OF), version=VERSION)
    finally:
        engine.dispose()
    cells = {
        (date.fromisoformat(str(r["month_end"])[:10]), r["score_decile"]): r
        for r in frame.to_dict("records")
    }
    # June decile 6: C4 (0.6, default) and C5 (0.6, not).
    six = cells[(JUNE, 6)]
    assert (six["rows"], six["defaults"]) == (2, 1)
    assert six["predicted"] == pytest.approx(0.6) and six["observed"] == pytest.approx(0.5)
    assert cells[(JUNE, 1)]["defaults"] == 1 and cells[(JUNE, 10)]["observed"] == 0
    # July: predicted, no outcome yet.
    assert cells[(JULY, 1)]["predicted"] == pytest.approx(0.4)
    assert cells[(JULY, 1)]["defaults"] is None and cells[(JULY, 1)]["observed"] is None
    assert len(frame) == 4 + 5 + 3  # May 4 deciles, June 5 (6 twice), July 3


def test_score_psi_against_the_training_deciles_of_the_card(db_url: str) -> None:
    write_monitoring_book(db_url)
    # Training scores cut at 0.5: half at or below, half above.
    reference = {"score": {"kind": "numeric", "edges": [0.5], "shares": [0.5, 0.5], "missing": 0.0}}
    engine = create_warehouse_engine(db_url)
    try:
        table = score_stability(engine, Filters(as_of=AS_OF), VERSION, reference)
    finally:
        engine.dispose()
    psi = {
        date.fromisoformat(str(m)[:10]): v
        for m, v in zip(table["month_end"], table["psi"], strict=True)
    }
    # June: 0.1 at or below 0.5 (1/6), five above (5/6):
    # (1/6 − 1/2) ln(1/3) + (5/6 − 1/2) ln(5/3) = (ln 3 + ln 5/3) / 3 = ln 5 / 3.
    assert psi[JUNE] == pytest.approx(math.log(5) / 3)
    # May: 0.5 (on the edge: the lower bin), 0.4, 0.3, 0.2 — all below; the empty bin counts as
    # the floor share.
    may = 0.5 * math.log(2) + (FLOOR - 0.5) * math.log(FLOOR / 0.5)
    assert psi[MAY] == pytest.approx(may)
    assert list(table["psi_band"]) == ["shifted", "shifted", "shifted"]
    assert list(table["rows"]) == [4, 6, 3]


def test_feature_psi_at_a_month_end_from_its_feature_statement(db_url: str) -> None:
    # The hand-worked book of tests/early_warning/books.py at 2024-08-31: CA DPD 47, inspected
    # in July (1 month ago); CA2 and CB DPD 0, never inspected; all direct_lease.
    build_book(db_url, hand_book(), "2024-12-31")
    reference = {
        "features": {
            "dpd": {"kind": "numeric", "edges": [10.0], "shares": [0.5, 0.5], "missing": 0.0},
            "months_since_inspection": {
                "kind": "numeric",
                "edges": [0.5],
                "shares": [0.5, 0.5],
                "missing": 0.0,
            },
            "product": {
                "kind": "categorical",
                "values": ["direct_lease"],
                "shares": [1.0],
                "other": 0.0,
            },
            "gone_feature": {"kind": "numeric", "edges": [], "shares": [1.0], "missing": 0.0},
        }
    }
    engine = create_warehouse_engine(db_url)
    try:
        table = feature_stability(engine, Filters(as_of=date(2024, 8, 31)), reference)
    finally:
        engine.dispose()
    psi = dict(zip(table["feature"], table["psi"], strict=True))
    # dpd: 2/3 at or below 10, 1/3 above, none missing.
    dpd = (2 / 3 - 0.5) * math.log(4 / 3) + (1 / 3 - 0.5) * math.log(2 / 3)
    assert psi["dpd"] == pytest.approx(dpd)
    # months since inspection: none ≤ 0.5, CA (1) above, CA2 and CB missing.
    msi = (
        (FLOOR - 0.5) * math.log(FLOOR / 0.5)
        + (1 / 3 - 0.5) * math.log(2 / 3)
        + (2 / 3 - FLOOR) * math.log((2 / 3) / FLOOR)
    )
    assert psi["months_since_inspection"] == pytest.approx(msi)
    assert psi["product"] == pytest.approx(0.0)
    # A feature the statement no longer has is listed, without a PSI, last.
    assert psi["gone_feature"] is None and table["feature"].iloc[-1] == "gone_feature"
    assert table["feature"].iloc[0] == "months_since_inspection"


def test_the_model_in_force_and_a_card_from_before_references(tmp_path: Path) -> None:
    assert model_in_force(tmp_path / "none") is None
    reg = Registry(tmp_path)
    version = reg.propose({"scorecard": None}, {"purpose": "p"}, "alice")
    assert model_in_force(tmp_path) is None  # proposed, not approved
    reg.approve(version, "bob")
    model = model_in_force(tmp_path)
    assert model is not None and model.version == version and model.reference is None
    assert model.card["approved_by"] == "bob"
