"""The alert rules, as data: which figure each watches, its line, who hears of it, where it shows.

Regulatory lines come from `regulatory.kpi_lines` (NPL ratio, provision coverage and rate, 偏离度)
and the concentration limits of `queries.exposures`; the risk-appetite lines (PAR30, PAR90, the
official migration rates) and the early-warning model's lines (score PSI, AUC) come from the
`alerts.*` settings. docs/alerts.md defines each rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from regulatory.kpi_lines import LINES, MAX, MIN, lines_for
from warehouse.settings import Settings

EXECUTIVE, COMMITTEE, COMPLIANCE = "executive", "risk_committee", "compliance"
ADMIN = "admin"
EVERYONE = frozenset({EXECUTIVE, COMMITTEE, COMPLIANCE})
# The early-warning model's rules: the committee uses the score, admin runs the model's upkeep.
MODEL_AUDIENCE = frozenset({COMMITTEE, ADMIN})
MODEL_PSI, MODEL_AUC = "model.psi", "model.auc"

# The risk-appetite lines set in `postloan.toml` ([alerts]): the KPI metric and its setting.
APPETITE_KPIS: dict[str, str] = {
    "overdue_rate_balance_dpd30": "alerts.par30_max",
    "overdue_rate_balance_dpd90": "alerts.par90_max",
}
MIGRATION_RATES: tuple[str, ...] = (
    "normal_migration_rate",
    "special_mention_migration_rate",
    "substandard_migration_rate",
    "doubtful_migration_rate",
    "performing_migration_rate",
)


@dataclass(frozen=True)
class AlertRule:
    """One rule: its key, the registered query and column it reads, the line and its side."""

    key: str
    query: str  # a `queries.registry` key: the figure the page shows
    metric: str  # the KPI metric, rate column or "ratio" (concentration)
    op: str  # MAX: breached above the line; MIN: breached below it
    line: Decimal | None  # None: the line comes with each figure (concentration limits)
    page: str  # the page script that shows the figure (deep link)
    audience: frozenset[str]
    basis: str  # "regulatory" or "appetite"


def kpi_rules(settings: Settings, entity_type: str | None) -> list[AlertRule]:
    """The headline-ratio rules: the entity type's regulatory lines, then PAR30 and PAR90."""
    rules = [
        AlertRule(
            f"kpi.{line.metric}",
            "portfolio.kpis",
            line.metric,
            line.op,
            line.bound,
            "overview.py",
            EVERYONE,
            "regulatory",
        )
        for line in lines_for(entity_type)
    ]
    rules += [
        AlertRule(
            f"kpi.{metric}",
            "portfolio.kpis",
            metric,
            MAX,
            settings.decimal(key),
            "overdue.py",
            EVERYONE,
            "appetite",
        )
        for metric, key in APPETITE_KPIS.items()
    ]
    return rules


def concentration_rule() -> AlertRule:
    """Every concentration limit of the entity type: one alert per exposure over its limit."""
    return AlertRule(
        "concentration",
        "exposures.concentration",
        "ratio",
        MAX,
        None,
        "overview.py",
        EVERYONE,
        "regulatory",
    )


def migration_rules(settings: Settings) -> list[AlertRule]:
    """The five official migration rates of the month against their `alerts.*_max` lines."""
    return [
        AlertRule(
            f"migration.{rate}",
            "migration.migration_rates",
            rate,
            MAX,
            settings.decimal(f"alerts.{rate}_max"),
            "migration.py",
            audience_of(f"migration.{rate}"),
            "appetite",
        )
        for rate in MIGRATION_RATES
    ]


def model_rules(settings: Settings) -> list[AlertRule]:
    """The early-warning model in force: its score's PSI against the training distribution
    above `alerts.model_psi_max`, its AUC at the latest month-end with a known outcome below
    `alerts.model_auc_min` (subject: the model version)."""
    return [
        AlertRule(
            MODEL_PSI,
            "model_monitoring.score_bins",
            "psi",
            MAX,
            settings.decimal("alerts.model_psi_max"),
            "model_monitoring.py",
            MODEL_AUDIENCE,
            "appetite",
        ),
        AlertRule(
            MODEL_AUC,
            "model_monitoring.performance",
            "auc",
            MIN,
            settings.decimal("alerts.model_auc_min"),
            "model_monitoring.py",
            MODEL_AUDIENCE,
            "appetite",
        ),
    ]


def is_model_rule(rule_key: str) -> bool:
    """True for a rule on the early-warning model (its figure is a PSI or an AUC, not a %)."""
    return rule_key.startswith("model.")


def figure_rules(settings: Settings, entity_type: str | None) -> list[AlertRule]:
    """Every rule on a warehouse figure, in the order the inbox lists them."""
    return [*kpi_rules(settings, entity_type), concentration_rule(), *migration_rules(settings)]


# Rules breached when the figure falls *below* the line (the rest are breached above it).
MIN_RULES: frozenset[str] = frozenset(
    {*(f"kpi.{line.metric}" for line in LINES if line.op == MIN), MODEL_AUC}
)


# Rules on events (a filing, a check run, a proposal, an exposure) rather than a ratio of the
# book: each has its own words and its own unit.
EVENT_PREFIXES: tuple[str, ...] = ("filing.", "checks.", "committee.", "exposure.")


def is_event_rule(rule_key: str) -> bool:
    """True for a rule on an event (its figure is not a ratio against a line)."""
    return rule_key.startswith(EVENT_PREFIXES)


def audience_of(rule_key: str) -> frozenset[str]:
    """The roles an alert of `rule_key` is for (the migration rates: executive and committee)."""
    if rule_key.startswith("migration."):
        return frozenset({EXECUTIVE, COMMITTEE})
    if rule_key.startswith(("filing.", "checks.")):
        return frozenset({COMPLIANCE})
    if rule_key.startswith("committee."):
        return frozenset({COMMITTEE})
    if rule_key.startswith("exposure."):
        return frozenset({EXECUTIVE, COMMITTEE})
    if is_model_rule(rule_key):
        return MODEL_AUDIENCE
    return EVERYONE


def excluded_user(rule_key: str, subject: str) -> str | None:
    """The one user of the audience an alert is not for: a proposal's own proposer."""
    if rule_key == "committee.review":
        return subject.split(":")[1]
    return None


def basis_of(rule_key: str) -> str:
    """ "regulatory" for a line the regulation sets, "appetite" for one the settings set."""
    if (
        rule_key.startswith("migration.")
        or is_model_rule(rule_key)
        or metric_of(rule_key) in APPETITE_KPIS
    ):
        return "appetite"
    if rule_key.startswith("checks."):
        return "data"
    return "regulatory"


def metric_of(rule_key: str) -> str:
    """The figure a rule watches, as the catalogue names it (`m.<metric>`; "ratio" for limits)."""
    return "ratio" if rule_key == "concentration" else rule_key.split(".", 1)[1]


def breached(value: Decimal, line: Decimal, op: str) -> bool:
    """The figure is on the wrong side of its line (the line itself is allowed)."""
    return value > line if op == MAX else value < line


def cleared(value: Decimal, line: Decimal, op: str, band_share: Decimal) -> bool:
    """Back inside the line by the hysteresis band (`band_share` of the line)."""
    band = abs(line) * band_share
    return value <= line - band if op == MAX else value >= line + band


__all__ = ["MAX", "MIN", "AlertRule", "audience_of", "breached", "cleared", "figure_rules"]
