"""The queries the dashboard may run by name: one registry, each keyed by its own module and name.

A key is "<module>.<function>" with the `queries.` prefix dropped ("portfolio.kpis",
"collections.contact_rates", "dossier.group_exposure"), so the key a page asks for names the
function that runs. Each takes (engine, filters, **options); the dossier sections take
`contract_id` as an option.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from queries import (
    at_risk,
    collection_lists,
    collections,
    collections_compliance,
    contract_lists,
    dossier,
    dossier_monitoring,
    exposures,
    inspections,
    leased_assets,
    migration,
    model_monitoring,
    overdue,
    portfolio,
    search,
    signal_lists,
    task_steps,
    vintage,
    vintage_compare,
    warnings,
)

Query = Callable[..., pd.DataFrame]

FUNCTIONS: tuple[Query, ...] = (
    portfolio.kpis,
    portfolio.trend,
    portfolio.breakdown,
    overdue.bucket_distribution,
    overdue.segment_rates,
    overdue.contracts_behind,
    vintage.vintage,
    vintage.cohort_contracts,
    vintage_compare.segment_curves,
    migration.roll_rates,
    migration.migration_matrix,
    migration.migration_rates,
    exposures.concentration,
    exposures.exposure_contracts,
    contract_lists.roll_cell,
    contract_lists.migration_cell,
    collections.actions_over_time,
    collections.contact_rates,
    collections.recoveries,
    collections.cure_rates,
    collections.collector_workload,
    collections_compliance.flag_counts,
    collections_compliance.flagged_contracts,
    warnings.signals_over_time,
    warnings.lead_time_summary,
    warnings.lead_time_distribution,
    warnings.lead_time_lessees,
    leased_assets.device_status,
    leased_assets.device_alert_contracts,
    inspections.inspection_coverage,
    inspections.abnormal_findings,
    inspections.inspection_contracts,
    inspections.finding_contracts,
    collection_lists.action_contracts,
    collection_lists.credit_contracts,
    collection_lists.spell_contracts,
    signal_lists.signal_lessees,
    signal_lists.band_lessees,
    at_risk.at_risk,
    at_risk.rule_counts,
    at_risk.rules_for,
    model_monitoring.performance,
    model_monitoring.calibration,
    model_monitoring.score_bins,
    model_monitoring.feature_bins,
    search.search,
    search.listed,
    dossier.header,
    dossier.guarantors,
    dossier.history,
    dossier.payments,
    dossier.schedule,
    dossier.receipts,
    dossier.lessee_contracts,
    dossier.group_exposure,
    dossier_monitoring.collections,
    dossier_monitoring.inspections,
    dossier_monitoring.device_events,
    dossier_monitoring.device_event_months,
    dossier_monitoring.signals,
    dossier_monitoring.financials,
    dossier_monitoring.score_history,
    task_steps.step_outcomes,
    task_steps.step_outcome_contracts,
)


def key_of(function: Query) -> str:
    """The registry key of `function`: its module without `queries.`, a dot, its own name."""
    return f"{function.__module__.removeprefix('queries.')}.{function.__name__}"


QUERIES: dict[str, Query] = {key_of(f): f for f in FUNCTIONS}

# The dossier sections, in the order the page and the committee pack show them.
DOSSIER_SECTIONS: tuple[str, ...] = tuple(
    key_of(f)
    for f in FUNCTIONS
    if f.__module__ in ("queries.dossier", "queries.dossier_monitoring")
)
