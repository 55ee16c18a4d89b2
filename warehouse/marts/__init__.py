"""The month-end build: source tables -> the `contract_month` mart, as set-based SQL.

Every step is one statement run by the database (window functions and range joins), so the cost
grows with contract-months and nothing loops over contracts in Python. Settings reach the SQL only
through the one-row `_b_params` table, filled with bound parameters.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import date

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from warehouse import schema
from warehouse.engine import PG_BUILD_WORK_MEM
from warehouse.marts import (
    assemble,
    branch_months,
    classify,
    collection_months,
    compliance,
    devices,
    ew_scores,
    inspection,
    lead_time,
    monitoring,
    position,
    summary,
    watch,
)
from warehouse.months import month_end_of, month_idx
from warehouse.settings import Settings
from warehouse.table_reset import empty_table

Progress = Callable[[str], None]

PARAMS_DDL = """
CREATE TABLE _b_params (
  as_of DATE, as_of_idx INTEGER, tol DECIMAL(18, 2), obs_months INTEGER, obs_inst INTEGER,
  rr_rank INTEGER, upg_inst INTEGER, upg_months INTEGER, npl_share DECIMAL(9, 6)
)"""
PARAMS_INSERT = """
INSERT INTO _b_params VALUES
  (:as_of, :as_of_idx, :tol, :obs_months, :obs_inst, :rr_rank, :upg_inst, :upg_months, :npl_share)
"""
CONTRACT_SEGMENTS_LESSEE_INDEX = (
    "CREATE INDEX IF NOT EXISTS ix_contract_segments_lessee_id ON contract_segments (lessee_id)"
)
RANK_DDL = "CREATE TABLE _b_rank (rank INTEGER, risk_class VARCHAR(20), rate DECIMAL(9, 6))"
RANK_INSERT = "INSERT INTO _b_rank VALUES (:rank, :risk_class, :rate)"
# Tables filled before the steps, which every step may read.
FIRST_ANALYSED = ("_b_params", "_b_rank", "month_ends", "committee_classifications")


def _inserted(conn: Connection) -> dict[str, int]:
    """On PostgreSQL, the rows this transaction has inserted so far per table ({} elsewhere)."""
    if conn.dialect.name != "postgresql":
        return {}
    rows = conn.execute(
        sa.text(
            "SELECT relname, n_tup_ins FROM pg_stat_xact_user_tables "
            "WHERE schemaname = current_schema()"
        )
    )
    return {str(name): int(n) for name, n in rows}


def _analyse_written(conn: Connection, before: dict[str, int]) -> dict[str, int]:
    """On PostgreSQL, ANALYZE the tables a step written in Python inserted into since `before`
    (`_inserted`), and return the counts now (the next step's `before`): without statistics the
    next reader's plan can be quadratic. The post-build alert evaluation's at-risk page on an
    unanalysed `at_risk_rows` ran over 5 minutes at 1,000,000 contracts, 1.4 s once analysed."""
    if conn.dialect.name != "postgresql":
        return before
    now = _inserted(conn)
    grown = sorted(t for t, n in now.items() if n > before.get(t, 0))
    if grown:
        conn.execute(sa.text("ANALYZE " + ", ".join(f'"{t}"' for t in grown)))
    return now


MART_TABLES = (
    schema.contract_month,
    schema.month_ends,
    schema.build_settings,
    schema.portfolio_month,
    schema.vintage_month,
    schema.portfolio_segment_month,
    schema.portfolio_total_month,
    schema.segment_values,
    schema.migration_month,
    schema.roll_month,
    schema.migration_segment_month,
    schema.roll_segment_month,
    schema.concentration_month,
    schema.vintage_total_month,
    schema.vintage_dimension_month,
    schema.committee_classifications,
    schema.contract_segments,
    schema.collection_facts,
    schema.collection_credits,
    schema.collection_action_month,
    schema.collection_first_month,
    schema.collection_credit_month,
    schema.contract_watch,
    schema.at_risk_rows,
    schema.inspection_month,
    schema.inspection_branch_month,
    schema.collection_flags,
    schema.device_month,
    schema.lead_time_facts,
    schema.lead_time_lessees,
    schema.signal_scope,
    schema.signal_month,
    schema.device_alert_month,
    schema.inspection_overdue,
    schema.inspection_findings_month,
    schema.ew_scores,
    schema.ew_feature_bins,
    schema.ew_score_months,
    schema.ew_performance_months,
    schema.ew_calibration_months,
    schema.ew_score_bins,
)


def all_steps(tolerance_is_zero: bool = False) -> tuple[tuple[str, str], ...]:
    """Every SQL step of the build, in order."""
    return (
        *position.steps(tolerance_is_zero),
        *classify.STEPS,
        assemble.STEP,
        *summary.STEPS,
        *monitoring.STEPS,
    )


def scratch_tables() -> list[str]:
    """Names of the intermediate tables the build creates and drops."""
    names = ["_b_params", "_b_rank"]
    for _, sql in all_steps():
        found = re.search(r"CREATE TABLE (\w+)", sql)
        if found:
            names.append(found.group(1))
    return names


def _drop_scratch(conn: Connection) -> None:
    for name in scratch_tables():
        conn.execute(sa.text(f"DROP TABLE IF EXISTS {name}"))


def _params(settings: Settings, as_of: date) -> dict[str, object]:
    rank = schema.RISK_CLASS_RANK
    return {
        "as_of": as_of,
        "as_of_idx": month_idx(as_of),
        "tol": settings.decimal("dpd.tolerance"),
        "obs_months": int(settings["classification.observation_months"]),
        "obs_inst": int(settings["classification.observation_installments"]),
        "rr_rank": rank[settings["classification.re_restructuring_class"]],
        "upg_inst": int(settings["classification.upgrade_installments"]),
        "upg_months": int(settings["classification.upgrade_months"]),
        "npl_share": settings.decimal("classification.debtor_npl_share"),
    }


def build_mart(
    conn: Connection,
    settings: Settings,
    as_of: date,
    progress: Progress | None = None,
    committee: Sequence[Mapping[str, object]] = (),
    scorer: ew_scores.Scorer | None = None,
) -> dict[str, float]:
    """Compute `contract_month` from the source tables in `conn`; returns seconds per step.

    `committee` are the approved risk-committee classifications (rows of
    `committee_classifications`, from `warehouse.portal.decisions.approved_classifications`).
    `scorer` is the early-warning step (`early_warning.scoring.score_build`), run last; without
    one `ew_scores` stays empty and the build says so.
    """
    say = progress or (lambda _msg: None)
    timings: dict[str, float] = {}
    _drop_scratch(conn)
    for table in MART_TABLES:
        if table not in ew_scores.KEPT_TABLES:  # the scoring step carries over or replaces them
            empty_table(conn, table)

    first = conn.execute(sa.select(sa.func.min(schema.contracts.c.start_date))).scalar()
    start = month_idx(min(first, as_of)) if first else month_idx(as_of)
    rows = [
        {"month_idx": i, "month_end": month_end_of(i)} for i in range(start, month_idx(as_of) + 1)
    ]
    conn.execute(schema.month_ends.insert(), rows)
    if committee:
        conn.execute(schema.committee_classifications.insert(), [dict(r) for r in committee])

    if conn.dialect.name == "postgresql":
        # The default 4 MB makes every big hash join and sort of the build spill to disk; this
        # lasts only for the build's transaction.
        conn.execute(sa.text(f"SET LOCAL work_mem = '{PG_BUILD_WORK_MEM}'"))
    conn.execute(sa.text(PARAMS_DDL))
    conn.execute(sa.text(PARAMS_INSERT), _params(settings, as_of))
    conn.execute(sa.text(RANK_DDL))
    conn.execute(
        sa.text(RANK_INSERT),
        [
            {"rank": r, "risk_class": c, "rate": settings.decimal(f"provisions.{c}")}
            for c, r in schema.RISK_CLASS_RANK.items()
        ],
    )
    if conn.dialect.name == "postgresql":
        # Unanalysed, a table written in this transaction looks like ~900 rows to the planner:
        # every step's CROSS JOIN _b_params was costed 900 times too big (merge joins rescanning
        # 57 million rows at 100,000 contracts instead of one hash join).
        conn.execute(sa.text(f"ANALYZE {', '.join(FIRST_ANALYSED)}"))

    steps = all_steps(tolerance_is_zero=settings.decimal("dpd.tolerance") == 0)
    duck = conn.dialect.name == "duckdb"
    keep_order = (
        duck
        and conn.execute(sa.text("SELECT current_setting('preserve_insertion_order')")).scalar()
    )
    written = (
        (monitoring.PREVIOUS_NAME, monitoring.write_previous_actions),
        (collection_months.NAME, collection_months.write_collection_months),
        (watch.NAME, watch.write_watch_flags),
        (inspection.NAME, inspection.write_inspection_coverage),
        (branch_months.NAME, branch_months.write_inspection_branch_month),
        (inspection.OVERDUE_NAME, inspection.write_inspection_overdue),
        (inspection.FINDINGS_NAME, inspection.write_inspection_findings),
        (compliance.NAME, compliance.write_compliance_flags),
        (devices.NAME, devices.write_device_status),
        (devices.ALERT_NAME, devices.write_device_alerts),
        (lead_time.NAME, lead_time.write_lead_time_facts),
        (lead_time.LESSEES_NAME, lead_time.write_lead_time_lessees),
        (lead_time.SIGNAL_NAME, lead_time.write_signal_scope),
        (lead_time.SIGNAL_MONTHS_NAME, lead_time.write_signal_month),
    )
    # Every step counted before the first, so the progress reads n of one total throughout.
    total = len(steps) + len(written) + 2
    for n, (name, sql) in enumerate(steps, start=1):
        say(f"build {n}/{total}: {name}")
        began = time.perf_counter()
        # Scratch tables need no order (cheaper); the marts are written month by month, which
        # DuckDB keeps only with insertion order on, so its zone maps skip the other months.
        ordered = duck and not keep_order and sql.lstrip().startswith("INSERT")
        if ordered:
            conn.execute(sa.text("SET preserve_insertion_order = true"))
        conn.execute(sa.text(sql))
        if ordered:
            conn.execute(sa.text("SET preserve_insertion_order = false"))
        target = re.match(r"\s*(?:CREATE TABLE|INSERT INTO) (\w+)", sql)
        if target and conn.dialect.name == "postgresql":
            # Rows written inside this transaction are invisible to autovacuum; without
            # statistics the next steps' joins (on scratch tables and marts alike, such as
            # contract_month) get very poor plans.
            conn.execute(sa.text(f"ANALYZE {target.group(1)}"))
        timings[name] = time.perf_counter() - began

    inserted = _inserted(conn)  # each step's count after it is the next one's before
    for n, (name, write) in enumerate(written, start=len(steps) + 1):
        say(f"build {n}/{total}: {name}")
        began = time.perf_counter()
        write(conn, settings, as_of)
        inserted = _analyse_written(conn, inserted)
        timings[name] = time.perf_counter() - began
    say(f"build {total - 1}/{total}: {ew_scores.NAME}")
    began = time.perf_counter()
    ew_scores.write_ew_scores(conn, settings, as_of, scorer, say)
    inserted = _analyse_written(conn, inserted)
    timings[ew_scores.NAME] = time.perf_counter() - began
    say(f"build {total}/{total}: {watch.ROWS_NAME}")  # reads the scores just written
    began = time.perf_counter()
    watch.write_at_risk_rows(conn, settings, as_of)
    inserted = _analyse_written(conn, inserted)
    timings[watch.ROWS_NAME] = time.perf_counter() - began

    if conn.dialect.name != "duckdb":
        # Row lookups (a contract's history) need these; DuckDB's zone maps serve without them.
        for column in ("contract_id", "month_end"):
            ddl = f"CREATE INDEX IF NOT EXISTS ix_contract_month_{column} ON contract_month"
            conn.execute(sa.text(f"{ddl} ({column})"))
        # A page of lessees (预警提前期) looks up their contracts.
        conn.execute(sa.text(CONTRACT_SEGMENTS_LESSEE_INDEX))
    conn.execute(
        schema.build_settings.insert(),
        [{"key": k, "value": v} for k, v in [*settings.as_rows(), ("as_of", as_of.isoformat())]],
    )
    _analyse_written(conn, inserted)
    _drop_scratch(conn)
    return timings
