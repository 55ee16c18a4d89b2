"""Build steps of the monitoring marts: contracts, actions and credited receipts, pre-joined.

The 催收 page's figures join each action to its contract's segments, each promise to the
receipts that may keep it, and each receipt to the latest action in the 30 days before it. Done
per page view these joins read the whole `collections` and `receipts` tables several times;
done once per load they leave two narrow tables that `queries/collections.py` filters with
`queries.filters.where` like any summary (docs/monitoring.md has the definitions):

- `contract_segments`: one row per contract with its lessee, segments, cohort, principal, start
  date and month, the month it closed or was written off (`end_idx`, its last row; open from
  `start_idx` up to before it) and first month-end over 90 DPD (if any): what the monitoring
  queries filter on.
- `collection_facts`: one row per action with its contract's segments and cohort, its month, day
  and promise due date (`promised_date`, else the action's day + 30), and 0/1 flags: `attempt`
  (not `legal`), `reached`, `promise`, `kept` (receipts from the action's day to the due date
  reach the promised amount; any receipt when none was promised) and `part` (some receipts, not
  enough), both as `warehouse.marts.promises` defines them for the watch rule too, and
  `spell_start`: the first action of a collection spell (the first action of a month in which
  the contract had actions, the month before having none). Whether a promise is *due* depends on
  the as-of and is left to the query. `cured`: a spell start after which the contract shows DPD
  0 (not written off) at one of the `CURE_HORIZON` month-ends from the spell's month on; the
  query keeps only spells whose month-ends are all past (mature), so the flag never looks beyond
  its as-of.
- `collection_credits`: one row per receipt dated within 30 days on or after an action of its
  contract, credited to the latest such action (channel, collector).
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from warehouse.marts import promises
from warehouse.marts.segments import SEGMENTS, segment_list
from warehouse.settings import Settings

_CM_SEGMENTS = segment_list("cm")
RECOVERY_DAYS = 30
REACHED = ("contacted", "promise_to_pay", "refused", "paid")
_REACHED_SQL = ", ".join(f"'{o}'" for o in REACHED)
CURE_HORIZON = 3
_OFFSETS = " UNION ALL ".join(f"SELECT {k} AS k" for k in range(CURE_HORIZON))
_MONTH = "CAST(EXTRACT(YEAR FROM {t}) * 12 + EXTRACT(MONTH FROM {t}) - 1 AS INTEGER)"
# Nothing after the build's as-of counts (docs/domain.md §2); the load leaves such rows out
# already (`warehouse.extract_cutoff`), this keeps the build right on any source tables.
_AS_OF = "(SELECT as_of FROM _b_params)"
# A contract's segments, cohort and lessee (one row per contract).
_CONTRACT = "contract_segments cm"
# A promise's due date and when it is kept: `warehouse.marts.promises`, as the watch rule's.
_PROMISE = f"'{promises.PROMISE}'"
_KEPT = promises.kept_sql("p.paid", "a.promised_amount")
_PART = promises.partly_kept_sql("p.paid", "a.promised_amount")
_COUNTS = promises.counts_towards_sql("r.received_date", "q.action_day", "q.promise_due", _AS_OF)

CONTRACTS = (
    "contract segments",
    f"""
INSERT INTO contract_segments (
  contract_id, lessee_id, {SEGMENTS}, cohort_month, original_principal, start_date,
  start_idx, end_idx, first_90_idx, first_90_month_end)
SELECT cm.contract_id, cm.lessee_id, {_CM_SEGMENTS}, cm.cohort_month, cm.original_principal,
       c.start_date,
       cm.month_idx, e.month_idx, f.month_idx, f.month_end
FROM contract_month cm
JOIN contracts c ON c.contract_id = cm.contract_id
LEFT JOIN (
  SELECT contract_id, MIN(month_idx) AS month_idx
  FROM contract_month WHERE closed OR written_off GROUP BY contract_id
) e ON e.contract_id = cm.contract_id
LEFT JOIN (
  SELECT contract_id, MIN(month_idx) AS month_idx, MIN(month_end) AS month_end
  FROM contract_month WHERE dpd > 90 GROUP BY contract_id
) f ON f.contract_id = cm.contract_id
WHERE cm.mob = 0
ORDER BY cm.contract_id
""",
)

# The two heavy inputs of the facts are their own statements (scratch tables): in one statement
# with the action rows their hash tables outgrew DuckDB's 4 GB cap at 1,000,000 contracts.
CURED = (
    "collection cures",
    f"""
CREATE TABLE _b_cured AS
-- action months after which the contract shows DPD 0 within {CURE_HORIZON} month-ends
SELECT DISTINCT s.contract_id, s.month_idx
FROM (
  SELECT DISTINCT contract_id, {_MONTH.format(t="action_time")} AS month_idx FROM collections
) s
CROSS JOIN ({_OFFSETS}) o
JOIN contract_month x ON x.contract_id = s.contract_id AND x.month_idx = s.month_idx + o.k
WHERE x.dpd = 0 AND NOT x.written_off
""",
)

PROMISE_PAID = (
    "promise receipts",
    f"""
CREATE TABLE _b_promise_paid AS
SELECT q.action_id, SUM(r.amount) AS paid
FROM (
  SELECT action_id, contract_id, {promises.made_sql("action_time")} AS action_day,
         {promises.due_sql("promised_date", "action_time")} AS promise_due
  FROM collections WHERE outcome = {_PROMISE}
) q
JOIN receipts r ON r.contract_id = q.contract_id AND {_COUNTS}
GROUP BY q.action_id
""",
)

FACTS = (
    "collection facts",
    f"""
INSERT INTO collection_facts (
  action_id, contract_id, lessee_id, {SEGMENTS}, cohort_month, month_idx, action_time,
  action_day, channel, counterparty_role, outcome, collector, promised_amount, promise_due,
  attempt, reached, promise, kept, part, spell_start, cured)
SELECT a.action_id, a.contract_id, cm.lessee_id, {_CM_SEGMENTS}, cm.cohort_month, a.month_idx,
       a.action_time,
       a.action_day, a.channel, a.counterparty_role, a.outcome, a.collector, a.promised_amount,
       a.promise_due,
       CASE WHEN a.channel <> 'legal' THEN 1 ELSE 0 END,
       CASE WHEN a.channel <> 'legal' AND a.outcome IN ({_REACHED_SQL}) THEN 1 ELSE 0 END,
       CASE WHEN a.outcome = {_PROMISE} THEN 1 ELSE 0 END,
       CASE WHEN a.outcome <> {_PROMISE} THEN 0 WHEN {_KEPT} THEN 1 ELSE 0 END,
       CASE WHEN a.outcome = {_PROMISE} AND {_PART} THEN 1 ELSE 0 END,
       CASE WHEN a.nth = 1 AND pm.contract_id IS NULL THEN 1 ELSE 0 END,
       CASE WHEN a.nth = 1 AND pm.contract_id IS NULL AND cu.contract_id IS NOT NULL
            THEN 1 ELSE 0 END
FROM (
  SELECT c.*,
         {_MONTH.format(t="c.action_time")} AS month_idx,
         CAST(c.action_time AS DATE) AS action_day,
         {promises.due_sql("c.promised_date", "c.action_time")} AS promise_due,
         ROW_NUMBER() OVER (PARTITION BY c.contract_id, {_MONTH.format(t="c.action_time")}
                            ORDER BY c.action_time, c.action_id) AS nth
  FROM collections c
  WHERE CAST(c.action_time AS DATE) <= {_AS_OF}
) a
JOIN {_CONTRACT} ON cm.contract_id = a.contract_id
LEFT JOIN (
  SELECT DISTINCT contract_id, {_MONTH.format(t="action_time")} AS month_idx FROM collections
) pm ON pm.contract_id = a.contract_id AND pm.month_idx = a.month_idx - 1
LEFT JOIN _b_cured cu ON cu.contract_id = a.contract_id AND cu.month_idx = a.month_idx
LEFT JOIN _b_promise_paid p ON p.action_id = a.action_id
ORDER BY a.month_idx, a.action_time
""",
)

CREDITS = (
    "collection credits",
    f"""
INSERT INTO collection_credits (
  receipt_id, contract_id, lessee_id, {SEGMENTS}, cohort_month, month_idx, received_date,
  amount, action_id, action_time, channel, collector)
SELECT x.receipt_id, x.contract_id, cm.lessee_id, {_CM_SEGMENTS}, cm.cohort_month,
       {_MONTH.format(t="x.received_date")} AS month_idx,
       x.received_date, x.amount, x.action_id, x.action_time, x.channel, x.collector
FROM (
  SELECT r.receipt_id, r.contract_id, r.received_date, r.amount, a.action_id, a.action_time,
         a.channel, a.collector,
         ROW_NUMBER() OVER (PARTITION BY r.receipt_id
                            ORDER BY a.action_time DESC, a.action_id DESC) AS rn
  FROM receipts r
  JOIN collections a ON a.contract_id = r.contract_id
   AND CAST(a.action_time AS DATE) <= r.received_date
   AND CAST(a.action_time AS DATE) >= r.received_date - {RECOVERY_DAYS}
  WHERE r.received_date <= {_AS_OF}
) x
JOIN {_CONTRACT} ON cm.contract_id = x.contract_id
WHERE x.rn = 1
ORDER BY month_idx, x.received_date
""",
)

STEPS: tuple[tuple[str, str], ...] = (CONTRACTS, CURED, PROMISE_PAID, FACTS, CREDITS)


PREVIOUS_NAME = "previous actions"
PREVIOUS_PARTITIONS: dict[str, tuple[str, ...]] = {
    "any": (),
    "channel": ("channel",),
    "outcome": ("outcome",),
    "channel_outcome": ("channel", "outcome"),
    "collector": ("collector",),
}


def write_previous_actions(conn: Connection, settings: Settings, as_of: date) -> None:
    """Fill `collection_facts.prev_<key>_idx`: the month of the contract's previous action (by
    time, then id) in each `PREVIOUS_PARTITIONS` partition, NULL for its first (no setting)."""
    lags = ", ".join(
        f"LAG(month_idx) OVER (PARTITION BY {', '.join(('contract_id', *cols))} "
        f"ORDER BY action_time, action_id) AS prev_{key}_idx"
        for key, cols in PREVIOUS_PARTITIONS.items()
    )
    sets = ", ".join(f"prev_{key}_idx = p.prev_{key}_idx" for key in PREVIOUS_PARTITIONS)
    conn.execute(sa.text("DROP TABLE IF EXISTS _b_previous"))
    conn.execute(
        sa.text(f"CREATE TABLE _b_previous AS SELECT action_id, {lags} FROM collection_facts")
    )
    conn.execute(
        sa.text(
            f"UPDATE collection_facts SET {sets} FROM _b_previous p "
            "WHERE collection_facts.action_id = p.action_id"
        )
    )
    conn.execute(sa.text("DROP TABLE _b_previous"))
