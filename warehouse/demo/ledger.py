"""The money tables: schedule versions, receipts, restructurings and write-offs."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pyarrow as pa

from warehouse.demo import columns as col
from warehouse.demo.payments import Outcome
from warehouse.demo.write import chunked
from warehouse.extract_spec import RESTRUCTURE_TYPES

CHUNK = 2_000_000


def segments(outcome: Outcome) -> tuple[np.ndarray, ...]:
    """Schedule versions sorted by contract and start: contract, row offset, n, from, to."""
    parts = outcome.state.segments
    c, ro, n, vf = (np.concatenate([p[i] for p in parts]) for i in range(4))
    order = np.lexsort((vf, c))
    c, ro, n, vf = c[order], ro[order], n[order], vf[order]
    vt = np.full(len(c), -1, dtype=np.int32)
    same = c[1:] == c[:-1]
    vt[:-1][same] = vf[1:][same]
    return c, ro, n, vf, vt


def schedule_chunks(outcome: Outcome, contract_ids: pa.Array) -> Iterator[pa.Table]:
    """The schedule table, one version after another, in chunks of about CHUNK rows."""
    store = outcome.state.store
    c, ro, n, vf, vt = segments(outcome)
    ends = np.cumsum(n)
    seg_lo = 0
    while seg_lo < len(c):
        seg_hi = int(np.searchsorted(ends, ends[seg_lo] - n[seg_lo] + CHUNK, side="right"))
        seg_hi = max(seg_hi, seg_lo + 1)
        sl = slice(seg_lo, seg_hi)
        counts = n[sl]
        starts = np.repeat(np.cumsum(counts) - counts, counts)
        k = np.arange(int(counts.sum())) - starts
        rows = np.repeat(ro[sl], counts) + k
        owner = np.repeat(c[sl], counts)
        f, t = np.repeat(vf[sl], counts), np.repeat(vt[sl], counts)
        yield pa.table(
            {
                "contract_id": contract_ids.take(pa.array(owner)),
                "installment_no": pa.array(k + 1, type=pa.int32()),
                "due_date": col.dates(store.due[rows]),
                "principal_due": col.money(store.p_due[rows]),
                "interest_due": col.money(store.i_due[rows]),
                "valid_from": col.dates(f, f >= 0),
                "valid_to": col.dates(t, t >= 0),
            }
        )
        seg_lo = seg_hi


def receipt_chunks(outcome: Outcome, contract_ids: pa.Array) -> Iterator[pa.Table]:
    """Receipts in date order, numbered R000000001 … in that order."""
    c, d, a = outcome.receipts
    order = np.argsort(d, kind="stable")
    for lo, hi in chunked(len(order), CHUNK):
        idx = order[lo:hi]
        yield pa.table(
            {
                "receipt_id": col.ids("R", np.arange(lo + 1, hi + 1), 10),
                "contract_id": contract_ids.take(pa.array(c[idx])),
                "received_date": col.dates(d[idx]),
                "amount": col.money(a[idx]),
            }
        )


def restructurings_table(outcome: Outcome, contract_ids: pa.Array) -> pa.Table:
    """One row per restructuring."""
    parts = outcome.state.restructurings
    c, d, k = (np.concatenate([p[i] for p in parts] or [np.zeros(0, np.int64)]) for i in range(3))
    order = np.lexsort((d, c))
    return pa.table(
        {
            "contract_id": contract_ids.take(pa.array(c[order], type=pa.int64())),
            "effective_date": col.dates(d[order]),
            "restructure_type": col.pick(RESTRUCTURE_TYPES, k[order]),
        }
    )


def writeoffs_table(outcome: Outcome, contract_ids: pa.Array) -> pa.Table:
    """One row per written-off contract: the principal outstanding on the write-off date."""
    parts = outcome.state.writeoffs
    c, d, a = (np.concatenate([p[i] for p in parts] or [np.zeros(0, np.int64)]) for i in range(3))
    order = np.argsort(c)
    return pa.table(
        {
            "contract_id": contract_ids.take(pa.array(c[order], type=pa.int64())),
            "writeoff_date": col.dates(d[order]),
            "amount": col.money(a[order]),
        }
    )
