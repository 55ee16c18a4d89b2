"""The at-risk list: each watch rule on the hand-worked book of `tests/queries/risk_books.py`."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from queries.at_risk import (
    RULES,
    SOURCE_RULES,
    WatchParams,
    _codes,
    _list_route,
    at_risk,
    at_risk_statement,
    flagged_statement,
    rule_counts,
    rule_counts_statement,
    rules_for,
    split_counts,
    stored_flags_apply,
    watch_params,
)
from queries.execute import fetch_frame
from queries.filters import Filters
from tests.queries.books import Build
from tests.queries.risk_books import AS_OF, AT_RISK, CLEAN, watch_book
from warehouse.schema import at_risk_rows, contract_watch

FILTERS = Filters(as_of=date(2024, 6, 30))
WATCH = ("WL",)


@pytest.fixture
def engine(build: Build) -> Engine:
    """The watch book built as of 2024-06-30."""
    return build(watch_book(), AS_OF)


def _rules(frame) -> dict[str, set[str]]:
    return {
        cid: set(codes.split(","))
        for cid, codes in zip(frame.contract_id, frame.rules, strict=True)
    }


def test_each_contract_lists_exactly_the_rules_it_meets(engine: Engine) -> None:
    """Twelve contracts, one per rule (D1 and OB also meet `class`); OK and BIG are clean."""
    frame = at_risk(engine, FILTERS, watchlist=WATCH, limit=100)
    assert _rules(frame) == AT_RISK
    assert not set(CLEAN) & set(frame.contract_id)
    assert set(frame.total_rows) == {12}
    assert dict(zip(frame.contract_id, frame.rules_met, strict=True)) == {
        c: len(r) for c, r in AT_RISK.items()
    }


def test_watchlist_comes_from_the_caller(engine: Engine) -> None:
    """Without the watchlist WL is clean: eleven contracts."""
    frame = at_risk(engine, FILTERS, limit=100)
    assert set(frame.contract_id) == set(AT_RISK) - {"WL"}


def test_rule_filter_keeps_contracts_meeting_any_chosen_rule(engine: Engine) -> None:
    """class or iot: D1, CL, OB (class) and IO (iot); rules still list every rule met."""
    frame = at_risk(engine, FILTERS, watchlist=WATCH, rules=("class", "iot"), sort="contract")
    assert list(frame.contract_id) == ["CL", "D1", "IO", "OB"]
    assert _rules(frame)["D1"] == {"dpd", "class"}


def test_sorted_by_outstanding_and_paged(engine: Engine) -> None:
    """IV 2,000,000 first; PB 900 last (1,000 − 100); page 2 of size 5 holds the 6th–10th."""
    frame = at_risk(engine, FILTERS, watchlist=WATCH, limit=100)
    assert frame.contract_id.iloc[0] == "IV"
    assert frame.outstanding_principal.iloc[0] == Decimal("2000000.00")
    assert (frame.contract_id.iloc[-1], frame.outstanding_principal.iloc[-1]) == (
        "PB",
        Decimal("900.00"),
    )
    page2 = at_risk(engine, FILTERS, watchlist=WATCH, limit=5, offset=5)
    assert list(page2.contract_id) == list(frame.contract_id.iloc[5:10])


def test_sort_by_rules_met_puts_two_rule_contracts_first(engine: Engine) -> None:
    """D1 and OB meet two rules each; both at 1,000, so contract id breaks the tie."""
    frame = at_risk(engine, FILTERS, watchlist=WATCH, sort="rules", limit=2)
    assert list(frame.contract_id) == ["D1", "OB"]


def test_counts_per_rule(engine: Engine) -> None:
    """class 3 contracts (3,000 yuan); iot 1; any 12 (2,000,000 + 900 + 10 × 1,000); the
    score rule none (a build without an approved model scores nothing)."""
    counts = rule_counts(engine, FILTERS, watchlist=WATCH).set_index("rule")
    assert counts.loc["class", "contracts"] == 3
    assert counts.loc["class", "outstanding"] == Decimal("3000.00")
    assert counts.loc["score", "contracts"] == 0
    for rule in RULES:
        if rule not in ("class", "score"):
            assert counts.loc[rule, "contracts"] == 1, rule
    assert counts.loc["any", "contracts"] == 12
    assert counts.loc["any", "outstanding"] == Decimal("2010900.00")


def test_branch_scope_outside_shows_nothing(engine: Engine) -> None:
    """Every contract is in branch SH: a user scoped to BJ sees no row and zero counts."""
    scoped = Filters(as_of=date(2024, 6, 30), scope=("BJ",))
    assert at_risk(engine, scoped, watchlist=WATCH).empty
    assert (
        rule_counts(engine, scoped, watchlist=WATCH).set_index("rule").loc["any", "contracts"] == 0
    )


def test_settings_in_force_change_the_rules(engine: Engine) -> None:
    """Debt ratio 0.80 clears FD (75%); signal window 91 days catches OK's 04-01 signal."""
    params = WatchParams(debt_ratio=Decimal("0.80"), signal_days=91)
    frame = at_risk(engine, FILTERS, watchlist=WATCH, params=params, limit=100)
    rules = _rules(frame)
    assert "FD" not in rules
    assert rules["OK"] == {"signal"}


def test_watch_params_read_from_the_build(engine: Engine) -> None:
    """The build records the defaults; the query reads them back."""
    assert watch_params(engine) == WatchParams()


def test_personal_columns_use_the_central_names(engine: Engine) -> None:
    """The lessee's name comes as `lessee_name` beside `lessee_type` (masked centrally)."""
    frame = at_risk(engine, FILTERS, watchlist=WATCH, sort="contract", limit=1)
    assert {"lessee_name", "lessee_type"} <= set(frame.columns)
    assert (frame.lessee_name.iloc[0], frame.lessee_type.iloc[0]) == ("name LCL", "individual")


def test_rules_for_one_contract(engine: Engine) -> None:
    """D1 meets dpd and class; OK is open but meets none; a forged id gives no row."""
    assert at_risk_rules(engine, "D1") == ["dpd,class"]
    assert at_risk_rules(engine, "OK") == [""]
    assert at_risk_rules(engine, "NOPE") == []


def at_risk_rules(engine: Engine, contract_id: str) -> list[str]:
    """The `rules` column of `rules_for` for one contract."""
    return list(rules_for(engine, FILTERS, contract_id, watchlist=WATCH)["rules"])


def test_a_page_carries_the_counts_of_the_whole_list(engine: Engine) -> None:
    """Filtered to iot and cut to one row, the page still counts the whole list (any 12)."""
    rows, counts = split_counts(at_risk(engine, FILTERS, watchlist=WATCH, rules=("iot",), limit=1))
    assert list(rows.contract_id) == ["IO"]
    assert counts is not None
    assert counts.equals(rule_counts(engine, FILTERS, watchlist=WATCH))


@pytest.mark.parametrize("stored", [True, False], ids=["build_flags", "live"])
def test_build_flags_and_live_rules_list_the_same_hand_worked_contracts(
    engine: Engine, stored: bool
) -> None:
    """`contract_watch` (written by the build) and the live subqueries both give AT_RISK."""
    stmt = at_risk_statement(FILTERS, WatchParams(), WATCH, limit=100, stored=stored)
    assert _rules(fetch_frame(engine, stmt)) == AT_RISK


def test_build_flags_hold_only_the_source_table_rules(engine: Engine) -> None:
    """Of AT_RISK, the build stores the contracts meeting a source-table rule: not D1, CL, OB
    (dpd/class/observation come from the mart) nor WL (the watchlist is the portal's)."""
    stored = fetch_frame(engine, sa.select(contract_watch.c.contract_id))
    mart_only = {c for c, r in AT_RISK.items() if not r & set(SOURCE_RULES)}
    assert mart_only == {"D1", "CL", "OB", "WL"}
    assert set(stored.contract_id) == set(AT_RISK) - mart_only


def test_build_flags_answer_only_for_the_builds_as_of_and_settings(engine: Engine) -> None:
    """The build's as-of and default settings: stored; a month earlier or other settings: live."""
    assert stored_flags_apply(engine, FILTERS, WatchParams())
    assert not stored_flags_apply(engine, Filters(as_of=date(2024, 5, 31)), WatchParams())
    assert not stored_flags_apply(engine, FILTERS, WatchParams(debt_ratio=Decimal("0.80")))


@pytest.mark.parametrize("contract_id", [*sorted(AT_RISK), "OK"])
def test_rules_for_reads_the_same_rules_from_the_build_flags_as_live(
    engine: Engine, contract_id: str
) -> None:
    """One contract's rules at the build's as-of: `contract_watch` and the live subqueries give
    the same codes (`rules_for` reads the build's flags there)."""

    def codes(stored: bool) -> list[str]:
        f = flagged_statement(FILTERS, WatchParams(), WATCH, only=contract_id, stored=stored)
        return list(fetch_frame(engine, sa.select(_codes(f).label("rules")))["rules"])

    assert codes(True) == codes(False) == at_risk_rules(engine, contract_id)


def test_build_rows_hold_every_rule_but_the_watchlist(engine: Engine) -> None:
    """`at_risk_rows` (written by the build after the scores) holds AT_RISK but WL, whose only
    rule is the portal's watchlist, each with exactly its flags; OK and BIG meet none."""
    r = at_risk_rows
    flags = [c for c in r.c if c.name.startswith("f_")]
    frame = fetch_frame(engine, sa.select(r.c.contract_id, *flags))
    got = {
        row["contract_id"]: {c.name[2:] for c in flags if row[c.name] == 1}
        for row in frame.to_dict("records")
    }
    assert got == {c: rules for c, rules in AT_RISK.items() if c != "WL"}


def test_build_rows_give_the_same_list_and_counts_as_the_flags(engine: Engine) -> None:
    """Read from `at_risk_rows` (WL added from the watchlist by id) the list is AT_RISK, and
    the counts per rule are those worked out in `test_counts_per_rule` (any: 12, 2,010,900)."""
    stmt = at_risk_statement(FILTERS, WatchParams(), WATCH, limit=100, stored=True, from_rows=True)
    assert _rules(fetch_frame(engine, stmt)) == AT_RISK
    without = at_risk_statement(FILTERS, WatchParams(), (), limit=100, stored=True, from_rows=True)
    assert _rules(fetch_frame(engine, without)) == {c: r for c, r in AT_RISK.items() if c != "WL"}
    counts = fetch_frame(
        engine, rule_counts_statement(FILTERS, WatchParams(), WATCH, stored=True, from_rows=True)
    ).iloc[0]
    assert (counts["n_any"], counts["o_any"]) == (12, Decimal("2010900.00"))
    assert (counts["n_class"], counts["o_class"]) == (3, Decimal("3000.00"))
    assert (counts["n_watchlist"], counts["n_score"]) == (1, 0)


def test_build_rows_answer_only_for_the_builds_as_of_settings_and_cut_off(engine: Engine) -> None:
    """The build's as-of, watch settings and score cut-off: the rows; another cut-off, month
    or setting: the flags."""
    assert _list_route(engine, FILTERS, None, None)[3]
    assert not _list_route(engine, FILTERS, None, Decimal("0.5"))[3]
    assert not _list_route(engine, Filters(as_of=date(2024, 5, 31)), None, None)[3]
    assert not _list_route(engine, FILTERS, WatchParams(debt_ratio=Decimal("0.80")), None)[3]
