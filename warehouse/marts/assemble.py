"""Build step 12: write the `contract_month` mart from the intermediate tables.

Rows go in month order (then contract key, which follows contract_id), so a query for one
month-end reads that month's row groups only (DuckDB zone maps; PostgreSQL uses its index).
"""

from __future__ import annotations

from warehouse.marts.segments import SEGMENTS, segment_list

CLASS_NAME = """CASE {r} WHEN 0 THEN 'normal' WHEN 1 THEN 'special_mention'
     WHEN 2 THEN 'substandard' WHEN 3 THEN 'doubtful' ELSE 'loss' END"""

BUCKET = """CASE WHEN f.dpd = 0 THEN 'M0' WHEN f.dpd <= 30 THEN 'M1' WHEN f.dpd <= 60 THEN 'M2'
     WHEN f.dpd <= 90 THEN 'M3' WHEN f.dpd <= 120 THEN 'M4' WHEN f.dpd <= 150 THEN 'M5'
     WHEN f.dpd <= 180 THEN 'M6' ELSE 'M7+' END"""

COLUMNS = (
    "contract_id, lessee_id, month_end, month_idx, mob, outstanding_principal, overdue_principal, "
    "overdue_interest, dpd, dpd_bucket, risk_class, class_reason, in_observation, written_off, "
    f"closed, provision, provision_estimated, received_to_date, {SEGMENTS}, cohort_month, "
    "original_principal"
)

STEP = (
    "contract_month",
    f"""
INSERT INTO contract_month ({COLUMNS})
SELECT k.contract_id, k.lessee_id, f.month_end, f.month_idx, f.month_idx - k.start_idx,
       CAST(f.outstanding_principal AS DECIMAL(18, 2)),
       CAST(f.overdue_principal AS DECIMAL(18, 2)),
       CAST(f.overdue_interest AS DECIMAL(18, 2)),
       f.dpd, {BUCKET},
       {CLASS_NAME.format(r="f.final_rank")},
       f.final_reason, f.in_observation,
       k.wo_idx IS NOT NULL AND f.month_idx = k.wo_idx,
       f.paid_all,
       CAST(COALESCE(pv.amount, ROUND(f.outstanding_principal * rt.rate, 2)) AS DECIMAL(18, 2)),
       pv.amount IS NULL,
       CAST(f.received_total AS DECIMAL(18, 2)),
       {segment_list("k")},
       me.month_end, k.principal
FROM (
  SELECT cm.*, o.in_observation,
         CASE WHEN d.lessee_id IS NOT NULL AND o.own_rank < 2 THEN 2 ELSE o.own_rank END
           AS final_rank,
         CASE WHEN d.lessee_id IS NOT NULL AND o.own_rank < 2 THEN 'debtor_npl_share'
              ELSE o.own_reason END AS final_reason
  FROM _b_cm1 cm
  JOIN _b_own o ON o.ck = cm.ck AND o.month_idx = cm.month_idx
  JOIN _b_contract k0 ON k0.ck = cm.ck
  LEFT JOIN _b_debtor d ON d.lessee_id = k0.lessee_id AND d.month_idx = cm.month_idx
                       AND k0.lessee_type = 'corporate'
) f
JOIN _b_contract k ON k.ck = f.ck
JOIN month_ends me ON me.month_idx = k.start_idx
JOIN _b_rank rt ON rt.rank = f.final_rank
LEFT JOIN provisions pv ON pv.contract_id = k.contract_id AND pv.month_end = f.month_end
ORDER BY f.month_idx, f.ck
""",
)
