"""The monitoring queries the dashboard may call by name (merged into `cached.QUERIES`)."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from queries import collections, collections_compliance, inspections, leased_assets, warnings

MONITORING_QUERIES: dict[str, Callable[..., pd.DataFrame]] = {
    "collection_actions": collections.actions_over_time,
    "collection_rates": collections.contact_rates,
    "collection_recoveries": collections.recoveries,
    "collection_cures": collections.cure_rates,
    "collector_workload": collections.collector_workload,
    "compliance_flags": collections_compliance.flag_counts,
    "compliance_contracts": collections_compliance.flagged_contracts,
    "warning_signals": warnings.signals_over_time,
    "lead_time_summary": warnings.lead_time_summary,
    "lead_time_distribution": warnings.lead_time_distribution,
    "lead_time_lessees": warnings.lead_time_lessees,
    "device_status": leased_assets.device_status,
    "device_alert_contracts": leased_assets.device_alert_contracts,
    "inspection_coverage": inspections.inspection_coverage,
    "abnormal_findings": inspections.abnormal_findings,
    "inspection_contracts": inspections.inspection_contracts,
}
