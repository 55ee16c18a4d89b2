"""Build steps 1–5: where each contract stands at each month-end (DOMAIN.md §2).

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

STEPS: tuple[tuple[str, str], ...] = (
    (
        "contracts",
        f"""
CREATE TABLE _b_contract AS
SELECT c.contract_id, c.lessee_id, c.product, c.asset_category, c.branch, c.start_date,
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
        "schedule versions",
        f"""
CREATE TABLE _b_version AS
SELECT v.contract_id, v.vf, v.vt, v.total_principal, v.total_due, v.last_due,
       COALESCE(SUM(r.amount), 0) AS base_received
FROM (SELECT contract_id,
             COALESCE(valid_from, {OPEN_FROM}) AS vf,
             COALESCE(valid_to, {OPEN_TO}) AS vt,
             SUM(principal_due) AS total_principal,
             SUM(principal_due + interest_due) AS total_due,
             MAX(due_date) AS last_due
      FROM schedule
      GROUP BY contract_id, COALESCE(valid_from, {OPEN_FROM}), COALESCE(valid_to, {OPEN_TO})) v
LEFT JOIN receipts r ON r.contract_id = v.contract_id AND r.received_date < v.vf
GROUP BY v.contract_id, v.vf, v.vt, v.total_principal, v.total_due, v.last_due
""",
    ),
    (
        "installments",
        f"""
CREATE TABLE _b_inst AS
SELECT contract_id, vf, installment_no, due_date, principal_due, interest_due, ord,
       cum_due, cum_principal, cum_interest,
       cum_due - principal_due - interest_due AS prev_cum_due,
       next_due
FROM (
  SELECT s.contract_id, COALESCE(s.valid_from, {OPEN_FROM}) AS vf, s.installment_no,
         s.due_date, s.principal_due, s.interest_due,
         ROW_NUMBER() OVER w AS ord,
         SUM(s.principal_due + s.interest_due) OVER w AS cum_due,
         SUM(s.principal_due) OVER w AS cum_principal,
         SUM(s.interest_due) OVER w AS cum_interest,
         LEAD(s.due_date) OVER w AS next_due
  FROM schedule s
  WINDOW w AS (PARTITION BY s.contract_id, COALESCE(s.valid_from, {OPEN_FROM})
               ORDER BY s.due_date, s.installment_no {RUNNING})
) x
""",
    ),
    (
        "receipts by month",
        f"""
CREATE TABLE _b_rm AS
SELECT contract_id, {midx("received_date")} AS month_idx, SUM(amount) AS amount
FROM receipts
GROUP BY contract_id, {midx("received_date")}
""",
    ),
    (
        "contract-month skeleton",
        f"""
CREATE TABLE _b_cm0 AS
SELECT c.contract_id, m.month_idx, m.month_end, v.vf, v.total_principal, v.total_due,
       SUM(COALESCE(rm.amount, 0)) OVER (PARTITION BY c.contract_id ORDER BY m.month_idx {RUNNING})
         AS received_total,
       v.base_received
FROM _b_contract c
CROSS JOIN _b_params p
JOIN month_ends m
  ON m.month_idx >= c.start_idx
 AND m.month_idx <= p.as_of_idx
 AND (c.wo_idx IS NULL OR m.month_idx <= c.wo_idx)
JOIN _b_version v
  ON v.contract_id = c.contract_id AND v.vf <= m.month_end AND m.month_end < v.vt
LEFT JOIN _b_rm rm ON rm.contract_id = c.contract_id AND rm.month_idx = m.month_idx
""",
    ),
    (
        "allocation",
        """
CREATE TABLE _b_pos AS
SELECT b.contract_id, b.month_idx, b.month_end, b.vf, b.total_principal, b.total_due,
       b.received_total, b.received_total - b.base_received AS received,
       a.contract_id IS NULL AS a_paid,
       a.cum_principal - a.principal_due AS a_prev_principal,
       a.principal_due AS a_principal, a.interest_due AS a_interest, a.prev_cum_due AS a_prev_due,
       k.contract_id IS NULL AS paid_all,
       k.due_date AS oldest_unpaid_due,
       COALESCE(d.cum_principal, 0) AS principal_due_before,
       COALESCE(d.cum_interest, 0) AS interest_due_before
FROM _b_cm0 b
CROSS JOIN _b_params p
LEFT JOIN _b_inst a
  ON a.contract_id = b.contract_id AND a.vf = b.vf
 AND a.prev_cum_due <= b.received_total - b.base_received
 AND a.cum_due > b.received_total - b.base_received
LEFT JOIN _b_inst k
  ON k.contract_id = b.contract_id AND k.vf = b.vf
 AND k.prev_cum_due <= b.received_total - b.base_received + p.tol
 AND k.cum_due > b.received_total - b.base_received + p.tol
LEFT JOIN _b_inst d
  ON d.contract_id = b.contract_id AND d.vf = b.vf
 AND d.due_date < b.month_end AND (d.next_due IS NULL OR d.next_due >= b.month_end)
""",
    ),
    (
        "balances and DPD",
        """
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
         CASE WHEN x.oldest_unpaid_due IS NOT NULL AND x.oldest_unpaid_due < x.month_end
              THEN CAST(x.month_end - x.oldest_unpaid_due AS INTEGER) ELSE 0 END AS dpd
  FROM (
    SELECT pos.*,
           MIN(CASE WHEN pos.paid_all THEN pos.month_idx END)
             OVER (PARTITION BY pos.contract_id) AS closed_idx
    FROM _b_pos pos
  ) x
  WHERE x.closed_idx IS NULL OR x.month_idx <= x.closed_idx
) y
""",
    ),
)
