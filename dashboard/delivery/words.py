"""An alert in words, the same on the inbox page and in its e-mail (zh or en)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from alerts.rules import MIN_RULES, basis_of, metric_of
from dashboard.i18n.catalogue import label, t
from dashboard.page.format import pct


def figure_name(rule: str, lang: str) -> str:
    """The figure a rule watches, in words (集中度 for the concentration limits)."""
    metric = metric_of(rule)
    return t("m.ratio", lang) if metric == "ratio" else t(f"m.{metric}", lang)


def subject_name(subject: str, lang: str) -> str:
    """ "book" as 全部资产; "lessee:L1" as the exposure's kind in words and its key."""
    if subject == "book":
        return t("al.book", lang)
    kind, _, key = subject.partition(":")
    return f"{label(kind, lang)} {key}".strip()


def headline(rule: str, lang: str) -> str:
    """ "不良率高于预警线" / "NPL ratio above its line"."""
    side = t("al.under" if rule in MIN_RULES else "al.over", lang)
    return t("al.headline", lang, figure=figure_name(rule, lang), side=side)


def detail(row: Mapping[str, object], lang: str) -> str:
    """Subject, value, line and its basis, and the month-end the alert started."""
    first = row["first_period"]
    return t(
        "al.detail",
        lang,
        subject=subject_name(str(row["subject"]), lang),
        value=pct(row["value"]),
        line=pct(row["line"]),
        basis=t(f"al.basis.{basis_of(str(row['rule']))}", lang),
        since=f"{first:%Y-%m}" if isinstance(first, date) else str(first),
    )
