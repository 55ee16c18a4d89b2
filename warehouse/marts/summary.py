"""The last build steps: the summary marts the analytics pages read instead of `contract_month`.

`portfolio_month` adds up `contract_month` per month-end × segments × cohort × DPD bucket × class
(balance figures over rows not written off, docs/domain.md §5; provisions, like the contract
count, over open rows only — neither closed nor written off, the loan-level detail's population —
so a provision the extract gives for a contract's closing month is not counted); `vintage_month`
keeps, per cohort × MOB × segments, the original principal of contracts that reach DPD > 30 /
> 90 for the first time at that MOB, so a query's running sum over MOB carries "ever" status
past a contract's last row (docs/domain.md §6). Rows are written in month order, so DuckDB's
zone maps skip other months.

Coarser copies follow, so queries can read the coarsest table that answers their filters:
`portfolio_segment_month` (no cohort), `portfolio_total_month` (whole book), `segment_values`
(the sidebar's choices), and for the whole book the period transitions behind the migration
matrices and roll rates (`migration_month`, `roll_month`), each pair of month-ends joined once
here rather than on every page view; the same transitions per segment combination
(`migration_segment_month`, `roll_segment_month`) answer segment-filtered migration and roll
rates; the largest exposures per month-end (`concentration_month`) answer the concentration
table; and `vintage_month` summed over every segment (`vintage_total_month`) or all but one
(`vintage_dimension_month`) answer the vintage triangle and the segment comparison.
"""

from __future__ import annotations

from warehouse.marts.segments import SEGMENTS, segment_list
from warehouse.schema import CONCENTRATION_KEPT, SEGMENT_COLUMNS

_C_SEGMENTS = segment_list("c")
# An open row: the contract is neither closed nor written off at the month-end. The contract
# count and the provisions (and their estimated part) are summed over open rows
# (queries.filters.is_open, the detail's).
OPEN_ROW = "NOT (c.closed OR c.written_off)"

PORTFOLIO = (
    "portfolio_month",
    f"""
INSERT INTO portfolio_month (
  month_idx, month_end, {SEGMENTS}, cohort_month, dpd_bucket, risk_class,
  contracts, outstanding, overdue_principal, overdue_interest, provision, provision_estimated,
  new_contracts, new_principal, receipts, writeoff_contracts, writeoff_amount)
SELECT c.month_idx, c.month_end, {_C_SEGMENTS}, c.cohort_month, c.dpd_bucket, c.risk_class,
       SUM(CASE WHEN {OPEN_ROW} THEN 1 ELSE 0 END),
       SUM(CASE WHEN c.written_off THEN 0 ELSE c.outstanding_principal END),
       SUM(CASE WHEN c.written_off THEN 0 ELSE c.overdue_principal END),
       SUM(CASE WHEN c.written_off THEN 0 ELSE c.overdue_interest END),
       SUM(CASE WHEN {OPEN_ROW} THEN c.provision ELSE 0 END),
       SUM(CASE WHEN {OPEN_ROW} AND c.provision_estimated THEN c.provision ELSE 0 END),
       SUM(CASE WHEN c.mob = 0 THEN 1 ELSE 0 END),
       SUM(CASE WHEN c.mob = 0 THEN c.original_principal ELSE 0 END),
       SUM(c.received_to_date - c.received_before),
       SUM(CASE WHEN c.written_off THEN 1 ELSE 0 END),
       SUM(CASE WHEN c.written_off THEN COALESCE(w.amount, c.outstanding_principal) ELSE 0 END)
FROM (
  SELECT cm.*,
         COALESCE(LAG(cm.received_to_date) OVER (PARTITION BY cm.contract_id
                                                 ORDER BY cm.month_idx), 0) AS received_before
  FROM contract_month cm
) c
LEFT JOIN writeoffs w ON w.contract_id = c.contract_id AND c.written_off
GROUP BY c.month_idx, c.month_end, {_C_SEGMENTS}, c.cohort_month, c.dpd_bucket, c.risk_class
ORDER BY c.month_idx
""",
)

_EVER = """COALESCE(MAX(CASE WHEN cm.dpd > {x} THEN 1 ELSE 0 END) OVER (
           PARTITION BY cm.contract_id ORDER BY cm.month_idx
           ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)"""

VINTAGE = (
    "vintage_month",
    f"""
INSERT INTO vintage_month (
  cohort_idx, cohort_month, mob, {SEGMENTS}, cohort_contracts, cohort_principal,
  ever30_principal, ever90_principal, current30_outstanding, current90_outstanding,
  writeoff_amount)
SELECT c.month_idx - c.mob, c.cohort_month, c.mob, {_C_SEGMENTS},
       SUM(CASE WHEN c.mob = 0 THEN 1 ELSE 0 END),
       SUM(CASE WHEN c.mob = 0 THEN c.original_principal ELSE 0 END),
       SUM(CASE WHEN c.dpd > 30 AND c.before30 = 0 THEN c.original_principal ELSE 0 END),
       SUM(CASE WHEN c.dpd > 90 AND c.before90 = 0 THEN c.original_principal ELSE 0 END),
       SUM(CASE WHEN c.dpd > 30 AND NOT c.written_off THEN c.outstanding_principal ELSE 0 END),
       SUM(CASE WHEN c.dpd > 90 AND NOT c.written_off THEN c.outstanding_principal ELSE 0 END),
       SUM(CASE WHEN c.written_off THEN COALESCE(w.amount, c.outstanding_principal) ELSE 0 END)
FROM (
  SELECT cm.*, {_EVER.format(x=30)} AS before30, {_EVER.format(x=90)} AS before90
  FROM contract_month cm
) c
LEFT JOIN writeoffs w ON w.contract_id = c.contract_id AND c.written_off
GROUP BY c.month_idx - c.mob, c.cohort_month, c.mob, {_C_SEGMENTS}
HAVING SUM(CASE WHEN c.mob = 0 OR c.dpd > 30 OR c.written_off THEN 1 ELSE 0 END) > 0
ORDER BY 1, 3
""",
)

_VINTAGE = (
    "cohort_contracts, cohort_principal, ever30_principal, ever90_principal, "
    "current30_outstanding, current90_outstanding, writeoff_amount"
)
_VINTAGE_SUMS = ", ".join(f"SUM({c})" for c in _VINTAGE.split(", "))

VINTAGE_TOTAL = (
    "vintage_total_month",
    f"""
INSERT INTO vintage_total_month (cohort_idx, cohort_month, mob, {_VINTAGE})
SELECT cohort_idx, cohort_month, mob, {_VINTAGE_SUMS}
FROM vintage_month
GROUP BY cohort_idx, cohort_month, mob
ORDER BY cohort_idx, mob
""",
)

VINTAGE_DIMENSION = (
    "vintage_dimension_month",
    f"""
INSERT INTO vintage_dimension_month (dimension, value, cohort_idx, cohort_month, mob, {_VINTAGE})
"""
    + "\nUNION ALL\n".join(
        f"SELECT '{name}', {name}, cohort_idx, cohort_month, mob, {_VINTAGE_SUMS}\n"
        f"FROM vintage_month GROUP BY {name}, cohort_idx, cohort_month, mob"
        for name in SEGMENT_COLUMNS
    )
    + "\nORDER BY 1, 2, 3, 5",
)

_MEASURES = (
    "contracts, outstanding, overdue_principal, overdue_interest, provision, "
    "provision_estimated, new_contracts, new_principal, receipts, writeoff_contracts, "
    "writeoff_amount"
)
_SUMS = ", ".join(f"SUM({c})" for c in _MEASURES.split(", "))

PORTFOLIO_SEGMENT = (
    "portfolio_segment_month",
    f"""
INSERT INTO portfolio_segment_month (month_idx, month_end, {SEGMENTS}, dpd_bucket, risk_class,
                                     {_MEASURES})
SELECT month_idx, month_end, {SEGMENTS}, dpd_bucket, risk_class, {_SUMS}
FROM portfolio_month
GROUP BY month_idx, month_end, {SEGMENTS}, dpd_bucket, risk_class
ORDER BY month_idx
""",
)

PORTFOLIO_TOTAL = (
    "portfolio_total_month",
    f"""
INSERT INTO portfolio_total_month (month_idx, month_end, dpd_bucket, risk_class, {_MEASURES})
SELECT month_idx, month_end, dpd_bucket, risk_class, {_SUMS}
FROM portfolio_segment_month
GROUP BY month_idx, month_end, dpd_bucket, risk_class
ORDER BY month_idx
""",
)

SEGMENT_VALUES = (
    "segment_values",
    "INSERT INTO segment_values (dimension, value)\n"
    + "\nUNION\n".join(
        f"SELECT '{name}', {name} FROM portfolio_segment_month" for name in SEGMENT_COLUMNS
    )
    + "\nORDER BY 1, 2",
)

# Every (beginning, end) pair a migration or roll-rate query can ask for: the previous month-end
# (month), the previous quarter-end (quarter) and the previous 31 December (ytd).
_PERIODS = """
  SELECT 'month' AS period, month_idx - 1 AS begin_idx, month_idx AS end_idx FROM month_ends
  UNION ALL
  SELECT 'quarter', month_idx - MOD(month_idx, 3) - 1, month_idx FROM month_ends
  UNION ALL
  SELECT 'ytd', month_idx - MOD(month_idx, 12) - 1, month_idx FROM month_ends"""

_B_SEGMENTS = segment_list("b")
# Group by every output column but the sums: period, end_idx, the segments, the four keys.
_TRANS_KEYS = ", ".join(str(n) for n in range(1, 2 + len(SEGMENT_COLUMNS) + 4 + 1))

TRANSITIONS = (
    "period transitions",
    f"""
CREATE TABLE _b_trans AS
SELECT p.period, p.end_idx, {_B_SEGMENTS}, b.risk_class AS begin_class,
       CASE WHEN e.closed OR e.written_off THEN NULL ELSE e.risk_class END AS end_class,
       b.dpd_bucket AS from_bucket,
       CASE WHEN e.contract_id IS NULL THEN 'closed' WHEN e.written_off THEN 'written_off'
            WHEN e.closed THEN 'closed' ELSE e.dpd_bucket END AS to_bucket,
       COUNT(*) AS contracts,
       SUM(b.outstanding_principal) AS begin_balance,
       COALESCE(SUM(CASE WHEN NOT e.closed AND NOT e.written_off
                         THEN e.outstanding_principal END), 0) AS balance
FROM ({_PERIODS}
) p
JOIN contract_month b ON b.month_idx = p.begin_idx
LEFT JOIN contract_month e ON e.contract_id = b.contract_id AND e.month_idx = p.end_idx
WHERE NOT b.closed AND NOT b.written_off
GROUP BY {_TRANS_KEYS}
""",
)

MIGRATION_SEGMENT = (
    "migration_segment_month",
    f"""
INSERT INTO migration_segment_month (period, month_idx, {SEGMENTS}, begin_class, end_class,
                                     contracts, begin_balance, balance)
SELECT period, end_idx, {SEGMENTS}, begin_class, end_class,
       SUM(contracts), SUM(begin_balance), SUM(balance)
FROM _b_trans
GROUP BY period, end_idx, {SEGMENTS}, begin_class, end_class
ORDER BY period, end_idx
""",
)

MIGRATION = (
    "migration_month",
    """
INSERT INTO migration_month (period, month_idx, begin_class, end_class, contracts, begin_balance,
                             balance)
SELECT period, month_idx, begin_class, end_class, SUM(contracts), SUM(begin_balance), SUM(balance)
FROM migration_segment_month
GROUP BY period, month_idx, begin_class, end_class
ORDER BY period, month_idx
""",
)

# Exposure per lessee and month-end (rows not written off), with what concentration needs.
EXPOSURE = (
    "exposures by lessee",
    """
CREATE TABLE _b_exposure AS
SELECT x.month_idx, x.lessee_id, x.outstanding, l.group_id, l.related_party,
       CASE WHEN l.lessee_type = 'corporate' THEN l.name END AS name
FROM (
  SELECT month_idx, lessee_id, SUM(outstanding_principal) AS outstanding
  FROM contract_month
  WHERE NOT written_off
  GROUP BY month_idx, lessee_id
  HAVING SUM(outstanding_principal) > 0
) x
JOIN lessees l ON l.lessee_id = x.lessee_id
""",
)

_PLACE = "ROW_NUMBER() OVER (PARTITION BY month_idx ORDER BY {by} DESC, {key})"

CONCENTRATION = (
    "concentration_month",
    f"""
INSERT INTO concentration_month (month_idx, kind, place, key, name, lessees, outstanding)
SELECT month_idx, kind, place, key, name, lessees, outstanding
FROM (
  SELECT month_idx, 'lessee' AS kind, {_PLACE.format(by="outstanding", key="lessee_id")} AS place,
         lessee_id AS key, name, 1 AS lessees, outstanding
  FROM _b_exposure
  UNION ALL
  SELECT month_idx, 'related_party', {_PLACE.format(by="outstanding", key="lessee_id")},
         lessee_id, name, 1, outstanding
  FROM _b_exposure
  WHERE related_party
  UNION ALL
  SELECT month_idx, 'group', {_PLACE.format(by="SUM(outstanding)", key="group_id")},
         group_id, NULL, COUNT(*), SUM(outstanding)
  FROM _b_exposure
  WHERE group_id IS NOT NULL
  GROUP BY month_idx, group_id
) ranked
WHERE place <= {CONCENTRATION_KEPT}
UNION ALL
SELECT month_idx, 'related_parties_total', 1, NULL, NULL, COUNT(*), SUM(outstanding)
FROM _b_exposure
WHERE related_party
GROUP BY month_idx
ORDER BY 1, 2, 3
""",
)

ROLL_SEGMENT = (
    "roll_segment_month",
    f"""
INSERT INTO roll_segment_month (month_idx, {SEGMENTS}, from_bucket, to_bucket, contracts,
                                balance, balance_at_t)
SELECT end_idx, {SEGMENTS}, from_bucket, to_bucket,
       SUM(contracts), SUM(begin_balance), SUM(balance)
FROM _b_trans
WHERE period = 'month'
GROUP BY end_idx, {SEGMENTS}, from_bucket, to_bucket
ORDER BY end_idx
""",
)

ROLL = (
    "roll_month",
    """
INSERT INTO roll_month (month_idx, from_bucket, to_bucket, contracts, balance, balance_at_t)
SELECT month_idx, from_bucket, to_bucket, SUM(contracts), SUM(balance), SUM(balance_at_t)
FROM roll_segment_month
GROUP BY month_idx, from_bucket, to_bucket
ORDER BY month_idx
""",
)

STEPS: tuple[tuple[str, str], ...] = (
    PORTFOLIO,
    VINTAGE,
    PORTFOLIO_SEGMENT,
    PORTFOLIO_TOTAL,
    SEGMENT_VALUES,
    TRANSITIONS,
    MIGRATION_SEGMENT,
    MIGRATION,
    ROLL_SEGMENT,
    ROLL,
    EXPOSURE,
    CONCENTRATION,
    VINTAGE_TOTAL,
    VINTAGE_DIMENSION,
)
