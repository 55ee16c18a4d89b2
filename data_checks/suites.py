"""The suites: one per warehouse table and one for `contract_month`, written as registry data.

Source-table checks follow the extract registry (`warehouse.extract_spec`): keys, code lists,
non-negative amounts, patterns and references. The mart suite encodes docs/domain.md §2–5.
"""

from __future__ import annotations

import functools

import sqlalchemy as sa

from data_checks import sql_checks as q
from data_checks.registry import BLOCKING, WARNING, Check, Expect, Params, Query
from warehouse import extract_spec as spec
from warehouse import schema
from warehouse.marts import collection_months, compliance

_SEGMENTS = ("product", "lessee_type", "industry", "region", "branch", "asset_category")

# The columns that identify a row of each dataset: offending rows are reported by these.
DATASET_KEYS: dict[str, tuple[str, ...]] = {
    **{t.name: t.key for t in spec.TABLES},
    "contract_month": ("contract_id", "month_end"),
    "loads": ("load_id",),
    "load_late_rows": ("load_id", "table_name"),
    "build_settings": ("key",),
    "month_ends": ("month_idx",),
    "committee_classifications": ("contract_id", "effective_month"),
    "portfolio_month": ("month_idx", *_SEGMENTS, "cohort_month", "dpd_bucket", "risk_class"),
    "portfolio_segment_month": ("month_idx", *_SEGMENTS, "dpd_bucket", "risk_class"),
    "portfolio_total_month": ("month_idx", "dpd_bucket", "risk_class"),
    "segment_values": ("dimension", "value"),
    "migration_month": ("period", "month_idx", "begin_class", "end_class"),
    "roll_month": ("month_idx", "from_bucket", "to_bucket"),
    "vintage_month": ("cohort_idx", "mob", *_SEGMENTS),
    "migration_segment_month": ("period", "month_idx", *_SEGMENTS, "begin_class", "end_class"),
    "roll_segment_month": ("month_idx", *_SEGMENTS, "from_bucket", "to_bucket"),
    "concentration_month": ("month_idx", "kind", "place"),
    "vintage_total_month": ("cohort_idx", "mob"),
    "vintage_dimension_month": ("dimension", "value", "cohort_idx", "mob"),
    "check_runs": ("run_id",),
    "check_results": ("run_id", "check_id"),
    "contract_segments": ("contract_id",),
    "collection_facts": ("action_id",),
    "collection_credits": ("receipt_id",),
    "collection_action_month": (
        "month_idx",
        "branch",
        "channel",
        "outcome",
        "collector",
        "due_idx",
    ),
    "collection_first_month": ("key", "month_idx", "branch", "value", "prev_idx"),
    "collection_credit_month": ("month_idx", "branch", "channel", "collector"),
    "contract_watch": ("contract_id",),
    "at_risk_rows": ("contract_id",),
    "inspection_month": ("month_idx", *_SEGMENTS, "cohort_month"),
    "inspection_branch_month": ("month_idx", "branch"),
    "collection_flags": ("action_id", "flag"),
    "device_month": ("month_idx", *_SEGMENTS, "cohort_month"),
    "device_alert_month": ("month_idx", "event_type", "contract_id"),
    "inspection_findings_month": ("month_idx", "asset_status", *_SEGMENTS, "cohort_month"),
    "inspection_overdue": ("contract_id",),
    "lead_time_facts": ("kind", "level", "lessee_id", *_SEGMENTS, "cohort_month", "contract_id"),
    "lead_time_lessees": ("level", "lessee_id"),
    "signal_scope": ("signal_id", *_SEGMENTS, "cohort_month"),
    "signal_month": ("month_idx", "source", "severity"),
    "ew_scores": ("month_idx", "contract_id"),
    "ew_feature_bins": ("model_version", "month_idx", "feature", "bin"),
    "ew_score_months": ("model_version", "month_idx"),
    "ew_performance_months": ("model_version", "month_idx"),
    "ew_calibration_months": ("model_version", "month_idx", "score_decile"),
    "ew_score_bins": ("model_version", "month_idx", "bin"),
    "ew_score_log": ("run_id",),
}


def _fixed(stmt: sa.Select) -> Query:
    """A query that does not depend on the run's parameters."""
    return Query(lambda _params: stmt)


def _keys(name: str, *, nullable: tuple[str, ...] = ()) -> list[Check]:
    table, key = schema.metadata.tables[name], DATASET_KEYS[name]
    return [
        Check(
            f"{name}.key_unique",
            name,
            f"({', '.join(key)}) is unique",
            BLOCKING,
            _fixed(q.duplicate_keys(table, key)),
        ),
        Check(
            f"{name}.key_not_null",
            name,
            f"({', '.join(k for k in key if k not in nullable)}) is never empty",
            BLOCKING,
            _fixed(q.null_keys(table, key, nullable)),
        ),
    ]


def _in_set(dataset: str, column: str, values: tuple[str, ...], severity: str = BLOCKING) -> Check:
    return Check(
        f"{dataset}.{column}.in_set",
        dataset,
        f"{column} is one of {', '.join(values)}",
        severity,
        Expect("ExpectColumnValuesToBeInSet", {"column": column, "value_set": list(values)}),
    )


def _nonnegative(dataset: str, column: str) -> Check:
    return Check(
        f"{dataset}.{column}.nonnegative",
        dataset,
        f"{column} ≥ 0",
        BLOCKING,
        Expect("ExpectColumnValuesToBeBetween", {"column": column, "min_value": 0}),
    )


def _source_checks(t: spec.Table) -> list[Check]:
    nullable = tuple(k for k in t.key if not t.column(k).required)
    checks = _keys(t.name, nullable=nullable)
    for c in t.columns:
        if c.enum:
            checks.append(_in_set(t.name, c.name, c.enum))
        if c.nonnegative:
            checks.append(_nonnegative(t.name, c.name))
        if c.pattern:
            regex = {"column": c.name, "regex": f"^(?:{c.pattern})$"}
            checks.append(
                Check(
                    f"{t.name}.{c.name}.pattern",
                    t.name,
                    f"{c.name} matches {c.pattern}",
                    BLOCKING,
                    Expect("ExpectColumnValuesToMatchRegex", regex),
                )
            )
    table = schema.SOURCE_TABLES[t.name]
    for ref in t.references:
        target = schema.SOURCE_TABLES[ref.table]
        checks.append(
            Check(
                f"{t.name}.{'_'.join(ref.columns)}.references_{ref.table}",
                t.name,
                f"every {', '.join(ref.columns)} names a row of {ref.table}",
                BLOCKING,
                _fixed(q.dangling(table, ref.columns, target, ref.target)),
            )
        )
    return checks


def _identity_checks() -> list[Check]:
    return [
        Check(
            "schedule.first_version_sum",
            "schedule",
            "the first schedule version's principal adds up to the contract principal",
            BLOCKING,
            Query(q.first_version_sum),
        ),
        Check(
            "schedule.restated_version_sum",
            "schedule",
            "a later version restates at most the previous version's principal plus interest",
            WARNING,
            Query(q.restated_version_sum),
        ),
        Check(
            "receipts.within_ever_due",
            "receipts",
            "receipts exceed what was ever due by at most dpd.tolerance (more is a credit)",
            WARNING,
            Query(q.receipts_over_due),
        ),
    ]


NPL = list(schema.NPL_CLASSES)


def _contract_month_checks() -> list[Check]:
    name = "contract_month"
    return [
        Check(
            f"{name}.key_unique",
            name,
            "(contract_id, month_end) is unique",
            BLOCKING,
            Query(q.cm_duplicate_keys),
        ),
        Check(
            f"{name}.key_not_null",
            name,
            "(contract_id, month_end) is never empty",
            BLOCKING,
            _fixed(q.null_keys(schema.contract_month, DATASET_KEYS[name])),
        ),
        Check(
            f"{name}.contract_known",
            name,
            "every row's contract and lessee are in contracts",
            BLOCKING,
            Query(q.cm_dangling_contract),
        ),
        _in_set(name, "dpd_bucket", schema.DPD_BUCKETS),
        _in_set(name, "risk_class", spec.RISK_CLASSES),
        _in_set(name, "class_reason", schema.CLASS_REASONS),
        _nonnegative(name, "dpd"),
        _nonnegative(name, "outstanding_principal"),
        Check(
            f"{name}.outstanding_within_principal",
            name,
            "outstanding principal ≤ original principal",
            BLOCKING,
            Expect(
                "ExpectColumnPairValuesAToBeGreaterThanB",
                {
                    "column_A": "original_principal",
                    "column_B": "outstanding_principal",
                    "or_equal": True,
                },
            ),
        ),
        Check(
            f"{name}.dpd90_is_npl",
            name,
            "DPD > 90 ⇒ substandard or worse",
            BLOCKING,
            Expect(
                "ExpectColumnValuesToBeInSet",
                {"column": "risk_class", "value_set": NPL},
                when=(("dpd", ">", 90),),
            ),
        ),
        Check(
            f"{name}.npl_dpd0_has_reason",
            name,
            "NPL with DPD 0 only with a recorded reason (class_reason is not dpd)",
            BLOCKING,
            Expect(
                "ExpectColumnValuesToNotBeInSet",
                {"column": "class_reason", "value_set": ["dpd"]},
                when=(("dpd", "==", 0), ("risk_class", "in", NPL)),
            ),
        ),
        Check(
            f"{name}.dpd_bucket_matches_dpd",
            name,
            "dpd_bucket is the bucket of dpd (docs/domain.md §3)",
            BLOCKING,
            Query(q.bucket_mismatch),
        ),
        Check(
            f"{name}.class_not_better_than_floor",
            name,
            "risk_class is never better than the DPD floor (docs/domain.md §4 rule 1)",
            BLOCKING,
            Query(q.better_than_floor),
        ),
        Check(
            f"{name}.months_continuous",
            name,
            "no month-end missing between a contract's first and last rows",
            BLOCKING,
            Query(q.month_gaps),
        ),
        Check(
            f"{name}.par_ordering",
            name,
            "PAR30 ≥ PAR60 ≥ PAR90 (balance basis) at every month-end",
            BLOCKING,
            Query(q.par_ordering),
        ),
    ]


def _other_checks() -> list[Check]:
    checks: list[Check] = []
    for name in DATASET_KEYS:
        if name in spec.TABLES_BY_NAME or name == "contract_month":
            continue
        migration = ("migration_month", "migration_segment_month")
        nullable = ("end_class",) if name in migration else ()
        if name == "lead_time_facts":  # a first 90+ has no level; a lessee-wide signal no contract
            nullable = ("level", "contract_id")
        if name == "collection_action_month":  # actions other than promises have no due month
            nullable = ("due_idx",)
        if name == "collection_first_month":  # a contract's first action has no previous one
            nullable = ("prev_idx",)
        checks += _keys(name, nullable=nullable)
    for name in ("portfolio_month", "portfolio_segment_month", "portfolio_total_month"):
        checks.append(_in_set(name, "dpd_bucket", schema.DPD_BUCKETS))
        checks.append(_in_set(name, "risk_class", spec.RISK_CLASSES))
    checks.append(_in_set("migration_month", "period", ("month", "quarter", "ytd")))
    checks.append(_in_set("roll_month", "from_bucket", schema.DPD_BUCKETS))
    checks.append(_nonnegative("vintage_month", "mob"))
    checks.append(
        Check(
            "loads.sha256.length",
            "loads",
            "the extract fingerprint is a 64-character SHA-256",
            WARNING,
            Expect("ExpectColumnValueLengthsToEqual", {"column": "sha256", "value": 64}),
        )
    )
    checks.append(_in_set("check_results", "severity", ("blocking", "warning")))
    checks.append(_in_set("committee_classifications", "risk_class", spec.RISK_CLASSES))
    checks.append(_in_set("collection_flags", "flag", compliance.FLAGS))
    checks.append(
        _in_set("lead_time_lessees", "lead_group", ("warned", "late", "missed", "no_default"))
    )
    checks.append(_in_set("collection_first_month", "key", tuple(collection_months.WINDOW_KEYS)))
    checks.append(_in_set("ew_score_log", "outcome", ("scored", "no_model", "refused", "skipped")))
    checks.append(
        Check(
            "ew_scores.score.probability",
            "ew_scores",
            "score is a probability (0 to 1)",
            BLOCKING,
            Expect(
                "ExpectColumnValuesToBeBetween", {"column": "score", "min_value": 0, "max_value": 1}
            ),
        )
    )
    checks.append(
        Check(
            "ew_scores.score_decile.range",
            "ew_scores",
            "score_decile is 1 (riskiest tenth) to 10",
            BLOCKING,
            Expect(
                "ExpectColumnValuesToBeBetween",
                {"column": "score_decile", "min_value": 1, "max_value": 10},
            ),
        )
    )
    checks.append(
        Check(
            "collection_flags.action_id.references_collection_facts",
            "collection_flags",
            "every flagged action is an action of collection_facts",
            BLOCKING,
            _fixed(
                q.dangling(
                    schema.collection_flags,
                    ("action_id",),
                    schema.collection_facts,
                    ("action_id",),
                )
            ),
        )
    )
    checks.append(
        Check(
            "device_month.counts_consistent",
            "device_month",
            "each row has fitted devices; devices with an alert are at most the fitted devices "
            "and the alert events",
            BLOCKING,
            _fixed(q.device_counts_inconsistent()),
        )
    )
    checks.append(
        Check(
            "inspection_month.counts_within_assets",
            "inspection_month",
            "each row has assets, and covered + overdue (both ≥ 0) is at most its assets",
            BLOCKING,
            _fixed(q.inspection_counts_outside_assets()),
        )
    )
    return checks


@functools.cache
def all_checks() -> tuple[Check, ...]:
    """Every registered check, source tables first, then identities, the mart and the rest."""
    checks = [c for t in spec.TABLES for c in _source_checks(t)]
    checks += _identity_checks() + _contract_month_checks() + _other_checks()
    ids = [c.id for c in checks]
    duplicated = {i for i in ids if ids.count(i) > 1}
    if duplicated:
        raise ValueError(f"duplicate check ids: {sorted(duplicated)}")
    return tuple(checks)


__all__ = ["DATASET_KEYS", "NPL", "Params", "all_checks"]
