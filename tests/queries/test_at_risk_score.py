"""The at-risk rule "early-warning score ≥ cut-off" and the sort by score (queries/at_risk.py) on
the scored book of `tests/early_warning/score_book.py`, on DuckDB and PostgreSQL.

At 2024-12-31 the build scored K0 1%, K1 20% and K2 50% (K9 is 143 days past due: not scored,
listed by its DPD; KC closed). With the cut-off 0.10 the score rule lists K1 and K2; at 0.30 only
K2; the list sorted by score puts K2, then K1, then the unscored K9.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy.engine import Engine

from queries.at_risk import at_risk, rule_counts, rules_for, score_cutoff, split_counts
from queries.at_risk_rules import score_status
from queries.filters import Filters
from tests.conftest import engine_params
from tests.early_warning.score_book import scored_engines

FILTERS = Filters(as_of=date(2024, 12, 31))


@pytest.fixture(scope="module", params=engine_params())
def engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    """The score book built with an approved model and the cut-off 0.10."""
    yield from scored_engines(request, tmp_path_factory, "at_risk_score")


def _ids(frame) -> list[str]:
    return list(split_counts(frame)[0].contract_id)


def test_the_score_rule_lists_exactly_the_contracts_at_or_above_the_cut_off(
    engine: Engine,
) -> None:
    assert score_cutoff(engine) == Decimal("0.10")  # as the build recorded it
    listed = at_risk(engine, FILTERS, rules=("score",), sort="contract")
    assert _ids(listed) == ["K1", "K2"]
    assert _ids(at_risk(engine, FILTERS, rules=("score",), cutoff=Decimal("0.30"))) == ["K2"]
    counts = rule_counts(engine, FILTERS).set_index("rule")
    assert counts.loc["score", "contracts"] == 2
    assert counts.loc["score", "outstanding"] == Decimal("200.00")  # 100 left on each
    # K2 meets the score rule and, with its signal of 2024-12-31, the signal rule.
    assert list(rules_for(engine, FILTERS, "K2").rules) == ["score,signal"]
    assert list(rules_for(engine, FILTERS, "K0").rules) == [""]


def test_the_list_sorts_by_score_with_the_unscored_last_and_shows_the_top_reason(
    engine: Engine,
) -> None:
    rows = split_counts(at_risk(engine, FILTERS, sort="score"))[0]
    assert list(rows.contract_id) == ["K2", "K1", "K9"]
    assert rows.score.iloc[0] == pytest.approx(0.50, abs=0.005)
    assert rows.score.iloc[1] == pytest.approx(0.20, abs=0.005)
    assert rows.score.isna().iloc[2]  # 143 days past due: not performing, not scored
    assert list(rows.score_reason.iloc[:2]) == ["ew_reason.signals_high_6m"] * 2


def test_the_status_names_the_version_and_the_month_ends_it_scored(engine: Engine) -> None:
    status = score_status(engine, FILTERS.as_of)
    assert status is not None and status.outcome == "scored" and status.version == "ew-0001"
    assert status.months == 3 and status.scored_here
    before = score_status(engine, date(2024, 9, 30))
    assert before is not None and not before.scored_here
