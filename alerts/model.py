"""Observations of the early-warning model's rules (`model.psi`, `model.auc`), read through the
monitoring page's own queries (`queries.model_monitoring`, `early_warning.monitoring`).

- `model.psi`: the PSI of the score at the evaluated month-end against the training distribution
  kept in the card of the version in force. No scores there, or a card written before the
  reference was kept: no figure (nothing opens or closes, and the run says so).
- `model.auc`: the AUC at the latest month-end up to the evaluated one whose 6-month outcome is
  known. Its period is the evaluated month-end, like every figure rule's: at that as-of the page
  shows the measured month-end as the latest known one (at the measured month-end itself its
  outcome is not yet known). None yet (a model scored only recent month-ends): no figure.

The subject is the model version: an alert on a version no longer in force resolves (both rules
are complete, `alerts.run.COMPLETE_RULES`).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy.engine import Engine

from alerts.rules import MODEL_AUC, MODEL_PSI, AlertRule, breached, cleared
from alerts.state import Observation
from early_warning.monitoring import ModelInForce, latest_auc, latest_psi
from queries.filters import Filters

MODEL_RULES: tuple[str, ...] = (MODEL_PSI, MODEL_AUC)


def _seen(
    rule: AlertRule, version: str, period: date, value: float | None, band: Decimal
) -> Observation:
    line = rule.line
    if value is None or line is None:
        return Observation(rule.key, version, period, None, line, None, False)
    amount = Decimal(str(round(float(value), 6)))
    return Observation(
        rule.key,
        version,
        period,
        amount,
        line,
        breached(amount, line, rule.op),
        cleared(amount, line, rule.op, band),
    )


def model_observations(
    engine: Engine, as_of: date, model: ModelInForce, rules: list[AlertRule], band: Decimal
) -> list[Observation]:
    """One observation per model rule of `rules` for the version in force at `as_of`."""
    book = Filters(as_of=as_of)
    seen: list[Observation] = []
    for rule in rules:
        if rule.key == MODEL_PSI:
            psi = latest_psi(engine, book, model)
            value = None if psi is None else psi["psi"]
            seen.append(_seen(rule, model.version, as_of, value, band))
        elif rule.key == MODEL_AUC:
            auc = latest_auc(engine, book, model.version)
            value = None if auc is None else auc["auc"]
            seen.append(_seen(rule, model.version, as_of, value, band))
    return seen
