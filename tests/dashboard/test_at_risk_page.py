"""风险合同 (AppTest): the list of the watch book, its rule words, counts, filter and access."""

from __future__ import annotations

from tests.dashboard import risk_app
from tests.dashboard.analytics_app import assert_clean, open_page, table_text

# The fixtures of risk_app, used by name below.
risk_url, risk = risk_app.risk_url, risk_app.risk
COMMITTEE = ("risk_committee",)


def _ids(at) -> list[str]:
    return list(at.dataframe[-1].value["合同编号"]) if at.dataframe else []


def test_committee_sees_every_at_risk_contract_with_rules_in_words(risk: str) -> None:
    """Eleven contracts (WL is not on the watchlist yet), IV (2,000,000 = 200.00 万元) first."""
    at = open_page("at_risk", roles=COMMITTEE)
    assert_clean(at)
    ids = _ids(at)
    assert sorted(ids) == sorted(["D1", "CL", "OB", "SG", "IO", "IA", "IV", "PB", "FD", "FC", "FR"])
    assert ids[0] == "IV"
    text = table_text(at)
    assert "租赁物逾期未检查" in text and "200.00" in text
    assert "逾期（DPD>0）、分类劣于正常" in text  # D1's two rules, in words
    assert any("风险合同 11 份" in m.value for m in at.markdown)


def test_rule_filter_keeps_matching_contracts(risk: str) -> None:
    """Filtering on IoT alerts leaves IO only."""
    at = open_page("at_risk", roles=COMMITTEE)
    at.multiselect(key="rk_rules").set_value(["iot"]).run()
    assert_clean(at)
    assert _ids(at) == ["IO"]


def test_english_switch_names_the_rules_in_english(risk: str) -> None:
    at = open_page("at_risk", {"lang": "en"}, roles=COMMITTEE)
    assert_clean(at)
    assert "Asset inspection overdue" in table_text(at)


def test_compliance_is_refused(risk: str) -> None:
    """The list serves the committee and executives; compliance gets the refusal, no table."""
    at = open_page("at_risk", roles=("compliance",))
    assert not at.dataframe
