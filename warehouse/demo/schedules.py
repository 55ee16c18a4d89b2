"""Repayment schedules: amortisation (等额本息 / 等额本金) and the growing store of all versions."""

from __future__ import annotations

import numpy as np

from warehouse.demo.calendar import Calendar


def amortise(
    principal: np.ndarray,
    period_rate: np.ndarray,
    n: np.ndarray,
    method: np.ndarray,
    grace: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Principal and interest per installment in cents, flat in contract order (CSR by `n`).

    The first `grace` installments are interest only; the last one takes the rounding residue so
    principal adds up exactly. method 0 = equal installment, 1 = equal principal.
    """
    n = np.asarray(n, dtype=np.int64)
    offsets = np.concatenate([[0], np.cumsum(n)])
    p_due = np.zeros(offsets[-1], dtype=np.int64)
    i_due = np.zeros(offsets[-1], dtype=np.int64)
    bal = np.asarray(principal, dtype=np.int64).copy()
    amort_n = np.maximum(n - grace, 1)
    r = np.asarray(period_rate, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        annuity = np.where(r > 0, bal * r / (1 - (1 + r) ** -amort_n), bal / amort_n)
    equal_p = bal // amort_n
    for k in range(1, int(n.max(initial=0)) + 1):
        live = np.flatnonzero(n >= k)
        b = bal[live]
        interest = np.rint(b * r[live]).astype(np.int64)
        p = np.where(
            method[live] == 0, np.rint(annuity[live]).astype(np.int64) - interest, equal_p[live]
        )
        p = np.clip(np.where(k <= grace[live], 0, p), 0, b)
        p = np.where(k == n[live], b, p)
        row = offsets[live] + k - 1
        p_due[row] = p
        i_due[row] = interest
        bal[live] = b - p
    return p_due, i_due


def due_dates(
    cal: Calendar, base_month: np.ndarray, freq: np.ndarray, day: np.ndarray, n: np.ndarray
) -> np.ndarray:
    """Due date (day number) of every installment: month base + k * freq, on `day`."""
    n = np.asarray(n, dtype=np.int64)
    owner = np.repeat(np.arange(len(n)), n)
    k = np.arange(int(n.sum())) - np.repeat(np.concatenate([[0], np.cumsum(n)[:-1]]), n) + 1
    return cal.day(base_month[owner] + k * freq[owner], day[owner])


class Store:
    """All schedule rows of all versions, appended; g0/gp0 are running sums with a leading zero.

    Because rows are only appended and amounts are never negative, g0 (principal + interest) stays
    sorted, so one searchsorted finds any contract's first unpaid installment.
    """

    def __init__(self, due: np.ndarray, p_due: np.ndarray, i_due: np.ndarray, spare: int) -> None:
        size = len(due)
        cap = size + spare + 1
        self.due = np.zeros(cap, dtype=np.int32)
        self.p_due = np.zeros(cap, dtype=np.int64)
        self.i_due = np.zeros(cap, dtype=np.int64)
        self.g0 = np.zeros(cap + 1, dtype=np.int64)
        self.gp0 = np.zeros(cap + 1, dtype=np.int64)
        self.size = 0
        self.append(due, p_due, i_due)

    def _grow(self, need: int) -> None:
        cap = max(need + 1, int(len(self.due) * 1.5))
        for name in ("due", "p_due", "i_due"):
            old = getattr(self, name)
            new = np.zeros(cap, dtype=old.dtype)
            new[: len(old)] = old
            setattr(self, name, new)
        for name in ("g0", "gp0"):
            old = getattr(self, name)
            new = np.full(cap + 1, old[self.size], dtype=np.int64)
            new[: len(old)] = old
            setattr(self, name, new)

    def append(self, due: np.ndarray, p_due: np.ndarray, i_due: np.ndarray) -> int:
        """Add rows at the end; returns the offset of the first one."""
        at, m = self.size, len(due)
        if at + m + 1 > len(self.due):
            self._grow(at + m)
        self.due[at : at + m] = due
        self.p_due[at : at + m] = p_due
        self.i_due[at : at + m] = i_due
        self.g0[at + 1 : at + m + 1] = self.g0[at] + np.cumsum(p_due + i_due)
        self.gp0[at + 1 : at + m + 1] = self.gp0[at] + np.cumsum(p_due)
        # Keep the tail flat so lookups one past the end stay sorted.
        self.g0[at + m + 1 :] = self.g0[at + m]
        self.gp0[at + m + 1 :] = self.gp0[at + m]
        self.size = at + m
        return at

    def position(
        self, ro: np.ndarray, n: np.ndarray, received: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """First unpaid row and outstanding principal after `received` cents (docs/domain.md §2).

        Receipts go to the oldest installment first, interest before principal; the first unpaid
        row is ro + n when everything is paid.
        """
        end = ro + n
        q = self.g0[ro] + received
        j = np.minimum(np.searchsorted(self.g0[: self.size + 1], q, side="right") - 1, end)
        jj = np.minimum(j, self.size - 1)
        into_row = q - self.g0[j]
        partial = np.where(j < end, np.clip(into_row - self.i_due[jj], 0, self.p_due[jj]), 0)
        repaid = self.gp0[j] - self.gp0[ro] + partial
        return j, self.gp0[end] - self.gp0[ro] - repaid
