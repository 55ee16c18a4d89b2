"""The risk function's own records: classification overrides and loss provisions."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from warehouse.demo import columns as col
from warehouse.demo import reference as ref
from warehouse.demo.payments import Outcome
from warehouse.extract_spec import RISK_CLASSES

DPD_FLOOR_EDGES = np.array([0, 90, 270, 360])  # docs/domain.md §4 rule 1
PROVISION_RATE = np.array([0.015, 0.05, 0.40, 0.70, 1.0])
RESTRUCTURED_RATE = 0.20  # the institution provides more for restructured contracts
NO_PROVISIONS = 0.10  # share of contracts the institution has no provision for: the build estimates


def cal_month(days: np.ndarray) -> np.ndarray:
    """Month index of day numbers."""
    d = np.asarray(days).astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    return d + 1970 * 12


def floor_class(dpd: np.ndarray) -> np.ndarray:
    """The DPD floor class index: 0 normal … 4 loss."""
    return np.searchsorted(DPD_FLOOR_EDGES, dpd, side="left")


def provisions_table(
    rng: np.random.Generator, outcome: Outcome, cal_end: np.ndarray, contract_ids: pa.Array
) -> pa.Table:
    """Provisions for open contract-months of the last months, except some contracts."""
    out = outcome.outstanding
    p = out.shape[0]
    covered = rng.random(out.shape[1]) >= NO_PROVISIONS
    c, pi = np.nonzero((out > 0).T & covered[:, None])
    row = outcome.dpd.shape[0] - p + pi
    cls = floor_class(outcome.dpd[row, c])
    o = out[pi, c]
    rate = PROVISION_RATE[cls]
    parts = outcome.state.restructurings
    if parts:
        first_restr = np.full(out.shape[1], np.iinfo(np.int32).max, dtype=np.int64)
        months = np.concatenate([cal_month(p[1]) for p in parts])
        np.minimum.at(first_restr, np.concatenate([p[0] for p in parts]), months)
        month = outcome.first_month + row
        rate = np.where(month >= first_restr[c], np.maximum(rate, RESTRUCTURED_RATE), rate)
    amount = np.minimum(o * rate * rng.lognormal(0, 0.1, len(c)), o)
    return pa.table(
        {
            "contract_id": contract_ids.take(pa.array(c)),
            "month_end": col.dates(cal_end[row]),
            "amount": col.money(np.round(amount).astype(np.int64)),
        }
    )


def overrides_table(rng: np.random.Generator, outcome: Outcome, contract_ids: pa.Array) -> pa.Table:
    """Risk-committee overrides, always worse than the DPD floor of their effective month."""
    dpd = outcome.dpd
    restructured = outcome.state.restructured > 0
    mi, c = np.nonzero(dpd > 0)
    d = dpd[mi, c]
    fl = floor_class(d)
    u = rng.random(len(c))
    pick = ((fl == 1) & (u < 0.004)) | ((fl == 2) & (u < 0.01))
    # Never-overdue, never-restructured contracts flagged special_mention (e.g. litigation).
    clean = ~(dpd > 0).any(axis=0) & ~restructured
    open_now = outcome.outstanding > 0
    oi, oc = np.nonzero(open_now & clean[None, :])
    take = rng.random(len(oc)) < 0.0002
    months = np.concatenate([mi[pick], dpd.shape[0] - open_now.shape[0] + oi[take]])
    contracts = np.concatenate([c[pick], oc[take]])
    cls = np.concatenate([fl[pick] + 1, np.ones(int(take.sum()), dtype=np.int64)])
    order = np.lexsort((months, contracts))
    contracts, months, cls = contracts[order], months[order], cls[order]
    first = np.ones(len(contracts), dtype=bool)
    first[1:] = contracts[1:] != contracts[:-1]
    contracts, months, cls = contracts[first], months[first], cls[first]
    n = len(contracts)
    return pa.table(
        {
            "contract_id": contract_ids.take(pa.array(contracts)),
            "effective_month": col.months(months + outcome.first_month),
            "risk_class": col.pick(RISK_CLASSES, cls),
            "reason": col.pick(ref.OVERRIDE_REASONS, rng.integers(0, len(ref.OVERRIDE_REASONS), n)),
            "approved_by": col.pick(ref.APPROVERS, rng.integers(0, len(ref.APPROVERS), n)),
        }
    )
