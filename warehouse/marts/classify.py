"""Build steps 6–12: the five-tier class of each contract-month (docs/domain.md §4).

Rules 1–3 give a base class (DPD floor, restructuring observation, manual override: the
extract's and the risk committee's are one series, the latest effective one in force). Rule 5
(upgrade out of NPL) holds the last NPL class until the arrears are cleared and then enough
installments of the schedule in force or months are paid on time. Rule 4 (a corporate lessee with
over 10% NPL) is applied last, each month afresh. All stateful rules are expressed with running
window aggregates, so the build never loops over contracts or months.
"""

from __future__ import annotations

from warehouse.marts.position import OPEN_FROM, RUNNING, midx

# Installment-level payment history: which installments were not fully paid at the end of their
# due date. Only contracts that can need it (restructured, overridden, or ever 90+ DPD).
MISSES = (
    "missed installments",
    """
CREATE TABLE _b_miss AS
SELECT e.ck, e.vf, e.ord, e.ev_date AS due_date
FROM (
  SELECT ev.*,
         SUM(ev.amt) OVER (PARTITION BY ev.ck
                           ORDER BY ev.ev_date, ev.ev_kind, ev.ord ROWS BETWEEN UNBOUNDED PRECEDING
                           AND CURRENT ROW) AS cum_rec
  FROM (
    SELECT k.ck, r.received_date AS ev_date, 0 AS ev_kind, r.amount AS amt,
           CAST(NULL AS DATE) AS vf, 0 AS ord, r.amount AS cum_due, r.amount AS base_received
    FROM receipts r
    JOIN _b_contract k ON k.contract_id = r.contract_id
    WHERE k.ck IN (SELECT ck FROM _b_rel)
    UNION ALL
    SELECT i.ck, i.due_date, 1, 0 * i.cum_due, i.vf, i.ord, i.cum_due, v.base_received
    FROM _b_inst i
    JOIN _b_version v ON v.ck = i.ck AND v.vf = i.vf
    CROSS JOIN _b_params p
    WHERE i.ck IN (SELECT ck FROM _b_rel)
      AND i.due_date >= v.vf AND i.due_date < v.vt AND i.due_date <= p.as_of
      AND i.principal_due + i.interest_due > 0
  ) ev
) e
CROSS JOIN _b_params p
WHERE e.ev_kind = 1 AND e.cum_rec - e.base_received + p.tol < e.cum_due
""",
)

# Observation periods restarted by missed payments are islands of overlapping intervals: an
# interval starting inside the running end of the earlier ones extends the same island.
OBS_ISLANDS = (
    "observation islands",
    f"""
CREATE TABLE _b_obs0 AS
SELECT ck, eff, MAX(e) AS obs_end
FROM (
  SELECT y.*,
         SUM(y.brk) OVER (PARTITION BY y.ck, y.eff ORDER BY y.s, y.kind {RUNNING})
           AS island
  FROM (
    SELECT c.*,
           CASE WHEN c.s > MAX(c.e) OVER (PARTITION BY c.ck, c.eff ORDER BY c.s, c.kind
                                          ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
                THEN 1 ELSE 0 END AS brk
    FROM _b_obs_cand c
  ) y
) z
WHERE island = 0
GROUP BY ck, eff
""",
)


# The extract's overrides and the committee's approved classifications are one series per
# contract (docs/domain.md §4.3): each row holds from its effective month until the next row
# of the same contract from either source. When both give the same effective month the committee
# decision wins (src 1 sorts after src 0, so the extract row's span is empty): the extract's rows
# carry no time of recording, the committee's is the approved act recorded in Postloan itself.
OVERRIDES = (
    "overrides by month",
    """
CREATE TABLE _b_ovrm AS
SELECT cm.ck, cm.month_idx, o.ovr_rank, o.src AS ovr_src
FROM _b_cm1 cm
JOIN (
  SELECT x.*,
         LEAD(x.eff_idx) OVER (PARTITION BY x.ck ORDER BY x.eff_idx, x.src, x.ovr_rank)
           AS next_idx
  FROM (
    SELECT k.ck,
           CAST(SUBSTR(co.effective_month, 1, 4) AS INTEGER) * 12
             + CAST(SUBSTR(co.effective_month, 6, 2) AS INTEGER) - 1 AS eff_idx,
           r.rank AS ovr_rank, 0 AS src
    FROM classification_overrides co
    JOIN _b_contract k ON k.contract_id = co.contract_id
    JOIN _b_rank r ON r.risk_class = co.risk_class
    UNION ALL
    SELECT k.ck,
           CAST(SUBSTR(cc.effective_month, 1, 4) AS INTEGER) * 12
             + CAST(SUBSTR(cc.effective_month, 6, 2) AS INTEGER) - 1,
           r.rank, 1
    FROM committee_classifications cc
    JOIN _b_contract k ON k.contract_id = cc.contract_id
    JOIN _b_rank r ON r.risk_class = cc.risk_class
  ) x
) o
  ON o.ck = cm.ck AND cm.month_idx >= o.eff_idx
 AND (o.next_idx IS NULL OR cm.month_idx < o.next_idx)
""",
)

# Rule 5 counts installments of the schedule in force (docs/domain.md §4.5). One stream per
# contract that is ever NPL: restructurings (kind 0), in-force installments with something due
# (kind 1, flagged when missed) and month-ends (kind 2), in date order. A *reset* is a missed
# installment (arrears; paying them off is the clearing) or a restructuring (the new schedule
# restates the arrears, so it is the clearing; a restructuring inside the wait restarts it). At
# each month-end: the installments due since the last reset, all paid on time (a later miss would
# be a later reset), the last reset's date, the last miss's date and the last month with DPD > 0.
UPGRADE_WAIT = (
    "installments paid on time since the last reset",
    f"""
CREATE TABLE _b_upg AS
WITH npl AS (SELECT ck FROM _b_cls GROUP BY ck HAVING MAX(b_rank) >= 2)
SELECT s.ck, s.month_idx, s.dpd, s.b_rank, s.paid_all,
       s.n_due - s.reset_n AS paid_since, s.reset_date, s.miss_date, s.last_dpd_idx
FROM (
  SELECT e.*,
         MAX(CASE WHEN e.kind = 0 OR e.missed = 1 THEN e.n_due END) OVER w AS reset_n,
         MAX(CASE WHEN e.kind = 0 OR e.missed = 1 THEN e.ev_date END) OVER w AS reset_date,
         MAX(CASE WHEN e.missed = 1 THEN e.ev_date END) OVER w AS miss_date,
         MAX(CASE WHEN e.dpd > 0 THEN e.month_idx END) OVER w AS last_dpd_idx
  FROM (
    SELECT u.*,
           SUM(CASE WHEN u.kind = 1 THEN 1 ELSE 0 END)
             OVER (PARTITION BY u.ck ORDER BY u.ev_date, u.kind, u.vf, u.ord {RUNNING}) AS n_due
    FROM (
      SELECT DISTINCT k.ck, x.effective_date AS ev_date, 0 AS kind, {OPEN_FROM} AS vf, 0 AS ord,
             0 AS missed, -1 AS month_idx, 0 AS dpd, -1 AS b_rank, FALSE AS paid_all
      FROM restructurings x
      JOIN _b_contract k ON k.contract_id = x.contract_id
      WHERE k.ck IN (SELECT ck FROM npl)
      UNION ALL
      SELECT i.ck, i.due_date, 1, i.vf, i.ord, CASE WHEN m.ck IS NULL THEN 0 ELSE 1 END,
             -1, 0, -1, FALSE
      FROM _b_inst i
      CROSS JOIN _b_params p
      LEFT JOIN _b_miss m ON m.ck = i.ck AND m.vf = i.vf AND m.ord = i.ord
      WHERE i.ck IN (SELECT ck FROM npl)
        AND i.due_date >= i.vf AND i.due_date < i.vt AND i.due_date <= p.as_of
        AND i.principal_due + i.interest_due > 0
      UNION ALL
      SELECT c.ck, c.month_end, 2, {OPEN_FROM}, 0, 0, c.month_idx, c.dpd, c.b_rank, c.paid_all
      FROM _b_cls c
      WHERE c.ck IN (SELECT ck FROM npl)
    ) u
  ) e
  WINDOW w AS (PARTITION BY e.ck ORDER BY e.ev_date, e.kind, e.vf, e.ord {RUNNING})
) s
WHERE s.kind = 2
""",
)


STEPS: tuple[tuple[str, str], ...] = (
    (
        "contracts needing payment history",
        """
CREATE TABLE _b_rel AS
SELECT k.ck FROM restructurings r JOIN _b_contract k ON k.contract_id = r.contract_id
UNION
SELECT k.ck FROM classification_overrides o JOIN _b_contract k ON k.contract_id = o.contract_id
UNION
SELECT k.ck FROM committee_classifications o JOIN _b_contract k ON k.contract_id = o.contract_id
UNION
SELECT ck FROM _b_cm1 GROUP BY ck HAVING MAX(dpd) > 90
""",
    ),
    MISSES,
    (
        "restructuring observation starts",
        """
CREATE TABLE _b_rs AS
SELECT r.ck, r.effective_date AS eff,
       COALESCE(f.s0, r.effective_date) AS s0, f.s0_ord, v.vf, v.last_due
FROM (SELECT DISTINCT k.ck, x.effective_date
      FROM restructurings x JOIN _b_contract k ON k.contract_id = x.contract_id) r
LEFT JOIN _b_version v ON v.ck = r.ck AND v.vf = r.effective_date
LEFT JOIN (SELECT ck, vf, MIN(due_date) AS s0, MIN(ord) AS s0_ord
           FROM _b_inst WHERE due_date > vf GROUP BY ck, vf) f
  ON f.ck = r.ck AND f.vf = r.effective_date
""",
    ),
    (
        "observation candidates",
        """
CREATE TABLE _b_obs_cand AS
SELECT c.ck, c.eff, c.kind, c.s,
       GREATEST(CAST(c.s + p.obs_months * INTERVAL '1 month' AS DATE),
                COALESCE(n.due_date, c.last_due, c.s)) AS e
FROM (
  SELECT rs.ck, rs.eff, 0 AS kind, rs.s0 AS s, rs.vf, rs.s0_ord AS ord, rs.last_due
  FROM _b_rs rs
  UNION ALL
  SELECT rs.ck, rs.eff, 1, m.due_date, m.vf, m.ord, v.last_due
  FROM _b_rs rs
  JOIN _b_miss m ON m.ck = rs.ck AND m.due_date >= rs.s0
  JOIN _b_version v ON v.ck = m.ck AND v.vf = m.vf
) c
CROSS JOIN _b_params p
LEFT JOIN _b_inst n
  ON n.ck = c.ck AND n.vf = c.vf AND n.ord = c.ord + p.obs_inst - 1
""",
    ),
    OBS_ISLANDS,
    (
        "observation periods",
        """
CREATE TABLE _b_obs AS
SELECT o.ck, o.eff, o.obs_end,
       EXISTS (SELECT 1 FROM _b_obs0 q
               WHERE q.ck = o.ck AND q.eff < o.eff
                 AND o.eff <= q.obs_end) AS again
FROM _b_obs0 o
""",
    ),
    (
        "observation by month",
        """
CREATE TABLE _b_obsm AS
SELECT cm.ck, cm.month_idx,
       MAX(CASE WHEN o.again THEN GREATEST(p.rr_rank, 1) ELSE 1 END) AS obs_rank,
       MAX(CASE WHEN o.again AND p.rr_rank > 1 THEN 1 ELSE 0 END) AS obs_again
FROM _b_cm1 cm
JOIN _b_obs o
  ON o.ck = cm.ck AND o.eff <= cm.month_end AND cm.month_end <= o.obs_end
CROSS JOIN _b_params p
GROUP BY cm.ck, cm.month_idx
""",
    ),
    OVERRIDES,
    (
        "base class (rules 1-3)",
        """
CREATE TABLE _b_cls AS
SELECT z.*,
       GREATEST(z.dpd_rank, z.obs_rank, z.ovr_rank) AS b_rank,
       CASE WHEN z.dpd_rank >= GREATEST(z.obs_rank, z.ovr_rank) THEN 'dpd'
            WHEN z.obs_rank >= z.ovr_rank AND z.obs_again = 1 THEN 'restructured_again'
            WHEN z.obs_rank >= z.ovr_rank THEN 'restructured'
            WHEN z.ovr_src = 1 THEN 'committee'
            ELSE 'override' END AS b_reason
FROM (
  SELECT cm.ck, cm.month_idx, cm.month_end, cm.dpd, cm.paid_all,
         CASE WHEN cm.dpd = 0 THEN 0 WHEN cm.dpd <= 90 THEN 1 WHEN cm.dpd <= 270 THEN 2
              WHEN cm.dpd <= 360 THEN 3 ELSE 4 END AS dpd_rank,
         COALESCE(ob.obs_rank, 0) AS obs_rank,
         COALESCE(ob.obs_again, 0) AS obs_again,
         ob.ck IS NOT NULL AS in_observation,
         COALESCE(ov.ovr_rank, 0) AS ovr_rank,
         ov.ovr_src
  FROM _b_cm1 cm
  LEFT JOIN _b_obsm ob ON ob.ck = cm.ck AND ob.month_idx = cm.month_idx
  LEFT JOIN _b_ovrm ov ON ov.ck = cm.ck AND ov.month_idx = cm.month_idx
) z
""",
    ),
    UPGRADE_WAIT,
    # A month-end may let the contract out of NPL when nothing is overdue and either it was never
    # in arrears, or it is paid off, or `upg_inst` installments are paid on time since the last
    # reset, or `upg_months` months have passed since the clearing month (the later of the last
    # reset's month and the month after the last month-end with DPD > 0). The contract keeps the
    # class of its last NPL month-end until a month-end after it may let it out.
    (
        "upgrade out of NPL (rule 5)",
        f"""
CREATE TABLE _b_hold AS
SELECT h.ck, h.month_idx, MOD(h.npl_key, 8) AS held_rank
FROM (
  SELECT u.*,
         MAX(CASE WHEN u.b_rank >= 2 THEN u.month_idx * 8 + u.b_rank END) OVER w AS npl_key,
         MAX(CASE WHEN u.upgrade_ok THEN u.month_idx END) OVER w AS last_ok
  FROM (
    SELECT g.ck, g.month_idx, g.b_rank,
           (g.dpd = 0 AND (g.miss_date IS NULL
                           OR g.paid_all
                           OR g.paid_since >= p.upg_inst
                           OR g.month_idx - GREATEST({midx("g.reset_date")},
                                                     COALESCE(g.last_dpd_idx + 1, 0))
                              >= p.upg_months)) AS upgrade_ok
    FROM _b_upg g
    CROSS JOIN _b_params p
  ) u
  WINDOW w AS (PARTITION BY u.ck ORDER BY u.month_idx {RUNNING})
) h
WHERE h.b_rank < 2 AND h.npl_key IS NOT NULL
  AND (h.last_ok IS NULL OR h.last_ok * 8 <= h.npl_key - MOD(h.npl_key, 8))
""",
    ),
    (
        "own class (rules 1-3, 5)",
        """
CREATE TABLE _b_own AS
SELECT c.ck, c.month_idx, c.in_observation,
       COALESCE(h.held_rank, c.b_rank) AS own_rank,
       CASE WHEN h.held_rank IS NOT NULL THEN 'upgrade_hold' ELSE c.b_reason END AS own_reason
FROM _b_cls c
LEFT JOIN _b_hold h ON h.ck = c.ck AND h.month_idx = c.month_idx
""",
    ),
    (
        "corporate debtor NPL share (rule 4)",
        """
CREATE TABLE _b_debtor AS
SELECT k.lessee_id, cm.month_idx
FROM _b_own o
JOIN _b_cm1 cm ON cm.ck = o.ck AND cm.month_idx = o.month_idx
JOIN _b_contract k ON k.ck = o.ck
CROSS JOIN _b_params p
WHERE k.lessee_type = 'corporate' AND (k.wo_idx IS NULL OR cm.month_idx < k.wo_idx)
GROUP BY k.lessee_id, cm.month_idx
HAVING SUM(CASE WHEN o.own_rank >= 2 THEN cm.outstanding_principal ELSE 0 END)
       > MAX(p.npl_share) * SUM(cm.outstanding_principal)
""",
    ),
)
