"""The alert rules read the figures the pages show, on hand-worked books (DuckDB and PostgreSQL)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from alerts.evaluate import observe
from alerts.rules import figure_rules
from queries.filters import Filters
from queries.registry import QUERIES
from tests.queries.books import Build, exposure_book, portfolio_book
from warehouse.settings import load_settings

SETTINGS = load_settings(overrides={})


def _by_key(observations) -> dict:
    return {(o.rule, o.subject): o for o in observations}


def test_each_rule_reads_the_figure_the_page_shows(build: Build) -> None:
    """`portfolio_book`, May 2024: outstanding 17,000, all of it 30+ overdue, B's 12,000 90+ and
    NPL. NPL 12,000 ÷ 17,000 = 70.6% > 5%; PAR30 100% > 5%; PAR90 70.6% > 3%; 偏离度
    12,000 ÷ 12,000 = 100%, on its line and so allowed. No entity type is loaded: only the lines
    that bind every type (NPL, 偏离度), then PAR30 and PAR90."""
    engine = build(portfolio_book(), "2024-06-30")
    may = date(2024, 5, 31)
    rules, seen = observe(engine, may, SETTINGS)
    kpi_keys = [r.key for r in rules if r.query == "portfolio.kpis"]
    assert kpi_keys == [
        "kpi.npl_ratio",
        "kpi.deviation_90",
        "kpi.overdue_rate_balance_dpd30",
        "kpi.overdue_rate_balance_dpd90",
    ]
    got = _by_key(seen)
    npl = got["kpi.npl_ratio", "book"]
    assert (npl.value, npl.line, npl.breached) == (
        Decimal(12000) / Decimal(17000),
        Decimal("0.05"),
        True,
    )
    assert (got["kpi.deviation_90", "book"].value, got["kpi.deviation_90", "book"].breached) == (
        1,
        False,
    )
    assert got["kpi.overdue_rate_balance_dpd30", "book"].value == 1
    assert got["kpi.overdue_rate_balance_dpd30", "book"].line == Decimal("0.05")
    assert got["kpi.overdue_rate_balance_dpd90", "book"].breached is True
    # The migration rules read the month's row of the page's own rate query, nothing else.
    page = QUERIES["migration.migration_rates"](engine, Filters(as_of=may), period="month")
    for rule in (r for r in rules if r.query == "migration.migration_rates"):
        expected = page.iloc[-1][rule.metric]
        observed = got[rule.key, "book"].value
        assert observed == (None if expected is None else Decimal(str(expected)))


def test_every_exposure_over_its_limit_is_a_breach_of_its_own(build: Build) -> None:
    """`exposure_book`, June 2024, base 10,000: lessee X 35% > 30% and related party X 35% > 30%
    breach; Y 10%, Z 5%, group G1 45% ≤ 50% and all related parties 35% ≤ 50% do not."""
    engine = build(exposure_book(), "2024-06-30")
    _, seen = observe(engine, date(2024, 6, 30), SETTINGS)
    conc = {o.subject: o for o in seen if o.rule == "concentration"}
    assert set(conc) == {
        "lessee:X",
        "lessee:Y",
        "lessee:Z",
        "group:G1",
        "related_party:X",
        "related_parties_total:",
    }
    assert {s for s, o in conc.items() if o.breached} == {"lessee:X", "related_party:X"}
    assert (conc["lessee:X"].value, conc["lessee:X"].line) == (Decimal("0.35"), Decimal("0.30"))


def test_a_financial_lease_company_is_also_held_to_the_provision_lines() -> None:
    keys = [r.key for r in figure_rules(SETTINGS, "financial_lease") if r.basis == "regulatory"]
    assert keys == [
        "kpi.npl_ratio",
        "kpi.provision_coverage",
        "kpi.provision_rate",
        "kpi.deviation_90",
        "concentration",
    ]


def test_an_evaluation_names_the_rules_that_had_no_figure(build: Build) -> None:
    """`portfolio_book`, May 2024, without company financials: concentration has no base, so it
    is named as having no figure (and opens or closes nothing), while NPL has one; the run is
    recorded with the list."""
    from datetime import UTC, datetime

    from alerts.run import evaluate, last_run
    from warehouse.portal import portal_engine, portal_url

    engine = build(portfolio_book(), "2024-06-30")
    url = engine.url.render_as_string(hide_password=False)
    now = datetime(2024, 7, 1, tzinfo=UTC).replace(tzinfo=None)
    done = evaluate(url, SETTINGS, now, as_of=date(2024, 5, 31))
    assert "concentration" in done.missing
    assert "kpi.npl_ratio" not in done.missing
    portal = portal_engine(portal_url(url))
    try:
        run = last_run(portal)
    finally:
        portal.dispose()
    assert run is not None and run["missing"] == done.missing and run["as_of"] == date(2024, 5, 31)
