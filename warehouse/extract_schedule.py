"""Schedule version checks: a version adds up to what was owed when it started (docs/domain.md §2).

A version is the rows of one contract sharing `valid_from` (empty for the first version). The
first version's principal_due must sum exactly to the contract principal. A later version starting
on d must sum exactly to the principal outstanding at d: the receipts dated from the previous
version's valid_from (all receipts, when that is the first version) up to the day before d,
applied to the previous version's installments in due-date order, interest before principal.
Versions must share one valid_to and must not overlap. Contracts with cell problems in their
contract, schedule or receipt rows are skipped here; those problems are reported already.
"""

from __future__ import annotations

from warehouse.extract_collect import collect
from warehouse.extract_problems import Problem
from warehouse.extract_read import Staging

_SETUP = (
    # Contracts whose rows are clean and unique, with their principal and row.
    """CREATE OR REPLACE TEMP TABLE _ok AS
    SELECT contract_id, any_value(principal) AS principal, min(rowid) + 2 AS row
    FROM s_contracts WHERE _bad IS NULL GROUP BY contract_id HAVING count(*) = 1""",
    """DELETE FROM _ok WHERE contract_id IN
    (SELECT contract_id FROM s_schedule WHERE _bad IS NOT NULL OR NOT _keyok)""",
    # One row per schedule version, numbered in valid_from order (the first version first).
    """CREATE OR REPLACE TEMP TABLE _versions AS
    SELECT *, row_number() OVER w AS k, lag(valid_from) OVER w AS prev_from,
        lag(vt_max) OVER w AS prev_to, lag(vt_n) OVER w AS prev_vt_n
    FROM (
        SELECT s.contract_id, s.valid_from, min(s.valid_to) AS vt_min, max(s.valid_to) AS vt_max,
            count(s.valid_to) AS vt_n, count(*) AS n, sum(s.principal_due) AS principal_sum,
            min(s.rowid) + 2 AS first_row
        FROM s_schedule s SEMI JOIN _ok o ON o.contract_id = s.contract_id
        GROUP BY s.contract_id, s.valid_from)
    WINDOW w AS (PARTITION BY contract_id ORDER BY valid_from NULLS FIRST)""",
)

_SHARED_VALID_TO = """
SELECT first_row AS row, 'the rows of schedule version valid_from='
    || coalesce(CAST(valid_from AS VARCHAR), '(empty)') || ' of contract ' || contract_id
    || ' do not share one valid_to' AS message
FROM _versions WHERE vt_min IS DISTINCT FROM vt_max OR (vt_n > 0 AND vt_n < n)"""

_NO_FIRST = """
SELECT o.row, 'contract ' || o.contract_id
    || ' has no first schedule version (schedule rows with empty valid_from)' AS message
FROM _ok o WHERE NOT EXISTS
    (SELECT 1 FROM _versions v WHERE v.contract_id = o.contract_id AND v.valid_from IS NULL)"""

_FIRST_SUM = """
SELECT v.first_row AS row, 'the first schedule version of contract ' || v.contract_id
    || ' sums principal_due to ' || v.principal_sum || ', not the contract principal '
    || o.principal AS message
FROM _versions v JOIN _ok o USING (contract_id)
WHERE v.valid_from IS NULL AND v.principal_sum <> o.principal"""

_OVERLAP = """
SELECT first_row AS row, 'schedule version valid_from=' || valid_from || ' of contract '
    || contract_id || ' overlaps the previous version (valid_to '
    || coalesce(CAST(prev_to AS VARCHAR), '(empty)') || ')' AS message
FROM _versions WHERE k > 1 AND (prev_to IS NULL OR prev_vt_n = 0 OR prev_to > valid_from)"""

# A version must start the day the previous one stops: in a gap no schedule would be in force.
_GAP = """
SELECT first_row AS row, 'schedule version valid_from=' || valid_from || ' of contract '
    || contract_id || ' starts after the previous version ends (valid_to ' || prev_to
    || '): no schedule is in force in between' AS message
FROM _versions WHERE k > 1 AND prev_vt_n > 0 AND prev_to < valid_from"""

# Principal outstanding when each later version starts, by the allocation of docs/domain.md §2.
_LATER_SUM = """
WITH later AS (
    SELECT contract_id, valid_from AS d, prev_from, principal_sum, first_row
    FROM _versions
    WHERE k > 1 AND contract_id NOT IN
        (SELECT contract_id FROM s_receipts WHERE _bad IS NOT NULL AND contract_id IS NOT NULL)
), received AS (
    SELECT l.contract_id, l.d, coalesce(sum(r.amount), 0) AS amount
    FROM later l LEFT JOIN s_receipts r ON r.contract_id = l.contract_id
        AND r.received_date < l.d AND (l.prev_from IS NULL OR r.received_date >= l.prev_from)
    GROUP BY l.contract_id, l.d
), due AS (
    SELECT l.contract_id, l.d, s.principal_due, s.interest_due,
        coalesce(sum(s.principal_due + s.interest_due) OVER (
            PARTITION BY l.contract_id, l.d ORDER BY s.due_date, s.installment_no
            ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS due_before
    FROM later l JOIN s_schedule s ON s.contract_id = l.contract_id
        AND coalesce(s.valid_from, DATE '0001-01-01') = coalesce(l.prev_from, DATE '0001-01-01')
), outstanding AS (
    SELECT u.contract_id, u.d, sum(u.principal_due) - sum(least(u.principal_due,
        greatest(0, r.amount - u.due_before - u.interest_due))) AS principal
    FROM due u JOIN received r USING (contract_id, d)
    GROUP BY u.contract_id, u.d
)
SELECT l.first_row AS row, 'schedule version valid_from=' || l.d || ' of contract '
    || l.contract_id || ' sums principal_due to ' || l.principal_sum
    || ', not the principal outstanding on that date ' || o.principal AS message
FROM later l JOIN outstanding o USING (contract_id, d)
WHERE l.principal_sum <> o.principal"""


def check_schedule(st: Staging) -> list[Problem]:
    """Problems of the schedule versions (sums, shared valid_to, overlaps, gaps, first version)."""
    if "schedule" not in st.tables or "contracts" not in st.tables:
        return []
    for sql in _SETUP:
        st.con.execute(sql).fetchall()
    schedule, contracts = st.tables["schedule"].file, st.tables["contracts"].file
    problems = collect(st, schedule, "valid_to", _SHARED_VALID_TO)
    problems += collect(st, contracts, "contract_id", _NO_FIRST)
    problems += collect(st, schedule, "principal_due", _FIRST_SUM)
    problems += collect(st, schedule, "valid_from", _OVERLAP)
    problems += collect(st, schedule, "valid_from", _GAP)
    if "receipts" in st.tables:
        problems += collect(st, schedule, "principal_due", _LATER_SUM)
    st.con.execute("DROP TABLE _versions; DROP TABLE _ok").fetchall()
    return problems
