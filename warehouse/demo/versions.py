"""Simulation state and the events that end a schedule version: restructuring and write-off."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from warehouse.demo.calendar import Calendar
from warehouse.demo.schedules import Store, amortise, due_dates
from warehouse.extract_spec import RESTRUCTURE_TYPES

TYPE_P = dict(zip(RESTRUCTURE_TYPES, (0.30, 0.15, 0.15, 0.15, 0.10, 0.15), strict=True))
EXTENSION, GRACE, CAPITALISED, RATE_CUT, REDUCTION, REFINANCING = range(6)

PERFORMING, DELINQUENT, CLOSED, WRITTEN_OFF = 0, 1, 2, 3


@dataclass
class State:
    """Per-contract pointers to the schedule version in force, money received and status."""

    store: Store
    ro: np.ndarray  # row offset of the version in force
    ni: np.ndarray  # its number of installments
    bm: np.ndarray  # installment k falls due in month bm + k * fq
    fq: np.ndarray
    dd: np.ndarray  # day of month installments fall due
    rate: np.ndarray
    method: np.ndarray
    received: np.ndarray  # cents received against the version in force
    pending: np.ndarray  # part of `received` dated after the current month-end
    status: np.ndarray
    months_late: np.ndarray
    restructured: np.ndarray
    relapse: np.ndarray
    end_month: np.ndarray
    segments: list[tuple[np.ndarray, ...]] = field(default_factory=list)  # contract, ro, n, from
    restructurings: list[tuple[np.ndarray, ...]] = field(
        default_factory=list
    )  # contract, day, type
    writeoffs: list[tuple[np.ndarray, ...]] = field(default_factory=list)  # contract, day, cents

    def due_counts(self, c: np.ndarray, t: int) -> tuple[np.ndarray, np.ndarray]:
        """Installments due in or before month t, and whether one falls due in month t."""
        rel = t - self.bm[c]
        step = rel // self.fq[c]
        ni = self.ni[c]
        due_now = (rel > 0) & (rel % self.fq[c] == 0) & (step <= ni)
        return np.clip(step, 0, ni), due_now


def _events_before(state: State, c: np.ndarray, t: int, day_of_month: np.ndarray) -> np.ndarray:
    """Installments due strictly before day `day_of_month` of month t."""
    kt, due_now = state.due_counts(c, t)
    return kt - (due_now & (state.dd[c] >= day_of_month))


def restructure(
    state: State, cal: Calendar, rng: np.random.Generator, c: np.ndarray, t: int
) -> None:
    """Replace the schedule in force by a new version restating the principal outstanding."""
    store = state.store
    dom = rng.integers(1, 29, len(c))
    ro, ni = state.ro[c], state.ni[c]
    received = state.received[c]
    _, out = store.position(ro, ni, received)
    keep = out > 0
    c, dom, ro, ni, received, out = (
        c[keep],
        dom[keep],
        ro[keep],
        ni[keep],
        received[keep],
        out[keep],
    )
    if len(c) == 0:
        return
    eff = cal.day(t, dom)
    ke = _events_before(state, c, t, dom)
    kt, _ = state.due_counts(c, t)
    arrears = store.g0[ro + ke] - store.g0[ro] - received
    repaid = store.gp0[ro + ni] - store.gp0[ro] - out
    over_p = np.maximum(store.gp0[ro + ke] - store.gp0[ro] - repaid, 0)
    over_i = np.maximum(arrears - over_p, 0)

    kind = rng.choice(len(TYPE_P), len(c), p=list(TYPE_P.values()))
    remaining = np.maximum((ni - kt) * state.fq[c], 0)
    extra = np.where(
        kind == EXTENSION, rng.choice([12, 24], len(c)), np.where(kind == REFINANCING, 12, 0)
    )
    n_new = np.minimum(np.maximum(remaining, 6) + extra, 84).astype(np.int64)
    cut = np.where(kind == RATE_CUT, 0.7, np.where(kind == REDUCTION, 0.85, 1.0))
    rate = np.round(state.rate[c] * cut, 4)
    grace = np.where(kind == GRACE, 3, 0)
    p_due, i_due = amortise(out, rate / 12, n_new, state.method[c], grace)
    # Overdue interest is capitalised into interest_due (spread over the new schedule), added to
    # the first new installment, or waived for a reduction; principal stays the outstanding.
    first_row = np.concatenate([[0], np.cumsum(n_new)[:-1]])
    capital = kind == CAPITALISED
    per_row = np.where(capital, over_i // n_new, 0)
    i_due += np.repeat(per_row, n_new)
    i_due[first_row] += np.where(kind == REDUCTION, 0, over_i - per_row * n_new)
    months = np.full(len(c), t, dtype=np.int32)
    ones = np.ones(len(c), dtype=np.int32)
    due = due_dates(cal, months, ones, state.dd[c], n_new)
    at = store.append(due, p_due, i_due)

    state.ro[c] = at + first_row
    state.ni[c] = n_new
    state.bm[c] = t
    state.fq[c] = 1
    state.rate[c] = rate
    state.received[c] = 0
    state.pending[c] = 0
    state.status[c] = PERFORMING
    state.months_late[c] = 0
    state.restructured[c] += 1
    state.segments.append((c, state.ro[c].copy(), n_new, eff))
    state.restructurings.append((c, eff, kind))


def write_off(state: State, cal: Calendar, rng: np.random.Generator, c: np.ndarray, t: int) -> None:
    """Write off the principal outstanding; the contract takes no receipts afterwards."""
    _, out = state.store.position(state.ro[c], state.ni[c], state.received[c])
    keep = out > 0
    c, out = c[keep], out[keep]
    day = cal.day(t, rng.integers(1, 29, len(c)))
    state.status[c] = WRITTEN_OFF
    state.end_month[c] = t
    state.writeoffs.append((c, day, out))
