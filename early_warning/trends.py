"""The expected direction of each feature: how the default rate moves as the value grows.

The scorecard bins each feature with this monotone trend and the challenger constrains its trees
the same way, so neither model can say that paying more makes a contract riskier.
"""

from __future__ import annotations

from warehouse.marts.ew_features import CATEGORICAL, NUMERIC

UP, DOWN, EITHER = "ascending", "descending", "auto_asc_desc"

_DOWN = frozenset(
    {
        "payment_ratio_6m",
        "months_since_restructuring",
        "fin_ocf_margin",
        "fin_net_margin",
        "fin_revenue_yoy",
    }
)
_EITHER = frozenset(
    {
        "inspections_12m",
        "months_since_inspection",
        "fin_age_months",
        "outstanding",
        "outstanding_share",
        "lessee_outstanding",
        "lessee_contracts",
        "term_months",
        "mob",
    }
)

TREND: dict[str, str] = {
    name: DOWN if name in _DOWN else EITHER if name in _EITHER else UP for name in NUMERIC
}


def constraint(feature: str) -> int:
    """LightGBM's monotone constraint: +1 riskier as it grows, −1 safer, 0 free (segments)."""
    if feature in CATEGORICAL:
        return 0
    return {UP: 1, DOWN: -1}.get(TREND[feature], 0)
