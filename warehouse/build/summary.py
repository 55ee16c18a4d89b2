"""Build steps 13-14: the summary marts the analytics pages read instead of `contract_month`.

`portfolio_month` adds up `contract_month` per month-end × segments × cohort × DPD bucket × class
(balance figures over rows not written off, DOMAIN.md §5); `vintage_month` keeps, per cohort ×
MOB × segments, the original principal of contracts that reach DPD > 30 / > 90 for the first
time at that MOB, so a query's running sum over MOB carries "ever" status past a contract's last
row (DOMAIN.md §6). Rows are written in month order, so DuckDB's zone maps skip other months.
"""

from __future__ import annotations

SEGMENTS = "product, lessee_type, industry, region, branch, asset_category"

PORTFOLIO = (
    "portfolio_month",
    f"""
INSERT INTO portfolio_month (
  month_idx, month_end, {SEGMENTS}, cohort_month, dpd_bucket, risk_class,
  contracts, outstanding, overdue_principal, overdue_interest, provision,
  new_contracts, new_principal, receipts, writeoff_contracts, writeoff_amount)
SELECT c.month_idx, c.month_end, c.product, c.lessee_type, c.industry, c.region, c.branch,
       c.asset_category, c.cohort_month, c.dpd_bucket, c.risk_class,
       SUM(CASE WHEN c.closed OR c.written_off THEN 0 ELSE 1 END),
       SUM(CASE WHEN c.written_off THEN 0 ELSE c.outstanding_principal END),
       SUM(CASE WHEN c.written_off THEN 0 ELSE c.overdue_principal END),
       SUM(CASE WHEN c.written_off THEN 0 ELSE c.overdue_interest END),
       SUM(CASE WHEN c.written_off THEN 0 ELSE c.provision END),
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
GROUP BY c.month_idx, c.month_end, c.product, c.lessee_type, c.industry, c.region, c.branch,
         c.asset_category, c.cohort_month, c.dpd_bucket, c.risk_class
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
  ever30_principal, ever90_principal, current30_outstanding, writeoff_amount)
SELECT c.month_idx - c.mob, c.cohort_month, c.mob, c.product, c.lessee_type, c.industry,
       c.region, c.branch, c.asset_category,
       SUM(CASE WHEN c.mob = 0 THEN 1 ELSE 0 END),
       SUM(CASE WHEN c.mob = 0 THEN c.original_principal ELSE 0 END),
       SUM(CASE WHEN c.dpd > 30 AND c.before30 = 0 THEN c.original_principal ELSE 0 END),
       SUM(CASE WHEN c.dpd > 90 AND c.before90 = 0 THEN c.original_principal ELSE 0 END),
       SUM(CASE WHEN c.dpd > 30 AND NOT c.written_off THEN c.outstanding_principal ELSE 0 END),
       SUM(CASE WHEN c.written_off THEN COALESCE(w.amount, c.outstanding_principal) ELSE 0 END)
FROM (
  SELECT cm.*, {_EVER.format(x=30)} AS before30, {_EVER.format(x=90)} AS before90
  FROM contract_month cm
) c
LEFT JOIN writeoffs w ON w.contract_id = c.contract_id AND c.written_off
GROUP BY c.month_idx - c.mob, c.cohort_month, c.mob, c.product, c.lessee_type, c.industry,
         c.region, c.branch, c.asset_category
HAVING SUM(CASE WHEN c.mob = 0 OR c.dpd > 30 OR c.written_off THEN 1 ELSE 0 END) > 0
ORDER BY 1, 3
""",
)

STEPS: tuple[tuple[str, str], ...] = (PORTFOLIO, VINTAGE)
