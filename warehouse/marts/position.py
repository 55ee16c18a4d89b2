"""Build steps 1–5: where each contract stands at each month-end (docs/domain.md §2).

Receipts are applied oldest installment first, interest before principal, against the schedule
version in force. Set-wise: with a version's installments in due-date order, the cumulative amount
due after each one compared with the cumulative amount received says which installment is the
oldest unpaid one and how much principal has been repaid. Each step is one CREATE TABLE AS over
`_b_params` (one row of settings), so no value is ever spliced into SQL text.
"""

from __future__ import annotations


def midx(expr: str) -> str:
    """SQL for the month index (year * 12 + month - 1) of a date expression."""
    return (
        f"(CAST(EXTRACT(YEAR FROM {expr}) AS INTEGER) * 12"
        f" + CAST(EXTRACT(MONTH FROM {expr}) AS INTEGER) - 1)"
    )


OPEN_FROM = "DATE '1900-01-01'"
OPEN_TO = "DATE '9999-12-31'"
RUNNING = "ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW"
# Running sums of NUMERIC(18, 2) come back wider (DuckDB: 128-bit); any sum of one contract's
# money fits 18 digits, and 64-bit decimals are cheaper to compare, join, sort and store.
MONEY = "DECIMAL(18, 2)"


def _installment_reached(table: str, received: str, columns: str) -> str:
    """SQL creating `table`: per contract-month, `columns` of the last installment (in due order)
    whose amount due before it is covered by `received` (an expression over `_b_cm0 b` and
    `_b_params p`): the oldest installment not fully paid, or the last one when all are."""
    return f"""
CREATE TABLE {table} AS
SELECT w.ck, w.month_idx, {columns}
FROM (
  SELECT u.*, MAX(u.ord) OVER (PARTITION BY u.ck, u.vf ORDER BY u.amt_key, u.is_month, u.ord
                               {RUNNING}) AS reached
  FROM (
    SELECT ck, vf, prev_cum_due AS amt_key, 0 AS is_month, ord, 0 AS month_idx FROM _b_inst
    UNION ALL
    SELECT b.ck, b.vf, {received}, 1, 0, b.month_idx FROM _b_cm0 b CROSS JOIN _b_params p
  ) u
) w
JOIN _b_inst i ON i.ck = w.ck AND i.vf = w.vf AND i.ord = w.reached
WHERE w.is_month = 1
"""


STEPS: tuple[tuple[str, str], ...] = (
    (
        "contracts",
        f"""
CREATE TABLE _b_contract AS
SELECT ROW_NUMBER() OVER (ORDER BY c.contract_id) AS ck,
       c.contract_id, c.lessee_id, c.product, c.asset_category, c.branch, c.start_date,
       c.principal, l.lessee_type, l.industry, l.region,
       {midx("c.start_date")} AS start_idx,
       w.writeoff_date,
       {midx("w.writeoff_date")} AS wo_idx
FROM contracts c
JOIN lessees l ON l.lessee_id = c.lessee_id
LEFT JOIN (SELECT contract_id, MIN(writeoff_date) AS writeoff_date
           FROM writeoffs GROUP BY contract_id) w ON w.contract_id = c.contract_id
CROSS JOIN _b_params p
WHERE c.start_date <= p.as_of
""",
    ),
    (
        "installments",
        f"""
CREATE TABLE _b_inst AS
SELECT ck, vf, vt, installment_no, due_date, principal_due, interest_due, ord,
       cum_due, cum_principal, cum_interest,
       cum_due - principal_due - interest_due AS prev_cum_due
FROM (
  SELECT k.ck, COALESCE(s.valid_from, {OPEN_FROM}) AS vf, COALESCE(s.valid_to, {OPEN_TO}) AS vt,
         s.installment_no, s.due_date, s.principal_due, s.interest_due,
         ROW_NUMBER() OVER w AS ord,
         CAST(SUM(s.principal_due + s.interest_due) OVER w AS {MONEY}) AS cum_due,
         CAST(SUM(s.principal_due) OVER w AS {MONEY}) AS cum_principal,
         CAST(SUM(s.interest_due) OVER w AS {MONEY}) AS cum_interest
  FROM schedule s
  JOIN _b_contract k ON k.contract_id = s.contract_id
  WINDOW w AS (PARTITION BY k.ck, COALESCE(s.valid_from, {OPEN_FROM})
               ORDER BY s.due_date, s.installment_no {RUNNING})
) x
""",
    ),
    (
        "receipts by month",
        f"""
CREATE TABLE _b_rm AS
SELECT k.ck, {midx("r.received_date")} AS month_idx, CAST(SUM(r.amount) AS {MONEY}) AS amount
FROM receipts r
JOIN _b_contract k ON k.contract_id = r.contract_id
GROUP BY k.ck, {midx("r.received_date")}
""",
    ),
    (
        "schedule versions",
        f"""
CREATE TABLE _b_version AS
SELECT v.ck, v.vf, v.vt, v.total_principal, v.total_due, v.last_due,
       CAST(COALESCE(SUM(r.amount), 0) AS {MONEY}) AS base_received
FROM (SELECT ck, vf, MAX(vt) AS vt, CAST(SUM(principal_due) AS {MONEY}) AS total_principal,
             CAST(SUM(principal_due + interest_due) AS {MONEY}) AS total_due,
             MAX(due_date) AS last_due
      FROM _b_inst GROUP BY ck, vf) v
LEFT JOIN (SELECT k.ck, r.received_date, r.amount
           FROM receipts r
           JOIN _b_contract k ON k.contract_id = r.contract_id
           WHERE k.ck IN (SELECT ck FROM _b_inst WHERE vt < DATE '9999-12-31')) r
  ON r.ck = v.ck AND r.received_date < v.vf
GROUP BY v.ck, v.vf, v.vt, v.total_principal, v.total_due, v.last_due
""",
    ),
    (
        "contract-month skeleton",
        f"""
CREATE TABLE _b_cm0 AS
SELECT c.ck, m.month_idx, m.month_end, v.vf, v.total_principal, v.total_due,
       CAST(SUM(COALESCE(rm.amount, 0)) OVER (PARTITION BY c.ck ORDER BY m.month_idx {RUNNING})
            AS {MONEY}) AS received_total,
       v.base_received
FROM _b_contract c
CROSS JOIN _b_params p
JOIN month_ends m
  ON m.month_idx >= c.start_idx
 AND m.month_idx <= p.as_of_idx
 AND (c.wo_idx IS NULL OR m.month_idx <= c.wo_idx)
JOIN _b_version v
  ON v.ck = c.ck AND v.vf <= m.month_end AND m.month_end < v.vt
LEFT JOIN _b_rm rm ON rm.ck = c.ck AND rm.month_idx = m.month_idx
""",
    ),
    # Which installment a month-end falls in is found by merging installments and month rows
    # into one ordered stream per version and carrying the last installment seen forward: a
    # sort instead of a join of every month with every installment.
    (
        "oldest unpaid installment",
        _installment_reached(
            "_b_pa",
            "b.received_total - b.base_received",
            """i.cum_due AS a_cum_due, i.cum_principal - i.principal_due AS a_prev_principal,
       i.principal_due AS a_principal, i.interest_due AS a_interest,
       i.prev_cum_due AS a_prev_due, i.due_date AS a_due""",
        ),
    ),
    (
        "oldest unpaid installment beyond the tolerance",
        _installment_reached(
            "_b_pb",
            "b.received_total - b.base_received + p.tol",
            "i.cum_due AS b_cum_due, i.due_date AS b_due",
        ),
    ),
    (
        "installments due before the month-end",
        f"""
CREATE TABLE _b_pd AS
SELECT w.ck, w.month_idx, COALESCE(i.cum_principal, 0) AS principal_due_before,
       COALESCE(i.cum_interest, 0) AS interest_due_before
FROM (
  SELECT u.*, MAX(u.ord) OVER (PARTITION BY u.ck, u.vf ORDER BY u.day_key, u.is_inst, u.ord
                               {RUNNING}) AS d_ord
  FROM (
    SELECT ck, vf, due_date AS day_key, 1 AS is_inst, ord, 0 AS month_idx FROM _b_inst
    UNION ALL
    SELECT ck, vf, month_end, 0, 0, month_idx FROM _b_cm0
  ) u
) w
LEFT JOIN _b_inst i ON i.ck = w.ck AND i.vf = w.vf AND i.ord = w.d_ord
WHERE w.is_inst = 0
""",
    ),
    ("balances and DPD", ""),  # built by balances_step(), which knows the tolerance
)

# Where each contract-month stands: the allocation (received against the version in force, the
# oldest unpaid installment with and without the tolerance, installments due before the
# month-end) in one pass with the balances and DPD that follow from it, and rows after the
# contract closes dropped.
_ALLOCATION = """
    SELECT b.ck, b.month_idx, b.month_end, b.vf, b.total_principal, b.total_due,
           b.received_total, b.received_total - b.base_received AS received,
           pa.a_cum_due <= b.received_total - b.base_received AS a_paid,
           pa.a_prev_principal, pa.a_principal, pa.a_interest, pa.a_prev_due,
           {paid_all} <= b.received_total - b.base_received + p.tol AS paid_all,
           {unpaid_due} AS oldest_unpaid_due,
           pd.principal_due_before, pd.interest_due_before
    FROM _b_cm0 b
    CROSS JOIN _b_params p
    JOIN _b_pa pa ON pa.ck = b.ck AND pa.month_idx = b.month_idx
    {join_pb}
    JOIN _b_pd pd ON pd.ck = b.ck AND pd.month_idx = b.month_idx"""

BALANCES = """
CREATE TABLE _b_cm1 AS
SELECT y.*,
       CASE WHEN y.dpd > 0 THEN GREATEST(y.principal_due_before - y.principal_repaid, 0)
            ELSE 0 END AS overdue_principal,
       CASE WHEN y.dpd > 0
            THEN GREATEST(y.interest_due_before - (y.applied - y.principal_repaid), 0)
            ELSE 0 END AS overdue_interest,
       CASE WHEN y.paid_all THEN 0 ELSE y.total_principal - y.principal_repaid END
         AS outstanding_principal
FROM (
  SELECT x.*,
         CASE WHEN x.a_paid THEN x.total_principal
              ELSE x.a_prev_principal + LEAST(x.a_principal,
                     GREATEST(x.received - x.a_prev_due - x.a_interest, 0)) END
           AS principal_repaid,
         LEAST(x.received, x.total_due) AS applied,
         CASE WHEN NOT x.paid_all AND x.oldest_unpaid_due < x.month_end
              THEN CAST(x.month_end - x.oldest_unpaid_due AS INTEGER) ELSE 0 END AS dpd
  FROM (
    SELECT pos.*,
           MIN(CASE WHEN pos.paid_all THEN pos.month_idx END)
             OVER (PARTITION BY pos.ck) AS closed_idx
    FROM ({allocation}
    ) pos
  ) x
  WHERE x.closed_idx IS NULL OR x.month_idx <= x.closed_idx
) y
"""


def balances_step(tolerance_is_zero: bool) -> tuple[str, str]:
    """The balances step; with no tolerance the oldest unpaid installment is `_b_pa`'s."""
    if tolerance_is_zero:
        allocation = _ALLOCATION.format(paid_all="pa.a_cum_due", unpaid_due="pa.a_due", join_pb="")
    else:
        allocation = _ALLOCATION.format(
            paid_all="pb.b_cum_due",
            unpaid_due="pb.b_due",
            join_pb="JOIN _b_pb pb ON pb.ck = b.ck AND pb.month_idx = b.month_idx",
        )
    return ("balances and DPD", BALANCES.format(allocation=allocation))


def steps(tolerance_is_zero: bool) -> tuple[tuple[str, str], ...]:
    """The position steps; with no tolerance the second oldest-unpaid pass is not needed."""
    skip = "oldest unpaid installment beyond the tolerance" if tolerance_is_zero else None
    return tuple(
        balances_step(tolerance_is_zero) if name == "balances and DPD" else (name, sql)
        for name, sql in STEPS
        if name != skip
    )
