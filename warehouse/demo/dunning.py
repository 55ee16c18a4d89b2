"""Collection actions (催收) that follow delinquency, escalating phone → sms → letter → visit →
agency → legal, with a few deliberately non-compliant contacts for the compliance flags.

Prior notice before an outside agency is a `letter` action to the lessee dated before the
contract's first `agency` action; about 5% of agency cases get none (their letters become sms).

Promises to pay follow the receipts the simulation wrote, so the 催收 page's kept rate means
something: a lessee promises the whole arrears or part of it, due 3-14 days later; when a receipt
does arrive within three weeks most promises name its day (or a day or two after) and at most
what has arrived by then (kept), the rest are broken or partly kept. No receipt is invented.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from warehouse.demo import columns as col
from warehouse.demo import risk
from warehouse.demo.book import Book, person_names
from warehouse.demo.calendar import Calendar
from warehouse.demo.history import spread
from warehouse.demo.payments import Outcome
from warehouse.extract_spec import CHANNELS, COUNTERPARTY_ROLES, OUTCOMES

PHONE, SMS, LETTER, VISIT, AGENCY, LEGAL = range(6)
LESSEE, GUARANTOR, OTHER = range(3)
CONTACTED, PROMISE = OUTCOMES.index("contacted"), OUTCOMES.index("promise_to_pay")
PAID, REFUSED = OUTCOMES.index("paid"), OUTCOMES.index("refused")
# Of the conversations with a lessee under full strain, the share turned refusals, and turned
# refusals or no answer.
STRAIN_REFUSE, STRAIN_AWAY = 0.25, 0.5
BUCKET_EDGES = np.array([30, 60, 90, 180])
BASE_ACTIONS = np.array([1, 2, 3, 2, 2])
EXTRA_ACTIONS = np.array([0.8, 1.2, 1.5, 1.5, 1.0])
CHANNEL_P = np.array(
    [
        [0.60, 0.40, 0.00, 0.00, 0.00, 0.00],  # DPD 1-30
        [0.45, 0.25, 0.20, 0.10, 0.00, 0.00],  # 31-60
        [0.30, 0.10, 0.25, 0.35, 0.00, 0.00],  # 61-90
        [0.20, 0.05, 0.15, 0.20, 0.40, 0.00],  # 91-180
        [0.10, 0.00, 0.10, 0.15, 0.35, 0.30],  # over 180
    ]
)
OUTCOME_P = np.array(
    [
        [0.35, 0.30, 0.25, 0.10, 0.0, 0.0],  # phone
        [0.60, 0.40, 0.00, 0.00, 0.0, 0.0],  # sms
        [0.50, 0.50, 0.00, 0.00, 0.0, 0.0],  # letter
        [0.10, 0.40, 0.35, 0.15, 0.0, 0.0],  # visit
        [0.20, 0.35, 0.30, 0.15, 0.0, 0.0],  # agency
        [0.00, 0.00, 0.00, 0.00, 0.0, 1.0],  # legal
    ]
)
AGENCIES = ("华信资产管理有限公司", "中诚信催收服务有限公司", "安和商务咨询有限公司")
OUTSIDE_WINDOW = 0.003
CAP_BREACH = 0.003
OTHER_PARTY = 0.003
NO_NOTICE = 0.05
DAY = 86_400
DAY_BITS = 20  # day numbers from 1970 stay below 2**20 until the year 4840
WHOLE_ARREARS = 0.5  # a promise of all that is overdue; the others promise 30-80% of it
KEEP_WINDOW = 21  # days from the action to a receipt the lessee may have known was coming
HONEST = 0.85  # of promises followed by such a receipt, those that name its day and amount
# Lessees about to pay promise more readily than those who will not: shares of contacts that
# become promises when a receipt follows within KEEP_WINDOW, and of promises that stay mere
# contacts when none does.
TO_PROMISE, TO_CONTACT = 0.6, 0.5
HUNDRED_YUAN = 10_000


@dataclass(frozen=True)
class Paid:
    """Receipts of the contracts ever past due, by contract and day, with running totals."""

    key: np.ndarray  # int64 sorted: contract << DAY_BITS | day
    cum: np.ndarray  # int64 cents received up to each key, cum[0] = 0 (one longer than key)

    @classmethod
    def of(cls, outcome: Outcome) -> Paid:
        """Index `outcome.receipts` (only contracts with a month-end past due get actions)."""
        c, d, a = outcome.receipts
        keep = (outcome.dpd > 0).any(axis=0)[c]
        key = (c[keep].astype(np.int64) << DAY_BITS) | d[keep].astype(np.int64)
        order = np.argsort(key, kind="stable")
        cum = np.concatenate([[0], np.cumsum(a[keep][order])]).astype(np.int64)
        return cls(key[order], cum)

    def between(self, c: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
        """Cents each contract `c` received from day `lo` to day `hi`, both included."""
        base = c.astype(np.int64) << DAY_BITS
        start = np.searchsorted(self.key, base | lo, side="left")
        stop = np.searchsorted(self.key, base | hi, side="right")
        return self.cum[stop] - self.cum[start]

    def next_day(self, c: np.ndarray, day: np.ndarray) -> np.ndarray:
        """The first day on or after `day` with a receipt of contract `c`, else -1."""
        base = c.astype(np.int64) << DAY_BITS
        at = np.searchsorted(self.key, base | day, side="left")
        found = self.key[np.minimum(at, len(self.key) - 1)] if len(self.key) else base - 1
        same = (at < len(self.key)) & (found >> DAY_BITS == c)
        return np.where(same, found & ((1 << DAY_BITS) - 1), -1)


def lean_on_receipts(
    rng: np.random.Generator,
    receipts: Paid,
    c: np.ndarray,
    day: np.ndarray,
    channel: np.ndarray,
    result: np.ndarray,
) -> np.ndarray:
    """`result` with some contacts turned promises before a receipt, and some promises not."""
    can = np.flatnonzero(
        np.isin(channel, (PHONE, VISIT, AGENCY)) & np.isin(result, (CONTACTED, PROMISE))
    )
    coming = receipts.next_day(c[can], day[can])
    soon = (coming >= 0) & (coming - day[can] <= KEEP_WINDOW)
    now, u = result[can], rng.random(len(can))
    now = np.where(soon & (now == CONTACTED) & (u < TO_PROMISE), PROMISE, now)
    now = np.where(~soon & (now == PROMISE) & (u < TO_CONTACT), CONTACTED, now)
    out = result.copy()
    out[can] = now
    return out


def promises(
    rng: np.random.Generator,
    receipts: Paid,
    c: np.ndarray,
    day: np.ndarray,
    arrears: np.ndarray,
    as_of_day: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Promised cents and day of promises made by contracts `c` on `day` owing `arrears` cents."""
    n = len(c)
    share = np.where(rng.random(n) < WHOLE_ARREARS, 1.0, 0.3 + 0.5 * rng.random(n))
    asked = np.maximum((arrears * share).astype(np.int64) // HUNDRED_YUAN, 1) * HUNDRED_YUAN
    promised_day = day + rng.integers(3, 15, n)
    coming = receipts.next_day(c, day)
    honest = (coming >= 0) & (coming - day <= KEEP_WINDOW) & (rng.random(n) < HONEST)
    promised_day = np.where(honest, coming + rng.integers(0, 3, n), promised_day)
    promised_day = np.minimum(promised_day, as_of_day)
    got = receipts.between(c, day, promised_day)
    # Round what arrived down to 100 yuan (to the yuan when less): an amount a person would say.
    said = np.where(got >= HUNDRED_YUAN, got // HUNDRED_YUAN * HUNDRED_YUAN, got // 100 * 100)
    fits = np.minimum(asked, np.where(said > 0, said, got))
    return np.where(honest & (got > 0), fits, asked), promised_day


def _categorical(rng: np.random.Generator, probs: np.ndarray, rows: np.ndarray) -> np.ndarray:
    cum = np.cumsum(probs, axis=1)
    cum[:, -1] = 1.0
    return (rng.random(len(rows))[:, None] > cum[rows]).sum(axis=1)


def collections_table(
    rng: np.random.Generator,
    book: Book,
    outcome: Outcome,
    cal: Calendar,
    has_guarantor: np.ndarray,
    contract_ids: pa.Array,
    receipts: Paid,
    latent: risk.Latent,
) -> pa.Table:
    """Collection actions for every month-end a contract is past due; a lessee under strain
    (high hidden risk) is reached less often and refuses more."""
    mi, pc_ = np.nonzero(outcome.dpd > 0)
    dpd = outcome.dpd[mi, pc_].astype(np.int64)
    months = mi + outcome.first_month
    n_pairs = len(mi)
    bucket = np.searchsorted(BUCKET_EDGES, dpd, side="left")
    n_act = np.minimum(BASE_ACTIONS[bucket] + rng.poisson(EXTRA_ACTIONS[bucket]), 8)
    burst = rng.random(n_pairs) < CAP_BREACH  # four or more contacts on one day
    n_act = np.where(burst, np.maximum(n_act, 4), n_act)
    me = cal.end(months).astype(np.int64)
    lo = np.maximum(cal.first(months), me - dpd + 1)
    pair_day = lo + (rng.random(n_pairs) * (me - lo + 1)).astype(np.int64)
    last_row = outcome.dpd.shape[0] - 1
    nxt = np.minimum(mi + 1, last_row)
    cured_next = (mi < last_row) & (outcome.dpd[nxt, pc_] == 0)
    cured_next &= outcome.state.end_month[pc_] > months + 1

    owner, rank = spread(n_act)
    m = len(owner)
    c = pc_[owner]
    o_lo, o_me = lo[owner], me[owner]
    day = np.where(
        burst[owner], pair_day[owner], o_lo + (rng.random(m) * (o_me - o_lo + 1)).astype(np.int64)
    )
    hour = 9 + (rng.random(m) * 12).astype(np.int64)
    odd = rng.random(m) < OUTSIDE_WINDOW
    hour = np.where(odd, rng.choice([7, 21, 22], m), hour)
    minute = np.where(odd, 5 + rng.integers(0, 55, m), rng.integers(0, 60, m))
    secs = day * DAY + hour * 3600 + minute * 60 + rng.integers(0, 60, m)
    channel = _categorical(rng, CHANNEL_P, bucket[owner])
    channel = np.where(burst[owner], PHONE, channel)
    u = rng.random(m)
    role = np.where(
        has_guarantor[c] & (u < 0.15) & np.isin(channel, (PHONE, LETTER, VISIT)), GUARANTOR, LESSEE
    )
    role = np.where(u > 1 - OTHER_PARTY, OTHER, role)
    result = _categorical(rng, OUTCOME_P, channel)
    # A lessee under strain (high hidden risk) answers less and refuses more.
    strain = risk.sigmoid(2.0 * (latent.at(months[owner], book.lessee[c]) - 1.0))
    talk = np.isin(channel, (PHONE, VISIT, AGENCY)) & np.isin(result, (CONTACTED, PROMISE))
    u = rng.random(m)
    result = np.where(talk & (u < STRAIN_REFUSE * strain), REFUSED, result)
    result = np.where(talk & (u >= STRAIN_REFUSE * strain) & (u < STRAIN_AWAY * strain), 0, result)
    paid = cured_next[owner] & (rank == n_act[owner] - 1) & (channel != LEGAL)
    result = np.where(paid & (rng.random(m) < 0.6), PAID, result)

    # Prior notice: a letter to the lessee before the first agency action, except a few cases.
    ag = np.flatnonzero(channel == AGENCY)
    order = ag[np.lexsort((secs[ag], c[ag]))]
    ag_contract, first_idx = np.unique(c[order], return_index=True)
    first_ag = secs[order[first_idx]]
    no_notice = rng.random(len(ag_contract)) < NO_NOTICE
    silent = np.isin(c, ag_contract[no_notice]) & (channel == LETTER)
    channel = np.where(silent, SMS, channel)
    keep = ~no_notice
    n_notice = int(keep.sum())
    notice_secs = (
        (first_ag[keep] // DAY - rng.integers(1, 11, n_notice)) * DAY
        + (10 + rng.integers(0, 6, n_notice)) * 3600
        + rng.integers(0, 3600, n_notice)
    )
    c = np.concatenate([c, ag_contract[keep]])
    secs = np.concatenate([secs, notice_secs])
    channel = np.concatenate([channel, np.full(n_notice, LETTER)])
    role = np.concatenate([role, np.full(n_notice, LESSEE)])
    result = np.concatenate([result, rng.choice([0, 1], n_notice)])
    dpd_a = np.concatenate([dpd[owner], np.full(n_notice, 91)])

    order = np.argsort(secs, kind="stable")
    c, secs, channel, role, result, dpd_a = (
        a[order] for a in (c, secs, channel, role, result, dpd_a)
    )
    n = len(c)
    result = lean_on_receipts(rng, receipts, c, secs // DAY, channel, result)
    promise = result == PROMISE
    installment = book.principal * (book.rate / 12 + 1 / book.term) * book.freq
    arrears = (installment[c] * np.maximum(1, -(-dpd_a // 30))).astype(np.int64)
    as_of_day = int(cal.end(outcome.first_month + outcome.dpd.shape[0] - 1))
    promised = np.zeros(n, dtype=np.int64)
    promised_day = np.zeros(n, dtype=np.int64)
    at = np.flatnonzero(promise)
    promised[at], promised_day[at] = promises(
        rng, receipts, c[at], secs[at] // DAY, arrears[at], as_of_day
    )
    staff = person_names(rng, 60)
    collector = staff.take(pa.array(c % 60))
    agency = col.pick(AGENCIES, c % len(AGENCIES))
    return pa.table(
        {
            "action_id": col.ids("A", np.arange(1, n + 1), 10),
            "contract_id": contract_ids.take(pa.array(c)),
            "action_time": col.timestamps(secs),
            "channel": col.pick(CHANNELS, channel),
            "counterparty_role": col.pick(COUNTERPARTY_ROLES, role),
            "outcome": col.pick(OUTCOMES, result),
            "promised_amount": col.money(promised, promise),
            "promised_date": col.dates(promised_day, promise),
            "collector": pc.if_else(pa.array(channel == AGENCY), agency, collector),
        }
    )
