"""The 催收 and 预警 chart drills: a clicked bar or point -> the contract list's keys
(`collection=`, `recovery=`, `signal=`, `lead=`), their parse against allow-lists, and 合同列表
opened with each key on the monitoring book (tests/queries/monitoring_books.py): March phone
actions are on A and C; April's sms-credited receipt is A's 2,000; January's tax high signal is
LB's, lessee-wide (contract B); LB's high lead time, 132 days, is in band 91–180."""

from __future__ import annotations

import pandas as pd

from dashboard.charts import drill
from dashboard.charts import monitoring as charts
from dashboard.page.contract_params import page_rows, parse_drill
from dashboard.views.monitoring import (
    ACTION_LISTS,
    RATE_LISTS,
    RECOVERY_LISTS,
    lead_lists,
    signal_lists,
)
from tests.dashboard.analytics_app import assert_clean, open_page
from tests.dashboard.monitoring_app import monitoring, monitoring_url

__all__ = ["monitoring", "monitoring_url"]


def link(**extra: str) -> dict:
    """A stand-in for `PageContext.link`: the page's filters plus the drill keys."""
    return {"lang": "zh", "product": "direct_lease", **extra}


def test_collection_bars_and_points_drill_to_their_lists_at_their_month() -> None:
    """A phone bar of 2024-03 -> collection=channel:phone; an outcome bar -> collection=outcome:…; a
    contact-rate point -> the month's attempts; a recoveries bar -> recovery=<channel>."""
    by_channel = drill.month_lists(link, ACTION_LISTS["channel"])
    assert by_channel({"x": "2024-03", "customdata": "phone"}) == {
        "lang": "zh",
        "product": "direct_lease",
        "as_of": "2024-03",
        "collection": "channel:phone",
    }
    by_outcome = drill.month_lists(link, ACTION_LISTS["outcome"])
    assert by_outcome({"x": "2024-03", "customdata": "refused"})["collection"] == "outcome:refused"
    assert by_outcome({"x": "2024-03", "customdata": "phone"}) is None  # not an outcome
    rates = drill.month_lists(link, RATE_LISTS)
    assert rates({"x": "2024-05", "customdata": "contact_rate"})["collection"] == "flag:attempt"
    assert rates({"x": "2024-05", "customdata": "promise_rate"})["collection"] == "flag:reached"
    assert rates({"x": "2024-05", "customdata": "kept_rate"})["collection"] == "flag:promise"
    credits = drill.month_lists(link, RECOVERY_LISTS)
    assert credits({"x": "2024-04", "customdata": "sms"})["recovery"] == "sms"
    assert credits({"x": "2024-04", "customdata": ["sms"]}) is None


def test_a_cure_bar_drills_to_its_first_channel_over_the_pages_window() -> None:
    """The cure chart's bars carry [spells, first channel]: phone over a 24-month window ->
    cure=phone:24 (no month: the list covers the window); the 合计 bar -> cure=all:24."""
    cures = pd.DataFrame(
        {"first_channel": ["phone", "all"], "spells": [2, 3], "cure_rate": [1.0, 0.5]}
    )
    figure = charts.rate_bars(cures, "first_channel", "cure_rate", "spells", "zh")
    assert [list(d) for d in figure.data[0].customdata] == [[2, "phone"], [3, "all"]]
    to = drill.cure_bars(link, 24)
    assert to({"x": "电话", "customdata": [2, "phone"]}) == {
        "lang": "zh",
        "product": "direct_lease",
        "cure": "phone:24",
    }
    assert to({"customdata": [3, "all"]})["cure"] == "all:24"
    for point in ({"customdata": 2}, {"customdata": [2, 5]}, {}):
        assert to(point) is None


def test_signal_and_lead_bars_drill_with_the_chosen_severity() -> None:
    """A tax bar at severity high -> signal=tax:high at its month; a lead band at level
    medium -> lead=medium:d31_90 at the page's own month; other codes drill nowhere."""
    signals = drill.month_lists(link, signal_lists("high"))
    assert signals({"x": "2024-01", "customdata": "tax"}) == {
        "lang": "zh",
        "product": "direct_lease",
        "as_of": "2024-01",
        "signal": "tax:high",
    }
    bands = drill.keyed_lists(link, lead_lists("medium"))
    assert bands({"x": "31–90天", "customdata": "d31_90"}) == {
        "lang": "zh",
        "product": "direct_lease",
        "lead": "medium:d31_90",
    }
    for point in ({"customdata": "warned"}, {"customdata": 3}, {}):
        assert bands(point) is None


def test_the_charts_carry_what_each_trace_counts_for_the_drill() -> None:
    """Each rate line's points carry the rate; each lead bar its band code (the x is words)."""
    months = pd.to_datetime(["2024-03-31", "2024-04-30"]).date
    rates = pd.DataFrame({"month_end": months, "contact_rate": [0.5, None], "kept_rate": [1, 0]})
    figure = charts.rate_lines(rates, ["contact_rate", "kept_rate"], "zh")
    assert [list(trace.customdata) for trace in figure.data] == [
        ["contact_rate"] * 2,
        ["kept_rate"] * 2,
    ]
    bands = pd.DataFrame({"band": ["le_0", "d1_30"], "lessees": [1, 0]})
    bars = charts.count_bars(bands, "band", "lessees", "zh")
    assert list(bars.data[0].customdata) == ["le_0", "d1_30"]


def test_the_new_keys_parse_into_capped_lists_and_forged_values_are_dropped() -> None:
    """Each key names its query and options (an unpaged list asked for its first 1,000 rows);
    values outside the allow-lists fall back to the open book."""
    cases = {
        "collection": (["channel:phone"], "collection_lists.action_contracts"),
        "recovery": (["sms"], "collection_lists.credit_contracts"),
        "signal": (["tax:high"], "signal_lists.signal_lessees"),
        "lead": (["medium:d31_90"], "signal_lists.band_lessees"),
        "cure": (["all:12"], "collection_lists.spell_contracts"),
    }
    options = {
        "collection": {"kind": "channel", "value": "phone"},
        "recovery": {"channel": "sms"},
        "signal": {"source": "tax", "severity": "high"},
        "lead": {"severity": "medium", "band": "d31_90"},
        "cure": {"channel": "all", "months": 12},
    }
    for key, (value, query) in cases.items():
        parsed = parse_drill({key: value}, "zh")
        assert (parsed.query, parsed.options, parsed.paged) == (query, options[key], False)
        lessees = key in ("signal", "lead")
        assert parsed.count == ("ct.count_lessees" if lessees else "ct.count")
    flag = parse_drill({"collection": ["flag:attempt"]}, "en")
    assert flag.options == {"kind": "flag", "value": "attempt"}
    assert flag.parts == (
        "Contracts with contact attempts in the month (the contact rate's denominator)",
    )
    forged = [
        {"collection": ["channel:fax"]},
        {"collection": ["flag:kept"]},
        {"collection": ["phone"]},
        {"collection": ["collector:wang"]},
        {"recovery": ["phone'--"]},
        {"signal": ["tax"]},
        {"signal": ["tax:urgent"]},
        {"signal": ["rumour:high"]},
        {"lead": ["low:le_0"]},
        {"lead": ["high:d0_1"]},
        {"lead": ["high"]},
        {"cure": ["phone"]},
        {"cure": ["phone:7"]},
        {"cure": ["fax:12"]},
        {"cure": ["phone:١٢"]},
    ]
    for params in forged:
        assert parse_drill(params, "zh").query == "overdue.contracts_behind", params
    asked: list[dict] = []

    def run(query: str, **opts: object) -> pd.DataFrame:
        asked.append({"query": query, **opts})
        return pd.DataFrame({"contract_id": ["A"], "total_rows": 1})

    page_rows(parse_drill({"recovery": ["sms"]}, "zh"), run)
    assert asked == [
        {"query": "collection_lists.credit_contracts", "channel": "sms", "limit": 1000}
    ]


def _ids(at) -> list[str]:
    return sorted(at.dataframe[0].value["合同编号"]) if at.dataframe else []


def test_an_action_bar_lists_the_contracts_with_such_actions_in_its_month(
    monitoring: str,
) -> None:
    """March phone: A (A1–A3) and C (C1, C4); the criteria name the channel; April's
    attempts are B's alone."""
    at = open_page("contracts", {"collection": "channel:phone", "as_of": "2024-03"})
    assert_clean(at)
    assert _ids(at) == ["A", "C"]
    assert any("「电话」渠道催收动作" in m.value for m in at.markdown)
    assert any("共 2 份合同" in m.value for m in at.markdown)
    assert _ids(open_page("contracts", {"collection": "flag:attempt", "as_of": "2024-04"})) == ["B"]


def test_a_recoveries_bar_lists_the_contracts_credited_to_its_channel(monitoring: str) -> None:
    """April sms: A's 2,000 receipt, shown as 0.20 万元."""
    at = open_page("contracts", {"recovery": "sms", "as_of": "2024-04"})
    assert_clean(at)
    assert _ids(at) == ["A"]
    assert list(at.dataframe[0].value["30天内回款（万元）"]) == ["0.20"]


def test_a_signal_bar_lists_its_lessees_with_a_contract_to_open(monitoring: str) -> None:
    """January tax high: LB's lessee-wide S1, opened at LB's contract B."""
    at = open_page("contracts", {"signal": "tax:high", "as_of": "2024-01"})
    assert_clean(at)
    assert _ids(at) == ["B"]
    assert any("「税务」来源、高等级预警信号" in m.value for m in at.markdown)
    assert any("共 1 位承租人" in m.value for m in at.markdown)  # a row per lessee


def test_a_lead_band_bar_lists_the_lessees_in_that_band(monitoring: str) -> None:
    """High, 91–180 days: LB (132 days, contract B); medium 31–90: LE (contract E)."""
    at = open_page("contracts", {"lead": "high:d91_180"})
    assert_clean(at)
    assert _ids(at) == ["B"]
    assert _ids(open_page("contracts", {"lead": "medium:d31_90"})) == ["E"]


def test_a_cure_bar_lists_the_contracts_of_its_spells(monitoring: str) -> None:
    """12 months to June, spells judged by April: phone began A's and C's (both cured); all
    channels add B (sms, not cured)."""
    at = open_page("contracts", {"cure": "phone:12"})
    assert_clean(at)
    assert _ids(at) == ["A", "C"]
    assert any("首次催收渠道为「电话」" in m.value for m in at.markdown)
    every = open_page("contracts", {"cure": "all:12"})
    assert _ids(every) == ["A", "B", "C"]
    assert any("（任一首次催收渠道）" in m.value for m in every.markdown)


def test_the_lists_keep_the_users_branch_scope_and_speak_english(monitoring: str) -> None:
    """A Shanghai-only user's March phone list drops C (Beijing); in English the criteria
    name the outcome clicked and a signal list counts lessees."""
    scoped = open_page(
        "contracts", {"collection": "channel:phone", "as_of": "2024-03"}, branches=("SH",)
    )
    assert_clean(scoped)
    assert _ids(scoped) == ["A"]
    english = {"collection": "outcome:promise_to_pay", "as_of": "2024-03", "lang": "en"}
    at = open_page("contracts", english)
    assert_clean(at)
    assert sorted(at.dataframe[0].value["Contract"]) == ["A", "B", "C"]
    words = "Contracts with collection actions in the month whose outcome was 'Promise to pay'"
    assert any(words in m.value for m in at.markdown)
    lessees = open_page("contracts", {"lead": "high:le_0", "lang": "en"})
    assert any(m.value == "1 lessee" for m in lessees.markdown)


def test_a_signal_list_masks_an_individual_lessees_name_for_an_executive(monitoring: str) -> None:
    """February iot high is LA's (an individual): an executive sees no name; the risk committee
    (personal data allowed) sees "name LA". January's LB is corporate: named for both."""
    params = {"signal": "iot:high", "as_of": "2024-02"}
    executive = open_page("contracts", params)
    assert_clean(executive)
    assert "name LA" not in list(executive.dataframe[0].value["承租人名称"])
    committee = open_page("contracts", params, roles=("risk_committee",))
    assert list(committee.dataframe[0].value["承租人名称"]) == ["name LA"]
    corporate = open_page("contracts", {"signal": "tax:high", "as_of": "2024-01"})
    assert list(corporate.dataframe[0].value["承租人名称"]) == ["name LB"]
