"""data_checks.suites: the registry is honest — every table has a suite, every check is complete."""

from __future__ import annotations

from data_checks.registry import SEVERITIES, Expect, Params, Query
from data_checks.suites import DATASET_KEYS, all_checks
from warehouse import schema


def test_every_warehouse_table_has_a_suite_and_keys() -> None:
    datasets = {c.dataset for c in all_checks()}
    assert datasets == set(schema.metadata.tables)
    assert set(DATASET_KEYS) == set(schema.metadata.tables)
    for name, key in DATASET_KEYS.items():
        assert set(key) <= set(schema.metadata.tables[name].c.keys()), name


def test_every_check_is_complete_and_named_after_its_dataset() -> None:
    ids = [c.id for c in all_checks()]
    assert len(ids) == len(set(ids))
    for check in all_checks():
        assert check.id.startswith(f"{check.dataset}."), check.id
        assert check.severity in SEVERITIES and check.description
        assert isinstance(check.run, Expect | Query)


def test_gx_checks_name_real_columns_and_queries_compile() -> None:
    for check in all_checks():
        table = schema.metadata.tables[check.dataset]
        if isinstance(check.run, Expect):
            assert set(check.run.columns) <= set(table.c.keys()), check.id
        else:
            stmt = check.run.build(Params())
            assert "SELECT" in str(stmt.compile()), check.id


def test_the_mart_suite_covers_the_regulatory_rules() -> None:
    ids = {c.id for c in all_checks() if c.dataset == "contract_month"}
    for rule in (
        "dpd90_is_npl",
        "npl_dpd0_has_reason",
        "par_ordering",
        "months_continuous",
        "dpd_bucket_matches_dpd",
        "class_not_better_than_floor",
        "outstanding_within_principal",
    ):
        assert f"contract_month.{rule}" in ids
