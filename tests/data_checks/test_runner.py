"""data_checks.runner: a clean book passes every check; each check fails on its own bad rows."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from data_checks.registry import BLOCKING, WARNING
from data_checks.runner import CheckRun, run_checks
from data_checks.suites import all_checks
from tests.data_checks.conftest import copy_rows, execute, make_warehouse
from warehouse import schema
from warehouse.engine import create_warehouse_engine, duckdb_path, is_duckdb

cm = schema.contract_month


def _run(url: str, **kwargs: object) -> CheckRun:
    # Not the read-only engine: its private DuckDB instance would outlive dispose() in this
    # process and block the corrupting writes that follow (the CLI test covers that engine).
    engine = create_warehouse_engine(url)
    try:
        return run_checks(engine, **kwargs)  # type: ignore[arg-type]
    finally:
        engine.dispose()


def _row(cid: str, month: str) -> sa.ColumnElement:
    return sa.and_(cm.c.contract_id == cid, cm.c.month_end == date.fromisoformat(month))


def _set(cid: str, month: str, **values: object) -> sa.Update:
    return cm.update().where(_row(cid, month)).values(**values)


def _corrupt(url: str) -> None:
    """Bad rows for every check in CASES, each on rows of its own."""
    execute(
        url,
        "DROP INDEX IF EXISTS ix_lessees_key",  # DuckDB cannot alter an indexed column
        "ALTER TABLE lessees ALTER COLUMN lessee_id DROP NOT NULL",
        "ALTER TABLE contract_month ALTER COLUMN contract_id DROP NOT NULL",
    )
    lessee = {
        "name": "x",
        "lessee_type": "individual",
        "id_number": "x",
        "industry": "C",
        "region": "310000",
        "group_id": None,
        "related_party": False,
    }
    contract = {
        "lessee_id": "LC1",
        "product": "loan",
        "asset_category": "truck",
        "start_date": date(2024, 1, 5),
        "principal": 0,
        "annual_rate": 0,
        "term_months": 1,
        "branch": "SH",
        "account_manager": "am",
    }
    receipt = {"contract_id": "C1", "received_date": date(2024, 3, 1)}
    version = {"contract_id": "C2", "due_date": date(2024, 8, 5), "interest_due": 0}
    version.update(valid_from=date(2024, 7, 1), valid_to=None)
    execute(
        url,
        schema.lessees.insert().values(**lessee, lessee_id=None),
        schema.lessees.insert().values({**lessee, "lessee_id": "LX", "lessee_type": "alien"}),
        schema.lessees.insert().values({**lessee, "lessee_id": "LR", "region": "31000X"}),
        schema.contracts.insert().values(**contract, contract_id="C1"),
        schema.contracts.insert().values({**contract, "contract_id": "CN", "principal": -5}),
        schema.contracts.insert().values({**contract, "contract_id": "CY", "lessee_id": "NOPE"}),
        schema.schedule.update()
        .where(schema.schedule.c.contract_id == "C3", schema.schedule.c.installment_no == 1)
        .values(principal_due=1001),
        schema.schedule.insert().values(**version, installment_no=1, principal_due=999999),
        schema.receipts.insert().values(**receipt, receipt_id="RBIG", amount=500000),
        schema.receipts.insert().values(**receipt, receipt_id="RNEG", amount=-1),
        _set("C1", "2024-02-29", dpd_bucket="M9"),
        _set("C1", "2024-03-31", risk_class="great"),
        _set("C1", "2024-04-30", class_reason="vibes"),
        _set("C1", "2024-05-31", dpd=-3, dpd_bucket="M0"),
        _set("C1", "2024-06-30", outstanding_principal=-1),
        _set("C1", "2024-07-31", outstanding_principal=30000),
        _set("C3", "2024-02-29", dpd=120, dpd_bucket="M4", risk_class="special_mention"),
        _set("C3", "2024-03-31", risk_class="substandard"),
        _set("C3", "2024-04-30", dpd=45, dpd_bucket="M1", risk_class="special_mention"),
        _set("C3", "2024-05-31", dpd=300, dpd_bucket="M7+", risk_class="substandard"),
        _set("C3", "2024-09-30", dpd=45, dpd_bucket="M2", risk_class="special_mention").values(
            outstanding_principal=-(10**7)
        ),
        cm.delete().where(_row("C4", "2024-08-31")),
        schema.inspection_month.insert().values(
            month_idx=2024 * 12,
            **dict.fromkeys(schema.SEGMENT_COLUMNS, "x"),
            cohort_month=date(2024, 1, 31),
            assets=1,
            covered=1,
            overdue=1,
        ),
        schema.device_month.insert().values(
            month_idx=2024 * 12 + 1,
            **dict.fromkeys(schema.SEGMENT_COLUMNS, "x"),
            cohort_month=date(2024, 1, 31),
            devices=1,
            offline_devices=2,
            geofence_exits=0,
            geofence_devices=0,
            abnormal_stops=0,
            abnormal_stop_devices=0,
        ),
        schema.collection_flags.insert().values(
            flag="nonsense",
            action_id="GHOSTACT",
            contract_id="C1",
            lessee_id="LC1",
            **dict.fromkeys(schema.SEGMENT_COLUMNS, "x"),
            cohort_month=date(2024, 1, 31),
            action_time=datetime.fromisoformat("2024-03-01T10:00:00"),
            channel="phone",
            collector="x",
        ),
        schema.loads.insert().values(
            load_id=2,
            loaded_at=sa.func.now(),
            as_of=date(2024, 12, 31),
            institution="x",
            entity_type="financing_lease",
            currency="CNY",
            source="x",
            sha256="abc",
            row_counts="{}",
        ),
    )
    copy_rows(url, cm, _row("C2", "2024-02-29"))
    copy_rows(url, cm, _row("C2", "2024-03-31"), contract_id="GHOST")
    copy_rows(url, cm, _row("C2", "2024-04-30"), contract_id=None)
    ptm = schema.portfolio_total_month
    first = sa.select(ptm.c.month_idx).order_by(ptm.c.month_idx).limit(1).scalar_subquery()
    copy_rows(url, ptm, ptm.c.month_idx == first, risk_class="nonsense")


# check id -> (severity, one offending key it must name)
CASES: dict[str, tuple[str, dict[str, str]]] = {
    "lessees.key_not_null": (BLOCKING, {"lessee_id": "None"}),
    "lessees.lessee_type.in_set": (BLOCKING, {"lessee_id": "LX"}),
    "lessees.region.pattern": (BLOCKING, {"lessee_id": "LR"}),
    "contracts.key_unique": (BLOCKING, {"contract_id": "C1"}),
    "contracts.principal.nonnegative": (BLOCKING, {"contract_id": "CN"}),
    "contracts.lessee_id.references_lessees": (BLOCKING, {"lessee_id": "NOPE"}),
    "schedule.first_version_sum": (BLOCKING, {"contract_id": "C3"}),
    "schedule.restated_version_sum": (WARNING, {"contract_id": "C2", "valid_from": "2024-07-01"}),
    "receipts.within_ever_due": (WARNING, {"contract_id": "C1"}),
    "receipts.amount.nonnegative": (BLOCKING, {"receipt_id": "RNEG"}),
    "contract_month.key_unique": (BLOCKING, {"contract_id": "C2", "month_end": "2024-02-29"}),
    "contract_month.key_not_null": (BLOCKING, {"contract_id": "None", "month_end": "2024-04-30"}),
    "contract_month.contract_known": (BLOCKING, {"contract_id": "GHOST", "lessee_id": "LC2"}),
    "contract_month.dpd_bucket.in_set": (
        BLOCKING,
        {"contract_id": "C1", "month_end": "2024-02-29"},
    ),
    "contract_month.risk_class.in_set": (
        BLOCKING,
        {"contract_id": "C1", "month_end": "2024-03-31"},
    ),
    "contract_month.class_reason.in_set": (
        BLOCKING,
        {"contract_id": "C1", "month_end": "2024-04-30"},
    ),
    "contract_month.dpd.nonnegative": (BLOCKING, {"contract_id": "C1", "month_end": "2024-05-31"}),
    "contract_month.outstanding_principal.nonnegative": (
        BLOCKING,
        {"contract_id": "C1", "month_end": "2024-06-30"},
    ),
    "contract_month.outstanding_within_principal": (
        BLOCKING,
        {"contract_id": "C1", "month_end": "2024-07-31"},
    ),
    "contract_month.dpd90_is_npl": (BLOCKING, {"contract_id": "C3", "month_end": "2024-02-29"}),
    "contract_month.npl_dpd0_has_reason": (
        BLOCKING,
        {"contract_id": "C3", "month_end": "2024-03-31"},
    ),
    "contract_month.dpd_bucket_matches_dpd": (
        BLOCKING,
        {"contract_id": "C3", "month_end": "2024-04-30"},
    ),
    "contract_month.class_not_better_than_floor": (
        BLOCKING,
        {"contract_id": "C3", "month_end": "2024-05-31"},
    ),
    "contract_month.months_continuous": (BLOCKING, {"contract_id": "C4"}),
    "contract_month.par_ordering": (BLOCKING, {"month_end": "2024-09-30"}),
    "loads.sha256.length": (WARNING, {"load_id": "2"}),
    "portfolio_total_month.risk_class.in_set": (BLOCKING, {"risk_class": "nonsense"}),
    "inspection_month.counts_within_assets": (BLOCKING, {"month_idx": str(2024 * 12)}),
    "device_month.counts_consistent": (BLOCKING, {"month_idx": str(2024 * 12 + 1)}),
    "collection_flags.flag.in_set": (BLOCKING, {"action_id": "GHOSTACT", "flag": "nonsense"}),
    "collection_flags.action_id.references_collection_facts": (
        BLOCKING,
        {"action_id": "GHOSTACT"},
    ),
}


@pytest.fixture(scope="module")
def clean_run(module_db_url: str) -> CheckRun:
    """Every check on the good book."""
    return _run(make_warehouse(module_db_url))


@pytest.fixture(scope="module")
def bad_run(clean_run: CheckRun, module_db_url: str) -> Iterator[CheckRun]:
    """Every check on the good book after `_corrupt`."""
    _corrupt(module_db_url)
    yield _run(module_db_url)


def test_a_clean_book_passes_every_check(clean_run: CheckRun) -> None:
    bad = [r for r in clean_run.results if r.status not in ("passed", "skipped")]
    assert not bad, bad
    assert clean_run.passed and clean_run.blocking_failures == 0 and clean_run.warnings == 0
    assert {r.check_id for r in clean_run.results} == {c.id for c in all_checks()}
    assert clean_run.load_id == 1 and clean_run.sha256 == "ab" * 32


@pytest.mark.parametrize("check_id", sorted(CASES))
def test_each_check_fails_on_its_bad_rows(bad_run: CheckRun, check_id: str) -> None:
    severity, key = CASES[check_id]
    result = next(r for r in bad_run.results if r.check_id == check_id)
    assert result.status == "failed", result
    assert result.severity == severity
    assert result.failing_rows >= 1
    assert any(key.items() <= example.items() for example in result.examples), result.examples


def test_blocking_failures_make_the_run_fail(bad_run: CheckRun) -> None:
    assert not bad_run.passed
    assert bad_run.blocking_failures >= sum(s == BLOCKING for s, _ in CASES.values())
    assert bad_run.warnings >= sum(s == WARNING for s, _ in CASES.values())


def test_as_of_limits_the_mart_checks(bad_run: CheckRun, module_db_url: str) -> None:
    early = _run(module_db_url, as_of=date(2024, 1, 31))
    by_id = {r.check_id: r for r in early.results}
    assert by_id["contract_month.dpd90_is_npl"].status == "passed"
    assert by_id["contract_month.par_ordering"].status == "passed"
    assert early.as_of == date(2024, 1, 31)


def test_a_missing_table_is_an_error_not_a_pass(
    bad_run: CheckRun, tmp_path: Path, module_db_url: str
) -> None:
    if is_duckdb(module_db_url):
        path = duckdb_path(module_db_url)
        assert path is not None
        shutil.copyfile(path, tmp_path / "copy.duckdb")
        url = make_url(module_db_url).set(database=str(tmp_path / "copy.duckdb"))
        execute(url.render_as_string(), "DROP TABLE roll_month")
        run = _run(url.render_as_string())
    else:
        # The module's database is shared: hide the table for this run only.
        execute(module_db_url, "ALTER TABLE roll_month RENAME TO roll_month_hidden")
        try:
            run = _run(module_db_url)
        finally:
            execute(module_db_url, "ALTER TABLE roll_month_hidden RENAME TO roll_month")
    roll = [r for r in run.results if r.dataset == "roll_month"]
    assert roll and all(r.status == "error" and r.blocks for r in roll)
