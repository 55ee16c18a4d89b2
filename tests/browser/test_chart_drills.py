"""In Chromium: a click on a vintage curve point or a concentration bar opens the contracts
behind it, and the list counts what the demo book holds there (worked out here from the
warehouse tables the server reads, not through the page's queries)."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pandas as pd
import pytest
import sqlalchemy as sa

from tests.browser.conftest import AS_OF
from tests.browser.helpers import SHOTS, assert_no_exception, settle, shot
from tests.signin import TEST_PASSWORD, browser_sign_in
from warehouse.engine import create_warehouse_engine
from warehouse.schema import SOURCE_TABLES, contract_month

pytestmark = pytest.mark.browser
USER = "exec"  # every branch: the whole book is in scope


def _frame(warehouse: str, stmt: sa.Select) -> pd.DataFrame:
    """Rows of `stmt` on the server's warehouse (read-only, beside the server)."""
    engine = create_warehouse_engine(warehouse, read_only=True)
    try:
        with engine.connect() as conn:
            result = conn.execute(stmt)
            return pd.DataFrame(result.fetchall(), columns=list(result.keys()))
    finally:
        engine.dispose()


def _listed(page) -> int:
    """The contract list's count ("共 1,234 份合同")."""
    text = page.get_by_text(re.compile(r"共 [\d,]+ 份合同")).first.inner_text()
    return int(re.search(r"共 ([\d,]+) 份合同", text)[1].replace(",", ""))  # type: ignore[index]


def _click(page, element) -> None:
    """A mouse click at the centre of a drawn bar or marker (Plotly hit-tests the spot)."""
    element.scroll_into_view_if_needed()
    box = element.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def _latest_drawn_bar(page, key: str):
    """The last bar of the keyed chart that is tall enough to click."""
    chart = page.locator(f".st-key-{key} .js-plotly-plot")
    chart.wait_for(timeout=15_000)
    chart.scroll_into_view_if_needed()
    bars = chart.locator(".barlayer .point path").all()
    drawn = [b for b in bars if (b.bounding_box() or {"height": 0})["height"] > 3]
    assert drawn, f"no bar of {key} is drawn"
    return drawn[-1]


def test_a_vintage_point_at_mob_0_lists_every_contract_the_cohort_started(
    server_url: str, server_warehouse: str, page
) -> None:
    """At MOB 0 every contract of a cohort is on the book (rows run from the start month), so
    the list holds exactly the contracts whose start date falls in the cohort's month."""
    browser_sign_in(page, server_url, USER, TEST_PASSWORD, "vintage")
    chart = page.locator(".st-key-chart_vintage .js-plotly-plot")
    chart.wait_for(timeout=15_000)
    # The newest cohort's trace is drawn last; its first marker is MOB 0.
    marker = chart.locator(".scatterlayer .trace").last.locator("path.point").first
    _click(page, marker)
    page.wait_for_url("**/contracts?**", timeout=15_000)
    settle(page)
    cohort, mob = parse_qs(urlparse(page.url).query)["vintage"][0].split(":")
    assert mob == "0" and re.fullmatch(r"\d{4}-\d{2}", cohort)
    contracts = SOURCE_TABLES["contracts"]
    started = _frame(server_warehouse, sa.select(contracts.c.contract_id, contracts.c.start_date))
    expected = sum(1 for d in started["start_date"] if f"{d:%Y-%m}" == cohort)
    assert expected > 0
    assert _listed(page) == expected
    assert page.get_by_text(f"账龄批次 {cohort}").count() > 0  # the criteria say which point
    assert_no_exception(page)
    shot(page, "vintage_point_drill")


def test_a_concentration_bar_lists_the_contracts_of_its_exposure(
    server_url: str, server_warehouse: str, page
) -> None:
    """The top bar (the exposure nearest its limit) opens the as-of contracts of that lessee,
    group or of all related parties that are not written off and still owe principal."""
    browser_sign_in(page, server_url, USER, TEST_PASSWORD, "overview")
    chart = page.locator(".st-key-chart_concentration .js-plotly-plot")
    chart.wait_for(timeout=15_000)
    chart.scroll_into_view_if_needed()
    chart.screenshot(path=SHOTS / "concentration_chart.png")  # bars named "name (code)"
    _click(page, chart.locator(".barlayer .point path").first)
    page.wait_for_url("**/contracts?**", timeout=15_000)
    settle(page)
    query = parse_qs(urlparse(page.url).query)
    kind, _, key = query["exposure"][0].partition(":")
    assert not {"product", "industry", "region"} & set(query)  # entity-wide: no segment filter
    lessees = SOURCE_TABLES["lessees"]
    people = _frame(
        server_warehouse,
        sa.select(lessees.c.lessee_id, lessees.c.group_id, lessees.c.related_party),
    )
    if kind == "group":
        chosen = set(people.lessee_id[people.group_id == key])
    elif kind == "related_parties_total":
        chosen = set(people.lessee_id[people.related_party.astype(bool)])
    else:
        chosen = {key}
    cm = contract_month
    as_of = sa.select(sa.func.max(cm.c.month_end)).scalar_subquery()
    rows = _frame(
        server_warehouse,
        sa.select(cm.c.lessee_id, cm.c.outstanding_principal, cm.c.written_off).where(
            cm.c.month_end == as_of
        ),
    )
    owing = rows[(~rows.written_off.astype(bool)) & (rows.outstanding_principal > 0)]
    expected = int(owing.lessee_id.isin(chosen).sum())
    assert expected > 0
    assert _listed(page) == expected
    criteria = page.get_by_text("集中度：").first.inner_text()
    if kind == "group":  # the demo names every group: "…集团有限公司 (GRP000123)"
        assert f"集团有限公司 ({key})" in criteria
    assert_no_exception(page)
    shot(page, "concentration_bar_drill")


def test_a_device_status_bar_lists_the_contracts_with_that_event_in_its_month(
    server_url: str, server_warehouse: str, page
) -> None:
    """The latest drawn bar of 物联网设备状态 (geofence exits or abnormal stops of a month)
    opens the contracts whose devices logged that event in that month."""
    browser_sign_in(page, server_url, "risk", TEST_PASSWORD, "early_warning")
    _click(page, _latest_drawn_bar(page, "chart_device_status"))
    page.wait_for_url("**/contracts?**", timeout=15_000)
    settle(page)
    query = parse_qs(urlparse(page.url).query)
    # the list drops as_of from its URL when it is the latest month
    event, month = query["device"][0], query.get("as_of", [AS_OF])[0]
    assert event in {"geofence_exit", "abnormal_stop"}
    events = SOURCE_TABLES["device_events"]
    logged = _frame(
        server_warehouse,
        sa.select(events.c.contract_id, events.c.event_time).where(events.c.event_type == event),
    )
    in_month = logged[[f"{t:%Y-%m}" == month for t in logged.event_time]]
    expected = in_month.contract_id.nunique()
    assert expected > 0
    assert _listed(page) == expected
    assert_no_exception(page)
    shot(page, "device_bar_drill")


def test_a_vintage_triangle_cell_lists_the_cohort_at_that_mob(
    server_url: str, server_warehouse: str, page
) -> None:
    """The heatmap reports no clicks, so the triangle is also a table whose cells drill: the
    oldest drawn cohort's MOB 0 cell lists every contract that started in that month."""
    browser_sign_in(page, server_url, USER, TEST_PASSWORD, "vintage")
    keyed = ".st-key-vt_cells"  # the class may sit on the table or on its container
    grid = page.locator(f"{keyed}[data-testid='stDataFrame'], {keyed} [data-testid='stDataFrame']")
    grid.wait_for(timeout=15_000)
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    # The first column names the cohorts (no cell of the matrix); the arrow key moves the
    # selection to the first figure: the first cohort at MOB 0.
    page.mouse.click(box["x"] + 20, box["y"] + 35 + 17)
    settle(page)
    assert "/vintage" in page.url
    page.keyboard.press("ArrowRight")
    page.wait_for_url("**/contracts?**", timeout=15_000)
    settle(page)
    cohort, mob = parse_qs(urlparse(page.url).query)["vintage"][0].split(":")
    assert mob == "0"
    contracts = SOURCE_TABLES["contracts"]
    started = _frame(server_warehouse, sa.select(contracts.c.start_date))
    expected = sum(1 for d in started["start_date"] if f"{d:%Y-%m}" == cohort)
    assert expected > 0
    assert _listed(page) == expected
    assert_no_exception(page)


def test_a_findings_bar_lists_the_contracts_inspected_with_that_finding(
    server_url: str, server_warehouse: str, page
) -> None:
    """A bar of 检查异常发现 (an asset status in a month) opens the contracts inspected in that
    month with that status, counted from the inspections table."""
    browser_sign_in(page, server_url, "risk", TEST_PASSWORD, "early_warning")
    _click(page, _latest_drawn_bar(page, "chart_abnormal_findings"))
    page.wait_for_url("**/contracts?**", timeout=15_000)
    settle(page)
    query = parse_qs(urlparse(page.url).query)
    status, month = query["finding"][0], query.get("as_of", [AS_OF])[0]
    table = SOURCE_TABLES["inspections"]
    found = _frame(
        server_warehouse,
        sa.select(table.c.contract_id, table.c.inspection_date).where(
            table.c.asset_status == status
        ),
    )
    expected = found[[f"{d:%Y-%m}" == month for d in found.inspection_date]].contract_id.nunique()
    assert expected > 0
    assert _listed(page) == expected
    assert_no_exception(page)


def test_an_overdue_inspection_bar_lists_as_many_contracts_as_it_counts(
    server_url: str, page
) -> None:
    """An 逾期 bar of 租赁物检查覆盖率 (assets overdue for inspection at a month-end) opens a list
    of exactly that many contracts: the chart's count and the list are separate queries."""
    browser_sign_in(page, server_url, "risk", TEST_PASSWORD, "early_warning")
    chart = page.locator(".st-key-chart_inspection_coverage .js-plotly-plot")
    chart.wait_for(timeout=15_000)
    chart.scroll_into_view_if_needed()
    # the traces: covered, overdue, not yet due (bars), then the rate (a line)
    drawn = [
        b
        for b in chart.locator(".barlayer .trace").nth(1).locator(".point path").all()
        if (b.bounding_box() or {"height": 0})["height"] > 3
    ]
    assert drawn, "no overdue bar is drawn"
    data = chart.evaluate("el => ({x: el.data[1].x, y: el.data[1].y, name: el.data[1].customdata})")
    assert set(data["name"]) == {"overdue"}
    _click(page, drawn[-1])
    page.wait_for_url("**/contracts?**", timeout=15_000)
    settle(page)
    query = parse_qs(urlparse(page.url).query)
    assert query["inspection"] == ["overdue"]
    month = query.get("as_of", [AS_OF])[0]
    expected = dict(zip(data["x"], data["y"], strict=True))[month]
    assert expected > 0
    assert _listed(page) == expected
    assert_no_exception(page)


def test_a_collection_actions_bar_lists_the_contracts_with_such_actions_in_its_month(
    server_url: str, server_warehouse: str, page
) -> None:
    """The latest drawn bar of 催收行动 (a channel's actions in a month) opens the contracts
    with actions of that channel in that month, counted from the extract's collections."""
    browser_sign_in(page, server_url, USER, TEST_PASSWORD, "collections")
    _click(page, _latest_drawn_bar(page, "chart_collection_actions_by_channel"))
    page.wait_for_url("**/contracts?**", timeout=15_000)
    settle(page)
    query = parse_qs(urlparse(page.url).query)
    kind, channel = query["collection"][0].split(":")
    month = query.get("as_of", [AS_OF])[0]
    assert kind == "channel"
    table = SOURCE_TABLES["collections"]
    acted = _frame(
        server_warehouse,
        sa.select(table.c.contract_id, table.c.action_time).where(table.c.channel == channel),
    )
    expected = acted[[f"{t:%Y-%m}" == month for t in acted.action_time]].contract_id.nunique()
    assert expected > 0
    assert _listed(page) == expected
    assert page.get_by_text("渠道催收动作的合同").count() > 0  # the criteria say which bar
    assert_no_exception(page)


def test_a_warning_signal_bar_lists_the_lessees_with_such_signals_in_its_month(
    server_url: str, server_warehouse: str, page
) -> None:
    """The latest drawn bar of 预警信号 (a source's high signals in a month) opens one row per
    lessee with such signals in that month, counted from the extract's warning signals."""
    browser_sign_in(page, server_url, USER, TEST_PASSWORD, "early_warning")
    _click(page, _latest_drawn_bar(page, "chart_warning_signals"))
    page.wait_for_url("**/contracts?**", timeout=15_000)
    settle(page)
    query = parse_qs(urlparse(page.url).query)
    source, severity = query["signal"][0].split(":")
    month = query.get("as_of", [AS_OF])[0]
    assert severity == "high"  # the radio's first choice
    table = SOURCE_TABLES["warning_signals"]
    signals = _frame(
        server_warehouse,
        sa.select(table.c.lessee_id, table.c.signal_date).where(
            table.c.source == source, table.c.severity == severity
        ),
    )
    in_month = signals[[f"{d:%Y-%m}" == month for d in signals.signal_date]]
    expected = in_month.lessee_id.nunique()
    assert expected > 0
    text = page.get_by_text(re.compile(r"共 [\d,]+ 位承租人")).first.inner_text()
    assert int(re.search(r"共 ([\d,]+) 位承租人", text)[1].replace(",", "")) == expected  # type: ignore[index]
    assert_no_exception(page)
