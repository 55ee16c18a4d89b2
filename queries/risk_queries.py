"""The risk-committee queries the dashboard may call by name (merged into `dashboard.data.cached`).

Each takes (engine, filters, **options); the dossier sections take `contract_id` as an option.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from queries import at_risk, dossier, dossier_monitoring

RISK_QUERIES: dict[str, Callable[..., pd.DataFrame]] = {
    "at_risk": at_risk.at_risk,
    "at_risk_counts": at_risk.rule_counts,
    "at_risk_rules_for": at_risk.rules_for,
    "dossier_header": dossier.header,
    "dossier_guarantors": dossier.guarantors,
    "dossier_history": dossier.history,
    "dossier_payments": dossier.payments,
    "dossier_schedule": dossier.schedule,
    "dossier_receipts": dossier.receipts,
    "dossier_lessee_contracts": dossier.lessee_contracts,
    "dossier_group": dossier.group_exposure,
    "dossier_collections": dossier_monitoring.collections,
    "dossier_inspections": dossier_monitoring.inspections,
    "dossier_device_events": dossier_monitoring.device_events,
    "dossier_device_months": dossier_monitoring.device_event_months,
    "dossier_signals": dossier_monitoring.signals,
    "dossier_financials": dossier_monitoring.financials,
}

# The dossier sections, in the order the page and the committee pack show them.
DOSSIER_SECTIONS: tuple[str, ...] = tuple(k for k in RISK_QUERIES if k.startswith("dossier_"))
