"""Branch scope (row-level access) on every kind of query, on DuckDB and PostgreSQL, and on screen.

Figures from `tests/access/books.py` (the analytics book with B in branch BJ, A and C in SH):
March SH 6,500 over 2 (A 5,000 + C 1,500), BJ 12,000 over 1; April and May SH 5,000 over 1
(C closed in April), BJ 12,000 over 1; June SH 5,000 over 1, BJ nothing open (B written off).
Vintage: cohort 2024-01 is A (6,000 principal, SH) and B (12,000, BJ); cohort 2024-03 is C
(1,500, SH). B's write-off of 12,000 falls at MOB 5 (June).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy.engine import Engine

from queries import book, exposures, portfolio, tiers, vintage
from queries.filters import BookFilter, Filters, scope_clause
from tests.access.apptest import open_as
from tests.access.books import branch_book
from tests.queries.books import built
from warehouse.schema import loads, portfolio_segment_month, portfolio_total_month

JUNE = date(2024, 6, 30)
MAY = date(2024, 5, 31)

# (outstanding, contracts) for March, April, May, June.
TREND = {
    None: [(18500, 3), (17000, 2), (17000, 2), (5000, 1)],
    ("SH",): [(6500, 2), (5000, 1), (5000, 1), (5000, 1)],
    ("BJ",): [(12000, 1), (12000, 1), (12000, 1), (0, 0)],
    ("BJ", "SH"): [(18500, 3), (17000, 2), (17000, 2), (5000, 1)],
    (): [(0, 0)] * 4,
    ("XX",): [(0, 0)] * 4,
}


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """The branch book built to June 2024 on DuckDB or PostgreSQL."""
    built_engine = built(db_url, branch_book(), JUNE.isoformat())
    yield built_engine
    built_engine.dispose()


@pytest.mark.parametrize("summaries", [True, False], ids=["summaries", "finest"])
def test_trend_is_limited_to_the_scope(
    engine: Engine, summaries: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tiers, "USE_SUMMARIES", summaries)
    for scope, expected in TREND.items():
        frame = portfolio.trend(engine, Filters(as_of=JUNE, scope=scope), months=4)
        got = [
            (int(o), int(c))
            for o, c in zip(frame["outstanding"], frame["open_contracts"], strict=True)
        ]
        assert got == expected, scope


def test_headline_is_limited_to_the_scope(engine: Engine) -> None:
    def headline(scope: tuple[str, ...] | None) -> tuple[int, int, Decimal, int]:
        row = book.headline(engine, BookFilter(JUNE, scope=scope)).iloc[0]
        return (
            int(row["open_contracts"]),
            int(row["lessees"]),
            Decimal(row["outstanding_principal"]),
            int(row["contracts_dpd_gt_0"]),
        )

    assert headline(None) == (1, 1, Decimal("5000"), 1)
    assert headline(("SH",)) == (1, 1, Decimal("5000"), 1)
    assert headline(("BJ",)) == (0, 0, Decimal("0"), 0)
    assert headline(()) == (0, 0, Decimal("0"), 0)


def test_breakdown_by_branch_shows_only_branches_in_scope(engine: Engine) -> None:
    frame = portfolio.breakdown(engine, Filters(as_of=MAY, scope=("BJ",)), "branch")
    assert list(frame["branch"]) == ["BJ"]
    assert int(frame["outstanding"].iloc[0]) == 12000
    assert portfolio.breakdown(engine, Filters(as_of=MAY, scope=()), "branch").empty


def test_concentration_counts_only_exposure_in_scope(engine: Engine) -> None:
    def top_lessees(scope: tuple[str, ...] | None) -> list[tuple[str, int]]:
        frame = exposures.concentration(engine, Filters(as_of=MAY, scope=scope))
        rows = frame[frame["kind"] == "lessee"]
        return [(k, int(v)) for k, v in zip(rows["key"], rows["outstanding"], strict=True)]

    assert top_lessees(None) == [("LB", 12000), ("LA", 5000)]
    assert top_lessees(("SH",)) == [("LA", 5000)]
    assert top_lessees(()) == []


def test_vintage_cohorts_are_limited_to_the_scope(engine: Engine) -> None:
    def cohorts(scope: tuple[str, ...] | None) -> dict[str, int]:
        frame = vintage.vintage(engine, Filters(as_of=JUNE, scope=scope))
        first = frame[frame["mob"] == 0]
        return {c: int(p) for c, p in zip(first["cohort"], first["cohort_principal"], strict=True)}

    assert cohorts(None) == {"2024-01": 18000, "2024-03": 1500}
    assert cohorts(("SH",)) == {"2024-01": 6000, "2024-03": 1500}
    assert cohorts(("BJ",)) == {"2024-01": 12000}
    assert cohorts(()) == {}
    bj = vintage.vintage(engine, Filters(as_of=JUNE, scope=("BJ",)))
    assert bj[bj["mob"] == 5]["writeoff_rate"].iloc[0] == 1  # 12,000 ÷ 12,000


def test_scope_routes_to_a_summary_with_a_branch_column() -> None:
    scoped = Filters(as_of=JUNE, scope=("SH",))
    assert tiers.portfolio_table(Filters(as_of=JUNE)) is portfolio_total_month
    assert tiers.portfolio_table(scoped) is portfolio_segment_month
    assert tiers.portfolio_table(Filters(as_of=JUNE, scope=())) is portfolio_segment_month
    assert tiers.whole_book(Filters(as_of=JUNE))
    assert not tiers.whole_book(scoped)  # the whole-book migration tables have no branch


def test_a_table_without_branch_cannot_be_scoped_silently() -> None:
    with pytest.raises(ValueError, match="no branch column"):
        scope_clause(("SH",), loads)
    assert scope_clause(None, loads) is None  # unscoped: nothing to apply


def test_scope_is_normalised_and_part_of_the_cache_key() -> None:
    assert Filters(as_of=JUNE, scope=("SH", "BJ", "SH")).scope == ("BJ", "SH")
    assert Filters(as_of=JUNE, scope=()) != Filters(as_of=JUNE)
    assert hash(Filters(as_of=JUNE, scope=("SH",))) != hash(Filters(as_of=JUNE))


def _metrics(at) -> dict[str, str]:
    return {m.label.split(" · ")[0]: m.value for m in at.metric}


def test_scoped_user_sees_only_their_branch_on_screen(app_url: str) -> None:
    at = open_as(
        "overview.py",
        ("executive",),
        username="sh_only",
        branches=("SH",),
        params={"as_of": "2024-05"},
    )
    assert _metrics(at)["未偿本金"] == "0.50 万元"  # A 5,000 only
    assert _metrics(at)["存续合同数"] == "1"
    assert at.multiselect(key="flt_branch").options == ["SH"]  # BJ is not even offered
    at = open_as("home.py", ("executive",), username="bj_only", branches=("BJ",))
    assert _metrics(at)["存续合同数"] == "0"  # June: B written off, nothing open in BJ


def test_forged_branch_parameter_cannot_widen_the_scope(app_url: str) -> None:
    at = open_as(
        "overview.py",
        ("executive",),
        username="sh_forger",
        branches=("SH",),
        params={"as_of": "2024-05", "branch": ["BJ"], "scope": "BJ"},
    )
    assert at.multiselect(key="flt_branch").value == []  # BJ dropped: not on offer
    assert _metrics(at)["未偿本金"] == "0.50 万元"


def test_empty_scope_sees_nothing(app_url: str) -> None:
    at = open_as(
        "overview.py",
        ("executive",),
        username="no_branch",
        branches=(),
        params={"as_of": "2024-05"},
    )
    assert not at.exception
    assert _metrics(at)["未偿本金"] in {"0.00 万元", "—"}
    assert _metrics(at)["存续合同数"] in {"0", "—"}
    at = open_as(
        "contracts.py",
        ("executive",),
        username="no_branch",
        branches=(),
        params={"as_of": "2024-05", "threshold": "1"},
    )
    assert all(len(df.value) == 0 for df in at.dataframe)
