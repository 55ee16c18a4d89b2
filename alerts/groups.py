"""Open alerts of one rule read as one group: the inbox card and the e-mail of an evaluation.

At real volume one rule opens many alerts at once (the demo: 44 large exposures with a
high-severity signal, one per contract), which as one card or one e-mail each drown the two
that matter. A group is every alert of one rule (the rule fixes the figure, its line and the
basis of the line, so alerts of one rule weigh alike); inside it the one to look at first
comes first: firing before acknowledged, then the worst (the furthest past its line; a large
exposure by its size; a filing by the fewest working days left), then the newest.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation
from typing import TypeVar

from alerts.rules import MIN_RULES, is_event_rule

T = TypeVar("T")


def _number(value: object) -> Decimal | None:
    if value is None:
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def severity(rule: str, value: object, line: object) -> Decimal:
    """How bad one alert of `rule` is, larger is worse: the distance past its line (below it
    for a rule with a floor), a large exposure's outstanding, a filing's working days left
    negated, a data-check run's blocking failures; an alert without a figure ranks last."""
    seen, limit = _number(value), _number(line)
    if seen is None:
        return Decimal("-Infinity")
    if rule.startswith("filing."):
        return -seen  # fewer working days left to the deadline is worse
    if is_event_rule(rule) or limit is None:
        return seen
    return limit - seen if rule in MIN_RULES else seen - limit


def grouped(
    items: Iterable[T],
    rule: Callable[[T], str],
    key: Callable[[T], tuple],
) -> list[list[T]]:
    """`items` in groups of one rule, each sorted by `key` (smallest first); the groups in the
    order their first item comes in `items` (the inbox: firing first, newest first). A group of
    one is a group too."""
    groups: dict[str, list[T]] = {}
    for item in items:
        groups.setdefault(rule(item), []).append(item)
    return [sorted(members, key=key) for members in groups.values()]
