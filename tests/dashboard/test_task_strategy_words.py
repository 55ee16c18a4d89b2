"""任务策略's editor shows words, stores codes: the step, department, trigger and product pick lists
offer the codes the strategy is saved with and label each in the user's language."""

from __future__ import annotations

from dashboard.views.task_strategy import (
    _common_columns,
    product_options,
    product_words,
    trigger_words,
)
from tasks.strategy import from_settings
from warehouse.settings import load_settings


def _labels(column: dict) -> dict[object, str]:
    return {o["value"]: o["label"] for o in column["type_config"]["options"]}


def test_steps_and_departments_are_picked_by_name_and_stored_by_code() -> None:
    zh, en = _common_columns("zh"), _common_columns("en")
    assert _labels(zh["step"])["legal_review"] == "法务审查"
    assert _labels(en["step"])["legal_review"] == "Legal review"
    assert _labels(_common_columns("zh")["step"]).keys() >= {"reminder", "litigation"}
    assert _labels(zh["department"])["legal"] == "法务部"
    assert _labels(en["department"])["legal"] == "Legal"
    assert zh["priority"]["type_config"]["options"] == [1, 2, 3]


def test_products_read_as_names_with_any_product_first() -> None:
    options = product_options(from_settings(load_settings()))
    assert options[:4] == ["*", "direct_lease", "sale_leaseback", "loan"]
    assert [product_words(o, "zh") for o in options[:4]] == [
        "全部产品",
        "直接租赁",
        "售后回租",
        "贷款",
    ]
    assert product_words("*", "en") == "Any product"
    assert product_words("forklift_lease", "zh") == "forklift_lease"  # unknown: shown as given


def test_triggers_read_as_words_in_each_language() -> None:
    assert trigger_words("iot", "zh") == "物联网位移/离线告警"
    assert trigger_words("iot", "en") == "IoT displacement or offline alert"
    assert trigger_words("no_such_trigger", "en") == "no_such_trigger"
