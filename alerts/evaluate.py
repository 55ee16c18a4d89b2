"""Observations of every figure rule at a month-end, read through the pages' own queries."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pandas as pd
from sqlalchemy.engine import Engine

from alerts.model import model_observations
from alerts.rules import AlertRule, breached, cleared, figure_rules, model_rules
from alerts.state import Observation
from early_warning.monitoring import model_in_force
from early_warning.registry import registry_root
from queries.exposures import entity_type
from queries.filters import Filters
from queries.registry import QUERIES
from warehouse.settings import Settings

BOOK = "book"  # the subject of a rule on the whole book


def _decimal(value: object) -> Decimal | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return Decimal(str(value))


def _observe(
    rule: AlertRule, subject: str, as_of: date, value: object, line: object, band: Decimal
) -> Observation:
    amount, bound = _decimal(value), _decimal(line)
    if amount is None or bound is None:
        return Observation(rule.key, subject, as_of, amount, bound, None, False)
    return Observation(
        rule.key,
        subject,
        as_of,
        amount,
        bound,
        breached(amount, bound, rule.op),
        cleared(amount, bound, rule.op, band),
    )


def observe(
    engine: Engine, as_of: date, settings: Settings
) -> tuple[list[AlertRule], list[Observation]]:
    """The rules in force and one observation per (rule, subject) for the whole book at `as_of`.

    Each figure is the registered query the page runs (`portfolio.kpis`, `exposures.concentration`,
    `migration.migration_rates`, `model_monitoring.*` for the early-warning model in force, when
    one is approved) with no branch scope, so an alert says what the page shows.
    """
    band = settings.decimal("alerts.band_share")
    rules = figure_rules(settings, entity_type(engine))
    book = Filters(as_of=as_of)
    seen: list[Observation] = []
    kpis = QUERIES["portfolio.kpis"](engine, book).set_index("metric")["value"]
    rates = QUERIES["migration.migration_rates"](engine, book, period="month", periods=1)
    latest = rates.iloc[-1] if not rates.empty else None
    for rule in rules:
        if rule.query == "portfolio.kpis":
            seen.append(_observe(rule, BOOK, as_of, kpis.get(rule.metric), rule.line, band))
        elif rule.query == "migration.migration_rates":
            value = None if latest is None else latest[rule.metric]
            seen.append(_observe(rule, BOOK, as_of, value, rule.line, band))
        else:
            conc = QUERIES["exposures.concentration"](engine, book)
            for row in conc.to_dict("records"):
                if row["limit"] is None:
                    continue
                subject = f"{row['kind']}:{row['key'] or ''}"
                seen.append(_observe(rule, subject, as_of, row["ratio"], row["limit"], band))
    model = model_in_force(registry_root(settings))
    if model is not None:
        extra = model_rules(settings)
        rules = [*rules, *extra]
        seen += model_observations(engine, as_of, model, extra, band)
    return rules, seen
