"""The month-by-month behaviour of the book: instalments paid, missed, cured, prepaid, and more.

One pass over calendar months, vectorised over contracts. Each month it records receipts and, at
the month-end, every open contract's DPD and outstanding principal (the panels later tables use).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from warehouse.demo import reference as ref
from warehouse.demo import risk
from warehouse.demo.book import INDIVIDUAL, Book
from warehouse.demo.calendar import Calendar
from warehouse.demo.schedules import Store, amortise, due_dates
from warehouse.demo.versions import (
    CLOSED,
    DELINQUENT,
    PERFORMING,
    WRITTEN_OFF,
    State,
    restructure,
    write_off,
)

FULL_PREPAY = 0.0030  # a month, performing contracts
PART_PREPAY = 0.0020
PARTIAL_WHEN_MISSING = 0.35
PARTIAL_WHEN_LATE = 0.22
RESTRUCTURE = 0.07  # a month, from the third month late
WRITE_OFF = 0.12  # a month, from the ninth month late
PROVISION_MONTHS = 12


@dataclass
class Outcome:
    """What the simulation produced."""

    state: State
    receipts: tuple[np.ndarray, np.ndarray, np.ndarray]  # contract, day, cents
    dpd: np.ndarray  # int16 (months, contracts): DPD at each month-end, 0 when not open
    outstanding: np.ndarray  # int64 (last PROVISION_MONTHS months, contracts)
    totals: np.ndarray  # int64 per month: outstanding principal of the whole book
    first_month: int


def _initial_state(book: Book, cal: Calendar) -> State:
    n_inst = (book.term // book.freq).astype(np.int64)
    zeros = np.zeros(book.size, dtype=np.int64)
    p_due, i_due = amortise(book.principal, book.rate * book.freq / 12, n_inst, book.method, zeros)
    due = due_dates(cal, book.start_month, book.freq, book.due_day, n_inst)
    store = Store(due, p_due, i_due, spare=len(due) // 10 + 1000)
    del p_due, i_due, due
    ro = np.concatenate([[0], np.cumsum(n_inst)[:-1]])
    contracts = np.arange(book.size)
    state = State(
        store=store,
        ro=ro,
        ni=n_inst,
        bm=book.start_month.copy(),
        fq=book.freq.copy(),
        dd=book.due_day.copy(),
        rate=book.rate.copy(),
        method=book.method,
        received=zeros.copy(),
        pending=zeros.copy(),
        status=np.zeros(book.size, dtype=np.int8),
        months_late=np.zeros(book.size, dtype=np.int16),
        restructured=np.zeros(book.size, dtype=np.int8),
        relapse=np.zeros(book.size, dtype=bool),
        end_month=np.full(book.size, np.iinfo(np.int32).max, dtype=np.int32),
    )
    state.segments.append(
        (contracts, ro.copy(), n_inst.copy(), np.full(book.size, -1, dtype=np.int32))
    )
    return state


def _base_hazard(book: Book, first: int, last: int, rng: np.random.Generator) -> np.ndarray:
    """Per-contract miss hazard before the macro cycle and seasoning."""
    factor = np.array([row[2] for row in ref.INDUSTRIES])[book.l_industry]
    factor = np.where(book.l_type == INDIVIDUAL, 1.0, factor)
    lessee = book.lessee
    h = risk.MISS_BY_GRADE[book.l_grade[lessee]] * factor[lessee]
    h *= risk.vintage(book.start_month, first, last) * np.where(book.freq == 3, 2.0, 1.0)
    return risk.STATIC_SHARE * h * rng.lognormal(0, 0.3, book.size)


def simulate(
    book: Book,
    cal: Calendar,
    first: int,
    last: int,
    rng: np.random.Generator,
    latent: risk.Latent,
) -> Outcome:
    """Run the book from month `first` to `last` (the as-of month); each lessee's hidden risk
    `latent` scales its contracts' chance to miss and to cure month by month."""
    st = _initial_state(book, cal)
    store = st.store
    base_h = _base_hazard(book, first, last, rng)
    macro = risk.macro(np.arange(first, last + 1), first, last)
    grade = book.l_grade[book.lessee]
    n_months = last - first + 1
    dpd_panel = np.zeros((n_months, book.size), dtype=np.int16)
    p_months = min(PROVISION_MONTHS, n_months)
    out_panel = np.zeros((p_months, book.size), dtype=np.int64)
    totals = np.zeros(n_months, dtype=np.int64)
    rc, rd, ra = [], [], []

    for t in range(first, last + 1):
        started = int(np.searchsorted(book.start_month, t, side="right"))
        c = np.flatnonzero(st.status[:started] < CLOSED)
        m = len(c)
        m_first, me = int(cal.first(t)), int(cal.end(t))
        ro, ni = st.ro[c], st.ni[c]
        kt, due_now = st.due_counts(c, t)
        base = store.g0[ro]
        owed = store.g0[ro + kt] - base
        total = store.g0[ro + ni] - base
        r = st.received[c]
        s = st.status[c]
        gap = owed - r
        due_day = cal.day(t, st.dd[c])
        any_day = cal.day(t, rng.integers(1, 29, m))
        u = rng.random((5, m))

        # Performing: pay what falls due (mostly on time), or miss it.
        perf = s == PERFORMING
        need = perf & due_now & (gap > 0)
        mob = t - book.start_month[c]
        h = base_h[c] * macro[t - first] * risk.seasoning(mob)
        h *= (1 + 1.5 * (st.restructured[c] > 0)) * (1 + st.relapse[c])
        lessee_z = latent.at(t, book.lessee[c])
        h = h * np.exp(risk.HAZARD_SLOPE * lessee_z) + risk.DISTRESS_MISS * risk.sigmoid(
            3.0 * (lessee_z - risk.DISTRESS_AT)
        )
        miss = need & (u[0] < h)
        pay = need & ~miss
        late = np.where(u[1] < 0.90, -rng.integers(1, 4, m), rng.integers(1, 26, m))
        lag = np.where(u[1] < 0.82, 0, late)
        amount = np.where(pay, gap, 0)
        day = np.where(pay, np.maximum(due_day + lag, m_first), any_day)
        part = miss & (u[2] < PARTIAL_WHEN_MISSING)
        amount = np.where(part, (gap * (0.2 + 0.6 * u[3])).astype(np.int64), amount)
        day = np.where(part, np.minimum(due_day + (u[3] * 3).astype(np.int64), me), day)

        # Prepayment: everything still scheduled (rarely a little more), or a part of the future.
        can = perf & ~miss & (kt >= 1) & (kt < ni)
        full = can & (u[4] < FULL_PREPAY)
        partial_pp = can & ~full & (u[4] < FULL_PREPAY + PART_PREPAY)
        over = np.where(u[2] < 0.02, (u[3] * 50_000).astype(np.int64), 0)
        amount = np.where(full, total - r + over, amount)
        day = np.where(full & ~due_now, any_day, day)
        extra = np.minimum(
            ((total - owed) * (0.1 + 0.4 * u[3])).astype(np.int64), total - r - amount
        )
        amount2 = np.where(partial_pp, np.maximum(extra, 0), 0)
        day2 = cal.day(t, rng.integers(1, 29, m))

        # Delinquent: cure, pay part, or stay late; restructure or write off when long late.
        late_now = s == DELINQUENT
        months_late = st.months_late[c] + late_now
        cure_p = risk.CURE_BY_GRADE[grade[c]] * 0.8 ** np.maximum(months_late - 1, 0)
        cure_p *= np.exp(-risk.CURE_SLOPE * np.maximum(lessee_z, 0.0))
        cure = late_now & ((u[0] < cure_p) | (gap <= 0))
        d_part = late_now & ~cure & (u[0] < cure_p + PARTIAL_WHEN_LATE)
        band = cure_p + PARTIAL_WHEN_LATE
        restr = late_now & ~cure & ~d_part & (months_late >= 3) & (st.restructured[c] < 2)
        restr &= u[0] < band + RESTRUCTURE
        wo = late_now & ~cure & ~d_part & ~restr & (months_late >= 9) & (u[0] >= 1 - WRITE_OFF)
        amount = np.where(cure, np.maximum(gap, 0), amount)
        amount = np.where(
            d_part, (np.maximum(gap, 0) * (0.1 + 0.4 * u[1])).astype(np.int64), amount
        )

        # Nothing may be dated after the as-of date: such receipts simply have not arrived yet.
        amount = np.where(day > me, np.where(t == last, 0, amount), amount)
        for amt, d in ((amount, day), (amount2, day2)):
            got = np.flatnonzero(amt > 0)
            rc.append(c[got].astype(np.int32))
            rd.append(d[got].astype(np.int32))
            ra.append(amt[got])
        st.received[c] = r + amount + amount2
        st.pending[c] = np.where(day > me, amount, 0)
        st.status[c[miss]] = DELINQUENT
        st.months_late[c] = np.where(miss | cure, 0, months_late)
        st.status[c[cure]] = PERFORMING
        st.relapse[c[cure]] = True
        closed = st.received[c] >= total
        st.status[c[closed]] = CLOSED
        st.end_month[c[closed]] = t + (st.pending[c[closed]] > 0)
        restructure(st, cal, rng, c[restr & ~closed], t)
        write_off(st, cal, rng, c[wo & ~closed], t)

        # Month-end position of every contract open during the month.
        ro, ni = st.ro[c], st.ni[c]
        kt, due_now = st.due_counts(c, t)
        before = kt - (due_now & (cal.day(t, st.dd[c]) == me))
        rme = st.received[c] - st.pending[c]
        j, out = store.position(ro, ni, rme)
        overdue = store.g0[ro + before] - store.g0[ro] > rme
        dpd = np.where(overdue, me - store.due[np.minimum(j, store.size - 1)], 0)
        dpd_panel[t - first, c] = np.minimum(dpd, np.iinfo(np.int16).max)
        out = np.where(st.status[c] == WRITTEN_OFF, 0, out)
        totals[t - first] = out.sum()
        if t > last - p_months:
            out_panel[t - (last - p_months + 1), c] = out
        st.pending[c] = 0

    receipts = (np.concatenate(rc), np.concatenate(rd), np.concatenate(ra))
    return Outcome(st, receipts, dpd_panel, out_panel, totals, first)
