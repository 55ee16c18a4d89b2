"""Data checks read in business words on the 数据质量 page: no table or column names."""

from __future__ import annotations

import re

from dashboard.i18n.checks import DATASETS, check_words, dataset_words
from data_checks.suites import all_checks


def test_each_kind_of_rule_reads_as_a_sentence() -> None:
    assert check_words("contracts.key_unique", "zh") == "每条记录只出现一次（无重复）"
    assert check_words("contracts.product.in_set", "zh") == "产品取值有效"
    assert check_words("receipts.amount.nonnegative", "en") == "amount is never negative"
    assert check_words("lessees.region.pattern", "zh") == "地区代码格式正确"
    assert (
        check_words("schedule.contract_id.references_contracts", "zh") == "引用的合同都存在（合同）"
    )
    assert check_words("warning_signals.lessee_id.references_lessees", "en") == (
        "every lessee it names exists (Lessees)"
    )
    assert check_words("contract_month.dpd90_is_npl", "en") == (
        "more than 90 days past due means substandard or worse"
    )
    assert dataset_words("build_settings", "zh") == "计算参数记录"


def test_no_registered_check_shows_a_code_a_table_name_or_a_document() -> None:
    """Every check of the registry, in both languages: no snake_case name, no `docs/`, no §."""
    for check in all_checks():
        assert check.dataset in DATASETS, check.dataset
        for lang in ("zh", "en"):
            words = f"{dataset_words(check.dataset, lang)} {check_words(check.id, lang)}"
            assert not re.search(r"[a-z]+_[a-z]+|docs/|§", words), (check.id, words)
