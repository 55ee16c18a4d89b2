"""Early-warning features (warehouse/marts/ew_features.py) on the hand-worked book of
tests/early_warning/books.py, on DuckDB and PostgreSQL; every expected value is worked out in the
comments from the book, not read from the statement's output."""

from __future__ import annotations

import pandas as pd
import pytest

from queries.execute import fetch_frame
from tests.early_warning.books import as_extracted_on, features, hand_book
from tests.warehouse.book import build_book, d
from warehouse.engine import create_warehouse_engine
from warehouse.marts.ew_features import FEATURES, TARGET, first_over_statement
from warehouse.months import month_idx


def _row(frame: pd.DataFrame, contract: str, month_end: str) -> pd.Series:
    return frame.loc[(contract, d(month_end))]


def test_repayment_signal_device_inspection_collection_features_by_hand(db_url: str) -> None:
    f = features(db_url, hand_book(), "2024-08-31", "2024-08-31")
    ca = _row(f, "CA", "2024-08-31")
    # DPD Jun 0, Jul 16, Aug 47; Apr 15 was the only other arrears month.
    assert (ca.dpd, ca.dpd_max_3m, ca.dpd_max_6m, ca.dpd_max_12m) == (47, 47, 47, 47)
    assert (ca.months_in_arrears_12m, ca.months_30_12m) == (3, 1)
    # Mar–Aug: 6 × 1,000 due; paid 1,000 (Mar) + 2,000 (May) + 1,000 (Jun) = 4,000.
    assert ca.payment_ratio_6m == pytest.approx(4000 / 6000)
    # Lessee LA: signals Oct 2023 high news, Mar 2024 high court, Jul 2024 medium tax.
    assert (ca.signals_high_6m, ca.signals_medium_6m, ca.signals_low_6m) == (1, 1, 0)
    assert (ca.signals_court_6m, ca.signals_tax_6m, ca.signals_news_6m) == (1, 1, 0)
    assert ca.signals_high_12m == 2
    # Jun–Aug: offline 06-03 twice and 07-01 (2 days), geofence exit at 08-31 23:30; the
    # abnormal stop of 05-20 is outside the three months.
    assert (ca.iot_offline_3m, ca.iot_offline_days_3m, ca.iot_geofence_exit_3m) == (3, 2, 1)
    assert (ca.iot_abnormal_stop_3m, ca.iot_low_utilisation_3m) == (0, 0)
    # Inspections 02-10 normal and 07-20 idle.
    assert (ca.inspections_12m, ca.inspections_abnormal_12m) == (2, 1)
    assert (ca.last_inspection_abnormal, ca.months_since_inspection) == (1, 1)
    # Jul–Aug: no answer, promise of 1,000 by 07-30 (nothing paid: broken), refusal, promise of
    # 500 by 09-05 (not yet due).
    assert (ca.contacts_6m, ca.no_answer_6m, ca.refusals_6m) == (4, 1, 1)
    assert (ca.promises_6m, ca.promises_broken_6m, ca.legal_12m) == (2, 1, 0)
    # The 07-20 inspection note "设备停工闲置" (停工: hardship); LA's 07-05 signal "涉及买卖合同
    # 纠纷诉讼" (纠纷, 诉讼: one dispute).
    assert (ca.text_hardship_12m, ca.text_dispute_12m, ca.text_refusal_12m) == (1, 1, 0)
    # Statement 2024-06-30: 800 / 1,000 debt; a year before 500 / 1,000; revenue 150 vs 200.
    assert ca.fin_debt_ratio == pytest.approx(0.8)
    assert ca.fin_debt_ratio_change == pytest.approx(0.3)
    assert (ca.fin_ocf_margin, ca.fin_net_margin) == (pytest.approx(-0.2), pytest.approx(-0.1))
    assert ca.fin_revenue_yoy == pytest.approx(-0.25)
    assert ca.fin_age_months == 2
    # Repaid 5,000 of 12,000; CA2 repaid 5 × 300 of 3,000: lessee 7,000 + 1,500.
    assert (ca.outstanding, ca.outstanding_share) == (7000, pytest.approx(7000 / 12000))
    assert (ca.lessee_outstanding, ca.lessee_contracts, ca.lessee_dpd_max) == (8500, 2, 47)
    assert (ca.mob, ca.term_months, ca.annual_rate) == (7, 12, pytest.approx(0.06))
    assert (ca["product"], ca.lessee_type, ca.industry, ca.province) == (
        "direct_lease",
        "corporate",
        "C",
        "31",
    )
    ca2 = _row(f, "CA2", "2024-08-31")
    assert (ca2.dpd_max_12m, ca2.payment_ratio_6m, ca2.lessee_dpd_max) == (0, 1.0, 47)
    assert (ca2.contacts_6m, ca2.iot_offline_3m, ca2.signals_high_12m) == (0, 0, 2)
    assert (ca2.text_hardship_12m, ca2.text_dispute_12m) == (0, 1)
    assert pd.isna(ca2.months_since_inspection)


def test_restructuring_override_and_observation_features_by_hand(db_url: str) -> None:
    f = features(db_url, hand_book(), "2024-08-31", "2024-08-31")
    cb = _row(f, "CB", "2024-08-31")
    # Restructured 2024-04-20 (4 months before Aug); override effective 2024-05.
    assert (cb.restructurings, cb.months_since_restructuring, cb.overrides) == (1, 4, 1)
    assert (cb.in_observation, cb.risk_class_rank, cb.dpd) == (1, 1, 0)
    # Due Mar–Aug, each installment as in force on its due date: 500 (03-10) + 500 (04-10,
    # before the 04-20 restructuring) + 4 × 250 = 2,000; paid 500 + 4 × 250 = 1,500.
    assert cb.payment_ratio_6m == pytest.approx(0.75)
    # A lessee with no statement and no signal.
    assert pd.isna(cb.fin_debt_ratio) and cb.signals_high_12m == 0


def test_target_is_90_plus_within_six_months_and_unknown_when_not_yet_built(db_url: str) -> None:
    f = features(db_url, hand_book(), "2024-01-31")
    # CA: 90+ first in October 2024; performing (DPD <= 90) from January to September.
    ca = f.loc["CA"]
    assert [m.month for m in ca.index] == [1, 2, 3, 4, 5, 6, 7, 8, 9]
    # March: April–September never over 90 → 0; April on: October is within six months → 1.
    assert list(ca[TARGET]) == [0, 0, 0, 1, 1, 1, 1, 1, 1]
    # CA2 never defaults: June + 6 = December is built (0); July on, unknown.
    ca2 = f.loc["CA2"][TARGET]
    assert ca2.loc[d("2024-06-30")] == 0 and ca2.loc[d("2024-07-31") :].isna().all()


def test_nothing_dated_after_a_month_end_changes_its_features(db_url: str) -> None:
    """The same book as extracted on 2024-08-31, plus different later events: every feature of
    every month-end up to August is equal. The target of August differs: CA pays its arrears in
    September and is not 90+ by December; August + 6 months is not built, so it is unknown."""
    full = features(db_url, hand_book(), "2024-01-31", "2024-08-31")
    early = features(db_url, as_extracted_on(hand_book(), "2024-08-31"), "2024-01-31", "2024-08-31")
    assert list(full.index) == list(early.index)
    pd.testing.assert_frame_equal(full[list(FEATURES)], early[list(FEATURES)])
    assert _row(full, "CA", "2024-08-31")[TARGET] == 1
    assert pd.isna(_row(early, "CA", "2024-08-31")[TARGET])


def test_first_month_over_30_and_over_90_per_contract(db_url: str) -> None:
    """CA: DPD 47 in August 2024 (first over 30), 108 in October (first over 90); CA2 and CB
    are never over 30, so they have no row."""
    build_book(db_url, hand_book(), "2024-12-31")
    engine = create_warehouse_engine(db_url)
    try:
        rows = fetch_frame(engine, first_over_statement())
    finally:
        engine.dispose()
    assert rows.to_dict("records") == [
        {
            "contract_id": "CA",
            "first_30_idx": month_idx(d("2024-08-31")),
            "first_90_idx": month_idx(d("2024-10-31")),
        }
    ]
