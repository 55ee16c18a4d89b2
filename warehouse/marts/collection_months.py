"""Build step: the 催收 page's action figures per month, from `collection_facts`.

At 1,000,000 contracts a year of actions is 1.8 million `collection_facts` rows, and each of
the page's five action queries (headline and monthly rates, actions by channel, cures, collector
workload) summed them again on every view (about 1 s each on PostgreSQL). Kept once per build:

- `collection_action_month`: the counts per month × branch × channel × outcome × collector ×
  promise due month (NULL unless a promise), with the contracts whose first action of the month
  in each `PREVIOUS_KEYS` partition falls in the group (`first_<key>`). Whether a promise is due
  (its due month at or before the as-of month-end) is left to the query, as are `kept` and
  `part`, counted only for due promises. About ten times fewer rows than the actions.
- `collection_first_month`: for the distinct contracts over a window (overall, per channel, per
  collector), each contract's first action of a month in the partition counted by the month of
  its previous one there (`prev_idx`, NULL for none): a window from month s counts the rows of
  its months with `prev_idx` before s.

- `collection_credit_month`: `collection_credits` (receipts credited to an action within 30
  days) summed per month × branch × channel × collector, for the recoveries and the workload.

Only the branch of the segments is kept (the user's scope and the branch filter): with the six
segments and the cohort the groups are as many as the actions (1.34 million groups for 1.81
million actions at 1,000,000 contracts), so `queries/collections.py` reads `collection_facts`
when any other segment or a cohort range is filtered. Runs after `previous actions`.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from warehouse.marts.monitoring import PREVIOUS_PARTITIONS
from warehouse.settings import Settings

NAME = "collection months"
_MONTH = "CAST(EXTRACT(YEAR FROM {t}) * 12 + EXTRACT(MONTH FROM {t}) - 1 AS INTEGER)"
# The partitions whose distinct contracts the page counts over a window, and their value column.
WINDOW_KEYS: dict[str, str] = {"any": "''", "channel": "channel", "collector": "collector"}


def _first(key: str) -> str:
    """1 when the row is its contract's first action of the month in `key`'s partition."""
    prev = f"prev_{key}_idx"
    return f"CASE WHEN {prev} IS NULL OR {prev} < month_idx THEN 1 ELSE 0 END"


_DUE = f"CASE WHEN promise = 1 THEN {_MONTH.format(t='promise_due')} END"
_SUMS = ", ".join(
    [
        "COUNT(*)",
        *(
            f"SUM({c})"
            for c in ("attempt", "reached", "promise", "kept", "part", "spell_start", "cured")
        ),
        *(f"SUM({_first(k)})" for k in PREVIOUS_PARTITIONS),
    ]
)
_FIRSTS = ", ".join(f"first_{k}" for k in PREVIOUS_PARTITIONS)

ACTION_MONTHS = f"""
INSERT INTO collection_action_month (
  month_idx, branch, channel, outcome, collector, due_idx, actions, attempts, reached, promises,
  kept, part, spells, cured, {_FIRSTS})
SELECT month_idx, branch, channel, outcome, collector, due_idx, {_SUMS}
FROM (SELECT *, {_DUE} AS due_idx FROM collection_facts) f
GROUP BY month_idx, branch, channel, outcome, collector, due_idx
ORDER BY month_idx, branch, channel, outcome, collector, due_idx
"""


def _first_months(key: str, value: str) -> str:
    prev = f"prev_{key}_idx"
    return f"""
INSERT INTO collection_first_month (key, month_idx, branch, value, prev_idx, contracts)
SELECT '{key}', month_idx, branch, value, {prev}, COUNT(*)
FROM (SELECT month_idx, branch, {value} AS value, {prev} FROM collection_facts) f
WHERE {prev} IS NULL OR {prev} < month_idx
GROUP BY month_idx, branch, value, {prev}
ORDER BY month_idx, branch, value, {prev}
"""


CREDIT_MONTHS = """
INSERT INTO collection_credit_month (month_idx, branch, channel, collector, receipts, amount)
SELECT month_idx, branch, channel, collector, COUNT(*), SUM(amount)
FROM collection_credits
GROUP BY month_idx, branch, channel, collector
ORDER BY month_idx, branch, channel, collector
"""


def write_collection_months(conn: Connection, settings: Settings, as_of: date) -> None:
    """Fill `collection_action_month`, `collection_first_month` and `collection_credit_month`
    (no setting)."""
    conn.execute(sa.text(ACTION_MONTHS))
    for key, value in WINDOW_KEYS.items():
        conn.execute(sa.text(_first_months(key, value)))
    conn.execute(sa.text(CREDIT_MONTHS))
