"""Display helpers of the risk-committee pages: coded values in words, headers, money in 万元."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from dashboard.i18n.catalogue import CATALOGUE, label, t
from dashboard.i18n.risk import CODE_LABELS
from dashboard.views.present import Roles, as_text, industry_label, present, region_label
from early_warning.reasons import reason_text

# column -> catalogue prefix of its coded values ("value" = the shared `value.<code>` labels)
CODED: dict[str, str] = {
    "risk_class": "value",
    "current_class": "value",
    "product": "value",
    "lessee_type": "value",
    "guarantor_type": "value",
    "class_reason": "rk.reason",
    "kind": "rk.kind",
    "status": "rk.status",
    "rule": "rk.rule",
    **{column: f"rk.{column}" for column in CODE_LABELS},
}
MONEY: frozenset[str] = frozenset(
    {
        "outstanding_principal",
        "overdue_principal",
        "overdue_interest",
        "provision",
        "received_to_date",
        "principal",
        "outstanding",
        "npl_outstanding",
        "due_in_month",
        "received_in_month",
        "due_to_date",
        "principal_due",
        "interest_due",
        "amount",
        "promised_amount",
        "total_assets",
        "total_liabilities",
        "revenue",
        "net_profit",
        "operating_cash_flow",
    }
)
RATIOS: frozenset[str] = frozenset(
    {"debt_ratio", "ocf_to_liabilities", "ocf_to_revenue", "net_margin", "revenue_yoy", "score"}
)
# Early-warning reason keys (`early_warning.reasons`), shown in words.
REASON_COLUMNS: tuple[str, ...] = ("score_reason", "reason_1", "reason_2", "reason_3")
HIDDEN: frozenset[str] = frozenset({"total_rows", "class_rank"})


def coded(value: object, prefix: str, lang: str) -> str:
    """The words for a coded value (unknown codes as given)."""
    if prefix == "value":
        return label(value, lang)
    key = f"{prefix}.{value}"
    return t(key, lang) if key in CATALOGUE else ("" if value is None else str(value))


def rules_text(codes: object, lang: str) -> str:
    """Comma-separated rule codes as words joined by 、 (or '; ' in English)."""
    joiner = "、" if lang == "zh" else "; "
    parts = [c for c in str(codes or "").split(",") if c]
    return joiner.join(coded(c, "rk.rule", lang) for c in parts)


def header(column: str, lang: str) -> str:
    """The display header of a column: `rk.col.<name>`, else `col.<name>`, else the name."""
    for key in (f"rk.col.{column}", f"col.{column}"):
        if key in CATALOGUE:
            return t(key, lang)
    return column


def _words(prefix: str) -> Callable[[object, str], str]:
    return lambda value, lang: coded(value, prefix, lang)


ROLES = Roles(
    header=header,
    money=MONEY,
    rates=RATIOS,
    hidden=HIDDEN,
    words={
        **{c: _words(prefix) for c, prefix in CODED.items()},
        "rules": rules_text,
        **dict.fromkeys(REASON_COLUMNS, reason_text),
        "industry": industry_label,  # GB/T 4754 section names
        "region": region_label,  # GB/T 2260 names from the bundled code list
    },
)


def headers_only(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The frame as a file holds it: display headers, codes in words, money in 万元 as numbers."""
    return present(frame, lang, ROLES)


def shown(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A display copy: money in 万元, ratios in %, codes in words, rules in words, headers."""
    return as_text(present(frame, lang, ROLES))
