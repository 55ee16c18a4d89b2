"""The early-warning model's alert rules (`model.psi`, `model.auc`, alerts/model.py) on the
hand-made scores and outcomes of tests/early_warning/monitoring_book.py, on DuckDB and PostgreSQL:
each fires on a breach and resolves once back inside its line by the band, with values worked out
by hand."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from alerts.model import model_observations
from alerts.rules import MODEL_AUDIENCE, audience_of, model_rules
from alerts.run import evaluate
from alerts.state import CLEARED, FIRED
from alerts.store import apply_observations
from dashboard.cli.alerts import _figure
from dashboard.delivery.words import detail, headline
from early_warning.monitoring import ModelInForce, model_in_force
from early_warning.registry import Registry
from tests.dashboard.analytics_app import build_analytics_warehouse
from tests.early_warning.monitoring_book import AS_OF, JULY, JUNE, VERSION, write_monitoring_book
from warehouse import schema
from warehouse.engine import create_warehouse_engine
from warehouse.months import month_idx
from warehouse.portal import portal_engine, portal_url
from warehouse.settings import load_settings

NOW = datetime(2026, 11, 3, 1, 0, tzinfo=UTC).replace(tzinfo=None)
BAND = Decimal("0.05")
PAGES = {"model.psi": "model_monitoring.py", "model.auc": "model_monitoring.py"}
# Training scores cut at 0.35: half at or below, half above.
REFERENCE = {
    "rows": 2,
    "score": {"kind": "numeric", "edges": [0.35], "shares": [0.5, 0.5], "missing": 0.0},
    "features": {},
}


def _model() -> ModelInForce:
    return ModelInForce(VERSION, {"version": VERSION, "reference": REFERENCE})


def _observe(url: str, as_of: date, auc_min: str = "0.70") -> list:
    settings = load_settings(overrides={"alerts.model_auc_min": auc_min})
    engine = create_warehouse_engine(url)
    try:
        return model_observations(engine, as_of, _model(), model_rules(settings), BAND)
    finally:
        engine.dispose()


def test_score_psi_fires_above_its_line_and_resolves_inside_the_band(db_url: str) -> None:
    write_monitoring_book(db_url)
    portal = portal_engine(portal_url(db_url))
    try:
        said = []
        for month in (JUNE, JULY):
            seen = [o for o in _observe(db_url, month) if o.rule == "model.psi"]
            said += apply_observations(portal, seen, PAGES, 1, NOW)
    finally:
        portal.dispose()
    # June: 0.1 at or below 0.35 (1/6), five above: (1/6 − 1/2) ln(1/3) + (5/6 − 1/2) ln(5/3)
    # = ln 5 / 3 ≈ 0.536 > 0.25. July: 0.3 and 0.2 below (2/3), 0.4 above (1/3):
    # (2/3 − 1/2) ln(4/3) + (1/3 − 1/2) ln(2/3) ≈ 0.116 ≤ 0.25 − 5% × 0.25.
    june = math.log(5) / 3
    july = (2 / 3 - 0.5) * math.log(4 / 3) + (1 / 3 - 0.5) * math.log(2 / 3)
    assert [(s.event, s.subject, s.period) for s in said] == [
        (FIRED, VERSION, JUNE),
        (CLEARED, VERSION, JULY),
    ]
    assert float(said[0].value) == pytest.approx(june, abs=1e-6)
    assert float(said[1].value) == pytest.approx(july, abs=1e-6)
    assert said[0].line == Decimal("0.25") and said[0].page == "model_monitoring.py"


def test_auc_of_the_latest_known_month_end_fires_below_its_line(db_url: str) -> None:
    write_monitoring_book(db_url)
    portal = portal_engine(portal_url(db_url))
    try:
        # As of December the latest month-end with a known outcome is June: AUC 7.5 / 9 ≈ 0.833,
        # below a line of 0.90 (fires, at December: the page there shows June's AUC) …
        first = [o for o in _observe(db_url, AS_OF, "0.90") if o.rule == "model.auc"]
        fired = apply_observations(portal, first, PAGES, 1, NOW)
        # … and at least 0.75 + 5% × 0.75 = 0.7875 once the line is lowered to 0.75: resolved.
        second = [o for o in _observe(db_url, AS_OF, "0.75") if o.rule == "model.auc"]
        resolved = apply_observations(portal, second, PAGES, 1, NOW)
    finally:
        portal.dispose()
    assert [(s.event, s.period) for s in fired] == [(FIRED, AS_OF)]
    assert float(fired[0].value) == pytest.approx(7.5 / 9, abs=1e-6)
    assert [(s.event, s.period) for s in resolved] == [(CLEARED, AS_OF)]


def test_no_known_outcome_and_no_reference_are_no_figure(db_url: str) -> None:
    write_monitoring_book(db_url)
    engine = create_warehouse_engine(db_url)
    settings = load_settings()
    try:
        # As of July nothing scored has a 6-month outcome yet (May + 6 = November).
        seen = model_observations(engine, JULY, _model(), model_rules(settings), BAND)
        old = ModelInForce(VERSION, {"version": VERSION})  # a card from before references
        stale = model_observations(engine, AS_OF, old, model_rules(settings), BAND)
    finally:
        engine.dispose()
    auc = next(o for o in seen if o.rule == "model.auc")
    assert (auc.value, auc.breached) == (None, None)
    psi = next(o for o in stale if o.rule == "model.psi")
    assert (psi.value, psi.breached) == (None, None)


def test_model_alerts_are_for_the_committee_and_admin_in_their_own_unit(tmp_path: Path) -> None:
    assert audience_of("model.psi") == audience_of("model.auc") == MODEL_AUDIENCE
    assert {"risk_committee", "admin"} == MODEL_AUDIENCE
    row = {
        "rule": "model.auc",
        "subject": "ew-0002",
        "value": Decimal("0.655"),
        "line": Decimal("0.70"),
        "first_period": date(2026, 4, 30),
    }
    assert headline("model.auc", "zh") == "预警评分 AUC低于预警线"
    assert detail(row, "en") == (
        "Model ew-0002: AUC at the latest month-end with a known 6-month outcome, as of "
        "2026-04: 0.655, line 0.700"
    )
    assert _figure("model.psi", Decimal("0.3125"), Decimal("0.25")) == "0.312 (line 0.250)"
    # The rules apply only with an approved version in force.
    reg = Registry(tmp_path)
    reg.approve(reg.propose({}, {"reference": REFERENCE}, "alice"), "bob")
    model = model_in_force(tmp_path)
    assert model is not None and model.reference == REFERENCE


def test_an_evaluation_reads_the_model_in_force_from_the_registry_setting(tmp_path: Path) -> None:
    """`postloan alerts evaluate` end to end: the portfolio book as of June 2024 with scores
    written by hand — 2023-12: A 0.6, B 0.3, C 0.4, X 0.1 (A and B over 90 within 6 months:
    AUC 3 of 4 pairs = 0.75, known by June); June: Y 0.9, Z 0.8, both above the training
    median 0.35 — PSI 0.5 ln 2 + (0.0001 − 0.5) ln(0.0001 / 0.5) ≈ 4.60."""
    url = f"duckdb:///{tmp_path / 'w.duckdb'}"
    build_analytics_warehouse(url)
    scores = {
        date(2023, 12, 31): [("A", 0.6), ("B", 0.3), ("C", 0.4), ("X", 0.1)],
        date(2024, 6, 30): [("Y", 0.9), ("Z", 0.8)],
    }
    engine = create_warehouse_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(
                schema.ew_scores.insert(),
                [
                    {
                        "contract_id": c,
                        "month_idx": month_idx(m),
                        "month_end": m,
                        "model_version": "ew-0001",
                        "score": s,
                        "score_decile": n + 1,
                    }
                    for m, rows in scores.items()
                    for n, (c, s) in enumerate(rows)
                ],
            )
    finally:
        engine.dispose()
    reg = Registry(tmp_path / "models")
    reg.approve(reg.propose({}, {"reference": REFERENCE}, "alice"), "bob")
    overrides = {"early_warning.registry": str(tmp_path / "models"), "alerts.model_auc_min": "0.80"}
    done = evaluate(url, load_settings(overrides=overrides), NOW)
    fired = {a.rule: a for a in done.announcements if a.rule.startswith("model.")}
    assert set(fired) == {"model.psi", "model.auc"}
    psi = 0.5 * math.log(2) + (1e-4 - 0.5) * math.log(1e-4 / 0.5)
    assert float(fired["model.psi"].value) == pytest.approx(psi, abs=1e-6)
    assert float(fired["model.auc"].value) == pytest.approx(0.75)
    assert {a.subject for a in fired.values()} == {"ew-0001"}
    assert {a.period for a in fired.values()} == {date(2024, 6, 30)}
    assert {a.page for a in fired.values()} == {"model_monitoring.py"}
    assert not {"model.psi", "model.auc"} & set(done.missing)
    # With no approved version the model rules are not in force: their open alerts resolve,
    # and nothing fires.
    bare = evaluate(url, load_settings(overrides={"early_warning.registry": str(tmp_path)}), NOW)
    said = {(a.rule, a.event) for a in bare.announcements if a.rule.startswith("model.")}
    assert said == {("model.psi", CLEARED), ("model.auc", CLEARED)}
