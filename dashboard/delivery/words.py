"""An alert in words, the same on the inbox page and in its e-mail (zh or en)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from alerts.rules import MIN_RULES, basis_of, is_event_rule, is_model_rule, metric_of
from dashboard.i18n.catalogue import label, t
from dashboard.page.format import amount, pct
from regulatory.registry import report_spec


def figure_text(rule: str, value: object) -> str:
    """A rule's figure in its unit: a model's PSI or AUC as a number (0.312), else a %."""
    if is_model_rule(rule):
        return "—" if value is None else f"{float(str(value)):.3f}"
    return pct(value)


def figure_name(rule: str, lang: str) -> str:
    """The figure a rule watches, in words (集中度 for the concentration limits)."""
    if is_event_rule(rule) or is_model_rule(rule):
        return t(f"al.rule.{rule}", lang)
    metric = metric_of(rule)
    return t("m.ratio", lang) if metric == "ratio" else t(f"m.{metric}", lang)


def group_ids(subjects: Iterable[object]) -> list[str]:
    """The group ids among alert subjects ("group:GRP1" -> "GRP1"), to look their names up."""
    return sorted({str(s).split(":", 1)[1] for s in subjects if str(s).startswith("group:")})


def named_subjects(groups: Mapping[str, str]) -> dict[str, str]:
    """Alert subject -> what to call it, from group id -> name: "恒泰集团 (GRP1)"."""
    return {f"group:{key}": f"{name} ({key})" for key, name in groups.items()}


def subject_name(
    subject: str, lang: str, rule: str = "", names: Mapping[str, str] | None = None
) -> str:
    """ "book" as 全部资产; "lessee:L1" as the exposure's kind in words and its key (a group by
    its name and key when `names` has it); a filing as its report and period, a proposal as its
    contract."""
    if subject == "book":
        return t("al.book", lang)
    if is_model_rule(rule):
        return subject
    if rule.startswith("filing."):
        report, period = _report_period(subject)
        return f"{report_name(report, lang)} {period}"
    if rule.startswith("committee."):
        return subject.split(":", 2)[2]
    if rule.startswith("exposure."):
        return subject
    kind, _, key = subject.partition(":")
    if names and subject in names:
        key = names[subject]
    return f"{label(kind, lang)} {key}".strip()


def headline(rule: str, lang: str) -> str:
    """ "不良率高于预警线" / "NPL ratio above its line"; an event rule's own words."""
    if is_event_rule(rule):
        return t(f"al.rule.{rule}", lang)
    side = t("al.under" if rule in MIN_RULES else "al.over", lang)
    return t("al.headline", lang, figure=figure_name(rule, lang), side=side)


def report_name(code: str, lang: str) -> str:
    """A report as a filer calls it: its title, after its code when that is a supervisory form
    number (G11 资产质量五级分类情况表; 合同明细, not DETAIL); an unknown code as given."""
    try:
        return report_spec(code).filer_name(lang)
    except ValueError:
        return code


def _report_period(subject: str) -> tuple[str, str]:
    report, _, period = subject.partition(":")
    return report, period[:7]


def detail(row: Mapping[str, object], lang: str, names: Mapping[str, str] | None = None) -> str:
    """Subject (by name where `names` has it), value, line and its basis, and the month-end the
    alert started (an event rule: the report and period and the working days left, or the
    blocking failures)."""
    rule, first = str(row["rule"]), row["first_period"]
    if rule.startswith("filing."):
        report, period = _report_period(str(row["subject"]))
        key = "al.detail.missed" if rule == "filing.missed" else "al.detail.filing"
        return t(
            key,
            lang,
            report=report_name(report, lang),
            period=period,
            days=int(str(row["value"] or 0)),
        )
    if rule.startswith("checks."):
        return t("al.detail.checks", lang, n=int(str(row["value"] or 0)))
    if rule.startswith("exposure."):
        return t(
            "al.detail.signal", lang, contract=row["subject"], value=amount(row["value"], lang)
        )
    if rule.startswith("committee."):
        _, proposer, contract = str(row["subject"]).split(":", 2)
        return t("al.detail.review", lang, proposer=proposer, contract=contract)
    if is_model_rule(rule):
        return t(
            f"al.detail.{rule}",
            lang,
            version=row["subject"],
            value=figure_text(rule, row["value"]),
            line=figure_text(rule, row["line"]),
            since=f"{first:%Y-%m}" if isinstance(first, date) else str(first),
        )
    return t(
        "al.detail",
        lang,
        subject=subject_name(str(row["subject"]), lang, names=names),
        value=pct(row["value"]),
        line=pct(row["line"]),
        basis=t(f"al.basis.{basis_of(str(row['rule']))}", lang),
        since=f"{first:%Y-%m}" if isinstance(first, date) else str(first),
    )


def link_params(rule: str, subject: str, period: date, lang: str) -> dict[str, str]:
    """The query parameters of the link to the page that shows an alert's figure."""
    if rule.startswith("filing."):
        report, month = _report_period(subject)
        return {"period": month, "report": report, "lang": lang}
    if rule.startswith("checks."):
        return {"lang": lang}
    if rule.startswith("committee."):
        return {"contract": subject.split(":", 2)[2], "lang": lang}
    if rule.startswith("exposure."):
        return {"contract": subject, "lang": lang}
    return {"as_of": f"{period:%Y-%m}", "lang": lang}
